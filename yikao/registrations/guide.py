"""The one next step that applies to a candidate now, for 首页 and 考试报名.

In order: a returned registration to redo, a draft to continue, a review-passed
registration to book the on-site collection for, a submitted one waiting for review (print
the forms meanwhile), personal information to complete, else start a registration.
"""

from dataclasses import dataclass

from django.urls import reverse

from yikao.accounts.models import Candidate
from yikao.profiles.models import Education
from yikao.profiles.selectors import profile_of
from yikao.registrations import wizard
from yikao.registrations.models import ACTIVE, Registration, Status

CANCELLED_BOOKING = "cancelled"  # appointments.BookingStatus.CANCELLED (no import: no cycle)


@dataclass(frozen=True)
class NextStep:
    key: str
    text: str
    action: str
    url: str


def next_step(
    candidate: Candidate, *, registrations: list[Registration] | None = None, drafts=None
) -> NextStep:
    """Pass the candidate's registrations (newest first) and drafts when already read (the
    考试报名 page has them): no query then, but for the states that need one."""
    if registrations is None:
        registrations = list(
            Registration.objects.filter(ACTIVE, candidate=candidate)
            .select_related("category", "exam")
            .order_by("-submitted_at")
        )
    registrations = [r for r in registrations if r.status != Status.ABANDONED]
    returned = next((r for r in registrations if r.status == Status.RETURNED), None)
    if returned is not None:
        why = returned.status_reason.rstrip("。.；; ")
        reason = f"：{why}" if why else ""
        return NextStep(
            "returned",
            f"您的“{returned.category.label}”报名被退回{reason}。请按退回原因修改个人信息，再放弃并重新报名。",
            "查看并重新报名",
            reverse("registrations:index"),
        )
    if drafts is None:
        drafts = candidate.drafts.select_related("category", "exam").order_by("-updated_at")[:1]
    draft = next(iter(drafts), None)
    if draft is not None:
        if not hasattr(draft, "resume"):  # the 考试报名 page has worked it out already
            steps = wizard.steps_for(draft)
            draft.resume = wizard.resume_step(draft, steps)
            draft.resume_position = wizard.position(steps, draft.resume)
        resume = draft.resume
        return NextStep(
            "draft",
            f"您有未完成的“{draft.category.label}”报名，"
            f"已填到第{draft.resume_position}步（{resume.title}）。",
            "继续填写",
            reverse(
                "registrations:step", kwargs={"exam_id": draft.exam_id, "number": resume.number}
            ),
        )
    for registration in registrations:
        if registration.status in Status.BOOKABLE:
            booked = registration.collection_bookings.exclude(status=CANCELLED_BOOKING).exists()
            if not booked:
                return NextStep(
                    "book",
                    f"“{registration.category.label}”报名已通过考点审核，请预约现场信息采集时间。",
                    "预约信息采集",
                    reverse("appointments:book", args=[registration.pk]),
                )
            return NextStep(
                "booked",
                f"“{registration.category.label}”报名已通过审核并已预约信息采集，请按预约时间携带材料到考点。",
                "查看报名和预约",
                reverse("registrations:index"),
            )
    if registrations:
        registration = registrations[0]
        return NextStep(
            "waiting",
            f"“{registration.category.label}”报名已提交（报名号 {registration.number}），等待考点审核。"
            "请打印报名材料，按考点安排参加现场审核。",
            "打印报名材料",
            reverse("registrations:index"),
        )
    profile = profile_of(candidate)
    if profile.submitted_at is None or not Education.objects.filter(candidate=candidate).exists():
        return NextStep(
            "profile",
            "报名前请先完善个人信息：工作情况、教育经历等将用于判断报考资格并自动填入报名表。",
            "完善个人信息",
            reverse("profiles:index"),
        )
    return NextStep(
        "register",
        "个人信息已填写，可以开始考试报名。",
        "开始报名",
        reverse("registrations:choose"),
    )
