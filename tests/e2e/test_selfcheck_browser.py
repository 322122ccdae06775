"""报名资格自测 in a real browser: three typical candidates, on a desktop and a phone."""

import pytest

from yikao.eligibility_web.selfcheck import default_exam_year

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _graduate(page, year: int) -> None:
    """应届本科临床: five-year 临床医学 bachelor graduating this year, trial in progress."""
    page.check("#id_graduating_1")
    page.select_option("#id_edu1-level", "本科")
    page.fill("#id_edu1-length_years", "5")
    page.select_option("#id_edu1-study_form", "全日制")
    page.fill("#id_edu1-major_name", "临床医学")
    page.fill("#id_edu1-entry", f"{year - 5}-09")
    page.fill("#id_edu1-graduation", f"{year}-07")
    page.select_option("#id_work-institution_kind", "其他")
    page.select_option("#id_work-post_category", "clinical")
    page.fill("#id_work-department", "内科")
    page.fill("#id_work-start", f"{year - 1}-07")


def _assistant(page, year: int) -> None:
    """专科 助理→执业: 专科 临床医学 with an 执业助理医师 licence registered 3 years before."""
    page.select_option("#id_edu1-level", "专科")
    page.fill("#id_edu1-length_years", "3")
    page.select_option("#id_edu1-study_form", "全日制")
    page.fill("#id_edu1-major_name", "临床医学")
    page.fill("#id_edu1-entry", f"{year - 9}-09")
    page.fill("#id_edu1-graduation", f"{year - 6}-07")
    page.select_option("#id_work-institution_kind", "乡镇卫生院")
    page.select_option("#id_work-post_category", "clinical")
    page.fill("#id_work-start", f"{year - 6}-08")
    page.click("text=执业助理医师证书（以助理报考执业医师时填写）")
    page.select_option("#id_cert-type", "执业助理医师")
    page.select_option("#id_cert-category", "clinical")
    page.fill("#id_cert-issued", f"{year - 3}-03")
    page.fill("#id_cert-registered", f"{year - 3}-05")


def _academic_master(page, year: int) -> None:
    """学术学位研究生 entered 2016, with a five-year 临床医学 bachelor."""
    page.select_option("#id_edu1-level", "研究生")
    page.select_option("#id_edu1-degree_type", "学术学位")
    page.fill("#id_edu1-length_years", "3")
    page.select_option("#id_edu1-study_form", "全日制")
    page.fill("#id_edu1-major_name", "内科学")
    page.fill("#id_edu1-major_code", "100201")
    page.fill("#id_edu1-entry", "2016-09")
    page.fill("#id_edu1-graduation", "2019-07")
    page.click("text=第二条教育经历（选填）")
    page.select_option("#id_edu2-level", "本科")
    page.fill("#id_edu2-length_years", "5")
    page.select_option("#id_edu2-study_form", "全日制")
    page.fill("#id_edu2-major_name", "临床医学")
    page.fill("#id_edu2-entry", "2011-09")
    page.fill("#id_edu2-graduation", "2016-07")
    page.select_option("#id_work-institution_kind", "其他")
    page.select_option("#id_work-post_category", "clinical")
    page.fill("#id_work-start", "2019-08")
    page.fill("#id_work-end", "2021-06")


CANDIDATES = {
    "graduate": (_graduate, "应届医学专业毕业生医师资格考试报考承诺书", None),
    "assistant": (_assistant, "执业助理医师报考执业医师执业期考核证明", None),
    "academic": (_academic_master, "医师资格考试试用期考核证明", "第二条教育经历：本科"),
}


def _no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("who", list(CANDIDATES))
@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_selfcheck_browser_typical_candidates(request, shot, who, device):
    page = request.getfixturevalue("page" if device == "desktop" else "phone_page")
    fill, document, relies = CANDIDATES[who]
    year = default_exam_year()
    page.goto("/eligibility/")
    assert page.input_value("#id_exam_year") == str(year)
    if who == "graduate" and device == "desktop":
        shot(page, "selfcheck-form-desktop")
    fill(page, year)
    page.click("button:has-text('开始自测')")
    page.wait_for_selector("#results")
    clinical = page.locator('article[data-category="clinical"][data-level="physician"]')
    assert clinical.get_attribute("data-status") == "eligible"
    assert "可以报考" in clinical.locator(".badge").inner_text()
    assert document in clinical.inner_text()
    assert "考试承诺书" in clinical.inner_text()
    if relies:
        assert relies in clinical.inner_text()
    statuses = page.locator("article.decision").evaluate_all(
        "els => els.map(e => e.dataset.status)"
    )
    assert statuses[0] == "eligible"
    assert statuses == sorted(statuses, key=["eligible", "undecided", "not_eligible"].index)
    folded = page.locator("details.not-eligible")
    assert not folded.evaluate("el => el.open")
    if device == "phone":
        assert _no_sideways_scroll(page)
    shot(page, f"selfcheck-{who}-{device}")
    if who == "graduate":
        folded.locator("summary").click()
        assert page.locator("details.not-eligible .reason-blocking").first.is_visible()
        if device == "phone":
            assert _no_sideways_scroll(page)
        shot(page, f"selfcheck-{who}-{device}-not-eligible-open")


def test_selfcheck_browser_bad_input_phone(phone_page, shot):
    page = phone_page
    page.goto("/eligibility/")
    page.fill("#id_edu1-entry", "2020年9月")
    page.fill("#id_edu1-major_name", "临床医学")
    # The browser's own pattern check would stop the form; this checks the server's message.
    page.evaluate("document.getElementById('selfcheck-form').noValidate = true")
    page.click("button:has-text('开始自测')")
    error = page.locator("#id_edu1-entry_error")
    assert "请写作 2020-09" in error.inner_text()
    assert _no_sideways_scroll(page)
    shot(page, "selfcheck-bad-input-phone")
