"""Data retention: delete what Yikao no longer needs (docs/operations.md, "Retention").

    manage.py purge_stale_data --dry-run     # counts only, changes nothing
    manage.py purge_stale_data               # deletes, and writes one audit row

What goes, each with its own age limit in days (settings, else environment, else default):

| what                                              | setting / environment          | default |
|---------------------------------------------------|--------------------------------|---------|
| wizard drafts not touched for N days              | RETENTION_DRAFT_DAYS           | 180     |
| abandoned registrations abandoned N days ago      | RETENTION_ABANDONED_DAYS       | 365     |
| old login attempts (django-axes tables)           | RETENTION_LOGIN_ATTEMPT_DAYS   | 90      |
| expired sessions (database session backend)       | always                         |         |

Audit rows are never deleted: they name a registration by type and id, not by a foreign key,
so the trail of an abandoned registration outlives it. Run it daily from cron or a timer.
"""

import datetime
import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from yikao.core.audit import audit_record

DEFAULTS = {
    "RETENTION_DRAFT_DAYS": 180,
    "RETENTION_ABANDONED_DAYS": 365,
    "RETENTION_LOGIN_ATTEMPT_DAYS": 90,
}


def retention_days(name: str) -> int:
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name, DEFAULTS[name])
    try:
        days = int(value)
    except (TypeError, ValueError):
        raise CommandError(f"{name} must be a whole number of days, not {value!r}") from None
    if days < 1:
        raise CommandError(f"{name} must be at least 1 day")
    return days


def stale_querysets(now: datetime.datetime) -> dict[str, object]:
    """{label: queryset to delete}, in the order they are deleted (bookings before
    their registrations, which PROTECT them)."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.contrib.sessions.models import Session

    from yikao.appointments.models import Booking
    from yikao.registrations.models import Draft, Registration, Status

    def ago(name):
        return now - datetime.timedelta(days=retention_days(name))

    abandoned = Registration.objects.filter(
        status=Status.ABANDONED, abandoned_at__lt=ago("RETENTION_ABANDONED_DAYS")
    )
    attempts = ago("RETENTION_LOGIN_ATTEMPT_DAYS")
    found = {
        "drafts": Draft.objects.filter(updated_at__lt=ago("RETENTION_DRAFT_DAYS")),
        "bookings_of_abandoned": Booking.objects.filter(registration__in=abandoned),
        "abandoned_registrations": abandoned,
        "login_attempts": AccessAttempt.objects.filter(attempt_time__lt=attempts),
        "login_failures": AccessFailureLog.objects.filter(attempt_time__lt=attempts),
        "login_log": AccessLog.objects.filter(attempt_time__lt=attempts),
    }
    if settings.SESSION_ENGINE == "yikao.core.sessions":  # sessions in the database
        found["expired_sessions"] = Session.objects.filter(expire_date__lt=now)
    return found


def purge(*, dry_run: bool, now: datetime.datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    counts: dict[str, int] = {}
    with transaction.atomic():
        for label, queryset in stale_querysets(now).items():
            if dry_run:
                counts[label] = queryset.count()
            else:
                counts[label] = queryset.delete()[1].get(queryset.model._meta.label, 0)
        if not dry_run and any(counts.values()):
            audit_record(
                actor=None,
                action="data.purged",
                changes={k: {"old": v, "new": 0} for k, v in counts.items() if v},
                reason="purge_stale_data",
            )
    return counts


class Command(BaseCommand):
    help = "按保留期限删除过期数据（草稿、已放弃的报名、过期会话、旧登录记录）"

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="只统计将删除的行数，不做任何修改"
        )

    def handle(self, *args, dry_run: bool = False, **options):
        counts = purge(dry_run=dry_run)
        verb = "would delete" if dry_run else "deleted"
        for label, count in counts.items():
            self.stdout.write(f"{verb} {count} {label}")
