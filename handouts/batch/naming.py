"""Naming: each row's file name, and the hashes that tell whether a row is done."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path, PureWindowsPath

from handouts.errors import SelectionError
from handouts.models import Practice
from handouts.output import safe_name

NAMING = ("name", "row", "id")
"""``--names``: from the patient's name (and date), or pseudonymous: from the row number,
or a random id (``id-3f9a2c1b.pdf``) that the manifest keeps for that row."""


def random_id() -> str:
    """A fresh id for ``--names id``: random, so nothing about the patient can be worked
    back from it (a hash of the name could be, by trying names)."""
    import secrets

    return f"id-{secrets.token_hex(4)}"


def file_stem(fields: dict[str, str], names: str = "name", row: int = 0) -> str:
    """The file-name stem a row asks for: its ``output`` cell, else by ``names``.

    ``name``: the patient's name and the date; ``row``: ``row-0002`` (the row number a
    spreadsheet shows); ``id``: a random id. The last two say nothing about the patient.
    An ``output`` with a folder in it (``../x.pdf``, ``/tmp/x.pdf``) is refused: every file
    goes in the output folder.
    """
    given = fields["output"]
    if not given and names == "row":
        return f"row-{row:04d}"
    if not given and names == "id":
        return random_id()
    if not given:
        return safe_name(f"{fields['name']} {fields['date']}")
    if "/" in given or "\\" in given or PureWindowsPath(given).drive or given in (".", ".."):
        raise SelectionError("output", "expected a file name, not a path", given)
    stem = given[:-4] if given.lower().endswith(".pdf") else given
    return safe_name(stem)


class Names:
    """File names claimed in this run: a second row asking for ``ana.pdf`` gets ``ana-2.pdf``.

    Names go to rows in input order, so a rerun gives each row the same name.
    """

    def __init__(self) -> None:
        self.taken: set[str] = set()

    def claim(self, stem: str, usable: Callable[[str], bool] = lambda name: True) -> str:
        """The first free name for ``stem`` that ``usable`` accepts (a file there is ours)."""
        name, n = f"{stem}.pdf", 2
        while name in self.taken or not usable(name):
            name, n = f"{stem}-{n}.pdf", n + 1
        self.taken.add(name)
        return name


def input_hash(fields: dict[str, str], context: dict) -> str:
    """SHA-256 of the row's normalised cells and everything else that shapes its PDF."""
    data = json.dumps({"row": fields, **context}, sort_keys=True, default=str)
    return hashlib.sha256(data.encode()).hexdigest()


def batch_id(source: str) -> str:
    """A short id of the input file a batch's rows come from, kept in the manifest.

    A file in the folder is this batch's to replace only when the manifest says this
    batch wrote it for the same row.
    """
    return hashlib.sha256(source.encode()).hexdigest()[:12] if source else ""


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def practice_files_digest(practice: Practice) -> str:
    """SHA-256 over every file in the practice's folder (logo, fonts, templates, content)."""
    if practice.folder is None:
        return ""
    digest = hashlib.sha256()
    for path in sorted(p for p in Path(practice.folder).rglob("*") if p.is_file()):
        digest.update(f"{path.relative_to(practice.folder)}\0{file_sha256(path)}\0".encode())
    return digest.hexdigest()


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()
