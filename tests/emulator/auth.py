"""Authentication and URL authorization (reference §1.2): JWT, Utm-Api-Key, login, TFA.

Tokens are real HS512 JWTs signed with a secret made at start, so a restarted
emulator rejects old tokens like a restarted backend does.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import time

from . import errors
from .binding import BOOL, STRING, Dto, Field, read_dto
from .errors import Answer, AuthError, BeforeMethodError, ServiceError
from .wire import header_error, json_response

ADMIN, USER, PRE = "ROLE_ADMIN", "ROLE_USER", "ROLE_PRE_VERIFICATION_USER"
TOKEN_SECONDS = 86400
PRE_TOKEN_SECONDS = 300
DEFAULT_USERS = (
    {"id": 1, "login": "admin", "password": "utmstack-admin", "authorities": [ADMIN]},
    {"id": 3, "login": "analyst", "password": "utmstack-analyst", "authorities": [USER]},
)
PUBLIC_PATHS = frozenset((
    "/api/authenticate", "/api/authenticateFederationServiceManager", "/api/ping",
    "/api/date-format", "/api/healthcheck", "/api/releaseInfo",
    "/api/account/reset-password/init", "/api/account/reset-password/finish", "/api/images/all"))
DENY_ALL = "deny"
LOGIN_VM = Dto("loginVM", "com.park.utmstack.web.rest.vm.LoginVM", [
    Field("username", STRING), Field("password", STRING), Field("rememberMe", BOOL)])
LOGIN_SIG = ("public org.springframework.http.ResponseEntity<?> com.park.utmstack.web.rest."
             "UserJWTController.authorize(com.park.utmstack.web.rest.vm.LoginVM,"
             "javax.servlet.http.HttpServletRequest)")


def normalize_users(users):
    """users: None (defaults) or a list of {id, login, password, authorities[, activated]}."""
    table = {}
    for user in users or DEFAULT_USERS:
        entry = dict(user)
        entry.setdefault("activated", True)
        entry["authorities"] = list(entry.get("authorities") or [USER])
        table[entry["login"].lower()] = entry
    return table


class Principal(object):
    def __init__(self, login, authorities):
        self.login = login
        self.authorities = set(authorities)


def _b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Auth(object):
    def __init__(self, app):
        self.app = app
        self.secret = os.urandom(64)
        self.blacklist = set()

    # ------------------------------------------------------------ tokens
    def issue(self, login, authorities, seconds=TOKEN_SECONDS):
        header = _b64(b'{"alg":"HS512"}')
        claims = {"sub": login, "auth": ",".join(authorities), "exp": int(time.time()) + seconds}
        payload = _b64(json.dumps(claims, separators=(",", ":")).encode())
        signing_input = (header + "." + payload).encode("ascii")
        signature = hmac.new(self.secret, signing_input, hashlib.sha512).digest()
        return header + "." + payload + "." + _b64(signature)

    def read_token(self, token):
        """The principal of a valid token, else None (the request stays anonymous)."""
        try:
            header, payload, signature = token.split(".")
            expected = hmac.new(self.secret, (header + "." + payload).encode("ascii"),
                                hashlib.sha512).digest()
            if not hmac.compare_digest(expected, _unb64(signature)):
                return None
            claims = json.loads(_unb64(payload))
            if claims["exp"] < time.time():
                return None
            return Principal(claims["sub"], [a for a in claims["auth"].split(",") if a])
        except (ValueError, KeyError, TypeError, UnicodeError):
            return None

    # ------------------------------------------------------------ filters
    def authenticate(self, req):
        """JWTFilter then (v11) ApiKeyFilter. A bad API key escapes the filter chain: 500."""
        principal = None
        bearer = req.header("Authorization") or ""
        token = bearer[7:] if bearer.startswith("Bearer ") else req.param("access_token")
        if token:
            principal = self.read_token(token.strip())
        key = req.header("Utm-Api-Key")
        if self.app.api_version >= 11 and key is not None and key.strip():
            principal = self._api_key_principal(key)
        return principal

    def _api_key_principal(self, key):
        if key in self.blacklist:
            raise AuthError(500)
        login = self.app.api_keys.get(key)
        if login is None:
            self.blacklist.add(key)  # unknown keys stay refused until restart (reset here)
            raise AuthError(500)
        user = self.app.users.get(login.lower())
        if user is None or not user["activated"]:
            raise AuthError(500)
        return Principal(user["login"], user["authorities"])

    def authorize(self, path, principal):
        needed = required_authorities(path, self.app.api_version)
        if needed is None:
            return
        if principal is None:
            raise AuthError(401)
        if needed == DENY_ALL or not principal.authorities & needed:
            raise AuthError(403)


def required_authorities(path, api_version):
    """SecurityConfiguration's URL rules: None = public, else the accepted authorities."""
    if path in PUBLIC_PATHS or not path.startswith("/api/"):
        return None
    if api_version >= 11:
        if path.startswith("/api/enrollment/"):
            return {PRE}
        if path in ("/api/tfa/verify-code", "/api/tfa/refresh"):
            return {PRE, USER, ADMIN}
        if path.startswith("/api/tfa/"):
            return {ADMIN, USER}
    elif path == "/api/tfa/verifyCode":
        return {PRE}
    if path == "/api/utm-incident-jobs" or path.startswith("/api/utm-incident-jobs/") \
            or path == "/api/utm-incident-variables" \
            or path.startswith("/api/utm-incident-variables/"):
        return {ADMIN}
    if path.startswith("/api/custom-reports/"):
        return DENY_ALL
    return {ADMIN, USER}


# ---------------------------------------------------------------- endpoints

def login(call):
    """POST /api/authenticate. v11 answers {success,...,token}; the token is only a
    pre-verification token unless the request says X-Bypass-TFA: true."""
    body = read_dto(call.req, LOGIN_VM, LOGIN_SIG, valid=False)
    problems = _login_violations(body)
    if problems:
        raise BeforeMethodError(errors.validation_failed(LOGIN_SIG, "loginVM", problems),
                                field_errors=problems, object_name="loginVM")
    app = call.app
    user = app.users.get(body["username"].lower())
    if user is None or user["password"] != body["password"] or not user["activated"]:
        if call.v10:
            raise Answer(header_error(401, "Bad credentials", "UserJWTController"))
        raise ServiceError("Bad credentials", 401)
    auth = app.auth
    if call.v10:
        token = auth.issue(user["login"], user["authorities"])
        return json_response({"id_token": token, "authenticated": True}, 200,
                             [("Authorization", "Bearer " + token)])
    if (call.req.header("X-Bypass-TFA") or "").strip().lower() == "true":
        token = auth.issue(user["login"], user["authorities"])
        return json_response({"success": True, "tfaConfigured": False, "forceTfa": False,
                              "method": None, "token": token, "tfaExpiresInSeconds": 0})
    token = auth.issue(user["login"], [PRE], PRE_TOKEN_SECONDS)
    return json_response({"success": True, "tfaConfigured": False, "forceTfa": True,
                          "method": "EMAIL", "token": token,
                          "tfaExpiresInSeconds": PRE_TOKEN_SECONDS})


def _login_violations(body):
    problems = []
    for field, low, high in (("username", 1, 50), ("password", 4, 100)):
        value = body[field]
        if value is None:
            problems.append((field, None, "must not be null"))
        elif not low <= len(value) <= high:
            problems.append((field, value, "size must be between %d and %d" % (low, high)))
    return problems


def verify_code(call):
    """POST /api/tfa/verify-code: raw body = the code (Emulator.tfa_code) -> a full token."""
    app = call.app
    user = app.users.get((call.login or "").lower())
    if user is None or call.req.text().strip() != app.tfa_code:
        raise ServiceError("Invalid or expired verification code", 412)
    token = app.auth.issue(user["login"], user["authorities"])
    return json_response({"id_token": token, "authenticated": True, "tfaMethod": "EMAIL"}, 200,
                         [("Authorization", "Bearer " + token)])
