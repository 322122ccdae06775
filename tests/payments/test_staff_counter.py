"""考点现场缴费 through the staff pages: lookup by 报名号 within the scope, the amount owed,
the 票据号 recorded once, the registration 已缴费; other sites and provinces are 404."""

import pytest
from django.test import Client
from payment_staff_helpers import make_world, staff_client

from yikao.core.models import AuditEntry
from yikao.payments.models import Channel, Order, OrderStatus, Payment, Refund, Source
from yikao.registrations.models import Status

pytestmark = pytest.mark.django_db

URL = "/payments/staff/counter/"


@pytest.fixture
def world(pay_exam, pay_site):
    return make_world(pay_exam, pay_site)


def pay_url(registration):
    return f"{URL}{registration.pk}/pay/"


def test_site_staff_find_their_registration_with_masked_id_and_amount(world):
    client, _ = staff_client(Client, "site_a", "site", site=world.site_a)
    page = client.get(URL, {"number": world.reg_a.number})
    text = page.content.decode()
    assert page.status_code == 200
    assert world.reg_a.candidate.full_name in text
    id_number = world.reg_a.candidate.id_number
    assert id_number not in text and world.reg_a.candidate.masked_id_number in text
    assert "540.00" in text and "登记缴费 540.00 元" in text
    order = Order.objects.get(registration=world.reg_a)
    assert order.amount_fen == 54000 and order.status == OrderStatus.PENDING


@pytest.mark.parametrize(
    ("who", "where", "other"),
    [
        ("site", "site_a", "reg_b"),  # site A cannot see site B of the same province
        ("site", "site_a", "reg_c"),
        ("area", "area41", "reg_c"),  # 河南 cannot see 湖北
    ],
)
def test_outside_the_scope_is_404_for_lookup_and_record(world, who, where, other):
    place = {"site_a": {"site": world.site_a}, "area41": {"area": world.site_a.area}}[where]
    client, _ = staff_client(Client, f"{who}_{where}", who, **place)
    target = getattr(world, other)
    found = client.get(URL, {"number": target.number})
    assert found.status_code == 404
    assert "在您的管理范围内没有这个报名号" in found.content.decode()
    recorded = client.post(pay_url(target), {"receipt_no": "R-1"})
    assert recorded.status_code == 404
    target.refresh_from_db()
    assert target.status == Status.APPROVED
    assert not Order.objects.filter(registration=target).exists()
    assert not Payment.objects.exists()


def test_area_and_national_reach_their_sites(world):
    area, _ = staff_client(Client, "henan", "area", area=world.site_a.area)
    assert area.get(URL, {"number": world.reg_b.number}).status_code == 200
    national, _ = staff_client(Client, "nation", "national")
    assert national.get(URL, {"number": world.reg_c.number}).status_code == 200


def test_counter_payment_pays_and_a_second_use_of_the_receipt_is_refused(world):
    client, user = staff_client(Client, "site_a", "site", site=world.site_a)
    # Full-width digits and letters, lower case, spaces: one receipt "AB-2027-0001".
    done = client.post(
        pay_url(world.reg_a), {"receipt_no": " ａｂ－２０２７－０００１ "}, follow=True
    )
    text = done.content.decode()
    assert "已登记缴费" in text and "AB-2027-0001" in text
    world.reg_a.refresh_from_db()
    assert world.reg_a.status == Status.PAID
    payment = Payment.objects.get()
    assert (payment.channel, payment.reference, payment.amount_fen, payment.source) == (
        Channel.COUNTER, "AB-2027-0001", 54000, Source.COUNTER
    )  # fmt: skip
    assert payment.recorded_by == user
    order = Order.objects.get(registration=world.reg_a)
    assert order.status == OrderStatus.PAID and order.trade_no == "AB-2027-0001"
    assert AuditEntry.objects.filter(action="payment.paid", actor=user).count() == 1

    # The same receipt again, for another registration of the site: refused, nothing stored.
    area, _ = staff_client(Client, "henan", "area", area=world.site_a.area)
    again = area.post(pay_url(world.reg_b), {"receipt_no": "ab-2027-0001"})
    assert again.status_code == 200
    assert "该票据号已登记" in again.content.decode()
    world.reg_b.refresh_from_db()
    assert world.reg_b.status == Status.APPROVED
    assert Payment.objects.count() == 1 and not Refund.objects.exists()


def test_a_second_receipt_for_a_paid_order_becomes_a_refund(world):
    client, _ = staff_client(Client, "site_a", "site", site=world.site_a)
    client.post(pay_url(world.reg_a), {"receipt_no": "R-1"})
    # Another window still showed the form: a second receipt for the same order.
    shown = client.post(pay_url(world.reg_a), {"receipt_no": "R-2"}, follow=True)
    assert "已记为待退款" in shown.content.decode()
    refund = Refund.objects.get()
    assert refund.payment.reference == "R-2" and refund.amount_fen == 54000
    assert Order.objects.get(registration=world.reg_a).status == OrderStatus.PAID


@pytest.mark.parametrize(
    ("receipt", "message"),
    [
        ("", "请输入票据号。"),
        ("   ", "请输入票据号。"),
        ("A" * 33, "票据号为 1–32 位字母、数字或“-”。"),
        ("A" * 65, "票据号不超过 32 个字符。"),
        ("票据１", "票据号为 1–32 位字母、数字或“-”。"),
        ("<script>alert(1)</script>", "票据号为 1–32 位字母、数字或“-”。"),
        ("R 1; DROP TABLE", "票据号为 1–32 位字母、数字或“-”。"),
    ],
)
def test_bad_receipt_numbers_get_a_message_and_store_nothing(world, receipt, message):
    client, _ = staff_client(Client, "site_a", "site", site=world.site_a)
    page = client.post(pay_url(world.reg_a), {"receipt_no": receipt})
    assert page.status_code == 200
    assert message in page.content.decode()
    assert "<script>alert(1)</script>" not in page.content.decode()
    assert not Payment.objects.exists()
    world.reg_a.refresh_from_db()
    assert world.reg_a.status == Status.APPROVED


@pytest.mark.parametrize("number", ["", "abc", "1" * 21, "²", "<b>1</b>", "1 2"])
def test_bad_lookups_get_a_message(world, number):
    client, _ = staff_client(Client, "site_a", "site", site=world.site_a)
    page = client.get(URL, {"number": number})
    assert page.status_code in (200, 404)
    text = page.content.decode()
    assert "报名号" in text and "<b>1</b>" not in text
    if number == "1 2":  # spaces are dropped: a well-formed number, not in the scope
        assert "在您的管理范围内没有这个报名号" in text


def test_full_width_registration_number_is_found(world):
    client, _ = staff_client(Client, "site_a", "site", site=world.site_a)
    full_width = world.reg_a.number.translate({ord(d): ord(d) + 0xFEE0 for d in "0123456789"})
    assert client.get(URL, {"number": full_width}).status_code == 200


def test_a_registration_not_yet_approved_cannot_be_paid(world, pay_exam):
    from review_helpers import make_registration

    submitted = make_registration(pay_exam, world.site_a)
    client, _ = staff_client(Client, "site_a", "site", site=world.site_a)
    page = client.get(URL, {"number": submitted.number})
    assert "审核通过后才能缴费" in page.content.decode()
    refused = client.post(pay_url(submitted), {"receipt_no": "R-9"})
    assert "审核通过后才能缴费" in refused.content.decode()
    assert (
        not Payment.objects.exists() and not Order.objects.filter(registration=submitted).exists()
    )


def test_candidates_and_anonymous_users_do_not_reach_the_counter(world):
    anonymous = Client().get(URL)
    assert anonymous.status_code == 302 and "/review/login/" in anonymous["Location"]
    candidate = Client()
    candidate.force_login(world.reg_a.candidate.user)
    assert candidate.post(pay_url(world.reg_a), {"receipt_no": "R-1"}).status_code == 302
    assert not Payment.objects.exists()
