"""The worker: compose, render and write one row's handout in a worker process."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, replace
from pathlib import Path

from handouts.batch.manifest import FAILED, WRITTEN, Result
from handouts.batch.rows import OPTION_COLUMNS, selection_for
from handouts.compose import compose
from handouts.errors import OutputError, SelectionError
from handouts.models import Library, Practice
from handouts.output import write_atomic


@dataclass(frozen=True, slots=True)
class Task:
    row: int
    fields: dict[str, str]
    output: str
    input_hash: str


@dataclass(frozen=True, slots=True)
class Job:
    """Everything a worker needs besides the row, sent once per worker process."""

    library: Library
    topic: str
    practice: Practice
    out: Path
    today: dt.date
    paper: str | None = None


_JOB: Job | None = None


def start_worker(job: Job) -> None:
    """Pool initializer: keep the library (loaded once) and register the fonts."""
    global _JOB
    from handouts.render.pdf import register_fonts

    _JOB = job
    register_fonts()


def make_one(task: Task) -> Result:
    """Compose, render and atomically write one row's handout (runs in a worker)."""
    from handouts.render.pdf import render_pdf

    job = _JOB
    assert job is not None, "start_worker was not called"
    topic = job.library.topic(job.topic)
    done = Result(task.row, task.output, content_version=topic.version, input_hash=task.input_hash)
    try:
        selection = selection_for(task.fields, topic, job.today, job.paper)
        handout = compose(job.library, selection, job.practice)
        pdf = render_pdf(handout)
        write_atomic(job.out / task.output, pdf)
    except SelectionError as exc:
        return _failed(done, f"{OPTION_COLUMNS.get(exc.option, exc.option)}: {exc.message}")
    except OutputError as exc:
        return _failed(done, str(exc))
    except Exception as exc:  # one broken row must not stop the batch
        return _failed(done, f"unexpected error ({type(exc).__name__})")
    sha = hashlib.sha256(pdf).hexdigest()
    return replace(done, status=WRITTEN, items=handout.item_ids, sha256=sha)


def _failed(result: Result, error: str) -> Result:
    return replace(result, status=FAILED, error=error)
