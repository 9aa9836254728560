"""make matrix: every ansible-core that meta/runtime.yml claims, from its floor to 2.21, each in
its own venv (cached under build/venvs): ansible-test sanity on the collection and the end-to-end
runbook respond.yml against the emulator. The modules' code is also compiled and imported on
the oldest target Python that tests/config.yml claims.

The full sanity run on the newest ansible-core is test_collection.py's; here the older ones run
a reduced set of sanity tests to stay within the time budget (about 6 minutes with cold venvs on
2 cores, 2 to 3 warm). Part of make test; UTMSTACK_MATRIX=0 skips it, make matrix runs only it.
"""

import glob
import os
import re
import shutil
import subprocess
import sys

import pytest
import yaml

import test_collection
from harness import ansible_env
from test_collection import BIN, ROOT, run
from venvs import tool_venv

collection_copy = test_collection.collection_copy  # the fixture: a real copy for ansible-test

NEWEST = (2, 21)
# Sanity tests for the older ansible-core versions: what differs between versions (docs and
# argument specs, runtime metadata, module imports), not style checks, which do not.
REDUCED_SANITY = ["compile", "import", "validate-modules", "ansible-doc", "runtime-metadata"]

pytestmark = pytest.mark.skipif(os.environ.get("UTMSTACK_MATRIX") == "0", reason="UTMSTACK_MATRIX=0")


def claimed_versions():
    with open(os.path.join(ROOT, "meta", "runtime.yml")) as f:
        floor = yaml.safe_load(f)["requires_ansible"]
    major, minor = (int(n) for n in re.match(r"^>=\s*(\d+)\.(\d+)", floor).groups())
    assert major == NEWEST[0]
    return ["%d.%d" % (major, m) for m in range(minor, NEWEST[1] + 1)]


def oldest_module_python():
    with open(os.path.join(ROOT, "tests", "config.yml")) as f:
        return re.match(r"^>=\s*(\d+\.\d+)", yaml.safe_load(f)["modules"]["python_requires"]).group(1)


def dev_pin(name):
    with open(os.path.join(ROOT, "requirements-dev.txt")) as f:
        return next(line.split("#")[0].strip() for line in f if line.startswith(name + "=="))


def core_venv(version):
    """ansible-core <version>.x with what the modules need on the controller (.venv for the newest)."""
    if version == "%d.%d" % NEWEST:
        return os.path.dirname(BIN)
    venv = tool_venv("ansible-core-" + version, ["ansible-core~=%s.0" % version, dev_pin("requests"), dev_pin("urllib3")])
    bootstrap_pip(venv)
    return venv


def bootstrap_pip(venv):
    """ansible-test of this version downloads a get-pip script unless its cache has one: give it
    the offline one (tools/get_pip_offline.py), as tools/setup.sh does for .venv."""
    found = glob.glob(os.path.join(venv, "lib", "python3*", "site-packages", "ansible_test", "_internal",
                                   "python_requirements.py"))
    with open(found[0]) as f:
        pip_version = re.search(r"pip='([0-9.]+)'", f.read()).group(1)
    cache = os.path.expanduser("~/.ansible/test/cache")
    os.makedirs(cache, exist_ok=True)
    shutil.copyfile(os.path.join(ROOT, "tools", "get_pip_offline.py"),
                    os.path.join(cache, "get_pip_%s.py" % pip_version.replace(".", "_")))


def python_dir(tmp_path, version):
    """A PATH entry with pythonX.Y: pyenv's shims exit 127 for versions that are not selected."""
    real = glob.glob(os.path.join(os.path.expanduser(os.environ.get("PYENV_ROOT", "~/.pyenv")), "versions",
                                  version + ".*", "bin", "python" + version))
    real = real or [p for p in [shutil.which("python" + version)] if p]
    if not real or subprocess.run([real[0], "-c", ""], check=False).returncode != 0:
        pytest.fail("Python %s is needed for the module-side checks" % version)
    folder = tmp_path / "pythons"
    folder.mkdir()
    (folder / ("python" + version)).symlink_to(real[0])
    return str(folder)


def sanity(venv, copy, tests, python, path=None):
    env = {"ANSIBLE_COLLECTIONS_PATH": ""}
    env["PATH"] = os.pathsep.join([p for p in (path, os.path.join(venv, "bin")) if p] + [os.environ["PATH"]])
    args = [os.path.join(venv, "bin", "ansible-test"), "sanity", "--venv", "--python", python, "--color", "no"]
    for test in tests:
        args += ["--test", test]
    out = run(args, cwd=copy, env=env)
    for test in tests:
        assert 'Running sanity test "%s"' % test in out.stdout + out.stderr, out.stdout[-3000:]
    return out.stdout + out.stderr


@pytest.mark.parametrize("version", claimed_versions())
def test_ansible_core_version(version, collection_copy, emulator):
    venv = core_venv(version)
    controller = "%d.%d" % sys.version_info[:2]
    if version != "%d.%d" % NEWEST:
        sanity(venv, collection_copy, REDUCED_SANITY, controller)
    env = ansible_env(emulator)
    env["PATH"] = os.path.join(venv, "bin") + os.pathsep + os.environ["PATH"]
    result = subprocess.run([os.path.join(venv, "bin", "ansible-playbook"), os.path.join(ROOT, "playbooks", "respond.yml")],
                            env=env, capture_output=True, text=True, timeout=900, check=False)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert re.search(r"^localhost\s*:\s*ok=\d+\s+changed=[1-9]", result.stdout, re.M), result.stdout[-3000:]
    assert "ansible-playbook [core %s." % version in subprocess.run(
        [os.path.join(venv, "bin", "ansible-playbook"), "--version"], capture_output=True, text=True, check=True).stdout


def test_module_code_on_the_oldest_target_python(collection_copy, tmp_path):
    """compile and import of the modules and module_utils on the oldest Python tests/config.yml claims."""
    version = oldest_module_python()
    out = sanity(core_venv("%d.%d" % NEWEST), collection_copy, ["compile", "import"], version, path=python_dir(tmp_path, version))
    for test in ("compile", "import"):
        assert 'Running sanity test "%s" on Python %s' % (test, version) in out, out[-3000:]
