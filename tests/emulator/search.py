"""POST /api/elasticsearch/search as UTMStack v11.0.1 answers it (reference §8).

run_search() is a pure function over the current alert documents: it reads the
query parameters as Spring does, turns each FilterType into a predicate with
the semantics of the backend's query builder over OpenSearch's dynamic mapping
(query.py), then sorts, pages and builds X-Total-Count / Link.
"""
import fnmatch
import re
from collections import Counter
from operator import itemgetter

from . import query as q
from .criteria import link_header, pageable

BASE_URL = "/api/elasticsearch/search"
MAX_RESULT_WINDOW = 10000   # index.max_result_window
TRACK_TOTAL_HITS = 10000    # hits.total is exact up to here, then "gte 10000"
MAX_TERMS = 65536           # index.max_terms_count

OPERATORS = (
    "IS", "IS_NOT", "CONTAIN", "CONTAIN_ONE_OF", "DOES_NOT_CONTAIN_ONE_OF",
    "DOES_NOT_CONTAIN", "IS_ONE_OF", "IS_NOT_ONE_OF", "IS_ONE_OF_TERMS",
    "IS_ONE_OF_TERMS_OR", "EXIST", "DOES_NOT_EXIST", "IS_BETWEEN", "IS_NOT_BETWEEN",
    "IS_IN_FIELDS", "IS_NOT_IN_FIELDS", "ENDS_WITH", "NOT_ENDS_WITH", "START_WITH",
    "NOT_START_WITH", "IS_GREATER_THAN", "IS_LESS_THAN_OR_EQUALS",
)
# Negative operators are must_not of their positive twin.
NEGATED = {"IS_NOT": "IS", "DOES_NOT_CONTAIN": "CONTAIN", "IS_NOT_ONE_OF": "IS_ONE_OF",
           "DOES_NOT_CONTAIN_ONE_OF": "CONTAIN_ONE_OF", "DOES_NOT_EXIST": "EXIST",
           "IS_NOT_BETWEEN": "IS_BETWEEN", "IS_NOT_IN_FIELDS": "IS_IN_FIELDS",
           "NOT_ENDS_WITH": "ENDS_WITH", "NOT_START_WITH": "START_WITH"}
LIST_OPERATORS = ("IS_ONE_OF", "CONTAIN_ONE_OF", "IS_ONE_OF_TERMS", "IS_ONE_OF_TERMS_OR",
                  "IS_BETWEEN")
JAVA_INT = re.compile(r"[+-]?\d+\Z")


class SearchError(Exception):
    """The server answers 500, empty body, this message in X-UtmStack-error."""


def _fail(msg):
    raise SearchError("ElasticsearchResource.search: " + msg)


def _never(doc):
    return False


def _always(doc):
    return True


# ------------------------------------------------------------------ request

def _first(params, name):
    vals = params.get(name) or []
    return vals[0] if vals else None


def _java_int(raw):
    return JAVA_INT.match(raw) is not None and -2 ** 31 <= int(raw) < 2 ** 31


def _top(params):
    raw = _first(params, "top")
    if raw is None or not raw.strip():
        raise SearchError("Required request parameter 'top' for method parameter type "
                          "Integer is not present")
    if not _java_int(raw.strip()):
        raise SearchError("Failed to convert value of type 'java.lang.String' to required "
                          "type 'java.lang.Integer'; For input string: \"%s\"" % raw)
    return int(raw)


def _bool_param(raw):
    low = (raw or "").strip().lower()
    if low in ("true", "on", "yes", "1"):
        return True
    if low in ("", "false", "off", "no", "0"):
        return False
    raise SearchError("Failed to convert value of type 'java.lang.String' to required "
                      "type 'boolean'; Invalid boolean value [%s]" % raw)


def _parse_filters(body, operators=OPERATORS):
    """Jackson binding of List<FilterType>; an unknown operator name fails here."""
    if body is None:
        return []
    if not isinstance(body, list):
        raise SearchError("JSON parse error: Cannot deserialize value of type "
                          "`java.util.ArrayList<FilterType>` from Object value")
    filters = []
    for item in body:
        if item is not None and not isinstance(item, dict):
            raise SearchError("JSON parse error: Cannot construct instance of `FilterType` "
                              "from %s" % q.java_str(item))
        op = (item or {}).get("operator")
        if op is not None and op not in operators:
            raise SearchError(
                "JSON parse error: Cannot deserialize value of type `OperatorType` from "
                "String \"%s\": not one of the values accepted for Enum class: [%s]"
                % (q.java_str(op), ", ".join(operators)))
        filters.append(item)
    return filters


def _validate(item):
    """Checks the backend makes before it calls OpenSearch; returns (field, op, value)."""
    if item is None or item.get("operator") is None:
        _fail("SearchUtil.toQuery: null")
    field, op, value = item.get("field"), item["operator"], item.get("value")
    if not isinstance(field, str) or not field.strip():
        _fail("SearchUtil.toQuery: a filter needs a field")
    base = NEGATED.get(op, op)
    if base != "EXIST" and value is None:
        _fail("SearchUtil.toQuery: the value of a %s filter is required" % op)
    if base in LIST_OPERATORS and not isinstance(value, list):
        _fail("SearchUtil.toQuery: class %s cannot be cast to class java.util.List"
              % type(value).__name__)
    if base.startswith("IS_ONE_OF_TERMS") and not all(isinstance(v, str) for v in value):
        _fail("SearchUtil.toQuery: the terms of %s must be strings" % op)
    if base == "IS_BETWEEN" and len(value) != 2:
        _fail("SearchUtil.toQuery: %s needs a list [from, to]" % op)
    if base in ("IS_GREATER_THAN", "IS_LESS_THAN_OR_EQUALS") and isinstance(value, (list, dict)):
        _fail("SearchUtil.toQuery: [range] query does not support a list value")
    return field, op, value


# ------------------------------------------------------------ predicates

def _term_test(field, text, now_ms):
    """Test of one indexed value for match_phrase / term `text`, or None (no match)."""
    kind = field.type
    if kind == "text":
        phrase = q.analyze(text)
        return (lambda v: q.contains_phrase(q.analyze(v), phrase)) if phrase else None
    if kind == "keyword":
        return lambda v: v == text
    if kind == "number":
        num = q.to_number(text)
        return lambda v: v == num
    if kind == "boolean":
        flag = q.to_bool(text)
        return lambda v: v == flag
    if kind == "date":  # a term on a date is [value rounded down, rounded up]
        lo, hi = q.parse_date(text, False, now_ms), q.parse_date(text, True, now_ms)
        return lambda v: lo <= v <= hi
    return None


def _any_value(field, test):
    """Predicate: some indexed value of `field` passes `test`."""
    scalars, key, conv = field.scalars, field.path, field.conv

    def pred(doc):
        if field.top:  # fast path: one scalar under a top-level key
            val = doc.get(key)
            if val is None:
                return False
            if not isinstance(val, (list, dict)):
                val = conv(val)
                return val is not None and test(val)
        for val in scalars(doc):
            if test(val):
                return True
        return False
    return pred


def _any_of(field, tests):
    tests = [t for t in tests if t is not None]
    if not tests:
        return _never
    if len(tests) == 1:
        return _any_value(field, tests[0])
    return _any_value(field, lambda v: any(t(v) for t in tests))


def _terms(field, value, now_ms):
    if len(value) > MAX_TERMS:
        raise q.QueryError("The number of terms [%d] used in the Terms Query request has "
                           "exceeded the allowed maximum of [%d]" % (len(value), MAX_TERMS))
    kind = field.type
    if kind == "date":
        return _any_of(field, [_term_test(field, v, now_ms) for v in value])
    if kind not in ("keyword", "text", "number", "boolean") or not value:
        return _never
    conv = {"number": q.to_number, "boolean": q.to_bool}.get(kind, str)
    wanted = set(conv(v) for v in value)
    if kind == "text":  # terms are not analyzed: they must equal an indexed token
        return lambda doc: any(t in wanted for v in field.scalars(doc) for t in q.analyze(v))
    if kind == "keyword" and field.top:  # fast path: one dict lookup per document
        key, limit = field.path, q.KEYWORD_IGNORE_ABOVE

        def test(doc):
            val = doc.get(key)
            if isinstance(val, str):
                return val in wanted and len(val) <= limit
            return val is not None and any(v in wanted for v in field.scalars(doc))
        return test
    return _any_value(field, wanted.__contains__)


def _exists(field):
    if field.type == "object":  # an object exists when one of its leaves does
        return lambda doc: any(True for v in field.get(doc) for unused_value in q.iter_leaves(v))
    if field.type is None:
        return _never
    return lambda doc: bool(field.scalars(doc))


def _range(field, low, high, low_incl, high_incl, now_ms, allow_epoch=True):
    """range gte/gt low, lte/lt high (None = open); dates round like OpenSearch."""
    kind = field.type
    if kind in (None, "object"):
        return _never

    def conv(bound, round_up):
        if kind == "date":
            return q.parse_date(bound, round_up, now_ms, allow_epoch)
        if kind == "number":
            return q.to_number(bound)
        return q.to_bool(bound) if kind == "boolean" else q.java_str(bound)
    lo = None if low is None else conv(low, not low_incl)
    hi = None if high is None else conv(high, high_incl)

    def inside(v):
        if lo is not None and (v < lo if low_incl else v <= lo):
            return False
        return hi is None or (v <= hi if high_incl else v < hi)
    if kind == "text":  # a range over the indexed tokens
        return _any_value(field, lambda v: any(inside(t) for t in q.analyze(v)))
    return _any_value(field, inside)


def _wildcard(field, pattern):
    kind = field.type
    if kind in ("number", "date", "boolean"):
        raise q.QueryError("Can only use wildcard queries on keyword and text fields - not "
                           "on [%s] which is of type [%s]"
                           % (field.path, {"number": "long"}.get(kind, kind)))
    if kind == "text":  # the pattern is normalized (lowercased) like the tokens
        rx = q.wildcard_regex(pattern.lower())
        return lambda doc: any(rx.match(t) for v in field.scalars(doc) for t in q.analyze(v))
    if kind == "keyword":
        rx = q.wildcard_regex(pattern)
        return lambda doc: any(rx.match(v) for v in field.scalars(doc))
    return _never


def _contain(field, value):
    clauses = q.qs_clauses(value)
    if field.type == "text":
        return lambda doc: all(q.qs_text(c, field.scalars(doc)) for c in clauses)
    if field.type == "keyword":
        return lambda doc: all(q.qs_keyword(c, field.scalars(doc)) for c in clauses)
    return _never  # lenient: a wildcard on a number/date/boolean matches nothing


def _in_fields(value):
    """query_string on every text field and its .keyword (default_field *)."""
    clauses = q.qs_clauses(value)

    def test(doc):
        strings = [v for path, v in q.iter_leaves(doc)
                   if isinstance(v, str) and q.scalar_type(v, path) == "text"]
        return all(q.qs_text(c, strings) or q.qs_keyword(c, strings) for c in clauses)
    return test


def _build(path, op, value, docs, now_ms):
    """(predicate, negated) for one filter over `docs`' mapping."""
    base = NEGATED.get(op, op)
    if base == "IS_IN_FIELDS":
        return _in_fields(value), op in NEGATED
    field = q.Field(path, docs)
    if base == "IS":
        pred = _any_of(field, [_term_test(field, q.java_str(value), now_ms)])
    elif base in ("IS_ONE_OF", "CONTAIN_ONE_OF"):  # OR of match_phrase
        pred = _any_of(field, [_term_test(field, q.java_str(v), now_ms) for v in value]) \
            if value else _always  # a bool query without clauses matches all
    elif base.startswith("IS_ONE_OF_TERMS"):
        pred = _terms(field, value, now_ms)
    elif base == "CONTAIN":
        pred = _contain(field, value)
    elif base == "EXIST":
        pred = _exists(field)
    elif base == "IS_BETWEEN":
        pred = _range(field, value[0], value[1], True, True, now_ms)
    elif base == "START_WITH":
        pred = _wildcard(field, q.java_str(value) + "*")
    elif base == "ENDS_WITH":
        pred = _wildcard(field, "*" + q.java_str(value))
    elif base == "IS_GREATER_THAN":  # format strict_date_optional_time_nanos
        pred = _range(field, value, None, False, True, now_ms, allow_epoch=False)
    else:  # IS_LESS_THAN_OR_EQUALS
        pred = _range(field, None, value, True, True, now_ms, allow_epoch=False)
    return pred, op in NEGATED


# ------------------------------------------------------------------ indices

def _index_name(doc, prefix):
    stamp = doc.get("@timestamp")
    day = stamp[:10] if isinstance(stamp, str) and len(stamp) >= 10 else "1970-01-01"
    return prefix + day.replace("-", ".")


def _select_indices(docs, pattern, alert_index_pattern):
    """The documents of the daily alert indices `pattern` resolves to."""
    prefix = alert_index_pattern.rstrip("*")
    parts = [p.strip() for p in pattern.split(",") if p.strip()]
    if not parts:
        _fail("index_not_found_exception: no such index []")
    if all(p in ("*", "_all", alert_index_pattern) for p in parts):
        return docs
    by_name = {}
    for doc in docs:
        by_name.setdefault(_index_name(doc, prefix), []).append(doc)
    chosen = set()
    for part in parts:
        if part.startswith("-") and chosen:
            chosen -= set(fnmatch.filter(list(chosen), part[1:]))
        elif part == "_all":
            chosen |= set(by_name)
        elif "*" in part or "?" in part:
            chosen |= set(n for n in by_name if fnmatch.fnmatchcase(n, part))
        elif part in by_name:
            chosen.add(part)
        else:  # a concrete name that does not exist is an error, a wildcard is not
            _fail("index_not_found_exception: no such index [%s]" % part)
    return [d for d in docs if _index_name(d, prefix) in chosen]


# ------------------------------------------------------------ sort & headers

def _sort(hits, orders, docs):
    """Stable multi-key sort; missing values last; arrays sort by min (asc) / max (desc)."""
    for path, desc in reversed(orders):
        if path in ("_score", "_doc"):  # equal scores: index (insertion) order
            hits = hits[::-1] if path == "_doc" and desc else hits
            continue
        field = q.Field("id" if path == "_id" else path, docs)
        if field.type == "keyword":
            field.set_type("text")
        keyed, missing = [], []
        scalars, pick = field.scalars, max if desc else min
        for doc in hits:
            vals = scalars(doc)
            if vals:
                keyed.append((vals[0] if len(vals) == 1 else pick(vals), doc))
            else:
                missing.append(doc)
        keyed.sort(key=itemgetter(0), reverse=desc)
        hits = [doc for unused_value, doc in keyed] + missing
    return hits


# ------------------------------------------------------------------ entry

def run_search(docs, params, body, alert_index_pattern="v11-alert-*", now=None):
    """Answer POST /api/elasticsearch/search over `docs` (never mutated).

    params: query parameter name -> list of str; body: parsed JSON or None;
    `now` (datetime or epoch seconds) pins date math, for tests.
    Returns (items, headers); raises SearchError for every 500 case.
    """
    v10 = alert_index_pattern == "alert-*"  # v10: no IS_ONE_OF_TERMS_OR, no includeChildren
    operators = tuple(o for o in OPERATORS if not (v10 and o == "IS_ONE_OF_TERMS_OR"))
    filters = _parse_filters(body, operators)  # the body binds first, then the parameters
    top = _top(params)
    pattern = _first(params, "indexPattern")
    if pattern is None:
        raise SearchError("Required request parameter 'indexPattern' for method parameter "
                          "type String is not present")
    include_children = not v10 and _bool_param(_first(params, "includeChildren"))
    page, size, orders = pageable(params)  # the same Spring Pageable as the JPA lists
    filters = [_validate(item) for item in filters]

    offset = size * max(page, 1) - size  # page 0 and page 1 are both the first page
    window = top - offset if offset + size > top else size
    if window < 0:
        _fail("[size] parameter cannot be negative, found [%d]" % window)
    pool = _select_indices(docs, pattern, alert_index_pattern)
    if not pool:  # a wildcard that matches no index: no shards, no hits
        return [], {}
    if offset + window > MAX_RESULT_WINDOW:
        _fail("search_phase_execution_exception: Result window is too large, from + size "
              "must be less than or equal to: [%d] but was [%d]"
              % (MAX_RESULT_WINDOW, offset + window))

    now_ms = q.epoch_ms(now)
    must, must_not, any_of = [], [], []
    try:
        for path, op, value in filters:
            pred, negated = _build(path, op, value, pool, now_ms)
            if op == "IS_ONE_OF_TERMS_OR":  # OR-ed together, AND-ed with the rest
                any_of.append(pred)
            else:
                (must_not if negated else must).append(pred)
    except q.QueryError as err:
        _fail("search_phase_execution_exception: failed to create query: %s" % err)
    hits = [] if _never in must or _always in must_not else pool
    for pred in must:  # each pass only looks at what the previous ones kept
        if pred is not _always:
            hits = [doc for doc in hits if pred(doc)]
    for pred in must_not:
        if pred is not _never:
            hits = [doc for doc in hits if not pred(doc)]
    if any_of:
        hits = [doc for doc in hits if any(pred(doc) for pred in any_of)]
    if not hits:
        return [], {}

    hits = _sort(hits, orders, pool)
    total = min(len(hits), TRACK_TOTAL_HITS, top)
    items = q.copy_docs(hits[offset:offset + window])
    if include_children and items:
        echoes = Counter(d.get("parentId") for d in pool if d.get("parentId"))
        for item in items:
            item["hasChildren"] = echoes.get(item.get("id"), 0) > 0
            item["echoes"] = echoes.get(item.get("id"), 0)
    return items, {"X-Total-Count": str(total), "Link": link_header(BASE_URL, page, size, total)}
