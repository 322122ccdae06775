from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "yikao.inbox"
    label = "inbox"
    verbose_name = "站内消息"

    def ready(self) -> None:
        # Every move of a registration may leave the candidate a message (and an SMS);
        # the message row is written in the move's transaction.
        from yikao.inbox import notify
        from yikao.registrations.lifecycle import moved

        moved.connect(notify.on_registration_moved, dispatch_uid="inbox.registration_moved")
