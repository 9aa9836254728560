#!/usr/bin/env python
"""Benchmark of a utm_* task's cost in a playbook against the emulator (not a test).

Runs, alternated in each round, ansible-playbook on: a play of 20 ansible.builtin.debug tasks, a
play of 20 utm_incident_info tasks on the controller path (the action plugins), the same play
forced through the module (UTMSTACK_EXECUTION=module), and playbooks/respond.yml on freshly reset
demo data. Prints the median wall time of each and its ratio to the debug play, and the same for
the CPU time of ansible-playbook and its workers (steadier than the wall time on a busy machine;
the emulator runs in this process and is not counted).

    PYTHONPATH=tests:build/collections .venv/bin/python tests/benchmarks/playbook_bench.py [--runs N]
"""
import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
COLLECTIONS = os.path.join(ROOT, "build", "collections")
sys.path.insert(0, os.path.dirname(HERE))

from emulator import Emulator  # noqa: E402

KEY = "bench-key"
TASKS = 20
PLAY = """- hosts: localhost
  gather_facts: false
  vars:
    ansible_python_interpreter: "{{ ansible_playbook_python }}"
  tasks:
"""
DEBUG_TASK = "    - ansible.builtin.debug:\n        msg: task %d\n"
UTM_TASK = "    - utmstack.soc.utm_incident_info:\n        limit: 1\n"


def write_play(folder, name, task, count):
    path = os.path.join(folder, name)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(PLAY + "".join(task % n if "%d" in task else task for n in range(count)))
    return path


def timed_run(playbook, url, **env):
    full_env = dict((k, v) for k, v in os.environ.items() if not k.startswith("UTMSTACK_"))
    full_env.update(ANSIBLE_COLLECTIONS_PATH=COLLECTIONS, ANSIBLE_LOCALHOST_WARNING="False",
                    ANSIBLE_INVENTORY_UNPARSED_WARNING="False", UTMSTACK_URL=url, UTMSTACK_API_KEY=KEY, **env)
    cmd = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), playbook]
    cpu_before = children_cpu()
    started = time.perf_counter()
    result = subprocess.run(cmd, env=full_env, capture_output=True, text=True, timeout=900, check=False)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit("%s failed:\n%s" % (playbook, result.stdout[-3000:]))
    return elapsed, children_cpu() - cpu_before


def children_cpu():
    """User and system CPU time of the finished child processes (ansible-playbook and its workers)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="alternated rounds (default 5)")
    args = parser.parse_args()
    emu = Emulator(api_keys={KEY: "admin"}, seed="demo").start()
    state = tempfile.mkdtemp(prefix="utmstack-bench-state-")
    os.environ["UTMSTACK_STATE_DIR"] = state
    try:
        with tempfile.TemporaryDirectory() as folder:
            debug = write_play(folder, "debug.yml", DEBUG_TASK, TASKS)
            utm = write_play(folder, "utm.yml", UTM_TASK, TASKS)
            respond = os.path.join(ROOT, "playbooks", "respond.yml")
            times = dict(debug=[], controller=[], module=[], respond=[])  # (wall, cpu) per round
            for round_ in range(args.runs):
                times["debug"].append(timed_run(debug, emu.url))
                times["controller"].append(timed_run(utm, emu.url))
                times["module"].append(timed_run(utm, emu.url, UTMSTACK_EXECUTION="module"))
                emu.reset(seed="demo")
                for name in os.listdir(state):
                    os.remove(os.path.join(state, name))
                times["respond"].append(timed_run(respond, emu.url))
                print("round %d (load %.1f): %s" % (round_ + 1, os.getloadavg()[0], ", ".join(
                    "%s %.2f s (cpu %.2f s)" % ((k,) + v[-1]) for k, v in times.items())), flush=True)
    finally:
        emu.stop()
    wall, cpu = (dict((key, statistics.median(run[i] for run in runs)) for key, runs in times.items()) for i in (0, 1))
    print("\nmedians over %d alternated rounds, ratio to %d debug tasks (wall %.2f s, cpu %.2f s):"
          % (args.runs, TASKS, wall["debug"], cpu["debug"]))
    labels = dict(controller="%d utm tasks, controller path" % TASKS, module="%d utm tasks, module path" % TASKS,
                  respond="respond.yml, fresh demo data")
    for key, label in labels.items():
        print("  %-34s wall %6.2f s %5.2fx   cpu %6.2f s %5.2fx"
              % (label, wall[key], wall[key] / wall["debug"], cpu[key], cpu[key] / cpu["debug"]))


if __name__ == "__main__":
    main()
