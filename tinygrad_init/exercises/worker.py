"""The grader's worker process, and the wire format that the grader and the worker speak.

The grader (`runner.py`) starts one worker per exercise, as a plain script:

    python .../tinygrad_init/exercises/worker.py CAPTURE POLICY

The worker runs the student's file and calls the student's function on the inputs the grader sends. It sends back
**raw outputs only** (numbers, arrays, tuples, ...): it holds no reference answer and takes no decision, so nothing
the student's code does in this process (patching numpy, the worker, or anything else) can turn a wrong answer into a
pass. The grader computes every reference and every comparison in its own process.

Before any student code runs, the worker

- takes over the two pipes it was started with (stdin: requests, stdout: replies) as private file descriptors, and
  points fds 0, 1 and 2 at the null device and the capture file, so that what the student's code prints (even with
  `os.write(1, ...)`) lands in the capture file and never on the channel;
- imports what it needs (numpy) before the student's folder is on `sys.path`, and appends that folder at the end, so
  that a scratch `numbers.py` or `json.py` there cannot shadow the standard library;
- installs an audit hook (never removed) that refuses imports of the libraries an exercise forbids (`tinygrad_init`,
  `torch`, ...), reading or linking their files, starting other programs (or C code, or raw memory, through `ctypes`),
  which run without the hook, and opening another process's entries in /proc (the grader's memory), signalling a process
  outside its group (the grader) or setting its limits (os.pidfd_open: no event), starting more than `MAX_FORKS`
  processes, and walking every object (`gc.get_objects`, which reaches the hook); the hook reads no name the student's
  code can rebind (of this module, `os`, `os.path`, builtins) nor an object of this module (numpy's array interface
  writes any address), its state shows in no refusal's traceback nor another thread's frames, and it calls no method
  of an object in an event (a path, flags, a pid: read by type); keeps Python's recursion limit (no threads where it
  counts: each has a depth of its own; `sys.setrecursionlimit` does nothing) and makes no built-in module afresh (a
  new `posix`: pidfd_open); sets a memory limit; refuses in another folder an exercise's file or folder, a git folder,
  moving anything from or to there, and opening a folder but the student's and the temp folder's (as dir_fd, a path
  names any file; the grader's TMPDIR for it is a fresh folder). Out of reach: other files there (a classmate's
  helpers); `python -m` run in the student's folder; a derivative by complex step or a difference quotient; a signal
  handler (or gc callback) of the student's that walks up to the hook's frame as it runs (3.13+: rewrites its locals).

Frames are a 4-byte big-endian length and a JSON object. Every request carries a fresh random
`n`; a reply counts only when it echoes the `n` of the request the grader is waiting for.

This file uses only the standard library and numpy, never `tinygrad_init`: the grader imports it for the wire format.
"""

from __future__ import annotations

import base64
import contextlib
import json
import math
import os
import struct
import sys
import traceback
import types
from collections.abc import Callable
from typing import Any

MAX_FRAME = 64 << 20  # bytes of one frame
MAX_ITEMS = 200_000  # items of one list, tuple or dict sent back
MAX_DEPTH = 20
MAX_WRITTEN = 64 << 20  # bytes the student's code may print (or write to one file)
MAX_FORKS = 16  # processes the worker may start (which may start none): a fork bomb stops there
_HEADER = struct.Struct(">I")
_NUMERIC = "biufc"


# ------------------------------------------------------------------ frames


def write_frame(fd: int, obj: dict) -> None:
    """Send one JSON object as a frame (raises ValueError when it is too large)."""
    data = json.dumps(obj, allow_nan=False, separators=(",", ":")).encode("utf-8")
    if len(data) > MAX_FRAME:
        raise ValueError(f"a frame of {len(data)} bytes is more than the limit of {MAX_FRAME}")
    view = memoryview(_HEADER.pack(len(data)) + data)
    while view:
        view = view[os.write(fd, view):]


def read_exact(fd: int, n: int) -> bytes | None:
    """`n` bytes from `fd`, or None at end of file."""
    data = bytearray()
    while len(data) < n and (chunk := os.read(fd, min(n - len(data), 1 << 20))):
        data += chunk
    return bytes(data) if len(data) == n else None


def parse_frame(header: bytes) -> int:
    """The payload length announced by a header (ValueError when it is not a plausible frame)."""
    (size,) = _HEADER.unpack(header)
    if size > MAX_FRAME:
        raise ValueError(f"a frame announced {size} bytes, more than the limit of {MAX_FRAME}")
    return size


def parse_payload(data: bytes) -> dict:
    """A payload as a dict (ValueError for anything else: bad UTF-8, bad JSON, NaN, not an object)."""
    def no_constants(name: str) -> Any:
        raise ValueError(f"unexpected constant {name}")

    obj = json.loads(data.decode("utf-8"), parse_constant=no_constants)
    if not isinstance(obj, dict):
        raise ValueError("a frame must hold a JSON object")
    return obj


# ------------------------------------------------------------------ values on the wire


class Node:
    """A graph node handed to the student (exercise 5): a label and the parents it was computed from, read-only (a walk
    that took them away would leave a second backward nothing to walk)."""

    __slots__ = ("__weakref__", "_made_of", "data", "label")
    _parents = property(lambda self: self._made_of)

    def __init__(self, label: str, parents: tuple = (), data: float = 0.0) -> None:
        self.label, self._made_of, self.data = label, parents, data

    def __repr__(self) -> str:
        return f"Node({self.label!r})"


def _cubic_sin(arg: Any) -> Callable:
    def f(x: Any) -> float:
        """f(x) = sum(c * x**3) + sum(sin(x)), + sum(v * tanh(W @ x.ravel() + b)) when arg is (c, W, b, v)."""
        import numpy as np

        c, *net = arg if isinstance(arg, tuple) else (arg,)
        tanh = np.sum(net[2] * np.tanh(net[0] @ np.ravel(x) + net[1])) if net else 0.0
        return float(np.sum(c * x**3) + np.sum(np.sin(x)) + tanh)

    return f


#: The functions the grader may hand to the student (exercise 10), by name.
FUNCTIONS: dict[str, Callable[..., Callable]] = {"cubic_sin": _cubic_sin}


def _float(x: Any) -> Any:  # an int as it is (+-inf past 10,000 bits: unprintable), others as floats (nan, inf tagged)
    x = x if not isinstance(x, int) or int.bit_length(x) <= 10_000 else math.inf if x > 0 else -math.inf
    return x if isinstance(x, int) or math.isfinite(x := float(x)) else {"t": "float", "v": repr(x)}


def encode(value: Any, nodes: dict[int, int] | None = None, depth: int = 0, inputs: bool = False) -> Any:
    """`value` as JSON data.

    Numbers, strings, None, tuples, lists, dicts and numeric arrays keep their content; a graph
    node handed out by the worker becomes its index; anything else becomes a description (its
    type, and its `.data` when that is a number or an array). With `inputs=True` (the grader's
    side) objects with a `__wire__()` method give their own tag (a seed, a graph, a function).
    """
    import numpy as np

    if inputs and hasattr(value, "__wire__"):
        return value.__wire__()
    if inputs and isinstance(value, (tuple, list)):
        return {"t": "tuple" if isinstance(value, tuple) else "list", "v": [encode(v, inputs=True) for v in value]}
    if value is None or isinstance(value, (int, float, str)) or type(value).__name__ in ("Fraction", "Decimal"):
        return value[:10_000] if isinstance(value, str) else value if value is None else _float(value)  # bool: int
    if isinstance(value, np.generic) and value.dtype.kind in _NUMERIC and value.dtype.kind != "c":
        item = value.item() if value.dtype.kind != "f" else float(value)  # a long double's item() is not a float
        return {"t": "scalar", "dtype": value.dtype.str, "v": _float(item) if isinstance(item, float) else item}
    if isinstance(value, np.ndarray) and value.dtype.kind in _NUMERIC:
        data = value if value.flags.c_contiguous else value.copy(order="C")
        return {"t": "array", "dtype": data.dtype.str, "shape": list(value.shape),
                "data": base64.b64encode(data.tobytes()).decode("ascii")}
    if nodes is not None and isinstance(value, Node) and id(value) in nodes:
        return {"t": "node", "i": nodes[id(value)]}
    kind = next((k for k, t in (("tuple", tuple), ("list", list), ("set", (set, frozenset)), ("dict", dict))
                 if isinstance(value, t)), None)
    if kind is not None and depth < MAX_DEPTH and len(value) <= MAX_ITEMS:
        if kind == "dict":
            return {"t": "dict", "k": [encode(k, nodes, depth + 1) for k in value],
                    "v": [encode(value[k], nodes, depth + 1) for k in value]}
        return {"t": kind, "v": [encode(v, nodes, depth + 1) for v in value]}
    out: dict[str, Any] = {"t": "obj", "type": type(value).__name__}
    if isinstance(value, np.ndarray):
        out.update(dtype=str(value.dtype), shape=list(value.shape))
    elif kind is not None:
        out["len"] = len(value)
    else:
        data = getattr(value, "data", None)
        if isinstance(data, (int, float, np.ndarray, np.generic)) and not isinstance(data, bool):
            out["data"] = encode(data, depth=MAX_DEPTH)
    return out


def to_python(obj: Any, nodes: dict[int, int]) -> Any:
    """Inputs from the grader as live objects: arrays, tuples, seeds as Generators, graphs of Nodes, functions.

    `nodes` collects `id(node) -> index` of the graph nodes made, to send them back by index."""
    import numpy as np

    if isinstance(obj, list):
        return [to_python(v, nodes) for v in obj]
    if not isinstance(obj, dict):
        return obj
    tag = obj["t"]
    if tag == "float":
        return float(obj["v"])
    if tag == "scalar":
        return np.dtype(obj["dtype"]).type(to_python(obj["v"], nodes))
    if tag == "array":
        return np.frombuffer(base64.b64decode(obj["data"]), dtype=np.dtype(obj["dtype"])).reshape(obj["shape"]).copy()
    if tag in ("tuple", "list"):
        return (tuple if tag == "tuple" else list)(to_python(v, nodes) for v in obj["v"])
    if tag == "dict":
        return {to_python(k, nodes): to_python(v, nodes) for k, v in zip(obj["k"], obj["v"])}
    if tag == "rng":
        return np.random.default_rng(obj["seed"])
    if tag == "dtype":
        return np.dtype(obj["name"]).type
    if tag == "fn":
        return FUNCTIONS[obj["name"]](to_python(obj["arg"], nodes))
    if tag == "graph":  # nodes in any order (a parent may come after its child), the root last
        made = [Node(label) for label, _ in obj["nodes"]]
        for i, (node, (_, parents)) in enumerate(zip(made, obj["nodes"])):
            node._made_of, nodes[id(node)] = tuple(made[p] for p in parents), i
        return made[-1]
    raise ValueError(f"unknown tag {tag!r}")


class NodeRef(int):
    """A graph node the student's function returned, as its index in the graph the grader sent."""


class Opaque:
    """Something the student's function returned that is not plain data: its type, and what it held: `data` the
    decoded `.data` of a `Value`- or `Tensor`-like object, `length` the size of a set or of a too-large container,
    `dtype` and `shape` those of a non-numeric array."""

    def __init__(self, type: str, data: Any = None, length: int | None = None, dtype: str | None = None,
                 shape: tuple | None = None) -> None:
        self.type, self.data, self.length, self.dtype, self.shape = type, data, length, dtype, shape

    def __repr__(self) -> str:
        return f"<{self.type}>"


class WireError(ValueError):
    """Data from the worker that the worker would never send: someone else wrote it."""


_DTYPE_CHARS = set("<>|=biufc0123456789")


def _need(ok: bool, what: str) -> None:
    if not ok:
        raise WireError(what)


def from_wire(obj: Any, depth: int = 0) -> Any:
    """Decode the worker's data strictly (the grader's side); WireError for anything malformed."""
    import numpy as np

    _need(depth <= MAX_DEPTH + 2, "too deeply nested")
    if obj is None or isinstance(obj, (bool, int, float, str)):
        return obj
    _need(isinstance(obj, dict) and isinstance(obj.get("t"), str), "not a tagged value")
    tag, v = obj["t"], obj.get("v")
    if tag == "float":
        _need(v in ("nan", "inf", "-inf"), "bad float")
        return float(v)
    if tag in ("scalar", "array"):
        dtype = obj.get("dtype")
        _need(isinstance(dtype, str) and 0 < len(dtype) <= 4 and set(dtype) <= _DTYPE_CHARS, "bad dtype")
        try:
            dt = np.dtype(dtype)
        except TypeError:
            raise WireError("bad dtype") from None
        _need(dt.kind in _NUMERIC and dt.itemsize <= 16, "bad dtype")
        if tag == "scalar":
            _need(dt.kind != "c", "bad scalar")
            return dt.type(from_wire(v, depth + 1))
        shape, data = obj.get("shape"), obj.get("data")
        _need(isinstance(shape, list) and len(shape) <= 32 and all(type(n) is int and n >= 0 for n in shape)
              and isinstance(data, str), "bad array")
        try:
            raw = base64.b64decode(data, validate=True)
        except ValueError:
            raise WireError("bad array data") from None
        _need(len(raw) == math.prod(shape) * dt.itemsize, "array size does not match its shape")
        return np.frombuffer(raw, dtype=dt).reshape(shape).copy()
    if tag in ("tuple", "list", "set"):
        _need(isinstance(v, list), "bad sequence")
        if tag == "set":
            return Opaque("set", length=len(v))
        return (tuple if tag == "tuple" else list)(from_wire(x, depth + 1) for x in v)
    if tag == "dict":
        keys, values = obj.get("k"), obj.get("v")
        _need(isinstance(keys, list) and isinstance(values, list) and len(keys) == len(values), "bad dict")
        try:
            return {from_wire(k, depth + 1): from_wire(x, depth + 1) for k, x in zip(keys, values)}
        except TypeError:
            return Opaque("dict", length=len(keys))
    if tag == "node":
        _need(type(obj.get("i")) is int and obj["i"] >= 0, "bad node")
        return NodeRef(obj["i"])
    if tag == "obj":
        kind, shape, length, dtype = obj.get("type"), obj.get("shape"), obj.get("len"), obj.get("dtype")
        _need(isinstance(kind, str) and len(kind) <= 200 and (length is None or type(length) is int), "bad object")
        _need(shape is None or (isinstance(shape, list) and all(type(n) is int for n in shape)), "bad shape")
        return Opaque(kind, from_wire(obj.get("data"), depth + 1), length, str(dtype)[:40] if dtype else None,
                      tuple(shape) if shape is not None else None)
    raise WireError(f"unknown tag {tag[:40]!r}")


# ------------------------------------------------------------------ running the student's code


def raised(exc: BaseException, folder: str) -> dict:
    """What the grader needs to tell the student about an exception their code raised."""
    try:
        message = str(exc)
    except BaseException:  # noqa: BLE001 - a student's exception may fail to print (even by sys.exit())
        message = "<message could not be printed>"
    frames = traceback.extract_tb(exc.__traceback__)[::-1]  # the innermost in a file of the student's folder:
    frame = next((f for f in frames if not f.filename.startswith("<") and os.path.dirname(os.path.abspath(f.filename))
                  == folder), None)
    info = {"type": type(exc).__name__, "message": message[:500], "file": "", "line": 0, "function": "",
            "text": "", "code": None, "kinds": [c.__name__ for c in type(exc).__mro__]}
    if frame is not None:
        info.update(file=os.path.basename(frame.filename), line=frame.lineno or 0,
                    function=frame.name if frame.name != "<module>" else "", text=(frame.line or "").strip()[:200])
    if isinstance(exc, SystemExit):
        info["code"] = exc.code if exc.code is None or isinstance(exc.code, int) else str(exc.code)[:200]
    return info


def load(path: str, stem: str, function: str) -> tuple[Any, dict]:
    """Run the student's file as the module `stem`; return (its function or None, the reply)."""
    module = types.ModuleType(stem)
    module.__file__ = path
    sys.modules[stem] = module
    try:
        with open(path, "rb") as fh:
            code = compile(fh.read(), path, "exec", dont_inherit=True)
        exec(code, module.__dict__)
    except BaseException as exc:  # noqa: BLE001 - student code may raise anything
        return None, {"raised": raised(exc, os.path.dirname(path))}
    fn = module.__dict__.get(function)
    if fn is None:
        return None, {"missing": True}
    if not callable(fn):
        return None, {"not_callable": encode(fn)}
    return fn, {"ok": True}


def serve(fn: Callable, request: dict, folder: str, encode: Callable = encode, to_python: Callable = to_python,
          raised: Callable = raised) -> dict:
    """Call `fn` on a request's inputs; the reply holds its output (or what it raised) as wire data. It is called
    `calls` times on the same objects (a graph walked twice), the last output sent; `keep` lists the positions of
    arguments whose state after the calls is sent back as well. The helpers are bound as defaults, so that a student's
    file that replaces module attributes (`worker.encode = ...`) does not change how its answers travel."""
    nodes: dict[int, int] = {}
    args = to_python(request.get("args", []), nodes)
    kwargs = {k: to_python(v, nodes) for k, v in request.get("kwargs", {}).items()}
    try:
        for _ in range(request.get("calls", 1)):
            out = fn(*args, **kwargs)
    except BaseException as exc:  # noqa: BLE001 - even SystemExit and KeyboardInterrupt are the student's
        return {"raised": raised(exc, folder)}
    try:
        return {"ok": encode(out, nodes), "after": [encode(args[i], nodes) for i in request.get("keep", [])]}
    except BaseException as exc:  # noqa: BLE001 - an odd object may fail to describe itself
        return {"raised": raised(exc, folder), "encoding": True}


# ------------------------------------------------------------------ the process


#: Audit events that start another program or another interpreter (which has none of this process's audit hooks),
#: and the modules that start them (some without an event): `multiprocessing`'s and `subprocess`'s, the interpreters'
#: and CPython's test modules (`_testcapi.run_in_subinterp`): code that would run without this policy (a fork keeps
#: it). Also every `ctypes.*` event (C functions, and raw memory, where the policy's own state lies), gc's walks over
#: every object (they reach the policy's function), symbolic links (one in a folder descriptor leads anywhere), what
#: opens files in C with no "open" event (readline's history: any text; sqlite3's and dbm's databases), and Tcl
#: (tkinter), which also runs programs, a script run in another Python process (`sys.remote_exec`, 3.14), and another
#: thread's frames (`sys._current_frames`: the policy's own, with its state, while it checks an event).
_GETS_AROUND_THE_RULES = ("subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.startfile",
                          "cpython.PyInterpreterState_New", "multiprocessing.popen_spawn_posix",
                          "multiprocessing.popen_forkserver", "_posixsubprocess", "_xxsubinterpreters", "_interpreters",
                          "_testcapi", "_testinternalcapi", "gc.get_objects", "gc.get_referrers", "gc.get_referents",
                          "os.symlink", "readline", "sqlite3.connect", "_dbm", "_gdbm", "_tkinter", "sys.remote_exec",
                          "sys._current_frames", "sys._current_exceptions")

#: Audit events on files -> the positions of their path arguments: a protected file may not be opened, linked, moved,
#: replaced or removed; a compiled module ("import" with its file) loaded.
_PATH_ARGS = {"open": (0,), "os.link": (0, 1), "os.rename": (0, 1), "os.remove": (0,), "os.rmdir": (0,), "import": (1,),
              "os.mkdir": (0,), "os.truncate": (0,), "os.chmod": (0,), "shutil.rmtree": (0,)}


def _install_policy(policy: dict) -> None:
    """Refuse, for good, imports of the forbidden libraries, opening (or linking) their files or another process's
    /proc entries, running other programs, and what gets around these rules.

    The hook reads no name the student's code can rebind (of this module, `os.path`, the builtins), only `rules`, a
    tuple of strings, numbers and C functions taken now (numpy's array interface writes any address: no refusal's
    traceback shows the frame that holds them, nor may another thread see it, nor an object's method it calls). It
    resolves symbolic links with `os.readlink`, and reads a str or bytes subclass as C does."""
    import _posixsubprocess, _thread, itertools, site, subprocess, threading, warnings

    deny, message = tuple(policy.get("deny", ())), policy.get("message", "write it yourself")
    protect = [os.path.realpath(p) + os.sep for p in policy.get("protect", ())]
    for root, where, finder in itertools.product(deny, [None, *([p] for p in sys.path)], sys.meta_path):  # each copy
        try:  # (a wheel, a clone: on the path, or mapped by an editable install's finder)
            spec = finder.find_spec(root, where)
        except Exception:  # noqa: BLE001 - a finder of the installation's that fails: it finds nothing
            spec = None
        if spec is not None and spec.origin and spec.origin not in ("built-in", "frozen"):
            # a package's folder; a module's own file and its cached bytecode (graphlib.py: not the standard library)
            path = spec.origin if spec.submodule_search_locations is None else os.path.dirname(spec.origin)
            protect += [os.path.realpath(p) + os.sep for p in (path, spec.cached) if p]
    # The package (this file's grandparent) and the Python installation, unless the student's folder lies in them: the
    # only place a compiled module may come from. Those and the grader's import path (its folder under `python -m`) that
    # the student may write to or make (a user site) are never written to nor opened as a folder (a descriptor whose
    # files the events do not show), but for the student's folder in one that holds it (`outer`): the grader imports
    # from them the next time (a .pth at every start). Nor are the terminals (the report) nor the worker's /proc (mem).
    roots = {os.path.realpath(p) + os.sep for p in (os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
             sys.prefix, sys.base_prefix, *sys.path, site.getusersitepackages(), sys.pycache_prefix or sys.prefix)}
    mine = os.getcwd() + "/"  # the student's folder (`own`: and the worker's TMPDIR, not /tmp, which holds others')
    own = (mine, *(t for t in [os.path.realpath(__import__("tempfile").gettempdir()) + "/"] if not mine.startswith(t)))
    installed = tuple(r for r in roots if not mine.startswith(r))
    writable = [r for r in roots | {os.path.realpath(p) + os.sep for p in policy.get("path", ())}
                if os.access(r, os.W_OK) or not os.path.exists(r)]
    outer = tuple(r for r in writable if mine.startswith(r))
    guarded = (*(r for r in writable if r not in outer), "/dev/pts/", "/dev/tty/", f"/proc/{os.getpid()}/")
    # A relative path may be opened from a folder descriptor (`dir_fd`) the event does not show: try it against every
    # folder above a protected or guarded one as well (those in them may not be opened; they may not be moved).
    above = set()
    for p in [*protect, *guarded, *outer]:
        p = os.path.dirname(p.rstrip(os.sep))
        while p not in above:
            above.add(p)
            p = os.path.dirname(p)
    above = {p for p in above if not (q := p.rstrip(os.sep) + os.sep).startswith((*protect, *guarded)) and (
        not q.startswith(outer) or q.startswith(mine))}  # (a folder in `outer` but not in the student's: guarded)

    def refuse(*args: Any, name: str = "_posixsubprocess.fork_exec", **kwargs: Any) -> None:
        raise PermissionError(message.replace("{name}", f"`{name}` (it gets around the rules)"))

    _posixsubprocess.fork_exec = subprocess._fork_exec = refuse  # Popen's, with no event (a copy: an import, refused)
    if not policy.get("threads"):  # where recursion is refused (a new thread starts at depth 0); 3.13: the last two
        _thread.start_new_thread = _thread.start_new = _thread.start_joinable_thread = threading._start_new_thread \
            = threading._start_joinable_thread = lambda *a, **k: refuse(name="threads")
    for call in ("pidfd_open", "mkfifo", "mknod"):  # no event (a FIFO json.py where Python imports from: it hangs)
        setattr(os, call, lambda *a, call=call, **k: refuse(name=f"os.{call}"))
        setattr(sys.modules[os.name], call, getattr(os, call))
    with warnings.catch_warnings():  # (a built-in that warns on import, Debian's spwd: not the student's output)
        warnings.simplefilter("ignore")
        list(map(__import__, sys.builtin_module_names))  # made now, none afresh later (a new posix holds pidfd_open):
    sys.modules["_imp"].create_builtin = lambda *a, **k: refuse(name="_imp.create_builtin")
    sys.setrecursionlimit = lambda limit: None  # however it is reached: no way around recursion (exercise 5)
    is_a = lambda x, t, type=type, sub=issubclass: sub(type(x), t)  # noqa: E731 - no __class__ of the student's
    rules = (deny, tuple(protect), installed, guarded, os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC,
             tuple(sorted(above)), message, tuple((name + ".")[:-1] for name in _GETS_AROUND_THE_RULES),
             tuple(((name + ".")[:-1], (*at,)) for name, at in _PATH_ARGS.items()),
             os.getpid(), itertools.count().__next__, MAX_FORKS, (outer, own),
             (sys.getfilesystemencoding(), sys.getfilesystemencodeerrors()), is_a, str, bytes, int, str.__str__,
             bytes.decode, OSError, PermissionError, ImportError, BlockingIOError, os.getcwd, os.getpid, os.getpgid,
             os.readlink, os.stat, os.write, os._exit)

    def check(event: str, args: tuple, rules: tuple = rules) -> None:
        (deny, protected, installed, guarded, writing, above, message, around, paths, worker, forks, max_forks,
         (outer, own), fs, isinstance, str, bytes, int, plain, decode, OSError, PermissionError, ImportError,
         BlockingIOError, getcwd, getpid, getpgid, readlink, stat, write, exit_) = rules
        name = plain(args[0]) if event == "import" else event  # a str subclass cannot answer for itself
        if event == "import" and name.partition(".")[0] in deny:
            raise ImportError(message.replace("{name}", name))
        if name in around or name.rpartition(".")[2] in around or event.startswith("ctypes."):  # (or as x.name)
            raise (ImportError if event == "import" else PermissionError)(  # as a missing optional module
                message.replace("{name}", f"`{name}` (it gets around the grader's rules)"))
        if event == "os.chdir" and not (isinstance(args[0], str) and plain(args[0]) in (getcwd(), ".")):  # but no-op
            raise PermissionError(message.replace("{name}", "`os.chdir` (relative paths are read from your folder)"))
        for i in (i for e, at in paths if e == event for i in at):  # (a dict's view hands the dict to __eq__)
            path, flags = args[i], int.__int__(args[2]) if event == "open" else 0  # (int's &, not an object's own)
            if isinstance(path, (str, bytes)):
                path = plain(path) if isinstance(path, str) else decode(path, *fs)
            elif path is None or isinstance(path, int) or event == "shutil.rmtree":  # a Path: its calls show str
                continue
            else:  # a bytearray (os.open's, in 3.11)
                raise PermissionError(message.replace("{name}", "a path that is not a str (give the path as a str)"))
            cwd = getcwd()  # and a folder's descriptor (dir_fd) in the student's or the temp folder, at any depth (in a
            here = (cwd, *(r + ("." * 256 + "/") * e for r in own for e in range(path.count("..") + 1)))  # name no
            for base in (cwd,) if path.startswith("/") else (*here, *above, "/proc"):  # link has: any folder's place)
                todo, real, links = (path if path.startswith("/") else base + "/" + path).split("/")[::-1], [], 0
                while todo:  # as os.path.realpath
                    part = todo.pop()
                    if part == "..":
                        real = real[:-1]
                    elif part not in ("", "."):
                        try:
                            target = readlink("/" + "/".join([*real, part])) if links < 40 else None
                        except OSError:  # not a link, or not there
                            target = None
                        real = real + [part] if target is None else [] if target.startswith("/") else real
                        links, todo = (links, todo) if target is None else (links + 1, todo + target.split("/")[::-1])
                real = "/" + "/".join(real)
                pid = real.split("/")[2] if real.startswith("/proc/") else ""  # another process: the grader's memory
                try:  # a C module from elsewhere; a change in a guarded folder; a folder opened to read (to write, 3:
                    touch = not (real + "/").startswith(installed) if event == "import" else ((real + "/").startswith(
                        guarded) or (real + "/").startswith(outer) and not (real + "/").startswith(own)) and (
                        event != "open" or flags & writing) or base in here and event == "open" and not flags & 3 \
                        and not (real + "/").startswith(own) and stat(real).st_mode & 0o170000 == 0o040000  # EISDIR)
                except OSError:  # not there: it is only read
                    touch = False
                if (real + "/").startswith(protected) or touch or (pid.isdigit() and int(pid) != worker) or (
                        real in above and event not in ("open", "import", "os.mkdir")) or base in here and (
                        [n for n in real.split("/ex")[1:] if n[:2].isdigit() and n[2:3] == "_"] or ".git/" in real
                        + "/" or event == "os.rename" or real.endswith((".py", ".pyc", ".so", ".zip", ".whl"))
                        and [n for n in real.split("/") if n.replace("-", ".").partition(".")[0] in deny]) and not (
                        real + "/").startswith((*own, *installed)):  # (a refused library's copy elsewhere, or archive)
                    raise PermissionError(message.replace("{name}", path))
        if event in ("os.fork", "os.forkpty"):
            if getpid() != worker:  # a fork bomb's second generation (an exception would reach the channel)
                write(2, b"a process your code started tried to start another one: it was ended\n")
                exit_(1)
            if forks() >= max_forks:
                raise BlockingIOError(f"the grader allows your code {max_forks} processes, which may start none")
        if event in ("os.kill", "os.killpg", "resource.prlimit"):  # only the worker's own group: it, or what it forked
            pid, group = int.__int__(args[0]), event == "os.killpg"  # (an int: an object's own __eq__ would run here)
            try:
                mine = pid == 0 or (pid == getpid() and not group) or (
                    pid > 0 and (pid if group else getpgid(pid)) == getpgid(0))
            except OSError:  # no such process
                mine = False
            if not mine:
                raise PermissionError(message.replace("{name}", f"`{event}` on another process (the grader's?)"))

    def hook(event: str, args: tuple, check: Callable = check) -> None:  # a refusal raised afresh from here, once
        try:  # this frame holds no `check` (nor its rules): the traceback the student's code gets shows no rule
            check(event, args)
        except BaseException as exc:  # noqa: BLE001 - whatever the check raised
            raise exc.with_traceback(check := None)  # (None: the traceback, and `check` dropped)

    sys.addaudithook(hook)


def _limit_memory(megabytes: float) -> None:
    """Cap the address space at what is mapped now plus `megabytes`, a file written (or printed) at `MAX_WRITTEN`."""
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_FSIZE, (MAX_WRITTEN, MAX_WRITTEN))  # beyond: OSError (EFBIG)
        with open("/proc/self/statm", encoding="ascii") as fh:
            limit = int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE") + int(megabytes * (1 << 20))
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, OSError, ValueError):
        pass  # no /proc or no RLIMIT_AS (macOS, Windows): no limit


def main(argv: list[str]) -> int:
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != os.path.dirname(os.path.abspath(__file__))]
    capture, policy = argv[1], json.loads(argv[2])
    requests, replies = os.dup(0), os.dup(1)  # the channel, on private descriptors
    null, out = os.open(os.devnull, os.O_RDONLY), os.open(capture, os.O_WRONLY | os.O_APPEND)
    list(map(os.dup2, (null, out, out), (0, 1, 2)))
    list(map(os.close, (null, out)))
    sys.stdout = sys.stderr = open(1, "w", encoding="utf-8", errors="replace", buffering=1, closefd=False)
    import numpy  # noqa: F401 - imported now, before the student's folder is on the path

    sys.path += [policy["package_root"]] if policy.get("engine") else []
    _limit_memory(policy.get("memory_mb", 1024))
    _install_policy(policy)
    write_frame(replies, {"ready": True})
    _loop(requests, replies)
    return 0


def _loop(requests: int, replies: int, read: Callable = read_exact, frame: Callable = parse_frame,
          payload: Callable = parse_payload, write: Callable = write_frame, load: Callable = load,
          serve: Callable = serve, error: Callable = traceback.format_exc) -> None:
    """Answer requests until the grader closes the channel (the helpers bound before any student code runs)."""
    fn: Any = None
    folder, me = "", os.getpid()
    while True:
        header = read(requests, _HEADER.size)
        if header is None:
            return
        request = payload(read(requests, frame(header)) or b"")
        try:
            if request["op"] == "load":
                folder = os.path.dirname(request["path"])
                # The student's folder goes last, so that nothing in it shadows the standard library.
                sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != folder] + [folder]
                fn, reply = load(request["path"], request["stem"], request["function"])
            else:
                reply = serve(fn, request, folder)
            if os.getpid() != me:  # a child the student's code forked, back from it: the worker answers, not it
                os._exit(0)
            reply = dict(reply, n=request["n"])
        except Exception:  # noqa: BLE001 - a fault of the worker itself, reported as such
            reply = {"internal": error(limit=-4)[-2000:], "n": request["n"]}
        with contextlib.suppress(Exception):  # the student may have replaced or closed sys.stdout
            sys.stdout.flush()
        try:
            write(replies, reply)
        except ValueError as exc:
            write(replies, {"n": request["n"], "too_large": str(exc)})


if __name__ == "__main__":
    sys.exit(main(sys.argv))
