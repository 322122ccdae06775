"""The room papers (issue 21): 考场签到表, 门贴, 桌贴. The library on its own (text read back
with pypdf: names, 准考证号, the masked ID and never the full one; page counts for a room of
35), then the staff downloads: scoped, audited, unknown kinds refused."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from factories import make_exam, make_site
from pypdf import PdfReader
from review_helpers import make_registration, make_staff, staff_login

from yikao.core.models import AuditEntry
from yikao.documents.mapping import id_number
from yikao.documents.pdf.sheets import SheetRoom, SheetSeat, render_sheets
from yikao.seating import services
from yikao.seating.models import Part, Room, Run, Seat, Session
from yikao.staff.models import Role

FULL_ID = "410105199001011234"
MASKED = "4101**********1234"


def _room(n: int, code: str = "001") -> SheetRoom:
    seats = [
        SheetSeat(number=i, name=f"考生{i:02d}", id_number_masked=MASKED,
                  ticket_no=f"202741010012{code}{i:02d}")
        for i in range(n, 0, -1)  # any order in, seat order out
    ]  # fmt: skip
    return SheetRoom(exam_name="2027年医师资格考试", site_name="郑州考点", room_code=code,
                     room_name="一号楼101", place="1号楼1层", session_label="上午场",
                     session_time="2027年8月20日 09:00–11:30", seats=seats)  # fmt: skip


def _pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.mark.parametrize(("kind", "pages"), [("signin", 4), ("door", 1), ("desk", 3)])
def test_a_room_of_35_takes_the_expected_pages_and_lists_everyone(kind, pages):
    text = _pages(render_sheets(kind, [_room(35)]))
    assert len(text) == pages
    joined = "\n".join(text)
    for i in (1, 17, 35):
        assert f"考生{i:02d}" in joined and f"202741010012001{i:02d}" in joined
    assert f"共 {pages} 页" in text[-1]
    assert FULL_ID not in joined


def test_the_signin_sheet_has_the_masked_id_a_signature_column_and_seat_order():
    text = _pages(render_sheets("signin", [_room(12)]))
    assert MASKED in text[0] and "考生签名" in text[0] and "照片" in text[0]
    assert text[0].index("考生01") < text[0].index("考生10")
    assert "考生11" in text[1] and "第 2 页 共 2 页" in text[1]


def test_a_site_pdf_starts_every_room_on_a_new_page_numbered_per_room():
    text = _pages(render_sheets("door", [_room(30), _room(5, code="002")]))
    assert len(text) == 2
    assert "第 001 考场" in text[0] and "第 002 考场" in text[1]
    assert "第 1 页 共 1 页" in text[1]


def test_an_empty_room_still_prints_and_an_unknown_kind_is_refused():
    assert len(_pages(render_sheets("signin", [_room(0)]))) == 1
    with pytest.raises(ValueError):
        render_sheets("poster", [_room(1)])


# --- the staff downloads ------------------------------------------------------------------


@pytest.fixture
def seated(db):
    exam = make_exam()
    site, other = make_site(exam, code="4101"), make_site(exam, code="4102")
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=10)
    session = Session.objects.create(exam=exam, site=site, part=Part.WRITTEN, number=1,
                                     label="上午场", starts_at=start,
                                     ends_at=start + datetime.timedelta(hours=2))  # fmt: skip
    room = Room.objects.create(site=site, code="001", name="一号楼101", capacity=35)
    spare = Room.objects.create(site=site, code="002", name="一号楼102", capacity=35)
    run = Run.objects.create(exam=exam, site=site, part=Part.WRITTEN, seed=1)
    registration = make_registration(exam, site)
    seat = Seat.objects.create(
        registration=registration, part=Part.WRITTEN, session=session, room=room, number=7,
        ticket_no=services.ticket_no(exam, site, Part.WRITTEN, session, room, 7), run=run,
    )  # fmt: skip
    return {"exam": exam, "site": site, "session": session, "room": room, "spare": spare,
            "seat": seat, "registration": registration,
            "staff": make_staff("zz_site", Role.SITE, site=site),
            "other_staff": make_staff("zz_other", Role.SITE, site=other)}  # fmt: skip


def test_staff_download_a_room_sheet_with_the_seat_and_the_masked_id(client, seated):
    staff_login(client, seated["staff"])
    url = reverse("documents:seating_sheet_room",
                  args=[seated["session"].pk, seated["room"].pk, "signin"])  # fmt: skip
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "\n".join(_pages(response.content))
    full = id_number(seated["registration"])
    assert seated["seat"].ticket_no in text
    assert seated["registration"].candidate.full_name in text
    assert full not in text and f"{full[:4]}**********{full[-4:]}" in text
    entry = AuditEntry.objects.get(action="seating.sheet_downloaded")
    assert entry.actor_id == seated["staff"].pk and entry.changes["sheet"]["new"] == "考场签到表"


def test_a_site_sheet_holds_every_room_of_the_site(client, seated):
    staff_login(client, seated["staff"])
    url = reverse("documents:seating_sheet_site", args=[seated["session"].pk, "door"])
    text = _pages(client.get(url).content)
    assert len(text) == 2 and "第 001 考场" in text[0] and "第 002 考场" in text[1]


def test_sheets_of_another_site_or_an_unknown_kind_are_404(client, seated):
    staff_login(client, seated["other_staff"])
    room_url = reverse("documents:seating_sheet_room",
                       args=[seated["session"].pk, seated["room"].pk, "desk"])  # fmt: skip
    assert client.get(room_url).status_code == 404
    assert client.get(reverse("documents:seating_sheet_site",
                              args=[seated["session"].pk, "desk"])).status_code == 404  # fmt: skip
    staff_login(client, seated["staff"])
    bad = reverse("documents:seating_sheet_site", args=[seated["session"].pk, "poster"])
    assert client.get(bad).status_code == 404
    assert not AuditEntry.objects.filter(action="seating.sheet_downloaded").exists()


def test_a_candidate_or_anonymous_visitor_gets_the_staff_login(client, seated):
    url = reverse("documents:seating_sheet_site", args=[seated["session"].pk, "desk"])
    response = client.get(url)
    assert response.status_code == 302 and reverse("review:login") in response.url
