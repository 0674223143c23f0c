"""Write: the one place that puts a handout on disk.

Writes are atomic: the bytes go to a temporary file in the target folder, which
is renamed over the final name only when complete, so a crash never leaves a
half-written PDF under that name.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path

from handouts.errors import OutputError


def write_atomic(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically; raises ``OutputError`` with the reason."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    tmp_name = None
    try:
        with tempfile.NamedTemporaryFile(
            dir=folder, prefix=f".{path.name}.", suffix=".part", delete=False
        ) as tmp:
            tmp_name = tmp.name
            tmp.write(data)
            tmp.flush()
            os.fsync(tmp.fileno())
        os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, path)
    except OSError as exc:
        if tmp_name and os.path.exists(tmp_name):
            os.unlink(tmp_name)
        reason = exc.strerror or str(exc)
        raise OutputError(f"cannot write {path}: {reason}") from None
    return path


def safe_name(text: str, fallback: str = "handout") -> str:
    """A file-name stem anyone can type: ASCII letters, digits and hyphens.

    Letters of every script are transliterated (``Łucja`` -> ``lucja``,
    ``Анна`` -> ``anna``, ``王秀英`` -> ``wang-xiu-ying``) rather than dropped.
    """
    from slugify import slugify

    stem = slugify(unicodedata.normalize("NFC", text), max_length=60, separator="-")
    return re.sub(r"[^a-z0-9-]+", "", stem).strip("-") or fallback


def free_path(folder: Path, stem: str, suffix: str = ".pdf") -> Path:
    """``folder/stem.pdf``, or ``stem-2.pdf``, ``stem-3.pdf``... if it exists already."""
    candidate = folder / f"{stem}{suffix}"
    n = 2
    while candidate.exists():
        candidate = folder / f"{stem}-{n}{suffix}"
        n += 1
    return candidate


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
