"""The page's paper route: print the intake form, upload a filled one for its handout."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request as HttpRequest
from starlette.responses import Response
from starlette.routing import Route

from handouts.errors import RequestError
from handouts.intake import FORM_NAMES, IntakeFormError, intake_form, read_form
from handouts.text import TextError
from handouts.web.security import UPLOAD_LIMIT

if TYPE_CHECKING:
    from handouts.web.app import Site


def routes(site: Site) -> list[Route]:
    return [
        Route("/intake-form.pdf", partial(form_pdf, site), methods=["GET"]),
        Route("/from-form", partial(from_form, site), methods=["POST"]),
    ]


async def form_pdf(site: Site, http: HttpRequest) -> Response:
    from handouts.web.app import pdf_response

    with site.render_lock:
        pdf = intake_form(site.topic, site.practice)
    return pdf_response(pdf, f"{site.topic.id}-intake-form.pdf", inline=True)


async def from_form(site: Site, http: HttpRequest) -> Response:
    """A filled intake form in, its handout out (or the page, saying what is wrong)."""
    from handouts.web.app import pdf_response, render_page, typed_field

    form = await http.form(max_files=1, max_fields=10, max_part_size=UPLOAD_LIMIT)
    upload = form.get("form")
    data = await upload.read() if upload is not None and not isinstance(upload, str) else b""
    if not data:
        message = _upload_error("choose the filled intake form (a PDF)")
        return await render_page(site, {}, message, 422)
    try:
        filled = read_form(data, site.library)
        if filled.topic.id != site.topic.id:
            raise IntakeFormError(f"this form is for another topic ({filled.topic.id})")
        names = {field: f"{FORM_NAMES[field]} (on the form)" for field in filled.fields}
        selection = site.read(filled.fields, names)
        made = await run_in_threadpool(site.make, selection)
    except IntakeFormError as exc:
        return await render_page(site, {}, _upload_error(str(exc)), 422)
    except RequestError as exc:
        return await render_page(site, filled.fields, exc, 422)
    except TextError as exc:  # a character on the form that the handout cannot print
        wrong = typed_field(exc)
        return await render_page(site, filled.fields, wrong or _upload_error(str(exc)), 422)
    return pdf_response(made.pdf, made.file_name, inline=False)


def _upload_error(message: str) -> RequestError:
    return RequestError("form", message, label="intake form")
