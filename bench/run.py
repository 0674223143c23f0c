"""Benchmark handouts against a bare ReportLab script, measured in the same run.

    python bench/run.py [--rounds N]

For the "Done when" handout (numb-legs + swollen-feet, 31 weeks), each against
bench/bare_reportlab.py typesetting the same text with the same font:

  warm    compose + render in a running process (the web page's workers, batch
          workers), a new patient each time, so only the content's paragraphs are
          kept between handouts; the bare script sets the handout's paragraphs
  fitted  compose + fit to one sheet + render, what make and the page do; the bare
          script sets the paragraphs of the fitted handout, so fitting's extra
          layouts are what the ratio shows
  cold    a whole `handouts make` process, start to PDF on disk, with warm caches
          (the library and compiled templates), against the bare script's process

Targets (issue 10): warm <= 1.15x, cold <= 1.40x; fitted has none. Ratios, not
seconds: the machine is shared and noisy, so both sides are timed alternately.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bare_reportlab  # noqa: E402
from reportlab.platypus import KeepTogether, Paragraph, Table  # noqa: E402

from handouts.compose import compose  # noqa: E402
from handouts.fit import fit_pdf  # noqa: E402
from handouts.library import load_library  # noqa: E402
from handouts.models import Practice, Selection  # noqa: E402
from handouts.render import boxes, story, styles  # noqa: E402
from handouts.render.pdf import render_pdf  # noqa: E402

ARGS = [
    "-s",
    "numb-legs",
    "-s",
    "swollen-feet",
    "--name",
    "Ana",
    "--weeks",
    "31",
    "--date",
    "2026-11-22",
]
SELECTION = Selection(
    symptoms=("numb-legs", "swollen-feet"),
    name="Ana",
    weeks=31,
    date=__import__("datetime").date(2026, 11, 22),
)
NAMES = ("Ana Silva", "Bea Okafor", "Cy Nguyen", "Dee Kowalski", "Eve Haddad", "Flo Brown")


def patients(n: int):
    """``n`` selections like SELECTION, each for another patient with their own notes."""
    for i in range(n):
        name = f"{NAMES[i % len(NAMES)]} {i}"
        yield replace(SELECTION, name=name, notes=f"Review on day {i}. Rest the legs.")


def paragraphs(handout) -> list[list[object]]:
    """Every paragraph the handout prints, as (font size, bold, text) for the bare script."""
    styles.register_fonts()
    st = styles.styles(handout.practice.font_size)
    out: list[list[object]] = []

    def walk(flowables):
        for f in flowables:
            if isinstance(f, Paragraph):
                out.append([f.style.fontSize, "Bold" in f.style.fontName, f.getPlainText()])
            elif isinstance(f, Table):
                walk(cell for row in f._cellvalues for cell in row)
            elif isinstance(f, boxes.WarningBox):
                walk([f.heading, *f.body])
            elif isinstance(f, KeepTogether):
                walk(f._content)

    walk(story.Story(handout, st, 480).build())
    return out


def timed(fn, rounds: int) -> list[float]:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def alternate(a, b, rounds: int) -> tuple[float, float]:
    """Median of each, timing a and b in turns so drift hits both alike."""
    ta, tb = [], []
    for _ in range(rounds):
        ta += timed(a, 1)
        tb += timed(b, 1)
    return statistics.median(ta), statistics.median(tb)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    rounds = parser.parse_args().rounds

    library = load_library()
    practice = Practice()
    bare_reportlab.register()
    people = patients(10**6)

    def warm_ours():
        render_pdf(compose(library, next(people), practice))

    def fitted_ours():
        fit_pdf(compose(library, next(people), practice))

    text = paragraphs(compose(library, SELECTION, practice))
    fitted = fit_pdf(compose(library, SELECTION, practice)).handout
    fitted_text = paragraphs(fitted)
    for _ in range(3):  # fill caches on both sides
        warm_ours(), fitted_ours(), bare_reportlab.typeset(text)

    ours, bare = alternate(warm_ours, lambda: bare_reportlab.typeset(text), rounds * 2)
    line("warm", ours, bare, 1.15)
    ours, bare = alternate(fitted_ours, lambda: bare_reportlab.typeset(fitted_text), rounds * 2)
    line("fitted", ours, bare, None)

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "text.json").write_text(json.dumps(text))
        ours_cmd = [sys.executable, "-m", "handouts", "make", *ARGS, "-o", str(tmp / "a.pdf")]
        bare_cmd = [
            sys.executable,
            str(HERE / "bare_reportlab.py"),
            str(tmp / "text.json"),
            str(tmp / "b.pdf"),
        ]
        subprocess.run(ours_cmd, check=True, capture_output=True)  # fill caches

        def run(cmd):
            return lambda: subprocess.run(cmd, check=True, capture_output=True)

        ours, bare = alternate(run(ours_cmd), run(bare_cmd), rounds)
    line("cold", ours, bare, 1.40)


def line(name: str, ours: float, bare: float, target: float | None) -> None:
    ratio = ours / bare
    goal = f"(target <= {target:.2f}x: {'met' if ratio <= target else 'NOT met'})" if target else ""
    print(
        f"{name:<7} handouts {ours * 1000:7.1f} ms   bare ReportLab {bare * 1000:7.1f} ms   "
        f"ratio {ratio:5.2f}x  {goal}"
    )


if __name__ == "__main__":
    main()
