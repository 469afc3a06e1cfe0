from django.apps import AppConfig


class Config(AppConfig):
    name = "licheng.evidence"
    label = "evidence"

    def ready(self):
        from .uploads import staging_directory

        staging_directory()  # uploads are staged there; Django's checks want it to exist
