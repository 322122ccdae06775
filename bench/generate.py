"""Synthetic candidates for the rush benchmark, in bulk (PostgreSQL COPY).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/yikao_rush \\
        .venv/bin/python bench/generate.py --candidates 1000000

N candidates, each with a login (one precomputed Argon2id hash, reused), basic information
(faker zh_CN names and addresses, valid resident ID numbers, ID and mobile numbers
encrypted with yikao.core.crypto), a complete profile (work unit, a five-year 临床医学
bachelor), a current photo row. Most are registered, spread over all 考点 in proportion to
their seats; a pool is left for the rush: `ps…` with a wizard draft ready to submit, `pw…`
with nothing started. Usernames: k0000001… (registered), ps…/pw… (pool).

Never one save per row: rows are built in Python and streamed with COPY; one template
registration made through the real services gives the snapshot every copy carries.
"""

import argparse
import datetime
import io
import json
import os
import random
import secrets
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

PASSWORD = "Bench2026pass"  # noqa: S105 - synthetic accounts
ANSWER = "benchanswer"
_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_CHECK = "10X98765432"
CHUNK = 20_000


def resident_id(region: str, birth: datetime.date, seq: int) -> str:
    base = f"{region}{birth:%Y%m%d}{seq:03d}"
    total = sum(int(d) * w for d, w in zip(base, _WEIGHTS, strict=True))
    return base + _CHECK[total % 11]


def pool_size(n: int) -> int:
    return max(min(n // 10, 40_000), min(100, n // 2))


def setup_django():
    import django

    django.setup()


def ensure_reference_data(provinces: str) -> None:
    """Migrations, the demo exam with its 考区/考点, and the directory (idempotent)."""
    from django.core.management import call_command

    from yikao.directory.models import Institution

    call_command("migrate", "--noinput", verbosity=0)
    call_command("load_exam_demo", verbosity=0)
    if not Institution.objects.exists():
        args = ["--no-progress"] + (["--provinces", provinces] if provinces != "all" else [])
        call_command("load_directory", *args)


def copy_rows(cur, model, rows, provided: list[str]) -> int:
    """COPY rows (tuples in the order of `provided` attnames) into the model's table; the
    other columns get their field default once."""
    fields = [
        f for f in model._meta.concrete_fields if f.attname not in provided and not f.primary_key
    ]
    extra = []
    for f in fields:
        if f.has_default():
            value = f.get_default()
        elif f.null:
            value = None
        else:
            value = ""
        if isinstance(value, (dict, list)):
            value = json.dumps(value)
        extra.append(value)
    columns = [model._meta.get_field(a).column for a in provided] + [f.column for f in fields]
    extra = tuple(extra)
    table = model._meta.db_table
    count = 0
    with cur.copy(f'COPY "{table}" ({", ".join(columns)}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row(row + extra)
            count += 1
    return count


def next_ids(cur, model, n: int) -> int:
    """Reserve n ids; returns the first."""
    table = model._meta.db_table
    cur.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"')  # noqa: S608 - model table name
    first = cur.fetchone()[0] + 1
    cur.execute(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), %s)", [first + n])
    return first


def template_registration(exam, site):
    """One registration through the real services: its snapshot is the template."""
    from django.core.files.base import ContentFile

    from yikao.accounts.identity import Gender, IdType
    from yikao.accounts.models import User
    from yikao.accounts.services import SignUp, candidate_register
    from yikao.exams.models import ExamCategory
    from yikao.photos.models import CandidatePhoto
    from yikao.profiles.models import Education, Profile
    from yikao.registrations.models import Registration
    from yikao.registrations.services import draft_save, draft_start, registration_submit

    existing = Registration.objects.filter(candidate__user__username="benchtemplate").first()
    if existing:
        return existing
    if User.objects.filter(username="benchtemplate").exists():
        User.objects.filter(username="benchtemplate").delete()
    birth = datetime.date(1999, 5, 20)
    candidate = candidate_register(
        data=SignUp(
            full_name="模板", id_type=IdType.RESIDENT_ID,
            id_number=resident_id("410102", birth, 991), gender=Gender.MALE, birth_date=birth,
            username="benchtemplate", password=PASSWORD, security_question="您的出生地是？",
            security_answer=ANSWER, email="", mobile="13900000000",
        )
    )  # fmt: skip
    Profile.objects.create(
        candidate=candidate, **PROFILE, submitted_at=datetime.datetime.now(datetime.UTC)
    )
    education = Education.objects.create(candidate=candidate, **EDUCATION)
    photo = CandidatePhoto(candidate=candidate, sha256="0" * 64, width=413, height=531,
                           byte_size=20_000, profile_fingerprint=exam.photo_profile().fingerprint(),
                           is_current=True)  # fmt: skip
    photo.image.save("bench.jpg", ContentFile(_jpeg()), save=False)
    photo.save()
    category = ExamCategory.objects.get(exam=exam, category="clinical", level="physician")
    draft = draft_start(candidate=candidate, category=category)
    draft_save(draft=draft, step=5, values=draft_values(exam, site, [education.pk]))
    return registration_submit(draft=draft, token=draft.token)


def _jpeg() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (413, 531), "white").save(out, "JPEG", quality=80)
    return out.getvalue()


PROFILE = {
    "postal_address": "河南省郑州市金水区经三路 12 号", "postcode": "450000",
    "work_unit_code": "", "work_unit_name": "郑州市第一人民医院", "work_unit_kind": "县级医院",
    "unit_nature": "公立医疗机构",
    "position": "住院医师", "title": "", "title_date": "", "duty_status": "试用期",
    "post_category": "临床", "department": "内科", "work_start": "2024-08",
}  # fmt: skip
EDUCATION = {
    "level": "本科", "length_years": 5, "study_form": "全日制", "entry_date": "2019-09",
    "graduation_date": "2024-06", "school_code": "4141010459", "school_name": "郑州大学",
    "major_code": "100201K", "major_name": "临床医学", "diploma_number": "104591202405001234",
}  # fmt: skip


def draft_values(exam, site, educations) -> dict:
    return {
        "military": "none", "educations": educations, "trainings": [], "certificates": [],
        "area": site.area.code, "site": site.pk,
    }  # fmt: skip


def generate(n: int, *, seed: int = 2026, provinces: str = "41") -> dict:
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction
    from django.utils import timezone
    from faker import Faker

    from yikao.accounts.models import Candidate, User
    from yikao.accounts.selectors import id_number_hash, mobile_hash
    from yikao.core import crypto
    from yikao.core.masking import mask_id_number, mask_phone
    from yikao.exams.models import Exam, ExamCategory, SiteCapacity
    from yikao.photos.models import CandidatePhoto
    from yikao.profiles.models import Education, Profile
    from yikao.registrations.models import Draft, Registration

    started = time.perf_counter()
    ensure_reference_data(provinces)
    exam = Exam.objects.get(code="yszg-2027")
    category = ExamCategory.objects.get(exam=exam, category="clinical", level="physician")
    template_site = SiteCapacity.objects.filter(exam=exam, site__code__startswith="41").first().site
    template = template_registration(exam, template_site)
    capacities = list(SiteCapacity.objects.filter(exam=exam).select_related("site__area"))
    photo_path = CandidatePhoto.objects.filter(candidate=template.candidate).first().image.name
    fingerprint = exam.photo_profile().fingerprint()  # checked under the exam's photo rules

    rng = random.Random(seed)
    fake = Faker("zh_CN")
    Faker.seed(seed)
    names = [fake.name() for _ in range(5000)]
    addresses = [fake.address()[:110] for _ in range(2000)]
    units = [fake.company()[:90] for _ in range(2000)]
    regions = [
        line.split(",")[0]
        for line in (ROOT / "yikao/directory/data/areas.csv").read_text().splitlines()[1:]
    ]
    rng.shuffle(regions)
    first_day, days = datetime.date(1975, 1, 1), 10_000

    pool = pool_size(n)
    registered = n - pool
    # Seats: fill every site in proportion to its capacity (at most 90 %).
    total_seats = sum(c.capacity for c in capacities)
    fill = min(registered / total_seats, 0.9) if registered else 0
    if registered > total_seats * 0.9:
        raise SystemExit(f"{registered} registrations exceed 90 % of {total_seats} seats")
    site_slots = []
    taken = dict.fromkeys((c.pk for c in capacities), 0)
    for c in capacities:
        quota = int(c.capacity * fill) + 1
        site_slots.extend([c] * quota)
    rng.shuffle(site_slots)
    site_slots = site_slots[:registered]
    # The pool registers in Henan, where seats are left.
    henan = [c for c in capacities if c.site.area.code == "41"]

    password_hash = make_password(PASSWORD)  # one Argon2id hash, reused
    answer_hash = make_password(ANSWER)
    snap_template = template.snapshot
    statuses = ["submitted"] * 6 + ["site_review"] * 2 + ["site_approved", "approved"]
    now = timezone.now()

    with transaction.atomic(), connection.cursor() as django_cur:
        cur = django_cur.cursor  # psycopg's own cursor, for COPY
        user_id = next_ids(cur, User, n)
        cand_id = next_ids(cur, Candidate, n)
        edu_id = next_ids(cur, Education, n)
        reg_id = next_ids(cur, Registration, registered)
        profile_id = next_ids(cur, Profile, n)
        photo_id = next_ids(cur, CandidatePhoto, n)
        counters = {c.pk: c.last_number for c in capacities}
        pool_out = {"ps": [], "pw": []}
        for start in range(0, n, CHUNK):
            stop = min(start + CHUNK, n)
            users, cands, profiles, edus, photos, regs, links, drafts = ([] for _ in range(8))
            for i in range(start, stop):
                k = i // len(regions)
                birth = first_day + datetime.timedelta(days=k % days)
                seq = k // days
                number = resident_id(regions[i % len(regions)], birth, seq)
                male = seq % 2 == 1
                mobile = f"1{rng.choice('3578')}{i:09d}"
                is_pool = i >= registered
                kind = ("ps" if (i - registered) % 2 == 0 else "pw") if is_pool else "k"
                username = f"{kind}{i:07d}"
                uid, cid, eid = user_id + i, cand_id + i, edu_id + i
                name = names[rng.randrange(len(names))]
                users.append((uid, password_hash, username, now, True))
                cands.append((
                    cid, uid, name, "resident_id",
                    crypto.encrypt(number, purpose="candidate.id_number"),
                    id_number_hash(number), "M" if male else "F", birth,
                    crypto.encrypt(mobile, purpose="candidate.mobile"), mobile_hash(mobile),
                    "您的出生地是？", answer_hash, now, now,
                ))  # fmt: skip
                profiles.append((
                    profile_id + i, cid, addresses[rng.randrange(2000)], "450000", "",
                    units[rng.randrange(2000)], "县级医院", "", "", "", "", "公立医疗机构",
                    "住院医师", "试用期", "临床", "内科", "2024-08", now, now,
                ))  # fmt: skip
                edus.append((
                    eid, cid, not is_pool, now, "本科", 5, "全日制", "2019-09", "2024-06",
                    "4141010459", "郑州大学", "100201K", "临床医学", f"10459{i:013d}", "",
                ))  # fmt: skip
                photos.append((photo_id + i, cid, photo_path, "0" * 64, 413, 531, 20_000,
                               fingerprint, now, True))  # fmt: skip
                if is_pool:
                    seats = henan[rng.randrange(len(henan))]
                    entry = {"username": username, "user": uid, "candidate": cid, "education": eid}
                    if kind == "ps":
                        token = secrets.token_hex(16)
                        data = draft_values(exam, seats.site, [eid])
                        drafts.append((cid, exam.pk, category.pk, 5, json.dumps(data), token, now))
                        entry.update(
                            token=token,
                            site=seats.site.pk,
                            area=seats.site.area.code,
                            education=eid,
                        )
                    pool_out[kind].append(entry)
                    continue
                seats = site_slots[i]
                counters[seats.pk] += 1
                taken[seats.pk] += 1
                rid = reg_id + i
                snap = {
                    **snap_template,
                    "basic": {
                        **snap_template["basic"], "full_name": name,
                        "id_number_masked": mask_id_number(number),
                        "id_number_sealed": crypto.encrypt(number, purpose="snapshot.id_number"),
                        "gender": "男" if male else "女", "birth_date": birth.isoformat(),
                        "mobile_masked": mask_phone(mobile),
                    },
                }  # fmt: skip
                regs.append((
                    rid, exam.pk, cid, category.pk, seats.site_id,
                    f"{exam.year}{seats.site.code.ljust(6, '0')}{counters[seats.pk]:06d}",
                    statuses[rng.randrange(len(statuses))], json.dumps(snap, ensure_ascii=False),
                    json.dumps(template.eligibility, ensure_ascii=False),
                    json.dumps(template.documents, ensure_ascii=False),
                    json.dumps(template.add_ons, ensure_ascii=False), "0" * 64,
                    secrets.token_hex(16), now - datetime.timedelta(seconds=rng.randrange(864_000)),
                ))  # fmt: skip
                links.append((rid, eid))
            copy_rows(cur, User, users, ["id", "password", "username", "date_joined", "has_seen_profile"])  # fmt: skip
            copy_rows(cur, Candidate, cands, [
                "id", "user_id", "full_name", "id_type", "id_number", "id_number_hash", "gender",
                "birth_date", "mobile", "mobile_hash", "security_question",
                "security_answer_hash", "accepted_terms_at", "created_at",
            ])  # fmt: skip
            copy_rows(cur, Profile, profiles, [
                "id", "candidate_id", "postal_address", "postcode", "work_unit_code", "work_unit_name",
                "work_unit_kind", "work_unit_address", "work_unit_postcode", "trial_assessed",
                "id_valid_until", "unit_nature", "position", "duty_status", "post_category",
                "department", "work_start", "submitted_at", "updated_at",
            ])  # fmt: skip
            copy_rows(cur, Education, edus, [
                "id", "candidate_id", "locked", "created_at", "level", "length_years",
                "study_form", "entry_date", "graduation_date", "school_code", "school_name",
                "major_code", "major_name", "diploma_number", "major_direction",
            ])  # fmt: skip
            copy_rows(cur, CandidatePhoto, photos, [
                "id", "candidate_id", "image", "sha256", "width", "height", "byte_size",
                "profile_fingerprint", "created_at", "is_current",
            ])  # fmt: skip
            copy_rows(cur, Registration, regs, [
                "id", "exam_id", "candidate_id", "category_id", "site_id", "number", "status",
                "snapshot", "eligibility", "documents", "add_ons", "photo_sha256",
                "submit_token", "submitted_at",
            ])  # fmt: skip
            copy_rows(cur, Registration.educations.through, links, ["registration_id", "education_id"])  # fmt: skip
            copy_rows(cur, Draft, drafts, ["candidate_id", "exam_id", "category_id", "step", "data", "token", "updated_at"])  # fmt: skip
            print(f"  {stop:>9,} candidates  {time.perf_counter() - started:6.1f} s", flush=True)
        for c in capacities:
            if counters[c.pk] != c.last_number:
                SiteCapacity.objects.filter(pk=c.pk).update(last_number=counters[c.pk])
    with connection.cursor() as cur:
        # VACUUM as well: a database that has lived through days of sign-ups has been
        # vacuumed, so its visibility map lets counts be index-only. Straight after COPY
        # every row is a heap fetch that also sets hint bits: the seat count of submit took
        # 57 ms instead of ~1 ms in the first minute of the run.
        cur.execute("VACUUM (ANALYZE)" if connection.vendor == "postgresql" else "ANALYZE")
    elapsed = time.perf_counter() - started
    sample = rng.sample(range(registered), min(registered, 20_000))
    return {"candidates": n, "registered": registered, "pool": pool_out, "seconds": elapsed,
            "exam": exam.pk, "category": category.pk,
            "registered_usernames": [f"k{i:07d}" for i in sample]}  # fmt: skip


def pool_reset(info: dict) -> None:
    """Undo what a rush did to the pool: registrations, drafts and sign-ups (usernames n…)."""
    from django.db import transaction

    from yikao.accounts.models import User
    from yikao.core.models import AuditEntry
    from yikao.exams.models import Exam, ExamCategory
    from yikao.photos.models import CandidatePhoto
    from yikao.profiles.models import Education
    from yikao.registrations.models import Draft, Registration

    exam = Exam.objects.get(pk=info["exam"])
    category = ExamCategory.objects.get(exam=exam, category="clinical", level="physician")
    pool_ids = [e["candidate"] for kind in ("ps", "pw") for e in info["pool"][kind]]
    with transaction.atomic():
        regs = Registration.objects.filter(candidate_id__in=pool_ids)
        for through in ("educations", "trainings", "certificates"):
            getattr(Registration, through).through.objects.filter(registration__in=regs).delete()
        regs.delete()
        Draft.objects.filter(candidate_id__in=pool_ids).delete()
        Education.objects.filter(candidate_id__in=pool_ids).update(locked=False)
        # The pool's photos count as checked under the exam's photo rules of this checkout
        # (submit refuses a photo checked under other rules); a no-op once they match.
        fingerprint = exam.photo_profile().fingerprint()
        CandidatePhoto.objects.filter(candidate_id__in=pool_ids).exclude(
            profile_fingerprint=fingerprint
        ).update(profile_fingerprint=fingerprint)
        signups = User.objects.filter(username__startswith="n")
        AuditEntry.objects.filter(actor__in=signups).delete()
        Registration.objects.filter(candidate__user__in=signups).delete()
        signups.delete()
        now = datetime.datetime.now(datetime.UTC)
        drafts = []
        for entry in info["pool"]["ps"]:
            drafts.append(Draft(
                candidate_id=entry["candidate"], exam=exam, category=category, step=5,
                data={"military": "none", "educations": [entry["education"]], "trainings": [],
                      "certificates": [], "area": entry["area"], "site": entry["site"]},
                token=entry["token"], updated_at=now,
            ))  # fmt: skip
        Draft.objects.bulk_create(drafts, batch_size=5000)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=200_000)
    parser.add_argument("--provinces", default="41", help='directory provinces, or "all"')
    parser.add_argument("--out", default=str(ROOT / "var/bench/pool_yikao_rush.json"))
    args = parser.parse_args()
    setup_django()
    info = generate(args.candidates, provinces=args.provinces)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(info))
    print(f"{args.candidates:,} candidates in {info['seconds']:.0f} s -> {args.out}")


if __name__ == "__main__":
    main()
