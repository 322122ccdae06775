"""站内消息: every move of a registration leaves the candidate a message and an SMS; the
list is the candidate's own; no message carries an ID number."""

import pytest
from django.db import transaction
from factories import make_candidate

from yikao.inbox.models import Message
from yikao.registrations.services import registration_abandon
from yikao.review.services import review_area_approve, review_return, review_site_approve

pytestmark = pytest.mark.django_db


def _titles(candidate):
    return list(Message.objects.filter(candidate=candidate).values_list("title", flat=True))


def test_submit_approve_and_approve_each_leave_a_message_and_an_sms(
    registration, site_staff, area_staff, outbox, django_capture_on_commit_callbacks
):
    candidate = registration.candidate
    assert _titles(candidate) == ["报名已提交"]
    with django_capture_on_commit_callbacks(execute=True):
        review_site_approve(staff=site_staff, registration=registration)
    with django_capture_on_commit_callbacks(execute=True):
        review_area_approve(staff=area_staff, registration=registration)
    assert _titles(candidate) == ["报名审核通过，请缴费", "考点审核已通过", "报名已提交"]
    assert [n.kind for n in outbox] == [
        "registration.submit", "registration.site_approve", "registration.area_approve",
    ]  # fmt: skip
    assert all(n.mobile == candidate.mobile for n in outbox)
    approved = Message.objects.filter(candidate=candidate).first()
    assert registration.number in approved.body
    assert approved.registration_id == registration.pk


def test_a_return_says_why_and_how_to_go_on(
    registration, site_staff, outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        review_return(staff=site_staff, registration=registration, reason="照片背景不是白色。")
    message = Message.objects.filter(candidate=registration.candidate).first()
    assert message.title == "报名被考点退回"
    assert "退回原因：照片背景不是白色。" in message.body
    assert "放弃并重新报名" in message.body
    assert outbox[-1].short.startswith("【医考】")


def test_abandon_is_told_too(registration, outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        registration_abandon(candidate=registration.candidate, registration=registration)
    assert _titles(registration.candidate)[0] == "已放弃报考"
    assert "如非本人操作" in outbox[-1].body


def test_no_message_ever_carries_the_id_number(
    registration, site_staff, outbox, django_capture_on_commit_callbacks
):
    candidate = registration.candidate
    # Staff typed the ID number (and a mobile) into the reason.
    reason = f"证件号码{candidate.id_number}与证书不一致，请致电13812345678。"
    with django_capture_on_commit_callbacks(execute=True):
        review_return(staff=site_staff, registration=registration, reason=reason)
    for message in Message.objects.filter(candidate=candidate):
        assert candidate.id_number not in message.body + message.title
        assert "13812345678" not in message.body
    for notice in outbox:
        assert candidate.id_number not in notice.body + notice.short + notice.subject


def test_a_move_rolled_back_leaves_no_message_and_sends_nothing(
    registration, site_staff, outbox, django_capture_on_commit_callbacks
):
    before = len(outbox)
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        review_site_approve(staff=site_staff, registration=registration)
        raise RuntimeError("crash after the move")
    assert _titles(registration.candidate) == ["报名已提交"]
    assert len(outbox) == before


def test_the_list_page_shows_ones_own_and_marks_them_read(client, registration):
    candidate = registration.candidate
    client.force_login(candidate.user)
    home = client.get("/").content.decode()
    assert "1条未读" in home and "报名已提交" in home
    page = client.get("/messages/").content.decode()
    assert "报名已提交" in page and registration.number in page
    assert not Message.objects.filter(candidate=candidate, read_at__isnull=True).exists()
    assert "条未读" not in client.get("/").content.decode()
    # Another candidate sees none of it.
    other = make_candidate()
    client.force_login(other.user)
    page = client.get("/messages/").content.decode()
    assert "报名已提交" not in page and "暂无消息" in page


def test_the_list_page_needs_a_candidate_login(client, site_staff):
    assert client.get("/messages/").status_code == 302
    client.force_login(site_staff)
    assert client.get("/messages/").status_code == 404
