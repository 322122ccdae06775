"""Fonts: embedded subsets only, rare characters through the fallback font, a clear error
when a font package is missing."""

from __future__ import annotations

import dataclasses
import io

import pdfplumber
import pytest
from pypdf import PdfReader

from yikao.documents.pdf import FORM_CODES, FontNotFoundError, fonts, render_form, render_forms
from yikao.documents.pdf.samples import sample_candidate, sample_exam, sample_registration

RARE_NAME = "王𠮷䶮"  # 𠮷 U+20BB7 (CJK Ext B), 䶮 U+4DAE (CJK Ext A)


def all_forms(name: str = RARE_NAME) -> bytes:
    return render_forms(
        list(FORM_CODES),
        candidate=sample_candidate(name),
        exam=sample_exam(),
        registration=sample_registration(),
    )


def font_dicts(pdf: bytes):
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            yield font.get_object()


def test_every_font_is_an_embedded_truetype_subset():
    fonts_seen = {}
    for font in font_dicts(all_forms()):
        name = str(font["/BaseFont"])
        fonts_seen[name] = font
        assert font["/Subtype"] == "/TrueType", name
        assert "/FontFile2" in font["/FontDescriptor"], f"{name} is not embedded"
        assert "+" in name, f"{name} is not a subset"
        assert "/ToUnicode" in font, name
    families = {n.split("+", 1)[1] for n in fonts_seen}
    assert families == {"UMingCN-0", "HanaMinB"}


def test_embedded_font_file_is_a_small_subset():
    pdf = render_form("five_year_consent", candidate=sample_candidate("王小明"), exam=sample_exam())
    sizes = [
        len(f["/FontDescriptor"]["/FontFile2"].get_object().get_data()) for f in font_dicts(pdf)
    ]
    assert sizes and max(sizes) < 300_000  # the whole UMing collection is 21 MB
    assert len(pdf) < 100_000


def test_markup_wraps_only_the_missing_characters_in_the_fallback_font():
    assert fonts.markup("王𠮷䶮") == '王<font name="HanaMinB">𠮷</font>䶮'
    assert fonts.markup("a<b & 𠮷𠮷c") == 'a&lt;b &amp; <font name="HanaMinB">𠮷𠮷</font>c'
    assert fonts.markup("张三") == "张三"
    assert fonts.fonts_used("𠮷") == {fonts.FALLBACK_B}
    assert fonts.fonts_used("䶮") == {fonts.MAIN}  # UMing CN has CJK Ext A


def test_rare_name_extracts_and_is_drawn_with_a_font_that_has_it():
    pdf = render_form(
        "trial_certificate", candidate=sample_candidate(RARE_NAME), exam=sample_exam()
    )
    assert RARE_NAME in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        chars = doc.pages[0].chars
        text = "".join(c["text"] for c in chars)
        assert RARE_NAME in text
        by_char = {c["text"]: c["fontname"] for c in chars if c["text"] in RARE_NAME}
    assert by_char["𠮷"].endswith("+HanaMinB")
    assert by_char["䶮"].endswith("+UMingCN-0")
    assert by_char["王"].endswith("+UMingCN-0")


# The consents and pledges 6–10 have no name field: the candidate signs them by hand.
NAMED_FORMS = ["registration_form", "trial_certificate", "practice_certificate",
               "shortline_application", "exam_pledge"]  # fmt: skip


@pytest.mark.parametrize("code", NAMED_FORMS)
def test_rare_name_survives_on_every_form_that_prints_it(code):
    pdf = render_form(
        code,
        candidate=sample_candidate(RARE_NAME),
        exam=sample_exam(),
        registration=sample_registration(),
    )
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert RARE_NAME in text


def test_missing_main_font_names_the_debian_package(monkeypatch):
    spec = dataclasses.replace(fonts.SPECS[fonts.MAIN], paths=("/nonexistent/uming.ttc",))
    monkeypatch.setitem(fonts.SPECS, fonts.MAIN, spec)
    monkeypatch.delenv(spec.env_var, raising=False)
    with pytest.raises(FontNotFoundError, match="fonts-arphic-uming"):
        fonts.font_path(fonts.MAIN)


def test_missing_fallback_font_names_its_package(monkeypatch):
    spec = dataclasses.replace(fonts.SPECS[fonts.FALLBACK_B], paths=("/nonexistent/HanaMinB.ttf",))
    monkeypatch.setitem(fonts.SPECS, fonts.FALLBACK_B, spec)
    monkeypatch.delenv(spec.env_var, raising=False)
    monkeypatch.setattr(fonts, "_coverage", {fonts.MAIN: fonts._coverage[fonts.MAIN]})
    with pytest.raises(FontNotFoundError, match="fonts-hanazono"):
        fonts.markup("𠮷")


def test_font_path_can_be_overridden_by_environment(monkeypatch, tmp_path):
    fake = tmp_path / "my.ttc"
    fake.write_bytes(b"")
    monkeypatch.setenv("YIKAO_PDF_FONT_MAIN", str(fake))
    assert fonts.font_path(fonts.MAIN) == str(fake)


def test_font_files_are_mapped_not_held_in_memory():
    """Each server process would otherwise keep 21 MB (UMing) to 74 MB (with both HanaMin
    faces) of font bytes; a read-only map holds only the pages the subsets touch."""
    import mmap

    from reportlab.pdfbase import pdfmetrics

    render_forms(["registration_form"], candidate=sample_candidate("王𠮷䶮"),
                 exam=sample_exam(), registration=sample_registration())  # fmt: skip
    for name in (fonts.MAIN, fonts.FALLBACK_B):
        assert isinstance(pdfmetrics.getFont(name).face._ttf_data, mmap.mmap), name


def test_forms_render_in_parallel_threads():
    """gunicorn runs four threads per process, all sharing the registered fonts: ReportLab's
    subsetter keeps its read cursor on the shared face, so subsets are written one PDF at a
    time (EmbeddedTTFont._subsetting). Many renders at once must all succeed, and alike."""
    from concurrent.futures import ThreadPoolExecutor

    exam, registration = sample_exam(), sample_registration()
    names = ["王𠮷䶮", "李小明", "欧阳娜娜", "张三"] * 6

    def render(name: str) -> int:
        pdf = render_forms(["registration_form"], candidate=sample_candidate(name),
                           exam=exam, registration=registration)  # fmt: skip
        return len(PdfReader(io.BytesIO(pdf)).pages)

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert list(pool.map(render, names)) == [1] * len(names)
