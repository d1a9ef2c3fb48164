"""The statements the pipeline runs for every stored item, written out once per database.

Storing an item is an insert of the item, then either an update of the story it joins or an
insert of a new story (and one upsert of the hour's mention count, in ``services``). Through
the ORM each of those statements is compiled again for every item — about as long as
extracting a small page; here the SQL is built once per model and database engine and each
call only converts the values, with each field's own ``pre_save`` and ``get_db_prep_save``
(what ``Model.save()`` sends).

``row_insert(obj)`` is ``obj.save(force_insert=True)`` for ``Item`` and ``Cluster`` without
the ``pre_save``/``post_save`` signals: nothing in the project listens to them for these
models (``tests/monitoring/test_rows.py`` compares both ways and checks the receivers).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from functools import cache

from django.db import connection, models
from django.db.models import Model

from .models import Cluster, Item

_shared_cursor: ContextVar = ContextVar("monitoring_shared_cursor", default=None)


@contextmanager
def shared_cursor() -> Iterator[None]:
    """Run the statements of ``run`` in the block on one cursor (a batch's writes): opening
    a cursor per statement costs about as much as a small statement."""
    with connection.cursor() as cursor:
        token = _shared_cursor.set(cursor)
        try:
            yield
        finally:
            _shared_cursor.reset(token)


def run(sql: str, params: list, *, fetch: bool = False) -> tuple[int, tuple | None]:
    """Execute one statement: ``(row count, first row if fetch)``."""
    cursor = _shared_cursor.get()
    if cursor is not None:
        cursor.execute(sql, params)
        return cursor.rowcount, cursor.fetchone() if fetch else None
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount, cursor.fetchone() if fetch else None


# Field classes whose database value is the Python value itself when it has this exact type
# (their get_prep_value returns a str as it is, float(x) of a float, int(x) of an int): the
# conversion is skipped for those values only; any other value goes through the field.
_PLAIN_TYPES = {
    models.CharField: str,
    models.TextField: str,
    models.FloatField: float,
    models.IntegerField: int,
    models.PositiveIntegerField: int,
    models.PositiveSmallIntegerField: int,
    models.BigIntegerField: int,
}


def _plain_type(field) -> type | None:
    if isinstance(field, models.ForeignKey):
        target = type(field.target_field)
        return int if target in (models.AutoField, models.BigAutoField) else None
    return _PLAIN_TYPES.get(type(field))


def _value(obj: Model, field, plain: type | None):
    if plain is not None:
        value = getattr(obj, field.attname)
        if type(value) is plain:
            return value
    return field.get_db_prep_save(field.pre_save(obj, True), connection)


@cache
def _insert_statement(model: type[Model], vendor: str) -> tuple[str, tuple, bool]:
    meta = model._meta
    quote = connection.ops.quote_name
    fields = tuple(
        (field, _plain_type(field)) for field in meta.concrete_fields if not field.primary_key
    )
    returning = connection.features.can_return_columns_from_insert
    columns = ", ".join(quote(field.column) for field, _plain in fields)
    values = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({values})"  # noqa: S608
    if returning:
        sql += f" RETURNING {quote(meta.pk.column)}"
    return sql, fields, returning


def row_insert(obj: Item | Cluster) -> None:
    """Insert ``obj`` and set its primary key (``IntegrityError`` as ``save()`` raises it)."""
    sql, fields, returning = _insert_statement(type(obj), connection.vendor)
    params = [_value(obj, field, plain) for field, plain in fields]
    if returning:
        pk = run(sql, params, fetch=True)[1][0]
    else:  # pragma: no cover - engines without RETURNING
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            meta = obj._meta
            pk = connection.ops.last_insert_id(cursor, meta.db_table, meta.pk.column)
    obj.pk = pk
    obj._state.adding = False
    obj._state.db = connection.alias


@cache
def _join_statement(vendor: str, exclude_item: bool) -> str:
    quote = connection.ops.quote_name
    greatest, least = ("MAX", "MIN") if vendor == "sqlite" else ("GREATEST", "LEAST")

    def column(model: type[Model], name: str) -> str:
        return quote(model._meta.get_field(name).column)

    item_pk = column(Item, "id")
    exclude = f" AND {item_pk} <> %s" if exclude_item else ""
    return (
        f"UPDATE {quote(Cluster._meta.db_table)} SET "  # noqa: S608 - names from the models
        "mention_count = mention_count + 1, "
        "source_count = source_count + CASE WHEN EXISTS ("
        f"SELECT 1 FROM {quote(Item._meta.db_table)} WHERE {column(Item, 'cluster')} = %s "
        f"AND {column(Item, 'source')} = %s{exclude}) THEN 0 ELSE 1 END, "
        f"first_seen = {least}(first_seen, %s), last_seen = {greatest}(last_seen, %s), "
        f"max_relevance = {greatest}(max_relevance, %s), max_risk = {greatest}(max_risk, %s), "
        "topic = CASE WHEN topic = '' THEN %s ELSE topic END "
        f"WHERE {column(Cluster, 'id')} = %s"
    )


def cluster_join(item: Item, cluster_id: int, when: datetime) -> bool:
    """Count ``item`` (not saved yet, or saved before under another story) as one more
    mention of the story ``cluster_id``: counters, "a new source?", earliest and latest
    mention, highest relevance and risk, the item's topic if the story had none. False when
    the story no longer exists."""
    moment = connection.ops.adapt_datetimefield_value(when)
    params = [cluster_id, item.source_id]
    if item.pk is not None:
        params.append(item.pk)
    params += [moment, moment, item.relevance, item.risk_score, item.topic, cluster_id]
    return run(_join_statement(connection.vendor, item.pk is not None), params)[0] > 0
