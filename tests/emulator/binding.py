"""Request bodies read the way Spring MVC + Jackson 2.12 + Hibernate Validator read them.

A `Dto` lists the Java fields of a request class. `read_dto` checks the media type,
parses the JSON (Jackson's lenient scalar coercions included), and runs bean
validation when the controller parameter is `@Valid`.
"""
from __future__ import annotations

import json
import re

from . import errors
from .errors import BeforeMethodError
from .instants import parse_iso_ns
from .query import java_str

INT_RANGE = (-2 ** 31, 2 ** 31 - 1)
LONG_RANGE = (-2 ** 63, 2 ** 63 - 1)
NO_QUOTES = re.compile(r'[^"]*\Z')


class Kind(object):
    def __init__(self, name, java):
        self.name = name
        self.java = java


STRING = Kind("string", "java.lang.String")
INT = Kind("int", "java.lang.Integer")
LONG = Kind("long", "java.lang.Long")
PRIMITIVE_INT = Kind("pint", "int")
BOOL = Kind("bool", "java.lang.Boolean")
PRIMITIVE_BOOL = Kind("pbool", "boolean")
INSTANT = Kind("instant", "java.time.Instant")


class EnumKind(Kind):
    def __init__(self, java, values):
        Kind.__init__(self, "enum", java)
        self.values = list(values)


class ListOf(Kind):
    def __init__(self, item):
        Kind.__init__(self, "list", "java.util.List<%s>" % item.java)
        self.item = item


class Field(object):
    def __init__(self, name, kind, not_null=False, max_size=None, pattern=None):
        self.name = name
        self.kind = kind
        self.not_null = not_null
        self.max_size = max_size
        self.pattern = pattern


class Dto(Kind):
    def __init__(self, object_name, java, fields):
        Kind.__init__(self, "object", java)
        self.object_name = object_name
        self.fields = fields


def java_length(text):
    """String.length(): UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def check_json_media_type(req):
    """MappingJackson2HttpMessageConverter reads application/json and application/*+json only."""
    content_type = req.header("Content-Type")
    if content_type is None:
        if req.body:
            raise BeforeMethodError("Content type 'application/octet-stream' not supported")
        return
    media = content_type.split(";")[0].strip().lower()
    kind, unused_value, sub = media.partition("/")
    if kind not in ("application", "*") or not (sub in ("json", "*") or sub.endswith("+json")):
        raise BeforeMethodError("Content type '%s' not supported" % content_type.strip())


def read_json(req, signature, required=True):
    """The parsed body, or None when there is none and it is optional."""
    check_json_media_type(req)
    text = req.text().lstrip("\ufeff")
    if not text.strip():
        if required:
            raise BeforeMethodError(errors.missing_body(signature))
        return None
    try:
        # Jackson stops after the first value (FAIL_ON_TRAILING_TOKENS is off).
        value, _end = json.JSONDecoder(parse_constant=_reject_constant).raw_decode(text.lstrip())
    except ValueError as exc:
        raise BeforeMethodError(errors.json_parse_error(
            "Unexpected character or end-of-input: %s" % exc))
    if value is None and required:
        raise BeforeMethodError(errors.missing_body(signature))
    return value


def _reject_constant(name):
    raise ValueError("Non-standard token '%s'" % name)


def read_dto(req, dto, signature, valid=True, required=True):
    """Bind the body to `dto` (dict of field -> value) and validate it when `valid`."""
    data = read_json(req, signature, required)
    if data is None:
        return None
    values = convert(data, dto)
    if valid:
        validate(values, dto, signature)
    return values


def convert(value, kind):
    """Jackson's conversion of one JSON value to `kind`; BeforeMethodError when it refuses."""
    if value is None:
        return {"pint": 0, "pbool": False}.get(kind.name)
    name = kind.name
    if name == "object":
        if not isinstance(value, dict):
            _refuse(kind, value)
        return dict((f.name, convert(value.get(f.name), f.kind)) for f in kind.fields)
    if name == "list":
        if not isinstance(value, list):
            _refuse(kind, value)
        return [convert(item, kind.item) for item in value]
    if name == "string":
        if isinstance(value, (dict, list)):
            _refuse(kind, value)
        return java_str(value) if not isinstance(value, str) else value
    if name in ("int", "long", "pint"):
        return _to_integer(value, kind)
    if name in ("bool", "pbool"):
        return _to_boolean(value, kind)
    if name == "enum":
        return _to_enum(value, kind)
    if name == "instant":
        return _to_instant_ns(value, kind)
    raise AssertionError(name)


def _refuse(kind, value, detail=None):
    shapes = {dict: "Object value", list: "Array value", bool: "Boolean value",
              str: "String %s" % json.dumps(value, ensure_ascii=False)}
    shape = shapes.get(type(value), "Number value")
    message = "Cannot deserialize value of type `%s` from %s" % (kind.java, shape)
    raise BeforeMethodError(errors.json_parse_error(message + (": " + detail if detail else "")))


def _to_integer(value, kind):
    low, high = LONG_RANGE if kind.name == "long" else INT_RANGE
    if isinstance(value, bool) or isinstance(value, (dict, list)):
        _refuse(kind, value)
    if isinstance(value, str):
        text = value.strip()
        if text in ("", "null"):
            return 0 if kind.name == "pint" else None
        if not re.match(r"[+-]?\d+\Z", text):
            _refuse(kind, value, "not a valid `%s` value" % kind.java)
        number = int(text)
    elif isinstance(value, float):
        number = int(value)  # ACCEPT_FLOAT_AS_INT: truncation
    else:
        number = value
    if not low <= number <= high:
        raise BeforeMethodError(errors.json_parse_error(
            "Numeric value (%s) out of range of %s (%d - %d)"
            % (value, "long" if kind.name == "long" else "int", low, high)))
    return number


def _to_boolean(value, kind):
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value != 0
    if isinstance(value, str):
        if value in ("true", "True", "TRUE"):
            return True
        if value in ("false", "False", "FALSE"):
            return False
        if value.strip() in ("", "null"):
            return False if kind.name == "pbool" else None
        _refuse(kind, value, "only \"true\" or \"false\" recognized")
    _refuse(kind, value)


def _to_enum(value, kind):
    if isinstance(value, str):
        if value in kind.values:
            return value
        _refuse(kind, value, "not one of the values accepted for Enum class: [%s]"
                % ", ".join(kind.values))
    if isinstance(value, int) and not isinstance(value, bool):
        if 0 <= value < len(kind.values):  # FAIL_ON_NUMBERS_FOR_ENUMS is off: an index
            return kind.values[value]
        _refuse(kind, value, "index value outside legal index range [0..%d]"
                % (len(kind.values) - 1))
    _refuse(kind, value)


def _to_instant_ns(value, kind):
    if isinstance(value, bool) or isinstance(value, (dict, list)):
        _refuse(kind, value)
    if isinstance(value, (int, float)):
        return int(round(value * 1_000_000_000))  # numbers are epoch seconds[.fraction]
    text = value.strip()
    if not text:
        return None
    if re.match(r"-?\d+(\.\d+)?\Z", text):
        return int(round(float(text) * 1_000_000_000))
    try:
        return parse_iso_ns(text)
    except ValueError as exc:
        _refuse(kind, value, "Failed to deserialize java.time.Instant: "
                             "(java.time.format.DateTimeParseException) %s" % exc)


def validate(values, dto, signature):
    """Bean validation of the top-level object (items of lists are not cascaded: no @Valid)."""
    problems = violations(values, dto, ignore_lengths=False)
    if problems:
        raise BeforeMethodError(errors.validation_failed(signature, dto.object_name, problems),
                                field_errors=problems, object_name=dto.object_name)


def violations(values, dto, ignore_lengths=False):
    """[(field, rejected value, default message)] for @NotNull, @Size(max) and @Pattern."""
    problems = []
    for field in dto.fields:
        value = values.get(field.name)
        if field.not_null and value is None:
            problems.append((field.name, value, "must not be null"))
        elif isinstance(value, str):
            if field.max_size is not None and not ignore_lengths \
                    and java_length(value) > field.max_size:
                problems.append((field.name, value,
                                 "size must be between 0 and %d" % field.max_size))
            if field.pattern is not None and not field.pattern.match(value):
                problems.append((field.name, value, 'must match "^[^\\"]*$"'))
    return problems
