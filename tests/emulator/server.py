"""HTTP transport: a threading HTTP/1.1 server with keep-alive, faults and the request log.

Request handling is serialized by the emulator's lock (in interleaved mode handlers let go
of it at their yield points); sleeps of injected delays and socket I/O happen outside it so
one slow client does not stall the others.
"""
from __future__ import annotations

import socket
import ssl
import sys
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote

from . import control, page
from .wire import Request, boot_error

QUIET_ERRORS = (ConnectionError, ssl.SSLError, socket.timeout, TimeoutError)


class EmulatorHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, app, ssl_context=None):
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        ThreadingHTTPServer.__init__(self, address, Handler)
        self.app = app
        if ssl_context is not None:
            # The handshake happens lazily in the handler thread, not in accept().
            self.socket = ssl_context.wrap_socket(self.socket, server_side=True,
                                                  do_handshake_on_connect=False)

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], QUIET_ERRORS):
            traceback.print_exc(file=sys.stderr)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "nginx"
    sys_version = ""

    def setup(self):
        BaseHTTPRequestHandler.setup(self)
        try:
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:
            pass

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass

    def do_GET(self):
        self._handle()

    do_HEAD = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_GET

    def _handle(self):
        body = self._read_body()
        if body is None:
            return
        raw_path, unused_value, query = self.path.partition("?")
        path = unquote(raw_path)
        req = Request(self.command, path, query, self.headers, body)
        app = self.server.app
        try:
            response = self._answer(app, req, raw_path, path)
        except Exception:  # never a traceback on the wire
            traceback.print_exc(file=sys.stderr)
            response = boot_error(500, path)
        if response is not None:
            self._send(response)

    def _answer(self, app, req, raw_path, path):
        if path == "/_emulator" or path.startswith("/_emulator/"):
            with app.lock:
                return control.handle(app, req, path)
        if path == "/" and req.method == "GET":
            return page.answer(app, req)  # the read-only view, not logged: it is not UTMStack's API
        with app.lock:
            fault = app.faults.take(req.method, path)
        if fault is not None and fault.after:
            return self._answer_then_fault(app, req, raw_path, path, fault)
        if fault is not None and fault.delay:
            time.sleep(fault.delay)
        if fault is not None and fault.drop:
            with app.lock:
                app.log.record(req, path, None)
            self._drop()
            return None
        with app.lock:
            if fault is not None and not fault.malformed and fault.status is not None:
                response = control.fault_response(fault)
            else:
                response = app.api.handle(req, raw_path)
                if fault is not None and fault.malformed:
                    response.body = control.malform(response.body)
            app.log.record(req, path, response.status)
        return response

    def _answer_then_fault(self, app, req, raw_path, path, fault):
        """Handle the request for real, then lose or delay its answer (an ``after`` fault)."""
        with app.lock:
            response = app.api.handle(req, raw_path)
            if fault.malformed:
                response.body = control.malform(response.body)
            app.log.record(req, path, None if fault.drop else response.status)
        if fault.delay:
            time.sleep(fault.delay)
        if fault.drop:
            self._drop()
            return None
        return response

    def _read_body(self):
        """The request body (Content-Length or chunked); None after answering a bad framing."""
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks = []
            while True:
                line = self.rfile.readline(65537).split(b";")[0].strip()
                try:
                    size = int(line, 16)
                except ValueError:
                    self.send_error(400, "Bad chunk size")
                    return None
                if size == 0:
                    while self.rfile.readline(65537).strip():
                        pass  # trailers
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline(3)
        length = self.headers.get("Content-Length")
        if not length:
            return b""
        try:
            size = int(length)
            if size < 0:
                raise ValueError(length)
        except ValueError:
            self.send_error(400, "Bad Content-Length")
            return None
        return self.rfile.read(size)

    def _drop(self):
        """Close the connection without answering (the client sees it reset or closed)."""
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _send(self, response):
        """Head and body in one write: a separate small write would wait for the client's
        delayed ACK (Nagle), costing ~40 ms per response."""
        reason = self.responses.get(response.status, ("",))[0]
        lines = ["%s %d %s" % (self.protocol_version, response.status, reason),
                 "Server: " + self.server_version, "Date: " + self.date_time_string()]
        lines += ["%s: %s" % (name, header_safe(value)) for name, value in response.headers]
        lines.append("Content-Length: %d" % len(response.body))
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        self.wfile.write(head if self.command == "HEAD" else head + response.body)
        self.wfile.flush()


def header_safe(value):
    """One line of ISO-8859-1, as Tomcat writes headers (other characters become '?')."""
    text = str(value).replace("\r", "").replace("\n", "")
    return text.encode("latin-1", "replace").decode("latin-1")
