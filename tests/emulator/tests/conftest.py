"""Fixtures for the emulator's own tests: one server per session, a known state per test."""
import copy

import pytest
from emulator.tests.emu_helpers import ANALYST_KEY, API_KEY, SMALL_SEED, Api

from emulator import Emulator


@pytest.fixture(scope="session")
def emulator_server():
    emu = Emulator(api_keys={API_KEY: "admin", ANALYST_KEY: "analyst"}, seed="empty").start()
    yield emu
    emu.stop()


@pytest.fixture
def emulator(emulator_server):
    """The session emulator with only SMALL_SEED loaded, no faults and an empty log."""
    emulator_server.reset(seed=copy.deepcopy(SMALL_SEED))
    return emulator_server


@pytest.fixture
def api(emulator):
    return Api(emulator.url, {"Utm-Api-Key": API_KEY})


@pytest.fixture
def analyst_api(emulator):
    return Api(emulator.url, {"Utm-Api-Key": ANALYST_KEY})


@pytest.fixture
def anon(emulator):
    return Api(emulator.url, {})
