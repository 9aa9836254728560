"""Shared pytest setup: the collection import path and the emulator fixtures.

The collection is imported as ``ansible_collections.utmstack.soc``; a symlink under
build/collections makes the working tree that package without copying it.
"""

import os
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COLLECTIONS = os.path.join(ROOT, "build", "collections")
API_KEY = "test-api-key"


def _link_collection():
    link = os.path.join(COLLECTIONS, "ansible_collections", "utmstack", "soc")
    if not os.path.lexists(link):
        os.makedirs(os.path.dirname(link), exist_ok=True)
        os.symlink(os.path.relpath(ROOT, os.path.dirname(link)), link)
    if COLLECTIONS not in sys.path:
        sys.path.insert(0, COLLECTIONS)


_link_collection()


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
    return emulator_server


@pytest.fixture
def client(emulator):
    from ansible_collections.utmstack.soc.plugins.module_utils.client import UtmClient

    return UtmClient(emulator.url, api_key=API_KEY)
