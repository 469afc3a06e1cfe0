from tests.access import EVERYONE, LOGGED_IN, Row

ROWS = [
    Row("web:login", EVERYONE, ok=frozenset({200, 302})),  # the logged-in go to their dashboard
    Row("web:dashboard", LOGGED_IN),
    Row("web:account", LOGGED_IN),
    Row("web:password_change", LOGGED_IN),
    Row("web:verify_email_start", LOGGED_IN),
    # A forged token is refused for everybody with a clear page; that is the "allowed" render.
    Row("web:verify_email", EVERYONE, kwargs=lambda cast: {"token": "forged"}, ok=frozenset({400})),
    Row("web:password_reset", EVERYONE),
    Row("web:password_reset_done", EVERYONE),
    Row("web:password_reset_complete", EVERYONE),
    Row(
        "web:password_reset_confirm",
        EVERYONE,
        kwargs=lambda cast: {"uidb64": "MQ", "token": "set-password"},
    ),
    Row("web:logout", LOGGED_IN, method="post", ok=frozenset({302})),
    Row("web:set_language", EVERYONE, method="post", ok=frozenset({302})),
    Row("web:school_settings", frozenset({"school_admin"})),
    Row("web:school_windows", frozenset({"school_admin"})),
    Row("web:audit_log", frozenset({"school_admin", "central_admin"})),
    Row("api:current_term", EVERYONE),
    Row("api:openapi-json", EVERYONE),
    Row("api:openapi-view", EVERYONE),
]
