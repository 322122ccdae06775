"""The seating staff pages in a browser at 375 px and 1280 px: the site page, a room form
with its errors, the session form, the 编排考场 confirmation and the page of a run; each fits
without sideways scrolling; the assignment is pressed through the page. Screenshots under
test-results/screenshots/ (seat-staff-*-phone.png, seat-staff-*-desktop.png)."""

import datetime

import pytest
from django.utils import timezone
from factories import make_exam, make_site
from payment_helpers import approve, fee_schedule
from review_helpers import make_registration, make_staff, staff_session_cookie

from yikao.payments import services as payments
from yikao.seating.models import AccessNeed, Part, Room, Run, Session

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _world():
    exam = make_exam()
    exam.payment_deadline = timezone.now() + datetime.timedelta(days=7)
    exam.save(update_fields=["payment_deadline"])
    site = make_site(exam, code="4101", capacity=300)
    fee_schedule(exam, site.area, skills=30000)
    regs = []
    for name in ("王小明", "欧阳娜娜", "李华", "张伟", "赵敏"):
        registration = approve(make_registration(exam, site, full_name=name))
        order = payments.order_open(
            candidate=registration.candidate, registration_pk=registration.pk
        )
        payments.settle(order_no=order.order_no, channel="counter", reference=f"PJ{registration.pk}",
                        amount_fen=order.amount_fen, paid_at=timezone.now(), source="counter")  # fmt: skip
        regs.append(registration)
    AccessNeed.objects.create(registration=regs[1], note="轮椅，需一层考场")
    Room.objects.create(site=site, code="001", name="一号楼101", place="1号楼1层",
                        capacity=3, columns=3, accessible_seats=[1])  # fmt: skip
    Room.objects.create(site=site, code="002", name="一号楼102 多媒体教室（机考）",
                        place="1号楼1层东侧走廊尽头", capacity=35, columns=6, is_active=False)  # fmt: skip
    day = timezone.localtime() + datetime.timedelta(days=10)
    start = day.replace(hour=9, minute=0, second=0, microsecond=0)
    Session.objects.create(
        exam=exam, site=site, part=Part.WRITTEN, number=1, label="医学综合", starts_at=start,
        ends_at=start.replace(hour=16, minute=30),
        units=[{"name": "第一单元", "starts_at": start.isoformat(),
                "ends_at": start.replace(hour=11, minute=30).isoformat()},
               {"name": "第二单元", "starts_at": start.replace(hour=14).isoformat(),
                "ends_at": start.replace(hour=16, minute=30).isoformat()}],
    )  # fmt: skip
    Session.objects.create(exam=exam, site=site, part=Part.SKILLS, number=1, label="第1天上午",
                           starts_at=start, ends_at=start.replace(hour=12))  # fmt: skip
    return exam, site, make_staff("kaodian4101", "site", site=site)


def _fits(page, width: int, name: str) -> None:
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{name}: the page scrolls sideways ({scroll}px > {width}px)"


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_seating_staff_pages(viewport, page, phone_page, shot, live_server):
    p = phone_page if viewport == "phone" else page
    width = 375 if viewport == "phone" else 1280
    exam, site, staff = _world()
    p.context.add_cookies(staff_session_cookie(staff, live_server.url))

    # The assignment, pressed through the confirmation page.
    p.goto(f"/seating/staff/site/{site.pk}/assign/written/?exam={exam.pk}")
    assert "确认编排" in p.content()
    _fits(p, width, "assign")
    shot(p, f"seat-staff-assign-{viewport}")
    p.get_by_role("button", name="确认编排").click()
    p.wait_for_url("**/seating/staff/runs/**")
    run = Run.objects.get()
    assert run.placed == 3 and len(run.unplaced) == 2
    assert "未能安排的考生" in p.content() and str(run.seed) in p.content()
    _fits(p, width, "run")
    shot(p, f"seat-staff-run-{viewport}")

    p.goto(f"/seating/staff/site/{site.pk}/?exam={exam.pk}")
    assert "欧阳娜娜" in p.content() and "第二单元 14:00-16:30" in p.content()
    _fits(p, width, "site")
    shot(p, f"seat-staff-site-{viewport}")

    p.goto(f"/seating/staff/site/{site.pk}/rooms/add/?exam={exam.pk}")
    p.locator("#id_code").fill("1")
    p.locator("#id_name").fill("二号楼201")
    p.locator("#id_capacity").fill("100")
    p.locator("#id_columns").fill("６")
    p.locator("#id_accessible_seats").fill("1,2,40")
    p.get_by_role("button", name="保存").click()
    assert "考场号应为三位数字" in p.content() and "座位数应为 1–99" in p.content()
    assert Room.objects.count() == 2
    _fits(p, width, "room form")
    shot(p, f"seat-staff-room-errors-{viewport}")

    p.goto(f"/seating/staff/site/{site.pk}/sessions/add/?exam={exam.pk}")
    _fits(p, width, "session form")
    shot(p, f"seat-staff-session-{viewport}")
