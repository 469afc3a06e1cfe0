from django.apps import AppConfig


class Config(AppConfig):
    name = "licheng.selection"
    label = "selection"
