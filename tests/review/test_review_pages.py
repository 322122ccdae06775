import io
import time

import pytest
from django.urls import reverse
from factories import resident_id
from openpyxl import load_workbook
from review_helpers import make_registration, staff_login, totp_now

from yikao.core.models import AuditEntry
from yikao.registrations.models import Status
from yikao.review.forms import QueueFilterForm
from yikao.review.services import review_site_approve
from yikao.staff.access import SESSION_SEEN, STAFF_IDLE_SECONDS

pytestmark = pytest.mark.django_db
PASSWORD = "Staff2026pass"


def _login(client, user, token):
    return client.post(
        reverse("review:login"),
        {"username": user.username, "password": PASSWORD, "otp_token": token},
    )


def test_login_needs_password_and_one_time_code(client, staff_a):
    response = _login(client, staff_a, "000000" if totp_now(staff_a.device) != "000000" else "1")
    assert response.status_code == 200
    assert "用户名、密码或动态验证码不正确" in response.content.decode()
    assert client.get(reverse("review:queue")).status_code == 302
    staff_a.device.refresh_from_db()
    staff_a.device.throttling_failure_count = 0
    staff_a.device.throttling_failure_timestamp = None
    staff_a.device.save()
    response = _login(client, staff_a, totp_now(staff_a.device))
    assert response.status_code == 302
    assert response["Location"] == reverse("review:queue")
    assert client.get(reverse("review:queue")).status_code == 200
    assert AuditEntry.objects.filter(action="review.staff_logged_in", actor=staff_a).exists()


def test_a_candidate_cannot_use_the_staff_entrance(client, candidate):
    from factories import DEFAULT_PASSWORD

    response = client.post(
        reverse("review:login"),
        {"username": candidate.user.username, "password": DEFAULT_PASSWORD, "otp_token": "123456"},
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_staff_password_login_without_code_does_not_open_the_back_office(client, staff_a):
    client.post(reverse("accounts:login"), {"username": staff_a.username, "password": PASSWORD})
    response = client.get(reverse("review:queue"))
    assert response.status_code == 302
    assert response["Location"].startswith("/review/login/")


def test_staff_session_ends_after_15_idle_minutes(client, staff_a):
    staff_login(client, staff_a)
    assert client.get(reverse("review:queue")).status_code == 200
    session = client.session
    session[SESSION_SEEN] = int(time.time()) - STAFF_IDLE_SECONDS - 5
    session.save()
    response = client.get(reverse("review:queue"))
    assert response.status_code == 302
    assert "timeout=1" in response["Location"]
    assert "_auth_user_id" not in client.session
    assert "15分钟未操作" in client.get(response["Location"]).content.decode()


def test_queue_masks_ids_and_finds_by_exact_id_number_only(client, exam, site_a, staff_a):
    number = resident_id(region="410102", birth="19990101", seq=7)
    wanted = make_registration(exam, site_a, id_number=number, full_name="王小明")
    make_registration(exam, site_a)
    staff_login(client, staff_a)
    page = client.get(reverse("review:queue")).content.decode()
    assert number not in page
    assert f"{number[:4]}**********{number[-4:]}" in page

    def search(q):
        response = client.post(reverse("review:queue"), {"q": q, "status": ""}, follow=True)
        (url, _), *_ = response.redirect_chain
        assert "q=" not in url and number not in url
        return [r.pk for r in response.context["page"].rows]

    assert search(number) == [wanted.pk]
    assert search(number[:-1]) == []
    assert search(wanted.number) == [wanted.pk]
    assert search("王小") == [wanted.pk]


def test_queue_search_in_a_url_is_refused_not_run(client, exam, site_a, staff_a):
    number = resident_id(region="410102", birth="19990101", seq=8)
    make_registration(exam, site_a, id_number=number)
    staff_login(client, staff_a)
    response = client.get(reverse("review:queue"), {"q": number, "status": ""})
    assert response.status_code == 200
    assert response.context["page"].rows == []
    assert QueueFilterForm.url_search_error in response.content.decode()


def test_posted_filters_page_and_export_by_their_key(client, exam, site_a, staff_a):
    from yikao.core.models import AuditEntry

    number = resident_id(region="410102", birth="19990101", seq=9)
    wanted = make_registration(exam, site_a, id_number=number)
    make_registration(exam, site_a)
    staff_login(client, staff_a)
    response = client.post(reverse("review:queue"), {"q": number, "status": ""})
    key_url = response["Location"]
    assert key_url.startswith(reverse("review:queue") + "?f=")
    assert [r.pk for r in client.get(key_url).context["page"].rows] == [wanted.pk]
    export = client.get(reverse("review:export") + key_url[key_url.index("?") :])
    assert export.status_code == 200
    b"".join(export.streaming_content)
    audit = AuditEntry.objects.get(action="review.exported")
    assert number not in audit.reason and "**********" in audit.reason
    # A key from another session, or a made-up one, falls back to the default list.
    assert client.get(reverse("review:queue"), {"f": "nonsense"}).status_code == 200
    # An invalid post shows its error and stores nothing.
    bad = client.post(reverse("review:queue"), {"date_from": "2026-13-45"})
    assert bad.status_code == 200 and "日期格式为YYYY-MM-DD。" in bad.content.decode()


def test_queue_filters_and_keyset_pages(client, exam, site_a, staff_a):
    regs = [make_registration(exam, site_a) for _ in range(5)]
    review_site_approve(staff=staff_a, registration=regs[0])
    staff_login(client, staff_a)
    default = client.get(reverse("review:queue")).context["page"]
    assert {r.pk for r in default.rows} == {r.pk for r in regs[1:]}  # 已提交 by default
    approved = client.get(reverse("review:queue"), {"status": "site_approved"}).context["page"]
    assert [r.pk for r in approved.rows] == [regs[0].pk]
    unverified = client.get(reverse("review:queue"), {"status": "", "verified": "no"})
    assert len(unverified.context["page"].rows) == 5
    assert (
        client.get(reverse("review:queue"), {"status": "", "verified": "yes"}).context["page"].rows
        == []
    )
    unit = client.get(reverse("review:queue"), {"status": "", "unit": "第一人民"})
    assert len(unit.context["page"].rows) == 5
    first = client.get(reverse("review:queue"), {"status": ""}).context
    from yikao.review import selectors

    page = selectors.queue_page(staff_a.staff_scope, selectors.QueueFilters(), size=2)
    assert [r.pk for r in page.rows] == [regs[4].pk, regs[3].pk]
    page2 = selectors.queue_page(
        staff_a.staff_scope, selectors.QueueFilters(), after=page.next_after, size=2
    )
    assert [r.pk for r in page2.rows] == [regs[2].pk, regs[1].pk]
    assert first["page"].next_after is None


def test_queue_query_count_does_not_grow_with_rows(
    client, exam, site_a, staff_a, django_assert_max_num_queries
):
    for _ in range(30):
        make_registration(exam, site_a)
    staff_login(client, staff_a)
    # session, user, OTP device, scope, exams, categories, the page, the header's
    # user.candidate, the session touch (savepoint, update, release): none per row.
    with django_assert_max_num_queries(11):
        response = client.get(reverse("review:queue"))
    assert len(response.context["page"].rows) == 30


def test_export_masked_streams_and_is_audited(
    client, exam, site_a, staff_a, django_assert_max_num_queries
):
    regs = [make_registration(exam, site_a) for _ in range(25)]
    staff_login(client, staff_a)
    # As the queue, with one streamed SELECT for all rows and the audit INSERT.
    with django_assert_max_num_queries(11):
        response = client.get(reverse("review:export"), {"status": ""})
        content = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("报名号", "姓名", "证件类型", "证件号码")
    assert len(rows) == 26
    numbers = {r.candidate.id_number for r in regs}
    assert not numbers & {row[3] for row in rows}
    assert all("*" in row[3] for row in rows[1:])
    assert AuditEntry.objects.get(action="review.exported").changes["rows"]["new"] == 25


def test_full_id_export_needs_the_permission_and_is_audited(client, exam, site_a, staff_a):
    reg = make_registration(exam, site_a)
    staff_login(client, staff_a)
    assert client.get(reverse("review:export"), {"full": "1"}).status_code == 404
    staff_a.staff_scope.full_id_export = True
    staff_a.staff_scope.save()
    response = client.get(reverse("review:export"), {"full": "1"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert list(sheet.iter_rows(values_only=True))[1][3] == reg.candidate.id_number
    assert AuditEntry.objects.filter(action="review.exported_full_ids", actor=staff_a).count() == 1


def test_export_never_writes_a_formula(client, exam, site_a, staff_a):
    from yikao.review.exports import _text

    assert _text("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert _text("郑州") == "郑州"


def test_return_on_the_page_shows_the_reason_to_the_candidate(client, exam, site_a, staff_a):
    reg = make_registration(exam, site_a)
    staff_login(client, staff_a)
    empty = client.post(reverse("review:return", args=[reg.pk]), {"reason": ""})
    assert empty.status_code == 400
    assert "请选择或填写退回原因" in empty.content.decode()
    preset = "工作单位填写不规范，请填写单位全称。"
    client.post(reverse("review:return", args=[reg.pk]), {"preset": preset, "reason": "郑大一附院"})
    reg.refresh_from_db()
    assert reg.status_reason == f"{preset} 郑大一附院"
    client.logout()
    client.force_login(
        reg.candidate.user, backend="yikao.accounts.backends.UsernameOrIdNumberBackend"
    )
    page = client.get(reverse("registrations:index")).content.decode()
    assert "已退回" in page and preset in page


def test_detail_page_shows_snapshot_eligibility_and_history(client, exam, site_a, staff_a):
    reg = make_registration(exam, site_a)
    staff_login(client, staff_a)
    page = client.get(reverse("review:detail", args=[reg.pk])).content.decode()
    assert "郑州大学" in page and "符合报考条件" in page
    assert "提交报名" in page and "registration.submitted" not in page
    assert "未验证" in page
    assert reg.candidate.id_number not in page


def test_correction_page(client, exam, site_a, staff_a):
    reg = make_registration(exam, site_a)
    staff_login(client, staff_a)
    url = reverse("review:correct", args=[reg.pk])
    c = reg.candidate
    data = {"full_name": "张叁", "id_type": c.id_type, "id_number": c.id_number, "reason": ""}
    response = client.post(url, data)
    assert "这个字段是必填项" in response.content.decode() or "必填" in response.content.decode()
    response = client.post(url, {**data, "reason": "按身份证更正"})
    assert response.status_code == 302
    c.refresh_from_db()
    assert c.full_name == "张叁" and c.corrected_at


def test_reset_password_page_shows_the_password_once(client, exam, site_a, staff_a):
    reg = make_registration(exam, site_a)
    staff_login(client, staff_a)
    url = reverse("review:reset_password", args=[reg.pk])
    refused = client.post(url, {"reason": "已核验"})
    assert "请先当面核验" in refused.content.decode()
    response = client.post(url, {"reason": "已核验身份证原件", "confirm": "on"})
    password = response.context["password"]
    assert password and password in response.content.decode()
    client.logout()
    login = client.post(
        reverse("accounts:login"), {"username": reg.candidate.user.username, "password": password}
    )
    assert login["Location"] == reverse("accounts:password_change")


def test_bulk_approval_page(client, exam, site_a, staff_a):
    regs = [make_registration(exam, site_a) for _ in range(3)]
    staff_login(client, staff_a)
    response = client.post(
        reverse("review:bulk_approve"), {"ids": [regs[0].pk, regs[1].pk], "back": "status="}
    )
    assert response["Location"] == reverse("review:queue") + "?status="
    statuses = [r.status for r in sorted(regs, key=lambda r: r.pk)]
    for r in regs:
        r.refresh_from_db()
    assert [r.status for r in regs] == [Status.SITE_APPROVED, Status.SITE_APPROVED, statuses[2]]


def test_scan_rejects_a_forged_code(client, staff_a, reg_a):
    staff_login(client, staff_a)
    assert client.get(reverse("review:scan", args=[f"{reg_a.pk}:forged"])).status_code == 404


def test_dashboard_and_audit_viewer(client, exam, site_a, staff_a, area41):
    regs = [make_registration(exam, site_a) for _ in range(3)]
    review_site_approve(staff=staff_a, registration=regs[0])
    staff_login(client, area41)
    stats = client.get(reverse("review:dashboard")).context["stats"]
    assert stats["total"] == 3
    assert dict((code, n) for _, code, n in stats["by_status"]) == {
        "submitted": 2, "site_approved": 1
    }  # fmt: skip
    assert stats["seats"][0].left == 497
    assert sum(t["n"] for t in stats["throughput"]) == 1

    def audit(**data):
        response = client.post(reverse("review:audit"), data, follow=True)
        (url, status), *_ = response.redirect_chain
        assert status == 302 and url.startswith(reverse("review:audit") + "?f=")
        assert regs[1].candidate.id_number not in url
        return response.context["rows"]

    assert [e.action for e in audit(staff="kaodian_a")] == ["review.site_approved"]
    by_candidate = audit(candidate=regs[1].candidate.id_number)
    assert by_candidate and {e.subject_id for e in by_candidate} == {regs[1].candidate.user_id}
    by_number = audit(candidate=regs[0].number)
    assert {e.subject_id for e in by_number} == {regs[0].candidate.user_id}
    assert audit(action="review.")
    # Non-personal filters still work from a link; the page itself lists everything.
    linked = client.get(reverse("review:audit"), {"staff": "kaodian_a"}).context["rows"]
    assert [e.action for e in linked] == ["review.site_approved"]
    assert len(client.get(reverse("review:audit")).context["rows"]) >= 4


def test_audit_viewer_candidate_in_a_url_is_refused_not_run(client, exam, site_a, area41):
    from yikao.review.forms import AuditFilterForm

    reg = make_registration(exam, site_a)
    staff_login(client, area41)
    response = client.get(reverse("review:audit"), {"candidate": reg.candidate.id_number})
    assert response.status_code == 200
    assert response.context["rows"] == []
    assert AuditFilterForm.url_candidate_error in response.content.decode()


def test_audit_viewer_posted_filter_pages_by_its_key(client, exam, site_a, staff_a, area41):
    from yikao.core.audit import audit_record

    reg = make_registration(exam, site_a)
    other = make_registration(exam, site_a)
    user = reg.candidate.user
    for n in range(55):
        audit_record(actor=staff_a, subject=user, action="review.test_note", reason=f"第{n}条")
    audit_record(actor=staff_a, subject=other.candidate.user, action="review.test_note")
    staff_login(client, area41)
    page = client.get(reverse("review:audit")).content.decode()
    assert 'method="post"' in page and 'method="get"' not in page
    response = client.post(reverse("review:audit"), {"candidate": reg.candidate.id_number})
    key_url = response["Location"]
    assert key_url.startswith(reverse("review:audit") + "?f=")
    first = client.get(key_url)
    rows = first.context["rows"]
    assert len(rows) == 50 and {e.subject_id for e in rows} == {user.pk}
    # The filter shows in the form, and the next page's link carries the key only.
    assert first.context["form"]["candidate"].value() == reg.candidate.id_number
    next_query = first.context["next_query"]
    assert next_query.startswith("f=") and "&after=" in next_query
    assert reg.candidate.id_number not in next_query and "candidate" not in next_query
    assert f'href="?{next_query}"' in first.content.decode().replace("&amp;", "&")
    second = client.get(f"{reverse('review:audit')}?{next_query}")
    rest = second.context["rows"]
    assert {e.subject_id for e in rest} == {user.pk}
    assert len(rows) + len(rest) == AuditEntry.objects.filter(subject=user).count()
    assert second.context["next_query"] == ""
    # A key from another session, or a made-up one, falls back to the whole log.
    assert client.get(reverse("review:audit"), {"f": "nonsense"}).status_code == 200
    # An invalid post shows its error, stores nothing and lists nothing.
    bad = client.post(reverse("review:audit"), {"date_from": "2026-13-45"})
    assert bad.status_code == 200 and "日期格式为YYYY-MM-DD。" in bad.content.decode()
    assert bad.context["rows"] == []


def test_create_staff_command_prints_the_totp_uri(site_a, capsys):
    from django.core.management import call_command

    call_command("create_staff", "--role", "site", "--site", "4101", "--username", "kd01")
    out = capsys.readouterr().out
    assert "otpauth://totp/" in out and "TOTP secret" in out and "初始密码" in out


def test_correction_page_audits_showing_the_full_id_number(client, exam, site_a, staff_a):
    from yikao.core.models import AuditEntry

    reg = make_registration(exam, site_a)
    staff_login(client, staff_a)
    url = reverse("review:correct", args=[reg.pk])
    assert reg.candidate.id_number in client.get(url).content.decode()
    (entry,) = AuditEntry.objects.filter(action="review.full_id_viewed")
    assert entry.actor == staff_a and entry.subject == reg.candidate.user
    assert reg.candidate.id_number not in f"{entry.changes} {entry.reason}"
