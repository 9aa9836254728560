"""Every module's EXAMPLES run as written against a fresh demo emulator."""

import glob
import importlib
import os

import pytest
import yaml

from harness import ROOT, run_playbook

MODULES = sorted(os.path.basename(p)[:-3] for p in glob.glob(os.path.join(ROOT, "plugins", "modules", "utm_*.py")))


@pytest.mark.parametrize("module", MODULES)
def test_examples_run(emulator, module, tmp_path):
    examples = importlib.import_module("ansible_collections.utmstack.soc.plugins.modules." + module).EXAMPLES
    tasks = yaml.safe_load(examples)
    assert tasks and all("name" in task for task in tasks)
    play = [{"name": "EXAMPLES of " + module, "hosts": "localhost", "gather_facts": False, "tasks": tasks}]
    playbook = tmp_path / "examples.yml"
    playbook.write_text(yaml.safe_dump(play, sort_keys=False))
    result = run_playbook(emulator, str(playbook))
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert "failed=0" in result.stdout
