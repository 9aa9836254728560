"""Run every integration playbook against a fresh emulator.

Each playbook in tests/integration/playbooks/ asserts on its own results and on the
emulator's request log (``{{ emulator_url }}/_emulator/requests``); this runner gives it a
fresh demo state and fails when ansible-playbook fails.
"""

import glob
import os
import subprocess
import sys

import pytest

from conftest import API_KEY, COLLECTIONS

HERE = os.path.dirname(os.path.abspath(__file__))
PLAYBOOKS = sorted(glob.glob(os.path.join(HERE, "playbooks", "*.yml")))


def ansible_env(emulator, **extra):
    env = dict(os.environ)
    env.update(
        ANSIBLE_COLLECTIONS_PATH=COLLECTIONS,
        ANSIBLE_LOCALHOST_WARNING="False",
        ANSIBLE_INVENTORY_UNPARSED_WARNING="False",
        ANSIBLE_NOCOLOR="True",
        ANSIBLE_FORCE_COLOR="False",
        ANSIBLE_RETRY_FILES_ENABLED="False",
        ANSIBLE_STDOUT_CALLBACK="default",
        UTMSTACK_URL=emulator.url,
        UTMSTACK_API_KEY=API_KEY,
    )
    env.update(extra)
    return env


def run_playbook(emulator, playbook, *args, **env):
    """ansible-playbook from this interpreter's environment; returns the CompletedProcess."""
    binary = os.path.join(os.path.dirname(sys.executable), "ansible-playbook")
    cmd = [binary, playbook, "-e", "emulator_url=%s" % emulator.url] + list(args)
    return subprocess.run(cmd, env=ansible_env(emulator, **env), capture_output=True, text=True, check=False, timeout=600)


@pytest.mark.parametrize("playbook", PLAYBOOKS, ids=[os.path.basename(p)[:-4] for p in PLAYBOOKS])
def test_playbook(emulator, playbook):
    result = run_playbook(emulator, playbook)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
