"""Statements written once for the hottest reads and inserts, with the ORM's own results.

Every request reads its session and its user, and every upload locks its student and inserts its
file, its outcome and their audit entries: the same statements, thousands of times a minute on
deadline day. Through the QuerySet API, Django builds and compiles each one again per request,
which took more CPU than PostgreSQL took to answer it (the user with its student and school: 245
of 338 µs, warm; an audit entry's insert 121 µs against 85 µs with the statement written once).
The few statements that hot are written once per process from the models' own table and column
names. A fetched row is converted as the ORM converts it (the back-end's converters, then the
field's) and becomes an instance through ``Model.from_db``; an inserted one is prepared as
``save()`` prepares it, signals included. Nothing downstream can tell the difference.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

from django.db import connections, models
from django.db.models import signals


def quoted(name: str | None, alias: str = "default") -> str:
    """A table or column name quoted for the back-end (a concrete field always has a column)."""
    assert name, "a table or column name"  # nosec B101
    return connections[alias].ops.quote_name(name)


def select_list(model: type[models.Model], table_alias: str, alias: str = "default") -> str:
    """``t."id", t."name", …``: every concrete column of ``model``, in field order."""
    return ", ".join(
        f"{table_alias}.{quoted(f.column, alias)}" for f in model._meta.concrete_fields
    )


class RowReader:
    """Builds instances of ``model`` from its columns as ``select_list`` lists them."""

    def __init__(self, model: type[models.Model], alias: str = "default"):
        connection = connections[alias]
        self.model = model
        self.alias = alias
        fields = list(model._meta.concrete_fields)
        self.width = len(fields)
        self.attnames = [f.attname for f in fields]
        self.converters = []
        for field in fields:
            column = field.get_col(model._meta.db_table)
            found = connection.ops.get_db_converters(column) + field.get_db_converters(connection)
            self.converters.append((found, column))

    def build(self, values: Sequence[Any]) -> models.Model:
        connection = connections[self.alias]
        converted = []
        for value, (converters, column) in zip(values, self.converters, strict=True):
            for converter in converters:
                value = converter(value, column, connection)
            converted.append(value)
        return self.model.from_db(self.alias, self.attnames, converted)


def insert_new(*instances: models.Model, using: str = "default") -> None:
    """Save new instances of one model in one INSERT, as ``save(force_insert=True)`` each would:
    ``pre_save``/``post_save`` signals, related objects' ids, ``auto_now_add`` and defaults, the
    back-end's value preparation, an automatic primary key read back — with the statement
    written once per model and row count. (An upload inserts its file, its outcome and their two
    audit entries; through the ORM their compilation was most of the upload's database CPU.)
    """
    if not instances:
        return
    model = type(instances[0])
    connection = connections[using]
    meta = model._meta
    assert not meta.parents and not meta.proxy, "one table per model"  # nosec B101
    fields, returning = _insert_columns(model)
    if returning and not (
        connection.features.can_return_rows_from_bulk_insert
        if len(instances) > 1
        else connection.features.can_return_columns_from_insert
    ):
        for instance in instances:  # a back-end that cannot say the new ids: one at a time
            instance.save(force_insert=True, using=using)
        return
    params: list[Any] = []
    for instance in instances:
        assert type(instance) is model and instance._state.adding, "new rows only"  # nosec B101
        assert not returning or instance.pk is None, "the database gives the key"  # nosec B101
        instance._prepare_related_fields_for_save(operation_name="save")  # type: ignore[attr-defined]
        signals.pre_save.send(
            sender=model, instance=instance, raw=False, using=using, update_fields=None
        )
        params.extend(
            field.get_db_prep_save(field.pre_save(instance, True), connection) for field in fields
        )
    with connection.cursor() as cursor:
        cursor.execute(_insert_statement(model, len(instances), using), params)
        keys = cursor.fetchall() if returning else []
    for position, instance in enumerate(instances):
        if returning:
            setattr(instance, returning.attname, keys[position][0])
        instance._state.adding = False
        instance._state.db = using
        signals.post_save.send(
            sender=model,
            instance=instance,
            created=True,
            update_fields=None,
            raw=False,
            using=using,
        )


def _insert_columns(model: type[models.Model]) -> tuple[list[models.Field], models.Field | None]:
    """The columns an insert writes, and the automatic primary key it reads back (if any)."""
    pk = model._meta.pk
    automatic = pk if isinstance(pk, models.AutoField) else None  # Big/Small ones included
    return [f for f in model._meta.concrete_fields if f is not automatic], automatic


@cache
def _insert_statement(model: type[models.Model], rows: int, alias: str) -> str:
    fields, returning = _insert_columns(model)
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    columns = ", ".join(quoted(f.column, alias) for f in fields)
    sql = (
        f"INSERT INTO {quoted(model._meta.db_table, alias)} ({columns}) "  # noqa: S608  # nosec B608
        f"VALUES {', '.join([row] * rows)}"
    )
    return sql + (f" RETURNING {quoted(returning.column, alias)}" if returning else "")
