"""What the test suites share: paths, the test API key, and running ansible-playbook.

Importable as ``harness`` (pytest.ini puts tests/ on sys.path); conftest modules are not
imported by name because each test folder may have its own.
"""

import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COLLECTIONS = os.path.join(ROOT, "build", "collections")
API_KEY = "test-api-key"
# UTMStack 10 has no API keys: a v10 emulator is reached with one of its default users.
V10_USER = ("admin", "utmstack-admin")


def link_collection():
    """Make the working tree importable as ansible_collections.utmstack.soc (a symlink, no copy)."""
    link = os.path.join(COLLECTIONS, "ansible_collections", "utmstack", "soc")
    if not os.path.lexists(link):
        os.makedirs(os.path.dirname(link), exist_ok=True)
        os.symlink(os.path.relpath(ROOT, os.path.dirname(link)), link)
    if COLLECTIONS not in sys.path:
        sys.path.insert(0, COLLECTIONS)


def connection_env(emulator):
    """The UTMSTACK_* variables that reach ``emulator``: the test API key on 11, a user on 10.

    On 10 the variables carry a token the emulator issued to that user as well, as a login
    would: the modules then send the same requests as with an API key (the playbooks count
    them), and keep username and password to log in again if the token is refused.
    """
    if getattr(emulator, "api_version", 11) == 10:
        return dict(UTMSTACK_URL=emulator.url, UTMSTACK_API_VERSION="10", UTMSTACK_TOKEN=v10_token(emulator),
                    UTMSTACK_USERNAME=V10_USER[0], UTMSTACK_PASSWORD=V10_USER[1])
    return dict(UTMSTACK_URL=emulator.url, UTMSTACK_API_KEY=API_KEY)


def v10_token(emulator):
    user = emulator.users[V10_USER[0]]
    return emulator.auth.issue(user["login"], user["authorities"])


def api_headers(emulator):
    """Headers for a playbook's own raw API lookups (the ``api_headers`` extra variable)."""
    if getattr(emulator, "api_version", 11) == 10:
        return {"Authorization": "Bearer " + v10_token(emulator)}
    return {"Utm-Api-Key": API_KEY}


# The modules' locks and triage journal (plugins/module_utils/local_state.py) for every test
# run; emptied on each emulator reset, because a reset emulator numbers incidents from 1 again.
LOCAL_STATE = tempfile.mkdtemp(prefix="utmstack-state-")
os.environ["UTMSTACK_STATE_DIR"] = LOCAL_STATE


def clear_local_state():
    for name in os.listdir(LOCAL_STATE):
        os.remove(os.path.join(LOCAL_STATE, name))


def ansible_env(emulator, **extra):
    env = dict((name, value) for name, value in os.environ.items() if not name.startswith("UTMSTACK_"))
    env.update(
        ANSIBLE_COLLECTIONS_PATH=COLLECTIONS,
        ANSIBLE_LOCALHOST_WARNING="False",
        ANSIBLE_INVENTORY_UNPARSED_WARNING="False",
        ANSIBLE_NOCOLOR="True",
        ANSIBLE_FORCE_COLOR="False",
        ANSIBLE_RETRY_FILES_ENABLED="False",
        ANSIBLE_STDOUT_CALLBACK="default",
    )
    env.update(connection_env(emulator))
    env["UTMSTACK_STATE_DIR"] = LOCAL_STATE
    env.update(extra)
    return env


def run_playbook(emulator, playbook, *args, **env):
    """ansible-playbook from this interpreter's environment; returns the CompletedProcess.

    The playbook gets ``emulator_url`` and ``api_headers`` (authentication for raw lookups of
    the API that work on the emulator's version) as extra variables.
    """
    binary = os.path.join(os.path.dirname(sys.executable), "ansible-playbook")
    extra = json.dumps({"emulator_url": emulator.url, "api_headers": api_headers(emulator)})
    cmd = [binary, playbook, "-e", extra] + list(args)
    return subprocess.run(cmd, env=ansible_env(emulator, **env), capture_output=True, text=True, check=False, timeout=900)


def module_params(module, **options):
    """Options as AnsibleModule hands them to ``module.run()``: every key present, defaults applied."""
    from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

    result = ArgumentSpecValidator(module.ARGUMENT_SPEC).validate(options)
    assert not result.error_messages, result.error_messages
    return result.validated_parameters


def free_alert_ids(client, count):
    """Ids of ``count`` top-level demo alerts in no incident (neither flagged nor linked)."""
    from ansible_collections.utmstack.soc.plugins.module_utils.incidents import links_of_alerts

    docs = [d for d in client.search([], limit=500) if not d.get("parentId") and not d.get("isIncident")]
    linked = links_of_alerts(client, [d["id"] for d in docs])
    ids = [d["id"] for d in docs if d["id"] not in linked][:count]
    assert len(ids) == count, "the demo data has too few free alerts"
    return ids
