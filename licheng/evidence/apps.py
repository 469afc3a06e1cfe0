from django.apps import AppConfig


class Config(AppConfig):
    name = "licheng.evidence"
    label = "evidence"
