"""The cache of validated libraries: used when files are unchanged, never when edited."""

from __future__ import annotations

import os

import pytest

from handouts import cache, library
from handouts.errors import ContentError


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("HANDOUTS_CACHE_DIR", str(folder))
    return folder


def forbid_validation(monkeypatch):
    def fail(*args, **kw):
        raise AssertionError("validated again instead of using the cache")

    monkeypatch.setattr(library, "check_library", fail)


def test_an_unchanged_library_comes_from_the_cache(content_tree, cache_dir, monkeypatch):
    first = library.load_library(content_tree)
    assert len(list(cache_dir.glob("library-*.pickle"))) == 1
    forbid_validation(monkeypatch)
    assert library.load_library(content_tree) == first


def test_an_edited_file_is_validated_again(content_tree, cache_dir):
    library.load_library(content_tree)
    causes = content_tree / "ankle-sprain" / "causes.yaml"
    causes.write_text(
        causes.read_text().replace("title: Why it turns blue", "title: Why it turns purple")
    )
    os.utime(causes, ns=(1, 1))  # even with an old modification time, the size differs
    titles = [i.title for i in library.load_library(content_tree).topics[0].items]
    assert "Why it turns purple" in titles


def test_a_changed_loader_module_is_a_new_key(content_tree, tmp_path, monkeypatch):
    before = cache.key(content_tree)
    package = tmp_path / "handouts"
    package.mkdir()
    (package / "library").mkdir()
    (package / "library" / "topic.py").write_text("# a changed loader\n")
    monkeypatch.setattr(cache, "__file__", str(package / "cache.py"))
    assert cache.key(content_tree) != before


def test_broken_content_is_never_cached(content_tree, cache_dir):
    (content_tree / "ankle-sprain" / "causes.yaml").write_text("items: [1]\n")
    with pytest.raises(ContentError):
        library.load_library(content_tree)
    assert not list(cache_dir.glob("*.pickle"))


def test_a_corrupt_cache_file_is_ignored(content_tree, cache_dir):
    expected = library.load_library(content_tree)
    for path in cache_dir.glob("*.pickle"):
        path.write_bytes(b"not a pickle")
    assert library.load_library(content_tree) == expected


def test_an_unwritable_cache_is_ignored(content_tree, tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("HANDOUTS_CACHE_DIR", str(blocker / "cache"))
    assert library.load_library(content_tree).topic_ids == ("ankle-sprain",)


def test_no_cache_setting(content_tree, cache_dir, monkeypatch):
    monkeypatch.setenv("HANDOUTS_NO_CACHE", "1")
    assert cache.folder() is None
    library.load_library(content_tree)
    assert not cache_dir.exists()


def test_a_roots_older_libraries_are_removed_when_a_new_one_is_kept(content_tree, cache_dir):
    from conftest import TEST_CONTENT

    other = library.load_library(TEST_CONTENT)  # another root: its library stays
    first = library.load_library(content_tree)
    causes = content_tree / "ankle-sprain" / "causes.yaml"
    causes.write_text(causes.read_text() + "\n")
    library.load_library(content_tree)
    kept = sorted(p.name for p in cache_dir.glob("library-*.pickle"))
    assert len(kept) == 2, kept  # one per root
    assert first.topic_ids == other.topic_ids


def test_a_new_templates_folder_removes_the_folders_of_other_versions(cache_dir):
    from jinja2 import BaseLoader

    from handouts.sandbox import LimitedSandbox, QuietBytecodeCache

    class Loader(BaseLoader):
        def get_source(self, environment, template):
            return template, None, lambda: True

    old = cache_dir / "templates-0123456789abcdef"
    old.mkdir(parents=True)
    (old / "x.jinja").write_bytes(b"stale")
    new = cache_dir / "templates-fedcba9876543210"
    env = LimitedSandbox(loader=Loader(), bytecode_cache=QuietBytecodeCache(new))
    assert env.get_template("Hello {{ 1 + 1 }}").render() == "Hello 2"
    assert not old.exists() and list(new.glob("*.jinja"))
