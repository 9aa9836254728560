"""The README's first command, ``make demo`` (tools/demo.py), as a new user runs it."""

import os
import signal
import subprocess
import sys

import requests

from harness import ROOT

DEMO = [sys.executable, os.path.join(ROOT, "tools", "demo.py")]


def demo_env():
    return dict((name, value) for name, value in os.environ.items() if not name.startswith("UTMSTACK_"))


def test_demo_runs_the_runbook_twice_and_reports_what_it_made():
    done = subprocess.run(DEMO, capture_output=True, text=True, timeout=900, check=False, env=demo_env())
    assert done.returncode == 0, done.stdout[-5000:] + done.stderr[-3000:]
    assert "incident(s) made by respond.yml:" in done.stdout
    assert "Second run: changed=0 and no write request reached the server." in done.stdout
    assert "make demo KEEP=1 leaves the emulator running" in done.stdout


def test_demo_keep_leaves_the_emulator_up_until_interrupted():
    process = subprocess.Popen(DEMO + ["--keep"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env=demo_env())
    try:
        lines = []
        for line in process.stdout:
            lines.append(line)
            if line.startswith("The emulator keeps running at "):
                break
        assert lines and lines[-1].startswith("The emulator keeps running at "), "".join(lines)[-5000:]
        url = lines[-1].split(" at ")[1].split(" until")[0]
        page = requests.get(url + "/", timeout=30)
        assert page.status_code == 200 and "SOC: " in page.text
    finally:
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err[-3000:]
