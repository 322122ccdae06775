"""Senders: pluggable, masked in logs, one failure does not stop the others."""

import logging

from yikao.inbox.senders import (
    ConsoleSender,
    ConsoleSmsSender,
    MemorySender,
    Notice,
    deliver,
)

NOTICE = Notice(kind="booked", subject="【医考】信息采集预约成功", body="正文", short="短信",
                email="kaosheng@example.com", mobile="13812345678")  # fmt: skip


def test_console_senders_mask_the_recipient(caplog):
    with caplog.at_level(logging.INFO, logger="yikao.inbox.senders"):
        ConsoleSmsSender().send(NOTICE)
        ConsoleSender().send(NOTICE)
    assert "138****5678" in caplog.text
    assert "13812345678" not in caplog.text and "kaosheng@example.com" not in caplog.text


class Broken(ConsoleSender):
    def send(self, notice):
        raise ConnectionError("gateway down")


def test_a_failing_sender_does_not_stop_the_others(settings, caplog):
    settings.NOTICE_SENDERS = [
        f"{__name__}.Broken",
        "yikao.inbox.senders.MemorySender",
    ]
    MemorySender.outbox.clear()
    deliver(NOTICE)
    assert MemorySender.outbox == [NOTICE]
    assert "Broken failed" in caplog.text and "13812345678" not in caplog.text
