# -*- coding: utf-8 -*-
# Copyright: utmstack.soc contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the EDA event sources alerts and incidents share: arguments, the pollers and the poll loop.

Runs in the ansible-rulebook process (controller side). HTTP goes through UtmClient; what was
delivered is kept by the pure helpers of module_utils/watermark.py.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import asyncio
import logging
import os
import time

from ansible.module_utils.parsing.convert_bool import boolean

from ansible_collections.utmstack.soc.plugins.module_utils import alert_query
from ansible_collections.utmstack.soc.plugins.module_utils.client import SEARCH_WINDOW, UtmClient
from ansible_collections.utmstack.soc.plugins.module_utils.connection import CONNECTION_OPTIONS
from ansible_collections.utmstack.soc.plugins.module_utils.errors import UtmApiError, UtmInputError
from ansible_collections.utmstack.soc.plugins.module_utils.incidents import list_incidents
from ansible_collections.utmstack.soc.plugins.module_utils.vocabulary import (
    SEVERITY_WORD, alert_status_word, incident_status_word)
from ansible_collections.utmstack.soc.plugins.module_utils.watermark import (
    AlertWatermark, PageCursor, from_ms, incident_changes, load_state, resolve_time, save_state)

LOG = logging.getLogger("utmstack.soc.eda")

DEFAULT_INTERVAL = 10
DEFAULT_LAG = 60
DEFAULT_BATCH_SIZE = 500
MAX_BACKOFF = 300
# The alert search filters a source takes: the source's argument -> utm_alert_info's option.
ALERT_FILTERS = {"rule_name": "name", "name_contains": "name_contains", "severity": "severity", "status": "status",
                 "data_source": "data_source", "data_type": "data_type", "tags": "tags", "in_incident": "in_incident",
                 "include_echoes": "include_echoes", "filters": "filters"}
LISTS = ("severity", "status", "data_source", "data_type", "tags")


def client_from_args(args):
    """A UtmClient from the source's arguments, each falling back to its UTMSTACK_* variable."""
    kwargs = {}
    for name, (kind, env, unused_no_log, default) in CONNECTION_OPTIONS.items():
        # An empty value counts as unset: a rulebook variable that is not defined renders as "".
        value = args.get(name)
        if value in (None, ""):
            value = os.environ.get(env) or None
        if value is None:
            value = default
        elif kind == "bool":
            value = boolean(value)
        elif kind == "int":
            value = _number(name, value)
        kwargs[name] = value
    return UtmClient(**kwargs)


def _number(name, value, minimum=1):
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = None
    if number is None or isinstance(value, bool) or number < minimum:
        raise UtmInputError("%s must be a whole number of at least %d, got %r" % (name, minimum, value))
    return number


def common_settings(args):
    """interval, state_file and since (as given) from the source's arguments."""
    return dict(interval=_number("interval", args.get("interval", DEFAULT_INTERVAL)),
                state_file=args.get("state_file"), since=args.get("since") or "now")


def since_ms(value, now_ms=None):
    """``since`` (ISO-8601 or now-15m) as epoch ms; UtmInputError when it is neither."""
    try:
        return resolve_time(value, int(time.time() * 1000) if now_ms is None else now_ms)
    except ValueError as exc:
        raise UtmInputError(str(exc))


def alert_filters(args):
    """The search filters of the source's filter arguments, checked as utm_alert_info checks them."""
    params = {}
    for name, option in ALERT_FILTERS.items():
        value = args.get(name)
        if name in LISTS and isinstance(value, (str, int)):
            value = [value]
        if name in ("in_incident", "include_echoes") and value is not None:
            value = boolean(value)
        params[option] = value
    return alert_query.base_filters(params)


def alert_event(doc):
    """One event: the alert document, with its status and severity in the collection's words."""
    return {"alert": doc, "status": alert_status_word(doc.get("status")),
            "severity": SEVERITY_WORD.get(doc.get("severity"), str(doc.get("severity")))}


def incident_event(kind, row, before):
    event = {"type": kind, "incident": row, "status": incident_status_word(row.get("incidentStatus")),
             "assigned_to": row.get("incidentAssignedTo")}
    if before is not None:
        event["previous"] = {"status": incident_status_word(before["incidentStatus"]),
                             "assigned_to": before["incidentAssignedTo"]}
    return event


class AlertPoller:
    """Searches the alerts newer than the watermark, one page a call."""

    kind = "alerts"

    def __init__(self, client, args, now_ms=None):
        settings = common_settings(args)
        self.client = client
        self.filters = alert_filters(args)
        self.state_file = settings["state_file"]
        self.batch_size = _number("batch_size", args.get("batch_size", DEFAULT_BATCH_SIZE))
        if self.batch_size > SEARCH_WINDOW:
            raise UtmInputError("batch_size must be at most %d (the search window), got %d" % (SEARCH_WINDOW, self.batch_size))
        lag_ms = _number("lag", args.get("lag", DEFAULT_LAG), minimum=0) * 1000
        saved = load_state(self.state_file, self.kind)
        if saved is not None:
            self.watermark = AlertWatermark.from_dict(saved, lag_ms)
        else:
            self.watermark = AlertWatermark(since_ms(settings["since"], now_ms), lag_ms)
        self.cursor = None

    def poll(self):
        """(events, more): the new alerts of one search, and whether this poll has another page."""
        if self.cursor is None:
            self.cursor = PageCursor(self.watermark.window_start(), self.batch_size, SEARCH_WINDOW)
        window = {"field": "@timestamp", "operator": "IS_BETWEEN", "value": [from_ms(self.cursor.start_ms), "now"]}
        docs = self.client.search(self.filters + [window], limit=self.cursor.limit, sort="@timestamp,asc")
        events = [alert_event(doc) for doc in self.watermark.accept(docs)]
        more = self.cursor.advance(docs)
        if self.cursor.stuck:
            LOG.warning("utmstack.soc.alerts: more than %d alerts share the timestamp %s; only %d of them were "
                        "searched", SEARCH_WINDOW, from_ms(self.cursor.start_ms), SEARCH_WINDOW)
        if not more:
            self.cursor = None
        return events, more

    def state(self):
        return self.watermark.to_dict()


class IncidentPoller:
    """Lists every incident (by id) and reports the new ones and those whose status or assignee changed."""

    kind = "incidents"

    def __init__(self, client, args, now_ms=None):
        settings = common_settings(args)
        self.client = client
        self.state_file = settings["state_file"]
        self.known = load_state(self.state_file, self.kind)
        self.created_since_ms = since_ms(settings["since"], now_ms) if args.get("since") else None

    def poll(self):
        rows = list_incidents(self.client, sort="id,asc")
        changes, self.known = incident_changes(self.known, rows, self.created_since_ms)
        return [incident_event(kind, row, before) for kind, row, before in changes], False

    def state(self):
        return self.known


def backoff(interval, failures):
    """Seconds to wait after ``failures`` failed polls in a row: doubling from ``interval``, capped."""
    return min(interval * 2 ** (failures - 1), MAX_BACKOFF)


async def run(queue, args, poller_class):
    """Poll forever: put each new event on ``queue``, save the state, wait ``interval``.

    A failed poll (server fault, no connection) is logged and retried with backoff; nothing of
    it counts as delivered, so the retry finds the same alerts again. Bad arguments stop the
    source at once, before any request.
    """
    interval = common_settings(args)["interval"]
    poller = poller_class(client_from_args(args), args)
    name = "utmstack.soc." + poller.kind
    failures = 0
    while True:
        try:
            events, more = await asyncio.to_thread(poller.poll)
        except UtmApiError as exc:  # the message names method, path and status; never a secret
            failures += 1
            delay = backoff(interval, failures)
            LOG.warning("%s: poll failed (%d in a row), next try in %d s: %s", name, failures, delay, exc)
            await asyncio.sleep(delay)
            continue
        if failures:
            LOG.warning("%s: polling works again after %d failed polls", name, failures)
            failures = 0
        for event in events:
            await queue.put(event)
        if poller.state_file and (events or not os.path.exists(poller.state_file)):
            try:
                save_state(poller.state_file, poller.kind, poller.state())
            except OSError as exc:  # a full disk must not stop the events; a restart may repeat some
                LOG.warning("%s: cannot save the state to %s: %s", name, poller.state_file, exc)
        if not more:
            await asyncio.sleep(interval)
