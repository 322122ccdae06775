"""The door check through its real page and its API on the real database: a pass, the wrong
room, the wrong session, another site's ticket, a forged code, an unknown number, a repeat,
bad input, the staff scope — and the page and the API agreeing case by case."""

import html
import json
import re

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from door_helpers import build_door_world
from review_helpers import staff_login

from yikao.seating.models import CheckIn
from yikao.seating.ticket_code import TicketClaim, claim_of, sign_claim, ticket_code

pytestmark = pytest.mark.django_db
API = "/api/v1/door/check"


@pytest.fixture(autouse=True)
def _ticket_key(tmp_path, monkeypatch):
    monkeypatch.setenv("YIKAO_TICKET_KEY", str(tmp_path / "tickets" / "ed25519.pem"))


@pytest.fixture
def w():
    return build_door_world()


def at_door(w, session, room, user=None):
    client = staff_login(Client(), user or w.staff)
    response = client.post(
        reverse("seating:door_choose"),
        {"site": session.site_id, "session": session.pk, "room": room.pk},
    )
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def page_check(client, code):
    response = client.post(reverse("seating:door_check"), {"code": code})
    text = response.content.decode()
    outcome = re.search(r'data-outcome="(\w+)"', text)
    message = re.search(r'data-message="(.*?)"', text)
    return (
        response,
        text,
        (
            outcome.group(1) if outcome else None,
            html.unescape(message.group(1)) if message else None,
        ),
    )


def api_check(client, session, room, code):
    response = client.post(
        API, json.dumps({"session_id": session.pk, "room_id": room.pk, "code": code}),
        content_type="application/json",
    )  # fmt: skip
    return response


def test_a_ticket_at_its_own_door_passes_and_is_recorded(w):
    client = at_door(w, w.morning, w.room1)
    page = client.get(reverse("seating:door"))
    assert "001 考场" in page.content.decode() and "已核验 <strong>0</strong> / 应到 1" in (
        page.content.decode()
    )
    response, text, (outcome, message) = page_check(client, w.seat1.ticket_no)
    assert response.status_code == 200
    assert (outcome, message) == ("ok", "核验通过")
    assert "王小明" in text and w.seat1.ticket_no in text and "001 考场 3 号" in text
    assert "已核验 <strong>1</strong> / 应到 1" in text
    check = CheckIn.objects.get()
    assert (check.seat, check.room, check.session, check.outcome, check.checked_by) == (
        w.seat1, w.room1, w.morning, "ok", w.staff,
    )  # fmt: skip
    photo = reverse("seating:door_photo", args=[w.seat1.pk])
    assert photo in text
    got = client.get(photo)
    assert got.status_code == 200 and got["Content-Type"] == "image/jpeg"


def test_the_wrong_room_says_where_to_go(w):
    client = at_door(w, w.morning, w.room1)
    _, text, result = page_check(client, w.seat2.ticket_no)
    assert result == ("wrong_room", "考场不符（应在 002 考场 5 号座位）")
    assert "李华" in text
    assert CheckIn.objects.get().outcome == "wrong_room"
    assert "已核验 <strong>0</strong> / 应到 1" in text


def test_the_wrong_session_says_when(w):
    client = at_door(w, w.morning, w.room1)
    _, _, (outcome, message) = page_check(client, w.seat_pm.ticket_no)
    start = timezone.localtime(w.afternoon.starts_at)
    assert outcome == "wrong_session"
    assert message == f"场次不符（应于 {start.month}月{start.day}日 {start:%H:%M} 次日场 参加）"
    assert CheckIn.objects.get().outcome == "wrong_session"


def test_another_sites_ticket_shows_nothing_of_its_candidate(w):
    client = at_door(w, w.morning, w.room1)
    _, text, result = page_check(client, w.seat_other.ticket_no)
    assert result == ("other_site", "不是本考点的准考证")
    assert "乙保密" not in text and "实验楼" not in text
    assert not CheckIn.objects.exists()


def test_a_genuine_qr_code_passes_and_a_forged_one_is_red(w):
    client = at_door(w, w.morning, w.room1)
    assert page_check(client, ticket_code(w.seat1))[2] == ("ok", "核验通过")
    forged = sign_claim(claim_of(w.seat1), Ed25519PrivateKey.generate())
    genuine = ticket_code(w.seat1)
    altered = genuine[:-3] + ("AAA" if not genuine.endswith("AAA") else "BBB")
    for code in (forged, altered, "YK1.abc.def", "https://example.com/x", "<script>x</script>"):
        _, text, result = page_check(client, code)
        assert result == ("forged", "伪造或无效的准考证"), code
        assert "door-bad" in text and "王小明" not in text
    assert CheckIn.objects.count() == 1


def test_a_genuine_code_of_a_seat_given_to_someone_else_is_stale(w):
    client = at_door(w, w.morning, w.room1)
    claim = claim_of(w.seat1)
    moved = TicketClaim(**{**claim.__dict__, "registration_id": w.seat2.registration_id})
    from yikao.seating.ticket_code import private_key

    _, text, (outcome, _) = page_check(client, sign_claim(moved, private_key()))
    assert outcome == "stale" and "王小明" not in text
    assert not CheckIn.objects.exists()


def test_an_unknown_number(w):
    client = at_door(w, w.morning, w.room1)
    _, _, result = page_check(client, "202741010020109999")
    assert result == ("unknown", "查无此准考证号")
    assert not CheckIn.objects.exists()


def test_a_second_check_says_when_the_first_was(w):
    client = at_door(w, w.morning, w.room1)
    page_check(client, w.seat1.ticket_no)
    first = CheckIn.objects.get()
    _, text, (outcome, message) = page_check(client, w.seat1.ticket_no)
    assert outcome == "ok"
    assert message == f"已于 {timezone.localtime(first.checked_at):%H:%M} 核验"
    assert "door-warn" in text  # amber: someone may be passing a ticket along
    assert CheckIn.objects.count() == 2
    assert "已核验 <strong>1</strong> / 应到 1" in text
    answer = api_check(client, w.morning, w.room1, w.seat1.ticket_no).json()
    assert answer["checked_before_at"] is not None and answer["checked"] == 1


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("", "请输入准考证号或扫描准考证上的二维码。"),
        ("   ", "请输入准考证号或扫描准考证上的二维码。"),
        ("20274101002010", "准考证号为 18 位数字，这里是 14 位。"),
        ("2" * 40, "准考证号为 18 位数字，这里是 40 位。"),
        ("x" * 1001, "内容过长，不是准考证号或准考证二维码。"),
    ],
)
def test_bad_input_is_said_next_to_the_field_and_nothing_is_stored(w, typed, said):
    client = at_door(w, w.morning, w.room1)
    response, text, (outcome, _) = page_check(client, typed)
    assert response.status_code == 400 and outcome is None
    assert said in html.unescape(text)
    assert not CheckIn.objects.exists()
    fetched = client.post(
        reverse("seating:door_check"), {"code": typed}, headers={"X-Door-Fetch": "1"}
    )
    assert fetched.status_code == 400 and said in html.unescape(fetched.content.decode())
    assert "<html" not in fetched.content.decode()


def test_full_width_and_spaced_numbers_are_read(w):
    client = at_door(w, w.morning, w.room1)
    number = w.seat1.ticket_no
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in number)
    assert page_check(client, full_width)[2][0] == "ok"
    assert page_check(client, f" {number[:6]} {number[6:12]} {number[12:]} ")[2][0] == "ok"


def test_the_fetch_answer_is_a_fragment(w):
    client = at_door(w, w.morning, w.room1)
    response = client.post(
        reverse("seating:door_check"), {"code": w.seat2.ticket_no}, headers={"X-Door-Fetch": "1"}
    )
    text = response.content.decode()
    assert response.status_code == 200 and "<html" not in text
    assert 'id="door-count"' in text and 'data-outcome="wrong_room"' in text


def test_the_page_and_the_api_agree_case_by_case(w):
    client = at_door(w, w.morning, w.room1)
    forged = sign_claim(claim_of(w.seat1), Ed25519PrivateKey.generate())
    codes = [w.seat1.ticket_no, ticket_code(w.seat1), w.seat2.ticket_no, w.seat_pm.ticket_no,
             w.seat_other.ticket_no, forged, "202741010020109999"]  # fmt: skip
    for code in codes:
        with transaction.atomic():
            _, _, from_page = page_check(client, code)
            transaction.set_rollback(True)
        with transaction.atomic():
            answer = api_check(client, w.morning, w.room1, code)
            transaction.set_rollback(True)
        assert answer.status_code == 200
        assert (answer.json()["outcome"], answer.json()["message"]) == from_page, code
    body = api_check(client, w.morning, w.room1, w.seat2.ticket_no).json()
    assert body == {
        "outcome": "wrong_room", "message": "考场不符（应在 002 考场 5 号座位）",
        "ticket_no": w.seat2.ticket_no, "name": "李华", "room": "002 考场", "seat": 5,
        "photo_url": None, "checked_before_at": None, "checked": 0, "expected": 1,
    }  # fmt: skip
    ok = api_check(client, w.morning, w.room1, w.seat1.ticket_no).json()
    assert ok["photo_url"] == reverse("seating:door_photo", args=[w.seat1.pk])
    assert api_check(client, w.morning, w.room1, "").status_code == 400
    assert not CheckIn.objects.filter(seat=w.seat_other).exists()


def test_the_api_is_for_staff_only(w):
    from factories import make_candidate

    body = json.dumps({"session_id": w.morning.pk, "room_id": w.room1.pk,
                       "code": w.seat1.ticket_no})  # fmt: skip
    anonymous = Client().post(API, body, content_type="application/json")
    assert anonymous.status_code == 401
    candidate = make_candidate()
    client = Client()
    client.force_login(candidate.user, backend="yikao.accounts.backends.UsernameOrIdNumberBackend")
    assert client.post(API, body, content_type="application/json").status_code == 403
    # A staff login without its one-time code is not a staff login yet.
    unverified = Client()
    unverified.force_login(w.staff, backend="yikao.accounts.backends.UsernameOrIdNumberBackend")
    assert unverified.post(API, body, content_type="application/json").status_code == 403
    wrong = {"session_id": "一", "room_id": w.room1.pk, "code": 5}
    staff = staff_login(Client(), w.staff)
    assert staff.post(API, json.dumps(wrong), content_type="application/json").status_code == 422
    assert not CheckIn.objects.exists()


def test_scope_other_sites_staff_get_404_and_area_staff_choose_a_site(w):
    other = staff_login(Client(), w.other_staff)
    assert api_check(other, w.morning, w.room1, w.seat1.ticket_no).status_code == 404
    # A session of one site with a room of another: no such door.
    area = staff_login(Client(), w.area_staff)
    assert api_check(area, w.morning, w.other_room, w.seat1.ticket_no).status_code == 404
    assert other.get(reverse("seating:door_photo", args=[w.seat1.pk])).status_code == 404
    refused = other.post(
        reverse("seating:door_choose"),
        {"site": w.site.pk, "session": w.morning.pk, "room": w.room1.pk},
    )
    assert refused.status_code == 404
    # Its own site's form does not take another site's session.
    mixed = other.post(
        reverse("seating:door_choose"),
        {"site": w.other_site.pk, "session": w.morning.pk, "room": w.other_room.pk},
    )
    assert mixed.status_code == 400 and "请从列表中选择考试场次。" in mixed.content.decode()
    assert "王小明" not in other.get(reverse("seating:door")).content.decode()
    assert not CheckIn.objects.exists()
    # Area staff first pick a site, then its doors.
    first = area.get(reverse("seating:door")).content.decode()
    assert "4101" in first and "4102" in first and 'name="site"' in first
    assert "上午场" in area.get(reverse("seating:door"), {"site": w.site.pk}).content.decode()
    assert area.get(reverse("seating:door"), {"site": "99999"}).status_code == 404
    assert area.get(reverse("seating:door"), {"site": "１"}).status_code == 404
    at_door(w, w.other_session, w.other_room, user=w.area_staff)
    assert at_door(w, w.morning, w.room1, user=w.area_staff)


def test_without_a_chosen_door_the_check_goes_back_to_the_choice(w):
    client = staff_login(Client(), w.staff)
    response = client.post(reverse("seating:door_check"), {"code": w.seat1.ticket_no})
    assert response.status_code == 302 and response["Location"] == reverse("seating:door")
    fetched = client.post(
        reverse("seating:door_check"), {"code": w.seat1.ticket_no}, headers={"X-Door-Fetch": "1"}
    )
    assert fetched.status_code == 409 and "重新选择" in fetched.content.decode()
    assert not CheckIn.objects.exists()
    # A candidate is sent to the staff login.
    assert Client().get(reverse("seating:door")).status_code == 302
