"""incidents.py against the emulator, and the pure helpers of incident_state.py."""

import pytest

from ansible_collections.utmstack.soc.plugins.module_utils import alerts, incident_state, incidents
from ansible_collections.utmstack.soc.plugins.module_utils.errors import UtmApiError, UtmInputError

INCIDENT = {"id": 7, "incidentName": "INC-7", "incidentDescription": "d", "incidentStatus": "IN_REVIEW",
            "incidentAssignedTo": "1", "incidentSeverity": 2, "incidentCreatedDate": "2026-03-01T10:00:00Z",
            "incidentSolution": None}


# -- incident_state: pure ---------------------------------------------------------------
def test_field_changes_compares_only_the_options_set():
    assert incident_state.field_changes(INCIDENT, {"name": None, "status": "in_review"}) == {}
    assert incident_state.field_changes(INCIDENT, {"status": "completed", "solution": "fixed", "assigned_to": "1"}) == {
        "incidentStatus": "COMPLETED", "incidentSolution": "fixed"}


def test_field_changes_treats_empty_text_as_unset_for_optional_fields():
    assert incident_state.field_changes(dict(INCIDENT, incidentSolution=""), {"solution": ""}) == {}
    assert incident_state.field_changes(INCIDENT, {"assigned_to": ""}) == {"incidentAssignedTo": None}
    # description is required by the server: "" is a value of its own.
    assert incident_state.field_changes(INCIDENT, {"description": ""}) == {"incidentDescription": ""}


def test_merged_incident_is_never_written_back():
    merged = dict(INCIDENT, incidentStatus="MERGED")
    with pytest.raises(UtmInputError, match="merged, which UTMStack cannot write back; set status"):
        incident_state.field_changes(merged, {"description": "x"})
    assert incident_state.field_changes(merged, {"description": "x", "status": "open"})["incidentStatus"] == "OPEN"
    assert incident_state.field_changes(merged, {"description": "d"}) == {}


def test_new_incident_predicts_the_server():
    items = [{"alertId": "a", "alertSeverity": 1}, {"alertId": "b", "alertSeverity": 3}]
    created = incident_state.new_incident({"name": "N", "assigned_to": ""}, items)
    assert created["incidentSeverity"] == 3
    assert created["incidentDescription"] == "" and created["incidentAssignedTo"] is None
    assert created["incidentStatus"] == "OPEN" and created["incidentSolution"] is None


def test_user_view_speaks_the_users_words():
    view = incident_state.user_view(INCIDENT, ["b", "a"])
    assert view == {"name": "INC-7", "description": "d", "status": "in_review", "assigned_to": "1",
                    "solution": None, "alerts": ["a", "b"]}
    assert "alerts" not in incident_state.user_view(INCIDENT)
    assert incident_state.user_view(None) == {}


@pytest.mark.parametrize("value, warned", [
    ("1", False), ("1,3,12", False), (None, False), ("", False), ("admin", True), ("1, 3", True), ("None", True)])
def test_assignee_warnings(value, warned):
    assert bool(incident_state.assignee_warnings(value)) is warned


@pytest.mark.parametrize("value, instant", [
    ("2026-03-01", "2026-03-01T00:00:00Z"),
    ("2026-03-01T08:00:00Z", "2026-03-01T08:00:00Z"),
    ("2026-03-01T08:00:00", "2026-03-01T08:00:00Z"),
    ("2026-03-01T10:30:00+02:00", "2026-03-01T08:30:00Z"),
    ("2026-03-01T08:00:00.5Z", "2026-03-01T08:00:00.500000Z"),
    ("2026-03-01T08:00:00.123456789Z", "2026-03-01T08:00:00.123456Z"),
])
def test_iso_instant(value, instant):
    assert incident_state.iso_instant("created_after", value) == instant


@pytest.mark.parametrize("value", ["yesterday", "2026-13-01", "01/03/2026"])
def test_iso_instant_rejects_other_text(value):
    with pytest.raises(UtmInputError, match="created_after must be an ISO-8601"):
        incident_state.iso_instant("created_after", value)


def test_check_sort():
    assert incident_state.check_sort("incidentCreatedDate,desc") == "incidentCreatedDate,desc"
    assert incident_state.check_sort("id") == "id"
    for bad in ("name,asc", "id,up", "id,asc,x"):
        with pytest.raises(UtmInputError, match="sort must be"):
            incident_state.check_sort(bad)


def test_incident_criteria_uses_operators_the_server_applies():
    criteria = incident_state.incident_criteria({
        "id": 3, "name_contains": "ssh", "status": ["open", "in_review"], "severity": ["high", "1", "3"],
        "assigned_to": "1", "created_after": "2026-03-01", "created_before": "2026-03-31T23:59:59Z"})
    assert criteria == {
        "id.equals": 3, "incidentName.contains": "ssh", "incidentStatus.in": "OPEN,IN_REVIEW",
        "incidentSeverity.in": "1,3", "incidentAssignedTo.equals": "1",
        "incidentCreatedDate.greaterThanOrEqual": "2026-03-01T00:00:00Z",
        "incidentCreatedDate.lessThanOrEqual": "2026-03-31T23:59:59Z"}
    assert incident_state.incident_criteria({"name": "x"}) == {"incidentName.equals": "x"}
    with pytest.raises(UtmInputError, match="severity must be low, medium, high or 1-3"):
        incident_state.incident_criteria({"severity": ["critical"]})


# -- incidents.py against the emulator ---------------------------------------------------
def test_links_of_alerts_asks_in_chunks_of_100(client, emulator):
    linked = emulator.state()["incident_alerts"]
    ghosts = ["00000000-0000-4000-8000-%012d" % n for n in range(150)]
    found = incidents.links_of_alerts(client, ghosts + [row["alertId"] for row in linked])
    assert sorted(found) == sorted(row["alertId"] for row in linked)
    reads = emulator.requests()
    assert [r["method"] for r in reads] == ["GET", "GET"]
    assert all(r["query"].get("sort") in ("id,asc", ["id,asc"]) for r in reads)
    assert incidents.links_of_alerts(client, []) == {} and len(emulator.requests()) == 2


def test_list_links_combines_incident_and_alerts(client, emulator):
    row = emulator.state()["incident_alerts"][0]
    assert incidents.list_links(client, row["incidentId"], [row["alertId"]]) == [row]
    assert incidents.list_links(client, row["incidentId"] + 1000, [row["alertId"]]) == []
    assert len(incidents.list_links(client, limit=1)) == 1


def test_check_not_elsewhere_names_the_incident(client, emulator):
    state = emulator.state()
    row = state["incident_alerts"][0]
    name = [i["incidentName"] for i in state["incidents"] if i["id"] == row["incidentId"]][0]
    links = incidents.links_of_alerts(client, [row["alertId"]])
    incidents.check_not_elsewhere(client, row["incidentId"], links)
    with pytest.raises(UtmInputError) as error:
        incidents.check_not_elsewhere(client, None, links)
    assert "%s in incident %s (%r)" % (row["alertId"], row["incidentId"], name) in str(error.value)


def test_docs_to_link_makes_items_and_names_missing_alerts():
    docs = {"a": {"id": "a", "name": "rule", "status": 3, "severity": 2}}
    assert incidents.docs_to_link(docs, ["a"]) == [{"alertId": "a", "alertName": "rule", "alertStatus": 3,
                                                    "alertSeverity": 2}]
    with pytest.raises(UtmInputError, match="1 alert.s. not found in the alert index: b"):
        incidents.docs_to_link(docs, ["a", "b"])


def _free_items(emulator, count):
    linked = set(row["alertId"] for row in emulator.state()["incident_alerts"])
    docs = [d for d in emulator.state()["alerts"] if not d.get("parentId") and d["id"] not in linked][:count]
    return [alerts.link_item(d) for d in docs]


def test_create_converges_when_another_run_made_it(client, emulator):
    items = _free_items(emulator, 2)
    made, created = incidents.create_incident(client, "INC race", "", None, items[:1])
    assert created
    again, created = incidents.create_incident(client, "INC race", "", None, items[1:])
    assert not created and again["id"] == made["id"]


def test_create_whose_answer_is_lost_finds_the_incident(client, emulator):
    emulator.add_fault(method="POST", path="^/api/utm-incidents$", drop=True, after=True)
    made, created = incidents.create_incident(client, "INC lost answer", "", None, _free_items(emulator, 1))
    assert created and made["incidentName"] == "INC lost answer"
    assert len([i for i in emulator.state()["incidents"] if i["incidentName"] == "INC lost answer"]) == 1


def test_add_alerts_after_a_409_adds_only_what_is_missing(client, emulator):
    items = _free_items(emulator, 3)
    made, unused = incidents.create_incident(client, "INC add race", "", None, items[:1])
    incidents.add_alerts(client, made["id"], items[1:2])
    emulator.clear_requests()
    assert incidents.add_alerts(client, made["id"], items) == [items[2]["alertId"]]
    rows = [r for r in emulator.state()["incident_alerts"] if r["incidentId"] == made["id"]]
    assert sorted(r["alertId"] for r in rows) == sorted(i["alertId"] for i in items)


def _post_racing_add_alerts(client, monkeypatch, racing_items):
    """The first add-alerts answers 500 after another run linked ``racing_items`` to the same incident."""
    real_post = client.post
    state = {"first": True}

    def post(path, body=None, **options):
        if path.endswith("/add-alerts") and state.pop("first", False):
            if racing_items:
                real_post(path, body=dict(body, alertList=racing_items))
            raise UtmApiError("POST", path, status=500, server_error="ux_utm_incident_alert_alert_id")
        return real_post(path, body=body, **options)
    monkeypatch.setattr(client, "post", post)


def test_add_alerts_after_a_500_of_the_unique_alert_index_adds_only_what_is_missing(client, emulator, monkeypatch):
    items = _free_items(emulator, 3)
    made, unused = incidents.create_incident(client, "INC add race 500", "", None, items[:1])
    _post_racing_add_alerts(client, monkeypatch, items[1:2])
    assert incidents.add_alerts(client, made["id"], items[1:]) == [items[2]["alertId"]]
    rows = [r for r in emulator.state()["incident_alerts"] if r["incidentId"] == made["id"]]
    assert sorted(r["alertId"] for r in rows) == sorted(i["alertId"] for i in items)


def test_add_alerts_500_with_nothing_linked_is_raised_as_it_came(client, emulator, monkeypatch):
    items = _free_items(emulator, 2)
    made, unused = incidents.create_incident(client, "INC add 500", "", None, items[:1])
    _post_racing_add_alerts(client, monkeypatch, [])
    with pytest.raises(UtmApiError) as error:
        incidents.add_alerts(client, made["id"], items[1:])
    assert error.value.status == 500


def test_change_incident_redoes_a_lost_update(client, emulator, monkeypatch):
    made, unused = incidents.create_incident(client, "INC lost update", "", None, _free_items(emulator, 1))
    real_put = client.put
    state = {"first": True}

    def put_then_overwrite(path, body=None):
        answer = real_put(path, body=body)
        if state.pop("first", False):
            # Another writer's full-object PUT, from a row read before ours.
            real_put(path, body=dict(made, incidentDescription="theirs"))
        return answer

    monkeypatch.setattr(client, "put", put_then_overwrite)
    saved = incidents.change_incident(client, made, {"incidentAssignedTo": "3"})
    assert saved["incidentAssignedTo"] == "3"
    assert incidents.get_incident(client, made["id"])["incidentAssignedTo"] == "3"
