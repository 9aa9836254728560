"""The action adapter's own pieces (the whole path runs in tests/integration/test_execution.py)."""

import os
import subprocess
import sys

from ansible_collections.utmstack.soc.plugins.plugin_utils.action import task_environment


def test_task_environment_is_set_while_the_task_runs_and_restored_after(monkeypatch):
    monkeypatch.setenv("UTMSTACK_URL", "http://controller")
    monkeypatch.delenv("UTMSTACK_TIMEOUT", raising=False)
    with task_environment({"UTMSTACK_URL": "http://task", "UTMSTACK_TIMEOUT": 7}):
        assert os.environ["UTMSTACK_URL"] == "http://task"
        assert os.environ["UTMSTACK_TIMEOUT"] == "7"
    assert os.environ["UTMSTACK_URL"] == "http://controller"
    assert "UTMSTACK_TIMEOUT" not in os.environ


def loaded_jinja_plugin_files(*imports):
    """The filter and test plugin files a fresh Python has loaded after ``imports``."""
    code = "\n".join(["import sys"] + ["import %s" % name for name in imports] + [
        "print(sorted(name.split('_')[0] for name in sys.modules"
        " if name.startswith(('ansible.plugins.filter.', 'ansible.plugins.test.'))))"])
    # The collection, and ansible itself wherever this run found it (ansible-test units puts it on PYTHONPATH).
    import ansible
    paths = [path for path in sys.path if os.path.isdir(os.path.join(path, "ansible_collections"))]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(paths + [os.path.dirname(os.path.dirname(ansible.__file__))]))
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout


def test_loading_the_adapter_loads_ansibles_jinja_filters_and_tests_once_for_every_worker():
    # The controller loads the adapter before it forks a utm_* task's worker; workers inherit what it loaded.
    assert "ansible.plugins.filter.core" not in loaded_jinja_plugin_files("ansible.plugins.loader")
    loaded = loaded_jinja_plugin_files("ansible_collections.utmstack.soc.plugins.plugin_utils.action")
    assert "ansible.plugins.filter.core" in loaded and "ansible.plugins.test.core" in loaded
