"""Reading YAML safely, keeping the node tree so every problem has its line."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from handouts.errors import ContentError, Problem

if TYPE_CHECKING:
    pass


@dataclass
class Document:
    """One parsed YAML file: its data and the node tree the lines come from."""

    path: Path
    data: Any
    node: Any

    def line(self, loc: tuple[Any, ...] = ()) -> int:
        return line_of(self.node, loc)


def read_yaml(path: Path, display: Path | str | None = None) -> Document:
    """Parse ``path`` with the safe loader (the C one when available)."""
    import yaml

    loader_class = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    shown = display or path
    text = _utf8_text(path, shown)
    if (deep := _too_deep(text, loader_class)) is not None:
        message = f"nested more than {MAX_DEPTH} levels deep; content never needs that"
        raise ContentError([Problem(shown, deep, "", message)])
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        if (key := _duplicate_key(node)) is not None:
            line = key.start_mark.line + 1
            message = f"key {key.value!r} appears twice in the same mapping"
            raise ContentError([Problem(shown, line, "", message)])
        if (repeated := _repeated_node(node)) is not None:
            line = repeated.start_mark.line + 1
            raise ContentError(
                [
                    Problem(
                        shown,
                        line,
                        "",
                        "anchors and aliases (& and *) are not allowed; write the value out",
                    )
                ]
            )
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        reason = exc.problem or exc.context or "not valid YAML"
        raise ContentError([Problem(shown, line, "", f"invalid YAML: {reason}")]) from None
    except yaml.YAMLError as exc:
        raise ContentError([Problem(shown, None, "", f"invalid YAML: {exc}")]) from None
    finally:
        loader.dispose()
    return Document(Path(shown), data, node)


MAX_DEPTH = 50


"""Nesting levels a content or practice file may have (the deepest real one has 5)."""


def _utf8_text(path: Path, shown: Path | str) -> str:
    """The file's text; bytes that are not UTF-8 are reported at their line and column."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ContentError([Problem(shown, None, "", f"cannot read: {exc.strerror}")]) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        message = (
            f"not UTF-8 text: byte 0x{data[exc.start]:02x} at column {column} "
            "(save the file as UTF-8)"
        )
        raise ContentError([Problem(shown, line, "", message)]) from None


def _too_deep(text: str, loader_class: Any) -> int | None:
    """The line where nesting passes ``MAX_DEPTH``, found from the parser's event stream
    (which keeps no recursion) before any tree is built; None if it never does."""
    import yaml

    depth = 0
    try:
        for event in yaml.parse(text, Loader=loader_class):
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    return event.start_mark.line + 1
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.MarkedYAMLError as exc:
        # libyaml 0.2.6 and later stop at their own depth limit, in the scanner, before
        # the parser has passed ours
        if exc.problem and "nesting depth" in exc.problem and exc.problem_mark:
            return exc.problem_mark.line + 1
        return None  # reported with its line when the file is loaded
    except yaml.YAMLError:
        return None
    return None


def _duplicate_key(root: Any) -> Any:
    """The second of two equal keys in one mapping (YAML would keep the last), or None."""
    stack = [root] if root is not None else []
    seen_nodes: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen_nodes:
            continue
        seen_nodes.add(id(node))
        value = getattr(node, "value", None)
        if not isinstance(value, list):
            continue
        keys: set[str] = set()
        for child in value:
            if isinstance(child, tuple):
                key, item = child
                name = getattr(key, "value", None)
                if isinstance(name, str):
                    if name in keys:
                        return key
                    keys.add(name)
                stack.append(item)
            else:
                stack.append(child)
    return None


def _repeated_node(root: Any) -> Any:
    """A node that appears twice in the tree (an alias), or None.

    Aliases let a few lines expand into millions of values ("billion laughs"), and
    content never needs them, so they are refused before anything is built.
    """
    seen: set[int] = set()
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if id(node) in seen:
            return node
        seen.add(id(node))
        value = getattr(node, "value", None)
        if isinstance(value, list):
            for child in value:
                stack.extend(child if isinstance(child, tuple) else (child,))
    return None


def line_of(node: Any, loc: tuple[Any, ...]) -> int:
    """The line of the deepest node ``loc`` reaches (1-based).

    A key that is missing resolves to its parent's line; the last part of
    ``loc`` resolves to the line of its key, where an author looks for it.
    """
    if node is None:
        return 1
    line = node.start_mark.line + 1
    for part in loc:
        value = getattr(node, "value", None)
        if isinstance(value, list) and isinstance(part, int) and 0 <= part < len(value):
            node = value[part]
            line = node.start_mark.line + 1
            continue
        if isinstance(value, list) and value and isinstance(value[0], tuple):
            for key, child in value:
                if getattr(key, "value", None) == str(part):
                    line = key.start_mark.line + 1
                    node = child
                    break
            else:
                return line
            continue
        return line
    return line


def _read(path: Path, display: Path, problems: list[Problem]) -> Document | None:
    try:
        return read_yaml(path, display)
    except ContentError as exc:
        problems.extend(exc.problems)
        return None
