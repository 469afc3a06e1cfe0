from django.apps import AppConfig


class Config(AppConfig):
    name = "licheng.central"
    label = "central"
