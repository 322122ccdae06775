"""Named reads of the back office. Every read starts from the staff member's scope, so
that a registration, a candidate or an audit row outside it is simply not in the query."""

import datetime
import re
from dataclasses import dataclass, field

from django.db.models import CharField, Count, Exists, OuterRef, Q, QuerySet
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, TruncDate
from django.http import Http404
from django.utils import timezone

from yikao.accounts.models import Candidate, User
from yikao.accounts.selectors import id_number_hash
from yikao.appointments.models import Booking
from yikao.core.masking import mask_id_number
from yikao.core.models import AuditEntry
from yikao.core.text import to_half_width
from yikao.directory.models import Institution
from yikao.documents.qrpayload import registration_from_qr
from yikao.exams.models import Exam, SiteCapacity
from yikao.photos.models import CandidatePhoto
from yikao.registrations.models import ACTIVE, Registration, Status
from yikao.review.history import describe
from yikao.review.models import Decision
from yikao.staff.models import Role, StaffScope

PAGE_SIZE = 50
YEAR = re.compile(r"[0-9]{4}")  # a registration number starts with its exam's year


def scope_q(scope: StaffScope, prefix: str = "") -> Q:
    """The filter that keeps a registration query inside the scope."""
    if scope.role == Role.SITE:
        return Q(**{f"{prefix}site_id": scope.site_id})
    if scope.role == Role.AREA:
        return Q(**{f"{prefix}site__area_id": scope.area_id})
    return Q()


REGISTRATION_TARGET = Registration._meta.label_lower  # AuditEntry.target_type of a registration
BOOKING_TARGET = "appointments.booking"  # of a collection booking (it belongs to a registration)


def registrations_in_scope(scope: StaffScope) -> QuerySet[Registration]:
    return Registration.objects.filter(scope_q(scope))


def candidate_in_reach(scope: StaffScope, candidate_id: int) -> bool:
    """Whether the staff member has power over the candidate (correct basic information,
    see the full ID number, reset the password, read the account's history): the candidate
    has an *active* registration in scope. A registration abandoned at a site leaves that
    site's staff the registration's own record, and nothing of the candidate who moved on.
    National staff reach every candidate."""
    if scope.role == Role.NATIONAL:
        return True
    return registrations_in_scope(scope).filter(ACTIVE, candidate_id=candidate_id).exists()


def candidate_for_staff(scope: StaffScope, registration: Registration) -> Candidate:
    """The registration's candidate when in reach (candidate_in_reach), else 404."""
    if not candidate_in_reach(scope, registration.candidate_id):
        raise Http404
    return registration.candidate


def history_q(scope: StaffScope, subject_user_id) -> Q:
    """The audit rows about a candidate (subject_user_id: a user id, or an OuterRef) that
    the scope may read: rows about one of the candidate's registrations in scope (and its
    collection booking); the candidate's other rows (account, profile entries, corrections,
    resets) only while the candidate has an active registration in scope. A candidate who
    abandoned at site A and registered at B leaves A's staff the rows of A's registration."""
    if scope.role == Role.NATIONAL:
        return Q()
    regs = registrations_in_scope(scope).filter(candidate__user_id=subject_user_id)
    own_registration = regs.annotate(key=Cast("pk", CharField())).filter(key=OuterRef("target_id"))
    own_booking = (
        Booking.objects.filter(scope_q(scope, "registration__"))
        .filter(candidate__user_id=subject_user_id)
        .annotate(key=Cast("pk", CharField()))
        .filter(key=OuterRef("target_id"))
    )
    about_registration = Q(target_type=REGISTRATION_TARGET)
    about_booking = Q(target_type=BOOKING_TARGET)
    return (
        (about_registration & Q(Exists(own_registration)))
        | (about_booking & Q(Exists(own_booking)))
        | (~about_registration & ~about_booking & Q(Exists(regs.filter(ACTIVE))))
    )


def registration_for_staff(scope: StaffScope, pk: int) -> Registration:
    """One registration in scope with what its page shows, else 404 (whoever's it is)."""
    registration = (
        registrations_in_scope(scope)
        .filter(pk=pk)
        .select_related("exam", "category", "site", "site__area", "candidate", "candidate__user")
        .first()
    )
    if registration is None:
        raise Http404
    return registration


def registration_photo(registration: Registration):
    """The photo submitted with the registration (by its hash), else the current one; an
    abandoned registration shows only its own (the current photo may be another site's)."""
    photos = CandidatePhoto.objects.filter(candidate_id=registration.candidate_id)
    if registration.photo_sha256:
        photo = photos.filter(sha256=registration.photo_sha256).first()
        if photo is not None:
            return photo
    if not registration.is_active:
        return None
    return photos.filter(is_current=True).first()


def registration_entries(registration: Registration) -> dict[str, list]:
    """The profile entries the registration used, with their verified marks now."""
    return {
        "educations": list(registration.educations.all()),
        "trainings": list(registration.trainings.all()),
        "certificates": list(registration.certificates.all()),
    }


def registration_history(
    scope: StaffScope, registration: Registration, *, limit: int = 100
) -> list[AuditEntry]:
    """The candidate's audit rows the scope may read (history_q, plus the staff member's
    own acts): submission, decisions, corrections, marks, resets."""
    user_id = registration.candidate.user_id
    return describe(
        list(
            AuditEntry.objects.filter(subject_id=user_id)
            .filter(history_q(scope, user_id) | Q(actor_id=scope.user_id))
            .select_related("actor")
            .order_by("-created_at", "-id")[:limit]
        )
    )


# --- The queue ------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueFilters:
    exam_id: int | None = None
    status: str = ""
    category: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    unit: str = ""
    verified: str = ""  # "yes": every education used is verified; "no": some is not
    q: str = ""

    def as_dict(self) -> dict:
        return {k: str(v) for k, v in self.__dict__.items() if v not in (None, "")}

    def for_audit(self) -> dict:
        """As as_dict, with a searched number masked: it may be an ID number."""
        values = self.as_dict()
        if any(ch.isdigit() for ch in self.q):  # masks any digits, "²" too
            values["q"] = mask_id_number(self.q)
        return values


# The queue's default status: what waits for this staff member's decision. A search term
# with it looks through every status (a 考点通过 registration is found by its name too);
# a status the user picks narrows the search.
PENDING = "pending"


def pending_statuses(scope: StaffScope) -> frozenset[str]:
    return Status.AWAITING_SITE if scope.role == Role.SITE else Status.AWAITING_AREA


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _has_digit(value: str) -> bool:
    # ASCII digits only: str.isdigit() also takes "²" and "𐩀", which int() refuses.
    return any("0" <= ch <= "9" for ch in value)


def _search(q: str) -> Q:
    """Exact registration number or ID number (through its hash); else a name prefix."""
    value = "".join(to_half_width(q).split()).upper()
    if _has_digit(value):
        # Both lookups first, as literal ids: an OR of a subquery and a column that no
        # index leads with made PostgreSQL walk the whole site (100 ms at 100,000 rows).
        compact = value.replace("(", "").replace(")", "")
        candidates = Candidate.objects.filter(id_number_hash=id_number_hash(compact))
        numbered = (
            # The number starts with the exam's year: (exam_id, number) is the index.
            Registration.objects.filter(exam__year=int(value[:4]), number=value)
            if YEAR.fullmatch(value[:4])
            else Registration.objects.none()
        )
        return Q(pk__in=list(numbered.values_list("pk", flat=True))) | Q(
            candidate_id__in=list(candidates.values_list("pk", flat=True))
        )
    name = q.strip()
    return Q(candidate__full_name__gte=name, candidate__full_name__lt=name + "\uffff")


def queue_queryset(scope: StaffScope, filters: QueueFilters) -> QuerySet[Registration]:
    """The filtered registrations in scope, newest first (shared by the list and export)."""
    qs = registrations_in_scope(scope)
    if filters.exam_id:
        qs = qs.filter(exam_id=filters.exam_id)
    if filters.status == PENDING:
        if not filters.q:
            qs = qs.filter(status__in=pending_statuses(scope))
    elif filters.status:
        qs = qs.filter(status=filters.status)
    else:
        qs = qs.filter(ACTIVE)
    if filters.category:
        qs = qs.filter(category__code=filters.category)
    if filters.date_from:
        qs = qs.filter(submitted_at__gte=_start_of(filters.date_from))
    if filters.date_to:
        qs = qs.filter(submitted_at__lt=_start_of(filters.date_to + datetime.timedelta(days=1)))
    if filters.unit:
        # A directory code (16 digits, or U and 10 hex digits when hand-entered) is exact,
        # through the index registrations_work_unit; a name stays a substring test, run
        # on the rows the other filters leave (no index serves it).
        code = filters.unit.upper()
        if len(code) >= 8 and code.isascii() and code.isalnum():
            qs = qs.filter(snapshot__work__work_unit_code=code)
        else:
            qs = qs.filter(snapshot__work__work_unit_name__icontains=filters.unit)
    if filters.verified:
        unverified = Registration.educations.through.objects.filter(
            registration_id=OuterRef("pk"), education__verified=False
        )
        qs = (
            qs.filter(Exists(unverified))
            if filters.verified == "no"
            else qs.exclude(Exists(unverified))
        )
    if filters.q:
        qs = qs.filter(_search(filters.q))
    return qs.order_by("-id")


@dataclass
class QueuePage:
    rows: list[Registration]
    next_after: int | None
    filters: QueueFilters = field(default_factory=QueueFilters)


def queue_page(
    scope: StaffScope, filters: QueueFilters, *, after: int | None = None, size: int = PAGE_SIZE
) -> QueuePage:
    """One page, keyset-paged on the id: page 2,000 costs what page 1 costs."""
    qs = queue_queryset(scope, filters)
    if after:
        qs = qs.filter(pk__lt=after)
    rows = list(
        qs.select_related("candidate", "category", "site")
        .annotate(unit=KT("snapshot__work__work_unit_name"))
        .only(
            "id", "number", "status", "status_reason", "submitted_at", "candidate__full_name",
            "candidate__id_number", "category__code", "category__label", "site__name",
        )[: size + 1]
    )  # fmt: skip
    next_after = rows[size - 1].pk if len(rows) > size else None
    return QueuePage(rows=rows[:size], next_after=next_after, filters=filters)


def exams_for_filter() -> list[Exam]:
    return list(Exam.objects.only("id", "name", "year").order_by("-year", "code")[:20])


# --- Dashboard ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SiteSeatsRow:
    site_name: str
    capacity: int
    taken: int

    @property
    def left(self) -> int:
        return max(self.capacity - self.taken, 0)


def dashboard(scope: StaffScope, exam: Exam | None, *, days: int = 30) -> dict:
    regs = registrations_in_scope(scope)
    if exam is not None:
        regs = regs.filter(exam=exam)
    labels = dict(Status.choices)
    by_status = [
        (labels.get(row["status"], row["status"]), row["status"], row["n"])
        for row in regs.values("status").annotate(n=Count("id")).order_by("status")
    ]
    by_category = list(
        regs.filter(ACTIVE)
        .values("category__code", "category__label")
        .annotate(n=Count("id"))
        .order_by("category__code")
    )
    since = timezone.now() - datetime.timedelta(days=days)
    by_day = list(
        regs.filter(submitted_at__gte=since)
        .annotate(day=TruncDate("submitted_at"))
        .values("day")
        .annotate(n=Count("id"))
        .order_by("day")
    )
    seats = []
    if exam is not None:
        capacities = (
            SiteCapacity.objects.filter(exam=exam)
            .filter(scope_q(scope))
            .select_related("site")
            .order_by("site__code")
        )
        if scope.role == Role.NATIONAL:
            capacities = capacities[:400]  # ordered above: a slice cannot be reordered
        taken = dict(
            regs.filter(ACTIVE)
            .values("site_id")
            .annotate(n=Count("id"))
            .values_list("site_id", "n")
        )
        seats = [SiteSeatsRow(c.site.name, c.capacity, taken.get(c.site_id, 0)) for c in capacities]
    decisions = Decision.objects.filter(scope_q(scope, "registration__"), created_at__gte=since)
    if exam is not None:
        decisions = decisions.filter(registration__exam=exam)
    throughput = list(
        decisions.annotate(day=TruncDate("created_at"))
        .values("day", "action")
        .annotate(n=Count("id"))
        .order_by("day", "action")
    )
    return {
        "by_status": by_status,
        "total": sum(n for _, _, n in by_status),
        "by_category": by_category,
        "by_day": by_day,
        "seats": seats,
        "throughput": throughput,
    }


# --- Audit log ---------------------------------------------------------------------------------


# Year, site code, sequence (registrations.services): 16 digits, 17 past a million seats.
REGISTRATION_NUMBER = re.compile(r"[0-9]{16,17}")


@dataclass(frozen=True)
class AuditFilters:
    staff: str = ""
    candidate: str = ""  # ID number or registration number, exact
    action: str = ""  # a dotted code or its prefix ("registration.")
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None

    def as_dict(self) -> dict:
        return {k: str(v) for k, v in self.__dict__.items() if v not in (None, "")}


def audit_page(
    scope: StaffScope, filters: AuditFilters, *, after: int | None = None, size: int = PAGE_SIZE
) -> tuple[list[AuditEntry], int | None]:
    """Audit rows about candidates in scope (and the staff member's own acts), newest first."""
    qs = AuditEntry.objects.all()
    if scope.role != Role.NATIONAL:
        # A candidate in scope may also have registered elsewhere (another year, another
        # site, or after abandoning here): rows about those registrations belong to the
        # other site's staff (history_q).
        qs = qs.filter(history_q(scope, OuterRef("subject_id")) | Q(actor_id=scope.user_id))
    if filters.staff:
        qs = qs.filter(actor__in=User.objects.with_username(filters.staff).values("pk"))
    if filters.candidate:
        value = "".join(to_half_width(filters.candidate).split()).upper()
        by_id = Candidate.objects.filter(id_number_hash=id_number_hash(value)).values("user_id")
        found = Q(subject_id__in=by_id)
        # Only a value shaped as a registration number is compared in clear: an ID number
        # is looked up through its hash alone, so it never reaches a query's parameters.
        if REGISTRATION_NUMBER.fullmatch(value):
            by_number = Registration.objects.filter(exam__year=int(value[:4]), number=value).values(
                "candidate__user_id"
            )  # the year leads to the (exam_id, number) index
            found |= Q(subject_id__in=by_number)
        qs = qs.filter(found)
    if filters.action:
        qs = qs.filter(action__gte=filters.action, action__lt=filters.action + "\uffff")
    if filters.date_from:
        qs = qs.filter(created_at__gte=_start_of(filters.date_from))
    if filters.date_to:
        qs = qs.filter(created_at__lt=_start_of(filters.date_to + datetime.timedelta(days=1)))
    if after:
        qs = qs.filter(pk__lt=after)
    rows = describe(list(qs.select_related("actor", "subject").order_by("-id")[: size + 1]))
    return rows[:size], (rows[size - 1].pk if len(rows) > size else None)


# --- Work units entered by hand -----------------------------------------------------------------


def units_in_scope(scope: StaffScope) -> QuerySet[Institution]:
    """Hand-entered (unverified) work units; area staff see their province's only."""
    qs = Institution.objects.filter(verified=False)
    if scope.role == Role.AREA:
        province = int(scope.area.code)
        return qs.filter(area__gte=province * 10000, area__lt=(province + 1) * 10000)
    if scope.role == Role.NATIONAL:
        return qs
    return qs.none()


def unit_for_staff(scope: StaffScope, pk: int) -> Institution:
    unit = units_in_scope(scope).filter(pk=pk).first()
    if unit is None:
        raise Http404
    return unit


def units_page(
    scope: StaffScope, *, after: int | None = None, size: int = PAGE_SIZE
) -> tuple[list[Institution], int | None]:
    qs = units_in_scope(scope)
    if after:
        qs = qs.filter(pk__lt=after)
    rows = list(qs.order_by("-id")[: size + 1])
    return rows[:size], (rows[size - 1].pk if len(rows) > size else None)


def registration_id_from_qr(signed: str) -> int | None:
    """The registration id a printed form's QR code carries, or None if it is not ours."""
    try:
        return int(registration_from_qr(signed))
    except ValueError:  # InvalidQRCode: forged or damaged, just "not found"
        return None
