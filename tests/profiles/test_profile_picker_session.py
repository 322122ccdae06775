"""The typed 个人信息 kept in the session while the candidate picks a work unit holds the
mobile, e-mail and address: it is sealed there, and comes back whole."""

import pytest

from yikao.profiles.views import DRAFT_KEY

pytestmark = pytest.mark.django_db


def test_the_typed_form_is_sealed_in_the_session_and_comes_back(client, candidate):
    client.force_login(candidate.user)
    typed = {
        "action": "pick_work_unit", "contact-mobile": "13912345678",
        "contact-email": "li@example.com", "contact-postal_address": "郑州市中牟县万滩镇88号",
        "contact-postcode": "451471",
    }  # fmt: skip
    assert client.post("/profile/", typed).status_code == 302
    stored = client.session[DRAFT_KEY]
    for value in ("13912345678", "li@example.com", "万滩镇88号"):
        assert value not in stored
    page = client.get("/profile/").content.decode()
    assert 'value="13912345678"' in page and "万滩镇88号" in page


def test_an_unreadable_kept_form_opens_the_page_as_saved(client, candidate):
    client.force_login(candidate.user)
    session = client.session
    session[DRAFT_KEY] = "contact-mobile=13912345678"  # kept before the sealing
    session.save()
    response = client.get("/profile/")
    assert response.status_code == 200
    assert 'value="13912345678"' not in response.content.decode()
