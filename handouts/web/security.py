"""What keeps the local page safe: headers, a host and origin check, and a size limit.

One ASGI middleware, so the checks hold for every route and run before a body
is read:

- every response says ``Cache-Control: no-store`` and carries a strict
  Content-Security-Policy (scripts and styles only from this server);
- the ``Host`` must be an address literal, ``localhost`` or one of this machine's
  names, so a web page elsewhere cannot reach the server by pointing a domain
  name at 127.0.0.1 (DNS rebinding);
- a POST must come from a page of this server: its ``Origin`` (or, lacking
  one, its ``Referer``) must be this host, and ``Sec-Fetch-Site`` must not say
  cross-site. Browsers send ``Origin`` with every form post and fetch, so a post
  with neither header is refused too (the page sends ``Referrer-Policy:
  same-origin``: under ``no-referrer`` a browser would post ``Origin: null``);
- a request body larger than its route allows is refused with 413, whether or
  not it said its length up front.
"""

from __future__ import annotations

import ipaddress
import json
import socket
from collections.abc import Awaitable, Callable, Iterable
from urllib.parse import urlsplit

from starlette.exceptions import HTTPException

Scope = dict
Message = dict
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
HEADERS = (
    (b"cache-control", b"no-store"),
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
)
FORM_LIMIT = 64 * 1024
"""Largest form post: a full form with long notes is under 8 KB."""
UPLOAD_LIMIT = 768 * 1024
"""Largest upload (a filled intake form is about 30 KB). Below the 1 MB at which
the multipart parser would spill a file to disk, so an upload never touches it."""


def machine_names() -> set[str]:
    """This machine's own host names, for a server listening on the network."""
    names = {socket.gethostname(), socket.getfqdn()}
    return {n.lower() for n in names if n}


class Guard:
    """The middleware: ``names`` are host names besides addresses and ``localhost``;
    ``limits`` maps a path to its largest body in bytes (default ``FORM_LIMIT``)."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        names: Iterable[str] = (),
        limits: dict[str, int] | None = None,
    ):
        self.app = app
        self.names = {"localhost", *(n.lower() for n in names)}
        self.limits = limits or {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.lower(): v for k, v in scope["headers"]}
        send = _with_headers(send)
        host = headers.get(b"host", b"").decode("latin-1")
        if not self.host_allowed(host):
            await _refuse(send, 421, "This page answers only on this machine's own addresses.")
            return
        if scope["method"] == "POST":
            problem = self.post_problem(scope, headers, host)
            if problem:
                await _refuse(send, 403, problem)
                return
            limit = self.limits.get(scope["path"], FORM_LIMIT)
            length = headers.get(b"content-length")
            if length is not None and (not length.isdigit() or int(length) > limit):
                await _refuse(send, 413, f"The request is larger than {limit // 1024} KB.")
                return
            receive = _limited(receive, limit)
        await self.app(scope, receive, send)

    def host_allowed(self, host: str) -> bool:
        name = _host_name(host)
        if name in self.names:
            return True
        try:
            ipaddress.ip_address(name.strip("[]"))
        except ValueError:
            return False
        return True

    def post_problem(self, scope: Scope, headers: dict[bytes, bytes], host: str) -> str:
        site = headers.get(b"sec-fetch-site", b"").decode("latin-1")
        if site == "cross-site":
            return "Refused: this form was sent from another site."
        origin = headers.get(b"origin") or headers.get(b"referer")
        if origin:
            parts = urlsplit(origin.decode("latin-1"))
            if origin == b"null" or parts.netloc.lower() != host.lower():
                return "Refused: this form was sent from another site."
            return ""
        return "Refused: a form post must come from this page (it had no Origin)."


def _host_name(host: str) -> str:
    host = host.lower()
    if host.startswith("["):
        return host.split("]", 1)[0] + "]"
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _limited(receive: Receive, limit: int) -> Receive:
    seen = 0

    async def wrapped() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:  # a body that did not say its length: the route answers 413
                raise HTTPException(413, f"The request is larger than {limit // 1024} KB.")
        return message

    return wrapped


def _with_headers(send: Send) -> Send:
    started = False

    async def wrapped(message: Message) -> None:
        nonlocal started
        if message["type"] == "http.response.start":
            if started:  # the app failed after starting: nothing more can be sent
                return
            started = True
            names = {k.lower() for k, _ in message.get("headers", [])}
            extra = [(k, v) for k, v in HEADERS if k not in names]
            message = {**message, "headers": [*message.get("headers", []), *extra]}
        await send(message)

    return wrapped


async def _refuse(send: Send, status: int, text: str) -> None:
    body = json.dumps({"error": text}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", b"%d" % len(body)),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
