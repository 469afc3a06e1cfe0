"""The PostgreSQL connection settings read from LICHENG_DATABASE_URL and its companions."""

from licheng import settings as project_settings

URL = "postgresql://app:secret@db:5432/licheng"


def test_postgresql_prepares_statements_by_default(monkeypatch):
    """Each request's statements are planned once per connection, not once per request."""
    monkeypatch.delenv("LICHENG_DB_PREPARED_STATEMENTS", raising=False)
    options = project_settings.database_from_url(URL)["OPTIONS"]
    assert options["server_side_binding"] is True and options["prepare_threshold"] == 5


def test_prepared_statements_can_be_turned_off_for_a_pooler(monkeypatch):
    """Behind PgBouncer in transaction mode a prepared statement does not survive."""
    monkeypatch.setenv("LICHENG_DB_PREPARED_STATEMENTS", "0")
    options = project_settings.database_from_url(URL)["OPTIONS"]
    assert "server_side_binding" not in options and "prepare_threshold" not in options
    assert options["connect_timeout"] == 5
