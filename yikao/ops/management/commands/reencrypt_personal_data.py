"""Re-seal all personal data under the current key (the first of FIELD_ENCRYPTION_KEYS).

Sealed values live in three places, and all of them are rewritten:

- encrypted columns (EncryptedTextField: the candidates' ID and mobile numbers);
- registration snapshots: every ``<name>_sealed`` key, sealed for ``snapshot.<name>``
  (registrations/snapshot.py: ``basic.id_number_sealed``, ``basic.mobile_sealed`` and, for
  台港澳 candidates, ``basic.hmt_permit_sealed``);
- audit rows: every ``{"masked": …, "sealed": …}`` value in ``changes``, sealed for
  ``audit`` (core/audit.py: old and new ID and mobile numbers of a correction, and of the
  snapshots it corrected).

Rotation: put a new key in front of FIELD_ENCRYPTION_KEYS, deploy, run this command, then
drop the old key once it reports nothing left that it could not read (backups made before
still need the old key). Batched and idempotent: only values under another key are
rewritten, so a second run, or a run after an interrupted one, rewrites nothing twice.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, models, transaction
from django.db.models.functions import Cast

from yikao.core import crypto
from yikao.core.fields import EncryptedTextField
from yikao.core.models import AuditEntry
from yikao.registrations.models import Registration

BATCH = 1000
# A JSON key → the purpose its value was sealed for, or None for a key that is not sealed.
PurposeOf = Callable[[str], str | None]


@dataclass
class Tally:
    rows: int = 0  # rows rewritten
    values: int = 0  # sealed values rewritten
    unreadable: int = 0  # rows left as they were: a value under a key no longer configured


def snapshot_purpose(key: str) -> str | None:
    return f"snapshot.{key.removesuffix('_sealed')}" if key.endswith("_sealed") else None


def audit_purpose(key: str) -> str | None:
    return "audit" if key == "sealed" else None


def _reseal(token: str, purpose: str) -> str:
    return crypto.encrypt(crypto.decrypt(token, purpose=purpose), purpose=purpose)


def sealed_slots(data, purpose_of: PurposeOf) -> Iterator[tuple[dict, str, str]]:
    """(container, key, purpose) of every sealed value in a JSON document."""
    if isinstance(data, dict):
        for key, value in data.items():
            purpose = purpose_of(key)
            if purpose and isinstance(value, str) and value:
                yield data, key, purpose
            else:
                yield from sealed_slots(value, purpose_of)
    elif isinstance(data, list):
        for item in data:
            yield from sealed_slots(item, purpose_of)


def stale_slots(data, purpose_of: PurposeOf, current: str) -> list[tuple[dict, str, str]]:
    return [
        (c, k, p) for c, k, p in sealed_slots(data, purpose_of) if crypto.key_id_of(c[k]) != current
    ]


def reseal_json(data, purpose_of: PurposeOf, current: str) -> int:
    """Re-seals, in place, the values of a JSON document under another key than
    ``current``; returns how many. Raises DecryptionError if one cannot be read."""
    slots = stale_slots(data, purpose_of, current)
    for container, key, purpose in slots:
        container[key] = _reseal(container[key], purpose)
    return len(slots)


# --- encrypted columns ---------------------------------------------------------------------------


def encrypted_columns() -> list[tuple[type[models.Model], list[EncryptedTextField]]]:
    found = []
    for model in apps.get_models():
        fields = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
        if fields:
            found.append((model, fields))
    return found


def _quoted(model, fields) -> tuple[str, str, list[str]]:
    quote = connection.ops.quote_name
    return (
        quote(model._meta.db_table),
        quote(model._meta.pk.column),
        [quote(f.column) for f in fields],
    )


def _column_batches(model, fields):
    """(pk, token, token, …) of every row, raw: the model would decrypt on load."""
    table, pk, columns = _quoted(model, fields)
    sql = f"SELECT {pk}, {', '.join(columns)} FROM {table} WHERE {pk} > %s ORDER BY {pk} LIMIT %s"  # noqa: S608
    last = 0
    while True:
        with connection.cursor() as cursor:
            cursor.execute(sql, [last, BATCH])
            rows = cursor.fetchall()
        if not rows:
            return
        last = rows[-1][0]
        yield rows


def reseal_columns(model, fields, current: str) -> Tally:
    """Each stale token is swapped only if the row still holds it (compare and set): a
    value the user changed meanwhile was written under the current key already."""
    table, pk, columns = _quoted(model, fields)
    tally = Tally()
    for rows in _column_batches(model, fields):
        with transaction.atomic(), connection.cursor() as cursor:
            for pk_value, *tokens in rows:
                try:
                    swaps = [
                        (column, token, _reseal(token, field.purpose))
                        for field, column, token in zip(fields, columns, tokens, strict=True)
                        if token and crypto.key_id_of(token) != current
                    ]
                except crypto.DecryptionError:
                    tally.unreadable += 1
                    continue
                for column, old, new in swaps:
                    cursor.execute(
                        f"UPDATE {table} SET {column} = %s WHERE {pk} = %s AND {column} = %s",  # noqa: S608
                        [new, pk_value, old],
                    )
                tally.rows += bool(swaps)
                tally.values += len(swaps)
    return tally


# --- JSON documents (snapshots, audit rows) ------------------------------------------------------


def _json_batches(queryset: models.QuerySet, field: str):
    last = 0
    while True:
        rows = list(queryset.filter(pk__gt=last).order_by("pk").values_list("pk", field)[:BATCH])
        if not rows:
            return
        last = rows[-1][0]
        yield rows


def reseal_documents(queryset, field: str, purpose_of: PurposeOf, current: str) -> Tally:
    """Finds stale rows without locks, then locks and re-reads them to rewrite."""
    tally = Tally()
    for rows in _json_batches(queryset, field):
        stale = [pk for pk, document in rows if stale_slots(document, purpose_of, current)]
        if not stale:
            continue
        with transaction.atomic():
            locked = queryset.model.objects.select_for_update().filter(pk__in=stale)
            for pk, document in locked.values_list("pk", field):
                try:
                    count = reseal_json(document, purpose_of, current)
                except crypto.DecryptionError:
                    tally.unreadable += 1
                    continue
                if count:
                    queryset.model.objects.filter(pk=pk).update(**{field: document})
                    tally.rows += 1
                    tally.values += count
    return tally


def audit_rows_with_sealed_values() -> models.QuerySet:
    # A cheap pre-filter on the JSON text; reseal_json decides what is actually sealed.
    return AuditEntry.objects.annotate(changes_text=Cast("changes", models.TextField())).filter(
        changes_text__contains='"sealed"'
    )


class Command(BaseCommand):
    help = "用当前密钥重新加密证件号码、手机号码，以及报名快照和审计记录中的加密值"

    def handle(self, *args, **options):
        current = crypto.current_key_id()
        unreadable = 0
        for model, fields in encrypted_columns():
            tally = reseal_columns(model, fields, current)
            unreadable += tally.unreadable
            self.stdout.write(
                f"re-encrypted {tally.rows} {model._meta.model_name}s under key {current}"
            )
        documents = [
            ("registration snapshots", Registration.objects.all(), "snapshot", snapshot_purpose),
            ("audit rows", audit_rows_with_sealed_values(), "changes", audit_purpose),
        ]
        for label, queryset, field, purpose_of in documents:
            tally = reseal_documents(queryset, field, purpose_of, current)
            unreadable += tally.unreadable
            self.stdout.write(
                f"re-sealed {tally.rows} {label} ({tally.values} values) under key {current}"
            )
        if unreadable:
            # Keep the old key: these rows still need it.
            raise CommandError(f"{unreadable} rows hold values under a key no longer configured")
