#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: utmstack.soc contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: utm_incident_info
short_description: List UTMStack incidents
version_added: 0.1.0
author: utmstack.soc contributors (@utmstack)
description:
  - Lists the incidents of the UTMStack SIEM, all of them or those matching the filters you give.
  - Filters are combined; an incident must match all of them.
extends_documentation_fragment:
  - utmstack.soc.connection
  - utmstack.soc.attributes
  - utmstack.soc.attributes.info_module
options:
  id:
    description:
      - Only the incident with this number. An unknown number gives an empty list.
    type: int
  name:
    description:
      - Only the incident with exactly this name (case matters).
    type: str
  name_contains:
    description:
      - Only incidents whose name contains this text, ignoring case. The text is literal, V(%) and V(_) included
        (UTMStack would read them as wildcards; the module filters those exactly).
      - Cannot be used with O(name), because UTMStack applies only one name filter.
    type: str
  status:
    description:
      - Only incidents with one of these statuses.
    type: list
    elements: str
    choices: [open, in_review, completed]
  severity:
    description:
      - Only incidents with one of these severities, as words (V(low), V(medium), V(high)) or numbers (1 to 3).
      - UTMStack cannot filter by a range of severities, so list every severity you want.
    type: list
    elements: str
  assigned_to:
    description:
      - Only incidents assigned to exactly this value, such as C("1") or C("1,3") (numeric user ids).
    type: str
  created_after:
    description:
      - Only incidents created at or after this moment, an ISO 8601 date or date-time such as C(2026-03-01) or
        C(2026-03-01T08:00:00Z). A time without a zone is taken as UTC.
    type: str
  created_before:
    description:
      - Only incidents created at or before this moment, written like O(created_after).
    type: str
  sort:
    description:
      - The order of the list, as C(<field>,asc) or C(<field>,desc) over an incident field returned by this module,
        for example C(incidentCreatedDate,desc) for the newest first.
    type: str
    default: id,asc
  limit:
    description:
      - Return at most this many incidents. By default every matching incident is returned.
    type: int
seealso:
  - module: utmstack.soc.utm_incident
  - module: utmstack.soc.utm_incident_alert_info
"""

EXAMPLES = r"""
- name: Open or in-review incidents of high severity, newest first
  utmstack.soc.utm_incident_info:
    status: [open, in_review]
    severity: [high]
    sort: incidentCreatedDate,desc
  register: busy

- name: Incidents created in March 2026 whose name mentions SSH
  utmstack.soc.utm_incident_info:
    name_contains: ssh
    created_after: "2026-03-01"
    created_before: "2026-03-31T23:59:59Z"

- name: One incident by number
  utmstack.soc.utm_incident_info:
    id: 17
"""

RETURN = r"""
incidents:
  description: The matching incidents, as UTMStack returns them, in the order of O(sort).
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: The number UTMStack gave the incident.
      type: int
      sample: 17
    incidentName:
      description: The incident name.
      type: str
      sample: INC-2026-0042 SSH brute force on web-prod-01
    incidentDescription:
      description: The description.
      type: str
      sample: Repeated SSH login failures followed by a success from the same address.
    incidentStatus:
      description: The status as UTMStack names it (C(OPEN), C(IN_REVIEW), C(COMPLETED)).
      type: str
      sample: OPEN
    incidentAssignedTo:
      description: The assignee, or null.
      type: str
      sample: "1"
    incidentSeverity:
      description: Severity, 1 (low) to 3 (high).
      type: int
      sample: 3
    incidentCreatedDate:
      description: When the incident was created (ISO 8601, UTC).
      type: str
      sample: "2026-03-02T10:15:04.512Z"
    incidentSolution:
      description: The solution, or null.
      type: str
      sample: Address blocked at the firewall; password reset.
    status:
      description: The status in the collection's words (V(open), V(in_review), V(completed)), beside the API's code.
      type: str
      sample: open
    severity:
      description: The severity in words (V(low), V(medium), V(high)), beside the API's number.
      type: str
      sample: high
"""

from ansible_collections.utmstack.soc.plugins.module_utils import incident_state, incidents, text_match, validation, vocabulary
from ansible_collections.utmstack.soc.plugins.module_utils.runner import run_module
from ansible_collections.utmstack.soc.plugins.module_utils.vocabulary import STATUSES

ARGUMENT_SPEC = dict(
    id=dict(type="int"),
    name=dict(type="str"),
    name_contains=dict(type="str"),
    status=dict(type="list", elements="str", choices=list(STATUSES)),
    severity=dict(type="list", elements="str"),
    assigned_to=dict(type="str"),
    created_after=dict(type="str"),
    created_before=dict(type="str"),
    sort=dict(type="str", default="id,asc"),
    limit=dict(type="int"),
)
# Checked with the options by both adapters (AnsibleModule and the action plugin).
ARGUMENT_CONSTRAINTS = dict(mutually_exclusive=[("name", "name_contains")])


def run(client, params, check_mode):
    validation.check_positive_id("id", params.get("id"))
    validation.check_positive_id("limit", params.get("limit"))
    sort = incident_state.check_sort(params.get("sort") or "id,asc")
    criteria = incident_state.incident_criteria(params)
    contains = params.get("name_contains")
    if contains is None or text_match.sent_as_is(contains):
        rows = incidents.list_incidents(client, criteria, limit=params.get("limit"), sort=sort)
    else:
        rows = text_match.narrow(incidents.list_incidents(client, criteria, sort=sort), "incidentName", contains)
        rows = rows[:params.get("limit")]
    return False, dict(incidents=[vocabulary.incident_words(row) for row in rows]), None


def main():
    run_module(ARGUMENT_SPEC, run, supports_check_mode=True, **ARGUMENT_CONSTRAINTS)


if __name__ == "__main__":
    main()
