"""UtmIncidentResource: /api/utm-incidents (reference §3)."""
from __future__ import annotations

import re

from . import criteria
from .binding import INSTANT, INT, LONG, NO_QUOTES, STRING, Dto, EnumKind, Field, ListOf
from .binding import read_dto, violations
from .errors import NPE_MESSAGE, Answer, ServiceError, persist_validation_failed
from .instants import format_ns, ns_to_micros, truncate_to_millis
from .model import (INCIDENT, INCIDENT_STATUS_CODE, INCIDENT_STATUS_LABEL, INCIDENT_STATUSES,
                    PACKAGE, STATUS_ENUM, ALERT_STATUS_LABEL, add_history, code_label,
                    incident_json)
from .wire import entity_created, entity_updated, header_error, json_response

ENTITY_NAME = "utmIncident"
ENTITY_CLASS = PACKAGE + ".domain.incident.UtmIncident"
LINK_CLASS = PACKAGE + ".domain.incident.UtmIncidentAlert"
DTO = PACKAGE + ".service.dto.incident."
RESOURCE = "public org.springframework.http.ResponseEntity<%s> %s.web.rest.incident." \
           "UtmIncidentResource.%s(%s)"

RELATED_ALERT = Dto("relatedIncidentAlertsDTO", DTO + "RelatedIncidentAlertsDTO", [
    Field("alertId", STRING), Field("alertName", STRING),
    Field("alertStatus", INT), Field("alertSeverity", INT)])
NEW_INCIDENT = Dto("newIncidentDTO", DTO + "NewIncidentDTO", [
    Field("incidentName", STRING, not_null=True, pattern=NO_QUOTES),
    Field("incidentDescription", STRING),
    Field("incidentAssignedTo", STRING),
    Field("alertList", ListOf(RELATED_ALERT), not_null=True)])
ADD_TO_INCIDENT = Dto("addToIncidentDTO", DTO + "AddToIncidentDTO", [
    Field("incidentId", LONG, not_null=True),
    Field("alertList", ListOf(RELATED_ALERT), not_null=True)])
INCIDENT_BODY = Dto("utmIncident", ENTITY_CLASS, [
    Field("id", LONG),
    Field("incidentName", STRING, not_null=True, max_size=250),
    Field("incidentDescription", STRING, not_null=True, max_size=2000),
    Field("incidentStatus", EnumKind(STATUS_ENUM[0], INCIDENT_STATUSES), not_null=True),
    Field("incidentAssignedTo", STRING),
    Field("incidentSeverity", INT, not_null=True),
    Field("incidentCreatedDate", INSTANT, not_null=True),
    Field("incidentSolution", STRING)])
LINK_ROW = Dto("utmIncidentAlert", LINK_CLASS, [
    Field("incidentId", LONG, not_null=True), Field("alertId", STRING, not_null=True),
    Field("alertName", STRING, not_null=True), Field("alertStatus", INT, not_null=True),
    Field("alertSeverity", INT, not_null=True)])

SIG_CREATE = RESOURCE % (ENTITY_CLASS, PACKAGE, "createUtmIncident", DTO + "NewIncidentDTO")
SIG_ADD = RESOURCE % (ENTITY_CLASS, PACKAGE, "addAlertsToUtmIncident", DTO + "AddToIncidentDTO")
SIG_CHANGE = RESOURCE % (ENTITY_CLASS, PACKAGE, "updateUtmIncident", ENTITY_CLASS)


def create(call):
    body = read_dto(call.req, NEW_INCIDENT, SIG_CREATE)
    alerts = body["alertList"]
    if not alerts:
        if call.v10:  # the v10 controller returns this 400 itself
            raise Answer(header_error(400, ".createUtmIncident: A new incident has to have at "
                                      "least one alert related", "UtmIncidentResource"))
        raise ServiceError(".createUtmIncident: .createUtmIncident: A new incident has to have "
                           "at least one alert related", 400)
    _reject_linked(call, alerts, "UtmIncidentService.createIncident")
    severities = [alert["alertSeverity"] for alert in alerts]
    if None in severities:
        raise ServiceError(NPE_MESSAGE)  # unboxing a null alertSeverity
    created_ns = truncate_to_millis(call.now_ns)
    row = {
        "incident_name": body["incidentName"],
        "incident_description": body["incidentDescription"],
        "incident_status": "OPEN",
        "incident_assigned_to": body["incidentAssignedTo"],
        "incident_severity": max(severities),
        "incident_created_date": ns_to_micros(created_ns),
        "incident_solution": None,
    }
    call.app.yield_point()  # another create may pass the same pre-check; the constraints decide
    store = call.store
    with store.transaction():
        _check_persist(ENTITY_CLASS, INCIDENT_BODY, {
            "incidentName": row["incident_name"],
            "incidentDescription": row["incident_description"],
            "incidentStatus": "OPEN", "incidentSeverity": 0, "incidentCreatedDate": 0})
        incident_id = store.insert("utm_incident", row)
        _insert_links(store, incident_id, alerts)
        add_history(store, incident_id, "INCIDENT_CREATED", "Incident Created",
                    "Incident created with %d alerts" % len(alerts), call.login,
                    ns_to_micros(call.now_ns))
    return json_response(incident_json(dict(row, id=incident_id)))


def add_alerts(call):
    body = read_dto(call.req, ADD_TO_INCIDENT, SIG_ADD)
    alerts = body["alertList"]
    if not alerts:
        raise ServiceError("Add utmIncident cannot already have an empty related alerts",
                           500 if call.v10 else 400)
    _reject_linked(call, alerts, "UtmIncidentService.addAlertsIncident")
    call.app.yield_point()
    store = call.store
    with store.transaction():
        row = _find(store, body["incidentId"])
        if row is None:
            raise ServiceError("UtmIncidentService.addAlertsIncident: "
                               "UtmIncidentService.addAlertsIncident: Incident not found")
        _insert_links(store, row["id"], alerts)
        add_history(store, row["id"], "INCIDENT_ALERT_ADD", "New alerts added to incident",
                    "New %d alerts added to incident" % len(alerts), call.login,
                    ns_to_micros(call.now_ns))
    headers = [("Location", "/api/utm-incidents/add-alerts%d" % row["id"])]
    return json_response(incident_json(row), 201, headers + entity_created(ENTITY_NAME, row["id"]))


def change_status(call):
    """Full replace of the row; pushes the status to linked alerts (DB and documents)."""
    body = read_dto(call.req, INCIDENT_BODY, SIG_CHANGE)
    incident_id = body["id"]
    if incident_id is None:
        raise ServiceError("Invalid id")
    store = call.store
    new_status = body["incidentStatus"]
    solution = body["incidentSolution"]
    current = _find(store, incident_id)
    if current is None:
        raise ServiceError(".changeStatus: Incident not found")
    old_label = INCIDENT_STATUS_LABEL[current["incident_status"]]
    call.app.yield_point()  # a PUT that loaded the same row may save first: last write wins
    with store.transaction():
        store.write("utm_incident", "UPDATE utm_incident SET incident_name = ?, "
                    "incident_description = ?, incident_status = ?, incident_assigned_to = ?, "
                    "incident_severity = ?, incident_created_date = ?, incident_solution = ? "
                    "WHERE id = ?",
                    (body["incidentName"], body["incidentDescription"], new_status,
                     body["incidentAssignedTo"], body["incidentSeverity"],
                     ns_to_micros(body["incidentCreatedDate"]), solution, incident_id))
        alert_ids = [r[0] for r in store.all(
            "SELECT alert_id FROM utm_incident_alert WHERE incident_id = ?", (incident_id,))]
        micros = ns_to_micros(call.now_ns)
        if alert_ids:
            code = INCIDENT_STATUS_CODE[new_status]
            marks = ", ".join("?" for unused_value in alert_ids)
            store.write("utm_incident_alert", "UPDATE utm_incident_alert SET alert_status = ? "
                        "WHERE alert_id IN (%s)" % marks, [code] + alert_ids)
            add_history(store, incident_id, "INCIDENT_ALERT_STATUS_CHANGED", "Alert status changed",
                        "Alerts changed to %s" % code_label(code), call.login, micros)
            push_alert_status(call, alert_ids, code, solution)
        detail = "Incident status changed from %s to %s " % (old_label,
                                                             INCIDENT_STATUS_LABEL[new_status])
        if new_status == "COMPLETED":
            detail += " with solution: %s" % solution
        add_history(store, incident_id, "INCIDENT_STATUS_CHANGE", "Alert change status", detail,
                    call.login, micros)
    echo = dict(body, incidentCreatedDate=format_ns(body["incidentCreatedDate"]))
    ordered = dict((key, echo[key]) for key in (
        "id", "incidentName", "incidentDescription", "incidentStatus", "incidentAssignedTo",
        "incidentSeverity", "incidentCreatedDate", "incidentSolution"))
    return json_response(ordered, 200, entity_updated(ENTITY_NAME, incident_id))


def push_alert_status(call, alert_ids, code, observation):
    """UtmAlertServiceImpl.updateStatus: status, label and observation on matching documents.

    v11 matches `id` or `parentId` (echo alerts follow their parent); v10 matches `id` only.
    A code without label (0 for MERGED, 4, 6) fails like the server's NullPointerException.
    """
    label = ALERT_STATUS_LABEL.get(code)
    if label is None:
        raise ServiceError(NPE_MESSAGE)
    wanted = set(alert_ids)
    observation = "null" if observation is None else observation
    for doc in call.store.alerts.current():
        if doc.get("id") in wanted or (not call.v10 and doc.get("parentId") in wanted):
            call.store.alerts.put(dict(doc, status=code, statusLabel=label,
                                       statusObservation=observation))


def get_one(call):
    incident_id = call.path_long("id")
    row = _find(call.store, incident_id)
    if row is None:
        raise ServiceError("404 NOT_FOUND")  # ResponseStatusException(404) caught as any other
    return json_response(incident_json(row))


def list_all(call):
    items, headers = criteria.list_page(call.store, INCIDENT, call.req.query, incident_json)
    return json_response(items, 200, headers)


def users_assigned(call):
    """Assignees parsed as comma-separated numeric user ids; anything else fails (500)."""
    user_ids = set()
    for (assigned,) in call.store.all("SELECT incident_assigned_to FROM utm_incident "
                                      "WHERE incident_assigned_to IS NOT NULL"):
        for part in java_split(assigned, ","):
            if not re.match(r"[+-]?\d+\Z", part) or not -2 ** 63 <= int(part) < 2 ** 63:
                raise ServiceError('For input string: "%s"' % part)
            user_ids.add(int(part))
    users = [u for u in call.app.users.values() if u["id"] in user_ids]
    users.sort(key=lambda u: u["id"])
    return json_response([{"id": u["id"], "login": u["login"]} for u in users])


def java_split(text, sep):
    """String.split: trailing empty strings removed; no match gives the whole string."""
    parts = text.split(sep)
    if len(parts) == 1:
        return parts
    while parts and parts[-1] == "":
        parts.pop()
    return parts


def _find(store, incident_id):
    row = store.one("SELECT * FROM utm_incident WHERE id = ?", (incident_id,))
    return dict(row) if row is not None else None


def _reject_linked(call, alerts, service_ctx):
    """409 when any requested alert id is already linked to an incident (no partial work)."""
    if None in alerts:
        raise ServiceError(NPE_MESSAGE)
    requested = [alert["alertId"] for alert in alerts]
    present = [a for a in requested if a is not None]
    if not present:
        return
    marks = ", ".join("?" for unused_value in present)
    linked = set(r[0] for r in call.store.all(
        "SELECT alert_id FROM utm_incident_alert WHERE alert_id IN (%s)" % marks, present))
    if not linked:
        return
    if call.v10:  # the v10 controller lists only the conflicting ids, as HTML
        items = "".join("<li>%s</li>" % a for a in requested if a in linked)
        raise Answer(header_error(409, "The following alert(s) are already associated with "
                                  "another incident:<br><br><ul>%s</ul><br>Please review the "
                                  "incidents section for more details." % items,
                                  "UtmIncidentResource"))
    raise ServiceError("%s: Some alerts are already linked to another incident. Alert IDs: %s. "
                       "Check the related incidents for more details."
                       % (service_ctx, ", ".join("null" if a is None else a for a in requested)),
                       409)


def _insert_links(store, incident_id, alerts):
    for alert in alerts:
        _check_persist(LINK_CLASS, LINK_ROW, dict(alert, incidentId=incident_id))
        store.insert("utm_incident_alert", {
            "incident_id": incident_id, "alert_id": alert["alertId"],
            "alert_name": alert["alertName"], "alert_status": alert["alertStatus"],
            "alert_severity": alert["alertSeverity"]})


def _check_persist(entity_class, dto, values):
    """Hibernate's bean validation at persist time (before the INSERT uses a sequence value)."""
    problems = violations(values, dto)
    if problems:
        raise ServiceError(persist_validation_failed(entity_class, problems))
