"""Benchmark handouts against a bare ReportLab script, measured in the same run.

    python bench/run.py [--rounds N]

Prints, for the "Done when" handout (numb-legs + swollen-feet, 31 weeks):
  warm: compose + render in a running process, per handout
  cold: a whole `handouts make` process, start to PDF on disk
each as a ratio to bench/bare_reportlab.py typesetting the same text with the
same font. Targets: warm <= 1.10x, cold <= 1.15x. Ratios, not seconds: the
machine is shared and noisy, so both sides are timed alternately in one run.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bare_reportlab  # noqa: E402
from reportlab.platypus import KeepTogether, Paragraph, Table  # noqa: E402

from handouts.compose import compose  # noqa: E402
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
    handout = compose(library, SELECTION, practice)
    text = paragraphs(handout)
    bare_reportlab.register()
    render_pdf(handout)
    bare_reportlab.typeset(text)  # warm both

    ours, bare = alternate(
        lambda: render_pdf(compose(library, SELECTION, practice)),
        lambda: bare_reportlab.typeset(text),
        rounds * 2,
    )
    print(
        f"warm  handouts {ours * 1000:7.1f} ms   bare ReportLab {bare * 1000:7.1f} ms   "
        f"ratio {ours / bare:5.2f}x  (target <= 1.10x)"
    )

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
    print(
        f"cold  handouts {ours * 1000:7.1f} ms   bare ReportLab {bare * 1000:7.1f} ms   "
        f"ratio {ours / bare:5.2f}x  (target <= 1.15x)"
    )


if __name__ == "__main__":
    main()
