"""alerts: the alert reads and writes against the emulator."""

import pytest

from ansible_collections.utmstack.soc.plugins.module_utils import alert_plan, alerts


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
    plan = alert_plan.plan_status(current, ids, 3, observation)
    emulator.clear_requests()
    alerts.write_status(client, plan["writes"])
    after = alerts.get_alerts(client, ids)
    assert all(after[i]["status"] == 3 and alert_plan.observation_of(after[i]) == observation for i in ids)


def test_echoes_are_read_by_parent_id(emulator, client):
    echo = client.search([{"field": "parentId", "operator": "EXIST"}], limit=1)[0]
    found = alerts.get_with_echoes(client, [echo["parentId"]])
    assert echo["id"] in found and echo["parentId"] in found


def test_lost_answer_of_a_status_write_is_sent_again(emulator, client):
    some = client.search([{"field": "parentId", "operator": "DOES_NOT_EXIST"}], limit=1)
    emulator.add_fault(method="POST", path="^/api/utm-alerts/status$", drop=True, after=True)
    alerts.set_status(client, [some[0]["id"]], 3, "again")
    assert alerts.get_alerts(client, [some[0]["id"]])[some[0]["id"]]["statusObservation"] == "again"
