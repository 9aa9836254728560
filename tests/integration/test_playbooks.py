"""Run every integration playbook against a fresh emulator.

Each playbook in tests/integration/playbooks/ asserts on its own results and on the
emulator's request log (``{{ emulator_url }}/_emulator/requests``); this runner gives it a
fresh demo state and fails when ansible-playbook fails.
"""

import glob
import os

import pytest

from harness import run_playbook

HERE = os.path.dirname(os.path.abspath(__file__))
PLAYBOOKS = sorted(glob.glob(os.path.join(HERE, "playbooks", "*.yml")))


@pytest.mark.parametrize("playbook", PLAYBOOKS, ids=[os.path.basename(p)[:-4] for p in PLAYBOOKS])
def test_playbook(emulator, playbook):
    result = run_playbook(emulator, playbook)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
