"""Rows of a statement written once into the model instances the ORM would have built.

Every request reads its session and its user, and every upload locks its student: the same
one-row statements, thousands of times a minute on deadline day. Through the QuerySet API, Django
builds and compiles each one again per request, which took more CPU than PostgreSQL took to
answer it (the user with its student and school: 245 of 338 µs, warm). The few statements that
hot are written once per process from the models' own table and column names; a fetched row is
converted as the ORM converts it (the back-end's converters, then the field's) and becomes an
instance through ``Model.from_db``, so nothing downstream can tell the difference.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connections, models


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
