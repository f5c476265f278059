"""Checks that read the student's code rather than run it: which blocks never run when the grader loads the file,
what it imports (which the grader looks at before running it), where a name is used, and which functions recurse
(ex05 asks for a walk without recursion)."""

from __future__ import annotations

import ast
from typing import Any

__all__ = ["imports", "mentions", "never_run", "recursive_functions"]


def never_run(tree: ast.AST) -> set[int]:
    """The ids of the nodes in the blocks of a module that do not run when the grader loads it: `if __name__ ==
    '__main__':` and `if TYPE_CHECKING:`."""
    return {id(n) for t in getattr(tree, "body", ()) if isinstance(t, ast.If) and ast.unparse(t.test).removeprefix(
            "typing.") in ("__name__ == '__main__'", "TYPE_CHECKING") for n in ast.walk(ast.Module(t.body, []))}


def imports(tree: ast.AST) -> list[tuple[str, tuple[str, ...], int]]:
    """`(module, imported names, line)` of each import, `__import__` and `import_module` but in a block never run."""
    main = never_run(tree)
    out = []
    for node in (n for n in ast.walk(tree) if id(n) not in main):
        if isinstance(node, ast.Import):
            out += [(a.name, (), node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            out.append((node.module, tuple(a.name for a in node.names), node.lineno))
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant) \
                and isinstance(node.args[0].value, str):
            fn = node.func
            called = fn.id if isinstance(fn, ast.Name) else fn.attr if isinstance(fn, ast.Attribute) else ""
            if called in ("__import__", "import_module"):
                out.append((node.args[0].value, (), node.lineno))
    return out


def mentions(tree: ast.AST, name: str) -> int | None:
    """The line of the first use of `name` however it is reached (`f(...)`, `x.f`, `from m import f as g`,
    `getattr(x, "f")`) outside the blocks that never run, or None."""
    skip = never_run(tree)
    return next((n.lineno for n in ast.walk(tree) if id(n) not in skip and hasattr(n, "lineno") and name in (
        getattr(n, "attr", None), getattr(n, "id", None), getattr(n, "name", None), getattr(n, "value", None))), None)


def recursive_functions(tree: ast.AST, root: str | None = None) -> list[str]:
    """The functions of a module that call themselves, directly or through each other; with `root`, only those `root`
    calls, or is (a helper left for debugging, never called, is none). A name called, or handed to a call (`map(visit,
    ps)`: lazy iterators nest uncounted), is the def (or `visit = lambda`) so named in the caller, else in the innermost
    scope around it; in a method `self.f` is its class's `f`, `self(...)` and `map(self, ...)` its `__call__`;
    `C().f`, and `c.f` with `c = C()`, are class C's `f` (`list.pop` is none); `C(...)` is C's `__init__`. A call a
    plain `yield` hands out (`yield visit(p)`, `yield visit(p), i`) to a generator is none: a trampoline's generator,
    run by a loop over a stack, nests no calls (a plain function's call there still nests)."""
    kinds = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
    up = {c: n for n in ast.walk(tree) for c in ast.iter_child_nodes(n)}  # each node -> the node it is in
    defs = sorted((d for d in up if isinstance(d, kinds)), key=lambda d: (d.lineno, d.col_offset))
    bound = {d: [t.id for t in getattr(up[d], "targets", []) if isinstance(t, ast.Name)] for d in defs}
    names = {d: getattr(d, "name", None) or next(iter(bound[d]), "") for d in defs}  # a lambda: the name bound to it
    classes = {c.name: c for c in up.values() if isinstance(c, ast.ClassDef)}
    of_class = lambda c, name: [d for d in defs if up[d] is c and names[d] == name]  # noqa: E731  (c's method)

    def home(n: Any) -> Any:  # the def or class that n is in (None: the module)
        return n if (n := up.get(n)) is None or isinstance(n, (*kinds, ast.ClassDef)) else home(n)

    def around(d: Any) -> list:  # d, the defs it is in (innermost first), then None: the module (a class is no scope)
        return [d, *around(home(d))] if isinstance(d, kinds) else around(home(d)) if d is not None else [None]

    def instance(caller: Any, e: ast.expr) -> Any:  # the class C of `C(...)`, or of a name bound to `C(...)`
        if isinstance(e, ast.Name):  # in the caller or a scope around it
            e = next((a.value for scope in around(caller) for a in ast.walk(scope or tree) if isinstance(a, ast.Assign)
                      and any(getattr(t, "id", None) == e.id for t in a.targets)), None)
        return classes.get(getattr(getattr(e, "func", None), "id", None)) if isinstance(e, ast.Call) else None

    def target(caller: Any, n: ast.expr, call: ast.Call) -> list:  # the defs that n (call's function or argument) runs
        own = next((up[d] for d in around(caller)[:-1] if isinstance(up[d], ast.ClassDef)), None)  # a method's class
        called, name = n is call.func, getattr(n, "id", None)
        if isinstance(n, ast.Attribute):  # self.f, C().f, c.f with c = C(): that class's f (list.pop: none)
            c = own if getattr(n.value, "id", None) == "self" else instance(caller, n.value)
            return of_class(c, n.attr) if c else []
        if name in classes:
            return of_class(classes[name], "__init__") if called else []
        c = own if name == "self" else instance(caller, n)  # self(...), C()(...), c(...), map(self, ...): __call__
        if c and (called or getattr(call.func, "id", None) in ("map", "filter")):
            return of_class(c, "__call__")
        named = [d for d in defs[::-1] if names[d] == name and not isinstance(up[d], ast.ClassDef)]
        return [next((d for d in named if caller in around(d)[1:]), None) or next(
            (d for scope in around(caller) for d in named if home(d) is scope), None)]
    gens = {d for d in defs if any(isinstance(n, (ast.Yield, ast.YieldFrom)) for n in ast.walk(d))}
    handed = {id(v) for n in ast.walk(tree) if isinstance(n, ast.Yield) and n.value is not None
              for v in [n.value, *(n.value.elts if isinstance(n.value, ast.Tuple) else ())]}
    calls = {d: {f for c in ast.walk(d) if isinstance(c, ast.Call) for n in [c.func, *c.args]
                 for f in target(d, n, c) if f is not None and not (id(c) in handed and f in gens)} for d in defs}

    def reach(start: Any) -> set:  # what `start` calls, directly or not
        seen, todo = set(), list(calls[start])
        while todo:
            seen.add(f := todo.pop())
            todo.extend(calls[f] - seen)
        return seen
    top = [{d, *reach(d)} for d in defs if names[d] == root and home(d) is None][-1:]  # the module's `root` (as Python
    return [names[d] for d in defs if d in (top[0] if top else defs) and d in reach(d)]  # keeps it), what it calls
