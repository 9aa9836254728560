"""The action adapter's own pieces (the whole path runs in tests/integration/test_execution.py)."""

import os

from ansible_collections.utmstack.soc.plugins.plugin_utils.action import task_environment


def test_task_environment_is_set_while_the_task_runs_and_restored_after(monkeypatch):
    monkeypatch.setenv("UTMSTACK_URL", "http://controller")
    monkeypatch.delenv("UTMSTACK_TIMEOUT", raising=False)
    with task_environment({"UTMSTACK_URL": "http://task", "UTMSTACK_TIMEOUT": 7}):
        assert os.environ["UTMSTACK_URL"] == "http://task"
        assert os.environ["UTMSTACK_TIMEOUT"] == "7"
    assert os.environ["UTMSTACK_URL"] == "http://controller"
    assert "UTMSTACK_TIMEOUT" not in os.environ
