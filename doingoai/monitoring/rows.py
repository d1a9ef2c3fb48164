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

from datetime import datetime
from functools import cache

from django.db import connection
from django.db.models import Model

from .models import Cluster, Item


@cache
def _insert_statement(model: type[Model], vendor: str) -> tuple[str, tuple, bool]:
    meta = model._meta
    quote = connection.ops.quote_name
    fields = tuple(field for field in meta.concrete_fields if not field.primary_key)
    returning = connection.features.can_return_columns_from_insert
    columns = ", ".join(quote(field.column) for field in fields)
    values = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({values})"  # noqa: S608
    if returning:
        sql += f" RETURNING {quote(meta.pk.column)}"
    return sql, fields, returning


def row_insert(obj: Item | Cluster) -> None:
    """Insert ``obj`` and set its primary key (``IntegrityError`` as ``save()`` raises it)."""
    sql, fields, returning = _insert_statement(type(obj), connection.vendor)
    params = [field.get_db_prep_save(field.pre_save(obj, True), connection) for field in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        if returning:
            pk = cursor.fetchone()[0]
        else:  # pragma: no cover - engines without RETURNING
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
    with connection.cursor() as cursor:
        cursor.execute(_join_statement(connection.vendor, item.pk is not None), params)
        return cursor.rowcount > 0
