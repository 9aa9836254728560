#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: utmstack.soc contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: utm_incident_alert
short_description: Add alerts to a UTMStack incident or take them out of it
version_added: 0.1.0
author: utmstack.soc contributors (@utmstack)
description:
  - Makes sure the alerts you list belong to an incident of the UTMStack SIEM (O(state=present)) or do not
    (O(state=absent)). Alerts of the incident that you do not list are left alone.
  - Reports which alerts were added, which were already there, which were taken out, and which were not in the
    incident at all.
extends_documentation_fragment:
  - utmstack.soc.connection
  - utmstack.soc.attributes
  - utmstack.soc.attributes.missing_alerts
attributes:
  check_mode:
    description: Reads everything a real run reads, sends no change, and reports the same result.
    support: full
  diff_mode:
    description: Shows which of the listed alerts belong to the incident before and after the task.
    support: full
options:
  incident_id:
    description:
      - The number of the incident.
      - Exactly one of O(incident_id) and O(incident_name) is required; the incident must exist.
    type: int
  incident_name:
    description:
      - The exact name of the incident, when O(incident_id) is not known.
    type: str
  alerts:
    description:
      - Ids (UUIDs) of the alerts to add or take out. An empty list changes nothing (a search that found no alerts
        can feed this option as it is).
    type: list
    elements: str
    required: true
  state:
    description:
      - V(present) adds the alerts that are not in the incident yet. None may belong to another incident (an alert
        belongs to one incident at most); otherwise the task fails before changing anything and names the other
        incident. Alerts that do not exist are handled as O(missing) says.
      - V(absent) takes the alerts that are in the incident out of it. Alerts in another incident, or in none,
        are reported in RV(alerts_not_present) and left alone.
    type: str
    choices: [present, absent]
    default: present
  flag_alerts:
    description:
      - With O(state=present), mark the listed alerts themselves as part of the incident (C(isIncident) and
        C(incidentDetail) in the alert index), as the UTMStack console does. Listed alerts already in the incident
        but not marked (a run cut off after linking them) are marked too.
    type: bool
    default: true
notes:
  - UTMStack sets the severity of an incident once, when it is created; adding or taking out alerts does not
    change it.
  - Added alerts keep their own status; UTMStack gives them the incident's status the next time the incident is
    written (a change of any of its fields with M(utmstack.soc.utm_incident)).
  - Taking an alert out of an incident deletes its link only. The alert keeps C(isIncident=true) and its
    C(incidentDetail) in the alert index, because UTMStack has no way to undo them; its console will therefore not
    offer the alert for a new incident, although this module can add it to one.
  - UTMStack deletes links one at a time, so O(state=absent) sends one request per alert taken out.
  - With O(state=present) the task also reads the listed alerts' documents, so a rerun flags what an interrupted
    run left unflagged and brings link rows whose status differs from their alert in step. A task that finds
    nothing to change sends three reads (one more for each further 100 alerts). A conflict with another writer
    (alerts linked meanwhile) is read again and converges; write tasks against one server take turns on the host
    that runs them (a file lock).
  - In check mode, an incident named (not numbered) in this task that does not exist yet is taken to be created by an earlier task
    of the same run; the task reports the change it would make, with a warning, instead of failing.
seealso:
  - module: utmstack.soc.utm_incident
  - module: utmstack.soc.utm_incident_alert_info
"""

EXAMPLES = r"""
- name: Open the incident from a first alert
  utmstack.soc.utm_incident:
    name: INC-2026-0042 SSH brute force on web-prod-01
    description: Password guessing against the production web server.
    alerts: [35dd8954-a7f8-422a-9eed-ef2a6f877ca9]

- name: Make sure two more alerts belong to the incident
  utmstack.soc.utm_incident_alert:
    incident_name: INC-2026-0042 SSH brute force on web-prod-01
    alerts:
      - 5ead703a-84c4-4877-9785-37a368e58909
      - f9c4b930-b21b-4c2e-8f61-a1bcacb70dd8
  register: membership

- name: Take one of them out again
  utmstack.soc.utm_incident_alert:
    incident_id: "{{ membership.incident.id }}"
    alerts: [f9c4b930-b21b-4c2e-8f61-a1bcacb70dd8]
    state: absent
"""

RETURN = r"""
incident:
  description: The incident, as UTMStack returns it plus its status and severity in words (see M(utmstack.soc.utm_incident)
    for its fields).
  returned: always
  type: dict
  sample:
    id: 17
    incidentName: INC-2026-0042 SSH brute force on web-prod-01
    incidentDescription: Repeated SSH login failures followed by a success from the same address.
    incidentStatus: OPEN
    incidentAssignedTo: "1"
    incidentSeverity: 3
    incidentCreatedDate: "2026-03-02T10:15:04.512Z"
    incidentSolution: null
    status: open
    severity: high
missing_alerts:
  description: With O(state=present), ids of the listed alerts that do not exist on the server (left out, see O(missing)).
  returned: always
  type: list
  elements: str
  sample: []
alerts_added:
  description: Alerts added to the incident (or that would be, in check mode). Empty with O(state=absent).
  returned: always
  type: list
  elements: str
  sample: ["f9c4b930-b21b-4c2e-8f61-a1bcacb70dd8"]
alerts_already_present:
  description: Listed alerts that were in the incident already. Empty with O(state=absent).
  returned: always
  type: list
  elements: str
  sample: ["5ead703a-84c4-4877-9785-37a368e58909"]
alerts_removed:
  description: Alerts taken out of the incident (or that would be, in check mode). Empty with O(state=present).
  returned: always
  type: list
  elements: str
  sample: []
alerts_not_present:
  description: With O(state=absent), listed alerts that were not in the incident. Empty with O(state=present).
  returned: always
  type: list
  elements: str
  sample: []
alerts_flagged:
  description: With O(state=present), listed alerts whose documents the task flagged as incident alerts.
  returned: always
  type: list
  elements: str
  sample: ["f9c4b930-b21b-4c2e-8f61-a1bcacb70dd8"]
links_synced:
  description: Listed alerts whose link row was brought in step with the alert's status.
  returned: always
  type: list
  elements: str
  sample: []
diff:
  description: The listed alerts that belong to the incident, before and after the task.
  returned: always
  type: dict
  sample:
    before: {alerts: ["5ead703a-84c4-4877-9785-37a368e58909"]}
    after: {alerts: ["5ead703a-84c4-4877-9785-37a368e58909", "f9c4b930-b21b-4c2e-8f61-a1bcacb70dd8"]}
"""

from ansible_collections.utmstack.soc.plugins.module_utils import (
    alert_plan, incident_sync, incidents, local_state, validation, vocabulary)
from ansible_collections.utmstack.soc.plugins.module_utils import alerts as alerts_module
from ansible_collections.utmstack.soc.plugins.module_utils.runner import run_module

ARGUMENT_SPEC = dict(
    incident_id=dict(type="int"),
    incident_name=dict(type="str"),
    alerts=dict(type="list", elements="str", required=True),
    state=dict(type="str", choices=["present", "absent"], default="present"),
    flag_alerts=dict(type="bool", default=True),
    missing=dict(type="str", default="warn", choices=list(alert_plan.MISSING_POLICIES)),
)
# Checked with the options by both adapters (AnsibleModule and the action plugin).
ARGUMENT_CONSTRAINTS = dict(required_one_of=[("incident_id", "incident_name")], mutually_exclusive=[("incident_id", "incident_name")])


def check_input(params):
    """The input checks, before any request; returns the de-duplicated alert ids."""
    validation.check_incident_ref(params.get("incident_id"), params.get("incident_name"))
    return validation.check_alert_ids(params["alerts"])


def run(client, params, check_mode):
    alerts = check_input(params)
    with local_state.write_lock(client, check_mode):
        incident = incidents.resolve(client, params.get("incident_id"), params.get("incident_name"), check_mode)
        links = incidents.links_of_alerts(client, alerts)
        here = [alert_id for alert_id in alerts if alert_id in links and links[alert_id]["incidentId"] == incident["id"]]
        if params.get("state", "present") == "absent":
            changed, result, diff = ensure_absent(client, incident, alerts, links, here, check_mode)
        else:
            changed, result, diff = ensure_present(client, incident, alerts, links, here, params, check_mode)
    if incident["id"] is None:
        result["warnings"] = [incidents.NOT_CREATED_YET % incident["incidentName"]] + result.get("warnings", [])
    return changed, result, diff


def _result(incident, added=(), already_present=(), removed=(), not_present=(), flagged=(), synced=(), absent=()):
    # The same keys as utm_incident's for the same ideas (alerts_added, alerts_flagged, links_synced).
    return dict(incident=vocabulary.incident_words(incident), missing_alerts=list(absent), alerts_added=list(added),
                alerts_already_present=list(already_present), alerts_removed=list(removed),
                alerts_not_present=list(not_present), alerts_flagged=list(flagged), links_synced=list(synced))


def ensure_present(client, incident, alerts, links, here, params, check_mode):
    incidents.check_not_elsewhere(client, incident["id"], links)
    # Every listed alert's document is read, not only the new ones': a rerun flags what an
    # interrupted run linked but did not flag, and brings stale link rows in step.
    docs = alerts_module.get_alerts(client, alerts)
    alerts, absent, warnings = alert_plan.split_missing(docs, alerts, params["missing"], "linked")
    free = [alert_id for alert_id in alerts if alert_id not in links]
    items = incidents.docs_to_link(docs, free)
    added = free if check_mode or not free else incidents.add_alerts(client, incident["id"], items)
    flagged, flag_warnings = [], []
    if params["flag_alerts"]:
        flagged, flag_warnings = incident_sync.repair_flags(client, incident, docs, alerts, check_mode)
    rows = [links[alert_id] for alert_id in here] + incident_sync.new_rows(incident["id"], docs, free)
    synced = incident_sync.sync_rows(client, rows, docs, check_mode) if incident["id"] is not None else []
    diff = dict(before=dict(alerts=sorted(here)), after=dict(alerts=sorted(here + free)))
    result = _result(incident, added=added, already_present=here, flagged=flagged, synced=synced, absent=absent)
    # An incident check mode assumes (no id yet) has every listed alert "flagged elsewhere".
    warnings = warnings + (flag_warnings if incident["id"] is not None else [])
    if warnings:
        result["warnings"] = warnings
    return bool(free or flagged or synced), result, diff


def ensure_absent(client, incident, alerts, links, here, check_mode):
    if not check_mode:
        # The API deletes one link per request, by link id.
        for alert_id in here:
            incidents.delete_link(client, links[alert_id]["id"], alert_id)
    not_present = [alert_id for alert_id in alerts if alert_id not in here]
    diff = dict(before=dict(alerts=sorted(here)), after=dict(alerts=[]))
    return bool(here), _result(incident, removed=here, not_present=not_present), diff


def main():
    run_module(ARGUMENT_SPEC, run, supports_check_mode=True, **ARGUMENT_CONSTRAINTS)


if __name__ == "__main__":
    main()
