# -*- coding: utf-8 -*-
# Copyright: utmstack.soc contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""utm_alert_info's options as alert-search filters, checked before any request.

Pure functions: the module runs the searches this file plans and merges the answers here.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.utmstack.soc.plugins.module_utils.alerts import chunks, ids_filter
from ansible_collections.utmstack.soc.plugins.module_utils.client import MAX_PAGE_SIZE, SEARCH_WINDOW
from ansible_collections.utmstack.soc.plugins.module_utils.errors import UtmInputError
from ansible_collections.utmstack.soc.plugins.module_utils.validation import check_alert_ids
from ansible_collections.utmstack.soc.plugins.module_utils.vocabulary import (
    ALERT_STATUS_WORD, FALSE_POSITIVE_TAG, severity_code)

# OperatorType of the UTMStack v11 backend; any other name makes the search fail.
OPERATORS = (
    "IS", "IS_NOT", "CONTAIN", "CONTAIN_ONE_OF", "DOES_NOT_CONTAIN_ONE_OF", "DOES_NOT_CONTAIN",
    "IS_ONE_OF", "IS_NOT_ONE_OF", "IS_ONE_OF_TERMS", "IS_ONE_OF_TERMS_OR", "EXIST", "DOES_NOT_EXIST",
    "IS_BETWEEN", "IS_NOT_BETWEEN", "IS_IN_FIELDS", "IS_NOT_IN_FIELDS", "ENDS_WITH", "NOT_ENDS_WITH",
    "START_WITH", "NOT_START_WITH", "IS_GREATER_THAN", "IS_LESS_THAN_OR_EQUALS",
)
LIST_OPERATORS = ("CONTAIN_ONE_OF", "DOES_NOT_CONTAIN_ONE_OF", "IS_ONE_OF", "IS_NOT_ONE_OF",
                  "IS_ONE_OF_TERMS", "IS_ONE_OF_TERMS_OR")
RANGE_OPERATORS = ("IS_BETWEEN", "IS_NOT_BETWEEN")
PRESENCE_OPERATORS = ("EXIST", "DOES_NOT_EXIST")

STATUS_CODE = dict((word, code) for code, word in ALERT_STATUS_WORD.items())
# The two sides of an alert that name a host; the search ANDs its filters, so "either
# side" is one search per side, merged here.
HOST_FIELDS = ("adversary.host", "target.host")

_ISO = r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?)?(Z|[+-]\d{2}:?\d{2})?"
_MATH = r"([+-]\d+[yMwdhHms])*(/[yMwdhHms])?"
TIME_RE = re.compile(r"^(now%s|%s(\|\|%s)?)$" % (_MATH, _ISO, _MATH))


def check_time(option, value):
    if value is not None and not TIME_RE.match(value):
        raise UtmInputError("%s must be an ISO-8601 time (2026-01-31T08:00:00Z) or OpenSearch date math "
                            "(now-24h, now-7d/d), got %r" % (option, value))
    return value


def check_filters(filters):
    """Raw FilterType dicts, checked: known operator, and a value of the shape it needs."""
    checked = []
    for number, item in enumerate(filters or [], 1):
        where = "filters[%d]" % number
        if not isinstance(item, dict):
            raise UtmInputError("%s must be a dict with field, operator and value" % where)
        unknown = sorted(set(item) - set(("field", "operator", "value")))
        if unknown:
            raise UtmInputError("%s has unknown keys %s; use field, operator and value" % (where, ", ".join(unknown)))
        field, operator, value = item.get("field"), item.get("operator"), item.get("value")
        if not isinstance(field, str) or not field:
            raise UtmInputError("%s needs a field name" % where)
        if operator not in OPERATORS:
            raise UtmInputError("%s: operator %r is not one UTMStack knows; valid operators: %s"
                                % (where, operator, ", ".join(OPERATORS)))
        if operator in LIST_OPERATORS and not isinstance(value, list):
            raise UtmInputError("%s: %s needs a list value" % (where, operator))
        if operator in RANGE_OPERATORS and not (isinstance(value, list) and len(value) == 2):
            raise UtmInputError("%s: %s needs a value of two items [from, to]" % (where, operator))
        if operator not in PRESENCE_OPERATORS and value is None:
            raise UtmInputError("%s: %s needs a value" % (where, operator))
        entry = {"field": field, "operator": operator}
        if value is not None:
            entry["value"] = value
        checked.append(entry)
    return checked


def check_sort(sort):
    """``field`` or ``field,asc|desc``, as the search's sort parameter takes it."""
    parts = [p.strip() for p in (sort or "").split(",")]
    if not parts[0] or len(parts) > 2 or (len(parts) == 2 and parts[1].lower() not in ("asc", "desc")):
        raise UtmInputError("sort must look like '@timestamp,desc' (a field, then asc or desc), got %r" % (sort,))
    return ",".join(parts)


def _one_or_many(field, values):
    if len(values) == 1:
        return {"field": field, "operator": "IS", "value": values[0]}
    return {"field": field, "operator": "IS_ONE_OF", "value": list(values)}


def base_filters(params):
    """The ANDed filters of every option except ``ids`` and ``host`` (see ``searches``)."""
    found = _name_filters(params) + _code_filters(params) + _time_filters(params)
    if params.get("in_incident") is not None:
        found.append({"field": "isIncident", "operator": "IS", "value": params["in_incident"] is True})
    found.extend(_tag_filters(params))
    if params.get("data_source"):
        found.append(_one_or_many("dataSource", params["data_source"]))
    if params.get("data_type"):
        found.append(_one_or_many("dataType", params["data_type"]))
    if params.get("include_echoes") is False:
        found.append({"field": "parentId", "operator": "DOES_NOT_EXIST"})
    return found + check_filters(params.get("filters"))


def _name_filters(params):
    found = []
    if params.get("name") is not None:
        found.append({"field": "name.keyword", "operator": "IS", "value": params["name"]})
    if params.get("name_contains") is not None:
        found.append({"field": "name", "operator": "CONTAIN", "value": params["name_contains"]})
    return found


def _code_filters(params):
    """Severity and status, from the collection's words to the API's codes."""
    found = []
    if params.get("severity"):
        try:
            codes = sorted(set(severity_code(s) for s in params["severity"]))
        except ValueError as exc:
            raise UtmInputError(str(exc))
        found.append({"field": "severity", "operator": "IS_ONE_OF", "value": codes})
    if params.get("status"):
        bad = [s for s in params["status"] if s not in STATUS_CODE]
        if bad:
            raise UtmInputError("status must be among %s, got %s" % (", ".join(sorted(STATUS_CODE)), ", ".join(bad)))
        found.append({"field": "status", "operator": "IS_ONE_OF",
                      "value": sorted(set(STATUS_CODE[s] for s in params["status"]))})
    return found


def _time_filters(params):
    since = check_time("since", params.get("since"))
    until = check_time("until", params.get("until"))
    if since is not None:
        return [{"field": "@timestamp", "operator": "IS_BETWEEN", "value": [since, until or "now"]}]
    if until is not None:
        return [{"field": "@timestamp", "operator": "IS_LESS_THAN_OR_EQUALS", "value": until}]
    return []


def _tag_filters(params):
    found = []
    if params.get("tags"):
        found.append({"field": "tags", "operator": "IS_ONE_OF", "value": list(params["tags"])})
    if params.get("false_positive") is not None:
        operator = "IS" if params["false_positive"] is True else "IS_NOT"
        found.append({"field": "tags", "operator": operator, "value": FALSE_POSITIVE_TAG})
    return found


def searches(params):
    """Every filter list to send: one per chunk of 2000 ids, times one per host side.

    Raises UtmInputError on any bad option, so nothing is sent for a task that cannot work.
    An explicit empty ``ids`` list gives no search at all.
    """
    base = base_filters(params)
    groups = [[]]
    if params.get("ids") is not None:
        ids = check_alert_ids(params["ids"], "ids")
        groups = [[ids_filter(chunk)] for chunk in chunks(ids, MAX_PAGE_SIZE)]
    if params.get("host"):
        hosts = list(params["host"])
        groups = [g + [{"field": f, "operator": "IS_ONE_OF", "value": hosts}] for g in groups for f in HOST_FIELDS]
    return [g + base for g in groups]


def check_index_pattern(pattern):
    """None means the server's own alert index; an empty or blank pattern is a typo, not a choice."""
    if pattern is not None and not pattern.strip():
        raise UtmInputError("index_pattern must not be empty; leave it out to search the alert index of the server's "
                            "version (v11-alert-* on 11, alert-* on 10)")
    return pattern


def check_limit(limit):
    if limit is not None and (isinstance(limit, bool) or limit < 1):
        raise UtmInputError("limit must be a positive number, got %r" % (limit,))
    return limit


def _field(doc, path):
    value = doc
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            # Some documents hold dotted names flat ("@timestamp" never nests anyway).
            return doc.get(path) if isinstance(doc, dict) else None
        value = value[part]
    return value


def merge(answers, sort, limit=None):
    """One list from several searches: each alert once, in ``sort`` order, cut at ``limit``.

    Missing values go last in both directions, as OpenSearch orders them.
    """
    if len(answers) == 1:
        docs = answers[0]
    else:
        seen = set()
        docs = []
        for answer in answers:
            for doc in answer:
                if doc.get("id") not in seen:
                    seen.add(doc.get("id"))
                    docs.append(doc)
        field, _sep, direction = sort.partition(",")
        present = [d for d in docs if _field(d, field) is not None]
        absent = [d for d in docs if _field(d, field) is None]
        try:
            present.sort(key=lambda d: _field(d, field), reverse=direction.lower() == "desc")
        except TypeError:
            present.sort(key=lambda d: str(_field(d, field)), reverse=direction.lower() == "desc")
        docs = present + absent
    return docs if limit is None else docs[:limit]


def window_reached(answers):
    """True when a search came back with the full OpenSearch window, so more may match."""
    return any(len(answer) >= SEARCH_WINDOW for answer in answers)
