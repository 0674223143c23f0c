"""Writes are atomic and names are safe."""

from __future__ import annotations

import os

import pytest

from handouts import output
from handouts.errors import OutputError


def test_write_atomic_replaces_the_file_whole(tmp_path):
    target = tmp_path / "a.pdf"
    target.write_bytes(b"old")
    output.write_atomic(target, b"new content")
    assert target.read_bytes() == b"new content"
    assert os.listdir(tmp_path) == ["a.pdf"]


def test_a_crash_before_the_rename_leaves_the_old_file_and_no_temp(tmp_path, monkeypatch):
    target = tmp_path / "a.pdf"
    target.write_bytes(b"old")

    def crash(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OutputError, match=r"cannot write .*a\.pdf: No space left on device"):
        output.write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["a.pdf"]


@pytest.mark.parametrize(
    ("name", "stem"),
    [
        ("Ana", "ana"),
        ("Zoë O'Brien", "zoe-o-brien"),
        ("../../etc/passwd", "etc-passwd"),
        ('<b>Ana & "Bo"</b>', "b-ana-bo-b"),
        ("", "handout"),
        ("Łucja Wiśniewska", "lucja-wisniewska"),
        ("Анастасия", "anastasiia"),
        ("Ελένη", "elene"),
        ("王秀英", "wang-xiu-ying"),
        ("\u200b", "handout"),
    ],
)
def test_safe_name(name, stem):
    assert output.safe_name(name) == stem


def test_free_path_never_reuses_a_name(tmp_path):
    (tmp_path / "x.pdf").touch()
    (tmp_path / "x-2.pdf").touch()
    assert output.free_path(tmp_path, "x") == tmp_path / "x-3.pdf"
