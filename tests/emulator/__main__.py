"""Run the emulator by hand:

    PYTHONPATH=tests python -m emulator --port 8080 --api-key KEY --seed demo [--db FILE] [--tls]
"""
from __future__ import annotations

import argparse
import os
import signal
import sys
import threading

from .app import Emulator


def parse_args(argv=None):
    parser = argparse.ArgumentParser(prog="python -m emulator",
                                     description="UTMStack v11 REST API emulator")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080, help="0 picks a free port")
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
    return parser.parse_args(argv)


def api_keys(values):
    if not values:
        return None
    keys = {}
    for value in values:
        key, unused_value, login = value.partition("=")
        keys[key] = login or "admin"
    return keys


def main(argv=None):
    args = parse_args(argv)
    emulator = Emulator(api_keys=api_keys(args.api_key), seed=args.seed, db=args.db,
                        tls=args.tls, host=args.host, port=args.port,
                        api_version=args.api_version, concurrency=args.concurrency,
                        jitter=args.jitter).start()
    stopping = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stopping.set())
    print("UTMStack emulator listening on %s" % emulator.url, flush=True)
    if emulator.ca_file:
        print("CA file: %s" % emulator.ca_file, flush=True)
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
