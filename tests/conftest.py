from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from handouts.library import load_library
from handouts.models import Practice, Selection

DATA = Path(__file__).parent / "data"
TEST_CONTENT = DATA / "content"
DAY = dt.date(2026, 11, 22)

# Tests never touch the user's cache of validated libraries.
os.environ["HANDOUTS_CACHE_DIR"] = tempfile.mkdtemp(prefix="handouts-cache-")


@pytest.fixture(scope="session")
def ankle_library():
    """The small non-pregnancy topic that lives in tests/data."""
    return load_library(TEST_CONTENT)


@pytest.fixture(scope="session")
def builtin_library():
    return load_library()


@pytest.fixture
def content_tree(tmp_path):
    """A throwaway copy of the test content root, for tests that break files."""
    root = tmp_path / "content"
    shutil.copytree(TEST_CONTENT, root)
    return root


@pytest.fixture
def practice():
    return Practice()


def selection(*symptoms: str, **kw) -> Selection:
    kw.setdefault("date", DAY)
    return Selection(symptoms=tuple(symptoms), **kw)


def resign(folder: Path, library) -> None:
    """Sign a practice off anew for what it holds now, as a clinician would after checking.

    Rewrites ``review: covers:`` in its practice.yaml with the codes ``check`` asks for.
    """
    import re

    from handouts import schema
    from handouts.library import read_yaml
    from handouts.practice.signoff import coverage

    path = Path(folder) / "practice.yaml"
    file = schema.PracticeFile.model_validate(read_yaml(path).data)
    codes = coverage(Path(folder), library, file)
    line = "  covers: {" + ", ".join(f"{k}: {v}" for k, v in codes.items()) + "}"
    path.write_text(re.sub(r"(?m)^  covers: .*$", line, path.read_text()))
