"""The local web page: tick, type, download or print, on a real ASGI stack (Starlette).

Nothing a clinician types is stored: handouts are made in memory and sent back,
responses say ``no-store``, and the server logs no paths, queries or bodies
(``handouts serve`` turns uvicorn's access log off). See ``security.py`` for the
host, origin, size and header rules.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, field
from functools import cached_property, partial
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request as HttpRequest
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from handouts import placeholders, request, translations
from handouts.errors import HandoutsError, RequestError
from handouts.models import Library, Practice, Topic
from handouts.text import TextError
from handouts.web import intake
from handouts.web.security import UPLOAD_LIMIT, Guard
from handouts.web.workers import Content, Made, Makers

HERE = Path(__file__).parent
WEB_NAMES = {
    "symptoms": "symptoms",
    "weeks": "weeks",
    "due_date": "due date",
    "after_birth": "after the birth",
    "large_print": "large print",
}
"""What the page calls each field in its messages."""
FORM_FIELDS = (
    "name",
    "weeks",
    "due_date",
    "after_birth",
    "clinician",
    "notes",
    "paper",
    "follow_up",
    "contact",
    "language",
)
STATIC = {"page.js": "text/javascript", "page.css": "text/css"}


@dataclass
class Site:
    """What every request of one server shares: the content, the practice, and the
    workers that make its handouts."""

    library: Library
    topic: Topic
    practice: Practice
    makers: Makers
    templates: Environment = field(
        default_factory=lambda: Environment(
            loader=FileSystemLoader(str(HERE / "templates")),
            autoescape=select_autoescape(default=True, default_for_string=True),
        )
    )

    @property
    def render_lock(self) -> threading.Lock:
        """Held while ReportLab runs in this process (it is not shared between threads)."""
        return self.makers.lock

    def make(self, selection, language: str = "") -> Made:
        """One handout within its page budget (blocks: call it from a thread)."""
        return self.makers.make(selection, language)

    @cached_property
    def title(self) -> str:
        """The topic's title, as the page names it."""
        return placeholders.topic_title(self.topic, self.practice)

    @cached_property
    def languages(self) -> tuple[str, ...]:
        """The languages a handout can be made in: the topic's, and each translation with
        nothing missing or stale (the page cannot fall back to English). Checked once:
        the server's content does not change while it runs."""
        ready = [self.topic.language]
        problems = translations.check(self.topic)
        for lang in translations.languages(self.topic)[1:]:
            if not any(f"/{lang}.yaml" in str(p.path) for p in problems):
                ready.append(lang)
        return tuple(ready)

    def read(self, fields: dict, names: dict[str, str] | None = None) -> request.Selection:
        called = {**WEB_NAMES, **(names or {})}
        asked = request.Request(self.topic, dt.date.today(), called, self.practice.date_order)
        return request.read_selection(fields, asked)


def create_app(
    library: Library,
    practice: Practice,
    *,
    topic: str | None = None,
    host_names: tuple[str, ...] = (),
    workers: int = 0,
) -> Guard:
    """The ASGI app for one content library and practice, wrapped in its guard.

    ``workers``: processes that make the handouts (0: this one, a handout at a time).
    """
    from handouts.compose import choose_topic

    chosen = choose_topic(library, topic)
    site = Site(library, chosen, practice, Makers(Content(library, practice, chosen.id), workers))
    routes = [
        Route("/", partial(page, site), methods=["GET"]),
        Route("/handout", partial(handout, site), methods=["POST"]),
        Route("/summary", partial(live_summary, site), methods=["POST"]),
        Route("/static/{name}", static, methods=["GET"]),
        Route("/favicon.ico", lambda r: Response(status_code=204), methods=["GET"]),
        *intake.routes(site),
    ]
    app = Starlette(routes=routes)
    guard = Guard(app, names=host_names, limits={"/from-form": UPLOAD_LIMIT})
    guard.site = site  # for the server, to stop its workers
    return guard


async def page(site: Site, http: HttpRequest) -> Response:
    return await render_page(site, {}, None)


async def render_page(site: Site, values: dict, error: RequestError | None, status: int = 200):
    errors = {p.field: p for p in error.problems} if error else {}
    preview = None
    if error is None:
        try:
            preview = await run_in_threadpool(_summary_of, site, values)
        except RequestError:
            preview = None
    html = site.templates.get_template("page.html").render(
        topic=site.topic,
        title=site.title,
        practice=site.practice,
        values=values,
        ticked=set(request.split_ids(values.get("symptoms"))),
        planned=set(request.split_ids(values.get("plan"))),
        errors=errors,
        error_order=[p.field for p in error.problems] if error else [],
        summary=preview,
        today=dt.date.today().isoformat(),
        languages=site.languages,
        language_names=translations.LANGUAGE_NAMES,
    )
    return HTMLResponse(html, status_code=status)


async def form_fields(http: HttpRequest) -> tuple[dict, str]:
    """The request fields a form post carries (anything else is ignored), and its action."""
    form = await http.form(max_files=0, max_fields=200)
    fields: dict = {name: _text(form.get(name)) for name in FORM_FIELDS}
    fields["symptoms"] = [_text(v) for v in form.getlist("symptoms")]
    fields["plan"] = [_text(v) for v in form.getlist("plan")]
    fields["large_print"] = _text(form.get("large_print"))
    return fields, _text(form.get("action")) or "download"


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


async def handout(site: Site, http: HttpRequest) -> Response:
    fields, action = await form_fields(http)
    try:
        selection = site.read(fields)
        made = await run_in_threadpool(site.make, selection, fields.get("language", ""))
    except RequestError as exc:
        return await render_page(site, fields, exc, status=422)
    except TextError as exc:
        if (wrong := typed_field(exc)) is not None:
            return await render_page(site, fields, wrong, status=422)
        return HTMLResponse(f"<p>{_escape(str(exc))}</p>", status_code=500)
    except HandoutsError as exc:
        return HTMLResponse(f"<p>{_escape(str(exc))}</p>", status_code=500)
    return pdf_response(made.pdf, made.file_name, inline=action == "print")


PRINTED_AS = {
    "name": "name",
    "notes": "notes",
    "clinician": "clinician",
    "follow-up": "follow_up",
    "contact": "contact",
}
"""The form field of each typed field, as the renderer names it when it cannot print it."""


def typed_field(exc: TextError) -> RequestError | None:
    """A character the handout cannot print in a field the clinician typed, as a message
    beside that field; None when the text is not theirs (the content, the practice)."""
    name = PRINTED_AS.get(exc.field)
    return RequestError(name, exc.rule) if name else None


def pdf_response(pdf: bytes, name: str, *, inline: bool) -> Response:
    disposition = "inline" if inline else "attachment"
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"content-disposition": f'{disposition}; filename="{name}"'},
    )


async def live_summary(site: Site, http: HttpRequest) -> Response:
    """What the handout will hold, for the page's live summary (HTML fragment), or what
    is wrong with the fields."""
    fields, _ = await form_fields(http)
    try:
        site.read(fields)
        html = await run_in_threadpool(_summary_of, site, fields)
    except RequestError as exc:
        problems = [{"field": p.field, "message": p.message} for p in exc.problems]
        return JSONResponse({"html": "", "problems": problems})
    return JSONResponse({"html": html, "problems": []})


def _summary_of(site: Site, fields: dict) -> str:
    """The summary of the handout ``fields`` ask for ("" if they are not valid); it is
    made in full, so the summary says what the fitted handout will hold. A character
    the handout cannot print in a typed field is a ``RequestError`` on that field."""
    try:
        selection = site.read(fields)
    except RequestError:
        return ""
    try:
        made = site.make(selection, fields.get("language", ""))
    except TextError as exc:
        if (wrong := typed_field(exc)) is not None:
            raise wrong from None
        return ""
    except HandoutsError:
        return ""
    return site.templates.get_template("summary.html").render(groups=made.groups)


async def static(http: HttpRequest) -> Response:
    name = http.path_params["name"]
    if name not in STATIC:
        return Response("Not found", status_code=404, media_type="text/plain")
    return Response((HERE / "static" / name).read_bytes(), media_type=STATIC[name])


def _escape(text: str) -> str:
    from markupsafe import escape

    return str(escape(text))
