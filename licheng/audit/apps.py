from django.apps import AppConfig


class Config(AppConfig):
    name = "licheng.audit"
    label = "audit"
