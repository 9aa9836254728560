"""Text analysis, field access and date handling for the emulated alert search.

Models how OpenSearch dynamically maps a UTMStack alert document: strings are
`text` (standard analyzer) with a `.keyword` sub-field (exact, ignore_above 256),
ISO date strings are `date`, JSON numbers are numeric and booleans boolean.
Everything here is a pure function of its arguments; caches are keyed on
immutable values only, so they never go stale when documents change.
"""
import calendar
import datetime
import functools
import pickle
import re
import time

KEYWORD_IGNORE_ABOVE = 256
MAX_TOKEN_LENGTH = 255

# Fields the alerts plugin first writes as "" (so dynamic mapping makes them
# text), even though convert-to-incident later stores an ISO instant there.
TEXT_FIELDS = frozenset(["incidentDetail.creationDate"])

# UAX#29 word-break characters that keep a token together between two letters
# (MidLetter, MidNumLet, Single_Quote) or between two digits (MidNum, ...).
_JOIN_LETTERS = frozenset(":.'\u2019\u2018\u00b7\u2024\ufe52\uff07\uff0e")
_JOIN_DIGITS = frozenset(",;.'\u2019\u2018\u2024\ufe52\uff07\uff0e\u066c\ufe50\ufe54\uff0c\uff1b")


def _cls(ch):
    if ch.isdecimal():
        return "N"
    if ch.isalpha():
        return "L"
    if ch == "_":
        return "E"
    return ""


@functools.lru_cache(maxsize=200000)
def analyze(text):
    """Standard analyzer: Unicode word segmentation (approximate), lowercased.

    'Failed Windows-logon' -> ('failed', 'windows', 'logon'); an IP or a host
    name such as '10.0.0.5' or 'corp.local' stays one token; a UUID splits on '-'.
    """
    tokens = []
    start = None
    n = len(text)
    for i, ch in enumerate(text):
        if _cls(ch):
            if start is None:
                start = i
            continue
        if start is not None and 0 < i < n - 1:
            before, after = _cls(text[i - 1]), _cls(text[i + 1])
            if (before == after == "L" and ch in _JOIN_LETTERS) or \
                    (before == after == "N" and ch in _JOIN_DIGITS):
                continue
        if start is not None:
            tokens.append(text[start:i])
            start = None
    if start is not None:
        tokens.append(text[start:])
    out = []
    for tok in tokens:
        if not any(c.isalnum() for c in tok):
            continue
        for k in range(0, len(tok), MAX_TOKEN_LENGTH):
            out.append(tok[k:k + MAX_TOKEN_LENGTH].lower())
    return tuple(out)


def contains_phrase(tokens, phrase):
    """True when `phrase` occurs in `tokens` as consecutive tokens, in order."""
    n = len(phrase)
    if n == 1:
        return phrase[0] in tokens
    return any(tokens[i:i + n] == phrase for i in range(len(tokens) - n + 1))


def java_str(value):
    """String.valueOf(value) as the Java backend renders a JSON value."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, float):
        if value == int(value) and abs(value) < 1e7:
            return "%d.0" % int(value)
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(java_str(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join("%s=%s" % (k, java_str(v)) for k, v in value.items()) + "}"
    return str(value)


# ---------------------------------------------------------------- field access

def values_at(doc, path):
    """All values at dotted `path` (arrays flattened, nulls dropped)."""
    out = []
    _walk(doc, path.split("."), 0, out)
    return out


def _walk(node, parts, i, out):
    if isinstance(node, list):
        for item in node:
            _walk(item, parts, i, out)
        return
    if i == len(parts):
        if node is not None:
            out.append(node)
        return
    if not isinstance(node, dict):
        return
    key = parts[i]
    j = i
    while True:  # documents may also hold dotted keys ("log.eventId")
        if key in node:
            _walk(node[key], parts, j + 1, out)
        j += 1
        if j >= len(parts):
            return
        key = key + "." + parts[j]


def iter_leaves(node, prefix=""):
    """(path, scalar) for every leaf under a document."""
    if isinstance(node, dict):
        for key, val in node.items():
            yield from iter_leaves(val, prefix + key + ".")
    elif isinstance(node, list):
        for val in node:
            yield from iter_leaves(val, prefix)
    elif node is not None:
        yield prefix[:-1], node


def copy_docs(docs):
    """Deep copies of JSON documents (a pickle round trip is the fastest way)."""
    return pickle.loads(pickle.dumps(docs, pickle.HIGHEST_PROTOCOL))


def scalar_type(value, path):
    """The type dynamic mapping gives a field whose first value is `value`."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        if path not in TEXT_FIELDS and _DETECT_DATE.match(value):
            return "date"
        return "text"
    return "object"


# ---------------------------------------------------------------- mapping

class Field(object):
    """A filter/sort field: its path, mapped type and whether `.keyword` is used.

    The type is that of the first value found in `docs` (dynamic mapping):
    text, keyword (the .keyword of a text field), number, date, boolean,
    object, or None when unmapped. Only text fields get a .keyword sub-field.
    """

    def __init__(self, path, docs):
        self.keyword = path.endswith(".keyword") and len(path) > len(".keyword")
        self.path = path[:-len(".keyword")] if self.keyword else path
        self.top = "." not in self.path
        kind = None
        for doc in docs:
            for val in self.get(doc):
                kind = scalar_type(val, self.path)
                if kind != "object":
                    break
            if kind not in (None, "object"):
                break
        if self.keyword:
            kind = "keyword" if kind == "text" else None
        self.set_type(kind)

    def set_type(self, kind):
        self.type = kind
        self.conv = _CONVERTERS.get(kind)

    def get(self, doc):
        if self.top:
            val = doc.get(self.path)
            if val is None:
                return ()
            return values_at(doc, self.path) if isinstance(val, list) else (val,)
        return values_at(doc, self.path)

    def scalars(self, doc):
        """The field's indexed values in `doc`, converted to its mapped type."""
        conv = self.conv
        if conv is None:
            return ()
        if self.top:  # fast path: one scalar under a top-level key
            val = doc.get(self.path)
            if val is None:
                return ()
            if not isinstance(val, (list, dict)):
                val = conv(val)
                return () if val is None else (val,)
        out = []
        for val in self.get(doc):
            if not isinstance(val, dict):
                val = conv(val)
                if val is not None:
                    out.append(val)
        return out


def _as_text(val):
    return val if isinstance(val, str) else java_str(val)


def _as_keyword(val):
    val = val if isinstance(val, str) else java_str(val)
    return val if len(val) <= KEYWORD_IGNORE_ABOVE else None


def _as_boolean(val):
    if isinstance(val, bool):
        return val
    return (val == "true") if val in ("true", "false") else None


_NUMBER = re.compile(r"\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*\Z")  # Java parseDouble


def number_or_none(val):
    if isinstance(val, (int, float)) and not isinstance(val, bool):
        return val
    return float(val) if isinstance(val, str) and _NUMBER.match(val) else None


def to_number(val):
    num = number_or_none(val)
    if num is None:
        raise QueryError("failed to create query: For input string: \"%s\"" % java_str(val))
    return num


def to_bool(val):
    text = java_str(val)
    if text in ("true", "false", ""):
        return text == "true"
    raise QueryError("Can't parse boolean value [%s], expected [true] or [false]" % text)


# ---------------------------------------------------------------- wildcards

@functools.lru_cache(maxsize=4096)
def wildcard_regex(pattern):
    """Lucene wildcard (`*`, `?`, backslash escape) as a compiled regex."""
    out = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern):
            out.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        out.append(".*" if ch == "*" else "." if ch == "?" else re.escape(ch))
        i += 1
    return re.compile("".join(out) + r"\Z", re.S)


_QS_WILDCARD = re.compile(r"(?<!\\)(?:\\\\)*[*?]")  # an unescaped * or ?
_QS_SPECIAL = re.compile(r'&&|\|\||[<>+\-=!(){}\[\]^"~*?:\\/]')


def qs_escape(text):
    """The backend's query_string escaping: specials get a backslash, < and > vanish."""
    return _QS_SPECIAL.sub(lambda m: "" if m.group(0) in "<>" else "\\" + m.group(0), text)


def qs_clauses(value):
    """query_string "*<escaped value>*": whitespace-separated clauses, AND-ed."""
    text = "*" + qs_escape(java_str(value)) + "*"
    return [("wild", t) if _QS_WILDCARD.search(t) else ("term", re.sub(r"\\(.)", r"\1", t))
            for t in text.split() if t != "AND"]


def qs_text(clause, strings):
    kind, term = clause
    if kind == "wild":
        rx = wildcard_regex(term.lower())
        return any(rx.match(t) for s in strings for t in analyze(s))
    return all(any(t in analyze(s) for s in strings) for t in analyze(term))


def qs_keyword(clause, strings):
    kind, term = clause
    strings = [s for s in strings if len(s) <= KEYWORD_IGNORE_ABOVE]
    if kind == "wild":
        rx = wildcard_regex(term)
        return any(rx.match(s) for s in strings)
    return term in strings


# ---------------------------------------------------------------- dates

_DETECT_DATE = re.compile(
    r"\d{4}-\d{2}-\d{2}(T\d{2}(:\d{2}(:\d{2}([.,]\d{1,9})?)?)?)?(Z|[+-]\d{2}(:?\d{2})?)?\Z")
_ISO = re.compile(
    r"(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2})(?::(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?)?)?)?"
    r"(Z|[+-]\d{2}(?::?\d{2})?)?\Z")
_MATH = re.compile(r"([+-])(\d+)([yMwdhHms])|/([yMwdhHms])")
_UNIT_MS = {"w": 604800000, "d": 86400000, "h": 3600000, "H": 3600000, "m": 60000, "s": 1000}


class QueryError(ValueError):
    """What OpenSearch rejects while building the query on a shard."""


class DateError(QueryError):
    pass


def epoch_ms(now=None):
    """`now` (None, epoch seconds or a datetime, naive = UTC) as epoch ms."""
    if now is None or isinstance(now, (int, float)):
        return int((time.time() if now is None else now) * 1000)
    if now.tzinfo is not None:
        now = now.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    return to_ms(now)


def to_ms(dt):
    return calendar.timegm(dt.utctimetuple()) * 1000 + dt.microsecond // 1000


def from_ms(ms):
    return datetime.datetime(1970, 1, 1) + datetime.timedelta(milliseconds=ms)


@functools.lru_cache(maxsize=300000)
def parse_iso(text, round_up=False):
    """ISO-8601 (strict_date_optional_time) to epoch ms; with `round_up` the
    missing parts are filled with their maximum (as OpenSearch does for lte/gt)."""
    m = _ISO.match(text)
    if not m:
        raise DateError("failed to parse date field [%s]" % text)
    year, month, day, hour, minute, sec, frac, zone = m.groups()
    try:
        year = int(year)
        month = int(month) if month else (12 if round_up else 1)
        last_day = calendar.monthrange(year, month)[1]
        day = int(day) if day else (last_day if round_up else 1)
        hour = int(hour) if hour else (23 if round_up else 0)
        minute = int(minute) if minute else (59 if round_up else 0)
        sec = int(sec) if sec else (59 if round_up else 0)
        base = datetime.datetime(year, month, day, hour, minute, sec)
    except ValueError:
        raise DateError("failed to parse date field [%s]" % text)
    ms = to_ms(base)
    if frac:
        ms += int(frac[:3].ljust(3, "0"))
    elif round_up:
        ms += 999
    if zone and zone != "Z":
        sign = 1 if zone[0] == "+" else -1
        digits = zone[1:].replace(":", "")
        offset = int(digits[:2]) * 60 + (int(digits[2:4]) if len(digits) > 2 else 0)
        ms -= sign * offset * 60000
    return ms


_DOC_DATES = {}
_EPOCH, _MS = datetime.datetime(1970, 1, 1), datetime.timedelta(milliseconds=1)


def _fast_iso(text):
    """The usual stored shapes, yyyy-MM-ddTHH:mm:ss[.SSS|.SSSSSS]Z, without the regex."""
    if len(text) in (20, 24, 27) and text[-1] == "Z" and text[10] == "T" \
            and text[4] == text[7] == "-" and text[:4].isdigit():
        try:
            return (datetime.datetime.fromisoformat(text[:-1]) - _EPOCH) // _MS
        except ValueError:
            return None
    return None


def doc_date_ms(value):
    """Epoch ms of a date value stored in a document, or None (cached by value)."""
    if not isinstance(value, str):
        return int(value) if type(value) in (int, float) else None
    ms = _DOC_DATES.get(value)
    if ms is not None:
        return ms
    try:
        ms = _fast_iso(value)
        ms = parse_iso(value) if ms is None else ms
    except DateError:
        return None
    if len(_DOC_DATES) > 500000:
        _DOC_DATES.clear()
    _DOC_DATES[value] = ms
    return ms


def parse_date(value, round_up, now_ms, allow_epoch=True):
    """A query bound on a date field: ISO string, date math or epoch millis."""
    if isinstance(value, bool) or isinstance(value, (list, dict)):
        raise DateError("failed to parse date field [%s]" % java_str(value))
    if isinstance(value, (int, float)):
        if not allow_epoch:
            raise DateError("failed to parse date field [%s] with format "
                            "[strict_date_optional_time_nanos]" % java_str(value))
        return int(value)
    text = str(value)
    if text.startswith("now"):
        base, math = now_ms, text[3:]
    elif "||" in text:
        anchor, math = text.split("||", 1)
        base = parse_iso(anchor)
    else:
        if allow_epoch and re.match(r"-?\d+\Z", text) and not _ISO.match(text):
            return int(text)
        return parse_iso(text, round_up)
    return _date_math(base, math, round_up, text)


def _date_math(ms, math, round_up, text):
    pos = 0
    while pos < len(math):
        m = _MATH.match(math, pos)
        if not m:
            raise DateError("failed to parse date field [%s]: invalid date math" % text)
        pos = m.end()
        if m.group(4):
            ms = _round(ms, m.group(4), round_up)
            continue
        amount = int(m.group(2)) * (1 if m.group(1) == "+" else -1)
        unit = m.group(3)
        if unit in _UNIT_MS:
            ms += amount * _UNIT_MS[unit]
        else:
            months = amount * (12 if unit == "y" else 1)
            ms = _add_months(ms, months)
    return ms


def _add_months(ms, months):
    dt = from_ms(ms)
    total = dt.year * 12 + dt.month - 1 + months
    year, month = divmod(total, 12)
    day = min(dt.day, calendar.monthrange(year, month + 1)[1])
    return to_ms(dt.replace(year=year, month=month + 1, day=day))


def _round(ms, unit, round_up):
    dt = from_ms(ms)
    if unit == "y":
        start = datetime.datetime(dt.year, 1, 1)
        nxt = to_ms(datetime.datetime(dt.year + 1, 1, 1))
    elif unit == "M":
        start = datetime.datetime(dt.year, dt.month, 1)
        nxt = _add_months(to_ms(start), 1)
    else:
        size = _UNIT_MS[unit]
        offset = 3 * 86400000 if unit == "w" else 0  # weeks start on Monday
        floor = (ms + offset) // size * size - offset
        return floor + size - 1 if round_up else floor
    return nxt - 1 if round_up else to_ms(start)


_CONVERTERS = {"text": _as_text, "keyword": _as_keyword, "number": number_or_none,
               "date": doc_date_ms, "boolean": _as_boolean}
