"""Practice: load a practice folder and merge its content overlay into the library.

``profile`` reads practice.yaml and drives the check; ``overlay`` merges the practice's
content by id; ``protection`` keeps warning signs in every handout; ``signoff`` decides
what the practice's sign-off covers; ``scaffold`` writes ``practice init`` and
``practice override`` files.
"""

from handouts.practice.files import (
    EXAMPLE,
    FONTS,
    OVERLAY,
    PRACTICE_FILE,
    SOURCES_FILE,
    TEMPLATES,
)
from handouts.practice.profile import (
    MIN_CONTRAST,
    PracticeCheck,
    check_practice,
    check_with_practice,
    clinicians,
    contrast,
    load_practice,
    readable_colour,
)
from handouts.practice.scaffold import FOLDER_NOTES, accept, init, override
from handouts.practice.signoff import _as_written, item_hash, item_text

__all__ = [
    "EXAMPLE",
    "FOLDER_NOTES",
    "FONTS",
    "MIN_CONTRAST",
    "OVERLAY",
    "PRACTICE_FILE",
    "SOURCES_FILE",
    "TEMPLATES",
    "PracticeCheck",
    "_as_written",
    "accept",
    "check_practice",
    "check_with_practice",
    "clinicians",
    "contrast",
    "init",
    "item_hash",
    "item_text",
    "load_practice",
    "override",
    "readable_colour",
]
