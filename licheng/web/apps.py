from django.apps import AppConfig


class Config(AppConfig):
    name = "licheng.web"
    label = "web"
