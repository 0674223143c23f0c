"""Write: the one place that puts a handout on disk.

Writes are atomic: the bytes go to a temporary file in the target folder, which
is renamed over the final name only when complete, so a crash never leaves a
half-written PDF under that name.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path

from handouts.errors import OutputError


def write_atomic(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically; raises ``OutputError`` with the reason."""
    path = Path(path)
    _refuse_special(path)
    tmp_name = None
    try:
        tmp_name = _temporary(path, data)
        os.replace(tmp_name, path)
    except OSError as exc:
        if tmp_name and os.path.exists(tmp_name):
            os.unlink(tmp_name)
        raise OutputError(f"cannot write {path}: {_reason(exc)}") from None
    return path


def write_new(folder: Path, stem: str, data: bytes, suffix: str = ".pdf") -> Path:
    """Write ``data`` under a name no one else has: ``stem.pdf``, else ``stem-2.pdf``...

    The complete file is hard-linked to the name, which fails if the name exists, so two
    runs at once can never write the same file (checking first, then renaming, could).
    """
    folder = Path(folder)
    tmp_name = None
    try:
        tmp_name = _temporary(folder / f"{stem}{suffix}", data)
        n = 1
        while True:
            candidate = folder / (f"{stem}{suffix}" if n == 1 else f"{stem}-{n}{suffix}")
            try:
                os.link(tmp_name, candidate)
                return candidate
            except FileExistsError:
                n += 1
    except OSError as exc:
        raise OutputError(f"cannot write in {folder}: {_reason(exc)}") from None
    finally:
        if tmp_name and os.path.exists(tmp_name):
            os.unlink(tmp_name)


def write_stream(stream, data: bytes) -> None:
    """Write ``data`` to a binary stream (standard output); a full disk is an ``OutputError``."""
    try:
        stream.write(data)
        stream.flush()
    except OSError as exc:
        # What is left in the buffer would fail again at exit, with a traceback-like
        # message; send it nowhere instead.
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), stream.fileno())
        raise OutputError(f"cannot write to standard output: {_reason(exc)}") from None


def _temporary(path: Path, data: bytes) -> str:
    """A complete, synced temporary file beside ``path``; its name."""
    folder = path.parent if str(path.parent) else Path(".")
    with tempfile.NamedTemporaryFile(
        dir=folder, prefix=f".{path.name}.", suffix=".part", delete=False
    ) as tmp:
        try:
            tmp.write(data)
            tmp.flush()
            os.fsync(tmp.fileno())
        except OSError:
            tmp.close()
            os.unlink(tmp.name)
            raise
    os.chmod(tmp.name, 0o644)
    return tmp.name


def _refuse_special(path: Path) -> None:
    """Only a regular file (or nothing) may be replaced: never a pipe, device or folder."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {_reason(exc)}") from None
    if not stat.S_ISREG(mode):
        if stat.S_ISDIR(mode):
            raise OutputError(f"cannot write {path}: Is a directory")
        raise OutputError(
            f"cannot write {path}: not a regular file (a pipe or device); give a PDF file name"
        )


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def safe_name(text: str, fallback: str = "handout") -> str:
    """A file-name stem anyone can type: ASCII letters, digits and hyphens.

    Letters of every script are transliterated (``Łucja`` -> ``lucja``,
    ``Анна`` -> ``anna``, ``王秀英`` -> ``wang-xiu-ying``) rather than dropped.
    """
    from slugify import slugify

    stem = slugify(unicodedata.normalize("NFC", text), max_length=60, separator="-")
    return re.sub(r"[^a-z0-9-]+", "", stem).strip("-") or fallback


def handout_stem(handout) -> str:
    """The file-name stem a handout is saved under: the patient's name and the date
    (``ana-silva-2026-11-22``), or the topic for an unnamed handout."""
    if handout.patient.name:
        return f"{safe_name(handout.patient.name)}-{handout.date.isoformat()}"
    return safe_name(handout.topic.id)


def open_file(path: Path) -> None:
    """Open ``path`` in the system's viewer."""
    if sys.platform.startswith("win"):
        os.startfile(path)  # type: ignore[attr-defined]
        return
    opener = "open" if sys.platform == "darwin" else "xdg-open"
    try:
        subprocess.Popen([opener, str(path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except OSError as exc:
        raise OutputError(f"cannot open {path}: {opener}: {exc.strerror}") from None


def print_file(path: Path, printer: str | None = None) -> str:
    """Send ``path`` to the system print queue with ``lp``; returns what ``lp`` said.

    ``lp`` is there on Linux and macOS (CUPS). Elsewhere, or when it fails, an
    ``OutputError`` says so: the file is written either way.
    """
    import shutil

    lp = shutil.which("lp")
    if lp is None:
        raise OutputError(
            "cannot print: no print queue command (lp) on this computer; "
            "open the handout (--open) and print it from the viewer"
        )
    command = [lp, *(["-d", printer] if printer else []), "--", str(path)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise OutputError(f"cannot print: lp: {exc}") from None
    if done.returncode != 0:
        said = (done.stderr or done.stdout).strip().splitlines()
        raise OutputError(f"cannot print: lp: {said[0] if said else f'exit {done.returncode}'}")
    return done.stdout.strip()
