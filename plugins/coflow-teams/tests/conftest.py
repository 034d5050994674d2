"""A real HTTP server on 127.0.0.1 standing in for the Teams webhook (never a mock)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

WORKFLOW = """\
schema = 1
[workflow]
id = "tiny"
version = "1"
title = "Tiny workflow"
[stages.planning]
title = "Planning"
[[stages.planning.checks]]
id = "sponsor"
type = "fact"
key = "sponsor"
[stages.done]
title = "Done"
final = true
"""


class Received:
    def __init__(self, status: int):
        self.status = status
        self.bodies: list[dict] = []
        self.paths: list[str] = []


@pytest.fixture
def teams_server():
    """Yields (received, url): what the server got, and a URL with a secret-looking path."""
    received = Received(202)  # Teams Workflows webhooks answer 202 Accepted

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            received.paths.append(self.path)
            received.bodies.append(json.loads(raw.decode("utf-8")))
            self.send_response(received.status)
            self.end_headers()

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield received, f"http://127.0.0.1:{server.server_address[1]}/workflows/abc/triggers/manual/SIG-SECRET"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.fixture
def teams_home(coflow_home, coflow_workflow, coflow_plugin):
    """A coflow folder with the tiny workflow and this plugin registered."""
    import coflow_teams

    coflow_workflow(WORKFLOW)
    coflow_plugin(coflow_teams, "teams")
    return coflow_home

