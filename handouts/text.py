"""Input hygiene for text a person typed (names, notes, practice fields).

Text is normalised to NFC, so a letter typed as a base and a combining accent is
the same as the precomposed letter. Characters that change the order or the
visibility of text without printing anything (bidi overrides, embeddings and
isolates, zero-width spaces, other format and control characters) are refused
with a message naming the field: they could make a printed name read differently
from the one on record. The zero-width joiner and non-joiner stay: Persian, Urdu
and the Indic scripts need them to spell words correctly.
"""

from __future__ import annotations

import unicodedata

from handouts.errors import HandoutsError

KEEP = frozenset("\u200c\u200d\n\t")
"""Invisible characters that are part of correct spelling (ZWNJ, ZWJ) or layout."""
BIDI_CONTROLS = frozenset(map(chr, [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]))


class TextError(HandoutsError):
    """A field holds a character that cannot be printed as typed: ``field`` names it (as
    the renderer does: ``name``, ``notes``, ``follow-up``...) and ``rule`` says why."""

    exit_code = 2

    def __init__(self, field: str, rule: str):
        super().__init__(field, rule)  # both in args, so the error crosses processes
        self.field, self.rule = field, rule

    def __str__(self) -> str:
        return f"{self.field}: {self.rule}"


def describe(char: str) -> str:
    """``'ب' (U+0628 ARABIC LETTER BEH)``, or ``U+202E RIGHT-TO-LEFT OVERRIDE`` if invisible."""
    code = f"U+{ord(char):04X} {unicodedata.name(char, 'unnamed character')}"
    return code if unicodedata.category(char)[0] in "CZ" else f"{char!r} ({code})"


def refused(char: str) -> bool:
    """True for a character that prints nothing but can hide or reorder text."""
    if char in KEEP:
        return False
    return char in BIDI_CONTROLS or unicodedata.category(char) in ("Cf", "Cc", "Cs", "Co", "Cn")


def clean(text: str, field: str) -> str:
    """``text`` in NFC; raises ``TextError`` naming ``field`` for a refused character."""
    if text.isascii() and text.isprintable():
        return text
    text = unicodedata.normalize("NFC", text)
    if text and unicodedata.category(text[0]).startswith("M"):
        raise TextError(
            field, f"starts with the mark {describe(text[0])}, which has no letter to sit on"
        )
    for char in text:
        if ord(char) > 0xFFFF:
            # ReportLab's font subsets map glyphs back to text with 16-bit codes only.
            raise TextError(field, f"{describe(char)} is beyond U+FFFF and cannot be printed yet")
        if refused(char):
            kind = "reorders text" if char in BIDI_CONTROLS else "is invisible"
            raise TextError(
                field, f"{describe(char)} {kind} and cannot be printed; remove it and try again"
            )
    return text
