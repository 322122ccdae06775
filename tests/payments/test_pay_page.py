"""The pay page and order creation: what is shown, and every refusal in Chinese with
nothing made."""

import datetime

import pytest
from django.utils import timezone
from payment_helpers import fee_schedule
from review_helpers import make_registration

from yikao.payments import services
from yikao.payments.models import AreaChannel, Channel, FeeItem, Order
from yikao.registrations.models import Status


def page(client, registration):
    client.force_login(registration.candidate.user)
    answer = client.get(f"/payments/{registration.pk}/")
    assert answer.status_code == 200
    return answer.content.decode()


def test_the_page_shows_the_items_the_total_and_the_deadline(client, approved):
    shown = page(client, approved)
    for text in ("实践技能考试费", "300.00", "医学综合考试费", "240.00", "540.00", "缴费截止"):
        assert text in shown
    assert "去支付 540.00 元" in shown


def test_a_counter_province_shows_where_to_pay_and_no_button(client, approved):
    AreaChannel.objects.create(exam=approved.exam, area=approved.site.area, channel=Channel.COUNTER)
    shown = page(client, approved)
    assert "本考区在考点现场缴费" in shown and approved.site.name in shown
    assert "去支付" not in shown


@pytest.mark.parametrize(
    ("setup", "message", "code"),
    [
        ("not_approved", "审核通过后才能缴费", "not_approved"),
        ("no_fees", "尚未公布该类别的收费标准", "no_fees"),
        ("deadline_passed", "缴费已截止", "deadline_passed"),
        ("not_open", "缴费尚未开放", "not_open"),
    ],
)
def test_refusals_make_no_order(client, pay_exam, pay_site, setup, message, code):
    from payment_helpers import approve

    registration = make_registration(pay_exam, pay_site)
    if setup != "not_approved":
        approve(registration)
    if setup != "no_fees":
        fee_schedule(pay_exam, pay_site.area)
    if setup == "deadline_passed":
        pay_exam.payment_deadline = timezone.now() - datetime.timedelta(minutes=1)
    if setup == "not_open":
        pay_exam.payment_deadline = None
    pay_exam.save()
    with pytest.raises(services.PaymentError) as refused:
        services.order_open(candidate=registration.candidate, registration_pk=registration.pk)
    assert refused.value.code == code and message in refused.value.message
    assert message in page(client, registration)
    shown = client.post(f"/payments/{registration.pk}/start/", follow=True).content.decode()
    assert message in shown
    assert not Order.objects.exists()


def test_another_candidates_registration_is_not_found(client, approved, pay_exam, pay_site):
    other = make_registration(pay_exam, pay_site)
    client.force_login(other.candidate.user)
    assert client.get(f"/payments/{approved.pk}/").status_code == 404
    assert client.post(f"/payments/{approved.pk}/start/").status_code == 404
    with pytest.raises(services.PaymentError):
        services.order_open(candidate=other.candidate, registration_pk=approved.pk)
    assert not Order.objects.exists()


def test_the_registration_list_offers_payment_when_approved(client, approved):
    client.force_login(approved.candidate.user)
    shown = client.get("/registrations/").content.decode()
    assert "审核已通过，请缴费" in shown and f"/payments/{approved.pk}/" in shown


def test_fee_items_follow_the_category_and_province(approved, pay_exam, pay_site):
    # Another province's schedule never leaks into this one.
    from yikao.exams.models import ExamArea

    hubei = ExamArea.objects.create(code="42", name="湖北考区")
    fee_schedule(pay_exam, hubei, written=1, skills=1)
    lines = services.fee_lines(approved)
    assert [(line.part, line.amount_fen) for line in lines] == [
        ("skills", 30000),
        ("written", 24000 if approved.category.level == "physician" else 12000),
    ]
    assert FeeItem.objects.filter(area=hubei).exists()
    assert approved.status == Status.APPROVED


def test_without_the_platform_key_paying_waits_and_nothing_breaks(
    client, approved, monkeypatch, tmp_path
):
    """Before the platform's public key is provisioned (in development: before the
    simulator first ran) the platform counts as unreachable, never a 500."""
    monkeypatch.setenv("YIKAO_PAY_PLATFORM_PUBLIC_KEY", str(tmp_path / "missing.pem"))
    monkeypatch.setenv("YIKAO_PAY_PRIVATE_KEY", str(tmp_path / "ours.pem"))
    services.gateway.cache_clear()
    try:
        assert "去支付" in page(client, approved)
        shown = client.post(f"/payments/{approved.pk}/start/", follow=True)
        assert "支付平台暂时无法访问" in shown.content.decode()
        assert client.post("/payments/notify/", {"order_no": "x"}).status_code == 503
        assert client.get("/payments/return/?order_no=x").status_code == 302
    finally:
        services.gateway.cache_clear()
