from django.apps import AppConfig


class Config(AppConfig):
    name = "licheng.notifications"
    label = "notifications"
