"""The command class every ``handouts`` command is made with: Typer's, with two changes.

Plain text needs no coercion. Typer coerces each parameter of the command being run
through a pydantic ``TypeAdapter`` that it builds on every run; importing pydantic
and building one adapter per option was about 90 ms of a cold ``handouts make``,
a third of it. An option left unset, or holding text (``str``, ``list[str]``), is
passed through as Click parsed it; anything else (a path with checks, a number) goes
through Typer's own coercion as before, built only when that option is given.

Options may take an optional value (``--print [PRINTER]``), which Typer's parser
cannot: given with no value, the option gets ``""``.
"""

from __future__ import annotations

from typing import Any, ClassVar

from typer.core import TyperCommand, TyperGroup


class PlainCoercion:
    """Typer's runtime coercion of one parameter, without pydantic where none is needed."""

    __slots__ = ("typer",)

    def __init__(self) -> None:
        self.typer: Any = None

    def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
        if value is None:
            return () if (param.multiple or param.nargs == -1) else None
        annotation = param.type_descriptor.annotation
        if annotation is str and isinstance(value, str):
            return value
        if (
            annotation == list[str]
            and isinstance(value, (list, tuple))
            and all(isinstance(v, str) for v in value)
        ):
            return list(value)
        if self.typer is None:
            from typer._coercion import build_runtime_param

            self.typer = build_runtime_param(param.type_descriptor)
        return self.typer.coerce(value, param=param, ctx=ctx)


def plain_coercion(params: list[Any]) -> None:
    """Let ``params`` skip pydantic where they can."""
    for param in params:
        # Typer builds the coercion lazily into ``_runtime_param``; where a Typer
        # release does not, nothing is set and Typer coerces as it always does.
        if getattr(param, "_runtime_param", "absent") is None:
            param._runtime_param = PlainCoercion()


class Group(TyperGroup):
    """A Typer group whose own options (``--version``, completion) skip pydantic."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        plain_coercion(self.get_params(ctx))  # at parse time: Typer adds some later
        return super().parse_args(ctx, args)


class Command(TyperCommand):
    """A Typer command whose text options skip pydantic, and whose ``optional_values``
    options may be given without a value."""

    optional_values: ClassVar[tuple[str, ...]] = ()
    """Long options whose value may be left out (``--print`` alone gets ``""``)."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        plain_coercion(self.get_params(ctx))
        if self.optional_values:
            takes_value = {
                opt
                for param in self.params
                if not getattr(param, "is_flag", True)
                for opt in param.opts
                if opt not in self.optional_values
            }
            args = with_optional_values(args, self.optional_values, takes_value)
        return super().parse_args(ctx, args)


def with_optional_values(
    args: list[str], options: tuple[str, ...], takes_value: set[str]
) -> list[str]:
    """``args`` with ``--opt=`` for each of ``options`` given without a value (at the
    end, or followed by another option); ``takes_value``: the options whose next
    argument is theirs, whatever it looks like (``--name --print`` names a patient)."""
    out: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            return out + args[i:]
        following = args[i + 1] if i + 1 < len(args) else None
        if arg in takes_value and following is not None:
            out += [arg, following]
            i += 2
            continue
        if arg in options and (following is None or following.startswith("-")):
            arg = f"{arg}="
        out.append(arg)
        i += 1
    return out
