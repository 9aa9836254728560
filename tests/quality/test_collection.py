"""Collection-wide checks, run by the same test command as everything else:
ansible-test sanity, ansible-lint (production profile), ansible-doc of every plugin,
the changelog, and a build + install of the collection artifact.
"""

import glob
import os
import re
import shutil
import subprocess
import sys

import pytest

from harness import COLLECTIONS, ROOT

BIN = os.path.dirname(sys.executable)
BUILD = os.path.join(ROOT, "build")
MODULES = sorted(os.path.basename(p)[:-3] for p in glob.glob(os.path.join(ROOT, "plugins", "modules", "utm_*.py")))


def run(cmd, cwd=ROOT, env=None, timeout=1200):
    full_env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=COLLECTIONS, ANSIBLE_NOCOLOR="1", PATH=BIN + os.pathsep + os.environ["PATH"])
    full_env.update(env or {})
    result = subprocess.run(cmd, cwd=cwd, env=full_env, capture_output=True, text=True, check=False, timeout=timeout)
    assert result.returncode == 0, "%s failed (rc %s):\n%s\n%s" % (" ".join(cmd), result.returncode, result.stdout[-8000:], result.stderr[-4000:])
    return result


def collection_files():
    """What git would commit: tracked files plus untracked ones that are not ignored."""
    out = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout
    return [f for f in out.split("\0") if f and os.path.isfile(os.path.join(ROOT, f))]


@pytest.fixture(scope="module")
def collection_copy():
    """A real copy at .../ansible_collections/utmstack/soc: ansible-test resolves symlinks."""
    dest = os.path.join(BUILD, "sanity", "ansible_collections", "utmstack", "soc")
    shutil.rmtree(dest, ignore_errors=True)
    for rel in collection_files():
        target = os.path.join(dest, rel)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copy2(os.path.join(ROOT, rel), target)
    # ansible-test lists files through git: inside our checkout it would see build/ as ignored
    # and skip every target, so the copy is a repository of its own (untracked files count).
    subprocess.run(["git", "init", "-q", dest], check=True)
    return dest


def test_no_sanity_ignore_files():
    assert glob.glob(os.path.join(ROOT, "tests", "sanity", "ignore-*.txt")) == []


def test_ansible_test_sanity(collection_copy):
    python = "%d.%d" % sys.version_info[:2]
    out = run([os.path.join(BIN, "ansible-test"), "sanity", "--venv", "--python", python, "--color", "no"],
              cwd=collection_copy, env={"ANSIBLE_COLLECTIONS_PATH": ""})
    assert "All targets skipped" not in out.stdout + out.stderr
    assert 'Running sanity test "validate-modules"' in out.stdout + out.stderr


def test_ansible_test_units(collection_copy):
    """The unit tests as ansible-test runs them (its own pytest config, tests/unit/requirements.txt)."""
    python = "%d.%d" % sys.version_info[:2]
    out = run([os.path.join(BIN, "ansible-test"), "units", "--venv", "--python", python, "--color", "no"],
              cwd=collection_copy, env={"ANSIBLE_COLLECTIONS_PATH": ""})
    assert re.search(r"\d+ passed", out.stdout), out.stdout[-3000:]


def test_ansible_lint_production():
    run([os.path.join(BIN, "ansible-lint"), "--profile", "production", "--offline", "--nocolor"])


@pytest.mark.parametrize("module", MODULES)
def test_ansible_doc_renders(module):
    out = run([os.path.join(BIN, "ansible-doc"), "utmstack.soc." + module]).stdout
    assert "EXAMPLES:" in out and "RETURN VALUES:" in out, out[:2000]
    assert "utmstack.soc." + module in out


def test_every_module_is_in_the_action_group():
    import yaml

    with open(os.path.join(ROOT, "meta", "runtime.yml")) as f:
        runtime = yaml.safe_load(f)
    assert sorted(runtime["action_groups"]["utmstack"]) == MODULES


def test_changelog_fragments_lint():
    run([os.path.join(BIN, "antsibull-changelog"), "lint"])


def test_build_and_install(tmp_path):
    run([os.path.join(BIN, "ansible-galaxy"), "collection", "build", "--force", "--output-path", str(tmp_path)])
    tarball = glob.glob(str(tmp_path / "utmstack-soc-*.tar.gz"))
    assert len(tarball) == 1
    install_dir = tmp_path / "installed"
    run([os.path.join(BIN, "ansible-galaxy"), "collection", "install", "--force", tarball[0], "-p", str(install_dir)],
        env={"ANSIBLE_COLLECTIONS_PATH": str(install_dir)})
    out = run([os.path.join(BIN, "ansible-doc"), "-l", "utmstack.soc"],
              env={"ANSIBLE_COLLECTIONS_PATH": str(install_dir)}).stdout
    for module in MODULES:
        assert "utmstack.soc." + module in out
    packed = subprocess.run(["tar", "tzf", tarball[0]], capture_output=True, text=True, check=True).stdout
    assert ".venv/" not in packed and "build/" not in packed
