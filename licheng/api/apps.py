from django.apps import AppConfig


class Config(AppConfig):
    name = "licheng.api"
    label = "api"
