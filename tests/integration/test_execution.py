"""The two execution paths give the same results (plugins/plugin_utils/action.py).

execution/parity.yml runs every kind of utm_* result (read, warning, check mode with diff, change,
rerun, API error, invalid options, a refused secret) with the url from the play's `environment:`
and the api key from module_defaults. It runs in the controller process on localhost, through the
module with UTMSTACK_EXECUTION=module, and through the module on a host reached over another
connection (execution/connection_plugins/loopback.py: no sshd can run here); the registered
results must be the same, and no secret may show in -vvvv output.
"""

import json
import os
import re

from harness import API_KEY, clear_local_state, run_playbook

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "execution")
WRONG_KEY = "wrong-secret-key-8d1f"
# What differs between two runs on freshly seeded data: the clock.
TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?|INC-\d{12}")


def run_parity(emulator, tmp_path, name, target="localhost", **env):
    emulator.reset(seed="demo")
    clear_local_state()
    results = tmp_path / (name + ".json")
    extra = tmp_path / (name + "-vars.json")
    extra.write_text(json.dumps(dict(api_key=API_KEY, wrong_api_key=WRONG_KEY, results_file=str(results), target=target)))
    # The controller's own url is wrong: only the play's environment keyword has the right one.
    result = run_playbook(emulator, os.path.join(HERE, "parity.yml"), "-i", os.path.join(HERE, "inventory.yml"),
                          "-e", "@%s" % extra, "-vvvv", UTMSTACK_URL="http://127.0.0.1:9", UTMSTACK_API_KEY="",
                          ANSIBLE_CONNECTION_PLUGINS=os.path.join(HERE, "connection_plugins"), **env)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-6000:]
    # From the play on (-vvvv echoes the command line before it: the harness passes api_headers).
    played = result.stdout.split("\nPLAY [", 1)[1] + result.stderr
    assert API_KEY not in played and WRONG_KEY not in played
    return json.loads(results.read_text()), output


def normalised(results):
    return json.loads(TIMESTAMP.sub("<time>", json.dumps(results)))


def check_results(results):
    """The parity playbook's results mean what they should (the same on every path)."""
    assert len(results["read"]["incidents"]) == 2 and not results["read"]["changed"]
    assert results["warned"]["warnings"] == ["limit 20000 is above the 10000 alerts UTMStack returns for one search"]
    predicted, created, unchanged = results["predicted"], results["created"], results["unchanged"]
    assert predicted["changed"] and predicted["diff"]["after"]["name"] == "Parity check incident"
    assert created["changed"] and created["diff"] and not unchanged["changed"]
    assert results["api_error"]["failed"] and "999999" in results["api_error"]["msg"]
    assert results["exclusive"]["msg"] == "parameters are mutually exclusive: name|name_contains"
    assert results["unsupported"]["msg"].startswith("Unsupported parameters for (utmstack.soc.utm_incident_info) module: bogus.")
    assert results["not_text"]["msg"].startswith("text must be a string, not a list: ['first line', 'second line']")
    # UTMStack answers an unknown api key with 500 (shared/reference/utmstack-api.md).
    assert results["refused"]["failed"] and results["refused"]["status"] in (401, 500)


def test_controller_and_module_paths_give_the_same_results(emulator, tmp_path):
    on_controller, controller_output = run_parity(emulator, tmp_path, "controller")
    in_module, module_output = run_parity(emulator, tmp_path, "module", UTMSTACK_EXECUTION="module")
    check_results(on_controller)
    assert normalised(on_controller) == normalised(in_module)
    # -vvvv shows the module being sent; the controller path sends none.
    assert "AnsiballZ_utm_" not in controller_output
    assert "AnsiballZ_utm_incident_info.py" in module_output


def test_a_host_over_another_connection_runs_the_module(emulator, tmp_path):
    remote, output = run_parity(emulator, tmp_path, "remote", target="remote")
    check_results(remote)
    assert "ESTABLISH LOCAL CONNECTION" in output and "AnsiballZ_utm_incident_info.py" in output
    on_controller, unused = run_parity(emulator, tmp_path, "controller")
    assert normalised(remote) == normalised(on_controller)
