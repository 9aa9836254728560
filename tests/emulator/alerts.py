"""UtmAlertResource writes on the alert documents (§7) and the search gateway (§8).

Only these endpoints and incident change-status touch documents; they never touch the
incident tables. Successful writes answer 200 with an empty body and no headers.
"""
from __future__ import annotations

from .binding import (INT, NO_QUOTES, PRIMITIVE_BOOL, PRIMITIVE_INT, STRING, BOOL, Dto, Field,
                      ListOf, read_dto, read_json)
from .errors import NPE_MESSAGE, Answer, BeforeMethodError, ServiceError, missing_parameter
from .instants import format_ns, ns_to_micros
from .model import ALERT_STATUS_LABEL, FALSE_POSITIVE_TAG, PACKAGE
from .wire import empty_response, header_error, json_response

BODY = PACKAGE + ".domain.shared_types.alert."
SIGNATURE = "public org.springframework.http.ResponseEntity<java.lang.Void> " \
            "%s.web.rest.UtmAlertResource.%s(%s)"
SEARCH_SIGNATURE = ("public org.springframework.http.ResponseEntity<java.util.List<java.util.Map"
                    "<java.lang.String, java.lang.Object>>> %s.web.rest.elasticsearch."
                    "ElasticsearchResource.search(java.util.List<%s.domain.chart_builder.types."
                    "query.FilterType>,java.lang.Integer,java.lang.String,org.springframework."
                    "data.domain.Pageable,boolean)" % (PACKAGE, PACKAGE))

STATUS_BODY = Dto("updateAlertStatusRequestBody", BODY + "UpdateAlertStatusRequestBody", [
    Field("alertIds", ListOf(STRING)), Field("status", PRIMITIVE_INT),
    Field("statusObservation", STRING), Field("addFalsePositiveTag", PRIMITIVE_BOOL)])
TAGS_BODY = Dto("updateAlertTagsRequestBody", BODY + "UpdateAlertTagsRequestBody", [
    Field("alertIds", ListOf(STRING), not_null=True), Field("tags", ListOf(STRING)),
    Field("createRule", BOOL, not_null=True)])
CONVERT_BODY = Dto("convertToIncidentRequestBody", BODY + "ConvertToIncidentRequestBody", [
    Field("eventIds", ListOf(STRING), not_null=True),
    Field("incidentName", STRING, not_null=True, pattern=NO_QUOTES),
    Field("incidentId", INT, not_null=True), Field("incidentSource", STRING, not_null=True)])
SCRIPT_ERROR = ("Elasticsearch exception [type=script_exception, reason=compile error]")


def _sig(method, dto):
    return SIGNATURE % (PACKAGE, method, dto.java)


def update_status(call):
    body = read_dto(call.req, STATUS_BODY, _sig("updateAlertStatus", STATUS_BODY), valid=False)
    alert_ids, status = body["alertIds"], body["status"]
    observation = body["statusObservation"]
    if alert_ids is None or (observation is None and not call.v10):
        raise ServiceError(NPE_MESSAGE)  # v11's audit map is Map.of(...): no null values
    label = ALERT_STATUS_LABEL.get(status)
    if label is None:
        raise ServiceError(NPE_MESSAGE)  # no label for 0, 4, 6...
    observation = "null" if observation is None else observation
    false_positive = status == 5 and body["addFalsePositiveTag"] and not call.v10
    wanted = set(alert_ids)
    store = call.store
    with store.transaction():
        for doc in store.alerts.current():
            if doc.get("id") in wanted or (not call.v10 and doc.get("parentId") in wanted):
                changed = dict(doc, status=status, statusLabel=label, statusObservation=observation)
                tags = doc.get("tags") or []
                if false_positive and FALSE_POSITIVE_TAG not in tags:
                    changed["tags"] = list(tags) + [FALSE_POSITIVE_TAG]
                store.alerts.put(changed)
    return empty_response()


def update_notes(call):
    """The raw body is the note, verbatim (quotes of a JSON string included)."""
    alert_id = call.req.param("alertId")
    if alert_id is None:
        raise BeforeMethodError(missing_parameter("alertId", "String"))
    notes = call.req.text() if call.req.body else "null"
    store = call.store
    with store.transaction():
        doc = store.alerts.get(alert_id)
        if doc is not None:
            store.alerts.put(dict(doc, notes=notes))
    return empty_response()


def update_tags(call):
    """Replaces `tags` on exactly these ids (no echoes); [] clears to null; createRule ignored."""
    body = read_dto(call.req, TAGS_BODY, _sig("updateAlertTags", TAGS_BODY))
    tags = body["tags"]
    if tags is None and not call.v10:
        raise ServiceError(NPE_MESSAGE)
    if any(tag is not None and "'" in tag for tag in tags or []):
        raise ServiceError(SCRIPT_ERROR)  # tags are spliced into the Painless script unescaped
    _replace_on_ids(call.store, body["alertIds"], {"tags": list(tags) if tags else None})
    return empty_response()


def convert_to_incident(call):
    """Flags documents that are not yet in an incident; creates and checks nothing else."""
    body = read_dto(call.req, CONVERT_BODY, _sig("convertToIncident", CONVERT_BODY))
    if not body["eventIds"]:
        raise ServiceError("Elasticsearch exception [type=illegal_argument_exception, "
                           "reason=terms query requires at least one value]")
    if "'" in body["incidentSource"]:
        raise ServiceError(SCRIPT_ERROR)
    wanted = set(body["eventIds"])
    stamp = format_ns(ns_to_micros(call.now_ns) * 1000)
    store = call.store
    unflagged = [doc["id"] for doc in store.alerts.current()
                 if doc.get("id") in wanted and doc.get("isIncident") in (False, "false")]
    call.app.yield_point()  # the query matched these; a racing convert may flag them first
    with store.transaction():
        for doc in map(store.alerts.get, unflagged):
            detail = dict(doc.get("incidentDetail") or {})
            detail.update(incidentName=body["incidentName"], incidentId=str(body["incidentId"]),
                          creationDate=stamp, createdBy=call.login or "system",
                          source=body["incidentSource"])
            store.alerts.put(dict(doc, isIncident=True, incidentDetail=detail))
    return empty_response()


def count_open_alerts(call):
    """status 2, not tagged False positive, not an echo (no parentId)."""
    total = 0
    for doc in call.store.alerts.docs.values():
        if str(doc.get("status")) == "2" and doc.get("parentId") is None \
                and FALSE_POSITIVE_TAG not in (doc.get("tags") or []):
            total += 1
    return json_response(total)


def _replace_on_ids(store, ids, fields):
    with store.transaction():
        for doc_id in set(ids):
            doc = store.alerts.get(doc_id)
            if doc is not None:
                store.alerts.put(dict(doc, **fields))


def search(call):
    """Delegates to the search engine (emulator.search.run_search) over the current documents."""
    body = read_json(call.req, SEARCH_SIGNATURE, required=False)
    try:
        from . import search as engine
    except ImportError:
        raise ServiceError("the emulator's search engine (emulator.search) is not installed")
    pattern = "alert-*" if call.v10 else "v11-alert-*"
    try:
        items, headers = engine.run_search(list(call.store.alerts.docs.values()),
                                           call.req.query, body, pattern)
    except engine.SearchError as exc:
        message = str(exc)
        # The engine prefixes failures inside the method with the controller's ctx; binding
        # failures (before the method) carry no prefix and reach the advice instead.
        inside = message.startswith("ElasticsearchResource.")
        if not inside and call.v10:
            raise BeforeMethodError(message)
        raise Answer(header_error(500, message, "ElasticsearchResource" if inside else ""))
    return json_response(items, 200, list(headers.items()))
