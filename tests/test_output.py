"""Writes are atomic and names are safe."""

from __future__ import annotations

import os
import stat

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


def test_write_new_never_reuses_a_name(tmp_path):
    (tmp_path / "x.pdf").touch()
    (tmp_path / "x-2.pdf").touch()
    assert output.write_new(tmp_path, "x", b"new") == tmp_path / "x-3.pdf"
    assert (tmp_path / "x.pdf").read_bytes() == b""
    assert sorted(os.listdir(tmp_path)) == ["x-2.pdf", "x-3.pdf", "x.pdf"]


def test_write_new_loses_no_handout_when_another_run_takes_the_name_first(tmp_path, monkeypatch):
    """The name is claimed when the file is complete, not checked before: another run
    that writes ``x.pdf`` meanwhile keeps its file, and this one gets ``x-2.pdf``."""
    real = output._temporary

    def another_run_finishes_first(path, data):
        name = real(path, data)
        (tmp_path / "x.pdf").write_bytes(b"the other patient")
        return name

    monkeypatch.setattr(output, "_temporary", another_run_finishes_first)
    assert output.write_new(tmp_path, "x", b"this patient") == tmp_path / "x-2.pdf"
    assert (tmp_path / "x.pdf").read_bytes() == b"the other patient"
    assert (tmp_path / "x-2.pdf").read_bytes() == b"this patient"
    assert sorted(os.listdir(tmp_path)) == ["x-2.pdf", "x.pdf"]


def test_concurrent_writers_each_keep_their_own_file(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    payloads = [f"patient {n}".encode() for n in range(16)]
    with ThreadPoolExecutor(8) as pool:
        paths = list(pool.map(lambda data: output.write_new(tmp_path, "x", data), payloads))
    assert len(set(paths)) == len(payloads)
    assert sorted(p.read_bytes() for p in paths) == sorted(payloads)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_write_atomic_refuses_a_pipe_and_leaves_it_alone(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(OutputError, match="not a regular file"):
        output.write_atomic(fifo, b"pdf")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert os.listdir(tmp_path) == ["pipe"]


def test_write_atomic_refuses_a_folder(tmp_path):
    with pytest.raises(OutputError, match="Is a directory"):
        output.write_atomic(tmp_path, b"pdf")
