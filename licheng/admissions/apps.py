from django.apps import AppConfig


class Config(AppConfig):
    name = "licheng.admissions"
    label = "admissions"
