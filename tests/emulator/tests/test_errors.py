"""Bad requests get the server's real answer, never a traceback, and the emulator keeps serving."""
import http.client
import json
from urllib.parse import urlparse

import pytest
from emulator.tests.emu_helpers import API_KEY, assert_boot_error, assert_header_error, new_incident

from emulator.api import ROUTES

JSON = {"Content-Type": "application/json"}
CHANGE = "/api/utm-incidents/change-status"

BAD_BODIES = [
    ("POST", "/api/utm-incidents", "{not json"),
    ("POST", "/api/utm-incidents", "[]"),
    ("POST", "/api/utm-incidents", '"just a string"'),
    ("POST", "/api/utm-incidents", "null"),
    ("POST", "/api/utm-incidents", ""),
    ("POST", "/api/utm-incidents", '{"incidentName": {"a": 1}, "alertList": []}'),
    ("POST", "/api/utm-incidents", '{"incidentName": "x", "alertList": "nope"}'),
    ("POST", "/api/utm-incidents", '{"incidentName": "x", "alertList": [{"alertSeverity": "hi"}]}'),
    ("POST", "/api/utm-incidents", '{"incidentName": "x", "alertList": [{"alertSeverity": 1e40}]}'),
    ("POST", "/api/utm-incidents", '{"incidentName": "x", "alertList": [NaN]}'),
    ("POST", "/api/utm-incidents", '{"incidentName": "x", "incidentDescription": "", '
                                   '"alertList": [null]}'),
    ("POST", "/api/utm-incidents/add-alerts", '{"incidentId": "abc", "alertList": []}'),
    ("POST", "/api/utm-incidents/add-alerts", '{"incidentId": 99999999999999999999999}'),
    ("PUT", CHANGE, '{"id": 1}'),
    ("PUT", CHANGE, '{"id": 1, "incidentName": "x", "incidentDescription": "", '
                    '"incidentStatus": "OPEN", "incidentSeverity": 1, '
                    '"incidentCreatedDate": "yesterday"}'),
    ("POST", "/api/utm-incident-alerts", '{"incidentId": [1]}'),
    ("POST", "/api/utm-incident-alerts/update-status", '{"incidentId": 1, "alertIds": "l1"}'),
    ("POST", "/api/utm-incident-notes", '{"incidentId": 1, "noteText": ["a"]}'),
    ("POST", "/api/utm-alerts/status", '{"alertIds": [{"x": 1}], "status": 2}'),
    ("POST", "/api/utm-alerts/status", '{"alertIds": ["a1"], "status": true}'),
    ("POST", "/api/utm-alerts/tags", "{"),
    ("POST", "/api/utm-alerts/convert-to-incident", '{"eventIds": null}'),
    ("POST", "/api/elasticsearch/search?top=x&indexPattern=v11-alert-*", "[]"),
    ("POST", "/api/elasticsearch/search?top=5&indexPattern=v11-alert-*", '{"field": 1}'),
]


@pytest.mark.parametrize("method,path,body", BAD_BODIES)
def test_bad_bodies_get_500_with_a_header(api, method, path, body):
    response = api.request(method, path, data=body.encode(), headers=JSON)
    assert_header_error(response, 500)
    assert api.get("/api/utm-incidents").status_code == 200


def test_wrong_media_type_is_500(api):
    response = api.post("/api/utm-incidents", data=json.dumps(new_incident()),
                        headers={"Content-Type": "text/plain"})
    assert_header_error(response, 500, "Content type 'text/plain' not supported", "")
    response = api.post("/api/utm-incidents", data=b"{}", headers={"Content-Type": ""})
    assert response.status_code == 500
    ok = api.post("/api/utm-incidents", data=json.dumps(new_incident()),
                  headers={"Content-Type": "application/json;charset=UTF-8"})
    assert ok.status_code == 200


def test_jackson_leniency(api, emulator):
    """Numbers as strings, floats for ints, trailing garbage after the JSON value."""
    body = '{"incidentName": 12, "incidentDescription": "d", "alertList": [{"alertId": "a1", ' \
           '"alertName": "n", "alertStatus": "2", "alertSeverity": 2.9}], "extra": 1} trailing'
    response = api.post("/api/utm-incidents", data=body, headers=JSON)
    assert response.status_code == 200
    assert (response.json()["incidentName"], response.json()["incidentSeverity"]) == ("12", 2)


def test_method_not_supported_is_500(api):
    assert_header_error(api.delete("/api/utm-incidents/1"), 500,
                        "Request method 'DELETE' not supported", "")
    assert_header_error(api.put("/api/utm-incidents", json={}), 500,
                        "Request method 'PUT' not supported")


def test_trailing_slash_matches(api):
    assert api.get("/api/utm-incidents/").status_code == 200


def test_firewall_rejects_odd_paths(api):
    response = api.get("/api//utm-incidents")
    assert_boot_error(response, 500, "/api//utm-incidents")
    assert api.get("/api/utm-incidents;jsessionid=1").status_code == 500


def test_head_and_options(api):
    head = api.request("HEAD", "/api/utm-incidents")
    assert head.status_code == 200 and head.content == b""
    assert int(head.headers["Content-Length"]) > 0
    options = api.request("OPTIONS", "/api/utm-incidents")
    assert options.status_code == 200 and "POST" in options.headers["Allow"]


def test_headers_stay_one_latin1_line(api):
    body = new_incident(alerts=[("l1", 1), ("ünïcødé-€", 1)])
    response = api.post("/api/utm-incidents", json=body)
    assert response.status_code == 409
    assert "Alert IDs: l1, ünïcødé-?." in response.headers["X-UtmStack-error"]


def connection(emulator):
    parsed = urlparse(emulator.url)
    return http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=5)


def test_keep_alive_with_content_length_on_empty_answers(emulator):
    conn = connection(emulator)
    headers = {"Utm-Api-Key": API_KEY, "Content-Type": "application/json"}
    for unused_value in range(3):
        body = json.dumps({"alertIds": ["a1"], "status": 3, "statusObservation": ""})
        conn.request("POST", "/api/utm-alerts/status", body, headers)
        response = conn.getresponse()
        assert response.status == 200 and response.getheader("Content-Length") == "0"
        assert response.read() == b""
        conn.request("GET", "/api/utm-incidents/999", headers=headers)
        response = conn.getresponse()
        assert response.status == 500 and response.getheader("Content-Length") == "0"
        response.read()
    conn.close()


def test_chunked_request_body(emulator):
    conn = connection(emulator)
    conn.putrequest("POST", "/api/utm-incidents")
    conn.putheader("Utm-Api-Key", API_KEY)
    conn.putheader("Content-Type", "application/json")
    conn.putheader("Transfer-Encoding", "chunked")
    conn.endheaders()
    payload = json.dumps(new_incident()).encode()
    for part in (payload[:10], payload[10:]):
        conn.send(b"%x\r\n%s\r\n" % (len(part), part))
    conn.send(b"0\r\n\r\n")
    response = conn.getresponse()
    assert response.status == 200 and json.loads(response.read())["incidentName"] == "Incident A"
    conn.close()


def test_internal_bug_still_answers_like_the_server(api, monkeypatch, capsys):
    def broken(call):
        raise RuntimeError("boom")
    route = next(r for r in ROUTES if r.ctx == ".getAllUtmIncidents")
    monkeypatch.setattr(route, "handler", broken)
    response = api.get("/api/utm-incidents")
    assert_header_error(response, 500, "RuntimeError: boom", "")
    assert "Traceback" in capsys.readouterr().err
    monkeypatch.undo()
    assert api.get("/api/utm-incidents").status_code == 200
