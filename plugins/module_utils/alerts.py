# -*- coding: utf-8 -*-
# Copyright: utmstack.soc contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Alert documents (they live in OpenSearch): lookup by id, status writes, incident flags."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.utmstack.soc.plugins.module_utils.client import MAX_PAGE_SIZE
from ansible_collections.utmstack.soc.plugins.module_utils.vocabulary import (
    FALSE_POSITIVE_TAG, alert_status_word)


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


# -- status: compare, plan and predict (pure, no requests) ----------------------------

def observation_of(doc):
    # A missing observation and "" are the same to the user (and v11 refuses null).
    return doc.get("statusObservation") or ""


def is_false_positive(doc):
    return FALSE_POSITIVE_TAG in (doc.get("tags") or [])


def status_state(doc):
    """The user-facing fields a status write can change, for diffs."""
    return {"status": alert_status_word(doc.get("status")),
            "observation": observation_of(doc),
            "false_positive": is_false_positive(doc)}


def summary(doc):
    """A short view of an alert document in the user's vocabulary."""
    return {"id": doc.get("id"),
            "name": doc.get("name"),
            "status": alert_status_word(doc.get("status")),
            "observation": observation_of(doc),
            "tags": list(doc.get("tags") or [])}


def _written(doc, code, observation, false_positive):
    """The document as the server leaves it after a status write that matched it."""
    after = dict(doc, status=code, statusObservation=observation)
    if false_positive and not is_false_positive(doc):
        after["tags"] = list(doc.get("tags") or []) + [FALSE_POSITIVE_TAG]
    return after


def _group(writes, observation, alert_id):
    for sent, ids in writes:
        if sent == observation:
            ids.append(alert_id)
            return
    writes.append((observation, [alert_id]))


def plan_status(docs, ids, code, observation=None, false_positive=False):
    """What must be written so every alert in ``ids`` has status ``code``.

    ``docs`` is {id: document} as read. ``observation`` None keeps each alert's own
    observation: the server replaces statusObservation on every write, so alerts are
    grouped by the observation to send back and each group is one write.

    The server also applies a write to the echoes of the alerts named (parentId), so
    parents are written first, then any listed echo that a parent's write left different
    from what was asked (for example with the parent's observation instead of its own).

    Returns a dict: ``changed`` / ``unchanged`` / ``missing`` id lists (order kept),
    ``status_changed`` (ids whose status code differs), ``writes`` as a list of
    (observation, [ids]) in the order to send, and ``after`` {id: predicted document}.
    """
    def target(doc):
        return observation if observation is not None else observation_of(doc)

    def differs(current, original):
        # ``original`` decides the observation wanted, ``current`` is what the server holds.
        return (current.get("status") != code or observation_of(current) != target(original)
                or (false_positive and not is_false_positive(current)))

    found = [i for i in ids if i in docs]
    changed = [i for i in found if differs(docs[i], docs[i])]
    after = dict((i, docs[i]) for i in found)
    writes = []
    for alert_id in changed:
        if not docs[alert_id].get("parentId"):
            _group(writes, target(docs[alert_id]), alert_id)
    sent_to = {}
    for sent, group in writes:
        for alert_id in group:
            sent_to[alert_id] = sent
            after[alert_id] = _written(docs[alert_id], code, sent, false_positive)
    echo_writes = []
    for alert_id in found:
        parent = docs[alert_id].get("parentId")
        if not parent:
            continue
        if parent in sent_to:
            after[alert_id] = _written(docs[alert_id], code, sent_to[parent], false_positive)
        if differs(after[alert_id], docs[alert_id]):
            # A listed echo: written after every parent so that its own values win.
            _group(echo_writes, target(docs[alert_id]), alert_id)
            after[alert_id] = _written(after[alert_id], code, target(docs[alert_id]), false_positive)
    changed_set = set(changed)
    return {
        "changed": changed,
        "unchanged": [i for i in found if i not in changed_set],
        "missing": [i for i in ids if i not in docs],
        "status_changed": [i for i in changed if docs[i].get("status") != code],
        "writes": writes + echo_writes,
        "after": after,
    }


def write_plan(client, plan, code, false_positive=False):
    """Send the writes of ``plan_status`` in order (each in chunks of 2000 ids)."""
    for observation, ids in plan["writes"]:
        set_status(client, ids, code, observation, false_positive)


def links_to_sync(links, ids, code):
    """{incident id: [alert ids]} whose link row does not show status ``code`` yet.

    ``links`` is {alert id: link row} (incidents.links_of_alerts).
    """
    stale = {}
    for alert_id in ids:
        row = links.get(alert_id)
        if row is not None and row.get("alertStatus") != code:
            stale.setdefault(row["incidentId"], []).append(alert_id)
    return stale
