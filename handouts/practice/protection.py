"""Warning-sign protection: what a practice's overlay may not do to a warning sign.

Emergency and urgent warning signs cannot be hidden, and no warning sign can be moved
to another module or given a lower urgency.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from handouts import models
from handouts.library import Document


class Protection:
    """The checks of ``_Loading`` that keep warning signs in the handouts."""

    add: Any

    def hide(self, file: Any, doc: Document, topics: list[models.Topic]) -> list[models.Topic]:
        hidden = set()
        for n, item_id in enumerate(file.hide):
            found = [i for t in topics for i in t.items if i.id == item_id]
            if not found:
                self.add(doc, ("hide", n), f"unknown item {item_id!r}; see 'handouts items'")
            elif any(i.is_emergency for i in found):
                self.add(
                    doc,
                    ("hide", n),
                    f"{item_id!r} is an emergency warning sign; it is in every handout "
                    "and cannot be hidden",
                )
            elif any(i.urgency == "urgent" for i in found):
                self.add(
                    doc,
                    ("hide", n),
                    f"{item_id!r} is an urgent warning sign and cannot be hidden from every "
                    "handout; replace it with your own wording instead (handouts practice "
                    "override), or leave it out for one patient with --omit",
                )
            hidden.add(item_id)
        return [
            dataclasses.replace(t, items=tuple(i for i in t.items if i.id not in hidden))
            for t in topics
        ]

    def protect(self, base: models.Item, item: models.Item, doc: Document, at: tuple) -> None:
        """A replacement may not move an item, nor lower a warning sign's urgency."""
        if item.module != base.module:
            self.add(
                doc,
                (*at, "id"),
                f"{base.id!r} is in {base.module}.yaml; a replacement must stay there",
            )
        elif base.urgency and item.urgency and _rank(item.urgency) > _rank(base.urgency):
            self.add(
                doc,
                (*at, "urgency"),
                f"{base.id!r} is an {base.urgency} warning sign; a practice may not "
                f"lower its urgency (got {item.urgency!r})",
            )


def _rank(urgency: str) -> int:
    return models.URGENCIES.index(urgency)
