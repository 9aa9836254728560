"""Routes, the per-request context handed to endpoint functions, and path variables."""
from __future__ import annotations

import re

from . import errors
from .criteria import parse_java_number
from .errors import BeforeMethodError
from .instants import now_ns

# Controllers that lost their try/catch in v11 and rely on GlobalExceptionHandler (§1.4).
ADVICE_CONTROLLERS_V11 = ("UtmIncidentResource", "UtmAlertResource", "UserJWTController",
                          "TfaResource")


class Route(object):
    def __init__(self, method, pattern, handler, controller, ctx):
        self.method = method
        self.regex = re.compile("^" + pattern + "$")
        self.handler = handler
        self.controller = controller  # Java class name: X-UtmStack-params of try/catch errors
        self.ctx = ctx                # prefix of try/catch errors, e.g. ".getUtmIncident"

    def uses_advice(self, api_version):
        return api_version >= 11 and self.controller in ADVICE_CONTROLLERS_V11


class Call(object):
    """Everything an endpoint function needs: state, request, caller, path variables."""

    def __init__(self, app, req, login, params, route):
        self.app = app
        self.store = app.store
        self.req = req
        self.login = login
        self.params = params
        self.route = route
        self.api_version = app.api_version
        self.now_ns = now_ns()

    @property
    def v10(self):
        return self.api_version < 11

    def path_long(self, name):
        """@PathVariable Long: Spring's number conversion, else a type-mismatch failure."""
        raw = self.params[name]
        try:
            value = parse_java_number(raw)
        except ValueError:
            value = None
        if value is None:
            raise BeforeMethodError(errors.type_mismatch(raw, "java.lang.Long",
                                                         errors.number_format(raw)))
        return value
