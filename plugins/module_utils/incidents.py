# -*- coding: utf-8 -*-
# Copyright: utmstack.soc contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Incidents and their alert links (the UTMStack database side)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.utmstack.soc.plugins.module_utils.alerts import chunks
from ansible_collections.utmstack.soc.plugins.module_utils.errors import UtmInputError

INCIDENTS = "/api/utm-incidents"
LINKS = "/api/utm-incident-alerts"
# Alert ids travel in the query string (alertId.in=...); keep the request line well under
# the 8 KiB Tomcat accepts.
IDS_PER_QUERY = 100

# Every field of UtmIncident: change-status replaces the whole row, so each one is sent back.
INCIDENT_FIELDS = ("id", "incidentName", "incidentDescription", "incidentStatus", "incidentAssignedTo",
                   "incidentSeverity", "incidentCreatedDate", "incidentSolution")


def get_incident(client, incident_id):
    """The incident with this id, or None. (GET by id answers 500 for an unknown id.)"""
    rows = client.get(INCIDENTS, {"id.equals": incident_id}).json or []
    return rows[0] if rows else None


def find_by_name(client, name):
    """The incident named exactly ``name``, or None."""
    rows = client.get(INCIDENTS, {"incidentName.equals": name}).json or []
    if len(rows) > 1:
        raise UtmInputError("%d incidents are named %r (ids %s); use id" %
                            (len(rows), name, ", ".join(str(r["id"]) for r in rows)))
    return rows[0] if rows else None


def resolve(client, incident_id=None, incident_name=None):
    """The incident named by id or exact name; raises UtmInputError when it does not exist."""
    if incident_id is not None:
        incident = get_incident(client, incident_id)
        if incident is None:
            raise UtmInputError("there is no incident with id %s" % incident_id)
        return incident
    incident = find_by_name(client, incident_name)
    if incident is None:
        raise UtmInputError("there is no incident named %r" % (incident_name,))
    return incident


def links_of_incident(client, incident_id):
    return client.list_all(LINKS, {"incidentId.equals": incident_id})


def links_of_alerts(client, alert_ids):
    """{alert id: link row} for the alerts that belong to any incident."""
    links = {}
    for chunk in chunks(list(alert_ids), IDS_PER_QUERY):
        for row in client.list_all(LINKS, {"alertId.in": ",".join(chunk)}):
            links[row["alertId"]] = row
    return links


def create_incident(client, name, description, assigned_to, items):
    body = {"incidentName": name, "incidentDescription": description or "",
            "incidentAssignedTo": assigned_to, "alertList": items}
    return client.post(INCIDENTS, body=body).json


def add_alerts(client, incident_id, items):
    client.post(INCIDENTS + "/add-alerts", body={"incidentId": incident_id, "alertList": items})


def change_incident(client, incident, changes):
    """Write ``incident`` with ``changes`` applied through the full-object change-status PUT.

    Every field not in ``changes`` is sent back as read, so nothing is lost.
    """
    body = dict((field, incident.get(field)) for field in INCIDENT_FIELDS)
    body.update(changes)
    return client.put(INCIDENTS + "/change-status", body=body).json


def update_link_status(client, incident_id, alert_ids, code):
    """Keep utm_incident_alert in step after an alert status change, as the UI does."""
    for chunk in chunks(list(alert_ids), 2000):
        client.post(LINKS + "/update-status", body={"incidentId": incident_id, "alertIds": chunk, "status": code})


def delete_link(client, link_id):
    client.delete("%s/%s" % (LINKS, link_id))
