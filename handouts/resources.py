"""Where the built-in content, templates and fonts live.

In an installed wheel, ``content/`` and ``templates/`` sit inside the package;
in a source checkout they are the top-level folders beside it.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
FONTS = PACKAGE / "fonts"


def _shipped(name: str) -> Path:
    inside = PACKAGE / name
    return inside if inside.is_dir() else PACKAGE.parent / name


CONTENT = _shipped("content")
TEMPLATES = _shipped("templates")
