"""Pluggable delivery of notices to candidates (e-mail, SMS).

settings.NOTICE_SENDERS lists dotted paths of sender classes; each gets every notice
and decides whether it can deliver it (an e-mail sender needs an address, an SMS sender a
mobile number). Development default: e-mail through Django's EMAIL_BACKEND (files under
var/mail) and SMS written to the console log. Production plugs in a gateway by
subclassing SmsSender. Logs never carry a full mobile number or address.
"""

import logging
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import ClassVar

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

from yikao.core.masking import mask_email, mask_phone

logger = logging.getLogger("yikao.inbox.senders")

DEFAULT_SENDERS = [
    "yikao.inbox.senders.EmailSender",
    "yikao.inbox.senders.ConsoleSmsSender",
]


@dataclass(frozen=True)
class Notice:
    kind: str  # a registration move (returned, approved …) or a booking event (booked …)
    subject: str
    body: str  # the full text (e-mail)
    short: str  # the SMS text: no more than ~70 characters where possible
    email: str = ""
    mobile: str = ""


class Sender(ABC):
    @abstractmethod
    def send(self, notice: Notice) -> None: ...


class EmailSender(Sender):
    def send(self, notice: Notice) -> None:
        if notice.email:
            send_mail(notice.subject, notice.body, None, [notice.email])


class SmsSender(Sender):
    """Subclass and implement send_sms for a real gateway (Aliyun, Tencent Cloud …)."""

    def send(self, notice: Notice) -> None:
        if notice.mobile:
            self.send_sms(notice.mobile, notice.short)

    @abstractmethod
    def send_sms(self, mobile: str, text: str) -> None: ...


class ConsoleSmsSender(SmsSender):
    """Development: the SMS text goes to the log, with the number masked."""

    def send_sms(self, mobile: str, text: str) -> None:
        logger.info("SMS to %s: %s", mask_phone(mobile), text)


class ConsoleSender(Sender):
    """Development: the whole notice goes to the log, recipients masked."""

    def send(self, notice: Notice) -> None:
        logger.info(
            "notice %s to %s / %s: %s",
            notice.kind,
            mask_email(notice.email) or "-",
            mask_phone(notice.mobile) or "-",
            notice.subject,
        )


class MemorySender(Sender):
    """Tests: notices are kept in MemorySender.outbox."""

    outbox: ClassVar[list[Notice]] = []

    def send(self, notice: Notice) -> None:
        MemorySender.outbox.append(notice)


def senders() -> list[Sender]:
    paths = getattr(settings, "NOTICE_SENDERS", DEFAULT_SENDERS)
    return [import_string(path)() for path in paths]


def deliver(notice: Notice) -> None:
    """Hands the notice to every sender; one failing sender does not stop the others."""
    for sender in senders():
        try:
            sender.send(notice)
        except Exception:
            # The booking stands; the candidate sees it on the page. No recipient here.
            logger.exception("notice %s: %s failed", notice.kind, type(sender).__name__)
