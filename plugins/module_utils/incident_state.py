# -*- coding: utf-8 -*-
# Copyright: utmstack.soc contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure helpers of the incident modules: desired vs current, diffs, list criteria.

No requests here: everything is a function of its arguments, so it is unit-tested alone.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import re

from ansible_collections.utmstack.soc.plugins.module_utils import text_match, vocabulary
from ansible_collections.utmstack.soc.plugins.module_utils.errors import UtmInputError

# Module option -> UtmIncident field, for the fields a user may set.
OPTION_FIELDS = (
    ("name", "incidentName"),
    ("description", "incidentDescription"),
    ("assigned_to", "incidentAssignedTo"),
    ("status", "incidentStatus"),
    ("solution", "incidentSolution"),
)
# What UTMStack's users-assigned view can parse: comma-separated numeric user ids.
ASSIGNEE_RE = re.compile(r"^[0-9]+(,[0-9]+)*$")
WRITABLE_STATUSES = tuple(vocabulary.INCIDENT_STATUS.values())
SORTABLE = ("id", "incidentName", "incidentDescription", "incidentStatus", "incidentAssignedTo",
            "incidentSeverity", "incidentCreatedDate", "incidentSolution")


# The order of a response: by default a status only moves forward along it, so rerunning an
# earlier step of a runbook (triage) never undoes a later one (close).
STATUS_ORDER = ("OPEN", "IN_REVIEW", "COMPLETED")


def backward_status(incident, params):
    """The asked status when it would move ``incident`` back and ``reopen`` is not set, else None."""
    wanted = params.get("status")
    current = incident.get("incidentStatus")
    if wanted is None or params.get("reopen") or current not in STATUS_ORDER:
        return None
    if STATUS_ORDER.index(vocabulary.INCIDENT_STATUS[wanted]) < STATUS_ORDER.index(current):
        return wanted
    return None


def _blank_is_none(value):
    # The server stores "" and null alike for the optional fields; compare them as equal.
    return None if value in (None, "") else value


def api_value(option, value):
    """An option's value as the incident field holds it."""
    if option == "status":
        return vocabulary.INCIDENT_STATUS[value]
    if option in ("assigned_to", "solution"):
        return _blank_is_none(value)
    return value


def field_changes(incident, params):
    """{incident field: new value} for the options the user set that differ from ``incident``."""
    changes = {}
    for option, field in OPTION_FIELDS:
        if params.get(option) is None:
            continue
        wanted = api_value(option, params[option])
        current = incident.get(field)
        if option in ("assigned_to", "solution"):
            current = _blank_is_none(current)
        if wanted != current:
            changes[field] = wanted
    if changes and "incidentStatus" not in changes and incident.get("incidentStatus") not in WRITABLE_STATUSES:
        # change-status sends the status back; MERGED fails on any incident that has alerts.
        raise UtmInputError("incident %s has status %s, which UTMStack cannot write back; set status "
                            "(open, in_review or completed) with the other changes"
                            % (incident.get("id"), vocabulary.incident_status_word(incident.get("incidentStatus"))))
    return changes


def new_incident(params, items):
    """The incident the server creates from these options and alert items (before any status write)."""
    return {
        "id": None,
        "incidentName": params["name"],
        "incidentDescription": params.get("description") or "",
        "incidentStatus": "OPEN",
        "incidentAssignedTo": _blank_is_none(params.get("assigned_to")),
        "incidentSeverity": max(item["alertSeverity"] for item in items),
        "incidentCreatedDate": None,
        "incidentSolution": None,
    }


def user_view(incident, alert_ids=None):
    """The incident in the user's words, for diffs; ``alert_ids`` only when they were read."""
    if not incident:
        return {}
    view = {
        "name": incident.get("incidentName"),
        "description": incident.get("incidentDescription"),
        "status": vocabulary.incident_status_word(incident.get("incidentStatus")),
        "assigned_to": incident.get("incidentAssignedTo"),
        "solution": incident.get("incidentSolution"),
    }
    if alert_ids is not None:
        view["alerts"] = sorted(alert_ids)
    return view


def assignee_warnings(assigned_to):
    """Warnings for an assignee the UTMStack console cannot read (it is accepted anyway)."""
    if assigned_to in (None, "") or ASSIGNEE_RE.match(assigned_to):
        return []
    return ["assigned_to %r is not a comma-separated list of numeric user ids (such as \"1\" or \"1,3\"); "
            "UTMStack stores it, but its console's assignee view fails on any other form" % assigned_to]


def iso_instant(option, value):
    """An ISO-8601 date or date-time as the UTC instant the server's criteria parse."""
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    # Python < 3.11 accepts only 3 or 6 fractional digits; pad or cut to 6.
    match = re.match(r"^(.*T\d\d:\d\d:\d\d)\.(\d+)(.*)$", text)
    if match:
        text = "%s.%s%s" % (match.group(1), (match.group(2) + "000000")[:6], match.group(3))
    try:
        moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        raise UtmInputError("%s must be an ISO-8601 date or date-time such as 2026-01-31T08:00:00Z, got %r" % (option, value))
    if moment.tzinfo is not None:
        moment = moment.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    return moment.strftime("%Y-%m-%dT%H:%M:%S") + (".%06d" % moment.microsecond if moment.microsecond else "") + "Z"


def check_sort(sort):
    """``field[,asc|desc]`` over incident fields; an unknown field makes the server answer 500."""
    parts = sort.split(",")
    if len(parts) > 2 or parts[0] not in SORTABLE or (len(parts) == 2 and parts[1] not in ("asc", "desc")):
        raise UtmInputError("sort must be <field>[,asc|desc] with field one of %s, got %r" % (", ".join(SORTABLE), sort))
    return sort


def incident_criteria(params):
    """JHipster criteria for utm_incident_info's filters (only operators the server applies)."""
    criteria = _name_criteria(params)
    criteria.update(_code_criteria(params))
    if params.get("assigned_to") is not None:
        criteria["incidentAssignedTo.equals"] = params["assigned_to"]
    if params.get("created_after") is not None:
        criteria["incidentCreatedDate.greaterThanOrEqual"] = iso_instant("created_after", params["created_after"])
    if params.get("created_before") is not None:
        criteria["incidentCreatedDate.lessThanOrEqual"] = iso_instant("created_before", params["created_before"])
    return criteria


def _name_criteria(params):
    criteria = {}
    if params.get("id") is not None:
        criteria["id.equals"] = params["id"]
    if params.get("name") is not None:
        criteria["incidentName.equals"] = params["name"]
    if params.get("name_contains") is not None:
        # The caller narrows the answer with text_match.narrow() when this is only a piece of it.
        piece = text_match.server_value(params["name_contains"])
        if piece is not None:
            criteria["incidentName.contains"] = piece
    return criteria


def _code_criteria(params):
    """Status and severity, from the collection's words to the API's codes."""
    criteria = {}
    if params.get("status"):
        criteria["incidentStatus.in"] = ",".join(vocabulary.INCIDENT_STATUS[word] for word in params["status"])
    if params.get("severity"):
        try:
            codes = sorted(set(vocabulary.severity_code(value) for value in params["severity"]))
        except ValueError as exc:
            raise UtmInputError(str(exc))
        # incidentSeverity is a plain filter: equals/in work, greaterThan & co. are ignored.
        criteria["incidentSeverity.in"] = ",".join(str(code) for code in codes)
    return criteria
