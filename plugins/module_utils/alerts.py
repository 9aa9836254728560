# -*- coding: utf-8 -*-
# Copyright: utmstack.soc contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Alert documents (they live in OpenSearch): lookup by id, status writes, incident flags."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.utmstack.soc.plugins.module_utils.client import MAX_PAGE_SIZE


def chunks(items, size):
    for start in range(0, len(items), size):
        yield items[start:start + size]


def ids_filter(ids):
    # Exact match needs the keyword sub-field: the analysed `id` splits a UUID at its dashes.
    return {"field": "id.keyword", "operator": "IS_ONE_OF_TERMS", "value": list(ids)}


def get_alerts(client, ids):
    """{id: document} for the ids that exist, one search per 2000 ids."""
    found = {}
    for chunk in chunks(list(ids), MAX_PAGE_SIZE):
        for doc in client.search([ids_filter(chunk)], limit=len(chunk)):
            found[doc.get("id")] = doc
    return found


def link_item(doc):
    """The alertList item the incident endpoints expect for one alert document."""
    return {
        "alertId": doc["id"],
        "alertName": doc.get("name") or "",
        "alertStatus": doc.get("status") or 2,
        "alertSeverity": doc.get("severity") or 1,
    }


def set_status(client, ids, code, observation, false_positive=False):
    """POST /api/utm-alerts/status in chunks. The server also updates echo alerts (parentId)."""
    for chunk in chunks(list(ids), MAX_PAGE_SIZE):
        body = {"alertIds": chunk, "status": code,
                # v11 answers 500 when statusObservation is null: always send a string.
                "statusObservation": observation if observation is not None else "",
                "addFalsePositiveTag": bool(false_positive)}
        client.post("/api/utm-alerts/status", body=body)


def flag_as_incident(client, ids, incident):
    """Mark alert documents as belonging to ``incident`` the way the UTMStack UI does.

    The server only flags documents not flagged yet and ignores unknown ids.
    """
    for chunk in chunks(list(ids), MAX_PAGE_SIZE):
        client.post("/api/utm-alerts/convert-to-incident", body={
            "eventIds": chunk,
            "incidentName": incident["incidentName"],
            "incidentId": incident["id"],
            "incidentSource": "INCIDENT",
        })
