# -*- coding: utf-8 -*-
# Copyright: utmstack.soc contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The user's words and the API's codes, mapped both ways in one place."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

# Status words used by every module and role.
STATUSES = ("open", "in_review", "completed")

# Incident status enum names (IncidentStatusEnum); MERGED exists but has no endpoint.
INCIDENT_STATUS = {"open": "OPEN", "in_review": "IN_REVIEW", "completed": "COMPLETED"}
INCIDENT_STATUS_WORD = dict((v, k) for k, v in INCIDENT_STATUS.items())
INCIDENT_STATUS_WORD["MERGED"] = "merged"

# Alert status codes (AlertStatus): 1 is set by the server itself, 4 and 6 do not exist.
ALERT_STATUS = {"open": 2, "in_review": 3, "completed": 5}
ALERT_STATUS_WORD = {1: "automatic_review", 2: "open", 3: "in_review", 5: "completed"}

# Alert and incident severity (AlertSeverityEnum): there is no 4 or 5.
SEVERITY = {"low": 1, "medium": 2, "high": 3}
SEVERITY_WORD = dict((v, k) for k, v in SEVERITY.items())

# The tag UTMStack uses to mark a false positive.
FALSE_POSITIVE_TAG = "False positive"


def incident_status_word(enum_name):
    return INCIDENT_STATUS_WORD.get(enum_name, str(enum_name).lower())


def alert_status_word(code):
    return ALERT_STATUS_WORD.get(code, str(code))


def severity_word(code):
    return None if code is None else SEVERITY_WORD.get(code, str(code))


# Results carry the words beside the raw fields. An alert document's own fields are named
# status and severity, so its words are status_word and severity_word.
def incident_words(row):
    return dict(row, status=incident_status_word(row.get("incidentStatus")),
                severity=severity_word(row.get("incidentSeverity")))


def link_words(row):
    return dict(row, status=alert_status_word(row.get("alertStatus")), severity=severity_word(row.get("alertSeverity")))


def alert_words(doc):
    return dict(doc, status_word=alert_status_word(doc.get("status")), severity_word=severity_word(doc.get("severity")))


def severity_code(value):
    """Severity as the API's int from a word (low/medium/high) or a number 1-3."""
    if isinstance(value, str) and value.lower() in SEVERITY:
        return SEVERITY[value.lower()]
    try:
        code = int(value)
    except (TypeError, ValueError):
        code = None
    if code not in SEVERITY_WORD:
        raise ValueError("severity must be low, medium, high or 1-3, got %r" % (value,))
    return code
