"""JHipster criteria filters, Spring Data paging and sorting, and the Link header (reference §1.5).

Binding follows Spring's WebDataBinder on the *Criteria class (`field.operator=value`,
unknown names ignored, type errors fail); the WHERE clause follows jhipster-framework
7.3.1 QueryService: which operators a field honours depends on the builder used for it,
not on what the parameter binding accepted.
"""
from __future__ import annotations

import re

from . import errors
from .errors import BeforeMethodError, ServiceError
from .instants import ns_to_micros, parse_iso_ns

DEFAULT_SIZE = 20
MAX_SIZE = 2000

# Filter classes decide which operators *bind*; builders decide which are *applied*.
PLAIN_OPS = ("equals", "notEquals", "specified", "in", "notIn")
RANGE_OPS = PLAIN_OPS + ("greaterThan", "lessThan", "greaterThanOrEqual", "lessThanOrEqual")
STRING_OPS = PLAIN_OPS + ("contains", "doesNotContain")
OPS_BY_FILTER = {"plain": PLAIN_OPS, "range": RANGE_OPS, "string": STRING_OPS}
JAVA_TYPES = {"long": "java.lang.Long", "int": "java.lang.Integer", "string": "java.lang.String",
              "instant": "java.time.Instant", "bool": "java.lang.Boolean"}
COMPARISONS = (("greaterThan", ">"), ("greaterThanOrEqual", ">="), ("lessThan", "<"),
               ("lessThanOrEqual", "<="))


class CriteriaField(object):
    def __init__(self, prop, column, value_type, filter_class, builder, enum=None):
        self.prop = prop
        self.column = column
        self.value_type = value_type      # long | int | string | instant | enum
        self.filter_class = filter_class  # plain | range | string: what binds
        self.builder = builder            # plain | range | string: what is applied
        self.enum = enum                  # (java class, values) for enum filters


class Entity(object):
    """One JPA entity as the list endpoints see it."""

    def __init__(self, java_name, table, criteria_name, base_url, fields):
        self.java_name = java_name
        self.table = table
        self.criteria_name = criteria_name
        self.base_url = base_url
        self.fields = dict((f.prop, f) for f in fields)


# ---------------------------------------------------------------- binding

def bind(query, entity):
    """[(field, operator, value)] for each criteria parameter that binds (BeforeMethodError
    when a value does not convert)."""
    bound, problems = [], []
    for name, raw_values in query.items():
        prop, unused_value, op = name.partition(".")
        field = entity.fields.get(prop)
        if field is None or field.filter_class is None \
                or op not in OPS_BY_FILTER[field.filter_class]:
            continue  # unknown properties are ignored by the binder
        try:
            value = _bind_value(field, op, raw_values)
        except ValueError as exc:
            problems.append((name, ",".join(raw_values), str(exc)))
            continue
        if value is not None:
            bound.append((field, op, value))
    if problems:
        details = "".join(
            "Field error in object '%s' on field '%s': rejected value [%s]; default message "
            "[Failed to convert property value of type 'java.lang.String' to required type '%s' "
            "for property '%s'; nested exception is %s]"
            % (entity.criteria_name, name, value, _target_type(entity, name), name, cause)
            for name, value, cause in problems)
        raise BeforeMethodError("org.springframework.validation.BeanPropertyBindingResult: "
                                "%d errors%s" % (len(problems), details))
    return bound


def _target_type(entity, name):
    prop, unused_value, op = name.partition(".")
    field = entity.fields[prop]
    if op == "specified":
        return "java.lang.Boolean"
    java = field.enum[0] if field.enum else JAVA_TYPES[field.value_type]
    return "java.util.List<%s>" % java if op in ("in", "notIn") else java


def _bind_value(field, op, raw_values):
    if op == "specified":
        return _to_boolean(_single(raw_values))
    if op in ("in", "notIn"):
        # One value is split on commas (and trimmed); repeated values are taken as they are.
        items = raw_values if len(raw_values) > 1 else _comma_split(raw_values[0])
        converted = [_convert(field, item) for item in items]
        return [v for v in converted if v is not None]
    text = ",".join(raw_values) if field.value_type == "string" else _single(raw_values)
    return _convert(field, text)


def _single(raw_values):
    return raw_values[0]


def _comma_split(text):
    return [part.strip() for part in text.split(",")] if text else []


def _convert(field, text):
    kind = field.value_type
    if kind == "string":
        return text
    if kind == "enum":
        text = text.strip()
        if not text:
            return None
        if text not in field.enum[1]:
            raise ValueError("java.lang.IllegalArgumentException: No enum constant %s.%s"
                             % (field.enum[0], text))
        return text
    if kind in ("long", "int"):
        return parse_java_number(text, kind)
    if kind == "instant":
        if not text.strip():
            return None
        try:
            return ns_to_micros(parse_iso_ns(text))
        except ValueError:
            raise ValueError("java.time.format.DateTimeParseException: Text '%s' could not be "
                             "parsed at index 0" % text)
    raise AssertionError(kind)


def parse_java_number(text, kind="long"):
    """Spring's NumberUtils.parseNumber: whitespace removed, decimal or 0x/# hex; ValueError."""
    compact = re.sub(r"\s+", "", text)
    if not compact:
        return None
    match = re.match(r"([+-]?)(0[xX]|#)?([0-9a-fA-F]+)\Z", compact)
    if not match or (not match.group(2) and not compact.lstrip("+-").isdigit()):
        raise ValueError(errors.number_format(text))
    number = int(match.group(3), 16 if match.group(2) else 10)
    number = -number if match.group(1) == "-" else number
    bits = 63 if kind == "long" else 31
    if not -2 ** bits <= number < 2 ** bits:
        raise ValueError(errors.number_format(text))
    return number


def _to_boolean(text):
    value = text.strip().lower()
    if not value:
        return None
    if value in ("true", "on", "yes", "1"):
        return True
    if value in ("false", "off", "no", "0"):
        return False
    raise ValueError("java.lang.IllegalArgumentException: Invalid boolean value [%s]" % text)


# ---------------------------------------------------------------- WHERE

def where_clause(bound):
    """SQL and parameters for the bound filters, one builder per field, ANDed across fields."""
    by_field = {}
    for field, op, value in bound:
        by_field.setdefault(field.prop, (field, {}))[1][op] = value
    clauses, params = [], []
    for field, ops in by_field.values():
        for sql, args in _field_clauses(field, ops):
            clauses.append(sql)
            params.extend(args)
    return (" AND ".join(clauses) or "1 = 1"), params


def _field_clauses(field, ops):
    col = field.column
    if "equals" in ops:
        return [("%s = ?" % col, [ops["equals"]])]
    if "in" in ops:
        return [_in_clause(col, ops["in"], negate=False)]
    if field.builder == "range":
        out = []
        if "specified" in ops:
            out.append(_specified(col, ops["specified"]))
        if "notEquals" in ops:
            out.append(("%s <> ?" % col, [ops["notEquals"]]))
        if "notIn" in ops:
            out.append(_in_clause(col, ops["notIn"], negate=True))
        for op, sign in COMPARISONS:
            if op in ops:
                out.append(("%s %s ?" % (col, sign), [ops[op]]))
        return out
    order = ["notIn"]
    if field.builder == "string":
        order += ["contains", "doesNotContain"]
    order += ["notEquals", "specified"]
    for op in order:
        if op in ops:
            return [_single_clause(col, op, ops[op])]
    return []  # e.g. incidentSeverity.greaterThan: bound, then silently not applied


def _single_clause(col, op, value):
    if op == "notIn":
        return _in_clause(col, value, negate=True)
    if op in ("contains", "doesNotContain"):
        # likeUpperSpecification: '%' + upper(value) + '%', wildcards in the value not escaped
        like = "JUPPER(%s) LIKE ? ESCAPE '\\'" % col
        return ("NOT (%s)" % like if op == "doesNotContain" else like), ["%" + value.upper() + "%"]
    if op == "notEquals":
        return "%s <> ?" % col, [value]
    return _specified(col, value)


def _in_clause(col, values, negate):
    if not values:
        return ("1 = 1" if negate else "1 = 0"), []
    marks = ", ".join("?" for unused_value in values)
    return "%s %sIN (%s)" % (col, "NOT " if negate else "", marks), list(values)


def _specified(col, flag):
    return "%s IS %sNULL" % (col, "NOT " if flag else ""), []


# ---------------------------------------------------------------- paging

def pageable(query):
    """(page, size, [(prop, descending)]) as Spring Data's resolvers read them."""
    page = _page_number(query.get("page"), 2 ** 31 - 1)
    page = 0 if page is None else page
    size = _page_number(query.get("size"), MAX_SIZE)
    size = DEFAULT_SIZE if size is None or size < 1 else size
    orders = []
    for raw in query.get("sort", []):
        parts = [p for p in raw.split(",") if p.strip(".")]
        if not parts:
            continue
        direction = parts[-1].lower()  # Direction.fromString: no trimming
        descending = direction == "desc"
        props = parts[:-1] if direction in ("asc", "desc") else parts
        orders.extend((p, descending) for p in props if p.strip())
    return page, size, orders


def _page_number(values, upper):
    if not values or not values[0].strip():
        return None
    text = values[0]
    if not re.match(r"[+-]?\d+\Z", text) or not -2 ** 31 <= int(text) < 2 ** 31:
        return 0  # NumberFormatException -> 0 in PageableHandlerMethodArgumentResolver
    return min(max(int(text), 0), upper)


def order_clause(orders, entity):
    """ORDER BY with Postgres' NULL placement; an unknown property fails like Spring Data."""
    terms = []
    for prop, descending in orders:
        field = entity.fields.get(prop)
        if field is None:
            raise ServiceError("No property %s found for type %s!" % (prop, entity.java_name))
        col = field.column
        collate = " COLLATE ENUS" if field.value_type == "string" else ""
        if descending:
            terms.append("(%s IS NULL) DESC, %s%s DESC" % (col, col, collate))
        else:
            terms.append("(%s IS NULL) ASC, %s%s ASC" % (col, col, collate))
    terms.append("id ASC")  # Postgres gives no order for ties; insertion order is our choice
    return " ORDER BY " + ", ".join(terms)


def link_header(base_url, page, size, total):
    """PaginationUtil.generatePaginationHttpHeaders: next, prev, last, first; no filters."""
    total_pages = (total + size - 1) // size if size else 0
    parts = []
    if page + 1 < total_pages:
        parts.append('<%s?page=%d&size=%d>; rel="next"' % (base_url, page + 1, size))
    if page > 0:
        parts.append('<%s?page=%d&size=%d>; rel="prev"' % (base_url, page - 1, size))
    last = total_pages - 1 if total_pages > 0 else 0
    parts.append('<%s?page=%d&size=%d>; rel="last"' % (base_url, last, size))
    parts.append('<%s?page=%d&size=%d>; rel="first"' % (base_url, 0, size))
    return ",".join(parts)


def list_page(store, entity, query, to_json):
    """Run a criteria + paging list: (items, headers)."""
    where, params = where_clause(bind(query, entity))
    page, size, orders = pageable(query)
    order = order_clause(orders, entity)
    total = store.one("SELECT COUNT(*) FROM %s WHERE %s" % (entity.table, where), params)[0]
    rows = store.all("SELECT * FROM %s WHERE %s%s LIMIT ? OFFSET ?" % (entity.table, where, order),
                     params + [size, page * size])
    headers = [("X-Total-Count", str(total)),
               ("Link", link_header(entity.base_url, page, size, total))]
    return [to_json(row) for row in rows], headers


def count(store, entity, query):
    where, params = where_clause(bind(query, entity))
    return store.one("SELECT COUNT(*) FROM %s WHERE %s" % (entity.table, where), params)[0]
