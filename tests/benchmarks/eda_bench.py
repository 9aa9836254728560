#!/usr/bin/env python
"""Benchmark of the utmstack.soc.alerts event source (not a test).

For 0, 1,000 and 100,000 alerts already in the index (emulator.demo.bulk_seed: spread over the
last 7 days, so older than the source's ``since``), runs the source's poll loop in this process
against the emulator over HTTP and measures:
  - detection latency: from seeding one new alert to its event on the source's queue
    (``--samples`` times; the poll interval bounds it, the search adds to it);
  - requests per poll: HTTP requests the client sent divided by the polls made, while idle
    and while alerts arrive;
  - the wall time of one poll (one search from the watermark).

    PYTHONPATH=tests:build/collections .venv/bin/python tests/benchmarks/eda_bench.py [--interval S] [--samples N]
"""
import argparse
import asyncio
import os
import statistics
import sys
import time
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(HERE)), "build", "collections"))

from emulator import Emulator  # noqa: E402
from emulator.demo import bulk_seed  # noqa: E402
from ansible_collections.utmstack.soc.plugins.module_utils.watermark import from_ms  # noqa: E402
from ansible_collections.utmstack.soc.plugins.plugin_utils import eda_source  # noqa: E402

KEY = "KEY"
SIZES = (0, 1000, 100000)


class CountingPoller(eda_source.AlertPoller):
    """The real poller, counting its polls and the time they take."""

    def __init__(self, client, args):
        super().__init__(client, args)
        self.polls = 0
        self.poll_seconds = []

    def poll(self):
        start = time.perf_counter()
        try:
            return super().poll()
        finally:
            self.polls += 1
            self.poll_seconds.append(time.perf_counter() - start)


def new_alert():
    return {"id": str(uuid.uuid4()), "@timestamp": from_ms(time.time() * 1000), "name": "Benchmark rule",
            "severity": 3, "status": 2, "isIncident": False}


async def measure(emulator, interval, samples):
    args = {"url": emulator.url, "api_key": KEY, "interval": interval, "since": "now"}
    queue = asyncio.Queue()
    pollers = []

    def make(client, source_args):
        pollers.append(CountingPoller(client, source_args))
        return pollers[0]

    task = asyncio.ensure_future(eda_source.run(queue, args, make))
    await asyncio.sleep(interval * 3)  # idle polls over the full index
    poller = pollers[0]
    idle = (poller.client.request_count, poller.polls)
    latencies = []
    for sample in range(samples):
        doc = new_alert()
        start = time.perf_counter()
        emulator.load_seed({"alerts": [doc]})
        event = await asyncio.wait_for(queue.get(), interval * 10 + 60)
        latencies.append(time.perf_counter() - start)
        assert event["alert"]["id"] == doc["id"], "an unexpected event"
        await asyncio.sleep(interval * ((sample * 0.2 + 0.1) % 1))  # seed at varying points of the poll cycle
    task.cancel()
    assert queue.empty(), "an alert was delivered twice"
    return {"idle_requests_per_poll": idle[0] / max(idle[1], 1),
            "requests_per_poll": poller.client.request_count / max(poller.polls, 1),
            "latency_median": statistics.median(latencies), "latency_max": max(latencies),
            "poll_median": statistics.median(poller.poll_seconds)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interval", type=int, default=1, help="poll interval in seconds (default 1)")
    parser.add_argument("--samples", type=int, default=5, help="new alerts per index size (default 5)")
    options = parser.parse_args()
    print("utmstack.soc.alerts, interval %d s, %d samples per size" % (options.interval, options.samples))
    print("| alerts in index | requests/poll idle | requests/poll | poll time (median) | latency median | latency max |")
    print("|---:|---:|---:|---:|---:|---:|")
    for size in SIZES:
        with Emulator(api_keys={KEY: "admin"}, seed="empty") as emulator:
            if size:
                emulator.load_seed(bulk_seed(size, 0))
            figures = asyncio.run(measure(emulator, options.interval, options.samples))
        print("| {:,} | {idle_requests_per_poll:.2f} | {requests_per_poll:.2f} | {poll_median:.3f} s | {latency_median:.2f} s | "
              "{latency_max:.2f} s |".format(size, **figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
