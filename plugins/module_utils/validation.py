# -*- coding: utf-8 -*-
# Copyright: utmstack.soc contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Input checks that run before any request, with the server's own limits."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.utmstack.soc.plugins.module_utils.errors import UtmInputError

UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")

# Column sizes of the UTMStack database (utm_incident, utm_incident_note, ...).
MAX_NAME = 250
MAX_DESCRIPTION = 2000
MAX_NOTE = 1000
MAX_SOLUTION = 1000
MAX_HISTORY_DETAIL = 1000
# The history row written when an incident is completed embeds the solution after this
# text (worst case "In review"); action_detail is varchar(1000), so a longer solution
# makes the whole status change fail on the server.
COMPLETED_DETAIL = "Incident status changed from In review to Completed  with solution: "
MAX_ALERT_ID = 255


def check_alert_ids(ids, what="alerts"):
    """A de-duplicated list of alert UUIDs, order kept; raises on anything else."""
    if ids is None:
        return []
    bad = [i for i in ids if not isinstance(i, str) or not UUID_RE.match(i)]
    if bad:
        raise UtmInputError("%s must be alert UUIDs; not valid: %s" % (what, ", ".join(repr(b) for b in bad[:10])))
    seen = set()
    unique = []
    for alert_id in ids:
        if alert_id not in seen:
            seen.add(alert_id)
            unique.append(alert_id)
    return unique


def check_incident_name(name):
    if not isinstance(name, str) or not name.strip():
        raise UtmInputError("name must be a non-empty string")
    if '"' in name:
        raise UtmInputError('name must not contain a double quote (") - UTMStack rejects it')
    check_length("name", name, MAX_NAME)
    return name


def check_incident_ref(incident_id, incident_name, required=True):
    """At most one way to name an incident (exactly one when ``required``), well formed."""
    if incident_id is not None and incident_name is not None:
        raise UtmInputError("set exactly one of incident_id and incident_name, not both")
    if required and incident_id is None and incident_name is None:
        raise UtmInputError("one of incident_id or incident_name is required; set exactly one")
    check_positive_id("incident_id", incident_id)
    if incident_name is not None:
        check_incident_name(incident_name)


def server_length(value):
    """The length UTMStack checks: Java counts UTF-16 code units, so an emoji counts twice."""
    return len(value.encode("utf-16-le")) // 2


def _length_text(value):
    length = server_length(value)
    if length == len(value):
        return "%d characters long" % length
    return "%d characters long as UTMStack counts them (in UTF-16 units: emoji and other characters beyond U+FFFF " \
        "count twice)" % length


def check_length(option, value, limit):
    if value is not None and server_length(value) > limit:
        raise UtmInputError("%s is %s; UTMStack allows at most %d" % (option, _length_text(value), limit))
    return value


def check_solution(solution, completing):
    check_length("solution", solution, MAX_SOLUTION)
    if completing and solution is not None:
        limit = MAX_HISTORY_DETAIL - len(COMPLETED_DETAIL)
        if server_length(solution) > limit:
            raise UtmInputError(
                "solution is %s; completing an incident records it in the history, "
                "which holds at most %d characters of it" % (_length_text(solution), limit))
    return solution


def check_positive_id(option, value):
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
        raise UtmInputError("%s must be a positive integer, got %r" % (option, value))
    return value
