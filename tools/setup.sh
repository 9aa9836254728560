#!/usr/bin/env bash
# Make .venv with the pinned toolchain and seed ansible-test's pip bootstrap.
# Idempotent and quick when nothing changed; everything the tests need comes from here.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

find_python() {
  # Python 3.12 gives ansible-core 2.21; pyenv's python3.12 shim exits 127 unless selected,
  # so probe real interpreters. Python 3.11 still works (ansible-core 2.19).
  local c
  for c in ${PYTHON:-} python3.12 "$(pyenv root 2>/dev/null)"/versions/3.12*/bin/python3.12 python3.13 python3; do
    [ -n "$c" ] && "$c" -c 'import sys; assert sys.version_info >= (3, 11)' >/dev/null 2>&1 && { echo "$c"; return; }
  done
  echo "no Python >= 3.11 found; set PYTHON=/path/to/python3.12" >&2
  exit 1
}

stamp=.venv/.requirements-dev.sha
want=$(sha256sum requirements-dev.txt requirements.txt | sha256sum | cut -c1-16)
if [ ! -x .venv/bin/python ]; then
  python=$(find_python)
  echo "setup: creating .venv with $("$python" --version 2>&1) ($python)"
  "$python" -m venv .venv
fi
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "setup: installing the pinned toolchain into .venv (requirements-dev.txt: ansible-core, ansible-lint, molecule, pytest, ...); about a minute the first time"
  .venv/bin/python -m pip install -q --disable-pip-version-check -r requirements-dev.txt 2>&1 | grep -v "is ignored" || true
  .venv/bin/python -m pip check >/dev/null
  echo "$want" > "$stamp"
  echo "setup: .venv ready (ansible-core $(.venv/bin/python -c "import ansible; print(ansible.__version__)"))"
fi

# ansible-test bootstraps pip in each of its venvs from a download host that air-gapped
# machines cannot reach; give it an offline bootstrap built on ensurepip instead.
AT=$(.venv/bin/python -c 'import ansible_test, os; print(os.path.dirname(ansible_test.__file__))')
PIPV=$(grep -oP "pip='\K[0-9.]+" "$AT/_internal/python_requirements.py" | head -1)
mkdir -p "$HOME/.ansible/test/cache"
cp tools/get_pip_offline.py "$HOME/.ansible/test/cache/get_pip_${PIPV//./_}.py"

# The working tree as the collection utmstack.soc, for Ansible and pytest.
link=build/collections/ansible_collections/utmstack/soc
if [ ! -e "$link" ]; then
  echo "setup: linking the checkout as the collection utmstack.soc under build/collections"
  mkdir -p "$(dirname "$link")"
  ln -sfn ../../../.. "$link"
fi
