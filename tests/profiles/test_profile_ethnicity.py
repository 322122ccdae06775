"""民族: asked in the 基本信息 card, saved with 提交, copied into the registration and printed."""

import re
import sys
from pathlib import Path

import pytest
from factories import make_bachelor_profile, make_candidate, make_draft, make_exam, make_site

sys.path.insert(0, str(Path(__file__).parent))
from test_profile_page import URL, form_data

from yikao.documents import mapping
from yikao.profiles.models import Profile
from yikao.registrations.services import registration_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged_in(client, candidate):
    client.force_login(candidate.user)
    return client


def test_ethnicity_is_asked_in_the_basic_card_and_tied_to_the_form(logged_in):
    html = logged_in.get(URL).content.decode()
    basic = html[html.index('id="basic"') : html.index('id="profile-form"')]
    select = re.search(r'<select[^>]*name="contact-ethnicity"[^>]*>', basic).group(0)
    assert 'form="profile-form"' in select
    assert '<label for="id_contact-ethnicity"' in basic
    assert '<option value="柯尔克孜族">柯尔克孜族</option>' in basic
    assert 'name="contact-ethnicity"' not in html[html.index('id="contact"') :]


def test_ethnicity_is_saved_with_the_other_groups(logged_in, candidate):
    response = logged_in.post(URL, form_data(**{"contact-ethnicity": "回族"}))
    assert response.status_code == 302
    assert Profile.objects.get(candidate=candidate).ethnicity == "回族"
    assert 'value="回族" selected' in logged_in.get(URL).content.decode()


@pytest.mark.parametrize("value", ["火星族", "<script>", "汉" * 500])
def test_an_ethnicity_not_in_the_list_is_refused_and_nothing_is_saved(logged_in, candidate, value):
    response = logged_in.post(URL, form_data(**{"contact-ethnicity": value}))
    assert response.status_code == 200
    assert response.context["page"].contact.errors["ethnicity"]
    assert not Profile.objects.filter(candidate=candidate, submitted_at__isnull=False).exists()


def test_the_registration_copies_the_ethnicity_and_the_forms_print_it():
    candidate = make_candidate()
    make_bachelor_profile(candidate)
    profile = Profile.objects.get(candidate=candidate)
    profile.ethnicity = "回族"
    profile.save()
    candidate = type(candidate).objects.get(pk=candidate.pk)  # as a new request loads it
    exam = make_exam()
    draft = make_draft(candidate, exam, make_site(exam))
    registration = registration_submit(draft=draft, token=draft.token)
    Profile.objects.filter(candidate=candidate).update(ethnicity="汉族")  # a later edit
    registration.refresh_from_db()
    assert registration.snapshot["basic"]["ethnicity"] == "回族"
    assert mapping.candidate_info(registration).ethnicity == "回族"
