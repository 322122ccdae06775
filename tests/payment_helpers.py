"""Helpers of the payment tests: a province's fee schedule, a registration approved."""


def fee_schedule(exam, area, *, written=None, skills=None):
    """Fee items for every category of the exam in the area. 医学综合 defaults to the
    sourced figures (60元 a unit: 执业 4 units, 助理 2; docs/payments.md); the skills fee
    has no national figure, so a test passes its own."""
    from yikao.payments.models import FeeItem, Part

    for category in exam.categories.all():
        amount = written or (24000 if category.level == "physician" else 12000)
        FeeItem.objects.update_or_create(
            exam=exam, area=area, category=category, part=Part.WRITTEN,
            defaults={"amount_fen": amount},
        )  # fmt: skip
        if skills:
            FeeItem.objects.update_or_create(
                exam=exam, area=area, category=category, part=Part.SKILLS,
                defaults={"amount_fen": skills},
            )  # fmt: skip


def approve(registration):
    """考点通过 then 审核通过, through the life cycle (as the review pages do)."""
    from django.db import transaction

    from yikao.registrations import lifecycle
    from yikao.registrations.models import Registration

    with transaction.atomic():
        locked = lifecycle.lock(Registration.objects.all(), registration.pk)
        lifecycle.move(locked, lifecycle.SITE_APPROVE, actor=None)
        lifecycle.move(locked, lifecycle.AREA_APPROVE, actor=None)
    registration.refresh_from_db()
    return registration
