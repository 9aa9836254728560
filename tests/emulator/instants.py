"""Instants the way the Java backend reads and writes them.

Times are kept as integer nanoseconds (as Java's Instant.now() reports them) or
microseconds (what a Postgres `timestamp` column keeps after a round trip).
"""
from __future__ import annotations

import datetime
import re
import time

_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
_ISO = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?"
    r"(Z|[+-]\d{2}(?::?\d{2}(?::?\d{2})?)?)\Z",
    re.IGNORECASE,
)


def now_ns() -> int:
    return time.time_ns()


def ns_to_micros(ns: int) -> int:
    """Round half up to microseconds, as the JDBC driver does before Postgres stores it."""
    return (ns + 500) // 1000


def truncate_to_millis(ns: int) -> int:
    return ns - ns % 1_000_000


def format_ns(ns: int) -> str:
    """Jackson/ISO_INSTANT text: fraction in groups of 3 digits, none when zero."""
    seconds, nanos = divmod(ns, 1_000_000_000)
    moment = _EPOCH + datetime.timedelta(seconds=seconds)
    text = "%04d-%02d-%02dT%02d:%02d:%02d" % (
        moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)
    if nanos == 0:
        fraction = ""
    elif nanos % 1_000_000 == 0:
        fraction = ".%03d" % (nanos // 1_000_000)
    elif nanos % 1000 == 0:
        fraction = ".%06d" % (nanos // 1000)
    else:
        fraction = ".%09d" % nanos
    return text + fraction + "Z"


def format_micros(micros: int) -> str:
    return format_ns(micros * 1000)


def parse_iso_ns(text: str) -> int:
    """Parse an ISO-8601 instant with `Z` or an offset (Instant.parse); ValueError otherwise."""
    match = _ISO.match(text)
    if not match:
        raise ValueError("Text '%s' could not be parsed" % text)
    year, month, day, hour, minute = (int(match.group(i)) for i in range(1, 6))
    second = int(match.group(6) or 0)
    fraction = (match.group(7) or "").ljust(9, "0")
    try:
        local = datetime.datetime(year, month, day, hour, minute, second,
                                  tzinfo=datetime.timezone.utc)
    except ValueError:
        raise ValueError("Text '%s' could not be parsed" % text)
    offset = match.group(8).upper()
    offset_seconds = 0
    if offset != "Z":
        digits = offset[1:].replace(":", "")
        hours, minutes, secs = int(digits[0:2]), int(digits[2:4] or 0), int(digits[4:6] or 0)
        if hours > 18 or minutes > 59 or secs > 59:
            raise ValueError("Text '%s' could not be parsed" % text)
        offset_seconds = (hours * 3600 + minutes * 60 + secs) * (1 if offset[0] == "+" else -1)
    whole = int((local - _EPOCH).total_seconds()) - offset_seconds
    return whole * 1_000_000_000 + int(fraction or 0)


def boot_timestamp() -> str:
    """Spring Boot's error JSON timestamp: java.util.Date through Jackson's StdDateFormat."""
    moment = datetime.datetime.now(datetime.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + "%03d+00:00" % (moment.microsecond // 1000)
