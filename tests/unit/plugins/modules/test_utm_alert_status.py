"""utm_alert_status.run() against the emulator: planning, writes, echoes, links, check mode."""

import pytest

from ansible_collections.utmstack.soc.plugins.module_utils import alert_plan, alerts, incidents
from ansible_collections.utmstack.soc.plugins.module_utils.errors import UtmApiError, UtmInputError
from ansible_collections.utmstack.soc.plugins.modules import utm_alert_status
from harness import module_params

SEARCH = "/api/elasticsearch/search"
STATUS = "/api/utm-alerts/status"
LINK_STATUS = "/api/utm-incident-alerts/update-status"
MISSING = "00000000-0000-4000-8000-00000000dead"
# What a rerun with nothing to do reads: the alerts, their echoes, their link rows.
RERUN = [("POST", SEARCH), ("POST", SEARCH), ("GET", "/api/utm-incident-alerts")]


def params(**options):
    return module_params(utm_alert_status, **options)


def log(emulator):
    return [(r["method"], r["path"]) for r in emulator.requests()]


def writes(emulator):
    return emulator.requests(writes_only=True)


def top_level(client, emulator, count, status=2):
    """Top-level open demo alerts in no incident; the request log is cleared after."""
    docs = client.search([{"field": "parentId", "operator": "DOES_NOT_EXIST"},
                          {"field": "status", "operator": "IS", "value": status},
                          {"field": "isIncident", "operator": "IS", "value": False}], limit=200)
    linked = incidents.links_of_alerts(client, [d["id"] for d in docs])
    ids = [d["id"] for d in docs if d["id"] not in linked][:count]
    assert len(ids) == count
    emulator.clear_requests()
    return ids


def read(client, ids):
    return alerts.get_alerts(client, ids)


def test_keeps_each_alerts_observation_one_write_per_group(client, emulator):
    ids = top_level(client, emulator, 4)
    alerts.set_status(client, ids[:1], 2, "first look")
    alerts.set_status(client, ids[1:2], 2, "")
    emulator.clear_requests()
    before = read(client, ids)
    emulator.clear_requests()

    changed, result, diff = utm_alert_status.run(client, params(alerts=ids, status="in_review"), False)

    assert changed is True
    assert result["changed_alerts"] == ids and result["unchanged_alerts"] == [] and result["missing_alerts"] == []
    after = read(client, ids)
    for alert_id in ids:
        assert after[alert_id]["status"] == 3
        assert alert_plan.observation_of(after[alert_id]) == alert_plan.observation_of(before[alert_id])
    sent = [(w["body"]["statusObservation"], len(w["body"]["alertIds"])) for w in writes(emulator)
            if w["path"] == STATUS]
    assert sorted(sent) == sorted([("first look", 1), ("", 1), (alert_plan.observation_of(before[ids[2]]), 2)])
    assert diff["before"][ids[0]] == {"status": "open", "observation": "first look", "false_positive": False}
    assert diff["after"][ids[0]] == {"status": "in_review", "observation": "first look", "false_positive": False}
    assert [a["status"] for a in result["alerts"]] == ["in_review"] * 4


def test_given_observation_then_rerun_is_one_read(client, emulator):
    ids = top_level(client, emulator, 3)
    changed, result, unused_value = utm_alert_status.run(client, params(alerts=ids, status="completed",
                                                                        observation="Handled by SOC"), False)
    assert changed and len([w for w in writes(emulator) if w["path"] == STATUS]) == 1
    assert all(alert_plan.observation_of(d) == "Handled by SOC" for d in read(client, ids).values())
    emulator.clear_requests()
    changed, result, diff = utm_alert_status.run(client, params(alerts=ids, status="completed",
                                                                observation="Handled by SOC"), False)
    assert changed is False and diff is None
    assert result["unchanged_alerts"] == ids and result["changed_alerts"] == []
    assert log(emulator) == RERUN


def test_rerun_mends_link_rows_an_interrupted_run_left_stale(client, emulator):
    ids = top_level(client, emulator, 2)
    docs = read(client, ids)
    incident = incidents.create_incident(client, "INC stale rows", "", None, [alerts.link_item(docs[i]) for i in ids])[0]
    emulator.add_fault(method="POST", path=LINK_STATUS, status=500)
    with pytest.raises(UtmApiError):
        utm_alert_status.run(client, params(alerts=ids, status="completed"), False)
    changed, result, diff = utm_alert_status.run(client, params(alerts=ids, status="completed"), False)
    assert changed and result["changed_alerts"] == [] and result["synced_incidents"] == [incident["id"]]
    assert [r["alertStatus"] for r in incidents.links_of_incident(client, incident["id"])] == [5, 5]
    assert utm_alert_status.run(client, params(alerts=ids, status="completed"), False)[0] is False


def test_unlisted_echo_follows_and_its_link_row_is_synced(client, emulator):
    echo = client.search([{"field": "parentId", "operator": "EXIST"}], limit=1)[0]
    parent = echo["parentId"]
    docs = read(client, [echo["id"]])
    incident = incidents.create_incident(client, "INC echo row", "", None, [alerts.link_item(docs[echo["id"]])])[0]
    changed, result, unused_value = utm_alert_status.run(client, params(alerts=[parent], status="in_review",
                                                                        observation="seen"), False)
    assert echo["id"] in result["changed_echoes"] and result["synced_incidents"] == [incident["id"]]
    assert [r["alertStatus"] for r in incidents.links_of_incident(client, incident["id"])] == [3]


def test_observation_only_change_and_clearing(client, emulator):
    ids = top_level(client, emulator, 1)
    changed, result, unused_value = utm_alert_status.run(client, params(alerts=ids, status="open", observation=""), False)
    assert changed is True and result["changed_alerts"] == ids
    assert alert_plan.observation_of(read(client, ids)[ids[0]]) == ""
    # The link rows are read (one lookup) even when only the observation changed: a rerun
    # must mend rows an earlier run left stale.
    assert [p for _m, p in log(emulator)].count("/api/utm-incident-alerts") == 1


def test_false_positive_tag(client, emulator):
    ids = top_level(client, emulator, 2)
    changed, result, unused_value = utm_alert_status.run(client, params(alerts=ids, status="completed",
                                                                        false_positive=True), False)
    assert changed
    assert all("False positive" in (d.get("tags") or []) for d in read(client, ids).values())
    assert all(w["body"]["addFalsePositiveTag"] is True for w in writes(emulator) if w["path"] == STATUS)
    assert all("False positive" in a["tags"] for a in result["alerts"])
    emulator.clear_requests()
    assert utm_alert_status.run(client, params(alerts=ids, status="completed", false_positive=True),
                                False)[0] is False
    assert log(emulator) == RERUN


@pytest.mark.parametrize("options, message", [
    (dict(alerts=["x"], status="open"), "UUID"),
    (dict(alerts=[MISSING], status="in_review", false_positive=True), "false_positive needs status completed"),
])
def test_bad_input_fails_before_any_request(client, emulator, options, message):
    with pytest.raises(UtmInputError, match=message):
        utm_alert_status.run(client, params(**options), False)
    assert emulator.requests() == []


def test_missing_alerts_are_reported(client, emulator):
    ids = top_level(client, emulator, 1)
    changed, result, unused_value = utm_alert_status.run(client, params(alerts=ids + [MISSING], status="in_review"), False)
    assert changed and result["missing_alerts"] == [MISSING] and result["changed_alerts"] == ids
    emulator.clear_requests()
    changed, result, diff = utm_alert_status.run(client, params(alerts=[MISSING], status="in_review"), False)
    assert changed is False and result["missing_alerts"] == [MISSING] and result["alerts"] == []
    assert log(emulator) == [("POST", SEARCH)]
    assert result["warnings"] == ["1 of the listed alerts do not exist on the server: %s (all in missing_alerts); the "
                                  "others were handled (set missing=fail to stop, missing=ignore to silence this)" % MISSING]


def test_missing_alerts_fail_before_any_write_or_are_ignored_as_asked(client, emulator):
    ids = top_level(client, emulator, 1)
    many = ["00000000-0000-4000-8000-%012d" % n for n in range(10000)]
    with pytest.raises(UtmInputError) as error:
        utm_alert_status.run(client, params(alerts=ids + many, status="in_review", missing="fail"), False)
    assert str(error.value).startswith("10000 of the listed alerts do not exist on the server: %s, " % many[0])
    assert "and 9995 more (all in missing_alerts); nothing was written (missing=fail)" in str(error.value)
    assert len(str(error.value)) < 1000
    assert [r for r in emulator.requests() if r["write"]] == []
    changed, result, unused_value = utm_alert_status.run(client, params(alerts=ids + [MISSING], status="in_review",
                                                                        missing="ignore"), False)
    assert changed is True and "warnings" not in result and result["missing_alerts"] == [MISSING]


def test_check_mode_predicts_exactly_and_writes_nothing(client, emulator):
    ids = top_level(client, emulator, 3)
    alerts.set_status(client, ids[:1], 3, "already")
    emulator.clear_requests()
    options = dict(alerts=ids + [MISSING], status="in_review", false_positive=False)
    checked = utm_alert_status.run(client, params(**options), True)
    assert writes(emulator) == []
    emulator.clear_requests()
    applied = utm_alert_status.run(client, params(**options), False)
    assert checked == applied
    assert checked[1]["unchanged_alerts"] == ids[:1]
    actual = read(client, ids)
    assert [alert_plan.summary(actual[i]) for i in ids] == applied[1]["alerts"]


def test_echoes_follow_their_parent(client, emulator):
    echo = client.search([{"field": "parentId", "operator": "EXIST"},
                          {"field": "status", "operator": "IS", "value": 2}], limit=1)[0]
    parent = echo["parentId"]
    emulator.clear_requests()
    changed, result, unused_value = utm_alert_status.run(client, params(alerts=[parent], status="in_review",
                                                                        observation="parent only"), False)
    assert changed and result["changed_alerts"] == [parent]
    # The server applies the write to the echo as well (documented).
    assert read(client, [echo["id"]])[echo["id"]]["status"] == 3


def test_listed_echo_keeps_its_own_observation(client, emulator):
    echo = client.search([{"field": "parentId", "operator": "EXIST"},
                          {"field": "status", "operator": "IS", "value": 2}], limit=1)[0]
    parent = echo["parentId"]
    alerts.set_status(client, [echo["id"]], 2, "echo says")   # matches by id: the parent is untouched
    alerts.set_status(client, [parent], 2, "parent says")     # also rewrites the echo...
    alerts.set_status(client, [echo["id"]], 2, "echo says")   # ...so set it back
    emulator.clear_requests()
    changed, result, unused_value = utm_alert_status.run(client, params(alerts=[echo["id"], parent], status="completed"),
                                                         False)
    assert changed
    after = read(client, [echo["id"], parent])
    assert after[parent]["statusObservation"] == "parent says"
    assert after[echo["id"]]["statusObservation"] == "echo says"
    assert all(d["status"] == 5 for d in after.values())
    sent = [w["body"]["alertIds"] for w in writes(emulator) if w["path"] == STATUS]
    assert sent == [[parent], [echo["id"]]]
    emulator.clear_requests()
    assert utm_alert_status.run(client, params(alerts=[echo["id"], parent], status="completed"), False)[0] is False
    assert log(emulator) == RERUN


def test_incident_alert_table_is_synced(client, emulator):
    ids = top_level(client, emulator, 3)
    docs = read(client, ids)
    incident = incidents.create_incident(client, "INC status sync test", "", None,
                                         [alerts.link_item(docs[i]) for i in ids[:2]])[0]
    emulator.clear_requests()
    changed, result, unused_value = utm_alert_status.run(client, params(alerts=ids, status="completed"), False)
    assert changed and result["synced_incidents"] == [incident["id"]]
    syncs = [w for w in writes(emulator) if w["path"] == LINK_STATUS]
    assert [(s["body"]["incidentId"], sorted(s["body"]["alertIds"]), s["body"]["status"]) for s in syncs] == \
        [(incident["id"], sorted(ids[:2]), 5)]
    links = incidents.links_of_incident(client, incident["id"])
    assert sorted(r["alertStatus"] for r in links) == [5, 5]
    # sync_incident false leaves the table alone.
    emulator.clear_requests()
    changed, result, unused_value = utm_alert_status.run(client, params(alerts=ids, status="open", sync_incident=False), False)
    assert changed and result["synced_incidents"] == []
    assert [w["path"] for w in writes(emulator)] == [STATUS]
    # Check mode names the incident it would sync, without writing.
    emulator.clear_requests()
    changed, result, unused_value = utm_alert_status.run(client, params(alerts=ids, status="in_review"), True)
    assert result["synced_incidents"] == [incident["id"]] and writes(emulator) == []


def test_server_fault_is_a_clear_error(client, emulator):
    ids = top_level(client, emulator, 1)
    emulator.add_fault(method="POST", path=STATUS, status=500, count=1)
    with pytest.raises(UtmApiError) as err:
        utm_alert_status.run(client, params(alerts=ids, status="completed"), False)
    assert "POST /api/utm-alerts/status failed with HTTP 500" in str(err.value)


def test_more_than_2000_alerts_in_chunks(client, emulator):
    from emulator.demo import bulk_seed

    extra = bulk_seed(n_alerts=2101, n_incidents=0)["alerts"]
    emulator.load_seed({"alerts": extra})
    ids = [d["id"] for d in extra]
    emulator.clear_requests()
    changed, result, unused_value = utm_alert_status.run(client, params(alerts=ids, status="in_review", sync_incident=False),
                                                         False)
    assert changed and len(result["changed_alerts"]) == 2101
    # Two searches for the alerts (2000 + 101 ids), two for their echoes, then one observation
    # group written in two chunks.
    assert log(emulator) == [("POST", SEARCH)] * 4 + [("POST", STATUS)] * 2
    assert [len(w["body"]["alertIds"]) for w in writes(emulator)] == [2000, 101]
    emulator.clear_requests()
    assert utm_alert_status.run(client, params(alerts=ids, status="in_review"), False)[0] is False
    # A rerun reads the link rows of every alert too, 100 ids per query (the query string limit).
    assert log(emulator) == [("POST", SEARCH)] * 4 + [("GET", "/api/utm-incident-alerts")] * 22


def test_an_empty_list_changes_nothing_and_sends_no_request(client, emulator):
    emulator.clear_requests()
    changed, result, diff = utm_alert_status.run(client, params(alerts=[], status="completed"), False)
    assert changed is False and diff is None and result["changed_alerts"] == [] and result["alerts"] == []
    assert emulator.requests() == []
