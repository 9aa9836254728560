"""The EDA sources' delivery bookkeeping: time parsing, watermark, page cursor, incident snapshot, state file."""

import json

import pytest

from ansible_collections.utmstack.soc.plugins.module_utils.watermark import (
    AlertWatermark, PageCursor, from_ms, incident_changes, load_state, resolve_time, save_state, to_ms)

T0 = to_ms("2026-03-01T12:00:00Z")


def alert(alert_id, offset_ms):
    return {"id": alert_id, "@timestamp": from_ms(T0 + offset_ms)}


def ids(docs):
    return [d["id"] for d in docs]


@pytest.mark.parametrize("text, expected", [
    ("2026-03-01T12:00:00Z", T0),
    ("2026-03-01T12:00:00.123456789Z", T0 + 123),
    ("2026-03-01T14:00:00+02:00", T0),
    ("2026-03-01T07:00:00-0500", T0),
    ("2026-03-01 12:00:00.5", T0 + 500),
    ("2026-03-01", T0 - 12 * 3600000),
])
def test_to_ms_reads_the_iso_forms_alerts_carry(text, expected):
    assert to_ms(text) == expected


@pytest.mark.parametrize("bad", ["yesterday", "", None, "2026-03-01T12", 1700000000])
def test_to_ms_refuses_what_is_not_iso(bad):
    with pytest.raises(ValueError):
        to_ms(bad)


def test_from_ms_round_trips_at_millisecond_precision():
    assert from_ms(T0 + 7) == "2026-03-01T12:00:00.007Z"
    assert to_ms(from_ms(T0 + 999)) == T0 + 999


@pytest.mark.parametrize("value, expected", [
    ("now", "2026-03-01T12:00:00.000Z"), ("now-15m", "2026-03-01T11:45:00.000Z"), ("now-1d+2h", "2026-02-28T14:00:00.000Z"),
    ("2026-03-01T11:00:00Z", "2026-03-01T11:00:00.000Z"), ("now-1d/d", "2026-02-28T00:00:00.000Z"),
    ("now-1M", "2026-02-01T12:00:00.000Z"), ("now-1y/M", "2025-03-01T00:00:00.000Z"), ("now/w", "2026-02-23T00:00:00.000Z"),
    ("2026-01-31T08:30:00Z||+1M", "2026-02-28T08:30:00.000Z"), ("2026-01-31||/y", "2026-01-01T00:00:00.000Z"),
])
def test_resolve_time_takes_iso_and_opensearch_date_math(value, expected):
    assert from_ms(resolve_time(value, T0)) == expected


def test_resolve_time_keeps_the_milliseconds_of_now():
    assert resolve_time("now-1s", T0 + 7) == T0 - 993


@pytest.mark.parametrize("bad", ["now-1q", "now-", "tomorrow", "2026-01-31+1d"])
def test_resolve_time_names_what_it_takes(bad):
    with pytest.raises(ValueError, match="since must be"):
        resolve_time(bad, T0)


def test_each_alert_is_accepted_once_even_when_found_again():
    mark = AlertWatermark(T0, lag_ms=60000)
    assert ids(mark.accept([alert("a", 0), alert("b", 10)])) == ["a", "b"]
    assert ids(mark.accept([alert("a", 0), alert("b", 10), alert("c", 10)])) == ["c"]
    assert mark.newest_ms == T0 + 10


def test_alerts_sharing_a_timestamp_across_polls_all_arrive():
    mark = AlertWatermark(T0, lag_ms=0)
    assert ids(mark.accept([alert("a", 5)])) == ["a"]
    # The next search starts at that very millisecond: "b" with the same timestamp is found.
    assert mark.window_start() == T0 + 5
    assert ids(mark.accept([alert("a", 5), alert("b", 5)])) == ["b"]


def test_a_late_alert_within_the_lag_is_delivered():
    mark = AlertWatermark(T0, lag_ms=30000)
    mark.accept([alert("new", 60000)])
    assert mark.window_start() == T0 + 30000
    assert ids(mark.accept([alert("late", 40000), alert("new", 60000)])) == ["late"]
    assert mark.newest_ms == T0 + 60000  # a late alert does not move the watermark back


def test_nothing_older_than_the_floor_is_delivered():
    mark = AlertWatermark(T0, lag_ms=3600000)
    assert mark.window_start() == T0
    assert ids(mark.accept([alert("before", -1), alert("at", 0)])) == ["at"]


def test_ids_older_than_the_window_are_forgotten():
    mark = AlertWatermark(T0, lag_ms=1000)
    mark.accept([alert("old", 0), alert("mid", 1500)])
    assert sorted(mark.seen) == ["mid"]
    mark.accept([alert("new", 3000)])
    assert sorted(mark.seen) == ["new"]


def test_alerts_without_id_or_timestamp_are_skipped():
    mark = AlertWatermark(T0, lag_ms=0)
    assert mark.accept([{"id": "x"}, {"@timestamp": from_ms(T0)}, {"id": "y", "@timestamp": "garbage"}]) == []


def test_watermark_survives_a_round_trip_and_takes_a_new_lag():
    mark = AlertWatermark(T0, lag_ms=5000)
    mark.accept([alert("a", 100)])
    again = AlertWatermark.from_dict(json.loads(json.dumps(mark.to_dict())), lag_ms=0)
    assert (again.floor_ms, again.newest_ms, again.seen, again.lag_ms) == (T0, T0 + 100, {"a": T0 + 100}, 0)
    assert again.accept([alert("a", 100), alert("b", 100)]) == [alert("b", 100)]


def test_cursor_moves_to_the_last_timestamp_of_a_full_page():
    cursor = PageCursor(T0, batch_size=2, max_limit=10)
    assert cursor.advance([alert("a", 1), alert("b", 2)]) is True
    assert (cursor.start_ms, cursor.limit) == (T0 + 2, 2)
    assert cursor.advance([alert("b", 2)]) is False  # a short page ends the poll


def test_cursor_widens_a_full_page_of_one_timestamp_up_to_the_window():
    cursor = PageCursor(T0, batch_size=2, max_limit=5)
    same = [alert("a", 0), alert("b", 0)]
    assert cursor.advance(same) is True and cursor.limit == 4
    assert cursor.advance(same * 2) is True and cursor.limit == 5
    assert cursor.advance(same * 2 + same[:1]) is False and cursor.stuck is True


def incident(number, status="OPEN", assignee=None, created="2026-03-01T12:00:00Z"):
    return {"id": number, "incidentName": "INC %d" % number, "incidentStatus": status,
            "incidentAssignedTo": assignee, "incidentCreatedDate": created}


def test_the_first_incident_poll_records_without_reporting():
    changes, snapshot = incident_changes(None, [incident(1), incident(2)])
    assert changes == [] and snapshot == {"1": ["OPEN", None], "2": ["OPEN", None]}


def test_the_first_incident_poll_reports_those_created_since():
    rows = [incident(1, created="2026-03-01T11:59:59Z"), incident(2, created="2026-03-01T12:00:00Z")]
    changes, unused_snapshot = incident_changes(None, rows, created_since_ms=T0)
    assert [(kind, row["id"]) for kind, row, unused_before in changes] == [("created", 2)]


def test_new_and_changed_incidents_are_reported_once():
    unused_changes, known = incident_changes(None, [incident(1), incident(2)])
    rows = [incident(1, "IN_REVIEW"), incident(2, "OPEN", "3"), incident(3)]
    changes, known = incident_changes(known, rows)
    assert [(kind, row["id"], before) for kind, row, before in changes] == [
        ("changed", 1, {"incidentStatus": "OPEN", "incidentAssignedTo": None}),
        ("changed", 2, {"incidentStatus": "OPEN", "incidentAssignedTo": None}),
        ("created", 3, None)]
    assert incident_changes(known, rows)[0] == []


def test_an_incident_missing_from_one_list_is_not_new_again():
    unused_changes, known = incident_changes(None, [incident(1), incident(2)])
    unused_changes, known = incident_changes(known, [incident(2)])
    assert incident_changes(known, [incident(1), incident(2)])[0] == []


def test_state_file_round_trip_and_kind_check(tmp_path):
    path = str(tmp_path / "state.json")
    assert load_state(path, "alerts") is None
    save_state(path, "alerts", {"floor_ms": 1})
    assert load_state(path, "alerts") == {"floor_ms": 1}
    assert [p.name for p in tmp_path.iterdir()] == ["state.json"]  # no temporary file left
    with pytest.raises(ValueError, match="no incidents state"):
        load_state(path, "incidents")
