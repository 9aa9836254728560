# -*- coding: utf-8 -*-
# Copyright: utmstack.soc contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a run keeps on the host that runs the task: locks and the triage journal.

- A lock per server makes the write tasks that run at the same time on this host (forks of
  one play, parallel jobs) take turns for their read-modify-write: the API has no
  compare-and-set, and its change-status PUT replaces the whole incident.
- The journal records, before an incident write, the triage the server's status push will
  overwrite. The next run on this host finishes a restore an interrupted run left undone;
  once the API has given the triage back, nothing else remembers it.

Standard library only. The directory is UTMSTACK_STATE_DIR, else ~/.ansible/utmstack.soc.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import contextlib
import hashlib
import json
import os

try:
    import fcntl
except ImportError:  # not POSIX: no locking, reruns still converge
    fcntl = None


def state_dir():
    path = os.environ.get("UTMSTACK_STATE_DIR") or os.path.join(os.path.expanduser("~"), ".ansible", "utmstack.soc")
    if not os.path.isdir(path):
        os.makedirs(path, mode=0o700, exist_ok=True)
    return path


def _name(kind, key):
    return "%s-%s" % (kind, hashlib.sha256(json.dumps(key, sort_keys=True).encode("utf-8")).hexdigest()[:32])


@contextlib.contextmanager
def write_lock(client, check_mode):
    """The lock a write task holds on the server of ``client`` (none in check mode, which writes nothing)."""
    if check_mode:
        yield
    else:
        with locked("writes", client.base_url):
            yield


@contextlib.contextmanager
def locked(*key):
    """Hold an exclusive lock named by ``key``."""
    if fcntl is None:
        yield
        return
    with open(os.path.join(state_dir(), _name("lock", key)), "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class Journal:
    """One JSON record per key, written atomically; absent when there is nothing to finish."""

    def __init__(self, *key):
        self.path = os.path.join(state_dir(), _name("journal", key) + ".json")

    def load(self):
        try:
            with open(self.path) as handle:
                return json.load(handle)
        except (IOError, OSError, ValueError):
            return None

    def save(self, record):
        temporary = self.path + ".tmp"
        with open(temporary, "w") as handle:
            json.dump(record, handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, self.path)

    def clear(self):
        try:
            os.remove(self.path)
        except OSError:
            pass
