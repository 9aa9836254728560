"""Requests and responses as plain values, and the response shapes the server uses."""
from __future__ import annotations

import json
from urllib.parse import parse_qs

from .instants import boot_timestamp

BOOT_REASONS = {401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
                405: "Method Not Allowed", 500: "Internal Server Error"}


class Request(object):
    """One HTTP request, decoded once. `headers` is case-insensitive (email.message.Message)."""

    def __init__(self, method, path, query_string, headers, body):
        self.method = method
        self.path = path
        self.query = parse_qs(query_string, keep_blank_values=True)
        self.headers = headers
        self.body = body

    def header(self, name, default=None):
        return self.headers.get(name, default)

    def param(self, name):
        values = self.query.get(name)
        return values[0] if values else None

    def text(self) -> str:
        """The body decoded with the charset of Content-Type (UTF-8 like Spring Boot's default)."""
        charset = "utf-8"
        for part in (self.header("Content-Type") or "").split(";")[1:]:
            key, unused_value, value = part.strip().partition("=")
            if key.lower() == "charset" and value:
                charset = value.strip('"')
        try:
            return self.body.decode(charset, errors="replace")
        except LookupError:
            return self.body.decode("utf-8", errors="replace")

    def logged_body(self):
        """Parsed JSON if the body is JSON, else its text, else None (for the request log)."""
        if not self.body:
            return None
        text = self.text()
        try:
            return json.loads(text)
        except ValueError:
            return text


class Response(object):
    def __init__(self, status=200, body=b"", headers=None, content_type=None):
        self.status = status
        self.body = body
        self.headers = list(headers or [])
        if content_type and body:
            self.headers.insert(0, ("Content-Type", content_type))


def to_json_bytes(data) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def json_response(data, status=200, headers=None) -> Response:
    return Response(status, to_json_bytes(data), headers, "application/json")


def empty_response(status=200, headers=None) -> Response:
    return Response(status, b"", headers)


def header_error(status, message, params="") -> Response:
    """status + empty body + X-UtmStack-error / X-UtmStack-params (ResponseUtil / HeaderUtil)."""
    return empty_response(status, [("X-UtmStack-error", one_line(message)),
                                   ("X-UtmStack-params", params)])


def boot_error(status, path) -> Response:
    """Spring Boot's default error JSON (no `message` field in Boot 2.5)."""
    body = {"timestamp": boot_timestamp(), "status": status,
            "error": BOOT_REASONS.get(status, "Error"), "path": path}
    return json_response(body, status)


def one_line(message) -> str:
    return str(message).replace("\r", "").replace("\n", "")


def entity_created(entity, entity_id):
    return [("X-UtmStack-alert", "A new %s is created with identifier %s" % (entity, entity_id)),
            ("X-UtmStack-params", str(entity_id))]


def entity_updated(entity, entity_id):
    return [("X-UtmStack-alert", "A %s is updated with identifier %s" % (entity, entity_id)),
            ("X-UtmStack-params", str(entity_id))]


def entity_deleted(entity, entity_id):
    return [("X-UtmStack-alert", "A %s is deleted with identifier %s" % (entity, entity_id)),
            ("X-UtmStack-params", str(entity_id))]
