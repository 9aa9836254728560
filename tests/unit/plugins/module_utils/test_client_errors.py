"""UtmClient errors that point at the fix, and the re-login after a backend restart (issues 7 and 9).

Against the emulator where it can produce the case; a plain TCP listener stands in for a port
that speaks HTTP where https was asked for, and a closed port for a server that is not running.
"""

import socket
import time

import pytest

from ansible_collections.utmstack.soc.plugins.module_utils.client import UtmClient
from ansible_collections.utmstack.soc.plugins.module_utils.errors import UtmApiError, UtmInputError
from harness import API_KEY

ADMIN = dict(username="admin", password="utmstack-admin")
NOTES = "/api/utm-incident-notes"


def logged(emulator):
    return [(r["method"], r["path"], r["status"]) for r in emulator.requests()]


# -- bad connection options: input errors before any request ---------------------------
@pytest.mark.parametrize("kwargs, words", [
    (dict(url=None), "url is not set: .* in the url option or the UTMSTACK_URL environment variable"),
    (dict(url=""), "UTMSTACK_URL"),
    (dict(url="https://utm.example/api"), r"without /api \(got https://utm.example/api\).*use https://utm.example$"),
    (dict(url="https://utm.example/api/"), r"without /api .*use https://utm.example$"),
    (dict(url="https://utm.example/soc/api"), "use https://utm.example/soc$"),
    (dict(url="https://api", timeout=0), "timeout"),  # a host named api is fine
    (dict(timeout=0), r"timeout \(or UTMSTACK_TIMEOUT\) must be a number of seconds above 0, got 0"),
    (dict(timeout=-1), "above 0, got -1"),
    (dict(ca_path="/no/such/ca.pem"), r"ca_path \(or UTMSTACK_CA_PATH\) /no/such/ca.pem does not exist"),
    (dict(ca_path="/tmp"), "/tmp is not a file"),
])
def test_bad_options_are_input_errors(kwargs, words):
    options = dict(dict(url="https://utm.example", api_key="k"), **kwargs)
    with pytest.raises(UtmInputError, match=words):
        UtmClient(**options)


def test_a_url_with_a_path_shows_the_path_actually_requested(emulator):
    client = UtmClient(emulator.url + "/soc", api_key=API_KEY)
    with pytest.raises(UtmApiError) as err:
        client.get("/api/utm-incidents")
    assert str(err.value).startswith("GET /soc/api/utm-incidents failed with HTTP 404")
    assert err.value.details()["path"] == "/soc/api/utm-incidents"
    assert err.value.path == "/api/utm-incidents"


# -- re-login -------------------------------------------------------------------------
@pytest.fixture
def restartable(tmp_path):
    """An emulator restarted on the same port keeps its data (a file) and makes a new JWT secret."""
    from emulator import Emulator

    emu = Emulator(api_keys={API_KEY: "admin"}, seed="empty", db=str(tmp_path / "utmstack.db")).start()
    emu.port = int(emu.url.rsplit(":", 1)[1])
    yield emu
    emu.stop()


def restart(emu):
    emu.stop()
    emu.start()
    emu.clear_requests()


def test_username_password_logs_in_again_after_a_backend_restart(restartable):
    client = UtmClient(restartable.url, **ADMIN)
    client.get(NOTES)
    restart(restartable)
    assert client.get(NOTES).json == []
    assert logged(restartable) == [("GET", NOTES, 401), ("POST", "/api/authenticate", 200), ("GET", NOTES, 200)]


def test_a_write_refused_with_401_is_sent_once_more_and_applied_once(restartable):
    restartable.load_seed({"alerts": [{"id": "a1", "name": "x", "severity": 1, "status": 2}],
                           "incidents": [{"incidentName": "Relogin", "incidentDescription": "", "alerts": ["a1"]}]})
    client = UtmClient(restartable.url, **ADMIN)
    incident = client.get("/api/utm-incidents").json[0]
    restart(restartable)
    client.post(NOTES, body={"incidentId": incident["id"], "noteText": "after the restart"})
    assert [n["noteText"] for n in restartable.state()["notes"]] == ["after the restart"]
    assert [r[:2] for r in logged(restartable) if r[0] == "POST"] == [
        ("POST", NOTES), ("POST", "/api/authenticate"), ("POST", NOTES)]


def test_one_re_login_in_a_clients_life(emulator):
    client = UtmClient(emulator.url, **ADMIN)
    client.get(NOTES)
    emulator.add_fault(method="GET", path="^%s$" % NOTES, status=401, count=3)
    with pytest.raises(UtmApiError) as err:
        client.get(NOTES)
    assert err.value.status == 401 and "refused a token it had just issued" in str(err.value)
    with pytest.raises(UtmApiError):
        client.get(NOTES)
    logins = [r for r in logged(emulator) if r[1] == "/api/authenticate"]
    assert len(logins) == 2  # the first login and one re-login, not one per 401


def test_a_dead_token_says_so_and_names_the_alternatives(restartable):
    login = UtmClient(restartable.url, **ADMIN)
    login.get(NOTES)
    restart(restartable)
    with pytest.raises(UtmApiError) as err:
        UtmClient(restartable.url, token=login._token).get(NOTES)
    message = str(err.value)
    assert message.startswith("GET %s failed with HTTP 401 - the token is no longer valid" % NOTES)
    assert "backend restart" in message and "use api_key, or username and password" in message
    assert "API key" not in message


def test_an_api_key_refused_with_401_keeps_its_hint(client, emulator):
    emulator.add_fault(method="GET", path="^%s$" % NOTES, status=401, count=1)
    with pytest.raises(UtmApiError, match="HTTP 401 - check the API key, and that its user has ROLE_USER"):
        client.get(NOTES)
    assert len(emulator.requests()) == 1  # an API key is not logged in again


def test_a_wrong_password_says_check_username_and_password(emulator):
    with pytest.raises(UtmApiError, match=r"POST /api/authenticate failed with HTTP 401 .*- check username and password$"):
        UtmClient(emulator.url, username="admin", password="not-the-password").get(NOTES)
    # One attempt: UTMStack locks a source out after repeated failed logins.
    assert logged(emulator) == [("POST", "/api/authenticate", 401)]


def test_v10_login_reads_the_id_token_and_searches_alert_indexes():
    from emulator import Emulator

    with Emulator(seed="demo", api_version=10) as emu:
        client = UtmClient(emu.url, api_version=10, **ADMIN)
        assert client.alert_index_pattern == "alert-*"
        assert len(client.search([], limit=3)) == 3
        assert [r["path"] for r in emu.requests()] == ["/api/authenticate", "/api/elasticsearch/search"]
        assert emu.requests()[1]["query"]["indexPattern"] == ["alert-*"]


@pytest.mark.parametrize("kwargs, words", [
    (dict(api_key="k"), "UTMStack 10 has no API keys"),
    (dict(api_version=12, api_key="k"), "api_version must be 10 or 11, got 12"),
])
def test_api_version_input_errors(kwargs, words):
    with pytest.raises(UtmInputError, match=words):
        UtmClient("https://utm.example", **dict(dict(api_version=10), **kwargs))


# -- server faults --------------------------------------------------------------------
def test_a_bare_500_after_the_key_worked_does_not_blame_the_key(client, emulator):
    client.get(NOTES)
    emulator.add_fault(method="GET", path="^%s$" % NOTES, status=500, count=1)
    with pytest.raises(UtmApiError) as err:
        client.get(NOTES)
    assert str(err.value) == "GET %s failed with HTTP 500" % NOTES


def test_a_bare_500_with_a_login_does_not_mention_api_keys(emulator):
    emulator.add_fault(method="GET", path="^%s$" % NOTES, status=500, count=1)
    with pytest.raises(UtmApiError) as err:
        UtmClient(emulator.url, **ADMIN).get(NOTES)
    assert "API key" not in str(err.value)


def test_a_huge_server_error_stays_a_few_kb(monkeypatch):
    import requests

    ids = ", ".join("alert-%05d" % i for i in range(10000))

    def serve(method, url, **kwargs):
        answer = requests.models.Response()
        answer.status_code = 409
        answer.headers["X-UtmStack-error"] = "Some alerts are already linked to another incident. Alert IDs: " + ids
        answer._content = b"x" * 100000
        return answer

    client = UtmClient("https://utm.example", api_key="k")
    monkeypatch.setattr(client.session, "request", serve)
    with pytest.raises(UtmApiError) as err:
        client.post("/api/utm-incidents", body={})
    assert len(str(err.value)) < 2000 and len(repr(err.value.details())) < 3000
    assert "(X-UtmStack-error: Some alerts are already linked" in str(err.value)
    assert "more characters)" in str(err.value)
    assert err.value.server_error.endswith("alert-09999")  # callers still get all of it


# -- transport ------------------------------------------------------------------------
def closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_connection_refused_is_short_whole_and_fast():
    port = closed_port()
    client = UtmClient("http://127.0.0.1:%d" % port, api_key="k")
    started = time.monotonic()
    with pytest.raises(UtmApiError) as err:
        client.get("/api/utm-incidents")
    assert time.monotonic() - started < 1
    assert str(err.value) == ("GET /api/utm-incidents failed - connection refused by 127.0.0.1:%d: is UTMStack "
                              "running there and is the URL right?" % port)


def test_a_host_that_does_not_resolve_says_check_the_url():
    client = UtmClient("https://utmstack.invalid", api_key="k")
    with pytest.raises(UtmApiError, match=r"the host name in url \(utmstack.invalid\) does not resolve"):
        client.get("/api/utm-incidents")


def test_https_against_a_plain_http_server_says_try_http(emulator):
    assert emulator.url.startswith("http://")
    https_url = "https://" + emulator.url[len("http://"):]
    address = https_url[len("https://"):]
    started = time.monotonic()
    with pytest.raises(UtmApiError) as err:
        UtmClient(https_url, api_key=API_KEY).get("/api/utm-incidents")
    assert time.monotonic() - started < 2
    message = str(err.value)
    assert message.startswith("GET /api/utm-incidents failed - the server at %s does not speak TLS" % address)
    assert "use an http:// url" in message and "ca_path" not in message


def test_a_read_timeout_names_the_timeout(emulator):
    emulator.add_fault(method="GET", path="^%s$" % NOTES, status=None, delay=1.5, count=4)
    with pytest.raises(UtmApiError, match=r"sent no answer within 0.5 seconds \(timeout\)$"):
        UtmClient(emulator.url, api_key=API_KEY, timeout=0.5).get(NOTES)


# -- through a module: an input error, not "missing required arguments" or a traceback ----
@pytest.mark.parametrize("options, message", [
    ({}, "url is not set: give the UTMStack console's address, for example https://utmstack.example.com, in the url "
         "option or the UTMSTACK_URL environment variable"),
    ({"url": "https://utm.example/api/"}, "url (or UTMSTACK_URL) must be the console's address without /api (got "
                                          "https://utm.example/api/): the modules add /api themselves; use https://utm.example"),
    ({"url": "https://utm.example", "timeout": 0}, "timeout (or UTMSTACK_TIMEOUT) must be a number of seconds above 0, got 0"),
    ({"url": "https://utm.example", "ca_path": "/no/such/ca.pem"}, "ca_path (or UTMSTACK_CA_PATH) /no/such/ca.pem does not "
                                                                   "exist; give the PEM file of the CA that signed the server's certificate"),
])
def test_a_module_fails_with_the_input_error(tmp_path, options, message):
    import json
    import os
    import subprocess
    import sys

    from harness import COLLECTIONS, ROOT

    args = tmp_path / "args.json"
    args.write_text(json.dumps({"ANSIBLE_MODULE_ARGS": dict(options, api_key="a-key-that-is-never-sent")}))
    env = dict((k, v) for k, v in os.environ.items() if not k.startswith("UTMSTACK_"))
    # The collection, and ansible itself wherever this run found it (ansible-test units puts it on PYTHONPATH).
    import ansible
    env["PYTHONPATH"] = os.pathsep.join([COLLECTIONS, os.path.dirname(os.path.dirname(ansible.__file__))])
    module = os.path.join(ROOT, "plugins", "modules", "utm_incident_info.py")
    done = subprocess.run([sys.executable, module, str(args)], env=env, capture_output=True, text=True, timeout=60, check=False)
    result = json.loads(done.stdout)
    assert result["failed"] is True and result["msg"] == message
    assert "Traceback" not in done.stdout + done.stderr


def test_a_write_whose_answer_timed_out_says_it_may_be_applied(client, emulator):
    from ansible_collections.utmstack.soc.plugins.module_utils.errors import UtmAnswerLost

    emulator.add_fault(method="POST", path="^/api/utm-alerts/status$", status=None, delay=1.5, after=True)
    slow = UtmClient(emulator.url, api_key=API_KEY, timeout=0.5)
    with pytest.raises(UtmAnswerLost) as err:
        slow.post("/api/utm-alerts/status", body={"alertIds": ["a"], "status": 3, "statusObservation": ""})
    assert str(err.value) == ("POST /api/utm-alerts/status failed - the request was sent but its answer was lost: "
                              "%s sent no answer within 0.5 seconds (timeout); the server may have applied it"
                              % emulator.url[len("http://"):])
