"""Shared pytest fixtures: the emulator and a client of it (see harness.py for the rest)."""

import os
import sys

import pytest

# pytest.ini puts tests/ on the path; ansible-test units does not read it.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import API_KEY, clear_local_state, link_collection  # noqa: E402  pylint: disable=wrong-import-position

link_collection()


@pytest.fixture(scope="session")
def emulator_server():
    """One emulator for the whole session; use the ``emulator`` fixture for a clean state."""
    from emulator import Emulator

    emu = Emulator(api_keys={API_KEY: "admin"}, seed="empty").start()
    yield emu
    emu.stop()


@pytest.fixture
def emulator(emulator_server):
    """The session emulator reset to the demo data, with an empty request log."""
    emulator_server.reset(seed="demo")
    emulator_server.clear_requests()
    clear_local_state()
    return emulator_server


@pytest.fixture
def client(emulator):
    from ansible_collections.utmstack.soc.plugins.module_utils.client import UtmClient

    return UtmClient(emulator.url, api_key=API_KEY)
