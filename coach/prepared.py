"""Big aggregate querysets built and compiled once per shape, then run with each call's values.

Building a queryset of many annotations and correlated subqueries (``sessions.training_load``,
``sessions.trends``) and compiling it to SQL costs the ORM tens of milliseconds of Python per
request, far more than the database takes to run it. The SQL only changes with the *shape* of
the call (how many athletes, how many joined late), not with its values (which athletes, which
days). So ``rows`` builds the queryset with stand-in values, compiles it, and keeps the SQL
with the places of the stand-ins among its parameters; later calls of the same shape put their
own values in those places and run the SQL through Django's cursor (so query counting and
``execute_wrapper`` see it), then convert the columns as the queryset would have.

The arguments may be ints, dates, texts (as they are: a text that a lookup rewrites,
``contains`` say, is refused below), or lists of them. ``build`` must pass every argument to
the ORM as it is (a value computed from one, ``day - timedelta(...)``, or a Python decision made on
one would be frozen into the SQL): ``rows`` compiles with two sets of stand-ins and refuses a
parameter that changed between them without being a stand-in, and SQL that differs.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model, QuerySet
from django.db.models.expressions import BaseExpression
from django.db.models.query import get_related_populators

MAX_SHAPES = 512  # compiled statements kept (a few per function and squad size)

_cache: dict[tuple, _Statement | None] = {}
_lock = threading.Lock()
_OWN = BaseExpression.__dict__["convert_value"]  # the converter of a float or integer annotation


@dataclass(frozen=True)
class _Statement:
    sql: str
    params: tuple
    slots: tuple[tuple[int, int, bool], ...]  # (parameter index, argument index, as text)
    fields: tuple  # the selected expressions, for their converters
    names: tuple[str, ...]
    select: tuple  # the compiler's, to make model instances (``objects``)
    klass_info: dict | None
    annotation_col_map: dict | None


def _flat(args: Sequence[Any]) -> list[Any]:
    out = []
    for arg in args:
        out.extend(arg if isinstance(arg, list | tuple) else [arg])
    return out


def _shape(args: Sequence[Any]) -> tuple:
    return tuple(("list", len(a)) if isinstance(a, list | tuple) else type(a).__name__
                 for a in args)


def _stand_ins(args: Sequence[Any], set_number: int) -> list[Any]:
    """Values of the same types and shape as ``args``, unlike any real one: negative ids,
    days in the year 1100 or 1300, texts no one types (a control character in them)."""
    count = iter(range(1, 10**6))

    def one(value):
        n = next(count)
        if isinstance(value, bool) or not isinstance(value, int | dt.date | str):
            raise TypeError(f"prepared arguments are ints, dates and texts, not {value!r}")
        if isinstance(value, dt.datetime):
            raise TypeError("prepared arguments are dates, not datetimes")
        if isinstance(value, str):
            return f"\x1fstand-in {set_number}.{n}"
        if isinstance(value, int):
            return -(set_number * 10**9 + n)
        return dt.date(900 + 200 * set_number, 1, 1) + dt.timedelta(days=n)

    return [[one(v) for v in a] if isinstance(a, list | tuple) else one(a) for a in args]


def _compile(queryset: QuerySet):
    compiler = queryset.query.get_compiler(queryset.db)
    sql, params = compiler.as_sql()
    query = queryset.query
    names = (list(query.selected) if query.selected else
             [*query.extra_select, *query.values_select, *query.annotation_select])
    return sql, tuple(params), compiler, names


def _statement(build: Callable[..., QuerySet], args: Sequence[Any]) -> _Statement:
    one, two = _stand_ins(args, 1), _stand_ins(args, 2)
    sql, params, compiler, names = _compile(build(*one))
    sql_two, params_two, _, _ = _compile(build(*two))
    if sql != sql_two or len(params) != len(params_two):
        raise ValueError("the SQL depends on the arguments' values, not only their shape")
    places: dict[Any, tuple[int, bool]] = {}
    for index, value in enumerate(_flat(one)):
        places[(type(value), value)] = (index, False)
        if isinstance(value, dt.date):
            places[(str, str(value))] = (index, True)  # SQLite passes dates as text
    flat_two = _flat(two)
    slots = []
    for position, (a, b) in enumerate(zip(params, params_two, strict=True)):
        found = places.get((type(a), a))
        if found is None:
            if a != b:
                raise ValueError(f"parameter {position} is computed from an argument")
            continue
        index, as_text = found
        expected = str(flat_two[index]) if as_text else flat_two[index]
        if b != expected:
            raise ValueError(f"parameter {position} is computed from an argument")
        slots.append((position, index, as_text))
    return _Statement(sql, params, tuple(slots),
                      tuple(s[0] for s in compiler.select[:compiler.col_count]), tuple(names),
                      tuple(compiler.select), compiler.klass_info, compiler.annotation_col_map)


def rows(key: str, build: Callable[..., QuerySet], *args: Any,
         using: str = DEFAULT_DB_ALIAS) -> tuple[tuple[str, ...], list[tuple]]:
    """The column names and rows of ``build(*args)`` (a ``values()`` or ``values_list()``
    queryset), compiled once per ``key`` and shape of ``args``."""
    statement, found = _run(key, build, args, using)
    return (statement.names if statement else ()), found


def objects(key: str, build: Callable[..., QuerySet], *args: Any,
            using: str = DEFAULT_DB_ALIAS) -> list[Model]:
    """The model instances of ``build(*args)`` (annotations and ``select_related`` included,
    as Django's ``ModelIterable`` makes them), compiled once per ``key`` and shape."""
    statement, found = _run(key, build, args, using)
    if statement is None:
        return []
    klass_info, select = statement.klass_info, list(statement.select)
    model = klass_info["model"]
    first, last = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
    init_list = [column[0].target.attname for column in select[first:last]]
    populators = get_related_populators(klass_info, select, using)
    annotations = statement.annotation_col_map or {}
    made = []
    for row in found:
        obj = model.from_db(using, init_list, row[first:last])
        for populator in populators:
            populator.populate(row, obj)
        for name, position in annotations.items():
            setattr(obj, name, row[position])
        made.append(obj)
    return made


def _run(key, build, args, using) -> tuple[_Statement | None, list[tuple]]:
    connection = connections[using]
    cache_key = (using, connection.vendor, key, _shape(args))
    try:
        statement = _cache[cache_key]
    except KeyError:
        try:
            statement = _statement(build, args)
        except EmptyResultSet:  # an empty IN (): no rows, whatever the values (as Django says)
            statement = None
        with _lock:
            if len(_cache) >= MAX_SHAPES:  # the oldest quarter goes, not every statement
                for stale in list(_cache)[:MAX_SHAPES // 4]:
                    del _cache[stale]
            _cache[cache_key] = statement
    if statement is None:
        return None, []
    params = list(statement.params)
    flat = _flat(args)
    for position, index, as_text in statement.slots:
        params[position] = str(flat[index]) if as_text else flat[index]
    with connection.cursor() as cursor:
        cursor.execute(statement.sql, params)
        found = cursor.fetchall()
        described = cursor.description
    width = len(statement.fields)
    if found and len(found[0]) > width:  # columns the ordering added
        found = [row[:width] for row in found]
    types = ([getattr(column, "type_code", None) for column in described]
             if connection.vendor == "postgresql" and described else ())
    return statement, _converted(found, statement.fields, connection, types)


# PostgreSQL's types whose values psycopg already gives as the ``float`` or ``int`` the ORM's
# own converter would make (``float8``; ``int2``, ``int4``, ``int8``): converting is then a
# no-op, skipped. ``numeric`` (a SUM of integers) still goes through ``int()``.
_ALREADY = {float: frozenset({701}), int: frozenset({20, 21, 23})}


def _converted(found: list[tuple], fields: Sequence, connection,
               types: Sequence = ()) -> list[tuple]:
    """The rows with each column converted as the queryset would have (its expression's and
    backend's converters), a column at a time: a float or integer annotation's own converter
    (``None`` stays, else ``float()``/``int()``) is written inline rather than called for every
    value (thousands of calls a page, most of the trend pages' time in Python), and not at all
    for a column the database's ``types`` (PostgreSQL's type codes) say holds that type
    already."""
    plans = []
    for position, expression in enumerate(fields):
        functions = (connection.ops.get_db_converters(expression)
                     + expression.get_db_converters(connection))
        if functions:
            kind = _plain_type(expression, functions)
            if kind is not None and position < len(types) and types[position] in _ALREADY[kind]:
                continue
            plans.append((position, kind, functions, expression))
    if not plans or not found:
        return found
    columns = list(zip(*found, strict=True))
    for position, kind, functions, expression in plans:
        if kind is not None:
            columns[position] = [None if v is None else kind(v) for v in columns[position]]
            continue
        values = columns[position]
        for function in functions:
            values = [function(v, expression, connection) for v in values]
        columns[position] = values
    return list(zip(*columns, strict=True))


def _plain_type(expression, functions: list) -> type | None:
    """``float`` or ``int`` when an expression's only converter is Django's own for a float or
    integer ``output_field`` (``BaseExpression.convert_value``); else None."""
    if (len(functions) != 1 or getattr(type(expression), "convert_value", None) is not _OWN
            or functions[0] is not expression.convert_value):
        return None
    internal = expression.output_field.get_internal_type()
    if internal == "FloatField":
        return float
    return int if internal.endswith("IntegerField") else None


def dicts(key: str, build: Callable[..., QuerySet], *args: Any) -> list[dict[str, Any]]:
    """``rows`` as dicts, as ``values()`` yields them."""
    names, found = rows(key, build, *args)
    return [dict(zip(names, row, strict=True)) for row in found]
