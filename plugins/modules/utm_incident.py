#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: utmstack.soc contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: utm_incident
short_description: Make sure a UTMStack incident exists with the given fields and alerts
version_added: 0.1.0
author: utmstack.soc contributors (@utmstack)
description:
  - Makes sure an incident of the UTMStack SIEM exists with the name, description, assignee, status,
    solution and alerts you give, changing only what differs.
  - An incident that does not exist yet is created from its alerts, the way the UTMStack console does it.
  - Alerts are only ever added to the incident; to take alerts out of an incident use M(utmstack.soc.utm_incident_alert).
  - UTMStack has no way to delete an incident, so this module has no O(ignore:state) option.
extends_documentation_fragment:
  - utmstack.soc.connection
  - utmstack.soc.attributes
  - utmstack.soc.attributes.missing_alerts
attributes:
  check_mode:
    description: Reads everything a real run reads, sends no change, and reports the same C(changed) and predicted incident.
    support: full
  diff_mode:
    description: Shows the name, description, status, assignee, solution and (when O(alerts) is set) alert ids before and after.
    support: full
options:
  id:
    description:
      - The number UTMStack gave the incident.
      - When set, the incident must already exist, because UTMStack chooses the numbers of new incidents itself.
      - With O(id), a different O(name) renames the incident.
    type: int
  name:
    description:
      - The exact name of the incident. Without O(id), this is how the incident is found; when no incident has
        this name, a new one is created.
      - Names are unique in UTMStack, at most 250 characters long, and may not contain a double quote.
    type: str
  description:
    description:
      - What the incident is about, at most 2000 characters.
      - A new incident gets an empty description when this is not set.
    type: str
  assigned_to:
    description:
      - Who handles the incident. The UTMStack console expects the numeric ids of its users, comma-separated,
        such as C("1") or C("1,3"); its list of assignees fails on any other text.
      - Any other text is stored as given, with a warning.
      - An empty string removes the assignment.
    type: str
  status:
    description:
      - The status the incident should have.
      - UTMStack copies the incident status onto every alert of the incident each time the incident is written,
        see the notes.
    type: str
    choices: [open, in_review, completed]
  reopen:
    description:
      - UTMStack lets any status follow any other. By default this module only moves an incident forward
        (V(open), then V(in_review), then V(completed)), so that rerunning an earlier step of a runbook never undoes
        a later one; a O(status) that would move the incident back is left as is, with a warning.
      - Set to V(true) to move an incident back, for example to reopen a completed incident.
    type: bool
    default: false
  solution:
    description:
      - How the incident was resolved, at most 1000 characters.
      - When the incident is completed, UTMStack also records the solution in the incident history, which limits it
        to about 930 characters.
      - An empty string removes the solution.
    type: str
  alerts:
    description:
      - Ids (UUIDs) of alerts that must belong to the incident. Alerts missing from the incident are added to it;
        alerts of the incident not listed here stay where they are.
      - Needed to create an incident, because UTMStack creates incidents only from alerts.
      - An empty list asks for nothing more than an existing incident, so a search that found no new alerts can
        feed this option as it is; an incident that does not exist yet fails, as it cannot be created from no alerts.
      - None may belong to another incident (an alert belongs to one incident at most); otherwise the task fails
        before changing anything and names the other incident. Alerts that do not exist are handled as O(missing)
        says.
    type: list
    elements: str
  flag_alerts:
    description:
      - After adding alerts to the incident, mark the alerts themselves as part of the incident (C(isIncident) and
        C(incidentDetail) in the alert index), as the UTMStack console does, so that the console shows them as
        incident alerts and does not offer them for another incident.
      - Set to V(false) to link the alerts without marking them, as UTMStack's own SOC-AI does.
    type: bool
    default: true
  keep_false_positives:
    description:
      - When the task changes the incident's status, its alerts follow it (UTMStack's rule), except alerts tagged
        C(False positive), which keep their status and observation.
      - Set to V(false) to move the false positives with the others.
    type: bool
    default: true
notes:
  - Every write of an incident (a change of name, description, assignee, status or solution) makes UTMStack set
    the incident's status on all of its alerts and their echoes, and the incident's solution (or the text C(null))
    as their status observation. This module then gives back what the task did not ask to change, so the
    analysts' triage is never lost. A write that changes only other fields leaves every alert's status,
    observation and tags as they were. A status change moves the alerts (and their echoes) to the new status with
    the solution as observation, except false positives (see O(keep_false_positives)). Both show in RV(diff)
    and in RV(alerts_followed) and RV(alerts_restored).
  - The triage to give back is written to a journal on the host that runs the task (the directory
    E(UTMSTACK_STATE_DIR), by default C(~/.ansible/utmstack.soc)) before the incident is written, and kept until the
    incident's alert table is in step with the alerts, so a run cut off anywhere in between is finished by the next
    run there.
  - Reruns repair what an interrupted run left. With O(alerts), the task reads the listed alerts' documents and
    flags those not flagged yet, and it brings link rows whose status differs from their document in step.
    An alert flagged for another incident cannot be unflagged through the API; it is reported in a warning.
  - Write tasks against one server take turns on the host that runs them (a file lock), so forks of one play
    cannot lose each other's changes. A conflict with another writer (an incident of the same name created
    meanwhile, alerts linked meanwhile) is read again and converges. After the write the incident is read again, and
    when another writer's full replace dropped a field this task set, the write is redone, three times at most.
  - The severity of a new incident is the highest severity of its alerts. UTMStack does not change it when alerts
    are added later.
  - A task that finds nothing to change sends one read, or three when O(alerts) is set (the incident, its links,
    the listed alerts).
  - In check mode, an incident named (not numbered) in this task that does not exist yet is taken to be created by an earlier task
    of the same run; the task reports the change it would make, with a warning, instead of failing.
seealso:
  - module: utmstack.soc.utm_incident_info
  - module: utmstack.soc.utm_incident_alert
  - module: utmstack.soc.utm_incident_note
"""

EXAMPLES = r"""
- name: Open an incident for two SSH brute-force alerts
  utmstack.soc.utm_incident:
    name: INC-2026-0042 SSH brute force on web-prod-01
    description: Repeated SSH login failures from one external address.
    alerts:
      - 4ce15c61-aa03-46d9-ab8c-82f1c3dd75f6
      - 5ead703a-84c4-4877-9785-37a368e58909
    assigned_to: "1"
  register: incident

- name: Put it in review
  utmstack.soc.utm_incident:
    id: "{{ incident.incident.id }}"
    status: in_review

- name: Complete it with the solution
  utmstack.soc.utm_incident:
    id: "{{ incident.incident.id }}"
    status: completed
    solution: Address blocked at the firewall and the account's password reset.
"""

RETURN = r"""
incident:
  description:
    - The incident after the task, as UTMStack returns it. In check mode, the incident as it would be; a new
      incident then has no id or creation date yet.
  returned: always
  type: dict
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
      sample: IN_REVIEW
    incidentAssignedTo:
      description: The assignee, or null.
      type: str
      sample: "1"
    incidentSeverity:
      description: Severity, 1 (low) to 3 (high), the highest of the alerts it was created with.
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
      sample: in_review
    severity:
      description: The severity in words (V(low), V(medium), V(high)), beside the API's number.
      type: str
      sample: high
created:
  description: Whether the task created the incident (or would have, in check mode).
  returned: always
  type: bool
  sample: false
missing_alerts:
  description: Ids of the listed alerts that do not exist on the server (left out, see O(missing)).
  returned: always
  type: list
  elements: str
  sample: []
alerts_added:
  description: Ids of the alerts the task added to the incident (or would add, in check mode).
  returned: always
  type: list
  elements: str
  sample: ["f9c4b930-b21b-4c2e-8f61-a1bcacb70dd8"]
alerts_flagged:
  description: Ids of the alerts whose documents the task flagged as incident alerts (new ones and repaired ones).
  returned: always
  type: list
  elements: str
  sample: ["f9c4b930-b21b-4c2e-8f61-a1bcacb70dd8"]
alerts_restored:
  description: Ids of the alerts (and echoes) whose triage the task gave back after UTMStack's status push.
  returned: always
  type: list
  elements: str
  sample: ["f9c4b930-b21b-4c2e-8f61-a1bcacb70dd8"]
alerts_followed:
  description: Ids of the alerts (and echoes) that took the incident's new status and solution.
  returned: always
  type: list
  elements: str
  sample: []
links_synced:
  description: Ids of the alerts whose row in the incident's alert table was brought in step with the alert.
  returned: always
  type: list
  elements: str
  sample: []
diff:
  description:
    - The incident before and after the task in this module's words (C(name), C(description), C(status),
      C(assigned_to), C(solution), and C(alerts) when O(alerts) is set). C(before) is empty for a new incident.
    - C(alert_triage) shows status, observation and false-positive flag of the alerts that follow a status change;
      C(alert_triage_kept) lists the alerts whose triage was given back.
  returned: always
  type: dict
  sample:
    before: {name: INC-7, description: "", status: open, assigned_to: null, solution: null}
    after: {name: INC-7, description: "", status: in_review, assigned_to: null, solution: null}
"""

from ansible_collections.utmstack.soc.plugins.module_utils import (
    alert_plan, incident_state, incident_sync, incidents, local_state, validation, vocabulary)
from ansible_collections.utmstack.soc.plugins.module_utils import alerts as alerts_module
from ansible_collections.utmstack.soc.plugins.module_utils.errors import UtmInputError
from ansible_collections.utmstack.soc.plugins.module_utils.runner import run_module
from ansible_collections.utmstack.soc.plugins.module_utils.vocabulary import STATUSES

ARGUMENT_SPEC = dict(
    id=dict(type="int"),
    name=dict(type="str"),
    description=dict(type="str"),
    assigned_to=dict(type="str"),
    status=dict(type="str", choices=list(STATUSES)),
    solution=dict(type="str"),
    alerts=dict(type="list", elements="str"),
    flag_alerts=dict(type="bool", default=True),
    reopen=dict(type="bool", default=False),
    keep_false_positives=dict(type="bool", default=True),
    missing=dict(type="str", default="warn", choices=list(alert_plan.MISSING_POLICIES)),
)
# Checked with the options by both adapters (AnsibleModule and the action plugin).
ARGUMENT_CONSTRAINTS = dict(required_one_of=[("id", "name")])


def check_input(params):
    """All the input checks, before any request. Returns the de-duplicated alert ids or None."""
    validation.check_positive_id("id", params.get("id"))
    if params.get("id") is None and params.get("name") is None:
        raise UtmInputError("one of id or name is required")
    if params.get("name") is not None:
        validation.check_incident_name(params["name"])
    validation.check_length("description", params.get("description"), validation.MAX_DESCRIPTION)
    validation.check_solution(params.get("solution"), params.get("status") == "completed")
    if params.get("alerts") is None:
        return None
    return validation.check_alert_ids(params["alerts"])


def run(client, params, check_mode):
    alerts = check_input(params)
    with local_state.write_lock(client, check_mode):
        if params.get("id") is not None:
            incident = incidents.get_incident(client, params["id"])
            if incident is None:
                raise UtmInputError("there is no incident with id %s; UTMStack numbers new incidents itself, so give "
                                    "name (and alerts) to create one" % params["id"])
        else:
            incident = incidents.find_by_name(client, params["name"])
        if incident is None:
            changed, result, diff = ensure_created(client, params, alerts, check_mode)
        else:
            changed, result, diff = ensure_present(client, incident, params, alerts, check_mode)
    warnings = incident_state.assignee_warnings(params.get("assigned_to"))
    if warnings:
        result["warnings"] = result.get("warnings", []) + warnings
    return changed, result, diff


def _result(incident, created, added=(), flagged=(), restored=(), followed=(), synced=(), warnings=(), absent=()):
    result = dict(incident=vocabulary.incident_words(incident), created=created, missing_alerts=list(absent),
                  alerts_added=list(added), alerts_flagged=list(flagged), alerts_restored=list(restored),
                  alerts_followed=list(followed), links_synced=list(synced))
    if warnings:
        result["warnings"] = list(warnings)
    return result


def _triage_diff(diff, docs, plan):
    """Add the alert triage a status push changes (or gives back) to the task's diff."""
    if plan and (plan["followed"] or plan["kept"]):
        ids = plan["followed"]
        diff["before"]["alert_triage"] = dict((i, alert_plan.status_state(docs[i])) for i in ids)
        diff["after"]["alert_triage"] = dict((i, alert_plan.status_state(plan["after"][i])) for i in ids)
        if plan["kept"]:
            diff["after"]["alert_triage_kept"] = sorted(plan["kept"])
    return diff


SIMILAR_NAME = ("incident %r (id %s) differs from the name %r only in case or spaces; UTMStack tells such names apart, so "
                "this is a new incident (give that exact name or its id to work on the existing one)")


def _created_meanwhile(client, name, alerts):
    """The incident another run made from these alerts since the lookup, or None; raises if they belong elsewhere."""
    links = incidents.links_of_alerts(client, alerts)
    if links:
        made = incidents.find_by_name(client, name)
        if made is not None:
            return made
    incidents.check_not_elsewhere(client, None, links)
    return None


def ensure_created(client, params, alerts, check_mode):
    if not alerts and check_mode:
        incident = incidents.placeholder(params["name"])
        incident.update(incident_state.field_changes(incident, params))
        return True, _result(incident, True, warnings=[incidents.NOT_CREATED_YET % params["name"]]), \
            dict(before={}, after=incident_state.user_view(incident))
    if not alerts:
        raise UtmInputError("incident %r does not exist; give alerts to create it (UTMStack creates incidents "
                            "only from alerts%s)" % (params["name"], "; alerts is empty" if alerts == [] else ""))
    made = _created_meanwhile(client, params["name"], alerts)
    if made is not None:
        return ensure_present(client, made, params, alerts, check_mode)
    warnings = [SIMILAR_NAME % (row["incidentName"], row["id"], params["name"])
                for row in incidents.similar_names(client, params["name"])]
    docs = alerts_module.get_alerts(client, alerts)
    alerts, absent, missing_warnings = alert_plan.split_missing(docs, alerts, params["missing"], "linked")
    if not alerts:
        raise UtmInputError("incident %r does not exist and none of the listed alerts exist on the server: %s "
                            "(UTMStack creates incidents only from alerts)" % (params["name"], ", ".join(absent[:5])))
    warnings.extend(missing_warnings)
    items = incidents.docs_to_link(docs, alerts)
    incident = incident_state.new_incident(params, items)
    # Creation always gives status open and no solution: anything else takes one status write.
    changes = incident_state.field_changes(incident, params)
    if changes:
        docs.update(alerts_module.get_echoes(client, alerts))
    if not check_mode:
        # What the server answers wins; a field it leaves out keeps the value sent, so the status
        # write below cannot blank it.
        made, created = incidents.create_incident(client, params["name"], params.get("description"),
                                                  incident["incidentAssignedTo"], items)
        if not created:
            # Another run created it meanwhile: carry on as a rerun would.
            return ensure_present(client, made, params, alerts, check_mode)
        incident = dict(incident, **made)
    flagged = alerts if params["flag_alerts"] else []
    if flagged and not check_mode:
        alerts_module.flag_as_incident(client, flagged, incident)
    plan = None
    synced = []
    if changes:
        incident, plan = incident_sync.write_incident(client, incident, changes, docs, alerts,
                                                      params["keep_false_positives"], check_mode)
        rows = incident_sync.pushed_rows(incident_sync.new_rows(incident["id"], docs, alerts), incident["id"],
                                         incident["incidentStatus"]) + incident_sync.echo_rows(client, docs, alerts)
        synced = incident_sync.sync_incident_rows(client, incident["id"], rows, plan["after"], check_mode)
    diff = dict(before={}, after=incident_state.user_view(incident, alerts))
    return True, _result(incident, True, added=alerts, flagged=flagged, restored=plan["kept"] if plan else (),
                         followed=plan["followed"] if plan else (), synced=synced, warnings=warnings,
                         absent=absent), \
        _triage_diff(diff, docs, plan)


def ensure_present(client, incident, params, alerts, check_mode):
    warnings = []
    held_back = incident_state.backward_status(incident, params)
    if held_back:
        warnings.append("incident %r is %s; status %s would move it back, so it is left as is (set reopen=true to "
                        "move it back)" % (incident["incidentName"], vocabulary.incident_status_word(
                            incident["incidentStatus"]), held_back))
        params = dict(params, status=None)
    changes = incident_state.field_changes(incident, params)
    after = dict(incident, **changes)
    if changes and after["incidentStatus"] == "COMPLETED":
        # Each write of a completed incident copies its solution into a history row of limited size.
        validation.check_solution(after.get("incidentSolution"), True)
    if "incidentName" in changes:
        incidents.check_name_free(client, changes["incidentName"], incident["id"])
    restored, journal_docs, unfinished = incident_sync.finish_journal(client, incident["id"], check_mode)
    rows = []
    if alerts is not None or changes or unfinished:
        rows = incidents.links_of_incident(client, incident["id"])
    current = [row["alertId"] for row in rows]
    missing = [alert_id for alert_id in alerts or () if alert_id not in set(current)]
    if missing:
        incidents.check_not_elsewhere(client, incident["id"], incidents.links_of_alerts(client, missing))
    linked = current + missing
    # The documents this task's promise rests on: the listed alerts (to link and flag them),
    # and every linked alert with its echoes when the PUT below will push onto them.
    docs = incident_sync.read_for_push(client, linked) if changes else \
        alerts_module.get_alerts(client, alerts) if alerts else {}
    docs.update(journal_docs)
    missing, absent, missing_warnings = alert_plan.split_missing(docs, missing, params["missing"], "linked")
    warnings.extend(missing_warnings)
    alerts = None if alerts is None else [alert_id for alert_id in alerts if alert_id not in absent]
    linked = current + missing
    added = []
    if missing:
        items = incidents.docs_to_link(docs, missing)
        added = missing if check_mode else incidents.add_alerts(client, incident["id"], items)
    flagged = []
    if alerts is not None and params["flag_alerts"]:
        # Flag with the name the incident has once this task is done.
        flagged, flag_warnings = incident_sync.repair_flags(client, after, docs, alerts, check_mode)
        warnings.extend(flag_warnings)
    rows = rows + incident_sync.new_rows(incident["id"], docs, missing)
    plan = None
    if changes:
        after, plan = incident_sync.write_incident(client, incident, changes, docs, linked,
                                                   params["keep_false_positives"], check_mode)
        rows = incident_sync.pushed_rows(rows, incident["id"], after["incidentStatus"]) + \
            incident_sync.echo_rows(client, docs, linked)
        docs = dict(docs, **plan["after"])
    synced = incident_sync.sync_incident_rows(client, incident["id"], rows, docs, check_mode)
    diff = dict(before=incident_state.user_view(incident, None if alerts is None else current),
                after=incident_state.user_view(after, None if alerts is None else linked))
    result = _result(after, False, added=added, flagged=flagged, restored=sorted(set(restored) | set(plan["kept"] if plan else ())),
                     followed=plan["followed"] if plan else (), synced=synced, warnings=warnings, absent=absent)
    changed = bool(changes or added or flagged or restored or synced)
    return changed, result, _triage_diff(diff, docs, plan)


def main():
    run_module(ARGUMENT_SPEC, run, supports_check_mode=True, **ARGUMENT_CONSTRAINTS)


if __name__ == "__main__":
    main()
