# -*- coding: utf-8 -*-
# Copyright: utmstack.soc contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the event sources have delivered: the alert watermark and the incident snapshot.

Pure functions and small classes (no Ansible, no HTTP), shared by the EDA event sources and
their unit tests. Times are epoch milliseconds: OpenSearch keeps ``@timestamp`` to the
millisecond, so that is the precision the search can compare.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import calendar
import datetime
import json
import os
import re
import tempfile
import time

UNIT_MS = {"s": 1000, "m": 60000, "h": 3600000, "H": 3600000, "d": 86400000, "w": 604800000}
ISO_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?"
                    r"(Z|[+-]\d{2}:?\d{2})?$")
_ISO_TEXT = r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)?(?:Z|[+-]\d{2}:?\d{2})?"
# The anchor (now, or an ISO time followed by ||), then steps: +1h, -7d, /d ...
DATE_MATH_RE = re.compile(r"^(?:now|(%s)\|\|)((?:[-+]\d+[yMwdhHms]|/[yMwdhHms])*)$" % _ISO_TEXT)
MATH_STEP_RE = re.compile(r"([-+/])(\d*)([yMwdhHms])")
STATE_VERSION = 1


def to_ms(text):
    """An ISO-8601 time (no zone = UTC) as epoch milliseconds; ValueError when it is not one."""
    match = ISO_RE.match(text.strip()) if isinstance(text, str) else None
    if not match:
        raise ValueError("not an ISO-8601 time: %r" % (text,))
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    seconds = calendar.timegm((int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0)))
    millis = int((fraction or "0")[:3].ljust(3, "0"))
    if zone and zone != "Z":
        sign = -1 if zone[0] == "+" else 1
        seconds += sign * (int(zone[1:3]) * 3600 + int(zone[-2:]) * 60)
    return seconds * 1000 + millis


def from_ms(millis):
    """Epoch milliseconds as the ISO time the search takes (UTC, millisecond precision)."""
    seconds, rest = divmod(int(millis), 1000)
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds)) + ".%03dZ" % rest


def resolve_time(value, now_ms):
    """``since`` as epoch ms: an ISO time or OpenSearch date math (``now-15m``, ``now-1d/d``,
    ``2026-01-31||+1M``), rounded down as a search's lower bound rounds."""
    try:
        return to_ms(value)
    except ValueError:
        match = DATE_MATH_RE.match(value.strip()) if isinstance(value, str) else None
    if not match:
        raise ValueError("since must be an ISO-8601 time (2026-01-31T08:00:00Z) or date math such as now-15m or "
                         "now-1d/d, got %r" % (value,))
    anchor, operations = match.groups()
    start_ms = now_ms if anchor is None else to_ms(anchor)
    moment = datetime.datetime.fromtimestamp(start_ms // 1000, datetime.timezone.utc).replace(microsecond=start_ms % 1000 * 1000)
    for sign, amount, unit in MATH_STEP_RE.findall(operations):
        moment = _rounded(moment, unit) if sign == "/" else _moved(moment, int(amount) * (1 if sign == "+" else -1), unit)
    return int(round(moment.timestamp() * 1000))


def _moved(moment, amount, unit):
    if unit in ("y", "M"):
        months = moment.month - 1 + amount * (12 if unit == "y" else 1)
        year, month = moment.year + months // 12, months % 12 + 1
        return moment.replace(year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1]))
    return moment + datetime.timedelta(milliseconds=amount * UNIT_MS[unit])


def _rounded(moment, unit):
    """``moment`` rounded down to the start of its ``unit`` (weeks start on Monday)."""
    cut = {"s": dict(microsecond=0), "m": dict(second=0, microsecond=0)}
    cut["h"] = cut["H"] = dict(cut["m"], minute=0)
    cut["d"] = cut["w"] = dict(cut["h"], hour=0)
    cut["M"] = dict(cut["d"], day=1)
    cut["y"] = dict(cut["M"], month=1)
    moment = moment.replace(**cut[unit])
    return moment - datetime.timedelta(days=moment.weekday()) if unit == "w" else moment


def timestamp_ms(doc):
    """The alert's ``@timestamp`` in epoch ms, or None when it has none that parses."""
    try:
        return to_ms(doc.get("@timestamp"))
    except ValueError:
        return None


class AlertWatermark:
    """Which alerts were delivered: the newest ``@timestamp`` so far, and the ids seen within
    ``lag_ms`` of it.

    The next search starts at ``window_start()``, ``lag_ms`` before the newest alert, so an
    alert indexed late (with an older timestamp) is still found; the ids seen in that window
    make sure an alert found twice is delivered once. Nothing older than ``floor_ms`` (the
    first poll's ``since``) is ever delivered.
    """

    def __init__(self, floor_ms, lag_ms, newest_ms=None, seen=None):
        self.floor_ms = int(floor_ms)
        self.lag_ms = int(lag_ms)
        self.newest_ms = self.floor_ms if newest_ms is None else max(int(newest_ms), self.floor_ms)
        self.seen = dict(seen or {})

    def window_start(self):
        return max(self.floor_ms, self.newest_ms - self.lag_ms)

    def accept(self, docs):
        """The documents not delivered before, in their order; they count as delivered from now on."""
        fresh = []
        for doc in docs:
            stamp = timestamp_ms(doc)
            alert_id = doc.get("id")
            if stamp is None or alert_id is None or stamp < self.floor_ms or alert_id in self.seen:
                continue
            self.seen[alert_id] = stamp
            self.newest_ms = max(self.newest_ms, stamp)
            fresh.append(doc)
        self._forget_before(self.window_start())
        return fresh

    def _forget_before(self, start):
        # Searches start at window_start() or later, so older ids cannot come back.
        for alert_id in [a for a, stamp in self.seen.items() if stamp < start]:
            del self.seen[alert_id]

    def to_dict(self):
        return {"floor_ms": self.floor_ms, "lag_ms": self.lag_ms, "newest_ms": self.newest_ms, "seen": self.seen}

    @classmethod
    def from_dict(cls, data, lag_ms=None):
        """A saved watermark; ``lag_ms`` (the current setting) replaces the saved lag when given."""
        return cls(data["floor_ms"], data["lag_ms"] if lag_ms is None else lag_ms, data["newest_ms"], data["seen"])


class PageCursor:
    """Where the next search of one poll starts, and how many alerts it asks for.

    A poll reads pages sorted by ``@timestamp`` ascending. A full page moves the start to its
    last timestamp (the watermark drops the repeats); a full page that is all one timestamp
    asks for more at once instead, up to ``max_limit``.
    """

    def __init__(self, start_ms, batch_size, max_limit):
        self.start_ms = start_ms
        self.batch_size = batch_size
        self.limit = batch_size
        self.max_limit = max_limit
        self.stuck = False

    def advance(self, docs):
        """True when another page is needed after ``docs`` (the answer to a search at this cursor)."""
        if len(docs) < self.limit:
            return False
        last = timestamp_ms(docs[-1])
        if last is not None and last > self.start_ms:
            self.start_ms, self.limit = last, self.batch_size
            return True
        if self.limit >= self.max_limit:
            self.stuck = True  # more alerts share one millisecond than one search can return
            return False
        self.limit = min(self.limit * 2, self.max_limit)
        return True


# The incident fields whose change is an event.
WATCHED_FIELDS = ("incidentStatus", "incidentAssignedTo")


def incident_changes(known, rows, created_since_ms=None):
    """Events for ``rows`` (incidents as listed) against ``known`` ({str(id): [status, assignee]}).

    Returns ``(changes, snapshot)``: ``changes`` is a list of ``(kind, row, before)`` with kind
    ``created`` or ``changed`` and ``before`` the watched fields' old values (None when created).
    ``known`` None is the first poll: it only records the incidents, except those created at or
    after ``created_since_ms``, which count as created. An incident missing from ``rows`` stays in
    the snapshot (UTMStack cannot delete incidents), so it is not reported again as new.
    """
    snapshot = dict(known or {})
    changes = []
    for row in rows:
        key = str(row.get("id"))
        current = [row.get(field) for field in WATCHED_FIELDS]
        before = snapshot.get(key)
        snapshot[key] = current
        if before is None:
            if known is not None or _created_since(row, created_since_ms):
                changes.append(("created", row, None))
        elif list(before) != current:
            changes.append(("changed", row, dict(zip(WATCHED_FIELDS, before))))
    return changes, snapshot


def _created_since(row, since_ms):
    if since_ms is None:
        return False
    try:
        return to_ms(row.get("incidentCreatedDate")) >= since_ms
    except ValueError:
        return False


def load_state(path, kind):
    """The state saved by ``save_state`` for ``kind``, or None when there is no file yet."""
    if not path or not os.path.exists(path):
        return None
    with open(path) as handle:
        data = json.load(handle)
    if data.get("version") != STATE_VERSION or data.get("kind") != kind:
        raise ValueError("state file %s holds no %s state of version %d" % (path, kind, STATE_VERSION))
    return data["state"]


def save_state(path, kind, state):
    """Write ``state`` to ``path`` atomically (a crash leaves the old file or the new one)."""
    directory = os.path.dirname(os.path.abspath(path))
    handle, temporary = tempfile.mkstemp(prefix=".state-", dir=directory)
    try:
        with os.fdopen(handle, "w") as out:
            json.dump({"version": STATE_VERSION, "kind": kind, "state": state}, out)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise
