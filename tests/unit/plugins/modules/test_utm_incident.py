"""utm_incident.run() against the emulator: create, change, check mode, reruns, failures."""

import json
import uuid

import pytest

from ansible_collections.utmstack.soc.plugins.module_utils.errors import UtmApiError, UtmInputError
from ansible_collections.utmstack.soc.plugins.modules import utm_incident
from harness import free_alert_ids, module_params

INCIDENTS = "/api/utm-incidents"
CHANGE = "/api/utm-incidents/change-status"
CONVERT = "/api/utm-alerts/convert-to-incident"


def params(**options):
    return module_params(utm_incident, **options)


def writes(emulator):
    return [(r["method"], r["path"]) for r in emulator.requests(writes_only=True)]


def free_alerts(client, emulator, count):
    """Top-level demo alerts that belong to no incident; the request log is cleared after."""
    ids = free_alert_ids(client, count)
    assert len(ids) == count, "the demo seed has too few free alerts"
    emulator.clear_requests()
    return ids


@pytest.fixture
def alerts(client, emulator):
    return free_alerts(client, emulator, 6)


def new_name():
    return "INC-test %s" % uuid.uuid4().hex[:8]


def create(client, emulator, name, ids, **options):
    changed, result, unused_value = utm_incident.run(client, params(name=name, alerts=ids, **options), False)
    assert changed and result["created"]
    emulator.clear_requests()
    return result["incident"]


# -- create ------------------------------------------------------------------------------
def test_create_links_and_flags_alerts(client, emulator, alerts):
    name = new_name()
    changed, result, diff = utm_incident.run(client, params(name=name, alerts=alerts[:2], assigned_to="1"), False)
    assert changed is True and result["created"] is True
    assert result["alerts_added"] == alerts[:2]
    incident = result["incident"]
    assert incident["incidentName"] == name and incident["incidentDescription"] == ""
    assert incident["incidentStatus"] == "OPEN" and incident["incidentAssignedTo"] == "1"
    by_ids = [{"field": "id.keyword", "operator": "IS_ONE_OF_TERMS", "value": alerts[:2]}]
    docs = dict((d["id"], d) for d in client.search(by_ids))
    assert incident["incidentSeverity"] == max(d["severity"] for d in docs.values())
    assert all(d["isIncident"] is True for d in docs.values())
    assert diff == {"before": {}, "after": {"name": name, "description": "", "status": "open", "assigned_to": "1",
                                            "solution": None, "alerts": sorted(alerts[:2])}}
    # lookup, link check, names alike and one alert search; then create and flag.
    assert [r["method"] for r in emulator.requests()][:4] == ["GET", "GET", "GET", "POST"]
    assert writes(emulator)[-2:] == [("POST", INCIDENTS), ("POST", CONVERT)]


def test_create_completed_takes_one_status_write(client, emulator, alerts):
    changed, result, unused_value = utm_incident.run(client, params(
        name=new_name(), alerts=alerts[:1], status="completed", solution="blocked", flag_alerts=False), False)
    assert changed and result["incident"]["incidentStatus"] == "COMPLETED"
    assert result["incident"]["incidentSolution"] == "blocked"
    assert writes(emulator) == [("POST", INCIDENTS), ("PUT", CHANGE)]


def test_check_mode_create_predicts_and_writes_nothing(client, emulator, alerts):
    options = dict(name=new_name(), alerts=alerts[:3], description="why", status="in_review", assigned_to="2")
    changed, predicted, diff = utm_incident.run(client, params(**options), True)
    assert changed is True and writes(emulator) == []
    # lookup, link check, names alike, the alerts and (a status will be written) their echoes and
    # the echoes' link rows (an echo may belong to another incident).
    assert len(emulator.requests()) == 6
    changed, real, real_diff = utm_incident.run(client, params(**options), False)
    assert changed is True and diff == real_diff
    ignore = ("id", "incidentCreatedDate")
    assert dict((k, v) for k, v in predicted["incident"].items() if k not in ignore) == \
        dict((k, v) for k, v in real["incident"].items() if k not in ignore)


def test_a_name_differing_only_in_case_or_spaces_warns_naming_the_existing_incident(client, emulator, alerts):
    name = new_name()
    existing = create(client, emulator, name, alerts[:1])
    alike = "  %s " % name.upper().replace(" ", "   ")
    changed, result, unused_value = utm_incident.run(client, params(name=alike, alerts=alerts[1:2]), True)
    assert changed is True and writes(emulator) == []
    assert len(result["warnings"]) == 1
    assert "%r (id %s) differs from the name %r only in case or spaces" % (name, existing["id"], alike) in result["warnings"][0]
    changed, result, unused_value = utm_incident.run(client, params(name=alike, alerts=alerts[1:2]), False)
    assert result["created"] is True and result["incident"]["id"] != existing["id"]
    assert "id %s" % existing["id"] in result["warnings"][0]
    # The exact name again is the incident just made: no warning about the other one.
    changed, result, unused_value = utm_incident.run(client, params(name=alike, alerts=alerts[1:2]), False)
    assert changed is False and "warnings" not in result


def test_an_empty_alert_list_keeps_an_existing_incident_and_cannot_create_one(client, emulator, alerts):
    name = new_name()
    create(client, emulator, name, alerts[:1])
    changed, result, unused_value = utm_incident.run(client, params(name=name, alerts=[]), False)
    assert changed is False and writes(emulator) == []
    with pytest.raises(UtmInputError, match="only from alerts; alerts is empty"):
        utm_incident.run(client, params(name=new_name(), alerts=[]), False)


def test_create_needs_alerts(client, emulator):
    with pytest.raises(UtmInputError, match="does not exist; give alerts to create it"):
        utm_incident.run(client, params(name=new_name(), status="open"), False)
    assert [r["method"] for r in emulator.requests()] == ["GET"]


def test_missing_alerts_fail_with_missing_fail(client, emulator, alerts):
    ghosts = [str(uuid.uuid4()), str(uuid.uuid4())]
    with pytest.raises(UtmInputError) as error:
        utm_incident.run(client, params(name=new_name(), alerts=[alerts[0]] + ghosts, missing="fail"), False)
    assert "2 of the listed alerts do not exist on the server" in str(error.value)
    assert all(ghost in str(error.value) for ghost in ghosts) and alerts[0] not in str(error.value)
    assert writes(emulator) == []


def test_missing_alerts_warn_by_default_and_the_others_are_linked(client, emulator, alerts):
    ghost = str(uuid.uuid4())
    name = new_name()
    changed, result, unused_value = utm_incident.run(client, params(name=name, alerts=[alerts[0], ghost]), False)
    assert changed is True and result["alerts_added"] == [alerts[0]] and result["missing_alerts"] == [ghost]
    assert "1 of the listed alerts do not exist on the server: %s" % ghost in result["warnings"][0]
    emulator.clear_requests()
    changed, result, unused_value = utm_incident.run(client, params(name=name, alerts=[alerts[0], alerts[1], ghost],
                                                                    missing="ignore"), False)
    assert changed is True and result["alerts_added"] == [alerts[1]] and result["missing_alerts"] == [ghost]
    assert "warnings" not in result
    with pytest.raises(UtmInputError, match="none of the listed alerts exist on the server: %s" % ghost):
        utm_incident.run(client, params(name=new_name(), alerts=[ghost]), False)


def test_conflict_names_the_other_incident(client, emulator, alerts):
    other = create(client, emulator, new_name(), alerts[:2])
    with pytest.raises(UtmInputError) as error:
        utm_incident.run(client, params(name=new_name(), alerts=[alerts[1], alerts[2]]), False)
    message = str(error.value)
    assert "incident %s (%r)" % (other["id"], other["incidentName"]) in message and alerts[1] in message
    assert alerts[2] not in message.split("another:")[1]
    assert writes(emulator) == []


# -- change ------------------------------------------------------------------------------
def test_rerun_unchanged_sends_only_reads(client, emulator, alerts):
    name = new_name()
    create(client, emulator, name, alerts[:2], description="d", assigned_to="1", status="in_review")
    changed, result, diff = utm_incident.run(client, params(
        name=name, alerts=alerts[:2], description="d", assigned_to="1", status="in_review"), False)
    assert changed is False and result["alerts_added"] == [] and diff["before"] == diff["after"]
    # The incident, its links, and the listed alerts' documents (to mend flags and link rows).
    assert [r["method"] for r in emulator.requests()] == ["GET", "GET", "POST"]
    emulator.clear_requests()
    changed, unused_value, unused_value = utm_incident.run(client, params(name=name, status="in_review"), False)
    assert changed is False and [r["method"] for r in emulator.requests()] == ["GET"]


def test_fields_survive_each_change(client, emulator, alerts):
    incident = create(client, emulator, new_name(), alerts[:1], description="keep me")
    ident = incident["id"]
    utm_incident.run(client, params(id=ident, assigned_to="1,3"), False)
    unused_value, result, unused_value = utm_incident.run(client, params(id=ident, status="in_review"), False)
    assert result["incident"]["incidentAssignedTo"] == "1,3"
    unused_value, result, unused_value = utm_incident.run(client, params(id=ident, status="completed", solution="reimaged"), False)
    unused_value, result, diff = utm_incident.run(client, params(id=ident, name=incident["incidentName"] + " (done)"), False)
    final = result["incident"]
    assert final["incidentName"].endswith(" (done)") and final["incidentDescription"] == "keep me"
    assert final["incidentAssignedTo"] == "1,3" and final["incidentSolution"] == "reimaged"
    assert final["incidentStatus"] == "COMPLETED" and final["incidentSeverity"] == incident["incidentSeverity"]
    assert diff["before"]["name"] == incident["incidentName"] and diff["after"]["name"] == final["incidentName"]
    stored = client.get(INCIDENTS, {"id.equals": ident}).json[0]
    # The result is the stored row with the status and severity in words beside the codes.
    assert dict(stored, incidentCreatedDate=None, status="completed", severity=final["severity"]) == \
        dict(final, incidentCreatedDate=None)
    # The server pushed the incident status and solution onto the alert.
    doc = client.search([{"field": "id.keyword", "operator": "IS", "value": alerts[0]}])[0]
    assert doc["status"] == 5 and doc["statusObservation"] == "reimaged"


def test_add_missing_alerts_then_change_in_one_task(client, emulator, alerts):
    incident = create(client, emulator, new_name(), alerts[:1])
    changed, result, diff = utm_incident.run(client, params(
        id=incident["id"], alerts=alerts[:3], status="in_review"), False)
    assert changed and result["alerts_added"] == alerts[1:3]
    assert diff["before"]["alerts"] == [alerts[0]] and diff["after"]["alerts"] == sorted(alerts[:3])
    assert writes(emulator) == [("POST", INCIDENTS + "/add-alerts"), ("POST", CONVERT), ("PUT", CHANGE)]
    links = client.get("/api/utm-incident-alerts", {"incidentId.equals": incident["id"]}).json
    assert sorted(row["alertId"] for row in links) == sorted(alerts[:3])
    assert all(row["alertStatus"] == 3 for row in links)


def test_check_mode_change_predicts_exactly(client, emulator, alerts):
    incident = create(client, emulator, new_name(), alerts[:1], assigned_to="1")
    options = dict(id=incident["id"], alerts=alerts[:2], status="completed", solution="ok", description="new")
    changed, predicted, diff = utm_incident.run(client, params(**options), True)
    assert changed is True and writes(emulator) == []
    assert predicted["alerts_added"] == [alerts[1]]
    changed, real, real_diff = utm_incident.run(client, params(**options), False)
    assert changed is True and predicted == real and diff == real_diff


def test_rename_to_a_taken_name_fails_before_writing(client, emulator, alerts):
    first = create(client, emulator, new_name(), alerts[:1])
    second = create(client, emulator, new_name(), alerts[1:2])
    with pytest.raises(UtmInputError, match="incident %s already has that name" % first["id"]):
        utm_incident.run(client, params(id=second["id"], name=first["incidentName"]), False)
    assert writes(emulator) == []


def test_merged_is_never_sent(client, emulator, alerts):
    incident = create(client, emulator, new_name(), alerts[:2])
    for status in ("in_review", "open", "completed"):
        utm_incident.run(client, params(id=incident["id"], status=status, solution="s"), False)
    assert all("MERGED" not in json.dumps(r.get("body")) for r in emulator.requests())


def test_assignee_in_another_form_is_accepted_with_a_warning(client, emulator, alerts):
    incident = create(client, emulator, new_name(), alerts[:1])
    changed, result, unused_value = utm_incident.run(client, params(id=incident["id"], assigned_to="admin"), False)
    assert changed and result["incident"]["incidentAssignedTo"] == "admin"
    assert "numeric user ids" in result["warnings"][0]


def test_unknown_id_fails(client, emulator):
    with pytest.raises(UtmInputError, match="there is no incident with id 987654"):
        utm_incident.run(client, params(id=987654, status="open"), False)
    assert [r["method"] for r in emulator.requests()] == ["GET"]


# -- bad input and server faults ---------------------------------------------------------------
@pytest.mark.parametrize("options, words", [
    (dict(id=0, status="open"), "id must be a positive integer"),
    (dict(name='say "hi"'), "double quote"),
    (dict(name=""), "non-empty"),
    (dict(name="x" * 251), "name is 251 characters"),
    (dict(name="n", description="x" * 2001), "description is 2001"),
    (dict(name="n", alerts=["not-a-uuid"]), "alert UUIDs"),
    (dict(name="n", solution="x" * 1001), "solution is 1001"),
    (dict(name="n", status="completed", solution="x" * 990), "history"),
    (dict(status="open"), "one of id or name"),
])
def test_bad_input_fails_before_any_request(client, emulator, options, words):
    with pytest.raises(UtmInputError, match=words):
        utm_incident.run(client, params(**options), False)
    assert emulator.requests() == []


def test_server_fault_is_a_clear_error(client, emulator, alerts):
    incident = create(client, emulator, new_name(), alerts[:1])
    emulator.add_fault(method="PUT", path=CHANGE, status=500, count=1)
    with pytest.raises(UtmApiError) as error:
        utm_incident.run(client, params(id=incident["id"], status="in_review"), False)
    assert str(error.value).startswith("PUT %s failed with HTTP 500" % CHANGE)
    assert (error.value.method, error.value.path, error.value.status) == ("PUT", CHANGE, 500)


def test_alert_linked_elsewhere_meanwhile_is_named_after_the_409(client, emulator, alerts):
    """Another analyst links an alert between our read and our write: the 409 is read again and explained."""
    incident = create(client, emulator, new_name(), alerts[:1])
    other = create(client, emulator, new_name(), alerts[1:2])
    # The link reads answer "no links" (an empty 200), as if they had run before the other analyst.
    emulator.add_fault(method="GET", path="^/api/utm-incident-alerts$", status=200, count=2)
    with pytest.raises(UtmInputError) as error:
        utm_incident.run(client, params(id=incident["id"], alerts=alerts[:2]), False)
    assert "%s in incident %s (%r)" % (alerts[1], other["id"], other["incidentName"]) in str(error.value)
    assert ("POST", "/api/utm-incidents/add-alerts") in writes(emulator)


def test_incident_another_run_created_after_the_lookup_is_found_not_refused(client, emulator, alerts):
    """Another controller creates the incident from the same alerts between our lookup and our link read."""
    name = new_name()
    made = create(client, emulator, name, alerts[:2])
    # The name lookup answers "no such incident" (an empty 200), as if it had run before the other run.
    emulator.add_fault(method="GET", path="^%s$" % INCIDENTS, status=200, count=1)
    changed, result, unused_value = utm_incident.run(client, params(name=name, alerts=alerts[:2]), False)
    assert changed is False and result["created"] is False
    assert result["incident"]["id"] == made["id"]
    assert writes(emulator) == []


def test_busy_server_is_retried_on_reads(client, emulator, alerts):
    incident = create(client, emulator, new_name(), alerts[:1])
    emulator.add_fault(method="GET", path=INCIDENTS + "$", status=503, retry_after=1, count=1)
    changed, result, unused_value = utm_incident.run(client, params(id=incident["id"], status="open"), False)
    assert changed is False and result["incident"]["id"] == incident["id"]
    assert [(r["method"], r["status"]) for r in emulator.requests()] == [("GET", 503), ("GET", 200)]


def test_create_answered_with_an_empty_body_is_a_clear_error(client, emulator, alerts):
    emulator.add_fault(method="POST", path="^%s$" % INCIDENTS, status=200, count=1)
    with pytest.raises(UtmApiError) as error:
        utm_incident.run(client, params(name=new_name(), alerts=alerts[:1], status="in_review"), False)
    assert str(error.value).startswith("POST %s failed with HTTP 200" % INCIDENTS)
    assert "empty body" in str(error.value)
    assert writes(emulator) == [("POST", INCIDENTS)]


def test_change_answered_with_an_empty_body_returns_what_was_written(client, emulator, alerts):
    incident = create(client, emulator, new_name(), alerts[:1], assigned_to="1")
    emulator.add_fault(method="PUT", path=CHANGE, status=200, count=1)
    changed, result, unused_value = utm_incident.run(client, params(id=incident["id"], status="in_review"), False)
    assert changed is True
    assert result["incident"] == dict(incident, incidentStatus="IN_REVIEW", status="in_review")


def test_a_list_answered_as_an_object_is_a_clear_error(client, emulator, monkeypatch):
    real_get = client.get

    def get(path, query=None):
        answer = real_get(path, query)
        answer.json = {"id": 1, "incidentName": "n"}
        return answer

    monkeypatch.setattr(client, "get", get)
    with pytest.raises(UtmApiError, match="GET %s failed with HTTP 200 - the server answered a JSON object" % INCIDENTS):
        utm_incident.run(client, params(id=1, status="open"), False)
    with pytest.raises(UtmApiError, match="a JSON object where a JSON list"):
        utm_incident.run(client, params(name="n", status="open"), False)


def test_create_answer_without_a_field_does_not_blank_it_in_the_status_write(client, emulator, alerts, monkeypatch):
    real_post = client.post

    def post(path, body=None, query=None, data=None):
        answer = real_post(path, body=body, query=query, data=data)
        if path == INCIDENTS:
            answer.json.pop("incidentAssignedTo")
        return answer

    monkeypatch.setattr(client, "post", post)
    name = new_name()
    utm_incident.run(client, params(name=name, alerts=alerts[:1], assigned_to="3", status="in_review"), False)
    stored = [i for i in emulator.state()["incidents"] if i["incidentName"] == name]
    assert stored[0]["incidentStatus"] == "IN_REVIEW" and stored[0]["incidentAssignedTo"] == "3"


# -- alert triage and repair -------------------------------------------------------------
def _triage(client, ids):
    from ansible_collections.utmstack.soc.plugins.module_utils import alerts as alert_docs

    docs = alert_docs.get_alerts(client, ids)
    return dict((i, (docs[i]["status"], docs[i].get("statusObservation"), docs[i].get("tags"))) for i in ids)


def _set(client, ids, code, observation, false_positive=False):
    from ansible_collections.utmstack.soc.plugins.module_utils import alerts as alert_docs

    alert_docs.set_status(client, ids, code, observation, false_positive)


def _link_statuses(client, incident_id):
    from ansible_collections.utmstack.soc.plugins.module_utils import incidents

    return dict((r["alertId"], r["alertStatus"]) for r in incidents.links_of_incident(client, incident_id))


def test_edit_without_status_change_keeps_every_alerts_triage(client, emulator, alerts):
    incident = create(client, emulator, new_name(), alerts[:3])
    _set(client, alerts[:1], 3, "analyst is on it")
    _set(client, alerts[1:2], 5, "scanner", false_positive=True)
    before = _triage(client, alerts[:3])
    changed, result, diff = utm_incident.run(client, params(id=incident["id"], assigned_to="3", description="new"), False)
    assert changed and _triage(client, alerts[:3]) == before
    # Echoes of these alerts (reached by the push too) are given back as well.
    assert set(alerts[:3]) <= set(result["alerts_restored"]) and result["alerts_followed"] == []
    assert sorted(diff["after"]["alert_triage_kept"]) == sorted(result["alerts_restored"])
    assert result["incident"]["incidentAssignedTo"] == "3"
    # The incident's alert table shows each document's status again.
    assert _link_statuses(client, incident["id"]) == dict((i, before[i][0]) for i in alerts[:3])
    emulator.clear_requests()
    assert utm_incident.run(client, params(id=incident["id"], assigned_to="3", description="new"), False)[0] is False
    assert writes(emulator) == []


def test_status_change_moves_alerts_but_keeps_false_positives(client, emulator, alerts):
    incident = create(client, emulator, new_name(), alerts[:2])
    _set(client, alerts[1:2], 5, "scanner", false_positive=True)
    changed, result, diff = utm_incident.run(client, params(id=incident["id"], status="in_review"), False)
    after = _triage(client, alerts[:2])
    assert after[alerts[0]][:2] == (3, "null") and after[alerts[1]][:2] == (5, "scanner")
    assert alerts[0] in result["alerts_followed"] and alerts[1] in result["alerts_restored"]
    assert alerts[0] not in result["alerts_restored"]
    assert diff["after"]["alert_triage"][alerts[0]]["status"] == "in_review"
    assert _link_statuses(client, incident["id"]) == {alerts[0]: 3, alerts[1]: 5}
    changed, result, unused_value = utm_incident.run(client, params(id=incident["id"], status="completed", solution="done",
                                                                    keep_false_positives=False), False)
    assert [v[:2] for v in _triage(client, alerts[:2]).values()] == [(5, "done"), (5, "done")]


def test_status_change_syncs_the_row_of_an_echo_in_another_incident(client, emulator):
    # Found by tests/integration/test_property.py: the push moves the echoes of the incident's
    # alerts, and an echo linked to another incident left that incident's row stale.
    echo = next(d for d in emulator.state()["alerts"] if d.get("parentId"))
    parent = create(client, emulator, new_name(), [echo["parentId"]])
    other = create(client, emulator, new_name(), [echo["id"]])
    for check_mode in (True, False):
        changed, result, unused_value = utm_incident.run(client, params(id=parent["id"], status="in_review"), check_mode)
        assert changed and echo["id"] in result["alerts_followed"] and result["links_synced"] == [echo["id"]]
    assert _triage(client, [echo["id"]])[echo["id"]][0] == 3
    assert _link_statuses(client, other["id"]) == {echo["id"]: 3}
    emulator.clear_requests()
    assert utm_incident.run(client, params(id=parent["id"], status="in_review"), False)[0] is False
    assert writes(emulator) == []


def test_check_mode_predicts_the_triage_restore(client, emulator, alerts):
    incident = create(client, emulator, new_name(), alerts[:2])
    _set(client, alerts[:1], 3, "mine")
    emulator.clear_requests()
    changed, predicted, diff = utm_incident.run(client, params(id=incident["id"], description="x"), True)
    assert changed and writes(emulator) == []
    changed, real, real_diff = utm_incident.run(client, params(id=incident["id"], description="x"), False)
    assert predicted["alerts_restored"] == real["alerts_restored"] and diff == real_diff


def test_rerun_finishes_a_restore_cut_off_after_the_put(client, emulator, alerts):
    incident = create(client, emulator, new_name(), alerts[:2])
    _set(client, alerts[:1], 3, "mine")
    before = _triage(client, alerts[:2])
    emulator.add_fault(method="POST", path="^/api/utm-alerts/status$", status=500)
    with pytest.raises(UtmApiError):
        utm_incident.run(client, params(id=incident["id"], assigned_to="1"), False)
    assert _triage(client, alerts[:2]) != before
    changed, result, unused_value = utm_incident.run(client, params(id=incident["id"], assigned_to="1"), False)
    assert changed and _triage(client, alerts[:2]) == before and result["alerts_restored"]
    assert _link_statuses(client, incident["id"]) == dict((i, before[i][0]) for i in alerts[:2])
    assert utm_incident.run(client, params(id=incident["id"], assigned_to="1"), False)[0] is False


def test_rerun_syncs_the_alert_table_a_run_cut_off_after_the_restore_left_stale(client, emulator, alerts):
    # Found by the fault matrix: the status change and its restore were done, the link-row sync
    # failed, and a rerun (nothing left to change) read no rows, so the table stayed stale.
    incident = create(client, emulator, new_name(), alerts[:2])
    _set(client, alerts[1:2], 5, "scanner", false_positive=True)
    emulator.add_fault(method="POST", path="^/api/utm-incident-alerts/update-status$", status=500)
    with pytest.raises(UtmApiError, match="update-status"):
        utm_incident.run(client, params(id=incident["id"], status="in_review"), False)
    assert _link_statuses(client, incident["id"]) == {alerts[0]: 3, alerts[1]: 3}
    changed, result, unused_value = utm_incident.run(client, params(id=incident["id"], status="in_review"), False)
    assert changed and result["links_synced"] == [alerts[1]]
    assert _link_statuses(client, incident["id"]) == {alerts[0]: 3, alerts[1]: 5}
    emulator.clear_requests()
    assert utm_incident.run(client, params(id=incident["id"], status="in_review"), False)[0] is False
    assert writes(emulator) == []


def test_rerun_flags_alerts_an_interrupted_create_left_unflagged(client, emulator, alerts):
    name = new_name()
    emulator.add_fault(method="POST", path="^/api/utm-alerts/convert-to-incident$", status=500)
    with pytest.raises(UtmApiError):
        utm_incident.run(client, params(name=name, alerts=alerts[:2]), False)
    changed, result, unused_value = utm_incident.run(client, params(name=name, alerts=alerts[:2]), False)
    assert changed and sorted(result["alerts_flagged"]) == sorted(alerts[:2]) and result["alerts_added"] == []
    from ansible_collections.utmstack.soc.plugins.module_utils import alerts as alert_docs

    assert all(d["isIncident"] for d in alert_docs.get_alerts(client, alerts[:2]).values())
    assert utm_incident.run(client, params(name=name, alerts=alerts[:2]), False)[0] is False


def test_create_whose_answer_was_lost_is_finished_not_duplicated(client, emulator, alerts):
    name = new_name()
    emulator.add_fault(method="POST", path="^/api/utm-incidents$", drop=True, after=True)
    changed, result, unused_value = utm_incident.run(client, params(name=name, alerts=alerts[:2]), False)
    assert changed and result["created"]
    assert [i["incidentName"] for i in emulator.state()["incidents"]].count(name) == 1
