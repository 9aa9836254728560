# -*- coding: utf-8 -*-
# Copyright: utmstack.soc contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The two ways a task fails: bad input (before any request) and an API fault."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

BODY_EXCERPT = 500
# X-UtmStack-error can list every alert id of a request (a 409 on 10,000 alerts): a task's
# message keeps its head.
SERVER_ERROR_EXCERPT = 1000


def bounded(text, limit):
    """``text`` cut to about ``limit`` characters at a word boundary, saying how much was left out."""
    if len(text) <= limit:
        return text
    head = text[:limit]
    space = head.rfind(" ")
    if space > limit // 2:
        head = head[:space]
    return "%s ... (%d more characters)" % (head, len(text) - len(head))


class UtmError(Exception):
    """Base of every error this collection raises on purpose."""

    def details(self):
        """Extra keys for the failed task's result."""
        return {}


class UtmInputError(UtmError):
    """The task's input cannot work; raised before any request is sent."""


class UtmApiError(UtmError):
    """A request failed: carries method, path, status and the server's X-UtmStack-error.

    ``path`` is the API path (``/api/...``), for callers that decide on it; ``requested`` the
    path as sent (with the url's own path in front), which the message and details show.
    """

    def __init__(self, method, path, status=None, server_error=None, body=None, message=None, requested=None):
        self.method = method
        self.path = path
        self.requested = requested or path
        self.status = status
        self.server_error = server_error
        self.body = bounded(body or "", BODY_EXCERPT)
        parts = ["%s %s" % (method, self.requested)]
        if status is not None:
            parts.append("failed with HTTP %s" % status)
        else:
            parts.append("failed")
        if server_error:
            parts.append("(X-UtmStack-error: %s)" % bounded(server_error, SERVER_ERROR_EXCERPT))
        if message:
            parts.append("- %s" % message)
        elif status in (401, 403):
            parts.append("- check the API key or credentials, and that the user has ROLE_USER or ROLE_ADMIN")
        super(UtmApiError, self).__init__(" ".join(parts))

    def details(self):
        server_error = None if self.server_error is None else bounded(self.server_error, SERVER_ERROR_EXCERPT)
        return dict(method=self.method, path=self.requested, status=self.status,
                    server_error=server_error, body=self.body)


class UtmAnswerLost(UtmApiError):
    """A write that is not safe to replay was sent, but its answer never arrived.

    The server may or may not have applied it (read timeout, connection dropped after
    sending, a body that is not JSON). Callers re-read the state and decide; they never
    resend blindly.
    """


def settle(write, applied=None):
    """Send ``write()``; when its answer is lost, decide instead of replaying blindly.

    ``applied`` re-reads the server and says whether the lost write took effect; the write
    is sent once more only when it did not. ``applied`` None marks a write that sets values
    (a status, tags, a flag): sending it again cannot apply it twice, so it is resent.
    Returns the write's answer, or None when a re-read showed it applied.
    """
    try:
        return write()
    except UtmAnswerLost:
        if applied is not None and applied():
            return None
        return write()
