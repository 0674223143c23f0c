"""The page's worker processes: same handouts as in one process, and none outlives the server."""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

import pytest
from conftest import selection
from servers import start

from handouts.models import Practice
from handouts.web.workers import Content, Makers, make

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


@pytest.fixture(scope="module")
def content(builtin_library):
    return Content(builtin_library, Practice(), builtin_library.topics[0].id)


@pytest.mark.parametrize("method", ["", "spawn"])  # spawn: as on Windows and macOS
def test_workers_make_the_same_bytes_as_one_process(content, method):
    chosen = [
        selection("numb-legs", "swollen-feet", name="Ana", weeks=31),
        selection("numb-hands", name="Łucja Nowak", notes="Splint at night", weeks=30),
        selection(),
    ]
    makers = Makers(content, workers=2, start_method=method)
    try:
        made = [makers.make(s) for s in chosen]
    finally:
        makers.close()
    for one, s in zip(made, chosen, strict=True):
        here = make(content, s)
        assert one.pdf == here.pdf and one.file_name == here.file_name
        assert one.groups == here.groups


@linux_only
def test_a_worker_that_dies_leaves_the_page_working(content, capfd):
    makers = Makers(content, workers=1)
    try:
        (worker,) = makers._pool._processes  # the one worker's pid
        os.kill(worker, signal.SIGKILL)
        time.sleep(0.5)
        made = makers.make(selection("numb-legs", name="Ana", weeks=31))
    finally:
        makers.close()
    assert made.pdf.startswith(b"%PDF-")
    assert "a worker stopped; making handouts in one process" in capfd.readouterr().err


def _children(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@linux_only
@pytest.mark.parametrize("stop_with", [signal.SIGTERM, signal.SIGKILL])
def test_no_worker_outlives_the_server(stop_with):
    process, _ = start("--workers", "2")
    try:
        deadline = time.monotonic() + 20  # the socket listens before the workers start
        while len(workers := _children(process.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(workers) >= 2
    finally:
        process.send_signal(stop_with)
        process.communicate(timeout=20)
    deadline = time.monotonic() + 5
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(w) for w in workers)
