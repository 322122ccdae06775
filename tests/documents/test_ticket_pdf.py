"""The 准考证 PDF: A4 landscape, one page a ticket, the facts of the seat, the masked ID
only, and a QR code holding the signed code."""

import dataclasses
import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4

from yikao.documents.pdf.samples import sample_photo_jpeg
from yikao.documents.pdf.ticket import TicketInfo, render_ticket, render_tickets

FULL_ID = "41010219990512003X"
MASKED = "4101**********003X"

INFO = TicketInfo(
    year=2026, exam_name="医师资格考试", part="written", part_label="医学综合考试",
    candidate_name="王𠮷䶮", id_type="居民身份证", id_number_masked=MASKED,
    category="临床执业医师", registration_number="2026410100123",
    ticket_no="202641010012001203", session_date="2026年8月22日（星期六）",
    session_time="09:00—17:30",
    units=(("第一单元", "8月22日 09:00—11:30"), ("第二单元", "8月22日 14:00—16:30")),
    area="郑州考区", site_name="郑州考点", site_address="河南省郑州市金水区文化路97号",
    room_code="012", room_name="第十二考场", room_place="3号楼 2层 203室", seat=3,
    qr_payload="YK1.eyJ0IjoiMjAyNjQxMDEwMDEyMDAxMjAzIn0.c2lnbmF0dXJl",
    photo_jpeg=sample_photo_jpeg(), generated_at="2026-08-15 08:00",
)  # fmt: skip


def _text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def test_the_ticket_shows_the_seat_and_only_the_masked_id():
    pdf = render_ticket(INFO)
    (text,) = _text(pdf)
    flat = "".join(text.split())
    for expected in ("2026年医师资格考试", "医学综合考试", "准考证", "202641010012001203",
                     MASKED, "王𠮷䶮", "临床执业医师", "2026年8月22日", "09:00—17:30",
                     "第一单元", "第二单元", "郑州考点", "文化路97号", "第012考场",
                     "第十二考场", "203室", "座位号", "03", "考生须知", "15分钟", "30分钟",
                     "分段控制"):  # fmt: skip
        assert expected in flat, expected
    assert FULL_ID not in flat and FULL_ID not in pdf.decode("latin-1")


def test_a4_landscape():
    page = PdfReader(io.BytesIO(render_ticket(INFO))).pages[0]
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    assert (round(width), round(height)) == (round(A4[1]), round(A4[0]))
    assert width > height


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="poppler-utils not installed")
def test_the_qr_code_holds_the_signed_code(tmp_path):
    sys.path.insert(0, str(Path(__file__).parent))
    from qr_reading import decode_qr

    (tmp_path / "t.pdf").write_bytes(render_ticket(INFO))
    command = ["pdftoppm", "-r", "150", "-png", "-singlefile", tmp_path / "t.pdf", tmp_path / "t"]
    subprocess.run(command, check=True)
    assert decode_qr(tmp_path / "t.png") == INFO.qr_payload


def test_skills_ticket_has_no_cbt_rules():
    skills = dataclasses.replace(INFO, part="skills", part_label="实践技能考试", units=())
    flat = "".join(_text(render_ticket(skills))[0].split())
    assert "实践技能考试" in flat and "分段控制" not in flat


@pytest.mark.parametrize(
    "changes",
    [
        {"photo_jpeg": None},
        {"photo_jpeg": b"not a jpeg"},
        {"candidate_name": "阿卜杜热合曼·买买提艾力·库尔班江·艾合买提尼亚孜" * 2,
         "site_address": "新疆维吾尔自治区乌鲁木齐市沙依巴克区" * 4,
         "room_place": "教学楼" * 20, "room_name": "第一百二十三号计算机化考试考场"},
    ],
)  # fmt: skip
def test_missing_photo_and_long_text_stay_on_one_page(changes):
    pdf = render_ticket(dataclasses.replace(INFO, **changes))
    (text,) = _text(pdf)
    assert "202641010012001203" in "".join(text.split())


def test_central_print_puts_one_ticket_a_page():
    infos = [dataclasses.replace(INFO, ticket_no=f"2026410100120012{n:02d}", seat=n)
             for n in range(1, 4)]  # fmt: skip
    pages = _text(render_tickets(infos))
    assert len(pages) == 3
    assert all(
        f"2026410100120012{n:02d}" in "".join(p.split())
        for n, p in zip((1, 2, 3), pages, strict=True)
    )
