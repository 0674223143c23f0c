"""Leaflets: the generic, non-personalised handouts a practice prints in advance.

One leaflet per topic (nothing ticked, so every item shows), and optionally one
per symptom (just that symptom ticked, no name). ``booklet=True`` renders the
pages at A5 (half-letter for Letter paper) and imposes them two-up on A4
(Letter) sheets, to fold into a booklet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from handouts.compose import choose_topic, compose
from handouts.errors import OutputError
from handouts.models import Handout, Library, Practice, Selection
from handouts.output import write_atomic

BOOKLET_PAGE = {"a4": "a5", "letter": "half-letter"}
"""The page a booklet folds down to, for each sheet size."""
SHEET = {page: sheet for sheet, page in BOOKLET_PAGE.items()}


@dataclass(frozen=True, slots=True)
class Leaflet:
    name: str
    """File name: ``TOPIC.pdf`` or ``TOPIC-SYMPTOM.pdf`` (``-booklet`` before ``.pdf``)."""
    selection: Selection


def leaflets(
    library: Library,
    *,
    topic: str | None = None,
    per_symptom: bool = False,
    paper: str | None = None,
    booklet: bool = False,
    today: dt.date | None = None,
    lang: str = "",
) -> Iterator[Leaflet]:
    """The leaflets to make: every topic (or ``topic``), then each symptom if asked."""
    topics = [choose_topic(library, topic)] if topic else list(library.topics)
    page = BOOKLET_PAGE[paper or "a4"] if booklet else paper
    suffix = (f"-{lang}" if lang else "") + ("-booklet.pdf" if booklet else ".pdf")
    for chosen in topics:
        yield Leaflet(
            f"{chosen.id}{suffix}", Selection(topic=chosen.id, paper=page, date=today, leaflet=True)
        )
        if per_symptom:
            for symptom in chosen.symptoms:
                selection = Selection(
                    symptoms=(symptom.id,), topic=chosen.id, paper=page, date=today, leaflet=True
                )
                yield Leaflet(f"{chosen.id}-{symptom.id}{suffix}", selection)


def leaflet_handout(library: Library, leaflet: Leaflet, practice: Practice) -> Handout:
    """The leaflet's handout: never 'Prepared for', even with a symptom ticked."""
    return compose(library, leaflet.selection, practice)


def render_leaflet(
    library: Library,
    leaflet: Leaflet,
    practice: Practice,
    booklet: bool = False,
    full: bool = False,
    lang: str = "",
    allow_fallback: bool = False,
) -> bytes:
    """The leaflet within its page budget (``full``: everything); a booklet keeps its
    warning boxes and phone numbers for the back cover."""
    from handouts.fit import fit_pdf

    handout = leaflet_handout(library, leaflet, practice)
    if lang:
        from handouts.translations import translate

        handout, _ = translate(handout, lang, allow_fallback=allow_fallback)
    pdf = fit_pdf(handout, full=full, booklet=booklet).pdf
    if booklet:
        from handouts.render.booklet import impose
        from handouts.render.pdf import PAPER

        sheet = SHEET[handout.paper]
        width, height = PAPER[sheet]
        pdf = impose(pdf, (height, width))
    return pdf


def make_leaflets(
    library: Library,
    out: Path,
    *,
    topic: str | None = None,
    per_symptom: bool = False,
    paper: str | None = None,
    booklet: bool = False,
    practice: Practice | None = None,
    large_print: bool = False,
    today: dt.date | None = None,
    full: bool = False,
    lang: str = "",
    allow_fallback: bool = False,
) -> list[Path]:
    """Write every leaflet into ``out`` (created if needed); returns the paths written.

    ``large_print`` prints them in large print even if the practice does not; ``lang``
    translates them (``TOPIC-LANG.pdf``), as ``make --lang`` does.
    """
    practice = practice or Practice()
    if large_print:
        practice = replace(practice, large_print=True)
    paper = (paper or practice.paper).lower()
    chosen = list(
        leaflets(
            library,
            topic=topic,
            per_symptom=per_symptom,
            paper=paper,
            booklet=booklet,
            today=today,
            lang=lang,
        )
    )
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create {out}: {exc.strerror}") from None
    return [
        write_atomic(
            out / leaflet.name,
            render_leaflet(
                library, leaflet, practice, booklet, full, lang=lang, allow_fallback=allow_fallback
            ),
        )
        for leaflet in chosen
    ]
