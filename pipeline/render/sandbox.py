"""The Jinja environment every template is rendered in: Jinja's sandbox, with limits (issue 33).

A commune may keep its own Word templates, and templates travel between offices like documents:
what a template says must never run as code on the clerk's machine. Jinja's
``ImmutableSandboxedEnvironment`` refuses what a template could otherwise reach through Python
(``cycler.__init__.__globals__.os`` …: attributes starting with ``_`` and the internals of
functions, frames and code; methods that change a list, a dictionary or a set; ``str.format``
reaching those through its fields), and refuses ranges over 100,000 items. What it does not
bound — steps, sizes and time — is bounded here through ``limits``:

* every call, filter and intercepted operator (``+``, ``*``, ``**``, ``%``) is a step, checked for
  the size it would make before it runs and charged with the size it made;
* the template is changed once parsed (``_Guards``): each ``for`` loop counts its iterations,
  ``~`` (Jinja's join of texts) and slices (``x[a:b]``, which Jinja does not route through the
  environment) go through a checked function;
* what a ``{{ }}`` prints is weighed before it becomes text (``finalize``), and every rendered text
  (a part, a macro's body, a ``{% set %}`` block) is joined within ``limits.OUTPUT_LIMIT``
  (``concat``).

Autoescaping stays on and undefined names are errors (``StrictUndefined``), as before. The
environment keeps what it compiled by the template's text, so the six appendices share one
compiled template (``from_string``).
"""

from __future__ import annotations

import functools
from typing import Any, Callable, Iterable, Iterator

import jinja2
from jinja2 import nodes
from jinja2.runtime import LoopContext, markup_join, str_join
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.visitor import NodeTransformer

from pipeline.render import limits
from pipeline.render.limits import LimitExceeded, current, number

KEPT = 64  # compiled templates kept (a watch session sees a template again at each save)


class Environment(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox with autoescaping, ``StrictUndefined`` and ``limits``' bounds."""

    intercepted_binops = frozenset({"+", "*", "**", "%"})

    def __init__(self) -> None:
        super().__init__(autoescape=True, undefined=jinja2.StrictUndefined, finalize=_finalize)
        self.globals.pop("lipsum", None)  # its size is its arguments'; no document needs it
        self.filters = {name: _bounded_filter(name, f) for name, f in self.filters.items()}
        self._compiled: dict[str, jinja2.Template] = {}
        # the functions _Guards puts into a template, kept as attributes: one object each, known by identity
        self.vanban_loop = self._loop
        self.vanban_concat = self._concat
        self.vanban_made = self._made
        self._guards = (self.vanban_loop, self.vanban_concat, self.vanban_made)

    # ------------------------------------------------------------------ compiling

    def from_string(self, source, globals=None, template_class=None):
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        tpl = self._compiled.pop(source, None)
        if tpl is None:
            tpl = super().from_string(source)
        self._compiled[source] = tpl  # the most recently used last
        while len(self._compiled) > KEPT:
            del self._compiled[next(iter(self._compiled))]
        return tpl

    def _parse(self, source, name, filename):
        tree = _Guards().visit(super()._parse(source, name, filename))
        tree.set_environment(self)
        return tree

    # ------------------------------------------------------------------ running

    def call(__self, __context, __obj, *args, **kwargs):  # Jinja's own signature
        loop, concat, made = __self._guards
        if __obj is loop or __obj is concat or __obj is made:
            return __context.call(__obj, *args, **kwargs)
        budget = current()
        budget.step()
        if isinstance(__obj, LoopContext) and args:  # a recursive loop's next level
            args = (_Counted(args[0]), *args[1:])
        limits.check(limits.weights(args, kwargs))
        limits.check_method(__obj, args, kwargs)
        if getattr(__obj, "__name__", "") == "join" and isinstance(getattr(__obj, "__self__", None), str) and args:
            args = (list(args[0]), *args[1:])
            limits.check_join(__obj.__self__, args[0])
        return budget.charge(super().call(__context, __obj, *args, **kwargs))

    def call_binop(self, context, operator, left, right):
        budget = current()
        budget.step()
        limits.check_binop(operator, left, right)
        return budget.charge(super().call_binop(context, operator, left, right))

    def wrap_str_format(self, value):
        """``str.format`` as the sandbox wraps it, with the size it would make checked first."""
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        fmt = value.__self__

        @functools.wraps(wrapped)
        def bounded(*args: Any, **kwargs: Any) -> str:
            if value.__name__ == "format_map" and args and isinstance(args[0], dict):
                limits.check_format(fmt, (), args[0])
            else:
                limits.check_format(fmt, args, kwargs)
            return wrapped(*args, **kwargs)

        return bounded

    def concat(self, chunks: Iterable[str]) -> str:
        """Rendered text joined (a part, a macro's body, a ``{% set %}`` block), within ``OUTPUT_LIMIT``."""
        budget = current()
        kept, size = [], 0
        for chunk in chunks:
            size += len(chunk)
            if size > limits.OUTPUT_LIMIT:
                exc = LimitExceeded(f"phần văn bản dựng từ mẫu quá lớn (hơn {number(limits.OUTPUT_LIMIT)} ký tự)")
                throw = getattr(chunks, "throw", None)  # raised inside the template where it printed, to locate it
                raise throw(exc) if throw is not None else exc
            kept.append(chunk)
            if not len(kept) & 1023:
                budget.clock()
        return budget.charge("".join(kept))

    # ------------------------------------------------------------------ what _Guards puts into a template

    def _loop(self, iterable: Any) -> Any:
        return _Counted(iterable)

    @jinja2.pass_eval_context
    def _concat(self, eval_ctx, *values: Any) -> str:
        budget = current()
        budget.step()
        limits.check(limits.weights(values, {}))
        join = markup_join if eval_ctx.autoescape or eval_ctx.volatile else str_join  # as Jinja compiles ~
        return budget.charge(join(values))

    def _made(self, value: Any) -> Any:
        return current().charge(value)


class _Counted:
    """An iterable whose every item is a step of the budget; as long as the one it wraps, if that has a length."""

    __slots__ = ("items",)

    def __init__(self, items: Any):
        self.items = items

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[Any]:
        budget = current()
        for item in self.items:
            budget.step()
            yield item


class _Guards(NodeTransformer):
    """The parsed template changed where Jinja would spend without asking the environment."""

    def visit_For(self, node: nodes.For) -> nodes.Node:
        self.generic_visit(node)  # the children are changed in place
        node.iter = _guard("vanban_loop", [node.iter], node)
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
        self.generic_visit(node)
        return _guard("vanban_concat", list(node.nodes), node)

    def visit_Getitem(self, node: nodes.Getitem) -> nodes.Node:
        self.generic_visit(node)
        return _guard("vanban_made", [node], node) if isinstance(node.arg, nodes.Slice) else node


def _guard(name: str, args: list, like: nodes.Node) -> nodes.Call:
    return nodes.Call(nodes.EnvironmentAttribute(name, lineno=like.lineno), args, [], None, None, lineno=like.lineno)


def _finalize(value: Any) -> Any:
    """What a ``{{ }}`` prints, weighed before it becomes text (a list may hold one long text many times)."""
    if not isinstance(value, str):
        limits.check(limits.weight(value))
    return value


def _bounded_filter(name: str, func: Callable) -> Callable:
    """``func``, a filter: a step, its arguments within ``SIZE_LIMIT`` (and what it would make, for the
    filters of ``limits.FILTER_CHECKS``), its result charged."""
    passed = 1 if getattr(func, "jinja_pass_arg", None) is not None else 0  # Jinja's context, eval context or env
    checks = limits.FILTER_CHECKS.get(name)

    @functools.wraps(func)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        budget = current()
        budget.step()
        first, rest = args[:passed], args[passed:]
        limits.check(limits.weights(rest, kwargs))
        if checks is not None and rest:
            rest = checks(rest, kwargs)
        return budget.charge(func(*first, *rest, **kwargs))

    return bounded
