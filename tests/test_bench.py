"""The benchmark scripts still run against the current code (their timings are not tested)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "bench"


def load(name: str):
    sys.path.insert(0, str(BENCH))
    try:
        spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(BENCH))


def test_the_batch_benchmark_builds_its_rows_and_the_bare_baselines_text(builtin_library):
    bench = load("batch")
    texts = bench.bare_texts(builtin_library)
    assert len(texts) == len(bench.SYMPTOMS)
    assert all(len(paragraphs) > 25 for paragraphs in texts)
    assert bench.in_process(builtin_library, 2) > 0


def test_the_single_handout_benchmark_exports_every_paragraph(builtin_library):
    from conftest import selection

    from handouts.compose import compose
    from handouts.models import Practice

    bench = load("run")
    handout = compose(builtin_library, selection("numb-legs", weeks=31), Practice())
    paragraphs = bench.paragraphs(handout)
    assert any("Call your local emergency number now" in text for _, _, text in paragraphs)
    assert len(paragraphs) > 40


def test_the_serve_benchmark_runs_a_small_load_and_checks_every_answer():
    import subprocess

    bench = load("serve")
    work = bench.workload(40)
    assert {status for _, status in work} == {200, 422}
    script = str(BENCH / "serve.py")
    done = subprocess.run(
        [sys.executable, script, "--requests", "12", "--users", "3", "--think", "0.05"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "3 users" in done.stdout and "p95" in done.stdout
    assert "left on disk by the server: 0 files" in done.stdout
