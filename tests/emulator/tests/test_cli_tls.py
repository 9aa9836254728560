"""Starting the emulator by hand (python -m emulator), TLS, and resuming from a DB file."""
import os
import signal
import subprocess
import sys
import time

import pytest
import requests
from emulator.tests.emu_helpers import Api, new_incident

from emulator import Emulator

TESTS_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def start_cli(tmp_path, *args):
    ready = str(tmp_path / "ready")
    env = dict(os.environ, PYTHONPATH=TESTS_DIR)
    process = subprocess.Popen(
        [sys.executable, "-m", "emulator", "--port", "0", "--ready-file", ready] + list(args),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
    deadline = time.time() + 20
    while not os.path.exists(ready):
        if process.poll() is not None or time.time() > deadline:
            process.kill()
            pytest.fail("emulator did not start: %s" % process.communicate())
        time.sleep(0.05)
    with open(ready) as handle:
        return process, handle.read().strip()


def stop_cli(process):
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=10)
    assert process.returncode == 0, err
    return out


def test_cli_starts_serves_and_stops_on_sigterm(tmp_path):
    process, url = start_cli(tmp_path, "--api-key", "CLI-KEY", "--seed", "empty")
    try:
        client = Api(url, {"Utm-Api-Key": "CLI-KEY"})
        assert client.post("/api/utm-incidents", json=new_incident()).status_code == 200
        assert client.get("/api/utm-incidents").headers["X-Total-Count"] == "1"
    finally:
        out = stop_cli(process)
    lines = out.splitlines()
    assert lines[0] == "UTMStack emulator (v11 API, empty seed) listening on %s" % url
    # What a person needs to use it: the export line, the users and their passwords.
    assert "  API key CLI-KEY (user admin):  export UTMSTACK_URL=%s UTMSTACK_API_KEY=CLI-KEY" % url in lines
    assert "  user admin, password utmstack-admin (ROLE_ADMIN)" in lines
    assert not any(line.startswith("POST ") for line in lines)


def test_cli_logs_requests_when_asked(tmp_path):
    process, url = start_cli(tmp_path, "--api-key", "K", "--seed", "empty", "--log-requests")
    try:
        Api(url, {"Utm-Api-Key": "K"}).get("/api/utm-incidents")
    finally:
        out = stop_cli(process)
    assert "GET /api/utm-incidents -> 200" in out.splitlines()


def test_cli_on_a_busy_port_says_so_in_one_line(tmp_path):
    with Emulator(seed="empty") as emu:
        port = emu.url.rsplit(":", 1)[1]
        env = dict(os.environ, PYTHONPATH=TESTS_DIR)
        done = subprocess.run([sys.executable, "-m", "emulator", "--port", port, "--seed", "empty"],
                              capture_output=True, text=True, env=env, timeout=60, check=False)
    assert done.returncode == 2
    assert done.stderr.strip() == ("port %s on 127.0.0.1 is in use; choose another with --port (make emulator PORT=...), "
                                   "or 0 for a free one" % port)


def test_cli_tls_writes_a_ca_file_that_verifies(tmp_path):
    process, url = start_cli(tmp_path, "--tls", "--api-key", "K=analyst", "--seed", "empty")
    try:
        assert url.startswith("https://127.0.0.1:")
        line = ""
        while "CA file: " not in line:
            line = process.stdout.readline()
        ca_file = line.split("CA file: ")[1].split(" (")[0].strip()
        assert os.path.exists(ca_file)
        response = requests.get(url + "/api/utm-incidents", headers={"Utm-Api-Key": "K"},
                                verify=ca_file, timeout=10)
        assert response.status_code == 200
        with pytest.raises(requests.exceptions.SSLError):
            requests.get(url + "/api/ping", timeout=10)  # the system CAs do not know it
    finally:
        stop_cli(process)


def test_tls_from_python_and_localhost_name():
    with Emulator(seed="empty", tls=True) as emu:
        assert emu.url.startswith("https://") and os.path.exists(emu.ca_file)
        port = emu.url.rsplit(":", 1)[1]
        response = requests.get("https://localhost:%s/api/ping" % port, verify=emu.ca_file,
                                timeout=10)
        assert response.status_code == 200
        ca_file = emu.ca_file
    assert not os.path.exists(ca_file)  # removed on stop


def test_db_file_is_resumed_not_reseeded(tmp_path):
    db = str(tmp_path / "emulator.db")
    seed = {"alerts": [{"id": "x1", "name": "X", "severity": 2, "status": 2,
                        "isIncident": False}]}
    with Emulator(seed=seed, db=db) as emu:
        client = Api(emu.url, {"Utm-Api-Key": "KEY"})
        body = new_incident(alerts=[("x1", 2)])
        assert client.post("/api/utm-incidents", json=body).status_code == 200
        client.post("/api/utm-alerts/status", json={"alertIds": ["x1"], "status": 3,
                                                    "statusObservation": "seen"})
    with Emulator(seed="empty", db=db) as emu:
        state = emu.state()
        assert [i["incidentName"] for i in state["incidents"]] == ["Incident A"]
        assert state["alerts"][0]["statusObservation"] == "seen"
        client = Api(emu.url, {"Utm-Api-Key": "KEY"})
        second = client.post("/api/utm-incidents", json=new_incident(name="B", alerts=[("y", 1)]))
        assert second.json()["id"] == 2
