"""Throw-away venvs for the release checks (tools that must not share .venv), cached under build/."""

import hashlib
import os
import subprocess
import sys

from test_collection import BUILD, run

# The interpreter .venv was made from: the throw-away venvs get the same Python as the tests.
BASE_PYTHON = getattr(sys, "_base_executable", sys.executable)


def tool_venv(name, requirements):
    """A venv under build/venvs with exactly ``requirements`` installed, kept across runs.

    The folder name carries a hash of the requirements, so changing a pin makes a new venv.
    """
    digest = hashlib.sha256("\n".join(requirements).encode()).hexdigest()[:12]
    venv = os.path.join(BUILD, "venvs", "%s-%s" % (name, digest))
    python = os.path.join(venv, "bin", "python")
    if not os.path.exists(os.path.join(venv, ".complete")):
        subprocess.run([BASE_PYTHON, "-m", "venv", "--clear", venv], check=True)
        run([python, "-m", "pip", "install", "-q", "--disable-pip-version-check"] + list(requirements), timeout=900)
        open(os.path.join(venv, ".complete"), "w").close()
    return venv
