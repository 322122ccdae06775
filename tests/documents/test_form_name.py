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
