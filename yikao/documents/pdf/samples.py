"""Made-up inputs for tests, the benchmark and the pictures in docs/forms/.

    python -m yikao.documents.pdf.samples docs/forms 80 [--pdf]

writes the first page of every form as docs/forms/<code>.png (poppler's pdftoppm), and
with ``--pdf`` the PDFs too.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import sys
from pathlib import Path

from .inputs import CandidateInfo, ExamInfo, RegistrationInfo

SAMPLE_YEAR = 2026


def sample_photo_jpeg(width: int = 413, height: int = 531) -> bytes:
    """A plain 小二寸 "photo" (a grey head and shoulders on white), as JPEG bytes."""
    from PIL import Image, ImageDraw

    im = Image.new("RGB", (width, height), "white")
    d = ImageDraw.Draw(im)
    cx = width // 2
    d.ellipse((cx - 90, 90, cx + 90, 320), fill=(150, 150, 160))
    d.rounded_rectangle((cx - 190, 330, cx + 190, height + 60), 80, fill=(60, 70, 110))
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=80)
    return buf.getvalue()


def sample_candidate(name: str = "王𠮷䶮") -> CandidateInfo:
    return CandidateInfo(
        name=name,
        gender="男",
        birth_month="1999-05",
        ethnicity="汉族",
        id_type="居民身份证",
        id_number="41010219990512003X",
        id_valid_until=dt.date(2034, 8, 1),
        phone="13800138000",
        education_level="本科",
        major="临床医学",
        school="郑州大学",
        graduation_month="2025-06",
        degree_type="学士",
        work_unit="郑州市第一人民医院",
        work_unit_address="河南省郑州市二七区解放路56号",
        work_unit_postcode="450000",
        work_unit_registration_no="41010210000001",
        work_unit_legal_rep="李建国",
        work_post="内科住院医师",
        category="临床执业医师",
        category_code="110",
        assistant_qualification_no="201941110410102199905120031",
        assistant_practice_no="110410100012345",
        trial_start="2025-07",
        trial_end="2026-06",
        practice_start="2021-09",  # 执业助理医师 registration (附件4)
        postgraduate_graduation=dt.date(SAMPLE_YEAR, 6, 30),
    )


def sample_exam() -> ExamInfo:
    # The Henan days (河南附件6 prints 8月1日).
    return ExamInfo(
        year=SAMPLE_YEAR,
        name="医师资格考试",
        graduate_documents_deadline=dt.date(SAMPLE_YEAR, 8, 1),
        trial_deadline=dt.date(SAMPLE_YEAR, 8, 31),
    )


def sample_registration(photo: bool = True) -> RegistrationInfo:
    return RegistrationInfo(
        registration_number="2026410100012345",
        category="临床执业医师",
        category_code="110",
        exam_area="河南省",
        exam_site="郑州考点",
        submitted_at=dt.datetime(SAMPLE_YEAR, 1, 15, 10, 32),
        education=(
            (
                ("学历", "本科"),
                ("学位", "医学学士"),
                ("毕业学校", "郑州大学"),
                ("专业", "临床医学"),
                ("学制", "五年"),
                ("入学年月", "2020-09"),
                ("毕业年月", "2025-06"),
                ("毕业证书编号", "104591202505001234"),
            ),
        ),
        training=(
            {
                "培训类型": "住院医师规范化培训",
                "培训基地": "郑州大学第一附属医院",
                "培训专业": "内科",
                "起止年月": "2025-07 至 2028-06",
            },
        ),
        certificates=(),
        work=({"在岗情况": "在岗", "技术职称": "无", "职务": "无"},),
        photo_jpeg=sample_photo_jpeg() if photo else None,
        documents_to_bring=(
            "网上报名成功通知单（本表）",
            "有效身份证件原件及复印件",
            "毕业证书原件及复印件",
            "学信网《教育部学历证书电子注册备案表》",
            "《医师资格考试试用期考核证明》",
            "试用机构《医疗机构执业许可证》副本复印件（加盖公章）",
            "考试承诺书",
        ),
        qr_payload="YIKAO|2026410100012345|110|郑州考点",
    )


def _shrink_png(path: Path) -> None:
    """16 grey levels: a form picture in the repository stays around 40 KB."""
    from PIL import Image

    with Image.open(path) as im:
        small = im.convert("L").quantize(16, dither=Image.Dither.NONE)
    small.save(path, optimize=True)


def main(argv: list[str]) -> int:
    """``OUT_DIR [DPI]``: the first page of every form as OUT_DIR/<code>.png (needs poppler's
    pdftoppm); with ``--pdf`` the PDFs are kept beside them."""
    import tempfile

    from . import FORM_TITLES, render_form

    keep_pdf = "--pdf" in argv
    args = [a for a in argv if a != "--pdf"]
    out = Path(args[0] if args else "var/forms")
    dpi = args[1] if len(args) > 1 else "80"
    out.mkdir(parents=True, exist_ok=True)
    pdftoppm = shutil.which("pdftoppm")
    if not pdftoppm and not keep_pdf:
        print("pdftoppm not found: apt-get install poppler-utils", file=sys.stderr)
        return 1
    c, e, r = sample_candidate(), sample_exam(), sample_registration()
    with tempfile.TemporaryDirectory() as tmp:
        for code in FORM_TITLES:
            pdf = (out if keep_pdf else Path(tmp)) / f"{code}.pdf"
            pdf.write_bytes(render_form(code, candidate=c, exam=e, registration=r))
            if pdftoppm:
                cmd = [pdftoppm, "-r", dpi, "-png", "-f", "1", "-l", "1", "-singlefile"]
                subprocess.run([*cmd, str(pdf), str(out / code)], check=True)  # noqa: S603
                _shrink_png(out / f"{code}.png")
                print(out / f"{code}.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
