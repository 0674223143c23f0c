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
