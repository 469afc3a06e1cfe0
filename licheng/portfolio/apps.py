from django.apps import AppConfig


class Config(AppConfig):
    name = "licheng.portfolio"
    label = "portfolio"
