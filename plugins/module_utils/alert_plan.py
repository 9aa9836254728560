# -*- coding: utf-8 -*-
# Copyright: utmstack.soc contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Alert triage as data: what a status write does to the documents, and what to send.

No requests here: every function takes documents ({id: document} as searched) and returns
plans, so the echo and push rules of the server are unit-tested alone.

Two server rules shape everything:
- a status write (and the incident change-status push) also applies to the echoes of the
  alerts named, the alerts whose ``parentId`` is one of them (v11; v10 matches ``id`` only);
- every write replaces ``statusObservation``, so each alert's own observation is sent back,
  grouped: one write per distinct (status, observation).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.utmstack.soc.plugins.module_utils.errors import UtmInputError
from ansible_collections.utmstack.soc.plugins.module_utils.vocabulary import (
    ALERT_STATUS, FALSE_POSITIVE_TAG, INCIDENT_STATUS_WORD, alert_status_word)

# What a task does with listed alerts the server does not have (the modules' option ``missing``).
MISSING_POLICIES = ("fail", "warn", "ignore")


def split_missing(docs, ids, policy, done):
    """``(ids found in docs, ids not found, warnings)``; raises with ``policy`` fail, before any write.

    ``done`` says in the warning what happened to the others ("handled", "linked").
    """
    found = [alert_id for alert_id in ids if alert_id in docs]
    absent = [alert_id for alert_id in ids if alert_id not in docs]
    if not absent or policy == "ignore":
        return found, absent, []
    sample = ", ".join(absent[:5]) + (" and %d more" % (len(absent) - 5) if len(absent) > 5 else "")
    text = "%d of the listed alerts do not exist on the server: %s (all in missing_alerts)" % (len(absent), sample)
    if policy == "fail":
        raise UtmInputError(text + "; nothing was written (missing=fail)")
    return found, absent, [text + "; the others were %s (set missing=fail to stop, missing=ignore to silence "
                                  "this)" % done]


def observation_of(doc):
    # A missing observation and "" are the same to the user (and v11 refuses null).
    return doc.get("statusObservation") or ""


def is_false_positive(doc):
    return FALSE_POSITIVE_TAG in (doc.get("tags") or [])


def triage(doc):
    """(status code, observation): what a status write sets."""
    return (doc.get("status"), observation_of(doc))


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


def with_tag(doc):
    return dict(doc, tags=list(doc.get("tags") or []) + [FALSE_POSITIVE_TAG])


def _written(doc, code, observation, tag):
    after = dict(doc, status=code, statusObservation=observation)
    return with_tag(after) if tag and not is_false_positive(doc) else after


def plan_writes(docs, wanted, echoes_follow, tag=False):
    """The status writes that take ``docs`` to ``wanted`` {id: (code, observation)}.

    ``docs`` holds every document a write may reach (the alerts and their echoes).
    ``tag``: each write also adds the false-positive tag (v11's addFalsePositiveTag),
    and an alert of ``wanted`` without it counts as different.
    Parents go first; an echo that is itself in ``wanted`` goes in a second round, after its
    parent's write has reached it, so that its own values win.

    Returns ``(writes, after)``: ``writes`` a list of (code, observation, [ids]) in the
    order to send, ``after`` {id: document} for every document as the server leaves it.
    """
    after = dict(docs)

    def differs(alert_id):
        doc = after[alert_id]
        return triage(doc) != wanted[alert_id] or (tag and not is_false_positive(doc))

    late = set(i for i in wanted if after[i].get("parentId") in wanted) if echoes_follow else set()
    writes = []
    for round_ids in ([i for i in wanted if i not in late], [i for i in wanted if i in late]):
        groups = {}
        for alert_id in round_ids:
            if differs(alert_id):
                groups.setdefault(wanted[alert_id], []).append(alert_id)
        for (code, observation), ids in groups.items():
            writes.append((code, observation, ids))
            named = set(ids)
            for other, doc in list(after.items()):
                if other in named or (echoes_follow and doc.get("parentId") in named):
                    after[other] = _written(doc, code, observation, tag)
    return writes, after


def plan_tags(docs, ids):
    """Tag writes that add the false-positive tag to ``ids`` (v10 has no addFalsePositiveTag).

    The tags endpoint replaces the whole list on exactly the ids sent, so alerts are grouped
    by the list they end with: [(tags, [ids])].
    """
    groups = {}
    for alert_id in ids:
        if not is_false_positive(docs[alert_id]):
            tags = tuple(with_tag(docs[alert_id])["tags"])
            groups.setdefault(tags, []).append(alert_id)
    return [(list(tags), group) for tags, group in groups.items()]


def plan_status(docs, ids, code, observation=None, false_positive=False, echoes_follow=True):
    """What utm_alert_status sends so every alert of ``ids`` has status ``code``.

    ``docs`` {id: document} holds the listed alerts and (v11) their echoes. ``observation``
    None keeps each alert's own. With ``echoes_follow`` false (v10) the tag is a separate
    write. Returns a dict: ``changed`` / ``unchanged`` / ``missing`` (ids of ``ids``, order
    kept), ``followed`` (unlisted echoes the writes change), ``writes``, ``tag_writes``,
    ``tag`` (send addFalsePositiveTag) and ``after`` {id: predicted document}.
    """
    found = [i for i in ids if i in docs]
    wanted = dict((i, (code, observation_of(docs[i]) if observation is None else observation)) for i in found)
    tag = bool(false_positive) and echoes_follow
    writes, after = plan_writes(docs, wanted, echoes_follow, tag)
    tag_writes = plan_tags(after, found) if false_positive and not echoes_follow else []
    for tags, group in tag_writes:
        for alert_id in group:
            after[alert_id] = dict(after[alert_id], tags=tags)
    listed = set(found)
    changed = [i for i in found if after[i] != docs[i]]
    return {
        "changed": changed,
        "unchanged": [i for i in found if i not in set(changed)],
        "missing": [i for i in ids if i not in docs],
        "followed": [i for i in docs if i not in listed and after[i] != docs[i]],
        "writes": writes,
        "tag_writes": tag_writes,
        "tag": tag,
        "after": after,
    }


def incident_alert_code(incident_status):
    """The alert status code change-status pushes for an incident status (None for MERGED)."""
    return ALERT_STATUS.get(INCIDENT_STATUS_WORD.get(incident_status))


def pushed(docs, linked, code, solution, echoes_follow):
    """The documents as change-status leaves them: the linked alerts (and their echoes) take
    ``code`` and the solution as observation (the string "null" when there is none)."""
    observation = "null" if solution is None else solution
    linked = set(linked)
    return dict((i, dict(doc, status=code, statusObservation=observation)
                 if i in linked or (echoes_follow and doc.get("parentId") in linked) else doc)
                for i, doc in docs.items())


def plan_push(docs, linked, code, solution, status_changes, keep_false_positives, echoes_follow):
    """What to send after a change-status PUT so only the triage the user asked for changes.

    ``docs`` are the documents before the PUT: the incident's linked alerts and (v11) their
    echoes. When the incident status does not change, every document gets back what it had.
    When it changes, the alerts follow the incident (UTMStack's rule), except false positives
    when ``keep_false_positives``. Returns a dict: ``wanted`` {id: (code, observation)} for
    every document, ``writes`` to send after the PUT, ``after`` {id: final document},
    ``kept`` (ids whose triage is given back) and ``followed`` (ids whose triage follows).
    """
    after_push = pushed(docs, linked, code, solution, echoes_follow)
    wanted = {}
    kept, followed = [], []
    for alert_id, doc in docs.items():
        if after_push[alert_id] is doc:
            wanted[alert_id] = triage(doc)
        elif status_changes and not (keep_false_positives and is_false_positive(doc)):
            wanted[alert_id] = triage(after_push[alert_id])
            if triage(doc) != wanted[alert_id]:
                followed.append(alert_id)
        else:
            wanted[alert_id] = triage(doc)
            if triage(after_push[alert_id]) != wanted[alert_id]:
                kept.append(alert_id)
    writes, after = plan_writes(after_push, wanted, echoes_follow)
    return {"wanted": wanted, "writes": writes, "after": after, "kept": kept, "followed": followed}


def stale_links(rows, docs):
    """{(incident id, status code): [alert ids]} for link rows whose status is not their document's.

    ``rows`` are link rows; alerts without a document (deleted from the index) are left alone.
    """
    stale = {}
    for row in rows:
        doc = docs.get(row["alertId"])
        if doc is not None and doc.get("status") is not None and row.get("alertStatus") != doc.get("status"):
            stale.setdefault((row["incidentId"], doc["status"]), []).append(row["alertId"])
    return stale


def flags_to_repair(docs, ids, incident_id):
    """(unflagged, flagged_elsewhere) among ``ids``: documents convert-to-incident has not
    marked for incident ``incident_id``. Only the first can be mended: the server flags a
    document once and offers no way to unflag it."""
    unflagged, elsewhere = [], []
    for alert_id in ids:
        doc = docs.get(alert_id)
        if doc is None:
            continue
        if not doc.get("isIncident"):
            unflagged.append(alert_id)
        elif str((doc.get("incidentDetail") or {}).get("incidentId")) != str(incident_id):
            elsewhere.append(alert_id)
    return unflagged, elsewhere
