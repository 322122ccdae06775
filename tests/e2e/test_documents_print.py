"""打印报名材料 in a real browser: the list shows the print links, the PDFs come back."""

import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from factories import DEFAULT_PASSWORD
from pypdf import PdfReader

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "documents"))
from docs_factory import make_registration

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def login(page, user, next_url: str) -> None:
    user.has_seen_profile = True  # the first login would land on 个人信息 instead
    user.save(update_fields=["has_seen_profile"])
    page.goto(f"/accounts/login/?next={next_url}")
    page.get_by_label("用户名或证件号码").fill(user.username)
    page.get_by_label("密码").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"**{next_url}")


def test_candidate_prints_the_forms_from_the_registration_list(page, shot, tmp_path):
    registration = make_registration(full_name="孙𠮷䶮", year=2028)
    login(page, registration.candidate.user, "/registrations/")

    card = page.locator("article.registration").filter(has_text=registration.number)
    prints = card.get_by_role("region", name="打印报名材料")
    assert prints.is_visible()
    links = prints.get_by_role("link")
    # What the eye sees (the form's name after 打印 is for screen readers only).
    names = [links.nth(i).evaluate("a => a.firstChild.textContent") for i in range(links.count())]
    assert names == ["打印报名申请表", "打印", "打印", "全部打印"]
    assert prints.get_by_role("link", name="医师资格考试试用期考核证明（附件3）").is_visible()
    assert prints.get_by_role("link", name="考试承诺书（附件11）").is_visible()
    path = shot(page, "documents-01-registration-list-print-links")
    assert path.stat().st_size > 10_000

    href = prints.get_by_role("link", name="打印报名申请表").get_attribute("href")
    response = page.request.get(href)  # the browser context's session cookie
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith('inline; filename="baomingbiao-')
    body = response.body()
    text = PdfReader(io.BytesIO(body)).pages[0].extract_text().replace(" ", "")
    assert registration.number in text and "2028" in text

    # The form as a picture (poppler), beside the screenshots.
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm:
        pdf = tmp_path / "form.pdf"
        pdf.write_bytes(body)
        out = SCREENSHOTS / "documents-02-registration-form"
        subprocess.run([pdftoppm, "-r", "80", "-png", "-singlefile", pdf, out], check=True)
        assert out.with_suffix(".png").stat().st_size > 10_000

    response = page.request.get(prints.get_by_role("link", name="全部打印").get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert len(PdfReader(io.BytesIO(response.body())).pages) == 3


def test_the_print_links_on_a_phone(phone_page, shot):
    registration = make_registration(full_name="周一")
    login(phone_page, registration.candidate.user, "/registrations/")
    assert phone_page.get_by_role("link", name="全部打印").is_visible()
    shot(phone_page, "documents-03-registration-list-phone")


def test_another_candidates_pdf_is_not_found_in_the_browser(page):
    mine = make_registration(full_name="吴二")
    theirs = make_registration(full_name="郑三")
    login(page, mine.candidate.user, "/registrations/")
    response = page.request.get(f"/documents/registration/{theirs.pk}/registration_form.pdf")
    assert response.status == 404
