"""The Emulator object: configuration, lifecycle and the Python side of the test namespace."""
from __future__ import annotations

import copy
import random
import shutil
import tempfile
import threading
import time

from . import seeding
from .api import Api
from .auth import Auth, normalize_users
from .control import Faults, RequestLog
from .instants import now_ns
from .model import history_json, incident_alert_json, incident_json, note_json
from .server import EmulatorHTTPServer
from .store import Store

DEFAULT_API_KEYS = {"KEY": "admin"}
CONCURRENCY_MODES = ("serial", "interleaved")


class Emulator(object):
    """A UTMStack v11 backend on 127.0.0.1 for tests (see README.md).

    api_keys: {key: login}; users: None for admin/analyst or a list of
    {id, login, password, authorities[, activated]}; seed: "demo" | "empty" | dict | path;
    db: SQLite file (None = in memory; an existing non-empty file is resumed, not re-seeded).
    concurrency: "serial" runs one request at a time; "interleaved" lets other requests run
    between a handler's check and its write, as the real server's thread pool does (see
    yield_point); jitter is the longest pause there, in seconds.
    """

    def __init__(self, api_keys=None, users=None, seed="demo", db=None, tls=False,
                 host="127.0.0.1", port=0, api_version=11, concurrency="serial", jitter=0.02):
        self.api_keys = dict(DEFAULT_API_KEYS if api_keys is None else api_keys)
        self.users = normalize_users(users)
        self.seed = seed
        self.db = db
        self.tls = tls
        self.host = host
        self.port = port
        self.api_version = int(api_version)
        if self.api_version not in (10, 11):
            raise ValueError("api_version must be 10 or 11")
        if concurrency not in CONCURRENCY_MODES:
            raise ValueError("concurrency must be one of %s" % ", ".join(CONCURRENCY_MODES))
        self.concurrency = concurrency
        self.jitter = float(jitter)
        self.tfa_code = "123456"  # what POST /api/tfa/verify-code accepts
        self.lock = threading.RLock()
        self.auth = Auth(self)
        self.api = Api(self)
        self.log = RequestLog()
        self.faults = Faults()
        self.store = None
        self.url = None
        self.ca_file = None
        self._server = None
        self._thread = None
        self._tls_dir = None

    # ------------------------------------------------------------ lifecycle
    def start(self):
        if self._server is not None:
            return self
        self._open_store()
        context = None
        if self.tls:
            from .tls import make_certificates, server_context  # needs `cryptography`

            self._tls_dir = tempfile.mkdtemp(prefix="utmstack-emulator-tls-")
            self.ca_file, cert, key = make_certificates(self._tls_dir, self.host)
            context = server_context(cert, key)
        self.auth = Auth(self)  # a new signing secret: tokens of a previous run are refused
        self._server = EmulatorHTTPServer((self.host, self.port), self, context)
        port = self._server.server_address[1]
        host = "127.0.0.1" if self.host in ("", "0.0.0.0") else self.host
        host = "[%s]" % host if ":" in host else host
        self.url = "%s://%s:%d" % ("https" if self.tls else "http", host, port)
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": 0.1},
                                        name="utmstack-emulator", daemon=True)
        self._thread.start()
        return self

    def stop(self):
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(5)
            self._server = self._thread = None
        with self.lock:
            if self.store is not None:
                self.store.close()
                self.store = None
        if self._tls_dir:
            shutil.rmtree(self._tls_dir, ignore_errors=True)
            self._tls_dir = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()

    def _open_store(self):
        with self.lock:
            if self.store is None:
                self.store = Store(self.db)
                if self.store.is_empty():
                    self._seed(self.seed)

    def _seed(self, seed):
        seeding.load(self.store, seeding.resolve(seed), now_ns())

    # ------------------------------------------------------------ interleaving
    def yield_point(self):
        """Called by a handler between its check/read phase and its write transaction.

        Serial mode: nothing. Interleaved mode: release the request lock for a moment so
        other requests run here, as concurrent READ COMMITTED transactions would; the write
        that follows is still atomic and the DB constraints still decide.
        """
        if self.concurrency == "serial":
            return
        if self.store.in_transaction:
            raise RuntimeError("yield_point inside a transaction would mix two requests' writes")
        self.lock.release()
        try:
            self.pause()
        finally:
            self.lock.acquire()

    def pause(self):
        """The wait at a yield point, without the lock: random, up to ``jitter`` seconds."""
        time.sleep(random.uniform(0, self.jitter))

    # ------------------------------------------------------------ test namespace
    def reset(self, seed="demo"):
        """Wipe everything (DB, documents, log, faults, API-key blacklist) and seed again."""
        self._open_store()
        with self.lock:
            self.store.wipe()
            self.log.clear()
            self.faults.clear()
            self.auth.blacklist.clear()
            self._seed(seed)

    def load_seed(self, data):
        """Add a seed dict (or "demo" / a JSON path) to the current state."""
        self._open_store()
        with self.lock:
            self._seed(data)

    def requests(self, writes_only=False):
        with self.lock:
            return self.log.list(writes_only)

    def clear_requests(self):
        with self.lock:
            self.log.clear()

    def add_fault(self, method="POST", path=r"^/api/utm-incidents$", status=503, retry_after=None,
                  delay=0.0, drop=False, malformed=False, count=1, after=False, skip=0):
        with self.lock:
            return self.faults.add(method=method, path=path, status=status,
                                   retry_after=retry_after, delay=delay, drop=drop,
                                   malformed=malformed, count=count, after=after, skip=skip)

    def clear_faults(self):
        with self.lock:
            self.faults.clear()

    def state(self):
        self._open_store()
        with self.lock:
            store = self.store
            return {
                "incidents": [incident_json(r) for r in
                              store.all("SELECT * FROM utm_incident ORDER BY id")],
                "incident_alerts": [incident_alert_json(r) for r in
                                    store.all("SELECT * FROM utm_incident_alert ORDER BY id")],
                "notes": [note_json(r) for r in
                          store.all("SELECT * FROM utm_incident_note ORDER BY id")],
                "histories": [history_json(r) for r in
                              store.all("SELECT * FROM utm_incident_history ORDER BY id")],
                "alerts": copy.deepcopy(list(store.alerts.docs.values())),
            }
