"""收费标准 and 缴费方式 of one exam in one province.

National staff edit any province (chosen on the page), area staff their own, site staff
read their province's. Orders already made keep their frozen amounts: a change here
applies to orders made afterwards only (the page says so)."""

import re

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from yikao.core.audit import audit_record
from yikao.payments import scope as payment_scope
from yikao.payments.fees import fee_set
from yikao.payments.models import AreaChannel, Channel, FeeItem, Part
from yikao.payments.staff import exam_in_view, exams
from yikao.payments.staff_forms import ChannelForm, FeeScheduleForm, LevelFillForm
from yikao.staff.access import staff_required

AREA_ID = re.compile(r"[0-9]{1,18}")


def _area(request):
    """The province in view: ?area= within the scope, else the scope's first."""
    areas = payment_scope.areas(request.scope)
    area_id = request.POST.get("area") or request.GET.get("area") or ""
    if AREA_ID.fullmatch(area_id):
        area = areas.filter(pk=int(area_id)).first()
        if area is None:
            raise Http404
        return area, areas
    area = areas.first()
    if area is None:
        raise Http404
    return area, areas


def _current(exam, area) -> dict:
    return {(i.category_id, i.part): i for i in FeeItem.objects.filter(exam=exam, area=area)}


def _save_schedule(request, exam, area, form) -> int:
    items = _current(exam, area)
    with transaction.atomic():
        return sum(
            fee_set(
                actor=request.user,
                exam=exam,
                area=area,
                category=category,
                part=part,
                fen=fen,
                items=items,
            )
            for category, part, fen in form.amounts()
        )


def _fill_level(request, exam, area, categories, data) -> int:
    items = _current(exam, area)
    with transaction.atomic():
        return sum(
            fee_set(
                actor=request.user,
                exam=exam,
                area=area,
                category=category,
                part=data["part"],
                fen=data["amount"],
                items=items,
            )
            for category in categories
            if category.level == data["level"]
        )


def _save_channel(request, exam, area, channel: str) -> bool:
    with transaction.atomic():
        row = AreaChannel.objects.select_for_update().filter(exam=exam, area=area).first()
        old = row.channel if row else Channel.ONLINE
        if old == channel:
            return False
        AreaChannel.objects.update_or_create(exam=exam, area=area, defaults={"channel": channel})
        audit_record(
            actor=request.user,
            action="payment.channel_changed",
            changes={"exam": {"old": None, "new": exam.name},
                     "area": {"old": None, "new": area.name},
                     "channel": {"old": old, "new": channel}},
        )  # fmt: skip
    return True


@staff_required
def fees(request):
    exam = exam_in_view(request)
    area, areas = _area(request)
    editable = payment_scope.can_edit_fees(request.scope)
    categories = list(exam.categories.order_by("sort", "code"))
    current = {key: item.amount_fen for key, item in _current(exam, area).items()}
    action = request.POST.get("action") if request.method == "POST" and editable else None
    form = FeeScheduleForm(categories, current, request.POST if action == "save" else None)
    fill = LevelFillForm(request.POST if action == "fill" else None, prefix="fill")
    row = AreaChannel.objects.filter(exam=exam, area=area).first()
    channel_form = ChannelForm(
        request.POST if action == "channel" else None,
        initial={"channel": row.channel if row else Channel.ONLINE},
    )
    back = f"{reverse('payments:staff_fees')}?exam={exam.pk}&area={area.pk}"
    if action == "save" and form.is_valid():
        n = _save_schedule(request, exam, area, form)
        messages.success(
            request, f"收费标准已保存（{n} 项有变化）。" if n else "收费标准没有变化。"
        )
        return redirect(back)
    if action == "fill" and fill.is_valid():
        n = _fill_level(request, exam, area, categories, fill.cleaned_data)
        messages.success(request, f"已为 {n} 个类别设置该金额。" if n else "收费标准没有变化。")
        return redirect(back)
    if action == "channel" and channel_form.is_valid():
        changed = _save_channel(request, exam, area, channel_form.cleaned_data["channel"])
        messages.success(request, "缴费方式已修改。" if changed else "缴费方式没有变化。")
        return redirect(back)
    if request.method == "POST" and not editable:
        raise Http404
    return render(request, "payments/staff_fees.html", {
        "exam": exam, "exams": exams(), "area": area, "areas": areas, "editable": editable,
        "form": form, "fill": fill, "channel_form": channel_form,
        "channel_label": Channel(row.channel if row else Channel.ONLINE).label,
        "parts": Part, "has_errors": bool(action),
    })  # fmt: skip
