"""Storage: the four JPA tables in SQLite, and the alert documents (the OpenSearch side).

The tables carry the real constraints (NOT NULL, unique name, unique alert id,
foreign keys with ON DELETE CASCADE, varchar lengths as CHECKs) so violations
fail and roll back as in Postgres. Ids come from Python-side sequences that,
like Postgres sequences, are not given back when a transaction rolls back.
Alert documents live in a dict for fast search; with a database file they are
also written through to a table so a demo can be resumed.
"""
from __future__ import annotations

import contextlib
import json
import sqlite3

from .errors import ServiceError

TABLES = ("utm_incident", "utm_incident_alert", "utm_incident_note", "utm_incident_history")

SCHEMA = """
CREATE TABLE IF NOT EXISTS utm_incident (
  id INTEGER PRIMARY KEY,
  incident_name TEXT NOT NULL,
  incident_description TEXT NOT NULL,
  incident_status TEXT NOT NULL,
  incident_assigned_to TEXT,
  incident_severity INTEGER NOT NULL,
  incident_created_date INTEGER NOT NULL,
  incident_solution TEXT,
  CONSTRAINT ux_utm_incident_incident_name UNIQUE (incident_name),
  CONSTRAINT varchar_250 CHECK (length(incident_name) <= 250),
  CONSTRAINT varchar_2000 CHECK (length(incident_description) <= 2000),
  CONSTRAINT varchar_255 CHECK (length(incident_status) <= 255),
  CONSTRAINT varchar_1000 CHECK (length(incident_solution) <= 1000)
);
CREATE TABLE IF NOT EXISTS utm_incident_alert (
  id INTEGER PRIMARY KEY,
  incident_id INTEGER NOT NULL REFERENCES utm_incident (id) ON DELETE CASCADE,
  alert_id TEXT NOT NULL,
  alert_name TEXT NOT NULL,
  alert_status INTEGER NOT NULL,
  alert_severity INTEGER NOT NULL,
  CONSTRAINT ux_utm_incident_alert_alert_id UNIQUE (alert_id),
  CONSTRAINT varchar_255 CHECK (length(alert_id) <= 255 AND length(alert_name) <= 255)
);
CREATE INDEX IF NOT EXISTS ix_utm_incident_alert_incident ON utm_incident_alert (incident_id);
CREATE TABLE IF NOT EXISTS utm_incident_note (
  id INTEGER PRIMARY KEY,
  incident_id INTEGER NOT NULL REFERENCES utm_incident (id) ON DELETE CASCADE,
  note_text TEXT NOT NULL,
  note_send_date INTEGER NOT NULL,
  note_send_by TEXT NOT NULL,
  CONSTRAINT varchar_1000 CHECK (length(note_text) <= 1000),
  CONSTRAINT varchar_255 CHECK (length(note_send_by) <= 255)
);
CREATE TABLE IF NOT EXISTS utm_incident_history (
  id INTEGER PRIMARY KEY,
  incident_id INTEGER NOT NULL REFERENCES utm_incident (id) ON DELETE CASCADE,
  action_date INTEGER NOT NULL,
  action_type TEXT NOT NULL,
  action_created_by TEXT NOT NULL,
  action TEXT NOT NULL,
  action_detail TEXT,
  CONSTRAINT varchar_255 CHECK (length(action_type) <= 255 AND length(action_created_by) <= 255
                                AND length(action) <= 255),
  CONSTRAINT varchar_1000 CHECK (length(action_detail) <= 1000)
);
CREATE TABLE IF NOT EXISTS alert_document (
  id TEXT PRIMARY KEY,
  body TEXT NOT NULL
);
"""

CONSTRAINT_MESSAGE = ("could not execute statement; SQL [n/a]; constraint [%s]; nested exception "
                      "is org.hibernate.exception.ConstraintViolationException: could not execute "
                      "statement")
DATA_MESSAGE = ("could not execute statement; SQL [n/a]; nested exception is "
                "org.hibernate.exception.DataException: could not execute statement")
UNIQUE_NAMES = {"incident_name": "ux_utm_incident_incident_name",
                "alert_id": "ux_utm_incident_alert_alert_id"}


def english_collation(left, right):
    """Approximates Postgres' en_US.UTF-8 ordering: case-insensitive first, lower case first."""
    a, b = (left.casefold(), left.swapcase()), (right.casefold(), right.swapcase())
    return (a > b) - (a < b)


def db_error_message(exc, table):
    """The Spring/Hibernate wording of a Postgres failure, from SQLite's message."""
    text = str(exc)
    if text.startswith("UNIQUE constraint failed"):
        column = text.rsplit(".", 1)[-1]
        return CONSTRAINT_MESSAGE % UNIQUE_NAMES.get(column, table + "_pkey")
    if "FOREIGN KEY" in text:
        return CONSTRAINT_MESSAGE % (table + "_incident_id_fkey")
    if text.startswith("NOT NULL"):
        return CONSTRAINT_MESSAGE % "null"
    if text.startswith("CHECK constraint failed"):
        return DATA_MESSAGE
    return "could not execute statement; nested exception is %s" % text


class AlertDocs(object):
    """Alert documents by id. Writes inside a transaction are staged until commit."""

    def __init__(self):
        self.docs = {}
        self._staged = None

    def get(self, doc_id):
        if self._staged is not None and doc_id in self._staged:
            return self._staged[doc_id]
        return self.docs.get(doc_id)

    def current(self):
        """Every document as the running transaction sees it."""
        if not self._staged:
            return list(self.docs.values())
        return [self._staged.get(doc_id, doc) for doc_id, doc in self.docs.items()]

    def put(self, doc):
        if self._staged is not None:
            self._staged[doc["id"]] = doc
        else:
            self.docs[doc["id"]] = doc


class Store(object):
    def __init__(self, path=None):
        self.path = path
        self.conn = sqlite3.connect(path or ":memory:", isolation_level=None,
                                    check_same_thread=False)
        self.conn.row_factory = sqlite3.Row
        self.conn.execute("PRAGMA foreign_keys = ON")
        self.conn.create_collation("ENUS", english_collation)
        self.conn.create_function("JUPPER", 1, lambda s: s.upper() if isinstance(s, str) else s,
                                  deterministic=True)
        self.conn.executescript(SCHEMA)
        self.alerts = AlertDocs()
        self._depth = 0
        self._sequences = {}
        self._load()

    def _load(self):
        for table in TABLES:
            self._sequences[table] = self.conn.execute(
                "SELECT COALESCE(MAX(id), 0) FROM %s" % table).fetchone()[0]
        if self.path:
            for row in self.conn.execute("SELECT body FROM alert_document ORDER BY rowid"):
                doc = json.loads(row[0])
                self.alerts.docs[doc["id"]] = doc

    def is_empty(self):
        return not self.alerts.docs and not any(self._sequences.values())

    def close(self):
        self.conn.close()

    def next_id(self, table):
        self._sequences[table] += 1
        return self._sequences[table]

    def reserve_ids(self, table, count):
        first = self._sequences[table] + 1
        self._sequences[table] += count
        return first

    @property
    def in_transaction(self):
        return self._depth > 0

    @contextlib.contextmanager
    def transaction(self):
        """One DB transaction covering the alert documents too: all or nothing."""
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        self._depth = 1
        self.alerts._staged = {}
        self.conn.execute("BEGIN")
        try:
            yield
            staged = self.alerts._staged
            if self.path and staged:
                self.save_docs(staged.values())
            self.conn.execute("COMMIT")
            self.alerts.docs.update(staged)
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        finally:
            self.alerts._staged = None
            self._depth = 0

    def save_docs(self, docs):
        if self.path:
            self.conn.executemany(
                "INSERT INTO alert_document (id, body) VALUES (?, ?) "
                "ON CONFLICT (id) DO UPDATE SET body = excluded.body",
                ((doc["id"], json.dumps(doc, ensure_ascii=False)) for doc in docs))

    def write(self, table, sql, params=()):
        """Run one INSERT/UPDATE/DELETE; a constraint failure becomes the server's 500."""
        try:
            return self.conn.execute(sql, params)
        except sqlite3.DatabaseError as exc:
            raise ServiceError(db_error_message(exc, table))

    def insert(self, table, row):
        """Insert a dict of column -> value with a fresh id from the table's sequence."""
        row = dict(row, id=self.next_id(table))
        columns = ", ".join(row)
        marks = ", ".join("?" for unused_value in row)
        self.write(table, "INSERT INTO %s (%s) VALUES (%s)" % (table, columns, marks),
                   list(row.values()))
        return row["id"]

    def one(self, sql, params=()):
        return self.conn.execute(sql, params).fetchone()

    def all(self, sql, params=()):
        return self.conn.execute(sql, params).fetchall()

    def wipe(self):
        with self.transaction():
            for table in reversed(TABLES):
                self.conn.execute("DELETE FROM %s" % table)
            self.conn.execute("DELETE FROM alert_document")
        self.alerts.docs.clear()
        for table in TABLES:
            self._sequences[table] = 0
