#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: utmstack.soc contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: utm_alert_status
short_description: Ensure the status of UTMStack alerts
version_added: 0.1.0
description:
  - Ensures that every alert in a list has the wanted status (C(open), C(in_review) or C(completed)),
    optionally with an observation and the C(False positive) tag.
  - Reads the alerts and their echoes first (one search each per 2000 alerts) and writes only the ones that
    differ, in chunks of 2000, so a rerun changes nothing and sends only reads.
  - Like the UTMStack console, it also updates the alert table of the incidents those alerts belong to,
    so the incident view shows the new status too (see O(sync_incident)).
  - UTMStack 11 applies a status write to the alert named and to its echoes, the repeated alerts that point
    to it with C(parentId). Echoes therefore follow their parent when the parent is written, even when
    they are not listed. List echoes explicitly to ensure their own status and observation; the module
    writes them after their parents so their own values win.
author: utmstack.soc contributors (@utmstack)
extends_documentation_fragment:
  - utmstack.soc.connection
  - utmstack.soc.attributes
  - utmstack.soc.attributes.missing_alerts
attributes:
  check_mode:
    support: full
    description: Reads the alerts and reports exactly what would change, without writing.
  diff_mode:
    support: full
    description: Shows status, observation and false-positive flag before and after for each changed alert.
options:
  alerts:
    description:
      - The alerts to set, by their UUID (the C(id) of the alert document).
      - Alerts that do not exist are reported in RV(missing_alerts) and handled as O(missing) says.
      - An empty list changes nothing and sends no request (a search that found no alerts can feed this option as it is).
    type: list
    elements: str
    required: true
  status:
    description:
      - The status every listed alert must have.
    type: str
    required: true
    choices: [open, in_review, completed]
  observation:
    description:
      - The observation (status comment) every listed alert must carry.
      - When omitted, each alert keeps the observation it has. UTMStack replaces the observation on every
        status change, so the module sends each alert's current observation back, one write per distinct
        observation.
      - An empty string clears the observation.
    type: str
  false_positive:
    description:
      - Whether to mark the alerts as false positives with the C(False positive) tag.
      - UTMStack only adds this tag together with the C(completed) status, so V(true) needs O(status=completed).
      - V(false) leaves existing tags alone; it does not remove the tag.
    type: bool
    default: false
  sync_incident:
    description:
      - Keep the alert table of the incidents the listed alerts and their echoes belong to in step with the
        alerts (and record it in the incident history), the way the UTMStack console does. Every listed alert's row
        is compared, so a rerun also mends rows an interrupted run left stale. This reads the link rows, one
        request per 100 alerts.
      - Set to V(false) to change only the alert documents.
    type: bool
    default: true
notes:
  - UTMStack 10 applies a status write to the named alerts only (not to echoes) and has no false-positive flag
    on it; there the module adds the C(False positive) tag with a separate tag write, keeping the other tags.
  - Write tasks against one server take turns on the host that runs them (a file lock).
  - An alert counts as different when its status differs, when O(observation) is given and differs,
    or when O(false_positive=true) and the alert lacks the C(False positive) tag.
"""

EXAMPLES = r"""
- name: Find the open SSH brute force alerts
  utmstack.soc.utm_alert_info:
    name: SSH brute force attempt
    status: [open]
    include_echoes: false
  register: ssh

- name: Put them in review, each keeping its observation
  utmstack.soc.utm_alert_status:
    alerts: "{{ ssh.alerts | map(attribute='id') | list }}"
    status: in_review
  when: ssh.alerts | length > 0

- name: Close the first one as a false positive, with a reason
  utmstack.soc.utm_alert_status:
    alerts: "{{ ssh.alerts[:1] | map(attribute='id') | list }}"
    status: completed
    observation: Scheduled vulnerability scan from the SOC scanner
    false_positive: true
  when: ssh.alerts | length > 0

- name: Reopen an alert by its id (an unknown id is reported in missing_alerts)
  utmstack.soc.utm_alert_status:
    alerts: [5f0b4c8e-1d2a-4c3b-9e8f-0a1b2c3d4e5f]
    status: open
"""

RETURN = r"""
changed_alerts:
  description: Ids of the listed alerts that were changed (or would be, in check mode).
  returned: always
  type: list
  elements: str
  sample: ["5f0b4c8e-1d2a-4c3b-9e8f-0a1b2c3d4e5f"]
unchanged_alerts:
  description: Ids of the listed alerts that already had the wanted state.
  returned: always
  type: list
  elements: str
  sample: ["6a1c5d9f-2e3b-4d4c-8f9a-1b2c3d4e5f60"]
missing_alerts:
  description: Ids of the listed alerts that do not exist on the server.
  returned: always
  type: list
  elements: str
  sample: []
changed_echoes:
  description: Ids of echo alerts, not listed, that changed because a listed parent was written (UTMStack 11).
  returned: always
  type: list
  elements: str
  sample: []
synced_incidents:
  description:
    - Ids of the incidents whose alert table was updated (or would be, in check mode).
    - Empty when O(sync_incident=false).
  returned: always
  type: list
  elements: int
  sample: [12]
alerts:
  description: The listed alerts that exist, as they are after the task, in the order given.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: The alert's UUID.
      type: str
      sample: 5f0b4c8e-1d2a-4c3b-9e8f-0a1b2c3d4e5f
    name:
      description: The name of the rule that raised the alert.
      type: str
      sample: Multiple failed logins
    status:
      description: The alert's status.
      type: str
      sample: completed
    observation:
      description: The alert's observation (status comment).
      type: str
      sample: Scheduled vulnerability scan from the SOC scanner
    tags:
      description: The alert's tags.
      type: list
      elements: str
      sample: ["False positive"]
  sample:
    - id: 5f0b4c8e-1d2a-4c3b-9e8f-0a1b2c3d4e5f
      name: Multiple failed logins
      status: completed
      observation: Scheduled vulnerability scan from the SOC scanner
      tags: ["False positive"]
diff:
  description: Status, observation and false-positive flag of each changed alert, before and after.
  returned: when changed and diff mode is on
  type: dict
  sample:
    before:
      5f0b4c8e-1d2a-4c3b-9e8f-0a1b2c3d4e5f: {status: open, observation: "", false_positive: false}
    after:
      5f0b4c8e-1d2a-4c3b-9e8f-0a1b2c3d4e5f: {status: completed, observation: Scanner, false_positive: true}
"""

from ansible_collections.utmstack.soc.plugins.module_utils import alert_plan, alerts, incidents, local_state, validation
from ansible_collections.utmstack.soc.plugins.module_utils.errors import UtmInputError
from ansible_collections.utmstack.soc.plugins.module_utils.runner import run_module
from ansible_collections.utmstack.soc.plugins.module_utils.vocabulary import ALERT_STATUS, STATUSES

ARGUMENT_SPEC = dict(
    alerts=dict(type="list", elements="str", required=True),
    status=dict(type="str", required=True, choices=list(STATUSES)),
    observation=dict(type="str"),
    false_positive=dict(type="bool", default=False),
    missing=dict(type="str", default="warn", choices=list(alert_plan.MISSING_POLICIES)),
    sync_incident=dict(type="bool", default=True),
)
# Checked with the options by both adapters (AnsibleModule and the action plugin).
ARGUMENT_CONSTRAINTS = dict()


def check(params):
    """The checked alert ids and status code; raises before any request."""
    ids = validation.check_alert_ids(params["alerts"], "alerts")
    if params["status"] not in ALERT_STATUS:
        raise UtmInputError("status must be one of %s" % ", ".join(STATUSES))
    if params["false_positive"] is True and params["status"] != "completed":
        raise UtmInputError("false_positive needs status completed: UTMStack only adds the "
                            "'False positive' tag when it completes an alert")
    return ids, ALERT_STATUS[params["status"]]


def run(client, params, check_mode):
    ids, code = check(params)
    with local_state.write_lock(client, check_mode):
        return ensure_status(client, ids, code, params, check_mode)


def ensure_status(client, ids, code, params, check_mode):
    # The echoes are read too: a write on a parent reaches them (v11), and their link rows
    # must follow.
    docs = alerts.get_with_echoes(client, ids)
    plan = alert_plan.plan_status(docs, ids, code, params["observation"], params["false_positive"] is True,
                                  echoes_follow=client.api_version >= 11)
    unused_found, unused_absent, warnings = alert_plan.split_missing(docs, ids, params["missing"], "handled")
    if not check_mode:
        alerts.write_status(client, plan["writes"], plan["tag"], plan["tag_writes"])
    synced = []
    if params["sync_incident"] is True:
        # Every listed alert's row is compared, not only the ones written now, so a rerun
        # mends a table an interrupted run left stale.
        stale = alert_plan.stale_links(incidents.list_links(client, alert_ids=list(docs)), plan["after"])
        synced = sorted(set(incident_id for incident_id, unused_code in stale))
        if not check_mode:
            incidents.sync_links(client, stale)
    result = dict(
        changed_alerts=plan["changed"],
        unchanged_alerts=plan["unchanged"],
        missing_alerts=plan["missing"],
        changed_echoes=plan["followed"],
        synced_incidents=synced,
        alerts=[alert_plan.summary(plan["after"][i]) for i in ids if i in plan["after"]],
    )
    if warnings:
        result["warnings"] = warnings
    touched = plan["changed"] + plan["followed"]
    if not touched and not synced:
        return False, result, None
    diff = dict(before=dict((i, alert_plan.status_state(docs[i])) for i in touched),
                after=dict((i, alert_plan.status_state(plan["after"][i])) for i in touched))
    if synced:
        diff["before"]["incident_alert_tables"] = "stale in incidents %s" % ", ".join(str(i) for i in synced)
        diff["after"]["incident_alert_tables"] = "in step with the alerts"
    return True, result, diff


def main():
    run_module(ARGUMENT_SPEC, run, supports_check_mode=True, **ARGUMENT_CONSTRAINTS)


if __name__ == "__main__":
    main()
