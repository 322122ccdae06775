"""The printed registration form has one name, the seed guide's: "考生还可以利用栏目下方的
打印功能打印报名申请表" (docs/seed/registration-guide.txt, 2、考试报名). The list, the PDF,
the success message and the print views say 报名申请表 — never 报名信息表, never a bare 申请表."""

import io
import re
import sys
from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from factories import (
    make_bachelor_profile,
    make_candidate,
    make_draft,
    make_exam,
    make_photo,
    make_site,
)
from pypdf import PdfReader

sys.path.insert(0, str(Path(__file__).parent))
from docs_factory import make_registration

from yikao.documents.pdf import FORM_TITLES
from yikao.documents.pdf.wording import registration_form as wording

pytestmark = pytest.mark.django_db

NAME = "报名申请表"
GUIDE = Path(__file__).resolve().parents[2] / "docs" / "seed" / "registration-guide.txt"


def other_names(text: str) -> list[str]:
    """The names that are not the one: 报名信息表, and 申请表 standing alone (the appendix
    forms' own titles, such as 短线医学专业加试申请表, are other forms)."""
    rest = re.sub(r"报名申请表|加试申请表|授予医师资格申请表", "", text)
    return re.findall(r"报名信息表|申请表", rest)


def test_the_name_is_the_guides():
    assert f"打印{NAME}" in GUIDE.read_text(encoding="utf-8")
    assert wording.TITLE == NAME
    assert FORM_TITLES["registration_form"].startswith(NAME)


def test_the_list_page_names_it_one_way(client):
    registration = make_registration(year=2029)
    client.force_login(registration.candidate.user)
    html = client.get(reverse("registrations:index")).content.decode()
    prints = html[html.index('class="print-list"') :]
    prints = prints[: prints.index("</ul>")]
    assert f"<span>{NAME}" in prints and f"打印{NAME}</a>" in prints
    assert other_names(html) == []


def test_the_pdf_is_titled_with_it(client):
    registration = make_registration(year=2029)
    client.force_login(registration.candidate.user)
    response = client.get(
        reverse("documents:registration_form", args=[registration.pk, "registration_form"])
    )
    assert response.status_code == 200
    text = "".join(
        (page.extract_text() or "") for page in PdfReader(io.BytesIO(response.content)).pages
    )
    text = re.sub(r"\s+", "", text)
    assert f"2029年医师资格考试{NAME}" in text
    assert other_names(text) == []


def test_the_success_message_says_it(client):
    exam = make_exam(year=2029)
    site = make_site(exam)
    candidate = make_candidate()
    make_bachelor_profile(candidate)
    make_photo(candidate)
    draft = make_draft(candidate, exam, site)
    client.force_login(candidate.user)
    response = client.post(
        reverse("registrations:step", kwargs={"exam_id": exam.pk, "number": 5}),
        {"area": site.area.code, "site": site.pk, "token": draft.token},
    )
    assert response["Location"] == reverse("registrations:index")
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert message.startswith("报名成功！") and f"请打印{NAME}。" in message
    assert other_names(message) == []


def test_a_postgraduates_full_form_is_one_page_not_a_part_empty_page_and_a_spill():
    """Two educations (the guide asks a postgraduate to add the bachelor), two trainings, a
    certificate, three earlier periods and ten papers: still one page (scaled to fit), not
    a page 1 ending a quarter empty with the papers and signature on page 2."""
    import dataclasses

    from yikao.documents.pdf import render_form
    from yikao.documents.pdf.samples import sample_candidate, sample_exam, sample_registration

    r = sample_registration()
    master = (("学历", "研究生（硕士）"), ("学位", "医学硕士"), ("毕业学校", "北京协和医学院"),
              ("专业", "内科学"), ("学制", "三年"), ("入学年月", "2025-09"),
              ("毕业年月", "2028-06"), ("毕业证书编号", "100231202806001234"))  # fmt: skip
    period = {"起止日期": "2020-08-01 至 2021-07-31", "工作单位": "河南省郑州市第一人民医院",
              "机构类型": "县级医院", "岗位类别": "临床", "科室": "内科", "考核": "合格"}  # fmt: skip
    r = dataclasses.replace(
        r,
        education=(*r.education, master),
        training=(*r.training, *r.training),
        certificates=(
            {
                "证书类型": "执业助理医师",
                "证书编号": "Q1",
                "发证年月": "2024-12",
                "注册编号": "P1",
                "注册年月": "2025-03",
                "执业类别": "临床",
            },
        ),
        work_history=(period,) * 3,
        documents_to_bring=(
            *r.documents_to_bring,
            "本科毕业证书原件及复印件",
            "现役军人证件",
            "其他",
        ),
    )
    pdf = render_form(
        "registration_form", candidate=sample_candidate(), exam=sample_exam(), registration=r
    )
    [page] = PdfReader(io.BytesIO(pdf)).pages
    text = re.sub(r"\s+", "", page.extract_text())
    assert NAME in text and "考生签字" in text and "10.其他" in text
