from django.apps import AppConfig


class Config(AppConfig):
    name = "licheng.curriculum"
    label = "curriculum"
