"""alert_plan: status planning, the incident push and its restore, link rows and flags (pure)."""

from ansible_collections.utmstack.soc.plugins.module_utils import alert_plan as alerts

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
    assert plan["writes"] == [(3, "a", [P1, LONE]), (3, "b", [P2])]
    assert plan["after"][P2]["statusObservation"] == "b"


def test_given_observation_is_one_write_and_counts_as_a_change():
    current = docs(doc(P1, 3, "a"), doc(P2, 3, "new"))
    plan = alerts.plan_status(current, [P1, P2], 3, observation="new")
    assert plan["changed"] == [P1]
    assert plan["writes"] == [(3, "new", [P1])]


def test_empty_observation_clears():
    plan = alerts.plan_status(docs(doc(P1, 5, "old")), [P1], 5, observation="")
    assert plan["writes"] == [(5, "", [P1])]


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
    assert plan["writes"] == [(5, "parent note", [P1]), (5, "echo note", [E1])]
    assert plan["changed"] == [E1, P1]
    assert plan["after"][E1]["statusObservation"] == "echo note"


def test_listed_echo_fixed_by_its_parent_write_needs_no_write():
    current = docs(doc(E1, 2, "same", parent=P1), doc(P1, 2, "same"))
    plan = alerts.plan_status(current, [P1, E1], 3)
    assert plan["writes"] == [(3, "same", [P1])]
    assert plan["changed"] == [P1, E1]
    assert plan["after"][E1]["status"] == 3


def test_unchanged_echo_disturbed_by_its_parent_is_rewritten():
    current = docs(doc(E1, 3, "mine", parent=P1), doc(P1, 2, "parent"))
    plan = alerts.plan_status(current, [P1, E1], 3)
    assert plan["changed"] == [P1]
    assert plan["unchanged"] == [E1]
    assert plan["writes"] == [(3, "parent", [P1]), (3, "mine", [E1])]
    assert plan["after"][E1]["statusObservation"] == "mine"


def test_echo_group_never_merges_into_a_parent_group():
    # E1 wants "b"; an earlier parent group also sends "b", but P1 (sent later with "a")
    # would overwrite it, so echoes always come after every parent write.
    current = docs(doc(P2, 2, "b"), doc(P1, 2, "a"), doc(E1, 2, "b", parent=P1))
    plan = alerts.plan_status(current, [P2, P1, E1], 5)
    assert plan["writes"] == [(5, "b", [P2]), (5, "a", [P1]), (5, "b", [E1])]


def test_summary_and_state():
    d = doc(P1, 5, None, ["False positive"], name="Brute force")
    assert alerts.summary(d) == {"id": P1, "name": "Brute force", "status": "completed",
                                 "observation": "", "tags": ["False positive"]}
    assert alerts.status_state(d) == {"status": "completed", "observation": "", "false_positive": True}
    assert alerts.summary({"id": "x", "status": 1})["status"] == "automatic_review"


def test_unlisted_echo_follows_its_parent_and_is_reported():
    current = docs(doc(P1, 2, "p"), doc(E1, 2, "e", parent=P1))
    plan = alerts.plan_status(current, [P1], 5, observation="done")
    assert plan["writes"] == [(5, "done", [P1])]
    assert plan["followed"] == [E1]
    assert plan["after"][E1]["status"] == 5 and plan["after"][E1]["statusObservation"] == "done"


def test_v10_writes_reach_only_the_ids_and_tag_separately():
    current = docs(doc(P1, 2, "", ["vip"]), doc(P2, 2, ""), doc(E1, 2, "", parent=P1))
    plan = alerts.plan_status(current, [P1, P2], 5, false_positive=True, echoes_follow=False)
    assert plan["tag"] is False
    assert plan["writes"] == [(5, "", [P1, P2])]
    assert plan["tag_writes"] == [(["vip", "False positive"], [P1]), (["False positive"], [P2])]
    assert plan["followed"] == [] and plan["after"][E1] == current[E1]
    assert plan["after"][P1]["tags"] == ["vip", "False positive"]


def test_push_without_status_change_gives_every_triage_back():
    current = docs(doc(P1, 3, "looking"), doc(P2, 5, "fp", ["False positive"]), doc(E1, 2, "dup", parent=P1),
                   doc(LONE, 2, "untouched"))
    plan = alerts.plan_push(current, [P1, P2], 3, None, status_changes=False, keep_false_positives=True,
                            echoes_follow=True)
    assert plan["followed"] == []
    assert sorted(plan["kept"]) == [E1, P1, P2]
    assert plan["writes"] == [(3, "looking", [P1]), (5, "fp", [P2]), (2, "dup", [E1])]
    assert all(plan["after"][i] == current[i] for i in current)


def test_push_with_status_change_moves_alerts_but_keeps_false_positives():
    current = docs(doc(P1, 2, "x"), doc(P2, 5, "fp", ["False positive"]), doc(E1, 2, "dup", parent=P1),
                   doc(E2, 2, "", ["False positive"], parent=P1))
    plan = alerts.plan_push(current, [P1, P2], 5, "fixed", status_changes=True, keep_false_positives=True,
                            echoes_follow=True)
    assert sorted(plan["followed"]) == [E1, P1]
    assert sorted(plan["kept"]) == [E2, P2]
    assert plan["after"][P1]["statusObservation"] == "fixed" and plan["after"][E1]["status"] == 5
    assert plan["after"][P2] == current[P2] and plan["after"][E2] == current[E2]
    everyone = alerts.plan_push(current, [P1, P2], 5, None, True, False, True)
    assert everyone["kept"] == [] and everyone["after"][P2]["statusObservation"] == "null"


def test_push_on_v10_does_not_reach_echoes():
    current = docs(doc(P1, 3, "a"), doc(E1, 3, "b", parent=P1))
    plan = alerts.plan_push(current, [P1], 3, None, False, True, echoes_follow=False)
    assert plan["writes"] == [(3, "a", [P1])] and plan["kept"] == [P1]


def test_incident_alert_code():
    assert [alerts.incident_alert_code(s) for s in ("OPEN", "IN_REVIEW", "COMPLETED", "MERGED")] == [2, 3, 5, None]


def test_stale_links_group_by_incident_and_document_status():
    rows = [{"alertId": P1, "incidentId": 7, "alertStatus": 2}, {"alertId": P2, "incidentId": 7, "alertStatus": 5},
            {"alertId": E1, "incidentId": 9, "alertStatus": 3}, {"alertId": "gone", "incidentId": 9, "alertStatus": 3}]
    current = docs(doc(P1, 5), doc(P2, 5), doc(E1, 2))
    assert alerts.stale_links(rows, current) == {(7, 5): [P1], (9, 2): [E1]}


def test_flags_to_repair():
    current = {P1: {"id": P1, "isIncident": False}, P2: {"id": P2, "isIncident": True, "incidentDetail": {"incidentId": "7"}},
               E1: {"id": E1, "isIncident": True, "incidentDetail": {"incidentId": "8"}}}
    assert alerts.flags_to_repair(current, [P1, P2, E1, "gone"], 7) == ([P1], [E1])
