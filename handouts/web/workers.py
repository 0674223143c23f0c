"""Where the page makes its handouts: a pool of worker processes, one per core.

ReportLab is not thread-safe, and one Python process renders on one core at a time, so
each handout is made in a worker process that holds the content and the practice,
loaded once, and keeps its paragraphs warm from one handout to the next
(``render.paracache``). The pool starts, and each worker makes a first handout,
before the server takes its first request, so no clinician waits for a cold start.

Patient data reaches a worker only through the pool's pipe, in memory; a worker writes
nothing, logs nothing, and exits with the server. With ``workers=0`` (tests), handouts
are made in the server process, one at a time.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from concurrent.futures import ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from handouts import translations
from handouts.compose import compose
from handouts.models import Library, Practice, Selection
from handouts.web import summary


@dataclass(frozen=True, slots=True)
class Made:
    """One handout, as the page sends it and summarises it."""

    pdf: bytes
    file_name: str
    groups: tuple[summary.Group, ...]


@dataclass(frozen=True, slots=True)
class Content:
    """What every handout of one server is made from."""

    library: Library
    practice: Practice
    topic: str


def make(content: Content, selection: Selection, language: str = "") -> Made:
    """Compose, translate and render one handout within its page budget."""
    from handouts.fit import fit_pdf

    handout = compose(content.library, selection, content.practice)
    if language and language != content.library.topic(content.topic).language:
        handout, _ = translations.translate(handout, language)
    fitted = fit_pdf(handout)
    from handouts.output import handout_stem

    name = f"{handout_stem(fitted.handout)}.pdf"
    return Made(fitted.pdf, name, tuple(summary.groups(fitted.handout)))


class Makers:
    """Makes handouts, in ``workers`` processes (0: here, one at a time).

    ``make`` blocks until its handout is made: call it from a thread, never from the
    event loop.
    """

    def __init__(self, content: Content, workers: int = 0, start_method: str = ""):
        self.content, self.workers = content, workers
        self.start_method = start_method or (
            "fork" if sys.platform.startswith("linux") else "spawn"
        )
        self.lock = threading.Lock()
        """Held while ReportLab runs in the server process (it is not thread-safe)."""
        self._pool: ProcessPoolExecutor | None = None
        if workers:
            self._pool = self._start()

    def make(self, selection: Selection, language: str = "") -> Made:
        pool = self._pool
        if pool is not None:
            try:
                return pool.submit(_make, selection, language).result()
            except BrokenProcessPool:
                # A worker died. Starting new ones would fork a process that now runs
                # threads, so the rest of this server's handouts are made here instead.
                self._pool = None
                pool.shutdown(wait=False, cancel_futures=True)
                print("Warning: a worker stopped; making handouts in one process", file=sys.stderr)
        with self.lock:
            return make(self.content, selection, language)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)

    def _start(self) -> ProcessPoolExecutor:
        """A pool whose every worker has made a first handout.

        Started before the server runs any thread, so on Linux the workers are forked
        (children of the server, which they die with at once, holding its loaded
        content); elsewhere they are spawned.
        """
        context = multiprocessing.get_context(self.start_method)
        pool = ProcessPoolExecutor(
            self.workers,
            mp_context=context,
            initializer=_start_worker,
            initargs=(self.content, os.getpid()),
        )
        wait([pool.submit(_warm) for _ in range(self.workers)])
        return pool


_CONTENT: Content | None = None


def _start_worker(content: Content, server: int) -> None:
    """Pool initializer: keep the content, leave Ctrl-C to the server, exit with it
    (process ``server``; at once if it has gone already)."""
    import signal

    from handouts.batch.workers import die_with

    global _CONTENT
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with(server)
    _CONTENT = content


def _make(selection: Selection, language: str) -> Made:
    assert _CONTENT is not None, "_start_worker was not called"
    return make(_CONTENT, selection, language)


def _warm() -> None:
    """A first handout, so fonts, templates and paragraphs are ready before a clinician's."""
    assert _CONTENT is not None, "_start_worker was not called"
    topic = _CONTENT.library.topic(_CONTENT.topic)
    make(_CONTENT, Selection(symptoms=topic.symptom_ids[:2], topic=topic.id))
