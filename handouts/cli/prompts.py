"""Interactive ``make``: tick symptoms, then name, stage, clinician and notes.

Only what the command line did not give is asked; Enter skips a question. Each
answer is checked by the request layer as it is typed, so a wrong weeks or date
is said at once. Ctrl-C cancels with one line and exit code 130.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import typer

from handouts import request
from handouts.errors import RequestError
from handouts.models import Practice, Topic
from handouts.placeholders import topic_title

CANCELLED = 130
STAGES = {
    "weeks": "Weeks pregnant",
    "due_date": "Due date",
    "after_birth": "The baby has been born",
    "": "Skip",
}
OTHER = "Someone else (type the name)"


def ask(topic: Topic, practice: Practice, fields: dict, **io: Any) -> dict:
    """``fields`` with the answers added; ``io`` passes input and output (for tests)."""
    try:
        return _Prompts(topic, practice, io).fill(dict(fields))
    except KeyboardInterrupt:
        typer.echo("Cancelled; nothing written.", err=True)
        raise typer.Exit(CANCELLED) from None


class _Prompts:
    def __init__(self, topic: Topic, practice: Practice, io: dict):
        self.topic, self.practice, self.io = topic, practice, io

    def fill(self, fields: dict) -> dict:
        if not fields.get("symptoms"):
            fields["symptoms"] = self.symptoms()
            if not fields["symptoms"] and not self.confirm_generic():
                raise KeyboardInterrupt
        if not fields.get("name"):
            fields["name"] = self.text("Patient's name (Enter to skip)", "name")
        stage_given = fields.get("weeks") or fields.get("due_date") or fields.get("after_birth")
        if self.topic.uses_weeks and not stage_given:
            fields.update(self.stage())
        if not fields.get("clinician"):
            fields["clinician"] = self.clinician()
        if not fields.get("notes"):
            fields["notes"] = self.text("Notes for the patient (Enter to skip)", "notes")
        return fields

    def symptoms(self) -> list[str]:
        import questionary

        choices = [
            questionary.Choice(s.label, value=s.id, description=s.hint or None)
            for s in self.topic.symptoms
        ]
        return questionary.checkbox(
            f"{topic_title(self.topic, self.practice)}: tick the patient's symptoms",
            choices=choices,
            instruction="(space to tick, Enter when done)",
            **self.io,
        ).unsafe_ask()

    def confirm_generic(self) -> bool:
        import questionary

        return questionary.confirm(
            "Nothing ticked: make the general leaflet?", default=True, **self.io
        ).unsafe_ask()

    def text(self, message: str, field: str) -> str:
        import questionary

        return questionary.text(message, validate=self.check(field), **self.io).unsafe_ask()

    def stage(self) -> dict:
        import questionary

        choices = [questionary.Choice(label, value=key) for key, label in STAGES.items()]
        chosen = questionary.select("Stage of pregnancy", choices=choices, **self.io).unsafe_ask()
        if chosen == "after_birth":
            return {"after_birth": True}
        if chosen == "weeks":
            return {"weeks": self.text("Weeks pregnant (0-45, Enter to skip)", "weeks")}
        if chosen == "due_date":
            hint = "MM/DD/YYYY" if self.practice.date_order == "mdy" else "DD/MM/YYYY"
            return {"due_date": self.text(f"Due date ({hint}, Enter to skip)", "due_date")}
        return {}

    def clinician(self) -> str:
        import questionary

        if not self.practice.clinicians:
            return self.text("Clinician giving the handout (Enter to skip)", "clinician")
        choices = [*self.practice.clinicians, OTHER, questionary.Choice("Skip", value="")]
        chosen = questionary.select("Clinician", choices=choices, **self.io).unsafe_ask()
        if chosen == OTHER:
            return self.text("Clinician's name", "clinician")
        return chosen

    def check(self, field: str):
        """A questionary validator: the request layer's message for this one field."""

        def validate(answer: str) -> bool | str:
            order = self.practice.date_order
            asked = request.Request(self.topic, dt.date.today(), date_order=order)
            try:
                request.read_selection({field: answer}, asked)
            except RequestError as exc:
                return exc.message
            return True

        return validate
