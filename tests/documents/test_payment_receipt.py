"""The 缴费凭证 PDF: what it shows (read back from the PDF), to whom, and the amount in
Chinese capital figures."""

import io
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from factories import make_candidate, make_exam, make_site
from payment_helpers import approve, fee_schedule
from pypdf import PdfReader
from review_helpers import make_registration

from yikao.documents.pdf.receipt import ReceiptInfo, ReceiptLine, render_receipt, rmb_capital
from yikao.payments import services
from yikao.payments.models import AreaChannel, Channel, Source
from yikao.registrations.models import Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved():
    """审核通过 with 300元 实践技能 (a test figure) and the sourced 240元 医学综合."""
    exam = make_exam()
    exam.payment_deadline = timezone.now() + timedelta(days=7)
    exam.save(update_fields=["payment_deadline"])
    site = make_site(exam, code="4101")
    fee_schedule(exam, site.area, skills=30000)
    return approve(make_registration(exam, site))


def pay(registration, *, channel=Channel.ONLINE, reference="T20270402101500888"):
    """The order opened by the candidate, then paid the way the platform (or a counter)
    reports a payment."""
    order = services.order_open(candidate=registration.candidate, registration_pk=registration.pk)
    outcome = services.settle(
        order_no=order.order_no, channel=channel, reference=reference,
        amount_fen=order.amount_fen, paid_at=timezone.now(),
        source=Source.NOTIFY if channel == Channel.ONLINE else Source.COUNTER,
    )  # fmt: skip
    assert outcome == services.Outcome.PAID
    order.refresh_from_db()
    return order


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def url(registration) -> str:
    return f"/documents/{registration.pk}/receipt.pdf"


def pdf_pages(content: bytes) -> list[str]:
    return [p.extract_text().replace(" ", "") for p in PdfReader(io.BytesIO(content)).pages]


def test_receipt_shows_the_payment_and_only_the_masked_id(approved):
    order = pay(approved)
    approved.refresh_from_db()
    assert approved.status == Status.PAID
    response = logged_in(approved.candidate.user).get(url(approved))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert order.order_no in response["Content-Disposition"]
    [text] = pdf_pages(response.content)  # one page
    full_id = approved.candidate.id_number
    masked = full_id[:4] + "*" * 10 + full_id[-4:]
    for shown in (
        "缴费凭证", approved.exam.name, approved.candidate.full_name, masked, approved.number,
        approved.category.label, approved.site.area.name, approved.site.name, order.order_no,
        "实践技能考试费", "300.00", "医学综合考试费", "240.00", "540.00", "伍佰肆拾元整",
        "网上支付", "交易流水号", "T20270402101500888", "本凭证由医考考生服务系统生成",
        timezone.localtime(order.paid_at).strftime("%Y-%m-%d%H:%M"),
    ):  # fmt: skip
        assert shown in text, shown
    assert full_id not in text
    assert full_id[4:-4] not in text


def test_counter_payment_shows_its_receipt_number(approved):
    AreaChannel.objects.create(exam=approved.exam, area=approved.site.area, channel=Channel.COUNTER)
    pay(approved, channel=Channel.COUNTER, reference="PJ-0042")
    [text] = pdf_pages(logged_in(approved.candidate.user).get(url(approved)).content)
    assert "考点现场缴费" in text and "票据号" in text and "PJ-0042" in text
    assert "交易流水号" not in text


def test_unpaid_registration_gets_a_clear_page_not_a_pdf(approved):
    client = logged_in(approved.candidate.user)
    for _ in ("no order yet", "order pending"):
        response = client.get(url(approved))
        assert response.status_code == 409
        assert response["Content-Type"].startswith("text/html")
        page = response.content.decode()
        assert "该报名尚未缴费，缴费成功后才能下载缴费凭证。" in page
        assert approved.number in page
        services.order_open(candidate=approved.candidate, registration_pk=approved.pk)


def test_other_candidate_staff_and_anonymous_get_no_receipt(approved):
    pay(approved)
    assert logged_in(make_candidate().user).get(url(approved)).status_code == 404
    anonymous = Client().get(url(approved))
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    missing = logged_in(approved.candidate.user).get("/documents/999999999/receipt.pdf")
    assert missing.status_code == 404
    huge = logged_in(approved.candidate.user).get("/documents/99999999999999999999/receipt.pdf")
    assert huge.status_code == 404


def test_receipt_is_read_only(approved):
    pay(approved)
    client = Client(enforce_csrf_checks=True)
    client.force_login(approved.candidate.user)
    assert client.post(url(approved)).status_code in (403, 405)


def test_pay_page_links_the_receipt_once_paid(approved):
    client = logged_in(approved.candidate.user)
    link = "下载缴费凭证（PDF）"
    assert link not in client.get(f"/payments/{approved.pk}/").content.decode()
    pay(approved)
    page = client.get(f"/payments/{approved.pk}/").content.decode()
    assert link in page and f'href="{url(approved)}"' in page


def test_long_names_and_labels_stay_on_one_page_and_whole():
    long_name = "阿卜杜热合曼·买买提依明·艾力江·欧阳𠮷祥"
    long_site = "郑州市卫生健康委员会医师资格考试考点第一分考点（郑州大学第一附属医院河医院区）"
    long_label = "医学综合考试费（含计算机化考试服务费及其他很长的说明文字）"
    info = ReceiptInfo(
        exam_name="2027年国家医师资格考试（医学综合笔试·二试）", candidate_name=long_name,
        id_number_masked="4101**********1234", registration_number="2027410100001",
        category="乡村全科执业助理医师（加注专业方向：很长很长的名称）", area="河南省",
        site=long_site, order_no="Y202741010000101",
        lines=[ReceiptLine("实践技能考试费", 30000), ReceiptLine(long_label, 24000)] * 4,
        total_fen=216000, paid_at="2027-04-02 10:15", channel="网上支付",
        reference_label="交易流水号", reference="T" + "0123456789" * 6,
        generated_at="2027-04-03 09:00",
    )  # fmt: skip
    pages = pdf_pages(render_receipt(info))
    assert len(pages) == 1
    text = pages[0].replace("\n", "")
    for shown in (long_site, long_label, "贰仟壹佰陆拾元整", "2160.00", "T" + "0123456789" * 6):
        assert shown in text, shown


@pytest.mark.parametrize(
    ("fen", "words"),
    [
        (50, "伍角"),  # 0.50
        (1005, "壹拾元零伍分"),  # 10.05
        (54000, "伍佰肆拾元整"),  # 540
        (1000000, "壹万元整"),  # 10000
        (0, "零元整"),
        (5, "伍分"),
        (150, "壹元伍角"),
        (12000, "壹佰贰拾元整"),
        (100500, "壹仟零伍元整"),
        (10010000, "壹拾万零壹佰元整"),
        (10000100, "壹拾万零壹元整"),
        (100000000, "壹佰万元整"),
        (1234567891, "壹仟贰佰叁拾肆万伍仟陆佰柒拾捌元玖角壹分"),
        (10000000000, "壹亿元整"),
    ],
)
def test_rmb_capital(fen, words):
    assert rmb_capital(fen) == words


@pytest.mark.parametrize("bad", [-1, 1.5, "540", True, None])
def test_rmb_capital_refuses_what_is_not_an_amount(bad):
    with pytest.raises(ValueError, match="金额"):
        rmb_capital(bad)
