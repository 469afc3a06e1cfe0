from django.apps import AppConfig


class Config(AppConfig):
    name = "licheng.accounts"
    label = "accounts"

    def ready(self) -> None:
        from django.core.signals import request_started

        from . import signals  # noqa: F401
        from .signed_in import forget_preloaded

        request_started.connect(forget_preloaded, dispatch_uid="accounts.forget_preloaded")
