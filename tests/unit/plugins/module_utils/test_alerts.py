"""alerts: status planning (pure) and the alert reads/writes against the emulator."""

import pytest

from ansible_collections.utmstack.soc.plugins.module_utils import alerts

P1, P2, E1, E2, LONE = "p1", "p2", "e1", "e2", "lone"


def doc(alert_id, status=2, observation="", tags=None, parent=None, name="rule"):
    d = {"id": alert_id, "name": name, "status": status, "statusObservation": observation, "tags": tags}
    if parent:
        d["parentId"] = parent
    return d


def docs(*items):
    return dict((d["id"], d) for d in items)


def test_unchanged_when_everything_matches():
    plan = alerts.plan_status(docs(doc(P1, 5, "done")), [P1], 5)
    assert plan["changed"] == [] and plan["writes"] == [] and plan["unchanged"] == [P1]


def test_groups_by_current_observation_when_none_given():
    current = docs(doc(P1, 2, "a"), doc(P2, 2, "b"), doc(LONE, 2, "a"), doc("x", 3, None))
    plan = alerts.plan_status(current, [P1, P2, LONE, "x", "gone"], 3)
    assert plan["changed"] == [P1, P2, LONE]
    assert plan["unchanged"] == ["x"]
    assert plan["missing"] == ["gone"]
    assert plan["writes"] == [("a", [P1, LONE]), ("b", [P2])]
    assert plan["after"][P2]["statusObservation"] == "b"
    assert plan["status_changed"] == [P1, P2, LONE]


def test_given_observation_is_one_write_and_counts_as_a_change():
    current = docs(doc(P1, 3, "a"), doc(P2, 3, "new"))
    plan = alerts.plan_status(current, [P1, P2], 3, observation="new")
    assert plan["changed"] == [P1]
    assert plan["status_changed"] == []
    assert plan["writes"] == [("new", [P1])]


def test_empty_observation_clears():
    plan = alerts.plan_status(docs(doc(P1, 5, "old")), [P1], 5, observation="")
    assert plan["writes"] == [("", [P1])]


def test_false_positive_tag_is_a_difference_and_predicted():
    current = docs(doc(P1, 5, "", ["vip"]), doc(P2, 5, "", ["False positive"]))
    plan = alerts.plan_status(current, [P1, P2], 5, false_positive=True)
    assert plan["changed"] == [P1]
    assert plan["after"][P1]["tags"] == ["vip", "False positive"]
    # false_positive False never looks at tags.
    assert alerts.plan_status(current, [P1, P2], 5)["changed"] == []


def test_listed_echo_is_written_after_its_parent_when_the_parent_write_would_change_it():
    current = docs(doc(E1, 2, "echo note", parent=P1), doc(P1, 2, "parent note"), doc(E2, 5, "", parent=P2))
    plan = alerts.plan_status(current, [E1, P1, E2], 5)
    # Parents first, then the echo with its own observation; E2 is done and its parent is not written.
    assert plan["writes"] == [("parent note", [P1]), ("echo note", [E1])]
    assert plan["changed"] == [E1, P1]
    assert plan["after"][E1]["statusObservation"] == "echo note"


def test_listed_echo_fixed_by_its_parent_write_needs_no_write():
    current = docs(doc(E1, 2, "same", parent=P1), doc(P1, 2, "same"))
    plan = alerts.plan_status(current, [P1, E1], 3)
    assert plan["writes"] == [("same", [P1])]
    assert plan["changed"] == [P1, E1]
    assert plan["after"][E1]["status"] == 3


def test_unchanged_echo_disturbed_by_its_parent_is_rewritten():
    current = docs(doc(E1, 3, "mine", parent=P1), doc(P1, 2, "parent"))
    plan = alerts.plan_status(current, [P1, E1], 3)
    assert plan["changed"] == [P1]
    assert plan["unchanged"] == [E1]
    assert plan["writes"] == [("parent", [P1]), ("mine", [E1])]
    assert plan["after"][E1]["statusObservation"] == "mine"


def test_echo_group_never_merges_into_a_parent_group():
    # E1 wants "b"; an earlier parent group also sends "b", but P1 (sent later with "a")
    # would overwrite it, so echoes always come after every parent write.
    current = docs(doc(P2, 2, "b"), doc(P1, 2, "a"), doc(E1, 2, "b", parent=P1))
    plan = alerts.plan_status(current, [P2, P1, E1], 5)
    assert plan["writes"] == [("b", [P2]), ("a", [P1]), ("b", [E1])]


def test_summary_and_state():
    d = doc(P1, 5, None, ["False positive"], name="Brute force")
    assert alerts.summary(d) == {"id": P1, "name": "Brute force", "status": "completed",
                                 "observation": "", "tags": ["False positive"]}
    assert alerts.status_state(d) == {"status": "completed", "observation": "", "false_positive": True}
    assert alerts.summary({"id": "x", "status": 1})["status"] == "automatic_review"


def test_links_to_sync():
    links = {P1: {"alertId": P1, "incidentId": 7, "alertStatus": 2},
             P2: {"alertId": P2, "incidentId": 7, "alertStatus": 5},
             E1: {"alertId": E1, "incidentId": 9, "alertStatus": 3}}
    assert alerts.links_to_sync(links, [P1, P2, E1, LONE], 5) == {7: [P1], 9: [E1]}


def test_chunks_and_ids_filter():
    assert [len(c) for c in alerts.chunks(list(range(4001)), 2000)] == [2000, 2000, 1]
    assert alerts.ids_filter(("a",)) == {"field": "id.keyword", "operator": "IS_ONE_OF_TERMS", "value": ["a"]}


# -- against the emulator ---------------------------------------------------------------

def _searches(emulator):
    return [r for r in emulator.requests() if r["path"] == "/api/elasticsearch/search"]


def test_get_alerts_reads_existing_ids_in_one_search(emulator, client):
    some = client.search([], limit=5)
    ids = [d["id"] for d in some] + ["00000000-0000-4000-8000-000000000000"]
    emulator.clear_requests()
    found = alerts.get_alerts(client, ids)
    assert sorted(found) == sorted(d["id"] for d in some)
    assert len(_searches(emulator)) == 1


def test_set_status_writes_in_chunks_of_2000(emulator, client):
    ids = ["%08x-0000-4000-8000-000000000000" % n for n in range(2001)]
    alerts.set_status(client, ids, 3, None)
    writes = emulator.requests(writes_only=True)
    assert [len(w["body"]["alertIds"]) for w in writes] == [2000, 1]
    # v11 answers 500 on a null observation: the helper always sends a string.
    assert writes[0]["body"]["statusObservation"] == "" and writes[0]["body"]["addFalsePositiveTag"] is False


@pytest.mark.parametrize("observation", ["kept", ""])
def test_write_plan_sends_each_group(emulator, client, observation):
    some = client.search([{"field": "parentId", "operator": "DOES_NOT_EXIST"}], limit=2)
    ids = [d["id"] for d in some]
    current = alerts.get_alerts(client, ids)
    plan = alerts.plan_status(current, ids, 3, observation)
    emulator.clear_requests()
    alerts.write_plan(client, plan, 3)
    after = alerts.get_alerts(client, ids)
    assert all(after[i]["status"] == 3 and alerts.observation_of(after[i]) == observation for i in ids)
