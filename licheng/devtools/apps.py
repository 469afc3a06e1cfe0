from django.apps import AppConfig


class Config(AppConfig):
    name = "licheng.devtools"
    label = "devtools"
