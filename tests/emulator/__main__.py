"""Run the emulator by hand:

    PYTHONPATH=tests python -m emulator [--port 8080] --api-key KEY --seed demo [--db FILE] [--tls] [--log-requests]
"""
from __future__ import annotations

import argparse
import errno
import os
import signal
import sys
import threading

from .app import Emulator


def parse_args(argv=None):
    parser = argparse.ArgumentParser(prog="python -m emulator",
                                     description="UTMStack v11 REST API emulator")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="the port to listen on; 0 (the default) picks a free one")
    parser.add_argument("--api-key", action="append", default=[], metavar="KEY[=LOGIN]",
                        help="an accepted Utm-Api-Key (owner admin unless =LOGIN); repeatable")
    parser.add_argument("--seed", default="demo", help="demo | empty | path of a JSON seed")
    parser.add_argument("--db", default=None, help="SQLite file (resumed when not empty)")
    parser.add_argument("--tls", action="store_true", help="HTTPS with a fresh self-signed CA")
    parser.add_argument("--api-version", type=int, choices=(10, 11), default=11)
    parser.add_argument("--concurrency", choices=("serial", "interleaved"), default="serial",
                        help="interleaved: requests run in parallel between check and write")
    parser.add_argument("--jitter", type=float, default=0.02,
                        help="longest pause (s) at an interleaving point")
    parser.add_argument("--ready-file", default=None, help="write the URL here once listening")
    parser.add_argument("--log-requests", action="store_true", help="print each request: method, path, status")
    return parser.parse_args(argv)


def api_keys(values):
    if not values:
        return None
    keys = {}
    for value in values:
        key, unused_value, login = value.partition("=")
        keys[key] = login or "admin"
    return keys


def print_request(entry):
    print("%s %s -> %s" % (entry["method"], entry["path"], entry["status"]), flush=True)


def print_access(emulator):
    """What a person needs to point a playbook or a browser at this emulator."""
    print("UTMStack emulator (v%d API, %s seed) listening on %s" % (emulator.api_version, emulator.seed
                                                                    if isinstance(emulator.seed, str) else "custom",
                                                                    emulator.url), flush=True)
    for key, login in sorted(emulator.api_keys.items()):
        print("  API key %s (user %s):  export UTMSTACK_URL=%s UTMSTACK_API_KEY=%s" % (key, login, emulator.url, key))
    for login, user in sorted(emulator.users.items()):
        print("  user %s, password %s (%s)" % (login, user["password"], ", ".join(user["authorities"])))
    if emulator.ca_file:
        print("  CA file: %s (give it as ca_path, or UTMSTACK_CA_PATH)" % emulator.ca_file)
    print("Stop it with Ctrl-C.", flush=True)


def main(argv=None):
    args = parse_args(argv)
    emulator = Emulator(api_keys=api_keys(args.api_key), seed=args.seed, db=args.db,
                        tls=args.tls, host=args.host, port=args.port,
                        api_version=args.api_version, concurrency=args.concurrency,
                        jitter=args.jitter)
    try:
        emulator.start()
    except OSError as exc:
        if exc.errno != errno.EADDRINUSE:
            raise
        print("port %d on %s is in use; choose another with --port (make emulator PORT=...), or 0 for a free one"
              % (args.port, args.host), file=sys.stderr)
        return 2
    if args.log_requests:
        emulator.log.echo = print_request
    stopping = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stopping.set())
    print_access(emulator)
    if args.ready_file:
        partial = args.ready_file + ".tmp"
        with open(partial, "w") as handle:
            handle.write(emulator.url + "\n")
        os.replace(partial, args.ready_file)
    try:
        while not stopping.wait(0.5):
            pass
    finally:
        emulator.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
