from django.apps import AppConfig


class Config(AppConfig):
    name = "licheng.portfolio"
    label = "portfolio"

    def ready(self) -> None:
        # Registers who may read files attached to outcomes and performances.
        from . import access  # noqa: F401
