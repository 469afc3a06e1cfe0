from tests.access import EVERYONE, Row

ROWS = [
    # Probes answer everyone (load balancers do not log in).
    Row("web:healthz", EVERYONE),
    Row("web:readyz", EVERYONE),
    # /metrics is off unless LICHENG_METRICS is on: 404 for everybody is the "allowed" answer.
    Row("web:metrics", EVERYONE, ok=frozenset({404})),
    Row("web:ops_backups", frozenset({"central_admin"})),
    Row("web:ops_backup_now", frozenset({"central_admin"}), method="post", ok=frozenset({302})),
]
