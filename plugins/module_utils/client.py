# -*- coding: utf-8 -*-
# Copyright: utmstack.soc contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""UtmClient: the one class that talks HTTP to UTMStack.

Owns one requests.Session (connection reuse), authentication, TLS, retries, error
translation and paging. No Ansible imports, so it is used alike by modules, tests and
benchmarks.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import re
import socket
import traceback
from urllib.parse import urlsplit

from ansible_collections.utmstack.soc.plugins.module_utils.errors import UtmAnswerLost, UtmApiError, UtmInputError, bounded

try:
    import requests
    from requests.adapters import HTTPAdapter
    from urllib3.exceptions import ConnectTimeoutError, MaxRetryError, NewConnectionError, ReadTimeoutError, SSLError
    from urllib3.util.retry import Retry
except ImportError:
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = traceback.format_exc()
    Retry = object
else:
    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None
try:
    from urllib3.exceptions import NameResolutionError
except ImportError:
    # urllib3 1.26 (RHEL 9, Debian 12) reports it as a NewConnectionError raised from socket.gaierror.
    NameResolutionError = None

# Spring Data's Pageable clamps `size` to 2000 on every list endpoint and on the search.
MAX_PAGE_SIZE = 2000
# OpenSearch refuses to page past 10,000 hits (index.max_result_window).
SEARCH_WINDOW = 10000
ALERT_INDEX_PATTERN = "v11-alert-*"
# The alert index pattern of each server version (row 2 of utm_index_pattern).
ALERT_INDEX_PATTERNS = {10: "alert-*", 11: ALERT_INDEX_PATTERN}
# Retried for reads. 429 and 503 mean the server did not process the request, so they are
# retried for every method; 502/504 (a proxy) may hide a write that was applied.
RETRY_STATUSES = (429, 502, 503, 504)
NOT_PROCESSED = (429, 503)
RETRIES = 3
BACKOFF_FACTOR = 0.5
MAX_RETRY_AFTER = 60
# UTMStack answers 200 or 201; 204 (no content) is success as well, for any server that uses it.
SUCCESS = (200, 201, 204)
READ_METHODS = ("GET", "HEAD")
# POSTs that only read (or log in): safe to resend after a lost answer.
READ_POSTS = (
    "/api/authenticate",
    "/api/elasticsearch/search",
)


class _Retry(Retry):
    """urllib3 Retry that caps Retry-After, never retries a TLS failure, and retries 429/503 for
    every method (the server refused the request before processing it)."""

    def get_retry_after(self, response):
        seconds = super(_Retry, self).get_retry_after(response)
        return None if seconds is None else min(seconds, MAX_RETRY_AFTER)

    def is_retry(self, method, status_code, has_retry_after=False):
        if status_code in NOT_PROCESSED and self.total:
            return True
        return super(_Retry, self).is_retry(method, status_code, has_retry_after)

    def increment(self, method=None, url=None, response=None, error=None, _pool=None, _stacktrace=None):
        if isinstance(error, SSLError) or _cannot_connect(error):
            # A failed TLS handshake, a refused connection or an unknown host fails the same way
            # a second later: say so at once. Timeouts and resets are retried.
            raise MaxRetryError(_pool, url, error)
        return super(_Retry, self).increment(method, url, response, error, _pool, _stacktrace)


def _retry(methods):
    """Connection errors (nothing sent) are retried for any method; read errors and 502/504
    only for ``methods``; 429/503 for every method."""
    return _Retry(
        total=RETRIES,
        connect=RETRIES,
        read=RETRIES,
        status=RETRIES,
        backoff_factor=BACKOFF_FACTOR,
        status_forcelist=RETRY_STATUSES,
        allowed_methods=frozenset(methods),
        respect_retry_after_header=True,
        raise_on_status=False,
    )


class Response:
    """What a caller needs of an HTTP answer: status, headers and the parsed body."""

    def __init__(self, status, headers, json_body, text, method=None, path=None):
        self.status = status
        self.headers = headers
        self.json = json_body
        self.text = text
        self.method = method
        self.path = path

    def _unexpected(self, what):
        return UtmApiError(self.method, self.path, self.status, body=self.text,
                           message="the server answered %s" % what)

    def total(self):
        """X-Total-Count as an int, or None when the header is missing (the search omits it)."""
        value = self.headers.get("X-Total-Count")
        if value in (None, ""):
            return None
        try:
            return int(value)
        except ValueError:
            raise self._unexpected("an X-Total-Count header that is not a number: %r" % (value,))

    def rows(self):
        """The body as a list of objects (an empty body is an empty list); raises on anything else."""
        if self.json is None:
            return []
        if not isinstance(self.json, list) or not all(isinstance(row, dict) for row in self.json):
            raise self._unexpected("%s where a JSON list of objects was expected" % _kind(self.json))
        return self.json

    def object(self, required=True):
        """The body as one JSON object; None for an empty body unless ``required``."""
        if self.json is None and not required:
            return None
        if not isinstance(self.json, dict):
            raise self._unexpected("%s where a JSON object was expected" % _kind(self.json))
        return self.json


class UtmClient:
    """HTTP access to one UTMStack server, with one authentication for its lifetime."""

    def __init__(self, url, api_key=None, username=None, password=None, token=None,
                 validate_certs=True, ca_path=None, timeout=30, api_version=11):
        if not HAS_REQUESTS:
            raise UtmInputError("the Python library 'requests' is required")
        _check_url(url)
        _check_timeout(timeout)
        if validate_certs and ca_path:
            _check_ca_path(ca_path)
        if not (api_key or token or (username and password)):
            raise UtmInputError("set api_key, token, or username and password (or the UTMSTACK_* variables)")
        if username and not password and not (api_key or token):
            raise UtmInputError("username needs password")
        self.api_version = int(api_version or 11)
        if self.api_version not in ALERT_INDEX_PATTERNS:
            raise UtmInputError("api_version must be 10 or 11, got %r" % (api_version,))
        if api_key and self.api_version < 11:
            raise UtmInputError("UTMStack 10 has no API keys; use username and password (or token) with api_version 10")
        self.alert_index_pattern = ALERT_INDEX_PATTERNS[self.api_version]
        self.base_url = url.rstrip("/")
        parts = urlsplit(self.base_url)
        # What error messages name: the path as requested, and the host and port connected to.
        self._base_path = parts.path
        host = "[%s]" % parts.hostname if ":" in parts.hostname else parts.hostname
        self._address = "%s:%s" % (host, parts.port or (443 if parts.scheme == "https" else 80))
        self.timeout = timeout
        self._api_key = api_key
        self._username = username
        self._password = password
        self._token = token
        # A backend restart kills every JWT: with a password the client logs in again, once.
        self._relogins_left = 1 if (username and password and not api_key) else 0
        self.request_count = 0
        self.session = requests.Session()
        # Passed on every request: a session-level value loses to REQUESTS_CA_BUNDLE.
        self.verify = ca_path if (validate_certs and ca_path) else bool(validate_certs)
        self.session.headers["Accept"] = "application/json"
        # Adapters are chosen by the longest matching URL prefix: the default one resends only
        # reads after a lost answer; the POSTs that only read get one that resends POST too.
        # A write whose answer is lost is never resent: the caller re-reads and decides.
        self.session.mount(self.base_url + "/", HTTPAdapter(max_retries=_retry(READ_METHODS)))
        reading_posts = HTTPAdapter(max_retries=_retry(READ_METHODS + ("POST",)))
        for path in READ_POSTS:
            self.session.mount(self.base_url + path, reading_posts)

    # -- authentication -------------------------------------------------------------
    def _auth_headers(self):
        if self._api_key:
            return {"Utm-Api-Key": self._api_key}
        if not self._token:
            self._token = self._login()
        return {"Authorization": "Bearer " + self._token}

    def _login(self):
        try:
            answer = self._send(
                "POST", "/api/authenticate",
                body={"username": self._username, "password": self._password, "rememberMe": False},
                headers={"X-Bypass-TFA": "true"},
            )
        except UtmApiError as exc:
            # Whatever the server answered to a login (it may echo the request) stays out of the result.
            exc.body = ""
            raise
        body = answer.json if isinstance(answer.json, dict) else {}
        # v11 answers {"token": ...}; v10 {"id_token": ...} plus an Authorization header.
        token = body.get("token") or body.get("id_token")
        if not token:
            bearer = answer.headers.get("Authorization", "")
            token = bearer[7:] if bearer.startswith("Bearer ") else None
        if not token:
            raise UtmApiError("POST", "/api/authenticate", answer.status,
                              message="the login answer carried no token")
        return token

    # -- requests -------------------------------------------------------------------
    def request(self, method, path, query=None, body=None, data=None, expected=SUCCESS):
        """Send one authenticated request; return a Response or raise UtmApiError.

        A 401 to a token the client got by logging in (a restarted backend refuses it) is
        followed by one new login and the same request again: a 401 is refused before the
        server does anything, so resending it cannot apply a write twice.
        """
        headers = self._auth_headers()  # a failed first login is not retried: lockouts count failures
        try:
            return self._send(method, path, query, body, data, headers, expected)
        except UtmApiError as exc:
            if exc.status != 401 or not self._relogins_left:
                raise
        self._relogins_left -= 1
        self._token = self._login()
        return self._send(method, path, query, body, data, self._auth_headers(), expected)

    def get(self, path, query=None):
        return self.request("GET", path, query=query)

    def post(self, path, body=None, query=None, data=None):
        return self.request("POST", path, query=query, body=body, data=data)

    def put(self, path, body=None):
        return self.request("PUT", path, body=body)

    def delete(self, path):
        return self.request("DELETE", path)

    def _send(self, method, path, query=None, body=None, data=None, headers=None, expected=SUCCESS):
        kwargs = dict(params=query, headers=headers, timeout=self.timeout, verify=self.verify)
        if body is not None:
            kwargs["json"] = body
        elif data is not None:
            kwargs["data"] = data.encode("utf-8")
            kwargs["headers"] = dict(headers or {}, **{"Content-Type": "text/plain"})
        self.request_count += 1
        requested = self._base_path + path
        try:
            raw = self.session.request(method, self.base_url + path, **kwargs)
        except requests.exceptions.RequestException as exc:
            if self._is_write(method, path) and not _never_sent(exc):
                raise UtmAnswerLost(method, path, message="the request was sent but its answer was lost: %s; the "
                                    "server may have applied it" % self._transport_problem(exc), requested=requested)
            raise UtmApiError(method, path, message=self._transport_problem(exc), requested=requested)
        answer = Response(raw.status_code, raw.headers, None, raw.text, method, path)
        if raw.status_code not in expected:
            server_error = raw.headers.get("X-UtmStack-error")
            raise UtmApiError(method, path, raw.status_code, server_error, body=raw.text, requested=requested,
                              message=self._refusal_hint(path, raw.status_code, server_error, headers or {}))
        if raw.content:
            try:
                answer.json = raw.json()
            except ValueError:
                error = UtmAnswerLost if self._is_write(method, path) else UtmApiError
                raise error(method, path, raw.status_code, message="the answer is not valid JSON", body=raw.text,
                            requested=requested)
        return answer

    def _refusal_hint(self, path, status, server_error, headers):
        """What to do about a refusal, given how the request authenticated; None for no advice."""
        if path == "/api/authenticate":
            return "check username and password" if status == 401 else None
        if "Utm-Api-Key" in headers:
            if status in (401, 403):
                return "check the API key, and that its user has ROLE_USER or ROLE_ADMIN"
            if status == 500 and not server_error and self.request_count == 1:
                # Spring Security lets a refused key escape as a bare 500; a key that already
                # worked in this run is not the cause, so only the first request says this.
                return ("either the API key is unknown, expired or restricted to other IP addresses (UTMStack 11 "
                        "answers those with a bare 500), or the server failed; check the key under Settings > "
                        "API Keys, then the server's logs")
            return None
        if status == 401:
            if self._username and self._password:
                return "the server refused a token it had just issued; check that the user is activated"
            return ("the token is no longer valid (a UTMStack backend restart or its 24-hour expiry ends it); use "
                    "api_key, or username and password so the module can log in again")
        if status == 403:
            return "the user needs ROLE_USER or ROLE_ADMIN (a login still waiting for two-factor verification gets 403)"
        return None

    def _transport_problem(self, exc):
        """A short sentence on why no answer came, and what to check."""
        reason = _reason(exc)
        if isinstance(exc, requests.exceptions.SSLError):
            if _is_certificate_failure(reason):
                return ("TLS verification of %s failed (%s); set ca_path to the server's CA file rather than "
                        "turning validate_certs off" % (self._address, _short(reason)))
            if _is_plain_http(reason):
                return ("the server at %s does not speak TLS on that port (%s); if it serves plain HTTP there, "
                        "use an http:// url" % (self._address, _short(reason)))
            return "the TLS handshake with %s failed (%s)" % (self._address, _short(reason))
        if _is_name_resolution(reason):
            return "the host name in url (%s) does not resolve; check the url" % (urlsplit(self.base_url).hostname,)
        if _cannot_connect(reason):
            return "connection refused by %s: is UTMStack running there and is the URL right?" % (self._address,)
        if isinstance(reason, ConnectTimeoutError) and not isinstance(reason, NewConnectionError):
            return ("no connection to %s within %s seconds (tried %d times); check the url, the network and any "
                    "firewall or proxy" % (self._address, self.timeout, RETRIES + 1))
        if isinstance(reason, ReadTimeoutError):
            return "%s sent no answer within %s seconds (timeout)" % (self._address, self.timeout)
        return "no answer from %s: %s" % (self._address, _short(reason))

    @staticmethod
    def _is_write(method, path):
        return method not in READ_METHODS and path not in READ_POSTS

    # -- paging ---------------------------------------------------------------------
    def list_all(self, path, query=None, limit=None, sort=None):
        """Every row of a JPA list endpoint (0-based pages at the server maximum)."""
        rows = []
        page = 0
        # One size for every page: the server's offset is page * size.
        size = MAX_PAGE_SIZE if limit is None else max(1, min(MAX_PAGE_SIZE, limit))
        while True:
            params = dict(query or {}, page=page, size=size)
            if sort:
                params["sort"] = sort
            answer = self.get(path, params)
            batch = answer.rows()
            total = answer.total()
            rows.extend(batch)
            if (len(batch) < size or (total is not None and len(rows) >= total)
                    or (limit is not None and len(rows) >= limit)):
                return rows if limit is None else rows[:limit]
            page += 1

    def search(self, filters, limit=None, sort=None, index_pattern=None):
        """Alert documents matching ``filters`` (ANDed FilterType dicts).

        ``index_pattern`` None searches the alert index of the server's version.

        The search pages from 1 (page 0 is the first page too), caps the window at ``top``,
        and answers ``[]`` without headers when nothing matches.
        """
        top = SEARCH_WINDOW if limit is None else min(limit, SEARCH_WINDOW)
        index_pattern = index_pattern or self.alert_index_pattern
        docs = []
        page = 1
        while len(docs) < top:
            size = min(MAX_PAGE_SIZE, top)
            params = {"top": top, "indexPattern": index_pattern, "page": page, "size": size}
            if sort:
                params["sort"] = sort
            answer = self.post("/api/elasticsearch/search", body=list(filters), query=params)
            batch = answer.rows()
            total = answer.total()
            docs.extend(batch)
            if len(batch) < size or (total is not None and len(docs) >= total):
                break
            page += 1
        return docs[:top]


def _kind(value):
    if value is None:
        return "an empty body"
    if isinstance(value, list):
        return "a JSON list" if all(isinstance(row, dict) for row in value) else "a JSON list of non-objects"
    return "a JSON object" if isinstance(value, dict) else "a JSON %s" % type(value).__name__


def _option(name):
    """An option as a message names it: with its environment variable (UTMSTACK_<NAME>)."""
    return "%s (or UTMSTACK_%s)" % (name, name.upper())


def _check_url(url):
    if not url:
        raise UtmInputError("url is not set: give the UTMStack console's address, for example "
                            "https://utmstack.example.com, in the url option or the UTMSTACK_URL environment variable")
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        raise UtmInputError("%s must start with http:// or https://, got %r" % (_option("url"), url))
    if urlsplit(url).path.rstrip("/").endswith("/api"):
        # The client adds /api to every path: this URL would request /api/api/...
        raise UtmInputError("%s must be the console's address without /api (got %s): the modules add /api "
                            "themselves; use %s" % (_option("url"), url, url.rstrip("/")[:-len("/api")]))


def _check_timeout(timeout):
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or timeout <= 0:
        raise UtmInputError("%s must be a number of seconds above 0, got %r" % (_option("timeout"), timeout))


def _check_ca_path(ca_path):
    if not os.path.exists(ca_path):
        raise UtmInputError("%s %s does not exist; give the PEM file of the CA that signed the server's "
                            "certificate" % (_option("ca_path"), ca_path))
    if not os.path.isfile(ca_path):
        raise UtmInputError("%s %s is not a file; give the PEM file of the CA that signed the server's "
                            "certificate" % (_option("ca_path"), ca_path))


def _reason(exc):
    """The innermost cause of a requests exception (the urllib3 error under MaxRetryError)."""
    reason = exc.args[0] if exc.args else exc
    return getattr(reason, "reason", None) or reason


def _cause(error):
    # urllib3 2 chains the socket error as the cause; 1.26 raises while handling it.
    return error.__cause__ or error.__context__


def _is_name_resolution(error):
    if NameResolutionError is not None and isinstance(error, NameResolutionError):
        return True
    return isinstance(error, NewConnectionError) and isinstance(_cause(error), socket.gaierror)


def _cannot_connect(error):
    """True for a connection the host refused or a host name that does not resolve."""
    if _is_name_resolution(error):
        return True
    return isinstance(error, NewConnectionError) and isinstance(_cause(error), ConnectionRefusedError)


def _is_certificate_failure(error):
    # OpenSSL's code for an untrusted chain, an expired certificate and a host name mismatch alike.
    return "CERTIFICATE_VERIFY_FAILED" in str(error)


# What OpenSSL says when the other end answers a TLS hello in plain text (an HTTP server).
PLAIN_HTTP_SIGNS = ("WRONG_VERSION_NUMBER", "wrong version number", "record layer failure",
                    "packet length too long", "http request")


def _is_plain_http(error):
    text = str(error)
    return any(sign in text for sign in PLAIN_HTTP_SIGNS)


def _never_sent(exc):
    """True when the request cannot have reached the server (no connection was made)."""
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return True
    reason = exc.args[0] if exc.args else None
    reason = getattr(reason, "reason", reason)
    return isinstance(reason, NewConnectionError)


# user:password@ in a URL, as a proxy from HTTPS_PROXY may carry it into an error text.
URL_CREDENTIALS = re.compile(r"(?<=://)[^/@\s:]*:[^/@\s]*@")


SHORT = 300


def _short(exc):
    """An exception's text without URL credentials, cut at a word boundary near SHORT characters."""
    return bounded(URL_CREDENTIALS.sub("***@", str(exc)), SHORT)
