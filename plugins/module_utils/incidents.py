# -*- coding: utf-8 -*-
# Copyright: utmstack.soc contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Incidents and their alert links (the UTMStack database side)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.utmstack.soc.plugins.module_utils import text_match
from ansible_collections.utmstack.soc.plugins.module_utils.alerts import chunks, link_item
from ansible_collections.utmstack.soc.plugins.module_utils.client import MAX_PAGE_SIZE
from ansible_collections.utmstack.soc.plugins.module_utils.errors import (
    UtmAnswerLost, UtmApiError, UtmError, UtmInputError, bounded, settle)

INCIDENTS = "/api/utm-incidents"
LINKS = "/api/utm-incident-alerts"
# Alert ids travel in the query string (alertId.in=...); keep the request line well under
# the 8 KiB Tomcat accepts.
IDS_PER_QUERY = 100
# Without a sort Postgres returns rows in any order, and pages may then overlap.
LINK_SORT = "id,asc"
# Read-modify-write rounds of change_incident before it reports a lost update.
LOST_UPDATE_ATTEMPTS = 3

# Every field of UtmIncident: change-status replaces the whole row, so each one is sent back.
INCIDENT_FIELDS = ("id", "incidentName", "incidentDescription", "incidentStatus", "incidentAssignedTo",
                   "incidentSeverity", "incidentCreatedDate", "incidentSolution")


def get_incident(client, incident_id):
    """The incident with this id, or None. (GET by id answers 500 for an unknown id.)"""
    rows = client.get(INCIDENTS, {"id.equals": incident_id}).rows()
    return rows[0] if rows else None


def find_by_name(client, name):
    """The incident named exactly ``name``, or None."""
    rows = client.get(INCIDENTS, {"incidentName.equals": name}).rows()
    if len(rows) > 1:
        raise UtmInputError("%d incidents are named %r (ids %s); use id" %
                            (len(rows), name, ", ".join(str(r.get("id")) for r in rows)))
    return rows[0] if rows else None


# Check mode runs every task of a play without writing, so a task that names an incident an
# earlier task of the same run would create finds nothing. It then works on this placeholder
# (id None) and says so, instead of failing where the real run would succeed.
NOT_CREATED_YET = ("incident %r does not exist yet; check mode assumes an earlier task of this run creates it")


def placeholder(name):
    """An incident that does not exist yet (id None), as check mode pictures it."""
    return dict(dict.fromkeys(INCIDENT_FIELDS), incidentName=name, incidentStatus="OPEN")


def resolve(client, incident_id=None, incident_name=None, check_mode=False):
    """The incident named by id or exact name; raises UtmInputError when it does not exist.

    In check mode an incident named (not numbered) that does not exist yet is returned as a
    placeholder with ``id`` None; see NOT_CREATED_YET.
    """
    if incident_id is not None:
        incident = get_incident(client, incident_id)
        if incident is None:
            raise UtmInputError("there is no incident with id %s" % incident_id)
        return incident
    incident = find_by_name(client, incident_name)
    if incident is None:
        if check_mode:
            return placeholder(incident_name)
        raise UtmInputError("there is no incident named %r" % (incident_name,))
    return incident


def list_incidents(client, criteria=None, limit=None, sort=None):
    """Incidents matching JHipster ``criteria`` (field.operator -> value), paged at 2000."""
    return client.list_all(INCIDENTS, criteria, limit=limit, sort=sort)


def similar_names(client, name):
    """Incidents named like ``name`` but for case or spaces: UTMStack keeps them apart, people rarely mean to."""
    piece = text_match.server_value(name, text_match.WORD_BREAKS)
    if piece is None:
        return []
    rows = list_incidents(client, {"incidentName.contains": piece})
    return [row for row in rows if row["incidentName"] != name and text_match.same_words(row["incidentName"], name)]


def check_name_free(client, name, own_id):
    """Raise when another incident already has ``name`` (the server answers a bare 500)."""
    other = find_by_name(client, name)
    if other is not None and other["id"] != own_id:
        raise UtmInputError("cannot rename incident %s to %r: incident %s already has that name (names are unique)"
                            % (own_id, name, other["id"]))


def list_links(client, incident_id=None, alert_ids=None, limit=None):
    """Link rows of one incident and/or of some alerts (no filter: every link), by link id."""
    base = {} if incident_id is None else {"incidentId.equals": incident_id}
    if alert_ids is None:
        return client.list_all(LINKS, base, limit=limit, sort=LINK_SORT)
    rows = []
    for chunk in chunks(list(alert_ids), IDS_PER_QUERY):
        left = None if limit is None else limit - len(rows)
        if left is not None and left < 1:
            break
        rows.extend(client.list_all(LINKS, dict(base, **{"alertId.in": ",".join(chunk)}), limit=left, sort=LINK_SORT))
    return sorted(rows, key=lambda row: row["id"])


def links_of_incident(client, incident_id):
    return list_links(client, incident_id=incident_id)


def links_of_alerts(client, alert_ids):
    """{alert id: link row} for the alerts that belong to any incident."""
    return dict((row["alertId"], row) for row in list_links(client, alert_ids=alert_ids))


def check_not_elsewhere(client, incident_id, links):
    """Raise naming the other incidents when a link row of ``links`` is not ``incident_id``'s.

    An alert belongs to one incident at most (unique alert_id); the server's 409 lists every
    requested id without saying where they are, so the conflict is found and named here.
    """
    others = {}
    for row in links.values():
        if row["incidentId"] != incident_id:
            others.setdefault(row["incidentId"], []).append(row["alertId"])
    if not others:
        return
    # Only on this failure path: one read for the names of the other incidents.
    names = dict((row["id"], row["incidentName"]) for row in
                 list_incidents(client, {"id.in": ",".join(str(i) for i in sorted(others))}))
    where = ["%s in incident %s (%r)" % (", ".join(sorted(ids)), other, names.get(other, "?"))
             for other, ids in sorted(others.items())]
    raise UtmInputError("an alert can belong to one incident only, and these already belong to another: %s; "
                        "remove them there first (utmstack.soc.utm_incident_alert with state=absent)" % "; ".join(where))


def docs_to_link(docs, alert_ids):
    """The alertList items for ``alert_ids`` from their documents; raises listing ids not found."""
    missing = [alert_id for alert_id in alert_ids if alert_id not in docs]
    if missing:
        raise UtmInputError("%d alert(s) not found in the alert index: %s" % (len(missing), bounded(", ".join(missing), 1000)))
    return [link_item(docs[alert_id]) for alert_id in alert_ids]


def create_incident(client, name, description, assigned_to, items):
    """POST the new incident; returns (incident, created by this call).

    Converges instead of failing when another run got there first (the server answers 500 for
    the duplicate name, 409 when the alerts were linked meanwhile) and when the answer was lost:
    in each case the incident is looked up by name.
    """
    body = {"incidentName": name, "incidentDescription": description or "",
            "incidentAssignedTo": assigned_to, "alertList": items}
    try:
        return client.post(INCIDENTS, body=body).object(), True
    except UtmAnswerLost:
        found = find_by_name(client, name)
        if found is not None:
            return found, True
        return client.post(INCIDENTS, body=body).object(), True
    except UtmApiError as exc:
        found = find_by_name(client, name) if exc.status in (409, 500) else None
        if found is None:
            raise
        return found, False


def add_alerts(client, incident_id, items):
    """Link ``items`` to the incident; returns the ids this call linked.

    After a lost answer or a 409 (another run linked some of them meanwhile) the links are read
    again: alerts now in this incident are done, the rest are sent once more, and alerts that
    went to another incident fail naming it. A 500 is read again too, as a run that linked the
    same alerts between the server's check and its insert breaks the unique alert index; it is
    raised as it came when none of the alerts is linked now.
    """
    if not items:
        return []
    try:
        client.post(INCIDENTS + "/add-alerts", body={"incidentId": incident_id, "alertList": items})
        return [item["alertId"] for item in items]
    except UtmApiError as exc:
        if not isinstance(exc, UtmAnswerLost) and exc.status not in (409, 500):
            raise
        links = links_of_alerts(client, [item["alertId"] for item in items])
        if exc.status == 500 and not links:
            raise
    check_not_elsewhere(client, incident_id, links)
    left = [item for item in items if item["alertId"] not in links]
    if left:
        client.post(INCIDENTS + "/add-alerts", body={"incidentId": incident_id, "alertList": left})
    return [item["alertId"] for item in left]


def _applied(incident, changes):
    return incident is not None and all(incident.get(field) == value for field, value in changes.items())


def change_incident(client, incident, changes):
    """Write ``incident`` with ``changes`` applied through the full-object change-status PUT.

    Every field not in ``changes`` is sent back as read, so nothing is lost. The row is read
    again afterwards: when another writer's PUT replaced it meanwhile and dropped one of
    ``changes`` (a lost update), the write is redone on the fresh row, a few times at most.
    Returns the incident as saved.
    """
    for unused_attempt in range(LOST_UPDATE_ATTEMPTS):
        body = dict((field, incident.get(field)) for field in INCIDENT_FIELDS)
        body.update(changes)
        settle(lambda: client.put(INCIDENTS + "/change-status", body=body),
               lambda: _applied(get_incident(client, body["id"]), changes))
        incident = get_incident(client, body["id"])
        if _applied(incident, changes):
            return incident
    raise UtmError("incident %s: another writer kept replacing it while this task set %s (%d attempts); rerun the "
                   "task" % (body["id"], ", ".join(sorted(changes)), LOST_UPDATE_ATTEMPTS))


def update_link_status(client, incident_id, alert_ids, code):
    """Keep utm_incident_alert in step after an alert status change, as the UI does."""
    for chunk in chunks(list(alert_ids), MAX_PAGE_SIZE):
        body = {"incidentId": incident_id, "alertIds": chunk, "status": code}
        # Resending would add a second history row: re-read and resend only what is still stale.
        settle(lambda: client.post(LINKS + "/update-status", body=body),
               lambda: all(row.get("alertStatus") == code for row in list_links(client, alert_ids=chunk)))


def sync_links(client, stale):
    """Send alert_plan.stale_links' groups; returns the incident ids whose alert table changed."""
    for (incident_id, code), alert_ids in sorted(stale.items()):
        update_link_status(client, incident_id, alert_ids, code)
    return sorted(set(incident_id for incident_id, unused_code in stale))


def delete_link(client, link_id, alert_id):
    """Delete one link row; a row already gone (lost answer, another run) counts as deleted."""
    try:
        client.delete("%s/%s" % (LINKS, link_id))
    except UtmApiError as exc:
        if not isinstance(exc, UtmAnswerLost) and exc.status != 500:
            raise
        if any(row["id"] == link_id for row in list_links(client, alert_ids=[alert_id])):
            if isinstance(exc, UtmAnswerLost):
                client.delete("%s/%s" % (LINKS, link_id))
            else:
                raise
