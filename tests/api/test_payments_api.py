"""/api/v1/payments: the candidate's orders, a registration's payment page, starting an
online payment against the simulator process; the pay page and the API agree case by case."""

import re
import urllib.error
import urllib.parse
import urllib.request
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from factories import make_candidate, make_exam, make_site
from payment_helpers import approve, fee_schedule
from review_helpers import make_registration, make_staff

from tests.payments import conftest as simulator
from yikao.payments import services
from yikao.payments.gateway import PLATFORM_UNAVAILABLE
from yikao.payments.models import AreaChannel, Channel, Order, OrderStatus, Payment, Source
from yikao.registrations.models import Status

# The simulator process and our app's client configured for it, as the payment tests have
# them (tests/payments/conftest.py); fixtures are found by their names in this module.
keys = simulator.keys
paysim_process = simulator.paysim_process
paysim = simulator.paysim
our_gateway = simulator.our_gateway
site_gateway = simulator.site_gateway

BASE = "/api/v1/payments"
COUNTER_REFUSAL = "本考区在考点现场缴费，不能网上支付。"


@pytest.fixture
def exam(db):
    exam = make_exam()
    exam.payment_deadline = timezone.now() + timedelta(days=7)
    exam.save(update_fields=["payment_deadline"])
    return exam


@pytest.fixture
def site(exam):
    return make_site(exam, code="4101")


@pytest.fixture
def approved(exam, site):
    """审核通过 with 300元 实践技能 (a test figure) and the sourced 240元 医学综合."""
    fee_schedule(exam, site.area, skills=30000)
    return approve(make_registration(exam, site))


def csrf_client(user) -> tuple[Client, str]:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get("/registrations/")  # any page sets the CSRF cookie
    return client, client.cookies["csrftoken"].value


def start(client, token, registration):
    return client.post(f"{BASE}/registrations/{registration.pk}/start", HTTP_X_CSRFTOKEN=token)


def pay_at_counter(registration, reference="PJ-0001"):
    order = services.order_open(candidate=registration.candidate, registration_pk=registration.pk)
    services.settle(
        order_no=order.order_no, channel=Channel.COUNTER, reference=reference,
        amount_fen=order.amount_fen, paid_at=timezone.now(), source=Source.COUNTER,
    )  # fmt: skip
    return order


# --- the schema and who may call ---------------------------------------------------------


def test_schema_lists_the_operations_in_chinese(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    operations = {
        ("get", f"{BASE}/orders"),
        ("get", f"{BASE}/registrations/{{registration_id}}"),
        ("post", f"{BASE}/registrations/{{registration_id}}/start"),
    }
    for method, path in operations:
        operation = paths[path][method]
        assert re.search(r"[\u4e00-\u9fff]", operation["summary"]), path
        for status, answer in operation["responses"].items():
            assert re.search(r"[\u4e00-\u9fff]", answer["description"]), (path, status)
    started = paths[f"{BASE}/registrations/{{registration_id}}/start"]["post"]["responses"]
    assert {"200", "404", "409", "503"} <= set(started)


def test_anonymous_is_401_and_staff_403(approved, site):
    url = f"{BASE}/registrations/{approved.pk}"
    for path in (f"{BASE}/orders", url):
        assert Client().get(path).status_code == 401
    assert Client().post(f"{url}/start").status_code == 401
    staff = make_staff("kaodian", "site", site=site)
    client, token = csrf_client(staff)
    for answer in (client.get(f"{BASE}/orders"), client.get(url), start(client, token, approved)):
        assert answer.status_code == 403
        assert answer.json() == {"detail": "仅考生账户可以使用缴费接口。"}
    assert not Order.objects.exists()


def test_other_candidates_registration_is_404(approved):
    other, token = csrf_client(make_candidate().user)
    assert other.get(f"{BASE}/registrations/{approved.pk}").status_code == 404
    assert start(other, token, approved).status_code == 404
    assert not Order.objects.exists()
    pay_at_counter(approved)
    assert other.get(f"{BASE}/orders").json() == []


@pytest.mark.parametrize("bad", ["abc", "-1", "0", "99999999999999999999", "１２"])
def test_hostile_ids(approved, bad):
    client, token = csrf_client(approved.candidate.user)
    for response in (
        client.get(f"{BASE}/registrations/{bad}"),
        client.post(f"{BASE}/registrations/{bad}/start", HTTP_X_CSRFTOKEN=token),
    ):
        assert response.status_code in (404, 422), (bad, response.status_code)
        assert re.search(r"[\u4e00-\u9fff]", str(response.json()["detail"]))


def test_orders_lists_the_candidates_orders(exam, site, approved):
    client, _ = csrf_client(approved.candidate.user)
    assert client.get(f"{BASE}/orders").json() == []
    AreaChannel.objects.create(exam=exam, area=site.area, channel=Channel.COUNTER)
    order = pay_at_counter(approved, reference="PJ-0099")
    [listed] = client.get(f"{BASE}/orders").json()
    assert listed["order_no"] == order.order_no
    assert listed["registration_id"] == approved.pk
    assert listed["registration_number"] == approved.number
    assert listed["exam"] == approved.exam.name
    assert (listed["status"], listed["status_label"]) == ("paid", "已支付")
    assert listed["amount_fen"] == 54000
    assert [(i["label"], i["amount_fen"]) for i in listed["items"]] == [
        ("实践技能考试费", 30000),
        ("医学综合考试费", 24000),
    ]
    assert listed["trade_no"] == "PJ-0099" and listed["paid_at"]
    assert listed["channel"] == "counter" and listed["channel_label"] == "考点现场缴费"
    assert listed["deadline"]


# --- the page and the API agree -----------------------------------------------------------


def page_and_api(registration) -> tuple[str, dict]:
    client, _ = csrf_client(registration.candidate.user)
    page = client.get(f"/payments/{registration.pk}/").content.decode()
    answer = client.get(f"{BASE}/registrations/{registration.pk}")
    assert answer.status_code == 200, answer.content
    return page, answer.json()


def assert_agree(page: str, api: dict) -> None:
    yuan = f"{api['total_fen'] // 100}.{api['total_fen'] % 100:02d}"
    for line in api["lines"]:
        assert line["label"] in page
    if api["lines"]:
        assert yuan in page
    if api["refusal"]:
        assert api["refusal"] in page and not api["payable"]
    assert ("去支付" in page) == (api["payable"] and api["online"])
    assert ("本考区在考点现场缴费" in page) == (api["payable"] and not api["online"])
    if api["order"]:
        order = api["order"]
        assert order["order_no"] in page and order["status_label"] in page
    assert api["registration_number"] in page


def test_agree_when_approved(approved):
    page, api = page_and_api(approved)
    assert_agree(page, api)
    assert api["payable"] and api["online"] and api["refusal"] == "" and api["order"] is None
    assert api["total_fen"] == 54000 and api["channel"] == "online"


def test_agree_when_no_fees(exam, site):
    registration = approve(make_registration(exam, site))
    page, api = page_and_api(registration)
    assert_agree(page, api)
    refusal = "本考区尚未公布该类别的收费标准，请稍后再来。"
    assert api["refusal"] == refusal
    assert not api["payable"] and api["lines"] == [] and api["total_fen"] == 0
    client, token = csrf_client(registration.candidate.user)
    refused = start(client, token, registration)
    assert refused.status_code == 409 and refused.json() == {"detail": refusal}
    assert not Order.objects.exists()


def test_agree_when_paid(approved):
    order = pay_at_counter(approved)
    page, api = page_and_api(approved)
    assert_agree(page, api)
    assert api["registration_status"] == Status.PAID and not api["payable"]
    assert api["order"]["order_no"] == order.order_no and api["order"]["status"] == "paid"
    assert "下载缴费凭证（PDF）" in page


def test_agree_when_order_pending(approved):
    services.order_open(candidate=approved.candidate, registration_pk=approved.pk)
    page, api = page_and_api(approved)
    assert_agree(page, api)
    assert api["payable"] and api["order"]["status"] == "pending"


def test_agree_when_unpaid_at_the_deadline(exam, approved):
    exam.payment_deadline = timezone.now() - timedelta(minutes=1)
    exam.save(update_fields=["payment_deadline"])
    assert services.close_unpaid().expired == 1
    page, api = page_and_api(approved)
    assert_agree(page, api)
    assert api["registration_status"] == Status.UNPAID
    assert not api["payable"] and "审核通过后才能缴费" in api["refusal"]


def test_agree_in_a_counter_province(exam, site, approved):
    AreaChannel.objects.create(exam=exam, area=site.area, channel=Channel.COUNTER)
    page, api = page_and_api(approved)
    assert_agree(page, api)
    assert api["channel"] == "counter" and api["channel_label"] == "考点现场缴费"
    assert api["payable"] and not api["online"]
    client, token = csrf_client(approved.candidate.user)
    refused = start(client, token, approved)
    assert refused.status_code == 409 and refused.json() == {"detail": COUNTER_REFUSAL}
    shown = client.post(
        f"/payments/{approved.pk}/start/", HTTP_X_CSRFTOKEN=token, follow=True
    ).content.decode()
    assert COUNTER_REFUSAL in shown


def test_start_refusals_are_409_with_the_pages_message(exam, approved):
    client, token = csrf_client(approved.candidate.user)
    pay_at_counter(approved)
    paid = start(client, token, approved)
    assert paid.status_code == 409 and paid.json() == {"detail": "该报名已缴费。"}
    assert Order.objects.count() == 1


def test_start_after_the_deadline_is_409(exam, approved):
    exam.payment_deadline = timezone.now() - timedelta(minutes=1)
    exam.save(update_fields=["payment_deadline"])
    client, token = csrf_client(approved.candidate.user)
    refused = start(client, token, approved)
    assert refused.status_code == 409 and refused.json() == {"detail": "缴费已截止。"}
    page, api = page_and_api(approved)
    assert api["refusal"] == "缴费已截止。" and "缴费已截止。" in page
    assert not Order.objects.exists()


def test_start_needs_the_csrf_token(approved):
    client, _ = csrf_client(approved.candidate.user)
    refused = client.post(f"{BASE}/registrations/{approved.pk}/start")
    assert refused.status_code == 403
    assert refused.json() == {"detail": "安全校验失败，请刷新页面后重试。"}
    assert not Order.objects.exists()


# --- starting against the simulator ----------------------------------------------------------


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def press(cashier_url):
    """The candidate's 支付 at the simulator's cashier."""
    opener = urllib.request.build_opener(NoRedirect)
    body = urllib.parse.urlencode({"result": "success"}).encode()
    with pytest.raises(urllib.error.HTTPError) as answer:
        opener.open(urllib.request.Request(cashier_url, data=body, method="POST"), timeout=5)
    assert answer.value.code == 303


@pytest.mark.django_db(transaction=True)
def test_start_answers_the_cashier_and_is_idempotent(approved, site_gateway, paysim):
    client, token = csrf_client(approved.candidate.user)
    first = start(client, token, approved)
    assert first.status_code == 200, first.content
    body = first.json()
    order = Order.objects.get(registration=approved)
    assert body["order_no"] == order.order_no and body["amount_fen"] == 54000
    assert body["cashier_url"].startswith(paysim)
    again = start(client, token, approved).json()
    assert again["order_no"] == order.order_no and again["cashier_url"] == body["cashier_url"]
    assert Order.objects.count() == 1
    [listed] = client.get(f"{BASE}/orders").json()
    assert listed["status"] == "pending"


@pytest.mark.django_db(transaction=True)
def test_platform_down_is_503_on_both_paths_and_charges_nothing(approved, site_gateway, paysim):
    simulator.control(paysim, "down")
    try:
        client, token = csrf_client(approved.candidate.user)
        refused = start(client, token, approved)
        assert refused.status_code == 503
        assert refused.json() == {"detail": PLATFORM_UNAVAILABLE}
        shown = client.post(
            f"/payments/{approved.pk}/start/", HTTP_X_CSRFTOKEN=token, follow=True
        ).content.decode()
        assert PLATFORM_UNAVAILABLE in shown
        assert not Payment.objects.exists()
    finally:
        simulator.control(paysim, "up")
    assert start(client, token, approved).status_code == 200
    assert Order.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_start_after_paying_there_records_the_payment(approved, site_gateway, paysim):
    """Paid at the cashier, the notification held back: a second start hears ORDER_PAID
    from the platform, queries it, records the payment and answers 该报名已缴费。"""
    simulator.control(paysim, "notify", {"hold": True})
    client, token = csrf_client(approved.candidate.user)
    press(start(client, token, approved).json()["cashier_url"])
    assert Order.objects.get(registration=approved).status == OrderStatus.PENDING
    second = start(client, token, approved)
    assert second.status_code == 409 and second.json() == {"detail": "该报名已缴费。"}
    approved.refresh_from_db()
    assert approved.status == Status.PAID
    assert Payment.objects.filter(order__registration=approved).count() == 1
