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
    signed_signs: dict[str, str]

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
        """A replacement may not move an item, nor lower a warning sign's urgency, nor
        show a warning sign to fewer patients than the built-in one does."""
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
        if base.urgency and not covers(item.when, base.when):
            self.add(
                doc,
                (*at, "when"),
                f"{base.id!r} is a warning sign; a practice may not show it to fewer "
                "patients than the built-in item does (leave when out, or keep the "
                "built-in one)",
            )

    def reworded(self, base: models.Item, item: models.Item, doc: Document, at: tuple) -> bool:
        """Show a practice's rewording of a warning sign; True when it is not signed off.

        Each reworded sign needs its own line under ``review: warning_signs:`` with the
        code of the wording that was checked.
        """
        if not base.urgency or wording(base) == wording(item):
            return False
        import difflib

        from handouts.practice.signoff import item_hash, item_text

        code = item_hash(item)
        if self.signed_signs.get(base.id) == code:
            return False
        self.add(
            doc,
            (*at, "text"),
            f"the practice rewords warning sign {base.id!r}: a clinician must check it "
            f"and sign it off in practice.yaml under review: warning_signs: "
            f"{{{base.id}: {code}}}; until then it prints the draft mark",
            warning=True,
            detail="\n".join(
                difflib.unified_diff(
                    item_text(base).splitlines(),
                    item_text(item).splitlines(),
                    "built-in",
                    "practice",
                    lineterm="",
                )
            ),
        )
        return True


def wording(item: models.Item) -> tuple:
    return (item.title, item.text, item.steps)


def covers(new: models.When | None, base: models.When | None) -> bool:
    """True when every patient ``base`` shows an item to also sees it under ``new``."""
    if new is None:
        return True
    if base is None:
        base = models.When()
    if new.symptoms and not (base.symptoms and set(base.symptoms) <= set(new.symptoms)):
        return False
    if new.after_birth is not None and new.after_birth != base.after_birth:
        return False
    if new.weeks is not None:
        if base.weeks is None:
            return False
        lowest = -1 if new.weeks.start is None else new.weeks.start
        highest = 99 if new.weeks.end is None else new.weeks.end
        start = -1 if base.weeks.start is None else base.weeks.start
        end = 99 if base.weeks.end is None else base.weeks.end
        if lowest > start or highest < end:
            return False
    return True


def _rank(urgency: str) -> int:
    return models.URGENCIES.index(urgency)
