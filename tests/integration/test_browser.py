"""The emulator's read-only page in headless Chromium, after a runbook ran (issue 9).

A rehearsal is looked at in a browser: respond.yml runs against a fresh demo emulator, then
Chromium renders ``GET /`` to a screenshot and to its DOM, which must show every incident the
run made with its alerts. Chromium is Debian's package (``.ci/run`` installs it).
"""

import os
import shutil
import struct
import subprocess

from harness import ROOT, run_playbook

CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--hide-scrollbars", "--window-size=1280,2000",
]


def chromium():
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    assert binary, "Chromium is needed for this test: apt-get install chromium (.ci/run does it)"
    return binary


def browse(tmp_path, url, *what):
    profile = tmp_path / "profile"
    command = [chromium()] + CHROMIUM_FLAGS + ["--user-data-dir=%s" % profile] + list(what) + [url]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False, cwd=str(tmp_path))
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def png_size(path):
    with open(path, "rb") as handle:
        head = handle.read(24)
    assert head[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", head[16:24])


def test_the_page_shows_what_the_runbook_made(emulator, tmp_path):
    before = set(i["id"] for i in emulator.state()["incidents"])
    result = run_playbook(emulator, os.path.join(ROOT, "playbooks", "respond.yml"))
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    state = emulator.state()
    made = [i for i in state["incidents"] if i["id"] not in before]
    assert made, "respond.yml made no incident on the demo data"

    screenshot = tmp_path / "emulator.png"
    browse(tmp_path, emulator.url + "/", "--screenshot=%s" % screenshot)
    width, height = png_size(str(screenshot))
    assert (width, height) == (1280, 2000) and os.path.getsize(str(screenshot)) > 20000
    dom = browse(tmp_path, emulator.url + "/?limit=1000", "--dump-dom")
    assert "<h1>UTMStack emulator at %s</h1>" % emulator.url in dom
    for incident in made:
        # html.escape turns quotes into entities; the names the runbook makes have none.
        assert '<h2 id="incident-%d">#%d %s ' % (incident["id"], incident["id"], incident["incidentName"]) in dom
        for link in (row for row in state["incident_alerts"] if row["incidentId"] == incident["id"]):
            assert "<td>%s</td>" % link["alertId"] in dom
    assert "<td>POST</td><td>/api/utm-incidents</td><td>200</td>" in dom
