"""The output folder: made, locked for one run, and ours alone.

The run's own files (lock, journal, manifest, failed rows) are refused when they are
symbolic links or anything but regular files, so nothing placed in the folder can
redirect a write outside it. The lock (``filelock``) is held by the run's process only;
the operating system lets go of it when that process dies, so a killed run never blocks
the next one.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from handouts.batch.manifest import FAILED_ROWS, JOURNAL, MANIFEST
from handouts.errors import OutputError

LOCK = ".batch.lock"
OWN_FILES = (LOCK, JOURNAL, MANIFEST, FAILED_ROWS)


def prepare_folder(out: Path) -> None:
    """Create ``out`` if needed; refuse it if the run's own files are links or devices."""
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create {out}: {exc.strerror}") from None
    if not out.is_dir():
        raise OutputError(f"cannot use {out}: not a folder")
    for name in OWN_FILES:
        try:
            mode = os.lstat(out / name).st_mode
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise OutputError(f"cannot use {out / name}: {exc.strerror}") from None
        if not stat.S_ISREG(mode):
            raise OutputError(
                f"{out / name} is a link or not a regular file, and a batch writes only in "
                "its own folder; remove it, or use another --out"
            )
    if not os.access(out, os.W_OK | os.X_OK):
        raise OutputError(f"cannot write in {out}: Permission denied")


@contextmanager
def only_run(out: Path) -> Iterator[tuple[int, ...]]:
    """Hold DIR/.batch.lock for the run; yields the lock's file descriptors.

    Two batches in one folder would mix their manifests, so a second one is refused.
    """
    from filelock import FileLock, Timeout

    lock = FileLock(out / LOCK, timeout=0, is_singleton=False)
    try:
        lock.acquire()
    except Timeout:
        raise OutputError(
            f"another batch is writing to {out}; let it finish, or use another --out"
        ) from None
    except OSError as exc:
        raise OutputError(f"cannot lock {out / LOCK}: {exc.strerror}") from None
    fd = getattr(getattr(lock, "_context", None), "lock_file_fd", None)
    try:
        yield (fd,) if isinstance(fd, int) else ()
    finally:
        lock.release()
        (out / LOCK).unlink(missing_ok=True)  # leave the folder as the run found it


def remove_stale_parts(out: Path) -> None:
    """A killed run can leave write_atomic's temporary files; they hold patient data.

    Only called while holding the folder's lock, so they cannot be a running batch's.
    """
    for stale in out.glob(".*.pdf.*.part"):
        stale.unlink(missing_ok=True)
