"""Every example and command in README.md and docs/ runs as written against a fresh demo emulator (issue 9).

Each file's fenced blocks run in order on one emulator, as a reader would follow the page:
- a YAML playbook runs twice; the second run must report ``changed=0``;
- ``export`` lines set the environment of the later commands; ``ansible-playbook`` commands run,
  those without ``--check`` twice (the second ``changed=0``), those with it send no write;
- other YAML (variables, rulebooks) must parse.
The only rewrite is the server: the examples' placeholder URL and API key become the emulator's.
A command this test does not know fails it: classify it below, with the reason when it cannot run.
"""

import glob
import os
import re
import shlex
import subprocess

import pytest
import yaml

from harness import API_KEY, ROOT, ansible_env

FILES = ["README.md"] + sorted(os.path.relpath(p, ROOT) for p in glob.glob(os.path.join(ROOT, "docs", "*.md")))
PLACEHOLDER_URL = "https://utmstack.example.com"
PLACEHOLDER_KEYS = ("'...'", '"..."', "{{ vault_utmstack_api_key }}")
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.M | re.S)
RECAP = re.compile(r"^\S+\s+: ok=\d+\s+changed=(\d+)\s+unreachable=0\s+failed=0", re.M)

# Commands that do not run here, and why; each is run or covered elsewhere.
NOT_RUN = {
    "make demo": "tools/demo.py, run by tests/integration/test_demo.py",
    "make test": "this is the test command itself",
    "make unit": "part of make test", "make integration": "part of make test",
    "make emulator-tests": "part of make test", "make quality": "part of make test",
    "make molecule": "part of make test", "make bench": "benchmarks, not tests (tests/benchmarks)",
    "make emulator": "a server that runs until stopped (tests/emulator/tests/test_cli_tls.py)",
    "make test PYTEST_ARGS=": "part of make test",
    "make matrix": "part of make test",
    "pip install": "installs from the package registry (tools/setup.sh does it for the tests)",
    "ansible-galaxy collection install utmstack.soc": "installs from Galaxy (tests/quality builds and installs the tarball)",
    "ansible-rulebook": "tests/integration/test_eda.py runs the rulebooks",
    "bash tools/setup.sh": "make setup, run before every test run",
}
# Exports for a real server only, and why they are left out here.
NOT_EXPORTED = {"UTMSTACK_CA_PATH": "for a console with a private CA; the emulator serves plain HTTP"}
# Files that show code shapes, not things to run.
ILLUSTRATIONS = {"docs/module_template.md": "the skeleton of a new module, with elisions"}
NEEDS_AWX = "awx.awx."  # plays for an AWX controller (extensions/awx is tested against AWX's rules)


def blocks(path):
    with open(os.path.join(ROOT, path)) as handle:
        return FENCE.findall(handle.read())


def commands(script):
    """The shell commands of a bash block: continuations joined, comments and blank lines dropped."""
    joined = re.sub(r"\\\n\s*", " ", script)
    found = []
    for line in joined.splitlines():
        words = shlex.split(line, comments=True)
        if words:
            found.append(words)
    return found


def at_the_emulator(text, emulator):
    for key in PLACEHOLDER_KEYS:
        text = text.replace(key, API_KEY)
    return text.replace(PLACEHOLDER_URL, emulator.url)


class Reader(object):
    """Follows one page: its environment, its commands, what they did."""

    def __init__(self, emulator, tmp_path):
        self.emulator = emulator
        self.tmp_path = tmp_path
        self.env = ansible_env(emulator)
        # A reader from a checkout has run make (tools/setup.sh): its venv on PATH, the
        # checkout as the collection.
        self.env["PATH"] = os.path.join(ROOT, ".venv", "bin") + os.pathsep + self.env.get("PATH", "")
        self.runs = 0

    def ansible_playbook(self, words):
        done = subprocess.run(words, cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=900, check=False)
        output = done.stdout[-5000:] + done.stderr[-2000:]
        assert done.returncode == 0, "%s\n%s" % (" ".join(words), output)
        changed = [int(n) for n in RECAP.findall(done.stdout)]
        assert changed, output
        return sum(changed), output

    def run_command(self, words):
        line = " ".join(words)
        if words[0] == "export":
            for assignment in words[1:]:
                name, unused_value, value = assignment.partition("=")
                if name in NOT_EXPORTED:
                    continue
                value = API_KEY if value == "..." else at_the_emulator(value, self.emulator)  # quotes are gone
                self.env[name] = os.path.expandvars(value.replace("$PWD", ROOT))
            return
        if os.path.basename(words[0]) == "ansible-playbook":
            self.run_playbook_command(words)
            return
        for known in NOT_RUN:
            if line.startswith(known):
                return
        pytest.fail("a command the docs test does not know: %r; run it here or add it to NOT_RUN with the reason" % line)

    def run_playbook_command(self, words):
        if "--check" in words:
            self.emulator.clear_requests()
            unused_changed, output = self.ansible_playbook(words)
            assert self.emulator.requests(writes_only=True) == [], "%s sent writes\n%s" % (" ".join(words), output)
            return
        self.ansible_playbook(words)
        changed, output = self.ansible_playbook(words)
        assert changed == 0, "%s: the second run reported changed=%d\n%s" % (" ".join(words), changed, output)

    def run_yaml(self, text):
        data = yaml.safe_load(at_the_emulator(text, self.emulator))
        plays = isinstance(data, list) and all(isinstance(p, dict) and "hosts" in p for p in data)
        if not plays or "sources" in data[0] or NEEDS_AWX in text:
            return  # parsed: variables, a rulebook, or an AWX play
        self.runs += 1
        playbook = self.tmp_path / ("example-%d.yml" % self.runs)
        playbook.write_text(yaml.safe_dump(data, sort_keys=False))
        words = ["ansible-playbook", str(playbook)]
        self.ansible_playbook(words)
        changed, output = self.ansible_playbook(words)
        assert changed == 0, "the example's second run reported changed=%d\n%s" % (changed, output)


@pytest.mark.parametrize("path", [p for p in FILES if p not in ILLUSTRATIONS])
def test_examples_and_commands_run_as_written(path, emulator, tmp_path, record_property):
    reader = Reader(emulator, tmp_path)
    found = blocks(path)
    record_property("size", "%d blocks" % len(found))
    for language, text in found:
        if language in ("yaml", "yml"):
            reader.run_yaml(text)
        elif language in ("bash", "sh", "shell", "console"):
            for words in commands(text):
                reader.run_command(words)
        elif language and language != "text":  # text: output shown, nothing to run
            pytest.fail("a %s block in %s: run it here or say why not" % (language, path))
