"""Registrations ready to book, slots, and verified staff for the appointment tests."""

import datetime
import itertools

from django.core import mail
from django.utils import timezone
from factories import make_bachelor_profile, make_candidate, make_draft

from yikao.appointments.models import SiteSetting, Slot
from yikao.inbox.senders import MemorySender
from yikao.registrations.models import Registration
from yikao.registrations.services import registration_submit

_names = itertools.count(1)


def make_registration(exam, site, *, status="site_approved", **candidate_fields):
    candidate = make_candidate(**candidate_fields)
    make_bachelor_profile(candidate)
    draft = make_draft(candidate, exam, site)
    registration = registration_submit(draft=draft, token=draft.token)
    Registration.objects.filter(pk=registration.pk).update(status=status)
    registration.refresh_from_db()
    # The appointment tests count booking notices; the submit's own notice is not one.
    MemorySender.outbox[:] = [n for n in MemorySender.outbox if n.kind != "registration.submit"]
    mail.outbox[:] = [m for m in getattr(mail, "outbox", []) if "报名已提交" not in m.subject]
    return registration


def at(days: int, hour: int = 9, minute: int = 0) -> datetime.datetime:
    """Local time `days` from today at hour:minute."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def make_slot(exam, site, *, days=3, hour=9, hours=3, capacity=10, place="", **fields):
    starts_at = fields.pop("starts_at", None) or at(days, hour)
    return Slot.objects.create(
        exam=exam, site=site, starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=hours), capacity=capacity, place=place,
        **fields,
    )  # fmt: skip


def set_cutoff(site, hours: int) -> SiteSetting:
    setting, _ = SiteSetting.objects.update_or_create(site=site, defaults={"cutoff_hours": hours})
    return setting


def make_staff(role="site", *, site=None, area=None):
    """A staff login with its scope, verified as the OTP middleware would mark it."""
    from yikao.review.services import staff_create

    user, device = staff_create(
        actor=None, username=f"appt_staff{next(_names)}", password="Staff2026pass",
        role=role, site=site, area=area,
    )  # fmt: skip
    user.device = device
    user.otp_device = device
    user.is_verified = lambda: True
    return user


def staff_login(client, user):
    """A logged-in, OTP-verified staff session (the staff login page is review's)."""
    from django_otp import DEVICE_ID_SESSION_KEY

    client.force_login(user, backend="yikao.accounts.backends.UsernameOrIdNumberBackend")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = user.device.persistent_id
    session.save()
    return client
