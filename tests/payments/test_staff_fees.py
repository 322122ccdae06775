"""收费标准 and 缴费方式 through the staff page: who may edit which province, amounts in 元
with at most two decimals (full-width accepted), empty deletes, every change audited,
orders already made keep their amounts."""

import pytest
from django.test import Client
from payment_staff_helpers import make_world, other_area_site, staff_client

from yikao.core.models import AuditEntry
from yikao.payments.models import AreaChannel, Channel, FeeItem, Order, Part

pytestmark = pytest.mark.django_db

URL = "/payments/staff/fees/"


@pytest.fixture
def categories(pay_exam):
    return {c.level: c for c in pay_exam.categories.all()}


def form_data(exam, area, categories, **amounts):
    """The whole form: every field empty unless given (physician_skills="300")."""
    data = {"exam": exam.pk, "area": area.pk, "action": "save"}
    for level, category in categories.items():
        for part in Part.values:
            data[f"{category.pk}_{part}"] = amounts.get(f"{level}_{part}", "")
    return data


def amounts(exam, area):
    return {
        (i.category.level, i.part): i.amount_fen
        for i in FeeItem.objects.filter(exam=exam, area=area).select_related("category")
    }


def test_area_staff_set_the_schedule_with_full_width_digits_and_audit(
    pay_exam, pay_site, categories
):
    client, user = staff_client(Client, "henan", "area", area=pay_site.area)
    page = client.get(URL, {"exam": pay_exam.pk})
    text = page.content.decode()
    assert page.status_code == 200 and "临床执业医师" in text and "临床执业助理医师" in text
    assert "已生成的订单保持生成时的金额不变" in text
    saved = client.post(URL, form_data(
        pay_exam, pay_site.area, categories, physician_skills="３００", physician_written="240.5",
        assistant_skills="150.00元", assistant_written="",
    ), follow=True)  # fmt: skip
    assert "收费标准已保存（3 项有变化）" in saved.content.decode()
    assert amounts(pay_exam, pay_site.area) == {
        ("physician", "skills"): 30000, ("physician", "written"): 24050,
        ("assistant", "skills"): 15000,
    }  # fmt: skip
    entries = AuditEntry.objects.filter(action="payment.fee_changed", actor=user)
    assert entries.count() == 3
    assert {e.changes["fee_yuan"]["new"] for e in entries} == {"300.00", "240.50", "150.00"}
    # Empty deletes an item; the old amount is in the audit row.
    client.post(URL, form_data(pay_exam, pay_site.area, categories, physician_skills="300",
                               physician_written="240.50"))  # fmt: skip
    assert ("assistant", "skills") not in amounts(pay_exam, pay_site.area)
    deleted = AuditEntry.objects.filter(action="payment.fee_changed").latest("pk")
    assert deleted.changes["fee_yuan"] == {"old": "150.00", "new": None}


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0", "金额应大于 0"),
        ("-5", "金额应大于 0"),
        ("10000.01", "金额不能超过 10000 元"),
        ("99999999", "请填写金额"),
        ("12.345", "金额最多保留两位小数"),
        ("abc", "请填写金额（元），如 240 或 240.50"),
        ("1e3", "请填写金额（元），如 240 或 240.50"),
        ("<script>", "请填写金额（元），如 240 或 240.50"),
        ("1" * 21, "20"),  # the field's length limit
    ],
)
def test_bad_amounts_get_a_message_next_to_the_field_and_nothing_is_stored(
    pay_exam, pay_site, categories, value, message
):
    client, _ = staff_client(Client, "henan", "area", area=pay_site.area)
    page = client.post(URL, form_data(pay_exam, pay_site.area, categories,
                                      physician_written="240", physician_skills=value))  # fmt: skip
    text = page.content.decode()
    assert page.status_code == 200
    assert message in text and "本次没有保存任何修改" in text
    field = f"id_{categories['physician'].pk}_skills"
    assert f'id="{field}_error"' in text  # the message sits next to its field
    assert "<script>" not in text.split("<main", 1)[-1].replace("<script src", "")
    assert not FeeItem.objects.exists()
    assert not AuditEntry.objects.filter(action="payment.fee_changed").exists()


def test_the_upper_limit_is_allowed(pay_exam, pay_site, categories):
    client, _ = staff_client(Client, "henan", "area", area=pay_site.area)
    client.post(URL, form_data(pay_exam, pay_site.area, categories, physician_skills="10000"))
    assert amounts(pay_exam, pay_site.area) == {("physician", "skills"): 1_000_000}


def test_level_fill_sets_every_category_of_the_level(pay_exam, pay_site, categories):
    client, _ = staff_client(Client, "henan", "area", area=pay_site.area)
    data = {"exam": pay_exam.pk, "area": pay_site.area.pk, "action": "fill",
            "fill-level": "assistant", "fill-part": "written", "fill-amount": "１２０"}  # fmt: skip
    shown = client.post(URL, data, follow=True).content.decode()
    assert "已为 1 个类别设置该金额" in shown
    assert amounts(pay_exam, pay_site.area) == {("assistant", "written"): 12000}
    bad = client.post(URL, {**data, "fill-amount": "", "fill-level": "nurse"}).content.decode()
    assert "请填写金额（元）" in bad and "选择一个有效的选项" in bad


def test_area_staff_cannot_edit_another_province(pay_exam, pay_site, categories):
    hubei = other_area_site(pay_exam).area
    client, _ = staff_client(Client, "henan", "area", area=pay_site.area)
    assert client.get(URL, {"area": hubei.pk}).status_code == 404
    posted = client.post(URL, form_data(pay_exam, hubei, categories, physician_skills="300"))
    assert posted.status_code == 404
    assert not FeeItem.objects.exists()


def test_national_staff_choose_any_province(pay_exam, pay_site, categories):
    hubei = other_area_site(pay_exam).area
    client, _ = staff_client(Client, "nation", "national")
    page = client.get(URL, {"exam": pay_exam.pk, "area": hubei.pk}).content.decode()
    assert "收费标准 · 湖北考区" in page and "河南考区" in page  # the province picker
    client.post(URL, form_data(pay_exam, hubei, categories, physician_skills="200"))
    assert amounts(pay_exam, hubei) == {("physician", "skills"): 20000}
    assert not amounts(pay_exam, pay_site.area)


def test_site_staff_read_only(pay_exam, pay_site, categories):
    world = make_world(pay_exam, pay_site)
    client, _ = staff_client(Client, "site_a", "site", site=world.site_a)
    page = client.get(URL).content.decode()
    assert (
        "300.00" in page
        and "保存收费标准" not in page
        and "<input" not in page.split("收费（元）")[1].split("</table>")[0]
    )
    before = amounts(pay_exam, pay_site.area)
    posted = client.post(URL, form_data(pay_exam, pay_site.area, categories, physician_skills="1"))
    assert posted.status_code == 404
    assert amounts(pay_exam, pay_site.area) == before


def test_a_changed_fee_leaves_existing_orders_alone(pay_exam, pay_site, categories, approved):
    from yikao.payments import services
    from yikao.registrations.models import Registration

    order = services.order_ensure(Registration.objects.all(), approved.pk, actor=None)
    assert order.amount_fen == 54000
    client, _ = staff_client(Client, "henan", "area", area=pay_site.area)
    client.post(URL, form_data(pay_exam, pay_site.area, categories, physician_skills="500",
                               physician_written="240"))  # fmt: skip
    assert Order.objects.get(pk=order.pk).amount_fen == 54000


def test_channel_change_is_audited(pay_exam, pay_site):
    client, user = staff_client(Client, "henan", "area", area=pay_site.area)
    data = {"exam": pay_exam.pk, "area": pay_site.area.pk, "action": "channel"}
    shown = client.post(URL, {**data, "channel": "counter"}, follow=True).content.decode()
    assert "缴费方式已修改" in shown and "考点现场缴费" in shown
    assert AreaChannel.objects.get().channel == Channel.COUNTER
    entry = AuditEntry.objects.get(action="payment.channel_changed")
    assert entry.actor == user and entry.changes["channel"] == {"old": "online", "new": "counter"}
    bad = client.post(URL, {**data, "channel": "bitcoin"}).content.decode()
    assert "请选择缴费方式" in bad
    assert AreaChannel.objects.get().channel == Channel.COUNTER
