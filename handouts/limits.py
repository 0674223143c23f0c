"""How long the free-text fields of a request may be.

A name or note thousands of characters long does not fit a handout, and laying it
out takes time that grows faster than its length (a 300 KB note took 24 s and 110
pages), so it is refused with a message naming the field, never the text.
"""

from __future__ import annotations

from handouts.errors import SelectionError

FIELD_LIMITS = {"name": 100, "clinician": 120, "notes": 2000}
"""Characters each free-text field may hold."""


def check_lengths(fields: dict[str, str], names: dict[str, str] | None = None) -> None:
    """Raise ``SelectionError`` for the first field over its limit.

    ``names`` maps a field to what the user knows it as (``--notes``, a column).
    """
    for field, limit in FIELD_LIMITS.items():
        value = fields.get(field) or ""
        if len(value) > limit:
            option = (names or {}).get(field, field)
            raise SelectionError(
                option, f"at most {limit:,} characters; this one has {len(value):,}"
            )
