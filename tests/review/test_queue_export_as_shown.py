"""导出Excel exports the filter form as shown (applied or not), never a header-only file;
the queue's search covers every status unless the user picks one."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from review_helpers import make_registration, staff_login

from yikao.core.models import AuditEntry
from yikao.review.history import describe
from yikao.review.selectors import PENDING
from yikao.review.services import review_site_approve
from yikao.review.views import NOTHING_TO_EXPORT

pytestmark = pytest.mark.django_db


def _numbers(response) -> list[str]:
    assert response["Content-Type"].startswith("application/vnd.openxml")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    return [row[0] for row in list(sheet.iter_rows(values_only=True))[1:]]


def test_export_button_posts_the_form_as_shown_not_the_last_applied(client, exam, site_a, staff_a):
    zhang = make_registration(exam, site_a, full_name="张三")
    li = make_registration(exam, site_a, full_name="李四")
    staff_login(client, staff_a)
    applied = client.post(reverse("review:queue"), {"q": "张三", "status": ""})
    assert [r.pk for r in client.get(applied["Location"]).context["page"].rows] == [zhang.pk]
    # The form now says 李四, not yet applied: the export is 李四's.
    page = client.get(applied["Location"]).content.decode()
    assert 'formaction="/review/export.xlsx"' in page and 'name="export"' in page
    response = client.post(
        reverse("review:export"), {"q": "李四", "status": "", "export": "masked"}
    )
    assert _numbers(response) == [li.number]
    [row] = describe(list(AuditEntry.objects.filter(action="review.exported")))
    assert row.summary == "导出报名 1 行"
    assert row.reason == "搜索：李四"


def test_no_rows_is_a_message_not_a_file(client, exam, site_a, staff_a):
    make_registration(exam, site_a, full_name="张三")
    staff_login(client, staff_a)
    response = client.post(
        reverse("review:export"), {"q": "王五", "status": "", "export": "masked"}, follow=True
    )
    assert response.status_code == 200 and response.templates[0].name == "review/queue.html"
    page = response.content.decode()
    assert NOTHING_TO_EXPORT in page
    assert 'value="王五"' in page  # the queue shows the form as it was posted
    assert response.context["page"].rows == []
    assert not AuditEntry.objects.filter(action__startswith="review.exported").exists()
    # A link's filters that list nothing: the same message, no file.
    empty = client.get(reverse("review:export"), {"status": "approved"}, follow=True)
    assert NOTHING_TO_EXPORT in empty.content.decode()


def test_an_invalid_form_is_shown_with_its_error_not_exported(client, exam, site_a, staff_a):
    make_registration(exam, site_a)
    staff_login(client, staff_a)
    response = client.post(
        reverse("review:export"), {"date_from": "2026-13-45", "export": "masked"}
    )
    assert response.status_code == 400
    assert "日期格式为YYYY-MM-DD。" in response.content.decode()
    assert not AuditEntry.objects.filter(action__startswith="review.exported").exists()


def test_full_id_export_button_needs_the_permission(client, exam, site_a, staff_a):
    reg = make_registration(exam, site_a)
    staff_login(client, staff_a)
    data = {"status": PENDING, "export": "full"}
    assert "完整证件号码）</button>" not in client.get(reverse("review:queue")).content.decode()
    assert client.post(reverse("review:export"), data).status_code == 404
    staff_a.staff_scope.full_id_export = True
    staff_a.staff_scope.save()
    assert "完整证件号码）</button>" in client.get(reverse("review:queue")).content.decode()
    response = client.post(reverse("review:export"), data)
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert list(sheet.iter_rows(values_only=True))[1][3] == reg.candidate.id_number
    [row] = describe(list(AuditEntry.objects.filter(action="review.exported_full_ids")))
    assert (row.label, row.summary, row.reason) == (
        "导出报名（完整证件号码）", "导出报名 1 行", "状态：待我审核"
    )  # fmt: skip


def test_search_covers_every_status_unless_one_is_picked(client, exam, site_a, staff_a):
    passed = make_registration(exam, site_a, full_name="赵六")
    review_site_approve(staff=staff_a, registration=passed)
    waiting = make_registration(exam, site_a, full_name="赵七")
    staff_login(client, staff_a)
    landing = client.get(reverse("review:queue"))
    assert [r.pk for r in landing.context["page"].rows] == [waiting.pk]  # 待我审核
    assert landing.context["form"]["status"].value() == PENDING
    assert landing.context["bulk_ok"]
    # The search keeps the default status, as the form showed it: every status.
    found = client.post(reverse("review:queue"), {"q": "赵", "status": PENDING}, follow=True)
    assert {r.pk for r in found.context["page"].rows} == {passed.pk, waiting.pk}
    assert not found.context["bulk_ok"]  # a mixed list: no bulk approval
    assert "没有符合条件的报名" not in found.content.decode()
    # A status the user picks narrows the search.
    narrowed = client.post(reverse("review:queue"), {"q": "赵", "status": "submitted"}, follow=True)
    assert [r.pk for r in narrowed.context["page"].rows] == [waiting.pk]


def test_area_staff_default_and_search(client, exam, site_a, staff_a, area41):
    passed = make_registration(exam, site_a, full_name="钱八")
    review_site_approve(staff=staff_a, registration=passed)
    fresh = make_registration(exam, site_a, full_name="钱九")
    staff_login(client, area41)
    assert [r.pk for r in client.get(reverse("review:queue")).context["page"].rows] == [passed.pk]
    found = client.post(reverse("review:queue"), {"q": "钱", "status": PENDING}, follow=True)
    assert {r.pk for r in found.context["page"].rows} == {passed.pk, fresh.pk}
