from django.apps import AppConfig


class Config(AppConfig):
    name = "licheng.accounts"
    label = "accounts"

    def ready(self) -> None:
        from . import signals  # noqa: F401
