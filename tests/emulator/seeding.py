"""Loading seed data: alert documents, incidents (with their links) and notes.

Seed format: {"alerts": [doc...], "incidents": [{incidentName, incidentDescription,
incidentStatus, incidentAssignedTo, incidentSolution, incidentCreatedDate, alerts: [ids]}],
"notes": [{incidentName, noteText, noteSendBy, noteSendDate}]}. Seeded incidents look
as if the UI made them: link rows from the documents, severity = max, documents
flagged by convert-to-incident, and the history rows the server writes.
Everything goes in one transaction with executemany, so large seeds load in seconds.
"""
from __future__ import annotations

import json
import sys

from .instants import format_micros, ns_to_micros, parse_iso_ns
from .model import INCIDENT_STATUS_LABEL, INCIDENT_STATUSES


def resolve(seed):
    """A seed dict from "demo" | "empty" | None | dict | path of a JSON file."""
    if seed is None or seed == "empty":
        return None
    if isinstance(seed, dict):
        return seed
    if seed == "demo":
        try:
            from .demo import demo_seed
        except ImportError:
            sys.stderr.write("emulator: emulator.demo is not available; starting empty\n")
            return None
        return demo_seed()
    with open(seed) as handle:
        return json.load(handle)


def load(store, data, now_ns):
    """Add a seed dict to the current state (ValueError for an inconsistent seed)."""
    if not data:
        return
    docs = [dict(doc) for doc in data.get("alerts") or []]
    for doc in docs:
        if "id" not in doc:
            raise ValueError("every seeded alert needs an 'id'")
    now = ns_to_micros(now_ns)
    with store.transaction():
        alerts = store.alerts
        for doc in docs:
            alerts.put(doc)
        names = {}
        incident_rows, link_rows, history_rows = [], [], []
        first_id = store.reserve_ids("utm_incident", len(data.get("incidents") or []))
        for offset, incident in enumerate(data.get("incidents") or []):
            incident_id = first_id + offset
            row = _incident_row(incident_id, incident, alerts, now)
            names[row[1]] = incident_id
            incident_rows.append(row)
            for alert_id in incident.get("alerts") or []:
                doc = alerts.get(alert_id)
                link_rows.append((incident_id, alert_id, doc.get("name") or "",
                                  _int(doc.get("status"), 1), _int(doc.get("severity"), 1)))
                alerts.put(_flagged(doc, incident_id, row[1], row[6]))
            history_rows.extend(_incident_history(incident_id, row, incident))
        note_rows = []
        for note in data.get("notes") or []:
            incident_id = names.get(note.get("incidentName")) or _existing_id(store, note)
            sent = _micros(note.get("noteSendDate"), now)
            by = note.get("noteSendBy") or "admin"
            note_rows.append((incident_id, note["noteText"], sent, by))
            history_rows.append((incident_id, sent, "INCIDENT_NOTE_ADD", by, "Note added",
                                 "New note added to incident"))
        _insert(store, "utm_incident", ("id", "incident_name", "incident_description",
                                        "incident_status", "incident_assigned_to",
                                        "incident_severity", "incident_created_date",
                                        "incident_solution"), incident_rows, with_ids=True)
        _insert(store, "utm_incident_alert", ("incident_id", "alert_id", "alert_name",
                                              "alert_status", "alert_severity"), link_rows)
        _insert(store, "utm_incident_note", ("incident_id", "note_text", "note_send_date",
                                             "note_send_by"), note_rows)
        _insert(store, "utm_incident_history", ("incident_id", "action_date", "action_type",
                                                "action_created_by", "action", "action_detail"),
                history_rows)


def _incident_row(incident_id, incident, alerts, now):
    name = incident["incidentName"]
    status = incident.get("incidentStatus") or "OPEN"
    if status not in INCIDENT_STATUSES:
        raise ValueError("incident %r: unknown incidentStatus %r" % (name, status))
    severities = []
    for alert_id in incident.get("alerts") or []:
        doc = alerts.get(alert_id)
        if doc is None:
            raise ValueError("incident %r: alert %r is not in the seed's alerts" % (name, alert_id))
        severities.append(_int(doc.get("severity"), 1))
    severity = incident.get("incidentSeverity", max(severities) if severities else 1)
    return (incident_id, name, incident.get("incidentDescription") or "", status,
            incident.get("incidentAssignedTo"), severity,
            _micros(incident.get("incidentCreatedDate"), now), incident.get("incidentSolution"))


def _incident_history(incident_id, row, incident):
    created, count = row[6], len(incident.get("alerts") or [])
    rows = [(incident_id, created, "INCIDENT_CREATED", "admin", "Incident Created",
             "Incident created with %d alerts" % count)]
    status = row[3]
    if status != "OPEN":
        detail = "Incident status changed from Open to %s " % INCIDENT_STATUS_LABEL[status]
        if status == "COMPLETED":
            detail += " with solution: %s" % row[7]
        rows.append((incident_id, created, "INCIDENT_STATUS_CHANGE", "admin",
                     "Alert change status", detail))
    return rows


def _flagged(doc, incident_id, name, created):
    detail = dict(doc.get("incidentDetail") or {})
    detail.update(incidentName=name, incidentId=str(incident_id),
                  creationDate=format_micros(created), createdBy="admin", source="INCIDENT")
    return dict(doc, isIncident=True, incidentDetail=detail)


def _existing_id(store, note):
    row = store.one("SELECT id FROM utm_incident WHERE incident_name = ?",
                    (note.get("incidentName"),))
    if row is None:
        raise ValueError("note for unknown incident %r" % note.get("incidentName"))
    return row[0]


def _insert(store, table, columns, rows, with_ids=False):
    if not rows:
        return
    if not with_ids:
        first = store.reserve_ids(table, len(rows))
        rows = [(first + i,) + tuple(r) for i, r in enumerate(rows)]
        columns = ("id",) + tuple(columns)
    sql = "INSERT INTO %s (%s) VALUES (%s)" % (table, ", ".join(columns),
                                               ", ".join("?" for unused_value in columns))
    try:
        store.conn.executemany(sql, rows)
    except Exception as exc:
        raise ValueError("seed rejected by %s: %s" % (table, exc))


def _micros(text, default):
    return ns_to_micros(parse_iso_ns(text)) if text else default


def _int(value, default):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default
