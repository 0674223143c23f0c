"""Where things are in a practice folder."""

from __future__ import annotations

from handouts import resources

PRACTICE_FILE = "practice.yaml"
SOURCES_FILE = "sources.yaml"
OVERLAY, TEMPLATES, FONTS = "content", "templates", "fonts"
EXAMPLE = resources.PACKAGE / "examples" / PRACTICE_FILE
