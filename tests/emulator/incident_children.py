"""UtmIncidentAlertResource, UtmIncidentNoteResource, UtmIncidentHistoryResource (§4-§6).

These controllers keep their try/catch in v11: failures inside the method become
500 + "<ctx>: <message>" (the dispatcher adds the prefix). None touches the documents.
"""
from __future__ import annotations

from . import criteria
from .binding import INT, LONG, STRING, Dto, Field, ListOf, read_dto, violations
from .errors import ServiceError, persist_validation_failed
from .instants import format_ns, ns_to_micros
from .model import (HISTORY, INCIDENT_ALERT, NOTE, PACKAGE, add_history, code_label,
                    history_json, incident_alert_json, note_json)
from .wire import (empty_response, entity_created, entity_deleted, entity_updated,
                   json_response)

LINK_CLASS = PACKAGE + ".domain.incident.UtmIncidentAlert"
NOTE_CLASS = PACKAGE + ".domain.incident.UtmIncidentNote"
DTO = PACKAGE + ".service.dto.incident."
SIGNATURE = "public org.springframework.http.ResponseEntity %s.web.rest.incident.%s.%s(%s)"

LINK_BODY = Dto("utmIncidentAlert", LINK_CLASS, [
    Field("id", LONG), Field("incidentId", LONG, not_null=True),
    Field("alertId", STRING, not_null=True), Field("alertName", STRING, not_null=True),
    Field("alertStatus", INT, not_null=True), Field("alertSeverity", INT, not_null=True)])
STATUS_CHANGE = Dto("alertIncidentStatusChangeDTO", DTO + "AlertIncidentStatusChangeDTO", [
    Field("incidentId", LONG, not_null=True), Field("alertIds", ListOf(STRING), not_null=True),
    Field("status", INT, not_null=True)])
NEW_NOTE = Dto("newIncidentNoteDTO", DTO + "NewIncidentNoteDTO", [
    Field("incidentId", LONG, not_null=True), Field("noteText", STRING, not_null=True)])
NOTE_ROW = Dto("utmIncidentNote", NOTE_CLASS, [Field("noteText", STRING, max_size=1000)])


def _sig(resource, method, arg):
    return SIGNATURE % (PACKAGE, resource, method, arg)


# ------------------------------------------------------------ incident alerts

def create_link(call):
    body = read_dto(call.req, LINK_BODY, _sig("UtmIncidentAlertResource",
                                              "createUtmIncidentAlert", LINK_CLASS))
    if body["id"] is not None:
        raise ServiceError("A new utmIncidentAlert cannot already have an ID")
    with call.store.transaction():
        link_id = call.store.insert("utm_incident_alert", _link_row(body))
    row = dict(body, id=link_id)
    headers = [("Location", "/api/utm-incident-alerts/%d" % link_id)]
    return json_response(_link_json(row), 201,
                         headers + entity_created("utmIncidentAlert", link_id))


def update_link(call):
    """Full replace. An id that does not exist is *inserted* with a new id (JPA merge)."""
    body = read_dto(call.req, LINK_BODY, _sig("UtmIncidentAlertResource",
                                              "updateUtmIncidentAlert", LINK_CLASS))
    if body["id"] is None:
        raise ServiceError("Invalid id")
    store = call.store
    with store.transaction():
        exists = store.one("SELECT 1 FROM utm_incident_alert WHERE id = ?", (body["id"],))
        if exists:
            link_id = body["id"]
            store.write("utm_incident_alert", "UPDATE utm_incident_alert SET incident_id = ?, "
                        "alert_id = ?, alert_name = ?, alert_status = ?, alert_severity = ? "
                        "WHERE id = ?", list(_link_row(body).values()) + [link_id])
        else:
            link_id = store.insert("utm_incident_alert", _link_row(body))
    return json_response(_link_json(dict(body, id=link_id)), 200,
                         entity_updated("utmIncidentAlert", link_id))


def update_link_status(call):
    """Status of link rows by alert id -- not scoped by incidentId -- plus one history row."""
    body = read_dto(call.req, STATUS_CHANGE, _sig("UtmIncidentAlertResource", "updateStatus",
                                                  STATUS_CHANGE.java))
    alert_ids = body["alertIds"]
    if not alert_ids:
        raise ServiceError("could not prepare statement; SQL [n/a]; nested exception is "
                           "org.hibernate.exception.SQLGrammarException: could not prepare "
                           "statement")
    store = call.store
    with store.transaction():
        marks = ", ".join("?" for unused_value in alert_ids)
        store.write("utm_incident_alert", "UPDATE utm_incident_alert SET alert_status = ? "
                    "WHERE alert_id IN (%s)" % marks, [body["status"]] + alert_ids)
        add_history(store, body["incidentId"], "INCIDENT_ALERT_STATUS_CHANGED",
                    "Alert status changed", "Alerts changed to %s" % code_label(body["status"]),
                    call.login, ns_to_micros(call.now_ns))
    return empty_response()


def list_links(call):
    items, headers = criteria.list_page(call.store, INCIDENT_ALERT, call.req.query,
                                        incident_alert_json)
    return json_response(items, 200, headers)


def delete_link(call):
    """By link id. No history, severity untouched, the document keeps isIncident=true."""
    link_id = call.path_long("id")
    store = call.store
    with store.transaction():
        if store.one("SELECT 1 FROM utm_incident_alert WHERE id = ?", (link_id,)) is None:
            raise ServiceError("No class %s entity with id %d exists!" % (LINK_CLASS, link_id))
        store.write("utm_incident_alert", "DELETE FROM utm_incident_alert WHERE id = ?", (link_id,))
    return empty_response(200, entity_deleted("utmIncidentAlert", link_id))


def _link_row(body):
    return {"incident_id": body["incidentId"], "alert_id": body["alertId"],
            "alert_name": body["alertName"], "alert_status": body["alertStatus"],
            "alert_severity": body["alertSeverity"]}


def _link_json(body):
    return dict((key, body[key]) for key in (
        "id", "incidentId", "alertId", "alertName", "alertStatus", "alertSeverity"))


# ------------------------------------------------------------ notes

def create_note(call):
    body = read_dto(call.req, NEW_NOTE, _sig("UtmIncidentNoteResource", "createUtmIncidentNote",
                                             DTO + "NewIncidentNoteDTO"))
    problems = violations(body, NOTE_ROW)
    if problems:
        raise ServiceError(persist_validation_failed(NOTE_CLASS, problems))
    store = call.store
    micros = ns_to_micros(call.now_ns)
    call.app.yield_point()
    with store.transaction():
        note_id = store.insert("utm_incident_note", {
            "incident_id": body["incidentId"], "note_text": body["noteText"],
            "note_send_date": micros, "note_send_by": call.login})
        add_history(store, body["incidentId"], "INCIDENT_NOTE_ADD", "Note added",
                    "New note added to incident", call.login, micros)
    note = {"id": note_id, "incidentId": body["incidentId"], "noteText": body["noteText"],
            "noteSendDate": format_ns(call.now_ns), "noteSendBy": call.login}
    headers = [("Location", "/api/utm-incident-notes/%d" % note_id)]
    return json_response(note, 201, headers + entity_created("utmIncidentNote", note_id))


def list_notes(call):
    items, headers = criteria.list_page(call.store, NOTE, call.req.query, note_json)
    return json_response(items, 200, headers)


# ------------------------------------------------------------ history

def list_history(call):
    items, headers = criteria.list_page(call.store, HISTORY, call.req.query, history_json)
    return json_response(items, 200, headers)


def count_history(call):
    return json_response(criteria.count(call.store, HISTORY, call.req.query))


def get_history(call):
    history_id = call.path_long("id")
    row = call.store.one("SELECT * FROM utm_incident_history WHERE id = ?", (history_id,))
    if row is None:
        raise ServiceError("404 NOT_FOUND")
    return json_response(history_json(row))
