"""The worker: compose, render and write one row's handout in a worker process."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import signal
import sys
import threading
import time
from dataclasses import dataclass, replace
from pathlib import Path

from handouts import translations
from handouts.batch.manifest import FAILED, WRITTEN, Result, value_free
from handouts.batch.rows import OPTION_COLUMNS, selection_for
from handouts.compose import compose
from handouts.errors import ContentError, OutputError, SelectionError
from handouts.models import Library, Practice
from handouts.output import write_atomic
from handouts.text import TextError


@dataclass(frozen=True, slots=True)
class Task:
    row: int
    fields: dict[str, str]
    output: str
    input_hash: str
    batch: str = ""


@dataclass(frozen=True, slots=True)
class Job:
    """Everything a worker needs besides the row, sent once per worker process."""

    library: Library
    topic: str
    practice: Practice
    out: Path
    today: dt.date
    paper: str | None = None
    source: str = ""
    """The input file (its resolved path): which batch the rows belong to."""
    parent: int = 0
    """The process id of the run; a worker whose run has died exits."""
    inherited: tuple[int, ...] = ()
    """File descriptors of the run (its lock) that a forked worker must not keep open."""


_JOB: Job | None = None


def start_worker(job: Job) -> None:
    """Pool initializer: keep the library (loaded once) and register the fonts.

    The worker lets go of the run's lock, leaves Ctrl-C to the run (which stops the
    pool), and exits as soon as the run is gone, so a killed run leaves no workers
    holding its folder.
    """
    global _JOB
    from handouts.render.pdf import register_fonts

    for fd in job.inherited:
        with contextlib.suppress(OSError):
            os.close(fd)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if job.parent:
        die_with(job.parent)
    _JOB = job
    register_fonts()


def die_with(parent: int) -> None:
    """Exit when process ``parent`` exits: at once on Linux, else within a second."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            import ctypes

            pr_set_pdeathsig = 1
            ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="watch-run", daemon=True).start()


def make_one(task: Task) -> Result:
    """Compose, render and atomically write one row's handout (runs in a worker)."""
    from handouts.fit import fit_pdf

    job = _JOB
    assert job is not None, "start_worker was not called"
    topic = job.library.topic(job.topic)
    done = Result(
        task.row,
        task.output,
        content_version=topic.version,
        batch=task.batch,
        input_hash=task.input_hash,
    )
    try:
        selection = selection_for(task.fields, topic, job.today, job.paper, job.practice.date_order)
        handout = compose(job.library, selection, job.practice)
        if task.fields.get("language"):
            handout, _ = translations.translate(handout, task.fields["language"])
        fitted = fit_pdf(handout)
        handout, pdf = fitted.handout, fitted.pdf
        write_atomic(job.out / task.output, pdf)
    except SelectionError as exc:
        return _request_failed(done, exc, task.fields)
    except (OutputError, TextError, translations.TranslationError, ContentError) as exc:
        return _failed(done, str(exc), task.fields)
    except Exception as exc:  # one broken row must not stop the batch
        return _failed(done, f"unexpected error ({type(exc).__name__})")
    sha = hashlib.sha256(pdf).hexdigest()
    return replace(done, status=WRITTEN, items=handout.item_ids, sha256=sha)


def _request_failed(result: Result, exc: SelectionError, fields: dict[str, str]) -> Result:
    """A row the request layer refused: its message names the rule, the value goes only
    to the terminal."""
    column = OPTION_COLUMNS.get(exc.option, exc.option)
    failed = _failed(result, f"{column}: {exc.shown()}", fields)
    return replace(failed, error=value_free(f"{column}: {exc.message}", fields))


def _failed(result: Result, message: str, fields: dict[str, str] | None = None) -> Result:
    """A failed record: the full ``message`` for the terminal, a value-free one to keep."""
    error = value_free(message, fields) if fields else message
    return replace(result, status=FAILED, error=error, message=message)
