"""/documents/registration/<pk>/<code>.pdf and all.pdf: who may print what."""

import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse
from factories import make_candidate
from pypdf import PdfReader

sys.path.insert(0, str(Path(__file__).parent))
from docs_factory import make_registration
from qr_reading import decode_qr

from yikao.documents.pdf import FORM_TITLES
from yikao.documents.qrpayload import registration_from_qr
from yikao.registrations.models import Status
from yikao.registrations.services import registration_abandon

pytestmark = pytest.mark.django_db
PDFTOPPM = shutil.which("pdftoppm")


@pytest.fixture
def registration():
    return make_registration(full_name="赵𠮷䶮", year=2029)


@pytest.fixture
def owner(client, registration):
    client.force_login(registration.candidate.user)
    return client


def form_url(registration, code: str) -> str:
    return reverse("documents:registration_form", args=[registration.pk, code])


def all_url(registration) -> str:
    return reverse("documents:registration_all", args=[registration.pk])


def pdf_text(content: bytes) -> list[str]:
    assert content.startswith(b"%PDF")
    return [p.extract_text().replace(" ", "") for p in PdfReader(io.BytesIO(content)).pages]


def test_urls_carry_no_personal_data(registration):
    url = form_url(registration, "registration_form")
    assert url == f"/documents/registration/{registration.pk}/registration_form.pdf"
    assert all_url(registration) == f"/documents/registration/{registration.pk}/all.pdf"


@pytest.mark.parametrize("code", ["registration_form", "trial_certificate", "exam_pledge"])
def test_each_applicable_form_prints_with_name_number_and_year(owner, registration, code):
    response = owner.get(form_url(registration, code))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    stem = {"registration_form": "baomingbiao", "trial_certificate": "shiyongqi-kaohe-zhengming",
            "exam_pledge": "kaoshi-chengnuoshu"}[code]  # fmt: skip
    assert response["Content-Disposition"] == (
        f'inline; filename="{stem}-{registration.number}.pdf"'
    )
    text = "".join(pdf_text(response.content))
    assert "赵𠮷䶮" in text
    assert "2029" in text
    if code == "registration_form":
        assert registration.number in text
        assert registration.candidate.id_number in text  # the own form: in full
        assert "郑州大学" in text and "郑州考点" in text


def test_registration_form_has_the_submitted_photo(owner, registration):
    response = owner.get(form_url(registration, "registration_form"))
    page = PdfReader(io.BytesIO(response.content)).pages[0]
    assert [image.image.size for image in page.images] == [(413, 531)]


def test_print_all_gives_every_applicable_form_in_one_pdf(owner, registration):
    response = owner.get(all_url(registration))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'inline; filename="baoming-cailiao-{registration.number}.pdf"'
    )
    pages = pdf_text(response.content)
    assert len(pages) == 3
    assert "报名申请表" in pages[0] and registration.number in pages[0]
    assert FORM_TITLES["trial_certificate"] in pages[1]
    assert FORM_TITLES["exam_pledge"] in pages[2]
    assert all("2029" in p for p in pages)


@pytest.mark.parametrize("code", ["postgraduate_pledge", "rural_consent", "nonsense", "all_"])
def test_a_form_that_does_not_apply_is_not_found(owner, registration, code):
    assert owner.get(form_url(registration, code)).status_code == 404


def test_another_candidates_registration_is_not_found(client, registration):
    client.force_login(make_candidate().user)
    assert client.get(form_url(registration, "registration_form")).status_code == 404
    assert client.get(all_url(registration)).status_code == 404


def test_an_unknown_registration_is_not_found(owner, registration):
    assert owner.get(f"/documents/registration/{registration.pk + 999}/all.pdf").status_code == 404


def test_anonymous_is_sent_to_log_in(client, registration):
    url = form_url(registration, "registration_form")
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert "next=" in response["Location"]


def test_staff_without_a_candidate_account_is_not_found(client, django_user_model, registration):
    staff = django_user_model.objects.create_user("staff01", "Secret2026a", is_staff=True)
    client.force_login(staff)
    assert client.get(form_url(registration, "registration_form")).status_code == 404


def test_an_abandoned_registration_is_not_printed(owner, registration):
    registration_abandon(candidate=registration.candidate, registration=registration)
    registration.refresh_from_db()
    assert registration.status == Status.ABANDONED
    for url in (form_url(registration, "registration_form"), all_url(registration)):
        response = owner.get(url)
        assert response.status_code == 410
        assert response["Content-Type"].startswith("text/html")
        assert "该报名已放弃，报名材料不能再打印" in response.content.decode()


def test_the_list_shows_exactly_the_applicable_forms(owner, registration):
    html = owner.get(reverse("registrations:index")).content.decode()
    assert html.count(f"/documents/registration/{registration.pk}/") == 4
    assert f'href="{form_url(registration, "registration_form")}"' in html
    assert f'href="{form_url(registration, "trial_certificate")}"' in html
    assert f'href="{form_url(registration, "exam_pledge")}"' in html
    assert f'href="{all_url(registration)}"' in html
    assert "打印报名申请表" in html and "全部打印" in html
    assert "医师资格考试试用期考核证明（附件3）" in html


def test_the_list_and_detail_hide_print_links_of_an_abandoned_registration(owner, registration):
    registration_abandon(candidate=registration.candidate, registration=registration)
    for url in (
        reverse("registrations:index"),
        reverse("registrations:detail", args=[registration.pk]),
    ):
        assert "/documents/registration/" not in owner.get(url).content.decode()


def test_the_detail_page_shows_the_print_links(owner, registration):
    html = owner.get(reverse("registrations:detail", args=[registration.pk])).content.decode()
    assert html.count(f"/documents/registration/{registration.pk}/") == 4


def test_the_qr_code_on_the_form_points_to_the_registration(owner, registration, tmp_path):
    if PDFTOPPM is None:
        pytest.skip("pdftoppm is missing (apt-get install poppler-utils)")
    pdf = tmp_path / "form.pdf"
    pdf.write_bytes(owner.get(form_url(registration, "registration_form")).content)
    subprocess.run(
        [PDFTOPPM, "-r", "150", "-png", "-singlefile", pdf, tmp_path / "form"], check=True
    )
    png = tmp_path / "form.png"
    assert png.stat().st_size > 10_000
    decoded = decode_qr(png)
    assert decoded.startswith("http://testserver/review/")
    assert registration_from_qr(decoded) == registration.pk
    for personal in (registration.candidate.id_number, registration.number):
        assert personal not in decoded


def test_posting_to_a_print_url_is_refused(owner, registration):
    assert owner.post(form_url(registration, "registration_form")).status_code == 405
