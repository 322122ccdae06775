"""The seating staff pages (issue 21): a site's rooms, sessions and access needs, the 编排考场
button and the page of a run. Scope across sites and provinces, bad input (nothing stored,
a Chinese message on the field), every change audited — through the real pages."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from factories import make_exam, make_site
from payment_helpers import approve, fee_schedule
from review_helpers import make_registration, make_staff, staff_login

from yikao.core.models import AuditEntry
from yikao.exams.models import ExamArea, ExamSite, SiteCapacity
from yikao.payments import services as payments
from yikao.registrations.models import Status
from yikao.seating.models import AccessNeed, Part, Room, Run, Seat, Session
from yikao.staff.models import Role

pytestmark = pytest.mark.django_db


def paid(exam, site, **fields):
    registration = approve(make_registration(exam, site, **fields))
    order = payments.order_open(candidate=registration.candidate, registration_pk=registration.pk)
    payments.settle(
        order_no=order.order_no, channel="counter", reference=f"PJ{registration.pk}",
        amount_fen=order.amount_fen, paid_at=timezone.now(), source="counter",
    )  # fmt: skip
    registration.refresh_from_db()
    assert registration.status == Status.PAID
    return registration


@pytest.fixture
def world():
    exam = make_exam()
    exam.payment_deadline = timezone.now() + datetime.timedelta(days=7)
    exam.save(update_fields=["payment_deadline"])
    site = make_site(exam, code="4101", capacity=300)
    near = make_site(exam, code="4102", capacity=300)  # same province (41)
    far_area = ExamArea.objects.create(code="42", name="湖北考区")
    far = ExamSite.objects.create(area=far_area, code="4201", name="武汉考点")
    SiteCapacity.objects.create(exam=exam, site=far, capacity=300)
    fee_schedule(exam, site.area, skills=30000)
    fee_schedule(exam, far_area, skills=30000)
    return {
        "exam": exam, "site": site, "near": near, "far": far,
        "site_staff": make_staff("zz_site", Role.SITE, site=site),
        "near_staff": make_staff("zz_near", Role.SITE, site=near),
        "area_staff": make_staff("henan", Role.AREA, area=site.area),
        "far_area_staff": make_staff("hubei", Role.AREA, area=far_area),
        "national": make_staff("nation", Role.NATIONAL),
    }  # fmt: skip


def login(client, user):
    return staff_login(client, user)


def site_url(w, site=None):
    return f"{reverse('seating:staff_site', args=[(site or w['site']).pk])}?exam={w['exam'].pk}"


def room_post(client, w, site=None, **data):
    body = {"code": "001", "name": "第一考场", "place": "1号楼3层", "capacity": "35",
            "columns": "6", "accessible_seats": "", **data}  # fmt: skip
    url = reverse("seating:staff_room_add", args=[(site or w["site"]).pk])
    return client.post(f"{url}?exam={w['exam'].pk}", body)


def make_room(site, code="001", capacity=35, **fields):
    return Room.objects.create(
        site=site, code=code, name=f"考场{code}", capacity=capacity, **fields
    )


def make_session(exam, site, part=Part.WRITTEN, number=1):
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=10)
    return Session.objects.create(exam=exam, site=site, part=part, number=number, label="上午",
                                  starts_at=start, ends_at=start + datetime.timedelta(hours=2))  # fmt: skip


# --- scope ------------------------------------------------------------------------------


def test_site_staff_land_on_their_site_and_never_see_another(client, world):
    login(client, world["site_staff"])
    response = client.get(reverse("seating:staff_sites"))
    assert response.status_code == 302 and response.url == site_url(world)
    assert client.get(site_url(world)).status_code == 200
    assert client.get(site_url(world, world["near"])).status_code == 404
    assert room_post(client, world, site=world["near"]).status_code == 404
    assert not Room.objects.exists()


def test_area_staff_choose_among_their_province_only(client, world):
    login(client, world["area_staff"])
    page = client.get(reverse("seating:staff_sites")).content.decode()
    assert "郑州考点" in page and "武汉考点" not in page
    assert client.get(site_url(world, world["near"])).status_code == 200
    assert client.get(site_url(world, world["far"])).status_code == 404
    far_room = make_room(world["far"])
    edit = reverse("seating:staff_room_edit", args=[far_room.pk])
    assert client.post(edit, {"code": "009"}).status_code == 404
    active = reverse("seating:staff_room_active", args=[far_room.pk])
    assert client.post(active, {"active": "0"}).status_code == 404
    far_room.refresh_from_db()
    assert far_room.code == "001" and far_room.is_active


def test_national_staff_reach_every_site(client, world):
    login(client, world["national"])
    page = client.get(reverse("seating:staff_sites")).content.decode()
    assert "武汉考点" in page and "郑州考点" in page
    assert client.get(site_url(world, world["far"])).status_code == 200


def test_candidates_and_anonymous_are_sent_to_the_staff_login(client, world):
    response = client.get(site_url(world))
    assert response.status_code == 302 and reverse("review:login") in response.url


# --- rooms ------------------------------------------------------------------------------


def test_a_room_typed_in_full_width_is_stored_and_audited(client, world):
    login(client, world["site_staff"])
    response = room_post(client, world, code="００７", capacity="３５", columns="６",
                         accessible_seats="1，2、３ 3")  # fmt: skip
    assert response.status_code == 302
    room = Room.objects.get()
    assert (room.code, room.capacity, room.columns, room.accessible_seats) == (
        "007",
        35,
        6,
        [1, 2, 3],
    )
    entry = AuditEntry.objects.get(action="seating.room_added")
    assert entry.actor_id == world["site_staff"].pk and entry.changes["capacity"]["new"] == 35
    assert "第一考场" in client.get(site_url(world)).content.decode()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("code", "1", "考场号应为三位数字"),
        ("code", "a01", "考场号应为三位数字"),
        ("code", "", "请填写考场号"),
        ("capacity", "0", "座位数应为 1–99 之间的整数"),
        ("capacity", "100", "座位数应为 1–99 之间的整数"),
        ("capacity", "三十", "座位数应为 1–99 之间的整数"),
        ("columns", "21", "每排座位数应为 1–20 之间的整数"),
        ("name", "", "请填写考场名称"),
        ("name", "长" * 41, "考场名称不超过 40 个字"),
        ("name", "长" * 500, "考场名称不超过 40 个字"),
        ("accessible_seats", "1,36", "无障碍座位号应在 1–35 之间"),
        ("accessible_seats", "1-3", "无障碍座位请填写座位号"),
        ("accessible_seats", "<script>", "无障碍座位请填写座位号"),
    ],
)
def test_bad_room_input_is_refused_on_its_field_and_nothing_stored(
    client, world, field, value, message
):
    login(client, world["site_staff"])
    response = room_post(client, world, **{field: value})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert (
        not Room.objects.exists()
        and not AuditEntry.objects.filter(action__startswith="seating.").exists()
    )


def test_a_room_code_is_unique_in_its_site_not_across_sites(client, world):
    make_room(world["site"], code="001")
    make_room(world["near"], code="002")
    login(client, world["site_staff"])
    assert "本考点已有这个考场号" in room_post(client, world, code="001").content.decode()
    assert room_post(client, world, code="002").status_code == 302


def test_editing_and_deactivating_a_room_are_audited(client, world):
    room = make_room(world["site"])
    login(client, world["site_staff"])
    edit = f"{reverse('seating:staff_room_edit', args=[room.pk])}?exam={world['exam'].pk}"
    assert client.get(edit).status_code == 200
    body = {"code": "001", "name": "改名考场", "place": "", "capacity": "40", "columns": "8",
            "accessible_seats": "40"}  # fmt: skip
    assert client.post(edit, body).status_code == 302
    room.refresh_from_db()
    assert (room.name, room.capacity, room.accessible_seats) == ("改名考场", 40, [40])
    changes = AuditEntry.objects.get(action="seating.room_changed").changes
    assert changes["capacity"] == {"old": 35, "new": 40}
    active = reverse("seating:staff_room_active", args=[room.pk])
    assert client.get(active).status_code == 405
    assert client.post(active, {"active": "0"}).status_code == 302
    room.refresh_from_db()
    assert not room.is_active
    assert AuditEntry.objects.filter(action="seating.room_active_changed").count() == 1


# --- sessions ---------------------------------------------------------------------------


def session_post(client, w, **data):
    body = {"part": "written", "number": "1", "label": "医学综合", "day": "2027-08-20",
            "starts": "09:00", "ends": "16:30",
            "units": "第一单元 09:00-11:30\n第二单元 14:00-16:30", **data}  # fmt: skip
    url = reverse("seating:staff_session_add", args=[w["site"].pk])
    return client.post(f"{url}?exam={w['exam'].pk}", body)


def test_a_session_with_units_is_stored_in_beijing_time_and_audited(client, world):
    login(client, world["site_staff"])
    assert session_post(client, world, number="０２", starts="０９：００").status_code == 302
    session = Session.objects.get()
    assert (session.number, session.part, session.exam_id) == (2, "written", world["exam"].pk)
    assert timezone.localtime(session.starts_at).strftime("%Y-%m-%d %H:%M") == "2027-08-20 09:00"
    assert [u["name"] for u in session.units] == ["第一单元", "第二单元"]
    assert AuditEntry.objects.filter(action="seating.session_added").count() == 1
    page = client.get(site_url(world)).content.decode()
    assert "第二单元 14:00-16:30" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"ends": "08:00"}, "结束时间应晚于开始时间"),
        ({"starts": "25:00"}, "开始时间请按“时:分”填写"),
        ({"number": "0"}, "场次号应为 1–99 之间的整数"),
        ({"number": "100"}, "场次号应为 1–99 之间的整数"),
        ({"label": ""}, "请填写场次名称"),
        ({"day": "2027-02-30"}, "请填写有效的日期"),
        ({"part": "oral"}, "请选择考试部分"),
        ({"units": "第一单元 11:30-09:00"}, "第 1 行的结束时间应晚于开始时间"),
        ({"units": "第一单元 上午"}, "第 1 行应为“单元名称 开始-结束”"),
        ({"part": "skills"}, "实践技能考试不分单元"),
    ],
)
def test_bad_session_input_is_refused_and_nothing_stored(client, world, data, message):
    login(client, world["site_staff"])
    response = session_post(client, world, **data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Session.objects.exists()


def test_a_session_number_is_unique_per_site_and_part(client, world):
    make_session(world["exam"], world["site"], number=1)
    login(client, world["site_staff"])
    assert "本考点该考试部分已有这个场次号" in session_post(client, world).content.decode()
    assert session_post(client, world, part="skills", units="").status_code == 302


def test_editing_a_session_of_another_province_is_404(client, world):
    session = make_session(world["exam"], world["far"])
    login(client, world["area_staff"])
    url = reverse("seating:staff_session_edit", args=[session.pk])
    assert client.get(url).status_code == 404
    login(client, world["far_area_staff"])
    assert client.get(url).status_code == 200


# --- access needs -----------------------------------------------------------------------


def access_post(client, w, number, note="轮椅"):
    url = reverse("seating:staff_access_add", args=[w["site"].pk])
    return client.post(f"{url}?exam={w['exam'].pk}", {"number": number, "note": note})


def test_marking_and_unmarking_an_access_need_is_audited(client, world):
    registration = paid(world["exam"], world["site"])
    login(client, world["site_staff"])
    full_width = registration.number.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert access_post(client, world, full_width).status_code == 302
    need = AccessNeed.objects.get(registration=registration)
    assert need.note == "轮椅" and need.recorded_by_id == world["site_staff"].pk
    assert AuditEntry.objects.filter(action="seating.access_marked").count() == 1
    assert registration.number in client.get(site_url(world)).content.decode()
    again = access_post(client, world, registration.number)
    assert again.status_code == 400 and "已标记需要无障碍座位" in again.content.decode()
    # another site's staff cannot remove it
    login(client, world["near_staff"])
    remove = reverse("seating:staff_access_remove", args=[need.pk])
    assert client.post(remove).status_code == 404
    login(client, world["site_staff"])
    assert client.post(remove).status_code == 302
    assert not AccessNeed.objects.exists()
    assert AuditEntry.objects.filter(action="seating.access_unmarked").count() == 1


def test_an_access_need_only_for_a_paid_registration_of_the_site(client, world):
    unpaid = approve(make_registration(world["exam"], world["site"]))
    elsewhere = paid(world["exam"], world["near"])
    login(client, world["site_staff"])
    response = access_post(client, world, unpaid.number)
    assert response.status_code == 400 and "尚未缴费" in response.content.decode()
    response = access_post(client, world, elsewhere.number)
    assert response.status_code == 400 and "没有这个报名号" in response.content.decode()
    response = access_post(client, world, "12ab")
    assert response.status_code == 400 and "报名号应为数字" in response.content.decode()
    response = access_post(client, world, unpaid.number + "0" * 40)
    assert response.status_code == 400
    assert not AccessNeed.objects.exists()


# --- the assignment button and the run page ----------------------------------------------


def test_the_button_seats_the_paid_candidates_and_shows_the_run(client, world):
    exam, site = world["exam"], world["site"]
    make_room(site, code="001", capacity=2)
    make_session(exam, site)
    first, second, third = (paid(exam, site) for _ in range(3))
    AccessNeed.objects.create(registration=third, note="轮椅")  # the room has no accessible seat
    login(client, world["site_staff"])
    confirm = f"{reverse('seating:staff_assign', args=[site.pk, 'written'])}?exam={exam.pk}"
    page = client.get(confirm).content.decode()
    assert "确认编排" in page and "已缴费考生" in page
    response = client.post(confirm)
    run = Run.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "seating:staff_run", args=[run.pk]
    )
    assert Seat.objects.filter(part="written").count() == 2
    page = client.get(response.url).content.decode()
    assert str(run.seed) in page
    assert third.number in page and "无可用的无障碍座位" in page
    assert AuditEntry.objects.filter(action="seating.assigned").count() == 1
    # another province's staff never see the run
    login(client, world["far_area_staff"])
    assert client.get(response.url).status_code == 404
    assert client.post(confirm).status_code == 404
    assert Run.objects.count() == 1
    del first, second


def test_the_button_without_rooms_says_why(client, world):
    paid(world["exam"], world["site"])
    login(client, world["site_staff"])
    url = reverse("seating:staff_assign", args=[world["site"].pk, "skills"])
    response = client.post(f"{url}?exam={world['exam'].pk}", follow=True)
    assert "请先为本考点设置考试场次和考场" in response.content.decode()
    assert not Run.objects.exists()


def test_an_unknown_part_is_404(client, world):
    login(client, world["site_staff"])
    url = reverse("seating:staff_assign", args=[world["site"].pk, "oral"])
    assert client.get(url).status_code == 404
