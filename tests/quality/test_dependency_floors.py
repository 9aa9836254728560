"""The oldest requests and urllib3 that requirements.txt allows really work: the unit tests pass
in a throw-away venv that has exactly those versions (and the pinned ansible-core and pytest)."""

import os
import re
import subprocess

from test_collection import ROOT
from venvs import tool_venv

# What the unit tests need besides the collection's own requirements, pinned as in development.
TEST_TOOLS = ("ansible-core", "pytest", "cryptography")


def read_lines(name):
    with open(os.path.join(ROOT, name)) as f:
        return [line.split("#")[0].strip() for line in f if line.split("#")[0].strip()]


def floors():
    """requirements.txt's ``name>=version`` lines as ``name==version`` pins."""
    pins = []
    for line in read_lines("requirements.txt"):
        match = re.match(r"^([A-Za-z0-9_.-]+)\s*>=\s*([0-9][^,;\s]*)$", line)
        assert match, "requirements.txt line without a plain floor: %r" % line
        pins.append("%s==%s" % match.groups())
    return pins


def dev_pins():
    """The development pins (with their environment markers, which pip evaluates)."""
    return [line for line in read_lines("requirements-dev.txt") if re.split(r"[=<>;\s]", line)[0] in TEST_TOOLS]


def run_unit_tests(name, pins, *paths):
    venv = tool_venv(name, dev_pins() + pins)
    python = os.path.join(venv, "bin", "python")
    installed = subprocess.run([python, "-m", "pip", "freeze"], capture_output=True, text=True, check=True).stdout.lower()
    for pin in pins:
        assert pin.lower() in installed.splitlines(), "%s not installed as asked:\n%s" % (pin, installed)
    result = subprocess.run([python, "-m", "pytest", "-q", "-p", "no:cacheprovider"] + list(paths or ["tests/unit"]),
                            cwd=ROOT, capture_output=True, text=True, timeout=900, check=False)
    return result, result.stdout[-6000:] + result.stderr[-2000:]


def test_requirements_are_floors():
    assert [pin.split("==")[0] for pin in floors()] == ["requests", "urllib3"]


def test_unit_tests_pass_on_the_floor_versions():
    result, output = run_unit_tests("floors", floors())
    assert result.returncode == 0, output
    assert re.search(r"\d+ passed", output), output


def test_unit_tests_pass_on_urllib3_1_26():
    """urllib3 1.26 is what RHEL 9's and Debian 12's system Pythons ship; 1.26.20 is its last release."""
    result, output = run_unit_tests("urllib3-1.26", ["requests==2.31.0", "urllib3==1.26.20"],
                                    "tests/unit/plugins/module_utils/test_client.py")
    assert result.returncode == 0, output
