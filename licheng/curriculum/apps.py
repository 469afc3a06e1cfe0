from django.apps import AppConfig


class Config(AppConfig):
    name = "licheng.curriculum"
    label = "curriculum"

    def ready(self) -> None:
        # Counselling attachments are evidence StoredFiles; this registers who may read them.
        from . import access  # noqa: F401
