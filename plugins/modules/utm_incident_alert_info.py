#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: utmstack.soc contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: utm_incident_alert_info
short_description: List which alerts belong to which UTMStack incident
version_added: 0.1.0
author: utmstack.soc contributors (@utmstack)
description:
  - Lists the links between incidents and alerts of the UTMStack SIEM; each link says that one alert belongs to
    one incident.
  - Give O(incident_id) or O(incident_name) for the alerts of an incident, O(alerts) to find which incident holds
    those alerts, both to combine the filters, or neither to list every link.
extends_documentation_fragment:
  - utmstack.soc.connection
  - utmstack.soc.attributes
  - utmstack.soc.attributes.info_module
options:
  incident_id:
    description:
      - Only the alerts of the incident with this number. An unknown number gives an empty list.
      - Cannot be used with O(incident_name).
    type: int
  incident_name:
    description:
      - Only the alerts of the incident with exactly this name. An unknown name gives an empty list.
    type: str
  alerts:
    description:
      - Only the links of these alert ids (UUIDs). Alerts that belong to no incident are simply absent from the list.
    type: list
    elements: str
  limit:
    description:
      - Return at most this many links. By default every matching link is returned.
    type: int
seealso:
  - module: utmstack.soc.utm_incident_alert
  - module: utmstack.soc.utm_incident_info
"""

EXAMPLES = r"""
- name: The alerts of an incident
  utmstack.soc.utm_incident_alert_info:
    incident_name: INC-2026-0042 SSH brute force on web-prod-01
  register: links

- name: Which incident holds this alert?
  utmstack.soc.utm_incident_alert_info:
    alerts: [5ead703a-84c4-4877-9785-37a368e58909]
  register: holder

- name: Show it
  ansible.builtin.debug:
    msg: "{{ holder.incident_alerts | map(attribute='incidentId') | list }}"
"""

RETURN = r"""
incident_alerts:
  description: The links, ordered by link id, as UTMStack returns them plus the alert status in words.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: The number of the link itself (not of the alert).
      type: int
      sample: 311
    incidentId:
      description: The number of the incident.
      type: int
      sample: 17
    alertId:
      description: The alert id.
      type: str
      sample: f9c4b930-b21b-4c2e-8f61-a1bcacb70dd8
    alertName:
      description: The alert name, as recorded when the alert joined the incident.
      type: str
      sample: SSH brute force attempt
    alertStatus:
      description: The alert status code UTMStack keeps for the link (2 open, 3 in review, 5 completed).
      type: int
      sample: 3
    alertSeverity:
      description: The alert severity, 1 (low) to 3 (high).
      type: int
      sample: 3
    status:
      description: RV(incident_alerts[].alertStatus) in words (V(open), V(in_review), V(completed), or V(automatic_review)).
      type: str
      sample: in_review
    severity:
      description: RV(incident_alerts[].alertSeverity) in words (V(low), V(medium), V(high)).
      type: str
      sample: high
"""

from ansible_collections.utmstack.soc.plugins.module_utils import incidents, validation
from ansible_collections.utmstack.soc.plugins.module_utils.errors import UtmInputError
from ansible_collections.utmstack.soc.plugins.module_utils.runner import run_module
from ansible_collections.utmstack.soc.plugins.module_utils.vocabulary import link_words

ARGUMENT_SPEC = dict(
    incident_id=dict(type="int"),
    incident_name=dict(type="str"),
    alerts=dict(type="list", elements="str"),
    limit=dict(type="int"),
)
# Checked with the options by both adapters (AnsibleModule and the action plugin).
ARGUMENT_CONSTRAINTS = dict(mutually_exclusive=[("incident_id", "incident_name")])


def run(client, params, check_mode):
    validation.check_incident_ref(params.get("incident_id"), params.get("incident_name"), required=False)
    validation.check_positive_id("limit", params.get("limit"))
    alerts = params.get("alerts")
    if alerts is not None:
        if not alerts:
            raise UtmInputError("alerts must list at least one alert id when set")
        alerts = validation.check_alert_ids(alerts)
    incident_id = params.get("incident_id")
    if params.get("incident_name") is not None:
        incident = incidents.find_by_name(client, params["incident_name"])
        if incident is None:
            return False, dict(incident_alerts=[]), None
        incident_id = incident["id"]
    rows = incidents.list_links(client, incident_id=incident_id, alert_ids=alerts, limit=params.get("limit"))
    return False, dict(incident_alerts=[link_words(row) for row in rows]), None


def main():
    run_module(ARGUMENT_SPEC, run, supports_check_mode=True, **ARGUMENT_CONSTRAINTS)


if __name__ == "__main__":
    main()
