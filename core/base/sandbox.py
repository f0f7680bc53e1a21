"""The one Jinja2 environment every template renders in: sandboxed, bounded in size and time.

Templates come from the package, from the organisation's folder, and from apology drafts
that any operator can type and that another operator's console then previews. None
of them may reach Python's internals (``cycler.__init__.__globals__``: Jinja2's
sandbox refuses it), and none may freeze the console: ``{{ 'x'|center(1500000000) }}``
or ``{{ 9**9**9 }}`` must fail at once with a clear message, not allocate gigabytes.

``BoundedSandbox`` adds to Jinja2's ``SandboxedEnvironment``:

- no constant folding at compile time (Jinja2 would otherwise evaluate
  ``'x'|center(1500000000)`` while *parsing*, before any check could run);
- a ceiling on every number that sizes something: filter and method arguments
  (widths, counts), repetition (``'x' * n``), powers and ``%``/``format`` widths;
- a ceiling on the length of every piece of text a template builds (``~``, ``+``,
  ``{% set %}`` blocks, macros) and of the whole output (``max_chars``);
- a deadline for the whole render (``max_seconds``), checked on every line the
  template executes, so loops that produce nothing are stopped too.

Every refusal is a ``RenderLimit`` (a ``SecurityError``): callers that already report
template errors with file and line report these the same way.
"""

from __future__ import annotations

import functools
import re
import sys
import threading
import time
from collections.abc import Callable, Iterable
from types import FrameType
from typing import Any

import jinja2
from jinja2.compiler import CodeGenerator, Frame
from jinja2.nodes import Concat
from jinja2.sandbox import SandboxedEnvironment, SecurityError
from jinja2.utils import _PassArg
from markupsafe import Markup

MAX_CHARS = 2_000_000
"""Default ceiling on any text a render builds, and on its output (characters)."""
MAX_SECONDS = 3.0
"""Default deadline of one render."""
MAX_COUNT = 10_000
"""Largest number a template may pass as a width, count or repetition."""
MAX_INT_BITS = 4096
"""Largest integer arithmetic may produce (about 1,200 digits)."""

_WIDTH = re.compile(r"\d{6,}")  # a width or precision of 100,000 and more in a format
_state = threading.local()


class RenderLimit(SecurityError):
    """A template asked for more text, a bigger number or more time than allowed."""


def _size(value: Any) -> int:
    try:
        return len(value)
    except TypeError:
        return 0


def _check_count(value: Any) -> None:
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_COUNT:
        raise RenderLimit(f"the number {value} is too large here (at most {MAX_COUNT:,}).")


def _check_format(text: Any) -> None:
    if isinstance(text, str) and _WIDTH.search(text):
        raise RenderLimit("a width or precision in this format is too large.")


def _check_replace(text: Any, old: Any, new: Any, limit: int) -> None:
    if isinstance(text, str) and isinstance(old, str) and isinstance(new, str):
        grows = len(new) - len(old)
        if grows > 0 and len(text) + (text.count(old) if old else len(text) + 1) * grows > limit:
            raise RenderLimit("this replacement would make the text too long.")


def _guarded_filter(name: str, function: Callable[..., Any], env: BoundedSandbox) -> Any:
    """``function`` with its arguments checked first (the filtered value aside)."""
    skip = 0 if _PassArg.from_obj(function) is None else 1  # context, eval context or env

    @functools.wraps(function)  # keeps ``jinja_pass_arg``, so Jinja2 passes the same
    def guarded(*args: Any, **kwargs: Any) -> Any:
        values = list(args[skip:])
        for value in (*values[1:], *kwargs.values()):
            _check_count(value)
        if name == "format" and values:
            _check_format(values[0])
        if name == "replace" and len(values) >= 3:
            _check_replace(values[0], values[1], values[2], env.max_chars)
        if name == "indent" and values:
            width = kwargs.get("width", values[1] if len(values) > 1 else 4)
            lines = str(values[0]).count("\n") + 1
            if isinstance(width, str) and len(width) * lines > env.max_chars:
                raise RenderLimit("this indent would make the text too long.")
        return env.checked(function(*args, **kwargs))

    return guarded


class _Generator(CodeGenerator):
    """Jinja2's code generator with every ``~`` concatenation checked for length."""

    def visit_Concat(self, node: Concat, frame: Frame) -> None:
        self.write("environment.checked(")
        super().visit_Concat(node, frame)
        self.write(")")


class BoundedTemplate(jinja2.Template):
    """A template whose ``render`` stops at the environment's deadline."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        env = self.environment
        assert isinstance(env, BoundedSandbox)
        if getattr(_state, "deadline", None) is not None:  # already inside a render
            return super().render(*args, **kwargs)
        _state.deadline = time.monotonic() + env.max_seconds
        _state.seconds = env.max_seconds
        previous = sys.gettrace()
        sys.settrace(_trace)
        try:
            return super().render(*args, **kwargs)
        finally:
            sys.settrace(previous)
            _state.deadline = None


def _trace(frame: FrameType, event: str, arg: Any) -> Any:
    """Trace only template code (compiled templates carry ``__jinja_template__``)."""
    if "__jinja_template__" not in frame.f_globals:
        return None
    _tick()
    return _trace_lines


def _trace_lines(frame: FrameType, event: str, arg: Any) -> Any:
    if event == "line":
        _tick()
    return _trace_lines


def _tick() -> None:
    deadline = getattr(_state, "deadline", None)
    if deadline is not None and time.monotonic() > deadline:
        raise RenderLimit(f"the template took longer than {_state.seconds:g} s and was stopped.")


class BoundedSandbox(SandboxedEnvironment):
    """Jinja2's sandbox with ceilings on size, numbers and time (see the module docstring)."""

    code_generator_class = _Generator
    template_class = BoundedTemplate
    intercepted_binops = frozenset({"*", "**", "%", "+", "//"})

    def __init__(
        self, *, max_chars: int = MAX_CHARS, max_seconds: float = MAX_SECONDS, **options: Any
    ) -> None:
        options["optimized"] = False  # no evaluation of constants at compile time
        # A finalize that needs the context also stops Jinja2 from evaluating constant
        # output at compile time; it checks each printed value's length.
        options.setdefault("finalize", _checked_finalize)
        super().__init__(**options)
        self.max_chars = max_chars
        self.max_seconds = max_seconds
        self.filters = {
            name: _guarded_filter(name, function, self) for name, function in self.filters.items()
        }
        self.globals["lipsum"] = self._guard_call(self.globals["lipsum"])

    def _guard_call(self, function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            for value in (*args, *kwargs.values()):
                _check_count(value)
            return self.checked(function(*args, **kwargs))

        return guarded

    def checked(self, value: Any) -> Any:
        """``value``, or ``RenderLimit`` when it is text (or a list) longer than allowed."""
        if isinstance(value, (str, list, tuple)) and len(value) > self.max_chars:
            raise RenderLimit(
                f"the template built a text of more than {self.max_chars:,} characters."
            )
        return value

    def concat(self, parts: Iterable[str]) -> str:  # type: ignore[override]
        """Join output pieces, stopping as soon as the total is too long."""
        kept: list[str] = []
        total = 0
        for part in parts:
            total += len(part)
            if total > self.max_chars:
                raise RenderLimit(f"the template output more than {self.max_chars:,} characters.")
            kept.append(part)
        return "".join(kept)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        sized = (str, list, tuple)
        both_ints = isinstance(left, int) and isinstance(right, int)
        if operator == "*":
            for text, count in ((left, right), (right, left)):
                if isinstance(text, sized) and isinstance(count, int):
                    self.checked_size(_size(text) * max(count, 0), "this repetition")
            if both_ints and left.bit_length() + right.bit_length() > MAX_INT_BITS:
                raise RenderLimit("this multiplication gives too large a number.")
        elif operator == "**":
            if (
                both_ints
                and abs(left) > 1
                and right > 0
                and left.bit_length() * right > MAX_INT_BITS
            ):
                raise RenderLimit("this power gives too large a number.")
        elif operator == "%":
            _check_format(left)
        elif operator == "+" and isinstance(left, sized) and isinstance(right, sized):
            self.checked_size(_size(left) + _size(right), "this addition")
        return self.checked(super().call_binop(context, operator, left, right))

    def checked_size(self, size: int, what: str) -> None:
        """``RenderLimit`` when ``what`` would build more than ``max_chars`` items."""
        if size > self.max_chars:
            raise RenderLimit(f"{what} would make the text too long.")

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        wrapped = super().wrap_str_format(value)
        if wrapped is not None:  # ``"{:>1500000000}".format``: refused before it runs
            _check_format(value.__self__)
        return wrapped

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        for value in (*args, *kwargs.values()):
            _check_count(value)
        name = getattr(__obj, "__name__", "")
        owner = getattr(__obj, "__self__", None)
        if isinstance(owner, str):
            if name == "replace" and len(args) >= 2:
                _check_replace(owner, args[0], args[1], __self.max_chars)
            elif name == "join" and args:
                parts = list(args[0]) if not isinstance(args[0], str) else args[0]
                total = sum(_size(p) for p in parts) + len(owner) * max(len(parts) - 1, 0)
                if total > __self.max_chars:
                    raise RenderLimit("this join would make the text too long.")
                args = (parts, *args[1:])
        return __self.checked(super().call(__context, __obj, *args, **kwargs))


def markdown_text(value: Any) -> Any:
    """A value printed into Markdown: ``&``, ``<`` and ``>`` as entities, so raw HTML
    (``<script>``, ``<img onerror=...>``) shows as text in every Markdown viewer.
    ``Markup`` (text the template marked as already safe, such as a code fence) is kept.
    """
    if isinstance(value, Markup) or value is None:
        return value
    text = str(value)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@jinja2.pass_context
def _checked_finalize(context: Any, value: Any) -> Any:
    return context.environment.checked(value)


@jinja2.pass_context
def _markdown_finalize(context: Any, value: Any) -> Any:
    return context.environment.checked(markdown_text(value))


def markdown_options() -> dict[str, Any]:
    """Environment options for templates that write Markdown documents (the postmortem)."""
    return {"finalize": _markdown_finalize}
