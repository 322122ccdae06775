"""Query bounds of the candidate pages (each bound is the measured count, rounded up a
little; a change that adds queries per row or per request fails here)."""

import pytest
from factories import DEFAULT_PASSWORD, make_signup

from yikao.exams.models import ExamCategory

pytestmark = pytest.mark.django_db

WIZARD_GET = 10  # steps 1–3 (step 2 renders the work form)
WIZARD_POST = 14  # steps 1–3 save the draft (step 2 also the profile)


def test_home_anonymous_query_count(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(0):
        assert client.get("/").status_code == 200


def test_home_logged_in_query_count(logged_in, django_assert_max_num_queries):
    # The next step reads the active registrations and the latest draft (2 more than before);
    # 站内消息: the unread count and the latest three (2 more).
    with django_assert_max_num_queries(10):
        assert logged_in.get("/").status_code == 200


def test_signup_page_query_count(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(0):
        assert client.get("/accounts/register/").status_code == 200


def test_signup_post_query_count(client, db, django_assert_max_num_queries):
    data = make_signup()
    form = {
        "full_name": data.full_name, "id_type": data.id_type.value, "id_number": data.id_number,
        "gender": data.gender.value, "birth_date": data.birth_date.isoformat(),
        "username": data.username, "password1": DEFAULT_PASSWORD, "password2": DEFAULT_PASSWORD,
        "security_question": data.security_question, "security_answer": data.security_answer,
        "email": "", "mobile": data.mobile, "accept_terms": "on",
    }  # fmt: skip
    with django_assert_max_num_queries(28):
        response = client.post("/accounts/register/", form)
    assert response.status_code == 302, response.content.decode()[:2000]


def test_login_page_query_count(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(0):
        assert client.get("/accounts/login/").status_code == 200


def test_login_post_query_count(client, world, django_assert_max_num_queries):
    username = world["candidate"].user.username
    with django_assert_max_num_queries(20):
        response = client.post(
            "/accounts/login/", {"username": username, "password": DEFAULT_PASSWORD}
        )
    assert response.status_code == 302


def test_profile_get_query_count(logged_in, django_assert_max_num_queries):
    with django_assert_max_num_queries(14):
        assert logged_in.get("/profile/").status_code == 200


def test_profile_post_query_count(logged_in, world, django_assert_max_num_queries):
    page = logged_in.get("/profile/").content.decode()
    import re

    fields = dict(re.findall(r'name="([^"]+)"[^>]*value="([^"]*)"', page))
    fields.update({"contact-postal_address": "郑州市金水区", "contact-postcode": "450000",
                   "work-work_unit_kind": "县级医院", "action": "submit"})  # fmt: skip
    for name in ("wrk", "edu", "trn", "crt"):
        fields.setdefault(f"{name}-TOTAL_FORMS", "0")
        fields.setdefault(f"{name}-INITIAL_FORMS", "0")
    with django_assert_max_num_queries(18):
        response = logged_in.post("/profile/", fields)
    assert response.status_code == 302, response.content.decode()[:3000]


def test_registration_list_query_count_does_not_grow(
    logged_in, world, django_assert_max_num_queries
):
    from factories import make_draft, make_site

    from yikao.registrations.services import registration_submit

    with django_assert_max_num_queries(9):
        assert logged_in.get("/registrations/").status_code == 200
    # A second registration (another exam) and a draft: still the same number of queries.
    site = make_site(world["later"])
    draft = make_draft(world["candidate"], world["later"], site)
    registration_submit(draft=draft, token=draft.token)
    with django_assert_max_num_queries(9):
        assert logged_in.get("/registrations/").status_code == 200


def test_registration_detail_query_count(logged_in, world, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        assert logged_in.get(f"/registrations/{world['registration'].pk}/").status_code == 200


def test_choose_and_notice_query_counts(logged_in, world, django_assert_max_num_queries):
    category = ExamCategory.objects.filter(exam=world["later"]).first()
    with django_assert_max_num_queries(8):
        assert logged_in.get("/registrations/exams/").status_code == 200
    with django_assert_max_num_queries(5):
        assert logged_in.get(f"/registrations/exams/{category.pk}/notice/").status_code == 200
    with django_assert_max_num_queries(10):
        response = logged_in.post(f"/registrations/exams/{category.pk}/notice/")
    assert response.status_code == 302


def _start(client, world):
    category = ExamCategory.objects.get(exam=world["later"], category="clinical", level="physician")
    client.post(f"/registrations/exams/{category.pk}/notice/")
    return f"/registrations/wizard/{world['later'].pk}"


def test_wizard_steps_query_counts(logged_in, world, django_assert_max_num_queries):
    from factories import make_site

    base = _start(logged_in, world)
    site = make_site(world["later"], capacity=10)
    education = world["candidate"].education_set.first()
    posts = {1: {"military": "none"}, 2: None, 3: {"educations": [education.pk]}}
    for number in (1, 2, 3):
        with django_assert_max_num_queries(WIZARD_GET):
            page = logged_in.get(f"{base}/{number}/")
        assert page.status_code == 200
        data = posts[number]
        if data is None:
            import re

            data = dict(
                re.findall(r'name="(work-[^"]+)"[^>]*value="([^"]*)"', page.content.decode())
            )
            data.update({"work-duty_status": "试用期", "work-post_category": "临床",
                         "work-work_start": "2024-08", "work-work_unit_name": "郑州市第一人民医院",
                         "work-work_unit_kind": "县级医院"})  # fmt: skip
        with django_assert_max_num_queries(WIZARD_POST):
            response = logged_in.post(f"{base}/{number}/", data)
        assert response.status_code == 302, response.content.decode()[:3000]
    # The seats-left counts come from the cache: on a miss, the test settings' database
    # cache adds its get and set (5 queries); with Redis in production they are not SQL.
    with django_assert_max_num_queries(23):
        assert logged_in.get(f"{base}/5/?area={site.area.code}").status_code == 200
    with django_assert_max_num_queries(17):  # a cache hit
        assert logged_in.get(f"{base}/5/?area={site.area.code}").status_code == 200
    token = world["candidate"].drafts.get(exam=world["later"]).token
    submit = {"area": site.area.code, "site": str(site.pk), "token": token, "go": "submit"}
    # 24 (35 before the entry locks and their audit rows became one statement per model).
    # + 1: the candidate's 站内消息 "报名已提交" (its SMS goes after commit).
    with django_assert_max_num_queries(26):
        response = logged_in.post(f"{base}/5/", submit)
    assert response.status_code == 302 and response["Location"].endswith("/registrations/")


def test_documents_pdf_query_count(logged_in, world, django_assert_max_num_queries):
    pk = world["registration"].pk
    with django_assert_max_num_queries(8):
        response = logged_in.get(f"/documents/registration/{pk}/registration_form.pdf")
    assert response.status_code == 200


def test_eligibility_page_query_count(client, db, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        assert client.get("/eligibility/").status_code == 200


HOLD = "yikao.accounts.middleware.MustChangePasswordMiddleware"
HELD_PATHS = ["/", "/profile/", "/registrations/", "/api/v1/me", "/accounts/login/"]


def _query_counts(settings, world, *, hold: bool, anonymous: bool) -> dict[str, tuple]:
    """(status, queries) of each path, with or without the password change hold."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    middleware = list(settings.MIDDLEWARE)
    settings.MIDDLEWARE = middleware if hold else [m for m in middleware if m != HOLD]
    client = Client()  # a new handler loads the middleware list above
    if not anonymous:
        client.force_login(world["candidate"].user)
    for path in HELD_PATHS:  # first visits write (last-seen time, 个人信息 seen): not counted
        client.get(path)
    counts = {}
    for path in HELD_PATHS:
        with CaptureQueriesContext(connection) as queries:
            status = client.get(path).status_code
        counts[path] = (status, len(queries))
    settings.MIDDLEWARE = middleware
    return counts


@pytest.mark.parametrize("anonymous", [False, True], ids=["candidate", "anonymous"])
def test_password_change_hold_costs_no_query(settings, world, anonymous):
    """must_change_password is read from the user row the request loads anyway."""
    assert HOLD in settings.MIDDLEWARE
    held = _query_counts(settings, world, hold=True, anonymous=anonymous)
    free = _query_counts(settings, world, hold=False, anonymous=anonymous)
    assert held == free
    if not anonymous:
        assert {status for status, _ in held.values()} == {200}
