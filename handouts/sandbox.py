"""The sandbox every template and placeholder renders in, with limits.

Jinja2's ``SandboxedEnvironment`` stops text from running code, but not from asking
for a billion-character string, a number with millions of digits, or loops nested
until the end of time. Here sizes are capped where values are made (``*``, ``**``,
``+``, ``%``, calls, filters and ``range``), and every render has a time budget,
checked as its loops go round. Breaking a limit is a ``SecurityError``, which every
caller already reports as a template problem.
"""

from __future__ import annotations

import contextvars
import functools
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from jinja2 import nodes
from jinja2.bccache import Bucket, FileSystemBytecodeCache
from jinja2.environment import Template
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

MAX_SIZE = 10_000
"""Characters in a string, or items in a list or range, that a template may make."""
MAX_NUMBER = 10**12
"""The largest number a template may make or pass to a function or filter."""
BUDGET = 2.0
"""Seconds one render may take; real wording takes milliseconds."""
BUDGET_NAME = "handouts_budget"

_deadline: contextvars.ContextVar[float] = contextvars.ContextVar("deadline", default=0.0)


def _check_time() -> None:
    deadline = _deadline.get()
    if deadline and time.monotonic() > deadline:
        raise SecurityError(f"the template took longer than {BUDGET:g} seconds to render")


def _budget(iterable: Iterable[Any]) -> Iterator[Any]:
    """``iterable``, checking the render's time budget as the loop goes round."""
    _check_time()
    for n, value in enumerate(iterable):
        if n % 256 == 0:
            _check_time()
        yield value


def _range(*args: int) -> range:
    numbers = range(*args)
    if len(numbers) > MAX_SIZE:
        raise SecurityError(f"range of more than {MAX_SIZE:,} numbers")
    return numbers


def _too_big(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return abs(value) > MAX_NUMBER
    if isinstance(value, float):
        return abs(value) > MAX_NUMBER
    if isinstance(value, (str, list, tuple, dict, set)):
        return len(value) > MAX_SIZE
    return False


def _refuse_big(values: Iterable[Any]) -> None:
    for value in values:
        if _too_big(value):
            raise SecurityError(f"value too large for a template (limit {MAX_SIZE:,} items)")


def _limited_filter(function: Any) -> Any:
    @functools.wraps(function)
    def checked(*args: Any, **kwargs: Any) -> Any:
        _check_time()
        _refuse_big(a for a in args if not _is_context(a))
        _refuse_big(kwargs.values())
        result = function(*args, **kwargs)
        _refuse_big((result,))
        return result

    return checked


def _is_context(value: Any) -> bool:
    from jinja2.nodes import EvalContext
    from jinja2.runtime import Context

    return isinstance(value, (Context, EvalContext, SandboxedEnvironment))


class _BudgetedTemplate(Template):
    """A template whose every render starts a new time budget."""

    def new_context(self, *args: Any, **kwargs: Any):
        _deadline.set(time.monotonic() + BUDGET)
        return super().new_context(*args, **kwargs)


class QuietBytecodeCache(FileSystemBytecodeCache):
    """Compiled templates kept on disk, as an optimisation only: a folder that cannot be
    made, read or written means compiling as usual."""

    def __init__(self, directory: Path):
        super().__init__(str(directory), "%s.jinja")
        self.path = directory

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        try:
            if not self.path.is_dir():
                self.path.mkdir(parents=True)
                self._forget_others()
            super().dump_bytecode(bucket)
        except Exception:
            return

    def _forget_others(self) -> None:
        """Remove the folders of other versions (of Jinja2, of this code): a new folder
        means they are no longer this installation's."""
        import shutil

        for other in self.path.parent.glob("templates-*"):
            if other != self.path and other.is_dir():
                shutil.rmtree(other, ignore_errors=True)


def bytecode_cache() -> QuietBytecodeCache | None:
    """The compiled-template cache in the cache folder, or None when caching is off."""
    from handouts.cache import templates_folder

    where = templates_folder()
    return QuietBytecodeCache(where) if where is not None else None


class LimitedSandbox(SandboxedEnvironment):
    """``SandboxedEnvironment`` with size limits and a time budget per render."""

    intercepted_binops = frozenset({"*", "**", "+", "%", "//"})
    template_class = _BudgetedTemplate

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.globals["range"] = _range
        self.globals[BUDGET_NAME] = _budget
        self.filters = {name: _limited_filter(f) for name, f in self.filters.items()}

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        """The template's tree, each ``{% for x in items %}`` as ``for x in budget(items)``."""
        tree = super()._parse(source, name, filename)
        for loop in tree.find_all(nodes.For):
            call = nodes.Call(nodes.Name(BUDGET_NAME, "load"), [loop.iter], [], None, None)
            loop.iter = call.set_lineno(loop.lineno).set_environment(self)
        return tree

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        _check_time()
        numbers = all(isinstance(v, (int, float)) for v in (left, right))
        if operator == "**" and numbers and (abs(right) > 64 or _too_big(left)):
            raise SecurityError("number too large for a template")
        if operator == "*" and not numbers:
            count = right if isinstance(right, int) else left
            sequence = left if isinstance(right, int) else right
            sized = isinstance(count, int) and hasattr(sequence, "__len__")
            if sized and len(sequence) * max(count, 0) > MAX_SIZE:
                raise SecurityError(f"value too large for a template (limit {MAX_SIZE:,})")
        if operator == "%" and isinstance(left, str) and any(c.isdigit() for c in left):
            _refuse_wide_format(left)
        result = super().call_binop(context, operator, left, right)
        _refuse_big((result,))
        return result

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        _check_time()
        _refuse_big(args)
        _refuse_big(kwargs.values())
        if getattr(__obj, "__name__", "") in ("format", "format_map"):
            template = getattr(__obj, "__self__", None)
            if isinstance(template, str):
                _refuse_wide_format(template)
        result = super().call(__context, __obj, *args, **kwargs)
        _refuse_big((result,))
        return result


def _refuse_wide_format(template: str) -> None:
    """Refuse format strings with field widths or precisions that make huge strings."""
    import re

    for digits in re.findall(r"\d+", template):
        if len(digits) > 4:
            raise SecurityError("format width too large for a template")
