"""Caches that let ``handouts make`` skip work done on an earlier run.

A cache of validated libraries skips parsing and validating YAML; a cache of
compiled templates (Jinja2's bytecode of the wording and of content placeholders)
skips compiling them.

The key covers every content file's path, size and modification time, the
handouts version, the Python version, and the size and modification time of
the loader's own modules: any edit to the content, or to the code that turns
it into a library (as in a source checkout), is a new key.
The cache is an optimisation only; when it cannot be read or written, the
content is loaded from the YAML as usual. Set ``HANDOUTS_NO_CACHE=1`` to turn
it off, or ``HANDOUTS_CACHE_DIR`` to move it.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from functools import cache
from pathlib import Path

from handouts import __version__
from handouts.models import Library


def folder() -> Path | None:
    if os.environ.get("HANDOUTS_NO_CACHE"):
        return None
    if configured := os.environ.get("HANDOUTS_CACHE_DIR"):
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "handouts"


def _code(digest) -> None:
    """Add the version and every module of the package (the loader's, the sandbox's...)
    to ``digest``: in a source checkout, an edit to any of them is a new key."""
    digest.update(_code_fingerprint(Path(__file__).parent).encode())


@cache
def _code_fingerprint(package: Path) -> str:
    """The version and every module's size and time, read once per process: ``make``
    asks for it for the library and for both template caches."""
    digest = hashlib.sha256(f"{__version__}|{sys.version}".encode())
    for module in sorted(package.rglob("*.py")):
        stat = module.stat()
        name = module.relative_to(package).as_posix()
        digest.update(f"|{name}|{stat.st_size}|{stat.st_mtime_ns}".encode())
    return digest.hexdigest()


def key(root: Path) -> str:
    digest = hashlib.sha256(f"{root.resolve()}|".encode())
    _code(digest)
    for path in sorted(root.rglob("*")):
        if path.is_file():
            stat = path.stat()
            digest.update(f"|{path.relative_to(root)}|{stat.st_size}|{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:32]


def _place(root: Path) -> str:
    """A short name for the content root, shared by every version of its library."""
    return hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:8]


def read(root: Path) -> Library | None:
    where = folder()
    if where is None:
        return None
    try:
        with open(where / f"library-{_place(root)}-{key(root)}.pickle", "rb") as file:
            library = pickle.load(file)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None
    return library if isinstance(library, Library) else None


def write(root: Path, library: Library) -> None:
    where = folder()
    if where is None:
        return
    try:
        from handouts.output import write_atomic

        where.mkdir(parents=True, exist_ok=True)
        name = f"library-{_place(root)}-{key(root)}.pickle"
        write_atomic(where / name, pickle.dumps(library, protocol=5))
    except Exception:
        return
    # The same root's libraries from before an edit will not be read again.
    for stale in where.glob(f"library-{_place(root)}-*.pickle"):
        if stale.name != name:
            stale.unlink(missing_ok=True)


def templates_folder() -> Path | None:
    """Where compiled templates are kept, or None (no cache folder).

    Compiled templates depend on Jinja2 and on the sandbox that rewrites their loops,
    so both are in the folder's name; a template's own text is in its key.
    """
    where = folder()
    if where is None:
        return None
    import jinja2

    digest = hashlib.sha256(f"jinja2 {jinja2.__version__}|".encode())
    _code(digest)
    return where / f"templates-{digest.hexdigest()[:16]}"
