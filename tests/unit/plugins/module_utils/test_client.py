"""UtmClient against the emulator: auth, errors, retries, paging, TLS."""

import time
import uuid

import pytest

from ansible_collections.utmstack.soc.plugins.module_utils.client import UtmClient
from ansible_collections.utmstack.soc.plugins.module_utils.errors import UtmAnswerLost, UtmApiError, UtmInputError
from harness import API_KEY

ADMIN_PASSWORD = "utmstack-admin"


def alert_doc(**fields):
    doc = {"id": str(uuid.uuid4()), "@timestamp": "2026-11-20T10:00:00.000Z", "name": "Bulk test alert",
           "severity": 2, "severityLabel": "Medium", "status": 2, "statusLabel": "Open", "isIncident": False,
           "statusObservation": "", "tags": None, "dataSource": "bulk", "dataType": "test"}
    doc.update(fields)
    return doc


def paths(emulator, method=None):
    return [(r["method"], r["path"]) for r in emulator.requests() if method in (None, r["method"])]


# -- construction ---------------------------------------------------------------------
@pytest.mark.parametrize("kwargs, words", [
    (dict(url="utmstack.example.com", api_key="k"), "http:// or https://"),
    (dict(url="https://u"), "api_key, token, or username and password"),
    (dict(url="https://u", username="admin"), "username and password"),
])
def test_bad_connection_settings_fail_before_any_request(kwargs, words):
    with pytest.raises(UtmInputError, match=words):
        UtmClient(**kwargs)


def test_tls_verification_is_on_by_default(tmp_path):
    ca_file = tmp_path / "ca.pem"
    ca_file.write_text("-----BEGIN CERTIFICATE-----\n")
    client = UtmClient("https://u", api_key="k")
    assert client.verify is True
    assert UtmClient("https://u", api_key="k", ca_path=str(ca_file)).verify == str(ca_file)
    # Not used when verification is off, so not checked either.
    assert UtmClient("https://u", api_key="k", validate_certs=False, ca_path="/no/such/ca.pem").verify is False


# -- authentication -------------------------------------------------------------------
def test_api_key(client, emulator):
    assert isinstance(client.get("/api/utm-incidents").json, list)
    assert paths(emulator) == [("GET", "/api/utm-incidents")]


def test_login_once_and_reuse_the_token(emulator):
    client = UtmClient(emulator.url, username="admin", password=ADMIN_PASSWORD)
    client.get("/api/utm-incidents")
    client.get("/api/utm-incident-notes")
    assert paths(emulator) == [("POST", "/api/authenticate"), ("GET", "/api/utm-incidents"),
                               ("GET", "/api/utm-incident-notes")]
    # The password never reaches the log of anything but the login body.
    assert all(ADMIN_PASSWORD not in repr(r) for r in emulator.requests()[1:])


def test_pre_issued_token(emulator):
    login = UtmClient(emulator.url, username="admin", password=ADMIN_PASSWORD)
    login.get("/api/utm-incidents")
    token = login._token
    client = UtmClient(emulator.url, token=token)
    assert isinstance(client.get("/api/utm-incidents").json, list)


def test_wrong_password_is_a_clear_401(emulator):
    client = UtmClient(emulator.url, username="admin", password="wrong-password")
    with pytest.raises(UtmApiError) as err:
        client.get("/api/utm-incidents")
    assert err.value.status == 401 and err.value.path == "/api/authenticate"
    assert "POST /api/authenticate failed with HTTP 401" in str(err.value)
    assert "wrong-password" not in str(err.value) + repr(err.value.details())


def test_unknown_api_key_explains_the_bare_500(emulator):
    client = UtmClient(emulator.url, api_key="no-such-key")
    with pytest.raises(UtmApiError) as err:
        client.get("/api/utm-incidents")
    assert err.value.status == 500
    # Both causes: a refused key, or a server that failed.
    assert "either the API key is unknown, expired or restricted" in str(err.value)
    assert "or the server failed" in str(err.value)


# -- errors ---------------------------------------------------------------------------
def test_server_error_names_method_path_status_and_header(client):
    with pytest.raises(UtmApiError) as err:
        client.get("/api/utm-incidents/987654")
    message = str(err.value)
    assert message.startswith("GET /api/utm-incidents/987654 failed with HTTP 500")
    assert "X-UtmStack-error: " in message and err.value.server_error
    assert err.value.details()["status"] == 500


def test_malformed_body_is_a_clear_error(client, emulator):
    emulator.add_fault(method="GET", path=r"^/api/utm-incidents$", malformed=True, count=1)
    with pytest.raises(UtmApiError, match="not valid JSON"):
        client.get("/api/utm-incidents")


# -- retries --------------------------------------------------------------------------
def test_reads_are_retried_on_503_and_honour_retry_after(client, emulator):
    emulator.add_fault(method="GET", path=r"^/api/utm-incidents$", status=503, retry_after=1, count=2)
    started = time.monotonic()
    assert isinstance(client.get("/api/utm-incidents").json, list)
    assert time.monotonic() - started >= 2
    assert paths(emulator).count(("GET", "/api/utm-incidents")) == 3


def test_reads_are_retried_after_a_dropped_connection(client, emulator):
    emulator.add_fault(method="GET", path=r"^/api/utm-incidents$", drop=True, count=1)
    assert isinstance(client.get("/api/utm-incidents").json, list)


def test_creating_posts_are_retried_on_429_and_503(client, emulator):
    """429 and 503 mean the server refused the request before processing it."""
    emulator.add_fault(method="POST", path=r"^/api/utm-incident-notes$", status=429, count=1)
    emulator.add_fault(method="POST", path=r"^/api/utm-incident-notes$", status=503, retry_after=0, count=1)
    with pytest.raises(UtmApiError):
        client.post("/api/utm-incident-notes", body={"incidentId": 999999, "noteText": "x"})
    assert paths(emulator, "POST").count(("POST", "/api/utm-incident-notes")) == 3


def test_writes_are_not_resent_after_502(client, emulator):
    emulator.add_fault(method="POST", path=r"^/api/utm-alerts/status$", status=502, count=1)
    with pytest.raises(UtmApiError) as err:
        client.post("/api/utm-alerts/status", body={"alertIds": [str(uuid.uuid4())], "status": 3,
                                                    "statusObservation": ""})
    assert err.value.status == 502
    assert paths(emulator, "POST").count(("POST", "/api/utm-alerts/status")) == 1


def test_a_write_whose_answer_is_lost_is_not_resent(client, emulator):
    emulator.add_fault(method="POST", path=r"^/api/utm-alerts/status$", status=None, drop=True, after=True)
    with pytest.raises(UtmAnswerLost, match="answer was lost"):
        client.post("/api/utm-alerts/status", body={"alertIds": [str(uuid.uuid4())], "status": 3,
                                                    "statusObservation": ""})
    assert paths(emulator, "POST").count(("POST", "/api/utm-alerts/status")) == 1


def test_a_write_whose_answer_is_malformed_is_an_answer_lost(client, emulator):
    emulator.add_fault(method="POST", path=r"^/api/utm-incidents$", status=None, malformed=True)
    body = {"incidentName": "malformed answer", "incidentDescription": "",
            "alertList": [{"alertId": str(uuid.uuid4()), "alertName": "a", "alertStatus": 2, "alertSeverity": 1}]}
    with pytest.raises(UtmAnswerLost):
        client.post("/api/utm-incidents", body=body)


def test_searches_are_resent_after_a_dropped_answer(client, emulator):
    emulator.add_fault(method="POST", path=r"^/api/elasticsearch/search$", status=None, drop=True, after=True)
    assert isinstance(client.search([], limit=1), list)


# -- paging ---------------------------------------------------------------------------
def test_list_all_pages_at_2000(client, emulator):
    docs = [alert_doc()]
    notes = [{"incidentName": "Paging", "noteText": "note %d" % i, "noteSendBy": "admin"} for i in range(4100)]
    incident = {"incidentName": "Paging", "incidentDescription": "", "alerts": [docs[0]["id"]]}
    emulator.load_seed({"alerts": docs, "incidents": [incident], "notes": notes})
    incident = client.get("/api/utm-incidents", {"incidentName.equals": "Paging"}).json[0]
    emulator.clear_requests()
    rows = client.list_all("/api/utm-incident-notes", {"incidentId.equals": incident["id"]})
    assert len(rows) == 4100 and len({r["id"] for r in rows}) == 4100
    pages = [(r["query"]["page"], r["query"]["size"]) for r in emulator.requests()]
    assert pages == [(["0"], ["2000"]), (["1"], ["2000"]), (["2"], ["2000"])]


def test_list_all_with_limit_asks_for_just_that(client, emulator):
    rows = client.list_all("/api/utm-incident-alerts", limit=3)
    assert len(rows) <= 3
    assert [r["query"]["size"] for r in emulator.requests()] == [["3"]]


def test_search_pages_from_one_until_the_total(client, emulator):
    emulator.load_seed({"alerts": [alert_doc(dataSource="paging-test") for unused in range(4500)]})
    emulator.clear_requests()
    flt = [{"field": "dataSource.keyword", "operator": "IS", "value": "paging-test"}]
    docs = client.search(flt)
    assert len(docs) == 4500 and len({d["id"] for d in docs}) == 4500
    assert [r["query"]["page"] for r in emulator.requests()] == [["1"], ["2"], ["3"]]
    assert all(r["query"]["size"] == ["2000"] for r in emulator.requests())


def test_search_with_no_hits_is_one_request(client, emulator):
    flt = [{"field": "dataSource.keyword", "operator": "IS", "value": "nothing-like-this"}]
    assert client.search(flt) == []
    assert len(emulator.requests()) == 1


def test_search_limit_caps_top(client, emulator):
    docs = client.search([], limit=5)
    assert len(docs) == 5
    assert emulator.requests()[0]["query"]["top"] == ["5"]


# -- TLS ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def tls_emulator():
    from emulator import Emulator

    emu = Emulator(api_keys={API_KEY: "admin"}, seed="empty", tls=True).start()
    yield emu
    emu.stop()


def test_tls_needs_the_ca_file(tls_emulator, monkeypatch):
    # The system bundle in REQUESTS_CA_BUNDLE must neither trust the emulator nor override ca_path.
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/etc/ssl/certs/ca-certificates.crt")
    assert tls_emulator.url.startswith("https://")
    with pytest.raises(UtmApiError, match="TLS verification of 127.0.0.1:[0-9]+ failed.*set ca_path"):
        UtmClient(tls_emulator.url, api_key=API_KEY).get("/api/utm-incidents")
    assert UtmClient(tls_emulator.url, api_key=API_KEY, ca_path=tls_emulator.ca_file).get("/api/utm-incidents").json == []
    assert UtmClient(tls_emulator.url, api_key=API_KEY, validate_certs=False).get("/api/utm-incidents").json == []


# -- answers a second server may give (fake transport) ----------------------------------
class FakeServer:
    """Serves ``rows`` from a JPA-style list (0-based page/size) with configurable quirks."""

    def __init__(self, rows=(), total_header=True, body=None, status=200, headers=None):
        self.rows = list(rows)
        self.total_header = total_header
        self.body = body
        self.status = status
        self.headers = headers or {}
        self.calls = []

    def __call__(self, method, url, params=None, **kwargs):
        import json as jsonlib

        import requests

        self.calls.append((method, url, dict(params or {}), kwargs))
        answer = requests.models.Response()
        answer.status_code = self.status
        answer.headers.update(self.headers)
        if self.body is not None:
            answer._content = self.body
            return answer
        page, size = int(params.get("page", 0)), int(params.get("size", 20))
        answer._content = jsonlib.dumps(self.rows[page * size:(page + 1) * size]).encode()
        if self.total_header:
            answer.headers["X-Total-Count"] = str(len(self.rows))
        return answer


def fake_client(monkeypatch, server, **kwargs):
    client = UtmClient("https://utm.example", **(kwargs or dict(api_key="k")))
    monkeypatch.setattr(client.session, "request", server)
    return client


def test_list_all_with_a_limit_above_one_page_keeps_one_page_size(monkeypatch):
    server = FakeServer([{"id": i} for i in range(5000)])
    rows = fake_client(monkeypatch, server).list_all("/api/utm-incidents", limit=2500)
    assert [r["id"] for r in rows] == list(range(2500))
    sizes = set(call[2]["size"] for call in server.calls)
    assert len(sizes) == 1


def test_list_all_without_x_total_count_reads_every_page(monkeypatch):
    server = FakeServer([{"id": i} for i in range(4100)], total_header=False)
    rows = fake_client(monkeypatch, server).list_all("/api/utm-incidents")
    assert [r["id"] for r in rows] == list(range(4100))


def test_search_without_x_total_count_reads_every_page(monkeypatch):
    docs = [{"id": str(i)} for i in range(4500)]

    def serve(method, url, params=None, **kwargs):
        import json as jsonlib

        import requests

        answer = requests.models.Response()
        answer.status_code = 200
        page, size = max(int(params["page"]), 1), int(params["size"])
        answer._content = jsonlib.dumps(docs[(page - 1) * size:page * size]).encode()
        return answer

    assert len(fake_client(monkeypatch, serve).search([])) == 4500


@pytest.mark.parametrize("body", [b'{"id": 1}', b'"text"', b'[1, 2]'])
def test_a_list_answer_that_is_not_a_list_of_objects_is_a_clear_error(monkeypatch, body):
    server = FakeServer(body=body, headers={"X-Total-Count": "1"})
    with pytest.raises(UtmApiError, match="GET /api/utm-incidents .*list"):
        fake_client(monkeypatch, server).list_all("/api/utm-incidents")
    with pytest.raises(UtmApiError, match="POST /api/elasticsearch/search .*list"):
        fake_client(monkeypatch, server).search([])


def test_an_unreadable_x_total_count_is_a_clear_error(monkeypatch):
    server = FakeServer([{"id": 1}], headers={"X-Total-Count": "many"}, body=b'[{"id": 1}]')
    with pytest.raises(UtmApiError, match="X-Total-Count"):
        fake_client(monkeypatch, server).list_all("/api/utm-incidents")


def test_a_failed_login_never_carries_the_answer_body(monkeypatch):
    # A server that echoes the request must not put the password into the task result.
    server = FakeServer(body=b'{"username": "admin", "password": "s3cret-pass"}', status=400)
    client = fake_client(monkeypatch, server, username="admin", password="s3cret-pass")
    with pytest.raises(UtmApiError) as err:
        client.get("/api/utm-incidents")
    assert "s3cret-pass" not in str(err.value) + repr(err.value.details())


def test_no_content_is_success(monkeypatch):
    server = FakeServer(body=b"", status=204)
    answer = fake_client(monkeypatch, server).delete("/api/utm-incident-alerts/5")
    assert answer.status == 204 and answer.json is None


def test_proxy_credentials_never_reach_the_error(monkeypatch):
    monkeypatch.setenv("HTTP_PROXY", "http://svc-proxy:s3cr3t-pass@127.0.0.1:9")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    client = UtmClient("http://utmstack.invalid", api_key="k", timeout=2)
    with pytest.raises(UtmApiError) as err:
        client.get("/api/ping")
    assert "s3cr3t-pass" not in str(err.value) + repr(err.value.details())


def test_error_texts_mask_url_credentials():
    from ansible_collections.utmstack.soc.plugins.module_utils.client import _short

    text = _short(OSError("Cannot connect to proxy http://svc-proxy:s3cr3t-pass@proxy.corp:3128/ (refused)"))
    assert "s3cr3t-pass" not in text and "svc-proxy" not in text
    assert "http://***@proxy.corp:3128/" in text
