"""The /api surface: route table, security filters, and the mapping of failures to answers.

Order per request, as in the server: firewall -> authentication filters -> URL
authorization -> handler lookup -> controller method. Every failure becomes the
answer the server gives for it; nothing escapes as a traceback.
"""
from __future__ import annotations

import re
import sys
import traceback

from . import alerts, auth, incident_children as children, incidents
from .errors import Answer, AuthError, BeforeMethodError, ServiceError
from .routing import Call, Route
from .wire import boot_error, empty_response, header_error, json_response

INC, ALERT_RES = "UtmIncidentResource", "UtmAlertResource"
LINKS, NOTES, HIST = "UtmIncidentAlertResource", "UtmIncidentNoteResource", \
    "UtmIncidentHistoryResource"
ID = r"(?P<id>[^/]+)"


def ping(call):
    return empty_response()


# Literal paths come before {id} patterns, as Spring prefers the more specific mapping.
ROUTES = [
    Route("POST", "/api/authenticate", auth.login, "UserJWTController", ".authorize"),
    Route("POST", "/api/tfa/verify-code", auth.verify_code, "TfaResource", ".verifyCode"),
    Route("GET", "/api/ping", ping, "PingResource", ".ping"),
    Route("POST", "/api/utm-incidents", incidents.create, INC, ".createUtmIncident"),
    Route("GET", "/api/utm-incidents", incidents.list_all, INC, ".getAllUtmIncidents"),
    Route("POST", "/api/utm-incidents/add-alerts", incidents.add_alerts, INC,
          ".addAlertsToUtmIncident"),
    Route("PUT", "/api/utm-incidents/change-status", incidents.change_status, INC,
          ".updateUtmIncident"),
    Route("GET", "/api/utm-incidents/users-assigned", incidents.users_assigned, INC,
          ".getAllUserAssigned"),
    Route("GET", "/api/utm-incidents/" + ID, incidents.get_one, INC, ".getUtmIncident"),
    Route("POST", "/api/utm-incident-alerts", children.create_link, LINKS,
          LINKS + ".createUtmIncidentAlert"),
    Route("PUT", "/api/utm-incident-alerts", children.update_link, LINKS,
          LINKS + ".updateUtmIncidentAlert"),
    Route("GET", "/api/utm-incident-alerts", children.list_links, LINKS,
          LINKS + ".getAllUtmIncidentAlerts"),
    Route("POST", "/api/utm-incident-alerts/update-status", children.update_link_status, LINKS,
          LINKS + ".updateStatus"),
    Route("DELETE", "/api/utm-incident-alerts/" + ID, children.delete_link, LINKS,
          LINKS + ".deleteUtmIncidentAlert"),
    Route("POST", "/api/utm-incident-notes", children.create_note, NOTES,
          NOTES + ".createUtmIncidentNote"),
    Route("GET", "/api/utm-incident-notes", children.list_notes, NOTES,
          NOTES + ".getAllUtmIncidentNotes"),
    Route("GET", "/api/utm-incident-histories", children.list_history, HIST,
          HIST + ".getAllUtmIncidentHistories"),
    Route("GET", "/api/utm-incident-histories/count", children.count_history, HIST,
          HIST + ".countUtmIncidentHistories"),
    Route("GET", "/api/utm-incident-histories/" + ID, children.get_history, HIST,
          HIST + ".getUtmIncidentHistory"),
    Route("POST", "/api/utm-alerts/status", alerts.update_status, ALERT_RES,
          ".updateAlertStatus"),
    Route("POST", "/api/utm-alerts/notes", alerts.update_notes, ALERT_RES, ".updateAlertNotes"),
    Route("POST", "/api/utm-alerts/tags", alerts.update_tags, ALERT_RES, ".updateAlertTags"),
    Route("POST", "/api/utm-alerts/convert-to-incident", alerts.convert_to_incident, ALERT_RES,
          ".convertToIncident"),
    Route("GET", "/api/utm-alerts/count-open-alerts", alerts.count_open_alerts, ALERT_RES,
          ".countOpenAlerts"),
    Route("POST", "/api/elasticsearch/search", alerts.search, "ElasticsearchResource",
          "ElasticsearchResource.search"),
]

# StrictHttpFirewall: these request paths are rejected before any filter runs (-> 500).
REJECTED_IN_PATH = re.compile(r"(?i)(%2f|%5c|%25|%2e|;|%3b|//|/\./|/\.\./|\\)")


def normalize(path):
    """Spring's trailing-slash match: /api/x/ is /api/x."""
    return path[:-1] if len(path) > 1 and path.endswith("/") else path


def find_route(method, path):
    """(route, path variables, allowed methods for the path)."""
    allowed = []
    lookup = "GET" if method == "HEAD" else method
    for route in ROUTES:
        match = route.regex.match(path)
        if match:
            if route.method == lookup:
                return route, match.groupdict(), allowed
            allowed.append(route.method)
    return None, {}, allowed


class Api(object):
    def __init__(self, app):
        self.app = app

    def handle(self, req, raw_path):
        """The server's answer to one request; never raises."""
        path = normalize(req.path)
        try:
            if REJECTED_IN_PATH.search(raw_path):
                return boot_error(500, req.path)
            if req.method == "OPTIONS":
                return self._options(path)
            principal = self.app.auth.authenticate(req)
            self.app.auth.authorize(path, principal)
        except AuthError as exc:
            return boot_error(exc.status, req.path)
        route, params, allowed = find_route(req.method, path)
        if route is None:
            if allowed:
                return self._method_not_supported(req)
            return boot_error(404, req.path)
        login = principal.login if principal is not None else None
        return self._run(route, Call(self.app, req, login, params, route))

    def _run(self, route, call):
        version = self.app.api_version
        try:
            return route.handler(call)
        except Answer as answer:
            return answer.response
        except BeforeMethodError as exc:
            return self._before_method(exc, call, version)
        except ServiceError as exc:
            return self._service_error(route, exc.message, exc.status, version)
        except Exception as exc:  # a bug of ours must still look like the server's 500
            traceback.print_exc(file=sys.stderr)
            return self._service_error(route, "%s: %s" % (type(exc).__name__, exc), 500, version)

    @staticmethod
    def _service_error(route, message, status, version):
        if route.uses_advice(version):
            return header_error(status, message, "")
        return header_error(500, "%s: %s" % (route.ctx, message), route.controller)

    @staticmethod
    def _before_method(exc, call, version):
        if version >= 11:
            return header_error(500, exc.message, "")
        # v10: JHipster's ExceptionTranslator answers RFC-7807 problems.
        if exc.field_errors:
            problem = {"type": "https://www.jhipster.tech/problem/constraint-violation",
                       "title": "Method argument not valid", "status": 400,
                       "path": call.req.path, "message": "error.validation",
                       "fieldErrors": [{"objectName": exc.object_name, "field": field,
                                        "message": message}
                                       for field, _value, message in exc.field_errors]}
        else:
            problem = {"type": "https://www.jhipster.tech/problem/problem-with-message",
                       "title": "Bad Request", "status": 400, "detail": exc.message,
                       "path": call.req.path, "message": "error.http.400"}
        response = json_response(problem, 400)
        response.headers[0] = ("Content-Type", "application/problem+json")
        return response

    def _method_not_supported(self, req):
        message = "Request method '%s' not supported" % req.method
        if self.app.api_version >= 11:
            return header_error(500, message, "")
        response = json_response({"type": "https://www.jhipster.tech/problem/problem-with-message",
                                  "title": "Method Not Allowed", "status": 405,
                                  "detail": message, "path": req.path,
                                  "message": "error.http.405"}, 405)
        response.headers[0] = ("Content-Type", "application/problem+json")
        return response

    @staticmethod
    def _options(path):
        _route, _params, allowed = find_route("OPTIONS", path)
        if not allowed:
            return boot_error(404, path)
        methods = sorted(set(allowed + (["HEAD"] if "GET" in allowed else []) + ["OPTIONS"]))
        return empty_response(200, [("Allow", ",".join(methods))])
