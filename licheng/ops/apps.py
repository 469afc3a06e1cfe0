from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Operations (維運): backups, health checks, metrics, log hygiene."""

    name = "licheng.ops"
    label = "ops"
    verbose_name = "維運"

    def ready(self) -> None:
        # Counting failed logins needs the auth signal; connecting it here keeps accounts unaware of ops.
        from . import metrics

        metrics.connect_signals()
