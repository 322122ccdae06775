"""The queue's 单位 filter: a directory code is matched exactly (through an expression
index), a name by substring."""

import pytest
from django.db import connection
from django.urls import reverse
from review_helpers import make_registration, staff_login

from yikao.registrations.models import Registration
from yikao.review import selectors
from yikao.review.forms import QueueFilterForm

pytestmark = pytest.mark.django_db

CODE_A = "4101050000012201"
CODE_B = "4101050000012202"  # differs from A in the last digit only


def with_unit(registration, code: str, name: str) -> Registration:
    snapshot = registration.snapshot
    snapshot["work"] = {**snapshot.get("work", {}), "work_unit_code": code, "work_unit_name": name}
    Registration.objects.filter(pk=registration.pk).update(snapshot=snapshot)
    return registration


@pytest.fixture
def units(exam, site_a):
    return [
        with_unit(make_registration(exam, site_a), CODE_A, "郑州市第一人民医院"),
        with_unit(make_registration(exam, site_a), CODE_B, "郑州市第二人民医院"),
        with_unit(make_registration(exam, site_a), "UA1B2C3D4E5", "郑州市金水区某诊所"),
        with_unit(make_registration(exam, site_a), "", "自填单位人民医院"),
    ]


def rows(scope, unit: str) -> list[int]:
    return [r.pk for r in selectors.queue_page(scope, selectors.QueueFilters(unit=unit)).rows]


def test_queue_unit_code_matches_exactly(units, staff_a):
    scope = staff_a.staff_scope
    assert rows(scope, CODE_A) == [units[0].pk]
    assert rows(scope, "UA1B2C3D4E5") == [units[2].pk]
    assert rows(scope, "ua1b2c3d4e5") == [units[2].pk]
    assert rows(scope, CODE_A[:12]) == []  # a prefix is not a code


def test_queue_unit_name_keeps_the_substring_match(units, staff_a):
    scope = staff_a.staff_scope
    assert sorted(rows(scope, "人民医院")) == sorted([units[0].pk, units[1].pk, units[3].pk])
    assert rows(scope, "金水区") == [units[2].pk]


def test_queue_unit_code_stays_inside_the_scope(units, exam, site_b, staff_b):
    other = with_unit(make_registration(exam, site_b), CODE_A, "郑州市第一人民医院")
    assert rows(staff_b.staff_scope, CODE_A) == [other.pk]


def test_queue_filter_form_normalises_a_typed_code():
    form = QueueFilterForm({"unit": " ４１０１ ０５００ ００01 ２２０１ "})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["unit"] == CODE_A
    name = QueueFilterForm({"unit": " 第一人民 "})
    assert name.is_valid() and name.cleaned_data["unit"] == "第一人民"


def test_queue_page_filters_by_code_from_the_form(client, units, staff_a):
    staff_login(client, staff_a)
    page = client.get(reverse("review:queue"), {"status": "", "unit": CODE_B.lower()})
    assert [r.pk for r in page.context["page"].rows] == [units[1].pk]
    assert '<label for="id_unit">工作单位</label>' in page.content.decode()


def test_queue_unit_code_query_uses_the_expression_index(units, staff_a):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's plan (SQLite spells the JSON path differently in the index)")
    queue = selectors.queue_queryset(staff_a.staff_scope, selectors.QueueFilters(unit=CODE_A))
    alone = Registration.objects.filter(snapshot__work__work_unit_code=CODE_A)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'registrations_work_unit'"
        )
        (indexdef,) = cursor.fetchone()
        cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table: make the choice visible
        plans = []
        for qs in (alone, queue):
            sql, params = qs.query.sql_with_params()
            cursor.execute("EXPLAIN " + sql, params)
            plans.append("\n".join(row[0] for row in cursor.fetchall()))
    expression = "(snapshot #> '{work,work_unit_code}'::text[])"
    assert expression in indexdef, indexdef
    assert "registrations_work_unit" in plans[0] and expression in plans[0], plans[0]
    assert expression in plans[1], plans[1]  # the queue filters on the same expression


def test_queue_unit_name_query_uses_the_trigram_index(units, staff_a):
    """A name matching nothing read every row in scope (2.4 s nationally at 1 M); the GIN
    trigram index of migration 0004 must be on exactly the expression the filter writes."""
    if connection.vendor != "postgresql":
        pytest.skip("pg_trgm is PostgreSQL's (SQLite answers the same by a scan)")
    from yikao.staff.models import Role, StaffScope

    national = StaffScope(role=Role.NATIONAL, user_id=staff_a.pk)  # no site index to prefer
    queue = selectors.queue_queryset(national, selectors.QueueFilters(unit="人民医"))
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table: make the choice visible
        cursor.execute("SET LOCAL enable_indexscan = off")  # nor the primary key's walk
        sql, params = queue.query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "registrations_work_unit_name_trgm" in plan, plan
