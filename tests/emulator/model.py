"""Enumerations, entity descriptions and JSON shapes of the incident tables (reference §2)."""
from __future__ import annotations

from .criteria import CriteriaField, Entity
from .instants import format_micros

PACKAGE = "com.park.utmstack"

# IncidentStatusEnum in declaration order (Jackson accepts the index too) and its alert code.
INCIDENT_STATUSES = ("OPEN", "IN_REVIEW", "COMPLETED", "MERGED")
INCIDENT_STATUS_CODE = {"OPEN": 2, "IN_REVIEW": 3, "COMPLETED": 5, "MERGED": 0}
# ResolveIncidentStatus labels used in history texts.
INCIDENT_STATUS_LABEL = {"OPEN": "Open", "IN_REVIEW": "In review", "COMPLETED": "Completed",
                         "MERGED": "none"}
# AlertStatus: the only codes the backend can label (no 4, no 6, no 0).
ALERT_STATUS_LABEL = {1: "Automatic review", 2: "Open", 3: "In review", 5: "Completed"}
SEVERITY_LABEL = {1: "Low", 2: "Medium", 3: "High"}
FALSE_POSITIVE_TAG = "False positive"

HISTORY_ACTIONS = (
    "INCIDENT_CREATED", "INCIDENT_MERGED", "INCIDENT_COMPLETED", "INCIDENT_ALERT_ADD",
    "INCIDENT_ALERT_DELETED", "INCIDENT_ALERT_STATUS_CHANGED", "INCIDENT_ALERT_MOVED",
    "INCIDENT_ASSIGNED_TO", "INCIDENT_ASSIGNED_CHANGE", "INCIDENT_STATUS_CHANGE",
    "INCIDENT_NOTE_ADD", "INCIDENT_NOTE_CHANGE", "INCIDENT_COMMAND_EXECUTED",
)
STATUS_ENUM = (PACKAGE + ".domain.incident.enums.IncidentStatusEnum", INCIDENT_STATUSES)
HISTORY_ENUM = (PACKAGE + ".domain.incident.enums.IncidentHistoryActionEnum", HISTORY_ACTIONS)


def code_label(code):
    """Label of an alert status code in history texts ("Alerts changed to ...")."""
    for name, value in INCIDENT_STATUS_CODE.items():
        if value == code:
            return INCIDENT_STATUS_LABEL[name]
    return "none"


INCIDENT = Entity("UtmIncident", "utm_incident", "utmIncidentCriteria", "/api/utm-incidents", [
    CriteriaField("id", "id", "long", "range", "range"),
    CriteriaField("incidentName", "incident_name", "string", "string", "string"),
    CriteriaField("incidentDescription", "incident_description", "string", "string", "string"),
    CriteriaField("incidentStatus", "incident_status", "enum", "plain", "plain", STATUS_ENUM),
    CriteriaField("incidentAssignedTo", "incident_assigned_to", "string", "string", "string"),
    CriteriaField("incidentSeverity", "incident_severity", "int", "range", "plain"),
    CriteriaField("incidentCreatedDate", "incident_created_date", "instant", "range", "range"),
    CriteriaField("incidentSolution", "incident_solution", "string", None, None),
])

INCIDENT_ALERT = Entity("UtmIncidentAlert", "utm_incident_alert", "utmIncidentAlertCriteria", "/api/utm-incident-alerts", [
    CriteriaField("id", "id", "long", "range", "plain"),
    CriteriaField("incidentId", "incident_id", "long", "range", "range"),
    CriteriaField("alertId", "alert_id", "string", "string", "string"),
    CriteriaField("alertName", "alert_name", "string", "string", "string"),
    CriteriaField("alertStatus", "alert_status", "int", "range", "range"),
    CriteriaField("alertSeverity", "alert_severity", "int", "range", "range"),
])

NOTE = Entity("UtmIncidentNote", "utm_incident_note", "utmIncidentNoteCriteria", "/api/utm-incident-notes", [
    CriteriaField("id", "id", "long", "range", "plain"),
    CriteriaField("incidentId", "incident_id", "long", "range", "range"),
    CriteriaField("noteText", "note_text", "string", "string", "string"),
    CriteriaField("noteSendDate", "note_send_date", "instant", "range", "range"),
    CriteriaField("noteSendBy", "note_send_by", "string", "string", "string"),
])

HISTORY = Entity("UtmIncidentHistory", "utm_incident_history", "utmIncidentHistoryCriteria", "/api/utm-incident-histories", [
    CriteriaField("id", "id", "long", "range", "plain"),
    CriteriaField("incidentId", "incident_id", "long", "range", "range"),
    CriteriaField("actionDate", "action_date", "instant", "range", "range"),
    CriteriaField("actionType", "action_type", "enum", "plain", "plain", HISTORY_ENUM),
    CriteriaField("actionCreatedBy", "action_created_by", "string", "string", "string"),
    CriteriaField("action", "action", "string", "string", "string"),
    CriteriaField("actionDetail", "action_detail", "string", "string", "string"),
])


def incident_json(row):
    return {
        "id": row["id"],
        "incidentName": row["incident_name"],
        "incidentDescription": row["incident_description"],
        "incidentStatus": row["incident_status"],
        "incidentAssignedTo": row["incident_assigned_to"],
        "incidentSeverity": row["incident_severity"],
        "incidentCreatedDate": format_micros(row["incident_created_date"]),
        "incidentSolution": row["incident_solution"],
    }


def incident_alert_json(row):
    return {
        "id": row["id"],
        "incidentId": row["incident_id"],
        "alertId": row["alert_id"],
        "alertName": row["alert_name"],
        "alertStatus": row["alert_status"],
        "alertSeverity": row["alert_severity"],
    }


def note_json(row):
    return {
        "id": row["id"],
        "incidentId": row["incident_id"],
        "noteText": row["note_text"],
        "noteSendDate": format_micros(row["note_send_date"]),
        "noteSendBy": row["note_send_by"],
    }


def history_json(row):
    return {
        "id": row["id"],
        "incidentId": row["incident_id"],
        "actionDate": format_micros(row["action_date"]),
        "actionType": row["action_type"],
        "actionCreatedBy": row["action_created_by"],
        "action": row["action"],
        "actionDetail": row["action_detail"],
    }


def add_history(store, incident_id, action_type, action, detail, login, micros):
    store.insert("utm_incident_history", {
        "incident_id": incident_id, "action_date": micros, "action_type": action_type,
        "action_created_by": login, "action": action, "action_detail": detail})
