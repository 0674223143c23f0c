"""Line breaks kept between renders, so a running process breaks a paragraph into lines once.

Breaking text into lines is the costliest part of a render, and it gives the same lines
for the same text, style and width every time. Fitting a handout to its page budget
renders it a few times over, and a web page or batch worker makes handout after
handout from the same content: so the lines of a paragraph are kept, keyed by its
text, style and widths.

Patient text never outlives its handout: a paragraph holding any of the handout's
private texts (the patient's name, the notes, ...) is kept only for the renders of
that handout (``remembering``), never in the process-wide cache. Outside
``remembering`` nothing is kept. The process-wide cache holds at most ``MAX_SHARED``
paragraphs, the least recently used leaving first.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from typing import Any

MAX_SHARED = 2000
"""Paragraphs the process-wide cache keeps (a topic prints a few hundred)."""

_shared: OrderedDict[tuple, tuple[Any, dict]] = OrderedDict()
_session: contextvars.ContextVar[_Session | None] = contextvars.ContextVar(
    "line_session", default=None
)


class _Session:
    """The paragraphs of one handout's renders, and the texts that are the patient's."""

    def __init__(self, private: Iterable[str]):
        self.private = tuple({_words(p) for p in private if p and p.strip()})
        self.local: dict[tuple, tuple[Any, dict]] = {}

    def is_private(self, paragraph: Any) -> bool:
        if not self.private:
            return False
        plain = _words("".join(str(getattr(f, "text", "")) for f in paragraph.frags))
        return any(p in plain for p in self.private)


@contextlib.contextmanager
def remembering(private: Iterable[str]) -> Iterator[None]:
    """Keep line breaks while rendering one handout; ``private``: its patient's texts."""
    if _session.get() is not None:  # already inside the same handout's renders
        yield
        return
    token = _session.set(_Session(private))
    try:
        yield
    finally:
        _session.reset(token)


def lines(paragraph: Any, width: Any, compute: Callable[[Any, Any], Any]) -> Any:
    """``compute(paragraph, width)`` (the paragraph's lines), or the lines kept from
    the last time the same paragraph was broken at the same width.

    Breaking lines also sets a few of the paragraph's attributes (its frags, as word
    lists, and the widths it measured); they are kept with the lines and set again.
    """
    session = _session.get()
    key = _key(paragraph, width) if session is not None else None
    if key is None:
        return compute(paragraph, width)
    kept = session.local.get(key) or _shared.get(key)
    if kept is not None:
        if key in _shared:
            _shared.move_to_end(key)
        result, changed = kept
        paragraph.__dict__.update(changed)
        return result
    private = session.is_private(paragraph)
    before = dict(paragraph.__dict__)
    result = compute(paragraph, width)
    changed = {
        name: value
        for name, value in paragraph.__dict__.items()
        if name not in before or before[name] is not value
    }
    if private:
        session.local[key] = (result, changed)
    else:
        _shared[key] = (result, changed)
        if len(_shared) > MAX_SHARED:
            _shared.popitem(last=False)
    return result


def clear() -> None:
    """Forget every kept paragraph (tests, and a server whose fonts changed)."""
    _shared.clear()


def _key(paragraph: Any, width: Any) -> tuple | None:
    text, bullet = getattr(paragraph, "text", None), getattr(paragraph, "bulletText", None)
    if not isinstance(text, str) or not (bullet is None or isinstance(bullet, str)):
        return None  # the second part of a split paragraph: made from frags, not text
    widths = tuple(width) if isinstance(width, (list, tuple)) else width
    return (text, paragraph.style, bullet, widths)


def _words(text: str) -> str:
    return " ".join(text.split())
