"""The candidate's 准考证 page and PDF, the API's answer, and the site's 集中打印 PDF:
opened at the release time (not a second before), only for the candidate's own paid and
seated registration, never for a 集中打印 site."""

import datetime
import io

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from factories import make_exam, make_photo, make_site
from payment_helpers import approve, fee_schedule
from pypdf import PdfReader
from review_helpers import make_registration, make_staff, staff_login

from yikao.core.models import AuditEntry
from yikao.documents.pdf.samples import sample_photo_jpeg
from yikao.payments import services as payments
from yikao.seating import services, ticket_code, ticket_selectors
from yikao.seating.models import Part, PrintMode, Release, Room, Run, Seat, Session, SiteTickets

pytestmark = pytest.mark.django_db


def paid(exam, site, name):
    """A registration taken to 已缴费 the way the counter does it (approve, order, settle)."""
    registration = approve(make_registration(exam, site, full_name=name))
    order = payments.order_open(candidate=registration.candidate, registration_pk=registration.pk)
    payments.settle(
        order_no=order.order_no, channel="counter", reference=f"PJ{registration.pk}",
        amount_fen=order.amount_fen, paid_at=timezone.now(), source="counter",
    )  # fmt: skip
    registration.refresh_from_db()
    return registration


def seat(exam, site, session, room, number, registration):
    run = Run.objects.create(exam=exam, site=site, part=session.part, seed=1)
    return Seat.objects.create(
        registration=registration, part=session.part, session=session, room=room,
        number=number, run=run,
        ticket_no=services.ticket_no(exam, site, session.part, session, room, number),
    )  # fmt: skip


@pytest.fixture
def world():
    exam = make_exam()
    exam.payment_deadline = timezone.now() + datetime.timedelta(days=7)
    exam.save(update_fields=["payment_deadline"])
    site = make_site(exam, code="4101", capacity=100)
    site.address = "河南省郑州市金水区文化路97号"
    site.save(update_fields=["address"])
    other_site = make_site(exam, code="4102", capacity=100)
    fee_schedule(exam, site.area)
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=7)
    units = [{"name": "第一单元", "starts_at": start.isoformat(),
              "ends_at": (start + datetime.timedelta(hours=2, minutes=30)).isoformat()}]  # fmt: skip
    session = Session.objects.create(
        exam=exam, site=site, part=Part.WRITTEN, number=1, label="综合", starts_at=start,
        ends_at=start + datetime.timedelta(hours=8), units=units,
    )  # fmt: skip
    other_session = Session.objects.create(
        exam=exam, site=other_site, part=Part.WRITTEN, number=1, label="综合",
        starts_at=start, ends_at=start + datetime.timedelta(hours=8),
    )  # fmt: skip
    room = Room.objects.create(
        site=site, code="012", name="第十二考场", place="3号楼203", capacity=30
    )
    other_room = Room.objects.create(site=other_site, code="001", name="一号", capacity=30)
    a, b = paid(exam, site, "王小明"), paid(exam, site, "李华")
    c = paid(exam, other_site, "张伟")
    photo = make_photo(a.candidate)  # its file made a real JPEG: the ticket prints it
    photo.image.save(photo.image.name.rsplit("/", 1)[-1], ContentFile(sample_photo_jpeg()))
    a.photo_sha256 = photo.sha256
    a.save(update_fields=["photo_sha256"])
    seats = [seat(exam, site, session, room, 3, a), seat(exam, site, session, room, 4, b),
             seat(exam, other_site, other_session, other_room, 1, c)]  # fmt: skip
    return {"exam": exam, "site": site, "other_site": other_site, "a": a, "b": b, "c": c,
            "seats": seats}  # fmt: skip


def release(exam, at):
    Release.objects.update_or_create(exam=exam, part=Part.WRITTEN, defaults={"opens_at": at})


def page_url(r):
    return reverse("seating:tickets", args=[r.pk])


def pdf_url(r, part="written"):
    return reverse("seating:ticket_pdf", args=[r.pk, part])


def api_url(r, suffix=""):
    return f"/api/v1/tickets/registrations/{r.pk}{suffix}"


def test_the_state_turns_at_the_release_second(world):
    opens = timezone.now().replace(microsecond=0) + datetime.timedelta(hours=1)
    release(world["exam"], opens)
    a = world["a"]
    before = ticket_selectors.part_tickets(a, now=opens - datetime.timedelta(seconds=1))
    at = ticket_selectors.part_tickets(a, now=opens)
    after = ticket_selectors.part_tickets(a, now=opens + datetime.timedelta(seconds=1))
    assert [t.state for t in before] == ["not_open"] and before[0].seat is None
    assert [t.state for t in at] == [t.state for t in after] == ["ready"]


def test_before_the_release_the_page_says_when_and_no_pdf(client, world):
    opens = timezone.now() + datetime.timedelta(seconds=60)
    release(world["exam"], opens)
    client.force_login(world["a"].candidate.user)
    page = client.get(page_url(world["a"])).content.decode()
    local = timezone.localtime(opens).strftime("%Y年%m月%d日 %H:%M")
    assert f"准考证将于 {local} 开放打印" in page
    assert "下载准考证" not in page and world["seats"][0].ticket_no not in page
    refused = client.get(pdf_url(world["a"]))
    assert refused.status_code == 409 and "开放打印" in refused.content.decode()
    api = client.get(api_url(world["a"])).json()
    assert api["parts"][0]["state"] == "not_open" and api["parts"][0]["ticket_no"] is None
    assert client.get(api_url(world["a"], "/written.pdf")).status_code == 409


def test_without_a_release_nothing_opens(client, world):
    client.force_login(world["a"].candidate.user)
    page = client.get(page_url(world["a"])).content.decode()
    assert "准考证打印时间尚未公布" in page and "下载准考证" not in page
    assert client.get(pdf_url(world["a"])).status_code == 409


def test_after_the_release_the_page_and_the_pdf(client, world):
    release(world["exam"], timezone.now() - datetime.timedelta(seconds=1))
    a, own = world["a"], world["seats"][0]
    client.force_login(a.candidate.user)
    page = client.get(page_url(a)).content.decode()
    assert own.ticket_no in page and "下载准考证（PDF）" in page and pdf_url(a) in page
    response = client.get(pdf_url(a))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    text = "".join(PdfReader(io.BytesIO(response.content)).pages[0].extract_text().split())
    assert own.ticket_no in text and "王小明" in text and "文化路97号" in text
    assert "第012考场" in text and "第十二考场" in text
    assert b"/Subtype /Image" in response.content  # the registration's photo
    client.force_login(world["b"].candidate.user)  # B has no photo: an empty box, still a PDF
    other = client.get(pdf_url(world["b"]))
    assert other.status_code == 200 and b"/Subtype /Image" not in other.content
    assert not AuditEntry.objects.filter(action="seating.tickets_printed").exists()


def test_the_api_agrees_with_the_page(client, world):
    release(world["exam"], timezone.now() - datetime.timedelta(seconds=1))
    a, own = world["a"], world["seats"][0]
    client.force_login(a.candidate.user)
    data = client.get(api_url(a)).json()
    (part,) = data["parts"]
    assert part["state"] == "ready" and part["ticket_no"] == own.ticket_no
    assert part["seat"] == 3 and part["room_code"] == "012" and part["pdf_url"] == pdf_url(a)
    assert ticket_code.read_ticket_code(part["qr_code"]).ticket_no == own.ticket_no
    pdf = client.get(api_url(a, "/written.pdf"))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    skills = client.get(api_url(a, "/skills.pdf"))  # a part not sat: why, not a 404
    assert skills.status_code == 409 and "打印时间尚未公布" in skills.json()["detail"]
    assert client.get(api_url(a, "/nonsense.pdf")).status_code == 404


def test_central_print_sites_show_no_pdf(client, world):
    release(world["exam"], timezone.now() - datetime.timedelta(seconds=1))
    SiteTickets.objects.create(exam=world["exam"], site=world["site"], mode=PrintMode.CENTRAL)
    client.force_login(world["a"].candidate.user)
    page = client.get(page_url(world["a"])).content.decode()
    assert "本考点集中打印准考证，请按考点通知领取" in page and "下载准考证" not in page
    assert client.get(pdf_url(world["a"])).status_code == 409
    assert client.get(api_url(world["a"])).json()["parts"][0]["state"] == "central"
    # The other site prints for itself: its candidate still downloads.
    client.force_login(world["c"].candidate.user)
    assert client.get(pdf_url(world["c"])).status_code == 200


def test_another_candidates_tickets_are_404(client, world):
    release(world["exam"], timezone.now() - datetime.timedelta(seconds=1))
    client.force_login(world["b"].candidate.user)
    for url in (page_url(world["a"]), pdf_url(world["a"]), api_url(world["a"]),
                api_url(world["a"], "/written.pdf")):  # fmt: skip
        assert client.get(url).status_code == 404, url
    assert (
        client.get(reverse("seating:ticket_pdf", args=[world["b"].pk, "bogus"])).status_code == 404
    )


def test_a_refunded_registration_has_no_ticket(client, world):
    release(world["exam"], timezone.now() - datetime.timedelta(seconds=1))
    world["a"].status = "unpaid"
    world["a"].save(update_fields=["status"])
    client.force_login(world["a"].candidate.user)
    assert "该报名未缴费" in client.get(page_url(world["a"])).content.decode()
    assert client.get(pdf_url(world["a"])).status_code == 409


def test_central_print_pdf_is_scoped_and_audited(client, world):
    site, other = world["site"], world["other_site"]
    url = reverse("seating:staff_site_tickets", args=[site.pk, "written"])
    staff_login(client, make_staff("kaodian4102", "site", site=other))
    assert client.get(url).status_code == 404
    staff_login(client, make_staff("kaodian4101", "site", site=site))
    response = client.get(url)
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    pages = PdfReader(io.BytesIO(response.content)).pages
    assert len(pages) == 2
    texts = ["".join(p.extract_text().split()) for p in pages]
    assert world["seats"][0].ticket_no in texts[0] and world["seats"][1].ticket_no in texts[1]
    assert AuditEntry.objects.filter(action="seating.tickets_printed").count() == 1
    nobody = client.get(reverse("seating:staff_site_tickets", args=[site.pk, "skills"]))
    assert nobody.status_code == 409 and "没有可打印的准考证" in nobody.content.decode()
    assert client.get(reverse("seating:staff_site_tickets", args=[site.pk, "x"])).status_code == 404


def test_a_ready_ticket_takes_a_fixed_number_of_queries(
    client, world, django_assert_max_num_queries
):
    """The download day: the page and the PDF of an open ticket read a handful of rows
    (measured 10 and 13 on SQLite), not one query a unit or a part."""
    release(world["exam"], timezone.now() - datetime.timedelta(seconds=1))
    client.force_login(world["a"].candidate.user)
    with django_assert_max_num_queries(12):
        assert client.get(page_url(world["a"])).status_code == 200
    with django_assert_max_num_queries(15):
        assert client.get(pdf_url(world["a"])).status_code == 200
