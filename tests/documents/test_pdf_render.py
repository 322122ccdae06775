"""render_forms / render_form: pages, photo, QR code, layout, and pictures via pdftoppm."""

from __future__ import annotations

import dataclasses
import io
import shutil
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pytest
from PIL import Image
from pypdf import PdfReader
from reportlab.lib.textsplit import ALL_CANNOT_START

from yikao.documents.pdf import FORM_CODES, FORM_TITLES, render_form, render_forms
from yikao.documents.pdf.layout import MARGIN_X
from yikao.documents.pdf.samples import (
    sample_candidate,
    sample_exam,
    sample_photo_jpeg,
    sample_registration,
)

sys.path.insert(0, str(Path(__file__).parent))
from qr_reading import decode_qr

A4 = (595.2756, 841.8898)
PDFTOPPM = shutil.which("pdftoppm")
needs_pdftoppm = pytest.mark.skipif(
    PDFTOPPM is None, reason="pdftoppm is missing (apt-get install poppler-utils)"
)


def render_all(**changes) -> bytes:
    candidate = dataclasses.replace(sample_candidate(), **changes)
    return render_forms(
        list(FORM_CODES),
        candidate=candidate,
        exam=sample_exam(),
        registration=sample_registration(),
    )


def test_print_all_gives_one_a4_page_per_form_with_sample_data():
    reader = PdfReader(io.BytesIO(render_all()))
    assert len(reader.pages) == len(FORM_CODES) == 10
    for page in reader.pages:
        assert tuple(round(float(v), 2) for v in page.mediabox[2:]) == tuple(
            round(v, 2) for v in A4
        )


def test_each_form_starts_on_its_own_page_in_the_order_asked():
    codes = ["exam_pledge", "trial_certificate", "rural_consent"]
    pdf = render_forms(
        codes, candidate=sample_candidate(), exam=sample_exam(), registration=sample_registration()
    )
    pages = [p.extract_text().replace(" ", "") for p in PdfReader(io.BytesIO(pdf)).pages]
    assert len(pages) == 3
    assert "考试承诺书" in pages[0]
    assert "医师资格考试试用期考核证明" in pages[1]
    assert "报考乡村全科执业助理医师资格考试" in pages[2]


def test_pdf_title_metadata_is_the_forms_title():
    pdf = render_form("trial_certificate", candidate=sample_candidate(), exam=sample_exam())
    assert PdfReader(io.BytesIO(pdf)).metadata.title == FORM_TITLES["trial_certificate"]


def test_unknown_code_is_refused_with_the_known_ones():
    with pytest.raises(ValueError, match="trial_certificate"):
        render_forms(["nope"], candidate=sample_candidate(), exam=sample_exam())
    with pytest.raises(ValueError):
        render_forms([], candidate=sample_candidate(), exam=sample_exam())


def test_registration_form_needs_the_registration():
    with pytest.raises(ValueError, match="registration"):
        render_form("registration_form", candidate=sample_candidate(), exam=sample_exam())


def test_forms_other_than_the_registration_form_render_without_a_registration():
    codes = [c for c in FORM_CODES if c != "registration_form"]
    pdf = render_forms(codes, candidate=sample_candidate(), exam=sample_exam())
    assert len(PdfReader(io.BytesIO(pdf)).pages) == len(codes)


def test_empty_candidate_leaves_blanks_and_still_renders():
    from yikao.documents.pdf import CandidateInfo

    codes = [c for c in FORM_CODES if c != "registration_form"]
    pdf = render_forms(codes, candidate=CandidateInfo(name=""), exam=sample_exam())
    assert len(PdfReader(io.BytesIO(pdf)).pages) == len(codes)


def test_photo_is_the_jpeg_at_top_right_in_small_two_inch_proportions():
    pdf = render_form(
        "registration_form",
        candidate=sample_candidate(),
        exam=sample_exam(),
        registration=sample_registration(),
    )
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        page = doc.pages[0]
        (img,) = page.images
        assert img["x0"] > page.width * 0.7 and img["top"] < page.height * 0.3
        w, h = img["x1"] - img["x0"], img["bottom"] - img["top"]
        assert w == pytest.approx(35 / 25.4 * 72, abs=1)
        assert h == pytest.approx(45 / 25.4 * 72, abs=1)
    xobjects = PdfReader(io.BytesIO(pdf)).pages[0]["/Resources"]["/XObject"]
    (image,) = [x.get_object() for x in xobjects.values()]
    assert "/DCTDecode" in str(image["/Filter"])  # the JPEG itself, not re-encoded


def test_photo_with_other_proportions_fits_inside_the_box():
    wide = sample_photo_jpeg(600, 400)
    r = dataclasses.replace(sample_registration(), photo_jpeg=wide)
    pdf = render_form(
        "registration_form", candidate=sample_candidate(), exam=sample_exam(), registration=r
    )
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        (img,) = doc.pages[0].images
    assert img["x1"] - img["x0"] == pytest.approx(35 / 25.4 * 72, abs=1)
    assert img["bottom"] - img["top"] < 45 / 25.4 * 72


def test_missing_or_broken_photo_prints_a_placeholder():
    for photo, expected in ((None, "照片"), (b"not a jpeg", "照片（无法显示）")):
        r = dataclasses.replace(sample_registration(), photo_jpeg=photo)
        pdf = render_form(
            "registration_form", candidate=sample_candidate(), exam=sample_exam(), registration=r
        )
        text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
        assert expected in text.replace(" ", "")


@needs_pdftoppm
def test_qr_code_decodes_to_the_payload(tmp_path):
    payload = "YIKAO|2026410100012345|110|郑州考点"
    r = dataclasses.replace(sample_registration(), qr_payload=payload)
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(
        render_form(
            "registration_form", candidate=sample_candidate(), exam=sample_exam(), registration=r
        )
    )
    subprocess.run([PDFTOPPM, "-r", "150", "-png", "-singlefile", pdf, tmp_path / "r"], check=True)
    assert decode_qr(tmp_path / "r.png") == payload


LONG = {
    "name": "欧阳𠮷䶮娜娜木汗·买买提艾力",
    "work_unit": "新疆维吾尔自治区巴音郭楞蒙古自治州和静县巴音布鲁克镇中心卫生院第二分院全科医学科",
    "work_unit_address": "新疆维吾尔自治区巴音郭楞蒙古自治州和静县巴音布鲁克镇团结路一百二十八号院内三号楼",
    "major": "中西医临床医学（中医学与西医学结合方向）",
    "school": "北京中医药大学东方学院附属继续教育学院",
    "work_post": "全科医学科住院医师（兼公共卫生服务）",
    "id_number": "H12345678901234567890ABCDEFG",
}


def overlaps(a: dict, b: dict) -> bool:
    dx = min(a["x1"], b["x1"]) - max(a["x0"], b["x0"])
    dy = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
    return dx > 0.3 * a["size"] and dy > 0.3 * a["size"]


@pytest.mark.parametrize("changes", [{}, LONG], ids=["sample", "long-values"])
def test_no_text_leaves_the_page_overlaps_other_text_or_crosses_a_grid_line(changes):
    with pdfplumber.open(io.BytesIO(render_all(**changes))) as doc:
        for page in doc.pages:
            chars = [c for c in page.chars if c["text"].strip()]
            assert chars
            for c in chars:
                # a closing mark may hang past the line's end (CJK typesetting), not past the page
                right = c["x0"] if c["text"] in ALL_CANNOT_START else c["x1"]
                assert c["x0"] >= MARGIN_X - 1 and right <= page.width - MARGIN_X + 1, c["text"]
                assert c["top"] > 0 and c["bottom"] < page.height
            rows: dict[int, list[dict]] = {}
            for c in chars:
                rows.setdefault(int(c["top"] // 10), []).append(c)
            for c in chars:
                near = rows.get(int(c["top"] // 10) - 1, []) + rows.get(int(c["top"] // 10), [])
                near += rows.get(int(c["top"] // 10) + 1, [])
                others = [o for o in near if o is not c and overlaps(c, o)]
                assert not others, (page.page_number, c["text"], [o["text"] for o in others])
            # a grid line through the middle of a character means the text ran out of its cell
            horizontal = [e for e in page.edges if e["orientation"] == "h"]
            for c in chars:
                band = (c["top"] + 0.25 * c["size"], c["bottom"] - 0.35 * c["size"])
                for e in horizontal:
                    if e["x0"] < c["x1"] - 1 and e["x1"] > c["x0"] + 1:
                        assert not band[0] < e["top"] < band[1], (page.page_number, c["text"])


def test_long_values_print_in_full():
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(render_all(**LONG))).pages)
    flat = "".join(text.split())
    for key in ("work_unit", "work_unit_address", "school", "name"):
        assert LONG[key] in flat, key


@needs_pdftoppm
def test_every_form_renders_to_a_readable_png(tmp_path):
    """Renders each page at 60 dpi (what a reviewer looks at) and checks it is an A4 page with
    ink on it. The committed pictures in docs/forms/ come from the same renderer at 80 dpi."""
    pdf = tmp_path / "all.pdf"
    pdf.write_bytes(render_all())
    subprocess.run([PDFTOPPM, "-r", "60", "-png", pdf, tmp_path / "p"], check=True)
    pngs = sorted(tmp_path.glob("p-*.png"))
    assert len(pngs) == len(FORM_CODES)
    for png in pngs:
        with Image.open(png) as im:
            assert im.size[0] in (496, 497) and im.size[1] == 702
            grey = im.convert("L")
            dark = sum(grey.histogram()[:128])
            assert 0.005 < dark / (im.width * im.height) < 0.25, png.name


def test_committed_pictures_exist_for_every_form():
    docs = Path(__file__).resolve().parents[2] / "docs" / "forms"
    for code in FORM_CODES:
        assert (docs / f"{code}.png").is_file(), code


def test_library_imports_no_django():
    code = (
        "import sys; import yikao.documents.pdf as p; "
        "p.render_form('exam_pledge', candidate=p.CandidateInfo(name='x'), exam=p.ExamInfo(2026)); "
        "print(any(m == 'django' or m.startswith('django.') for m in sys.modules))"
    )
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"


def test_shortline_subject_fills_its_box():
    r = dataclasses.replace(sample_registration(), shortline_subject="儿科")
    pdf = render_form(
        "shortline_application", candidate=sample_candidate(), exam=sample_exam(), registration=r
    )
    text = "".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
    assert "院前急救□" in text and "儿科■" in text


def _registration_form_text(registration) -> str:
    pdf = render_form(
        "registration_form",
        candidate=sample_candidate(),
        exam=sample_exam(),
        registration=registration,
    )
    return "".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())


def test_print_date_is_the_one_given():
    import datetime as dt

    r = dataclasses.replace(sample_registration(), printed_on=dt.date(2026, 1, 2))
    assert "打印日期：2026年1月2日" in _registration_form_text(r)


def test_print_date_defaults_to_today_in_beijing():
    import datetime as dt

    from yikao.documents.pdf.inputs import beijing_today

    utc_now = dt.datetime.now(dt.UTC)
    assert beijing_today() == (utc_now + dt.timedelta(hours=8)).date()
    today = beijing_today()
    assert sample_registration().printed_on is None
    assert f"打印日期：{today.year}年{today.month}月{today.day}日" in _registration_form_text(
        sample_registration()
    )


def test_reportlab_runs_with_its_c_accelerators():
    """rl-accel (requirements.txt) replaces ReportLab's pure-Python number formatting and
    checksums, ~15 % of a registration form's render; a broken wheel falls back silently."""
    from reportlab.lib import rl_accel

    assert rl_accel.fp_str.__module__ == "_rl_accel"
    assert rl_accel.calcChecksum.__module__ == "_rl_accel"
