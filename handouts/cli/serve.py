"""``handouts serve``: the local web page."""

from __future__ import annotations

import ipaddress
import os
import socket
import sys
from typing import Annotated

import typer

from handouts.cli.common import (
    ContentOption,
    PracticeOption,
    TopicOption,
    _fail,
    _load_practice,
    _topic,
)


def serve(
    port: Annotated[
        int, typer.Option(metavar="PORT", min=0, max=65535, help="Port to listen on.")
    ] = 8000,
    host: Annotated[
        str,
        typer.Option(
            metavar="ADDRESS",
            help="Address to listen on. Anything but this machine (127.0.0.1) needs "
            "--allow-network.",
        ),
    ] = "127.0.0.1",
    allow_network: Annotated[
        bool,
        typer.Option(
            "--allow-network",
            help="Allow --host to be reachable from other computers (a clinic network).",
        ),
    ] = False,
    open_browser: Annotated[
        bool, typer.Option("--open", help="Open the page in the default browser.")
    ] = False,
    workers: Annotated[
        int | None,
        typer.Option(
            metavar="N",
            min=1,
            max=32,
            help="Processes that make handouts at once (default: one per core, at most 4).",
            show_default=False,
        ),
    ] = None,
    topic: TopicOption = None,
    content: ContentOption = None,
    practice: PracticeOption = None,
) -> None:
    """Start the local web page: tick symptoms, type, then download or print the handout.

    Listens on this machine only unless --host and --allow-network say otherwise.
    Nothing typed is stored or logged. Stop it with Ctrl-C.

    Example: handouts serve --practice my-practice --open
    """
    loopback = _is_loopback(host)
    if not loopback and not allow_network:
        raise typer.BadParameter(
            f"{host} makes the page reachable from other computers; "
            "add --allow-network if that is what you want",
            param_hint="'--host'",
        )
    library, profile = _load_practice(content, practice)
    chosen = _topic(library, topic)
    try:
        listener = _listen(host, port)
    except OSError as exc:
        raise _fail(f"cannot listen on {host}:{port}: {exc.strerror or exc}", 1) from None
    if not loopback:
        typer.echo(
            f"Warning: listening on {host}: anyone on this network can open the page. "
            "Use it only on a trusted clinic network.",
            err=True,
        )
    workers = workers or min(4, os.cpu_count() or 1)
    _run(listener, library, profile, chosen.id, loopback, open_browser, workers)


def _run(listener, library, profile, topic_id, loopback, open_browser, workers) -> None:
    import threading

    import uvicorn

    from handouts.web import create_app
    from handouts.web.security import machine_names

    names = () if loopback else tuple(machine_names())
    app = create_app(library, profile, topic=topic_id, host_names=names, workers=workers)
    bound_host, bound_port = listener.getsockname()[:2]
    shown = "127.0.0.1" if bound_host in ("0.0.0.0", "::") else bound_host
    url = f"http://{shown if ':' not in shown else f'[{shown}]'}:{bound_port}/"
    config = uvicorn.Config(
        app,
        access_log=False,  # paths and queries may carry patient data
        log_level="warning",
        server_header=False,
        lifespan="off",
    )
    server = uvicorn.Server(config)
    typer.echo(f"Handouts page: {url}  (Ctrl-C to stop)")
    if open_browser:
        threading.Timer(0.5, typer.launch, args=(url,)).start()
    try:
        server.run(sockets=[listener])
    finally:
        app.site.makers.close()


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _listen(host: str, port: int) -> socket.socket:
    """A listening socket, bound here so a port in use is a clear message."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    if sys.platform != "win32":  # on Windows it would let a second server share the port
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind((host.strip("[]"), port))
        listener.listen(128)
    except OSError:
        listener.close()
        raise
    return listener
