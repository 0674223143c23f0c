"""Paragraphs kept between renders: their markup, its parse, and their line breaks.

Turning a text's inline Markdown into paragraph markup, parsing that markup and
breaking it into lines are the costliest parts of a render, and they give the same
result for the same text, style and width every time.
Fitting a handout to its page budget lays it out a few times over, and a web page or
batch worker makes handout after handout from the same content: so each paragraph's
markup is kept by its text, its parse by its markup and style, and its lines by its
markup, style and widths.

Patient text never outlives its handout: a paragraph holding any of the handout's
private texts (the patient's name, the notes, ...) is kept only for the layouts of
that handout (``remembering``), never in the process-wide cache. Outside
``remembering`` nothing is kept. The process-wide cache holds at most ``MAX_SHARED``
entries, the least recently used leaving first. Kept results are shared, never
changed: ReportLab reads a paragraph's frags and lines, and makes new ones to split it.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from types import NoneType
from typing import Any

MAX_SHARED = 4000
"""Entries the process-wide cache keeps (a topic prints a few hundred paragraphs)."""

_shared: OrderedDict[tuple, Any] = OrderedDict()
_session: contextvars.ContextVar[_Session | None] = contextvars.ContextVar(
    "paragraph_session", default=None
)


class _Session:
    """What one handout's layouts keep, and the texts that are its patient's."""

    def __init__(self, private: Iterable[str]):
        self.private = tuple({_words(p).casefold() for p in private if p and p.strip()})
        self.local: dict[tuple, Any] = {}

    def is_private(self, frags: Any) -> bool:
        return self.holds_private("".join(str(getattr(f, "text", "")) for f in frags))

    def holds_private(self, text: str) -> bool:
        if not self.private:
            return False
        plain = _words(text).casefold()  # a template may print a name in capitals
        return any(p in plain for p in self.private)

    def get(self, key: tuple) -> Any:
        if (kept := self.local.get(key)) is not None:
            return kept
        if (kept := _shared.get(key)) is not None:
            _shared.move_to_end(key)
        return kept

    def keep(self, key: tuple, value: Any, private: bool) -> None:
        if private:
            self.local[key] = value
            return
        _shared[key] = value
        if len(_shared) > MAX_SHARED:
            _shared.popitem(last=False)


@contextlib.contextmanager
def remembering(private: Iterable[str]) -> Iterator[None]:
    """Keep paragraphs while laying out one handout; ``private``: its patient's texts."""
    if _session.get() is not None:  # already inside the same handout's layouts
        yield
        return
    token = _session.set(_Session(private))
    try:
        yield
    finally:
        _session.reset(token)


def parse(paragraph: Any, text: Any, style: Any, bullet: Any, setup: Callable[[], None]) -> None:
    """Run ``setup`` (ReportLab's parse of ``text``), or set the paragraph's text, frags,
    style and bullet from the last parse of the same text in the same style.

    Whether the paragraph holds patient text is decided here, from its parsed words,
    and goes with it to ``lines``.
    """
    session = _session.get()
    if session is None or not isinstance(text, str) or not isinstance(bullet, (str, NoneType)):
        setup()
        return
    key = ("parse", text, style, bullet, paragraph.caseSensitive)
    kept = session.get(key)
    if kept is None:
        setup()
        private = session.is_private(paragraph.frags)
        kept = (paragraph.text, paragraph.frags, paragraph.style, paragraph.bulletText, private)
        session.keep(key, kept, private)
    else:
        paragraph.text, paragraph.frags, paragraph.style, paragraph.bulletText, private = kept
        paragraph.debug = 0
    paragraph.holds_private = private


def markup(text: str, variant: Any, compute: Callable[[], str]) -> str:
    """``compute()``, the paragraph markup of inline-Markdown ``text`` (``variant``: what
    else it depends on), or the markup kept from the last time ``text`` was converted.
    The text is the source, so the caller's private texts must include the forms they
    take in it (a name escaped for Markdown)."""
    session = _session.get()
    if session is None:
        return compute()
    key = ("markup", text, variant)
    kept = session.get(key)
    if kept is None:
        kept = compute()
        session.keep(key, kept, session.holds_private(text))
    return kept


def lines(paragraph: Any, width: Any, compute: Callable[[Any, Any], Any]) -> Any:
    """``compute(paragraph, width)`` (the paragraph's lines), or the lines kept from
    the last time the same paragraph was broken at the same width.

    Breaking lines also sets a few of the paragraph's attributes (its frags, as word
    lists, and the widths it measured); they are kept with the lines and set again.
    """
    session = _session.get()
    key = _lines_key(paragraph, width) if session is not None else None
    if key is None:
        return compute(paragraph, width)
    kept = session.get(key)
    if kept is not None:
        result, changed = kept
        paragraph.__dict__.update(changed)
        return result
    # A paragraph made outside a handout's layouts is taken to hold patient text.
    private = getattr(paragraph, "holds_private", True)
    before = dict(paragraph.__dict__)
    result = compute(paragraph, width)
    changed = {
        name: value
        for name, value in paragraph.__dict__.items()
        if name not in before or before[name] is not value
    }
    session.keep(key, (result, changed), private)
    return result


def clear() -> None:
    """Forget every kept paragraph, the current handout's too (tests, and the font stack
    forgetting the shaped words that kept paragraphs refer to)."""
    _shared.clear()
    if (session := _session.get()) is not None:
        session.local.clear()


def _lines_key(paragraph: Any, width: Any) -> tuple | None:
    text, bullet = getattr(paragraph, "text", None), getattr(paragraph, "bulletText", None)
    if not isinstance(text, str) or not isinstance(bullet, (str, NoneType)):
        return None  # the second part of a split paragraph: made from frags, not text
    widths = tuple(width) if isinstance(width, (list, tuple)) else width
    return ("lines", text, paragraph.style, bullet, widths)


def _words(text: str) -> str:
    return " ".join(text.split())
