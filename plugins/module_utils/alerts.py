# -*- coding: utf-8 -*-
# Copyright: utmstack.soc contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Alert documents (they live in OpenSearch): lookup by id, status and tag writes, incident flags.

The plans these writes carry out are made in alert_plan (pure)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.utmstack.soc.plugins.module_utils.client import MAX_PAGE_SIZE
from ansible_collections.utmstack.soc.plugins.module_utils.errors import settle


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


def echoes_filter(ids):
    return {"field": "parentId.keyword", "operator": "IS_ONE_OF_TERMS", "value": list(ids)}


def get_echoes(client, ids):
    """{id: document} of the echoes of ``ids`` (alerts whose parentId is one of them).

    v10 writes never reach echoes, so there they do not matter and are not read.
    """
    found = {}
    if client.api_version < 11:
        return found
    for chunk in chunks(list(ids), MAX_PAGE_SIZE):
        for doc in client.search([echoes_filter(chunk)]):
            found[doc.get("id")] = doc
    return found


def get_with_echoes(client, ids):
    """The documents of ``ids`` and of their echoes: everything a status write on ``ids`` reaches."""
    docs = get_alerts(client, ids)
    docs.update((i, doc) for i, doc in get_echoes(client, list(docs)).items() if i not in docs)
    return docs


def link_item(doc):
    """The alertList item the incident endpoints expect for one alert document."""
    return {
        "alertId": doc["id"],
        "alertName": doc.get("name") or "",
        "alertStatus": doc.get("status") or 2,
        "alertSeverity": doc.get("severity") or 1,
    }


def set_status(client, ids, code, observation, false_positive=False):
    """POST /api/utm-alerts/status in chunks. On v11 the server also updates echo alerts (parentId)."""
    for chunk in chunks(list(ids), MAX_PAGE_SIZE):
        body = {"alertIds": chunk, "status": code,
                # v11 answers 500 when statusObservation is null: always send a string.
                "statusObservation": observation if observation is not None else ""}
        if client.api_version >= 11:
            # v10 has no such field (and no other way to tag in the same write).
            body["addFalsePositiveTag"] = bool(false_positive)
        settle(lambda: client.post("/api/utm-alerts/status", body=body))


def set_tags(client, ids, tags):
    """POST /api/utm-alerts/tags: replaces the tags of exactly these alerts (no echoes)."""
    for chunk in chunks(list(ids), MAX_PAGE_SIZE):
        body = {"alertIds": chunk, "tags": list(tags), "createRule": False}
        settle(lambda: client.post("/api/utm-alerts/tags", body=body))


def write_status(client, writes, tag=False, tag_writes=()):
    """Send the writes of alert_plan (status writes in order, then v10 tag writes)."""
    for code, observation, ids in writes:
        set_status(client, ids, code, observation, tag)
    for tags, ids in tag_writes:
        set_tags(client, ids, tags)


def flag_as_incident(client, ids, incident):
    """Mark alert documents as belonging to ``incident`` the way the UTMStack UI does.

    The server only flags documents not flagged yet and ignores unknown ids. Like the status
    and tag writes, it sets values, so it is simply sent again after a lost answer.
    """
    for chunk in chunks(list(ids), MAX_PAGE_SIZE):
        body = {"eventIds": chunk, "incidentName": incident["incidentName"], "incidentId": incident["id"],
                "incidentSource": "INCIDENT"}
        settle(lambda: client.post("/api/utm-alerts/convert-to-incident", body=body))
