#!/usr/bin/env bash
# Run the molecule scenarios (extensions/molecule/<role>), each against its own
# UTMStack emulator started with fresh demo data and stopped afterwards.
#   tools/molecule.sh                 every scenario
#   tools/molecule.sh triage close    only these
# Exits non-zero when any scenario fails; never leaves an emulator running.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
VENV="$ROOT/.venv/bin"
[ -x "$VENV/molecule" ] || { echo "run 'bash tools/setup.sh' first" >&2; exit 2; }

if [ "$#" -gt 0 ]; then
  scenarios=("$@")
else
  scenarios=()
  for f in extensions/molecule/*/molecule.yml; do scenarios+=("$(basename "$(dirname "$f")")"); done
fi

export PATH="$VENV:$PATH"
export ANSIBLE_COLLECTIONS_PATH="$ROOT/build/collections"
export ANSIBLE_LOCALHOST_WARNING=False ANSIBLE_NOCOLOR=True ANSIBLE_FORCE_COLOR=False
export UTMSTACK_API_KEY="molecule-key"
unset UTMSTACK_USERNAME UTMSTACK_PASSWORD UTMSTACK_TOKEN UTMSTACK_CA_PATH

work=$(mktemp -d)
emulator_pid=""
stop_emulator() {
  if [ -n "$emulator_pid" ]; then
    kill "$emulator_pid" 2>/dev/null || true
    wait "$emulator_pid" 2>/dev/null || true
    emulator_pid=""
  fi
}
trap 'stop_emulator; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

start_emulator() {
  local ready="$work/ready"
  rm -f "$ready"
  PYTHONPATH="$ROOT/tests" "$VENV/python" -m emulator --port 0 --ready-file "$ready" \
    --api-key "$UTMSTACK_API_KEY" --seed demo >"$work/emulator.log" 2>&1 &
  emulator_pid=$!
  for _ in $(seq 1 200); do
    [ -s "$ready" ] && break
    kill -0 "$emulator_pid" 2>/dev/null || { cat "$work/emulator.log" >&2; return 1; }
    sleep 0.05
  done
  [ -s "$ready" ] || { echo "the emulator did not start" >&2; cat "$work/emulator.log" >&2; return 1; }
  UTMSTACK_URL=$(head -n1 "$ready")
  export UTMSTACK_URL
}

failed=()
for scenario in "${scenarios[@]}"; do
  start=$SECONDS
  start_emulator
  echo "== molecule test -s $scenario (emulator $UTMSTACK_URL)"
  if molecule test -s "$scenario"; then
    echo "== $scenario passed in $((SECONDS - start)) s"
  else
    echo "== $scenario FAILED" >&2
    failed+=("$scenario")
  fi
  stop_emulator
done

if [ "${#failed[@]}" -gt 0 ]; then
  echo "failed scenarios: ${failed[*]}" >&2
  exit 1
fi
echo "all molecule scenarios passed: ${scenarios[*]}"
