"""The test namespace: request log, fault injection, state, reset and seeding.

Python callers use the Emulator methods; other tools use the same operations over
HTTP under /_emulator (no auth, never logged).
"""
from __future__ import annotations

import copy
import json
import re

from .wire import empty_response, json_response

READ_ONLY_POSTS = ("/api/authenticate", "/api/elasticsearch/search", "/api/tfa/verify-code")


def is_write(method, path):
    """POST/PUT/DELETE under /api, except the POSTs that only read or log in."""
    return method in ("POST", "PUT", "DELETE") and path.startswith("/api/") \
        and path not in READ_ONLY_POSTS


class RequestLog(object):
    def __init__(self):
        self.entries = []
        self.echo = None  # called with each entry as it is logged (python -m emulator --log-requests)

    def record(self, req, path, status):
        entry = {"method": req.method, "path": path, "query": req.query,
                 "body": req.logged_body(), "status": status, "write": is_write(req.method, path)}
        self.entries.append(entry)
        if self.echo is not None:
            self.echo(entry)

    def list(self, writes_only=False):
        return [copy.deepcopy(e) for e in self.entries if e["write"] or not writes_only]

    def clear(self):
        del self.entries[:]


class Fault(object):
    """For the next `count` requests matching method + path regex (count None = forever), once
    the first `skip` matching requests have gone through untouched."""

    def __init__(self, method="POST", path=r"^/api/utm-incidents$", status=503, retry_after=None,
                 delay=0.0, drop=False, malformed=False, count=1, after=False, skip=0):
        self.method = (method or "*").upper()
        self.path = path
        self.regex = re.compile(path or "")
        self.status = None if status is None else int(status)
        self.retry_after = retry_after
        self.delay = float(delay or 0)
        self.drop = bool(drop)
        self.malformed = bool(malformed)
        self.count = None if count is None else int(count)
        # after=True: the handler runs first (state changes), then the delay and the drop hit
        # the answer, the way a read timeout or a broken connection loses a processed write.
        self.after = bool(after)
        # skip=N aims the fault at one request of a sequence: the (N+1)th that matches.
        self.skip = int(skip or 0)
        if self.skip < 0:
            raise ValueError("skip must be 0 or more, got %r" % (skip,))

    def matches(self, method, path):
        return self.method in ("*", method) and self.regex.search(path) is not None

    def as_dict(self):
        return {"method": self.method, "path": self.path, "status": self.status,
                "retry_after": self.retry_after, "delay": self.delay, "drop": self.drop,
                "malformed": self.malformed, "count": self.count, "after": self.after,
                "skip": self.skip}


class Faults(object):
    def __init__(self):
        self.active = []

    def add(self, **options):
        fault = Fault(**options)
        self.active.append(fault)
        return fault

    def take(self, method, path):
        """The first fault matching this request, counted down (and dropped when used up).

        A fault still skipping counts the request and lets it through to the next faults.
        """
        for fault in self.active:
            if fault.matches(method, path):
                if fault.skip:
                    fault.skip -= 1
                    continue
                if fault.count is not None:
                    fault.count -= 1
                    if fault.count <= 0:
                        self.active.remove(fault)
                return fault
        return None

    def clear(self):
        del self.active[:]


def malform(body):
    """A body that is not valid JSON: the first half of the real one, or a broken object."""
    return body[: len(body) // 2] if len(body) > 2 else b'{"truncated'


def fault_response(fault):
    headers = []
    if fault.retry_after is not None:
        headers.append(("Retry-After", str(fault.retry_after)))
    return empty_response(fault.status, headers)


def handle(app, req, path):
    """Answer a /_emulator request (the caller holds the lock)."""
    route = (req.method, path.rstrip("/"))
    try:
        body = json.loads(req.text()) if req.body else None
    except ValueError as exc:
        return json_response({"error": "body is not JSON: %s" % exc}, 400)
    try:
        if route == ("GET", "/_emulator/requests"):
            writes = (req.param("writes") or "").lower() in ("true", "1", "yes")
            return json_response(app.requests(writes_only=writes))
        if route == ("DELETE", "/_emulator/requests"):
            app.clear_requests()
            return empty_response(204)
        if route == ("POST", "/_emulator/reset"):
            app.reset(seed=(body or {}).get("seed", "demo"))
            return json_response({"reset": True})
        if route == ("POST", "/_emulator/seed"):
            app.load_seed(body or {})
            return json_response({"seeded": True})
        if route == ("GET", "/_emulator/faults"):
            return json_response([f.as_dict() for f in app.faults.active])
        if route == ("POST", "/_emulator/faults"):
            return json_response(app.add_fault(**(body or {})).as_dict(), 201)
        if route == ("DELETE", "/_emulator/faults"):
            app.clear_faults()
            return empty_response(204)
        if route == ("GET", "/_emulator/state"):
            return json_response(app.state())
    except (TypeError, ValueError, KeyError, re.error) as exc:
        return json_response({"error": "%s: %s" % (type(exc).__name__, exc)}, 400)
    return json_response({"error": "no such control endpoint: %s %s" % route}, 404)
