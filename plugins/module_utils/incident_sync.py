# -*- coding: utf-8 -*-
# Copyright: utmstack.soc contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Incident writes that keep the alerts in step: triage, flags and the incident's alert table.

The server's change-status PUT pushes the incident status onto every linked alert (and v11
echoes) and replaces their observations; its link rows are a copy of the alert status that
only the client keeps current; its flag on the alert documents is set only by a separate call.
Each function here reads nothing itself: the modules read once and hand the documents and
rows over, so a rerun plans from what the server holds now and repairs what an interrupted
run left.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.utmstack.soc.plugins.module_utils import alert_plan, alerts, incidents, local_state


def journal(client, incident_id):
    return local_state.Journal("triage", client.base_url, incident_id)


def read_for_push(client, linked):
    """The documents a change-status PUT reaches: the linked alerts and their echoes."""
    return alerts.get_with_echoes(client, linked)


def write_incident(client, incident, changes, docs, linked, keep_false_positives, check_mode):
    """PUT ``changes`` and give back the triage the push took that the user did not ask to change.

    ``docs`` are the documents of ``linked`` (the incident's alerts once this task has linked
    its new ones) and of their echoes, read before the PUT. Returns (incident as saved, push
    plan of alert_plan.plan_push). The restore is journaled before the PUT, and the journal is
    closed only once the link rows are synced too (sync_incident_rows), so a run cut off anywhere
    after the PUT is finished by the next run on this host.
    """
    after = dict(incident, **changes)
    plan = alert_plan.plan_push(docs, linked, alert_plan.incident_alert_code(after["incidentStatus"]),
                                after.get("incidentSolution"), "incidentStatus" in changes, keep_false_positives,
                                echoes_follow=client.api_version >= 11)
    if check_mode:
        return after, plan
    journal(client, incident["id"]).save({"incident": incident["id"], "wanted": plan["wanted"]})
    saved = incidents.change_incident(client, incident, changes)
    alerts.write_status(client, plan["writes"])
    return saved, plan


def new_rows(incident_id, docs, ids):
    """The link rows add-alerts or create makes for ``ids`` (as the module sends them)."""
    return [dict(alerts.link_item(docs[i]), incidentId=incident_id) for i in ids if i in docs]


def echo_rows(client, docs, linked):
    """The link rows of the echoes in ``docs`` (the documents a push reaches beyond ``linked``).

    The push moves an echo with its parent, but the server updates only the rows of the linked
    alerts: an echo that belongs to another incident leaves that incident's row to be synced.
    """
    echoes = [alert_id for alert_id in docs if alert_id not in set(linked)]
    return incidents.list_links(client, alert_ids=echoes) if echoes else []


def pushed_rows(rows, incident_id, status):
    """The link rows as change-status leaves them: this incident's rows take the new status."""
    code = alert_plan.incident_alert_code(status)
    return [dict(row, alertStatus=code) if row["incidentId"] == incident_id else row for row in rows]


def finish_journal(client, incident_id, check_mode):
    """Finish a triage restore an earlier run on this host left undone.

    Returns (ids it mends, the journaled documents as they are then, whether an incident write
    was left unfinished); the caller then syncs the link rows and closes the journal
    (sync_incident_rows).
    """
    pending = journal(client, incident_id).load()
    if not pending:
        return [], {}, False
    wanted = dict((alert_id, tuple(value)) for alert_id, value in pending["wanted"].items())
    docs = alerts.get_alerts(client, list(wanted))
    wanted = dict((alert_id, value) for alert_id, value in wanted.items() if alert_id in docs)
    writes, after = alert_plan.plan_writes(docs, wanted, client.api_version >= 11)
    if not check_mode:
        alerts.write_status(client, writes)
    return [alert_id for alert_id in wanted if after[alert_id] != docs[alert_id]], after, True


def sync_rows(client, rows, docs, check_mode):
    """Bring link rows whose status is not their document's in step; returns the alert ids synced."""
    stale = alert_plan.stale_links(rows, docs)
    if not check_mode:
        incidents.sync_links(client, stale)
    return sorted(alert_id for ids in stale.values() for alert_id in ids)


def sync_incident_rows(client, incident_id, rows, docs, check_mode):
    """sync_rows after an incident write, then close the incident's journal: the write is complete."""
    synced = sync_rows(client, rows, docs, check_mode)
    if not check_mode:
        journal(client, incident_id).clear()
    return synced


def repair_flags(client, incident, docs, ids, check_mode):
    """Flag the documents of ``ids`` that convert-to-incident has not marked yet.

    Returns (flagged ids, warnings) — a document flagged for another incident cannot be
    unflagged through the API, so it is reported, not changed.
    """
    unflagged, elsewhere = alert_plan.flags_to_repair(docs, ids, incident["id"])
    if unflagged and not check_mode:
        alerts.flag_as_incident(client, unflagged, incident)
    warnings = []
    if elsewhere:
        warnings.append("%d alert(s) of incident %s are flagged in the alert index for another incident (%s); UTMStack "
                        "cannot unflag an alert, so its console shows them under that one"
                        % (len(elsewhere), incident["id"], ", ".join(elsewhere[:20])))
    return unflagged, warnings
