"""A UTMStack v11 REST API emulator for tests and demos (see README.md)."""
from .app import Emulator

__all__ = ["Emulator"]
