from django.apps import AppConfig


class Config(AppConfig):
    name = "licheng.schools"
    label = "schools"
