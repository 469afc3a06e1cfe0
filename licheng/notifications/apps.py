from django.apps import AppConfig


class Config(AppConfig):
    name = "licheng.notifications"
    label = "notifications"

    def ready(self) -> None:
        from licheng.lib.events import notification_requested

        from .receivers import on_notification_requested

        notification_requested.connect(on_notification_requested, dispatch_uid="licheng.notify")
