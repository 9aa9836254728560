"""The EDA pollers and poll loop against the emulator, through the collection's real client."""

import asyncio
import time
import uuid

import pytest

from ansible_collections.utmstack.soc.plugins.module_utils.errors import UtmApiError, UtmInputError
from ansible_collections.utmstack.soc.plugins.module_utils.incidents import change_incident, find_by_name
from ansible_collections.utmstack.soc.plugins.module_utils.watermark import from_ms, load_state
from ansible_collections.utmstack.soc.plugins.plugin_utils import eda_source
from harness import API_KEY

SEARCH = r"^/api/elasticsearch/search$"


@pytest.fixture
def empty(emulator_server):
    emulator_server.reset(seed="empty")
    return emulator_server


@pytest.fixture
def args(empty):
    return {"url": empty.url, "api_key": API_KEY, "since": "now-1h", "lag": 30}


def seed(emulator, *offsets_s, severity=3):
    """New alerts stamped ``offset`` seconds from now (negative = in the past); returns their ids."""
    now = time.time() * 1000
    docs = [{"id": str(uuid.uuid4()), "@timestamp": from_ms(now + offset * 1000), "name": "Rule %d" % severity,
             "severity": severity, "status": 2, "isIncident": False} for offset in offsets_s]
    emulator.load_seed({"alerts": docs})
    return [d["id"] for d in docs]


def drain(poller):
    """Every event of one poll (all its pages) and the number of searches it took."""
    events, searches = [], 0
    more = True
    while more:
        page, more = poller.poll()
        events.extend(page)
        searches += 1
    return [e["alert"]["id"] for e in events], searches


def test_a_burst_larger_than_a_page_arrives_once_in_order(empty, args):
    poller = eda_source.AlertPoller(eda_source.client_from_args(args), dict(args, batch_size=3))
    burst = seed(empty, -5, -4, -3, -2, -1)
    delivered, searches = drain(poller)
    # Each next page starts at the last timestamp of the one before: 1-3, 3-5, then 5 alone.
    assert delivered == burst and searches == 3
    assert drain(poller)[0] == []


def test_a_page_boundary_inside_one_millisecond_loses_nothing(empty, args):
    poller = eda_source.AlertPoller(eda_source.client_from_args(args), dict(args, batch_size=2))
    stamp = from_ms(time.time() * 1000 - 1000)
    same = [{"id": str(uuid.uuid4()), "@timestamp": stamp, "severity": 3, "status": 2} for unused_value in range(5)]
    empty.load_seed({"alerts": same})
    delivered, unused_searches = drain(poller)
    assert sorted(delivered) == sorted(d["id"] for d in same)


def test_same_timestamp_late_and_filtered_alerts(empty, args):
    poller = eda_source.AlertPoller(eda_source.client_from_args(args), dict(args, severity=["high"]))
    first = seed(empty, -1)
    assert drain(poller)[0] == first
    stamp = empty.state()["alerts"][0]["@timestamp"]
    twin = str(uuid.uuid4())
    empty.load_seed({"alerts": [{"id": twin, "@timestamp": stamp, "severity": 3, "status": 2}]})
    late = seed(empty, -20)          # older than the newest, within the 30 s lag
    seed(empty, 0, severity=1)       # low: filtered out by the search
    assert sorted(drain(poller)[0]) == sorted([twin] + late)


def test_nothing_from_before_since(empty, args):
    seed(empty, -7200)  # two hours old, since is one hour
    poller = eda_source.AlertPoller(eda_source.client_from_args(args), args)
    assert drain(poller)[0] == []


def test_a_failed_poll_delivers_nothing_and_the_next_finds_it_all(empty, args):
    poller = eda_source.AlertPoller(eda_source.client_from_args(args), args)
    ids = seed(empty, -2, -1)
    empty.add_fault(method="POST", path=SEARCH, status=500, count=1)
    with pytest.raises(UtmApiError):
        poller.poll()
    assert drain(poller)[0] == ids


def test_the_watermark_survives_a_restart_through_the_state_file(empty, args, tmp_path):
    settings = dict(args, state_file=str(tmp_path / "alerts.json"))
    first = seed(empty, -3)

    async def one_poll():
        queue = asyncio.Queue()
        task = asyncio.ensure_future(eda_source.run(queue, settings, eda_source.AlertPoller))
        event = await asyncio.wait_for(queue.get(), 20)
        task.cancel()
        return event

    assert asyncio.run(one_poll())["alert"]["id"] == first[0]
    assert first[0] in load_state(settings["state_file"], "alerts")["seen"]
    second = seed(empty, -1)
    assert asyncio.run(one_poll())["alert"]["id"] == second[0]


def test_the_loop_outlives_server_faults_without_loss_or_repeat(empty, args):
    ids = seed(empty, -3, -2, -1)
    empty.add_fault(method="POST", path=SEARCH, status=500, count=2)
    empty.add_fault(method="POST", path=SEARCH, drop=True, count=4)  # one poll's every retry

    async def collect():
        queue = asyncio.Queue()
        task = asyncio.ensure_future(eda_source.run(queue, dict(args, interval=1), eda_source.AlertPoller))
        got = [await asyncio.wait_for(queue.get(), 30) for unused_value in ids]
        await asyncio.sleep(1.5)  # one more poll: nothing again
        task.cancel()
        return got + [queue.get_nowait() for unused_value in range(queue.qsize())]

    started = time.monotonic()
    events = asyncio.run(collect())
    assert [e["alert"]["id"] for e in events] == ids
    assert [(e["severity"], e["status"]) for e in events] == [("high", "open")] * 3
    assert time.monotonic() - started > 1 + 2 + 4 - 1  # it waited with backoff


def test_connection_options_fall_back_to_the_environment(monkeypatch, empty):
    monkeypatch.setenv("UTMSTACK_URL", empty.url)
    monkeypatch.setenv("UTMSTACK_API_KEY", API_KEY)
    monkeypatch.setenv("UTMSTACK_TIMEOUT", "7")
    client = eda_source.client_from_args({"url": "", "validate_certs": "false"})
    assert (client.base_url, client.timeout, client.verify) == (empty.url, 7, False)
    assert client.search([]) == []


@pytest.mark.parametrize("bad, message", [
    ({"batch_size": 0}, "batch_size must be a whole number"),
    ({"batch_size": 20000}, "at most 10000"),
    ({"interval": "soon"}, "interval must be"),
    ({"since": "yesterday"}, "since must be"),
    ({"severity": "urgent"}, "severity must be"),
    ({"filters": [{"field": "x", "operator": "LIKE", "value": 1}]}, "operator 'LIKE'"),
])
def test_bad_arguments_fail_before_any_request(empty, args, bad, message):
    empty.clear_requests()
    with pytest.raises(UtmInputError, match=message):
        eda_source.AlertPoller(eda_source.client_from_args(args), dict(args, **bad))
    assert empty.requests() == []


def test_incident_poller_reports_created_and_changed_once(empty, args):
    alert_ids = seed(empty, -1, -1)
    empty.load_seed({"incidents": [{"incidentName": "INC before", "incidentDescription": "d", "alerts": alert_ids[:1]}]})
    client = eda_source.client_from_args(args)
    poller = eda_source.IncidentPoller(client, {"since": ""})
    assert poller.poll() == ([], False)
    empty.load_seed({"incidents": [{"incidentName": "INC new", "incidentDescription": "d", "alerts": alert_ids[1:]}]})
    first = find_by_name(client, "INC before")
    change_incident(client, first, {"incidentStatus": "IN_REVIEW", "incidentAssignedTo": "3"})
    events, more = poller.poll()
    assert more is False
    assert [(e["type"], e["incident"]["incidentName"], e["status"], e.get("previous")) for e in events] == [
        ("changed", "INC before", "in_review", {"status": "open", "assigned_to": None}),
        ("created", "INC new", "open", None)]
    assert poller.poll() == ([], False)


def test_backoff_doubles_and_is_capped():
    assert [eda_source.backoff(5, n) for n in (1, 2, 3, 10)] == [5, 10, 20, eda_source.MAX_BACKOFF]


def test_echoes_come_by_default_and_stay_out_when_asked(empty, args):
    parent, = seed(empty, -2)
    echo = {"id": str(uuid.uuid4()), "@timestamp": from_ms(time.time() * 1000 - 1000), "severity": 3, "status": 2, "parentId": parent}
    empty.load_seed({"alerts": [echo]})
    client = eda_source.client_from_args(args)
    assert drain(eda_source.AlertPoller(client, args))[0] == [parent, echo["id"]]
    assert drain(eda_source.AlertPoller(client, dict(args, include_echoes="false")))[0] == [parent]


def test_a_state_file_that_cannot_be_written_does_not_stop_the_events(empty, args, tmp_path, caplog):
    ids = seed(empty, -2, -1)
    settings = dict(args, state_file=str(tmp_path / "missing-folder" / "alerts.json"))

    async def collect():
        queue = asyncio.Queue()
        task = asyncio.ensure_future(eda_source.run(queue, settings, eda_source.AlertPoller))
        got = [await asyncio.wait_for(queue.get(), 20) for unused_value in ids]
        task.cancel()
        return got

    assert [e["alert"]["id"] for e in asyncio.run(collect())] == ids
    assert "cannot save the state to" in caplog.text
