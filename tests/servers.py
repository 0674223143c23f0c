"""Start ``handouts serve`` as a real process on a free loopback port, for tests."""

from __future__ import annotations

import socket
import subprocess
import sys
import time


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(*args: str, cwd=None, env=None) -> tuple[subprocess.Popen, int]:
    port = free_port()
    command = [sys.executable, "-m", "handouts", "serve", "--port", str(port), *args]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=cwd, env=env
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return process, port
        except OSError:
            if process.poll() is not None:
                break
            time.sleep(0.1)
    process.kill()
    raise AssertionError(f"server did not start: {process.communicate()}")


def stop(process: subprocess.Popen) -> tuple[str, str]:
    process.terminate()
    return process.communicate(timeout=20)
