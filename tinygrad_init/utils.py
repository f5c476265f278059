"""Small helpers every layer shares, each written once: `as_rng` (every `rng=` goes through it) and `as_seed`; the
argument checks `check_int`, `check_real`, `check_choice`, `check_bool` (one message format,
`"<where>: <name> must be ..., got ..."`, the value shown by `got`), `cli_type` (any check as an `argparse` type),
`path_arg` (a path typed on a command line) and `Checked` (an attribute checked at every assignment, as
`optimizer.lr = 0.01`); `format_number`, `shape_text`, `text_width`; `moments` (mean, std, norm in float64) and
`ratio` (float `a / b`); `bins_split` (histogram bins told apart); `equal_fields` (`==` of records holding arrays);
`WeakHook`, a hook that holds its watcher weakly; `not_installed`, the error for a dependency missing; `renamed` (a
callee's errors in the caller's name); `writable` and `write_whole` (files)."""

from __future__ import annotations

import difflib
import dis
import functools
import math
import numbers
import os
import re
import sys
import threading
import unicodedata
import weakref
from pathlib import Path
from typing import Any, Callable, Iterable, NamedTuple, Sequence, TypeVar

import numpy as np

if int(np.__version__.split(".")[0]) < 2:  # numpy 1 promotes types by value (not NEP 50): wrong dtypes, wrong grades
    raise ImportError(f"tinygrad_init needs numpy 2.0 or later, found numpy {np.__version__}; upgrade it: "
                      "pip install --upgrade 'numpy>=2'")

__all__ = [
    "as_rng", "as_seed", "quoted", "got", "check_int", "check_real", "check_choice", "check_bool", "check_type",
    "cli_type", "path_arg", "did_you_mean", "real_array", "renamed",
    "format_number", "counted", "shape_text", "text_width", "Moments", "moments", "ratio", "bins_split", "WeakHook",
    "not_installed", "Checked", "equal_fields",
]
DEPENDENCIES = ("graphviz", "matplotlib", "threadpoolctl", "tqdm")  # pyproject.toml's, beside numpy
MAX_SIZE = 2**60 - 1  # the most elements a numpy array holds (float64: 2^63 bytes); a size beyond is refused at once
Same = TypeVar("Same")  # for type checkers: a function that returns its argument (init.lsuv(model) gives model back)


def not_installed(e: ImportError) -> ImportError:
    """For a dependency missing (installed with `pip install --no-deps`, or a conda environment without it): the error
    that names it and how to install it. Any other error (another module, a name missing from one) as it was."""
    name = (e.name or "").partition(".")[0]
    return e if name not in DEPENDENCIES or not isinstance(e, ModuleNotFoundError) else ModuleNotFoundError(
        f"tinygrad_init needs {name}, which is not installed; install it: pip install {name}", name=name)


# ------------------------------------------------------------------ random numbers
Rng = np.random.Generator | int | np.integer | None  # what every `rng=` argument takes (a seed: numpy's ints too)


def as_rng(rng: Rng = None, where: str = "") -> np.random.Generator:
    """`rng` as a `np.random.Generator`: every random function calls this once, so a seed fixes the numbers.

    A Generator is returned unchanged (callers can share one stream), an int (numpy's too) seeds a fresh one, None seeds
    it from the operating system (not reproducible). A TypeError for anything else (a float, a string, the
    legacy `np.random.RandomState`), a ValueError for a negative seed, their messages starting with `where`."""
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is None:
        return np.random.default_rng()
    pre = f"{where}: " if where else ""
    if isinstance(rng, numbers.Integral) and not isinstance(rng, bool):
        if rng < 0:
            raise ValueError(f"{pre}rng as a seed must be a non-negative integer, got {int(rng)}")
        return np.random.default_rng(int(rng))
    raise TypeError(f"{pre}rng must be a np.random.Generator, an int seed or None, got {got(rng)}" + (
        " (np.random.RandomState is the legacy API; use np.random.default_rng(seed))" if isinstance(
            rng, np.random.RandomState) else " (PyTorch's generator: pass its seed, rng=g.initial_seed(), or "
        "np.random.default_rng(seed))" if is_torch(rng) else ""))


def as_seed(rng: Rng, where: str = "") -> int | None:
    """`rng` if it is an int seed, for a result's settings, else None (a Generator is not JSON); checked as `as_rng`
    checks it, its messages starting with `where`."""
    as_rng(rng, where)  # refuses a bool, a negative seed, anything but a Generator, an int or None
    return int(rng) if isinstance(rng, numbers.Integral) else None


# ------------------------------------------------------------------ argument checks
def is_torch(x: Any) -> bool:
    """Whether `x` is PyTorch's (a tensor, or a Parameter, whose class lives in torch.nn.parameter)."""
    return type(x).__module__.partition(".")[0] == "torch"


def quoted(value: Any) -> str:
    """`repr(value)` for a message, numpy's scalars (in tuples and lists too) written as Python's: `(0.5, 2)`, not
    numpy 2's `(np.float64(0.5), np.int64(2))` (numpy 1 wrote the former)."""
    return repr(_plain(value))


def _plain(v: Any) -> Any:  # not a closure: a recursive one is a cycle (function -> cell -> function) per call
    return v.item() if isinstance(v, np.generic) else type(v)(map(_plain, v)) if type(v) in (tuple, list) else v


def got(value: Any) -> str:
    """A refused value as a message shows it, its type and (the start of) its `quoted` text: `str 'abc'` (PyTorch's
    tensor is a `torch.Tensor`, not to be read as the Tensor it is refused for)."""
    name = type(value).__name__
    return f"{'torch.' * (name == 'Tensor' and is_torch(value))}{name} {quoted(value):.60}"


def check_int(where: str, name: str, value: Any, minimum: int | None = None, why: str = "",
              maximum: int | None = None) -> int:
    """`value` as an `int` if it is a whole number (not a bool; else a TypeError) and at least `minimum`, at most
    `maximum` (None: no bound; else a ValueError). The message starts with `where` (the checking function or option)
    and names `name`; `why` is appended to the minimum's (`" (a quarter is held out)"`)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{where}: {name} must be a whole number, got {got(value)}")
    if maximum is not None and value > maximum:  # a long one by its size, not its digits (a repr past 4,300 fails)
        limit = "2^60 - 1, the most elements a numpy array holds" if maximum == MAX_SIZE else maximum
        size = int(value).bit_length()  # (below 2^49 in full)
        given = int(value) if size < 50 else f"about 2^{size - 1}"
        raise ValueError(f"{where}: {name} must be <= {limit}, got {given}")
    if minimum is not None and value < minimum:
        raise ValueError(f"{where}: {name} must be >= {minimum}{why}, got {int(value)}")
    return int(value)


def check_real(where: str, name: str, value: Any, low: float | None = None, high: float | None = None, *,
               low_open: bool = False, high_open: bool = False, finite: bool = True) -> float:
    """`value` as a `float` if it is a real number (not a bool) within the bounds.

    `low`/`high` are inclusive unless `low_open`/`high_open`; `finite=False` also admits inf (never
    nan). A TypeError if not a real number, a ValueError if nan, infinite (with `finite`) or out of bounds."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{where}: {name} must be a number, got {got(value)}")
    try:
        v, beyond = float(value), ""
    except OverflowError:  # an int (or a Fraction) beyond a float's range: an infinity, as numpy reads it
        v, beyond = math.inf if value > 0 else -math.inf, " (beyond a float's 1.8e308)"
    if math.isnan(v) or (finite and math.isinf(v)):
        raise ValueError(f"{where}: {name} must be a finite number, got {v}{beyond}")
    too_low = low is not None and (v <= low if low_open else v < low)
    too_high = high is not None and (v >= high if high_open else v > high)
    if too_low or too_high:
        if low is not None and high is not None:
            span = f"in {'[('[low_open]}{format_number(low, 6)}, {format_number(high, 6)}{'])'[high_open]}"
        else:
            span = (f"{'<' if high_open else '<='} {format_number(high, 6)}" if low is None else
                    f"{'>' if low_open else '>='} {format_number(low, 6)}")
        raise ValueError(f"{where}: {name} must be {span}, got {format_number(v, 6)}")
    return v


class Checked:
    """An attribute that `check(value)` checks (and converts) whenever it is assigned, in the constructor and after
    (`optimizer.lr = 0.01` between steps), as the constructor's argument."""

    def __init__(self, check: Callable[[Any], Any]) -> None:
        self.check = check

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        if obj is None:
            return self
        try:
            return obj.__dict__[self.name]
        except KeyError:
            raise AttributeError(f"{type(obj).__name__!r} object has no attribute {self.name!r}", name=self.name) \
                from None

    def __set__(self, obj: Any, value: Any) -> None:
        obj.__dict__[self.name] = self.check(value)


def renamed(fn: str, f: Callable[..., Any], *args: Any, said: Sequence[str] = (), **kwargs: Any) -> Any:
    """`f(*args, **kwargs)`, its errors that start with its name (`fixed_point: `) or one of `said` (functions it
    passes the caller's arguments on to: `Linear`, `init.get`) in the name of `fn`, the function the user called."""
    try:
        return f(*args, **kwargs)
    except (TypeError, ValueError) as e:
        if (head := str(e).partition(": "))[0] not in (f.__qualname__, *said):  # a method's: `Probe.stats: `
            raise
        raise type(e)(f"{fn}: {head[2]}") from None


def check_choice(where: str, name: str, value: Any, options: Sequence[str]) -> str:
    """`value` (a string, compared without case) if it is one of `options`; else a ValueError naming
    the options and the closest one."""
    if isinstance(value, str) and value.lower() in options:
        return value.lower()
    raise ValueError(f"{where}: {name} must be one of {', '.join(map(repr, options))}, got {quoted(value)}"
                     f"{did_you_mean(str(value).lower(), options, '{!r}')}")


def did_you_mean(word: str, options: Iterable[str], form: str = "'{}'") -> str:
    """A misspelt name's hint, `" (did you mean 'b'?)"` with the closest of `options` in `form`, or `""`."""
    return "".join(f" (did you mean {form.format(m)}?)" for m in difflib.get_close_matches(word, list(options), 1))


def check_bool(where: str, name: str, value: Any) -> bool:
    """`value` if it is True or False (numpy bools too); a TypeError otherwise."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    raise TypeError(f"{where}: {name} must be True or False, got {got(value)}")


def ordered(x: Any) -> bool:
    """Whether `x` is a collection to read in order as a list (a list, tuple, range, 1-d array, generator): not a
    str, bytes, set or dict (a set's order is not the caller's and changes from run to run), a number, a 0-d array."""
    return hasattr(x, "__iter__") and getattr(x, "ndim", 1) != 0 and not isinstance(x, (str, bytes, set, frozenset,
                                                                                      dict))


def real_array(value: Any) -> np.ndarray | None:
    """`value` read by numpy if it holds real numbers (bools, integers, floats); None for text, None, objects or
    ragged rows (numpy's "inhomogeneous shape"), which the caller refuses in its own words."""
    try:
        arr = np.asarray(value)
    except ValueError:
        return None
    except (RuntimeError, TypeError):  # a PyTorch tensor whose numpy() PyTorch refuses: one that requires grad, one
        if not is_torch(value):  # with a negative bit (x.conj().imag), or one of a dtype numpy has not
            raise
        t = value.detach().resolve_neg()
        try:
            arr = np.asarray(t)
        except TypeError:  # bfloat16, float8: float32 holds their numbers exactly; complex32, quantized: no reals
            if not t.is_floating_point():
                return None
            arr = np.asarray(t.float())
    return arr if arr.dtype.kind in "biuf" else None


def writable(who: str, path: Any, name: str, arg: str = "path") -> Path:
    """`path` (a str or PathLike, the argument `arg`) as a Path, if its folder exists and it is no folder (`name`: the
    file to suggest)."""
    path = Path(check_type(who, arg, path, (str, os.PathLike), "a file name or a pathlib.Path"))
    if not path.parent.is_dir():  # (a file in its place, or above it: x.svg/graph.svg, x.svg/sub/graph.svg)
        file = next((p for p in path.parents if p.exists() and not p.is_dir()), None)
        raise (NotADirectoryError(f"{who}: {str(file)!r} is a file, not a folder; write elsewhere") if file else
               FileNotFoundError(f"{who}: the folder {str(path.parent)!r} does not exist; create it first"))
    if path.is_dir():
        raise IsADirectoryError(f"{who}: {arg} {str(path)!r} is a folder" + (  # not x/graph.svg/graph.svg
            f"; name the file: {path / name}" if path.name != name else "; move it away or write elsewhere"))
    return path


def undated(out: Any, file: bool = False) -> Any:
    """PDF bytes without the time Graphviz's cairo stamps into them, `/CreationDate (D:...)` blanked to spaces of its
    length (the offsets after it stay right), so that the same graph gives the same bytes; `file`: `out` names a file
    written, rewritten so if it is a .pdf. Anything else is returned as it is."""
    if file and str(out).lower().endswith(".pdf"):
        Path(out).write_bytes(undated(Path(out).read_bytes()))
    pdf = isinstance(out, bytes) and out.startswith(b"%PDF-")  # (an SVG whose label reads /CreationDate: as it is)
    return re.sub(rb"/CreationDate \(D:[^)]*\)", lambda m: b" " * len(m[0]), out) if pdf else out


def write_whole(path: Path, data: bytes | str) -> Path:
    """Write `data` (a str as UTF-8) into `path` whole: into a file beside it, then renamed over it, so that a browser
    reloading the page (or a second run) never reads half of it, and a failed write leaves the earlier file as it
    was."""
    real = path.resolve()  # a link: the file it names; the part's name is this thread's own
    part = real.with_name(f".tinygrad-init-{os.getpid()}-{threading.get_ident()}.part")
    data = data.encode("utf-8") if isinstance(data, str) else data
    try:
        part.write_bytes(data)
        part.replace(real)
    except PermissionError:  # a folder this user may not write into around a file they may: that file, in place
        if not real.is_file() or part.exists():
            raise
        real.write_bytes(data)
    finally:
        part.unlink(missing_ok=True)
    return path


def check_type(where: str, name: str, value: Any, types: Any, what: str) -> Any:
    """`value` if it is an instance of `types` (a container, a figure, an Axes...), else a TypeError naming `what`
    it must be (in place of Python's own error from deep inside the code that uses it)."""
    if not isinstance(value, types):
        raise TypeError(f"{where}: {name} must be {what}, got {got(value)}")
    return value


def cli_type(check: Callable[..., Any], *args: Any, **kwargs: Any) -> Callable[[str], Any]:
    """An `argparse` type from a check, `cli_type(check_int, minimum=1)`: the text is read as an int
    (`check_int`) or a float (`check_real`), then checked; a failure is argparse's error (exit code 2)."""
    import argparse

    parse, what = (int, "a whole number") if check is check_int else (float, "a number")

    def convert(text: str) -> Any:
        try:
            value = parse(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected {what}, got {text!r}") from None
        try:
            return check("", "the value", value, *args, **kwargs)
        except (TypeError, ValueError) as e:
            message = str(e).split(": ", 1)[-1].replace("the value must be a ", "expected a ")
            raise argparse.ArgumentTypeError(message.replace("the value must be ", f"expected {what} ")) from None

    return convert


def path_arg(text: str, suffixes: tuple[str, ...] = ()) -> Path:
    """An argparse type: a path, never empty (`--out "$UNSET"` writes into the current folder), ending in `suffixes`."""
    import argparse

    if not text:
        raise argparse.ArgumentTypeError("expected a path, got ''")
    if text == "-":  # standard output, as many commands read it: a folder named - was made
        raise argparse.ArgumentTypeError("'-' (standard input or output) is not offered: name a file or folder (./- "
                                         "for one named -)")
    if suffixes and (text[-1:] in "/\\" or Path(text).suffix.lower() not in suffixes):
        raise argparse.ArgumentTypeError(f"expected a file name ending in {' or '.join(suffixes)}, got {text!r}")
    try:
        return Path(text).expanduser() if text[:1] == "~" else Path(text)  # --out=~/x: the shell leaves it (not ./~x)
    except RuntimeError:  # ~name of no user, or ~ without HOME (pathlib cannot find the home folder)
        user = Path(text).parts[0]
        who = f"there is no user {user[1:]} whose home folder it could name" if user[1:] else "HOME is not set"
        raise argparse.ArgumentTypeError(f"{text!r} starts with {user}, but {who}; write the path out (or ./{text} "
                                         "for a folder of that name)") from None


def unexpected(where: str, key: str, takes: str, known: str | bool = False) -> TypeError:
    """The error for a keyword `key` that `where` does not take, in place of Python's "unexpected keyword argument":
    `known` says what another library's keyword (PyTorch's, scikit-learn's) is here, and `takes` what it takes."""
    return TypeError(f"{where}: {key!r} is {known or 'not an argument'}; it takes {takes}")


def unoffered(name: str, message: str) -> Exception:
    """The error of a module's `__getattr__` that refuses PyTorch's `name` with `message`: an AttributeError, or
    for `from module import name` an ImportError (Python replaces an AttributeError there with its own "cannot
    import name", which drops what to write)."""
    try:
        module, reader = sys._getframe(1).f_globals["__name__"], sys._getframe(2)  # reader: the importing code
        if reader.f_code.co_code[reader.f_lasti] == dis.opmap["IMPORT_FROM"]:
            return ImportError(message, name=module)
    except (AttributeError, IndexError, KeyError, ValueError):  # an interpreter whose frames are not CPython's
        pass
    return AttributeError(message, name=name)


# ------------------------------------------------------------------ text
def format_number(x: Any, digits: int | None = 3, point: bool = False) -> str:
    """A number as short, readable text with `digits` (a whole number >= 1) significant digits.

    None is `"-"`, then `"nan"`, `"inf"`, `"-inf"`; ints and bools in full (`500`, `True`); floats with
    `1e-3 <= |x| < 1e4` positionally (`0.213`, `0.00238`, `1235`), others with a short exponent (`5.3e-4`, `1.2e+5`),
    without trailing zeros (zero is `"0"`). `digits=None`: the shortest text that reads back to the same float (`repr`).
    `point=True`: a float keeps its point (`-3.0`, `0.0`), as the ledger writes it, unless its digits end before the
    point (1234.5 at 4 digits is `1234`: `1234.0` would claim a digit it does not have)."""
    digits = digits if digits is None else check_int("format_number", "digits", digits, 1)  # whatever x is
    point = check_bool("format_number", "point", point)
    if x is None:
        return "-"
    if isinstance(x, bool) or not isinstance(x, numbers.Real):  # numpy bools are not Real either: "True"
        return str(x)
    if isinstance(x, numbers.Integral):
        return str(int(x))
    v = float(x)
    if not math.isfinite(v):
        return str(v)  # nan, inf, -inf
    if v == 0.0 or digits is None:
        return ("0.0" if point else "0") if v == 0.0 else repr(v)
    if 1e-3 <= abs(v) < 1e4:
        exponent = math.floor(math.log10(abs(float(f"{v:.{digits - 1}e}"))))  # of v rounded: 0.96 at 1 digit is 1
        decimals = max(digits - 1 - exponent, 0)
        text = f"{v:.{decimals}f}"
        text = text.rstrip("0").rstrip(".") if "." in text else text
        return text + ".0" * (point and "." not in text and (decimals > 0 or float(text) == v))  # not "1234.0"
    mantissa, exp = f"{v:.{digits - 1}e}".split("e")  # without a point: one nonzero digit, nothing to strip
    return f"{mantissa.rstrip('0').rstrip('.')}e{exp[0]}{int(exp[1:])}"


def counted(n: int, word: str) -> str:
    """`n` (a count, or a number as printed, "1") and the word in the number it takes: `1 seed`, `3 seeds`, `0 seeds`,
    `2 backward passes`, `1 decade`."""
    return f"{n} {word}" + ("es" if word.endswith("s") else "s") * bool(n not in (1, "1"))  # (numpy's n: np.bool_)


def shape_text(shape: Sequence[int]) -> str:
    """A shape as Python writes a tuple: `(3,)`, `(2, 3)`, `()`."""
    return "(" + ", ".join(str(int(n)) for n in shape) + ("," if len(shape) == 1 else "") + ")"


def text_width(text: str) -> int:
    """The columns `text` takes on a terminal: an East Asian wide character (层) two, a combining mark none."""
    return sum(0 if unicodedata.category(c) in ("Mn", "Me", "Cf") else 1 + (unicodedata.east_asian_width(c) in "WF")
               for c in text)


# ------------------------------------------------------------------ statistics
class Moments(NamedTuple):
    """Mean, population standard deviation and Frobenius norm of an array's entries."""

    mean: float
    std: float
    norm: float


def moments(a: Any) -> Moments:
    """Mean, population std and norm of all entries of `a`, accumulated in float64.

    With `n` entries: `mean = sum(a) / n`, `std = sqrt(sum((a - mean)^2) / n)` (two passes: no
    cancellation) and `norm = sqrt(sum(a^2))`. Entries too large or too small to square are scaled first; a nan
    gives nan, an inf an inf norm and a nan std; an empty array has mean and std nan and norm 0."""
    v = np.asarray(a).reshape(-1)
    if v.dtype.kind not in "fc":
        v = v.astype(np.float64)
    n = v.size
    if n == 0:
        return Moments(math.nan, math.nan, 0.0)
    with np.errstate(over="ignore", invalid="ignore"):
        mean = float(np.add.reduce(v, dtype=np.float64)) / n
        if math.isfinite(mean):
            d = v - np.float64(mean)  # a float64 array whatever v's dtype
            var = float(np.dot(d, d)) / n
            norm2 = n * (var + mean * mean)
            if math.isfinite(norm2) and (norm2 > 1e-290 or not v.any()):  # else squares (under about 1e-308)
                return Moments(mean, math.sqrt(var), math.sqrt(norm2))  # would lose digits or vanish: scaled below
        if not bool(np.isfinite(v).all()):  # a nan gives nan; else an inf: an inf norm, a nan std
            return Moments(math.nan, math.nan, math.nan) if np.isnan(v).any() else Moments(mean, math.nan, math.inf)
        big = float(np.max(np.abs(v)))  # finite entries whose squares overflow or underflow: scale first
        return Moments(*(big * m for m in moments(v.astype(np.float64) / big)))


def ratio(a: float, b: float) -> float:
    """`a / b` with float semantics: `x / 0` is `+-inf`, `0 / 0` is nan, past float64 `+-inf`; never raises or warns."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return float(np.float64(a) / np.float64(b))


def equal_fields(a: Any, b: Any) -> Any:
    """`==` for a dataclass holding arrays, whose generated one raises numpy's "truth value of an array is ambiguous":
    the same class and every field equal, an array by shape and elements (as `np.array_equal`: nan equals nothing)."""
    if type(a) is not type(b):
        return NotImplemented
    return all(np.array_equal(x, y) if isinstance(x, np.ndarray) or isinstance(y, np.ndarray) else x == y
               for x, y in zip(vars(a).values(), vars(b).values()))


def bins_split(lo: float, hi: float, bins: int, dtype: Any = np.float64) -> bool:
    """Whether `bins` equal bins over `[lo, hi]` are told apart in `dtype`: each 2 ulps wide at least and of a normal
    width (else np.histogram's edges repeat, "Too many bins", or a subnormal width rounds by up to 20%)."""
    f, top = np.finfo(dtype), max(abs(lo), abs(hi))
    with np.errstate(over="ignore"):  # a float16 range past 65504: its spacing is nan, not split
        return hi - lo > bins * max(2 * float(np.spacing(f.dtype.type(top))), float(f.tiny))


class WeakHook:
    """`partial(method, *args)` holding the method's object weakly: a model keeps no watcher (a probe, diagnostics)
    alive by its hooks, nor itself through the watcher's reference back. Once the watcher is gone a call does nothing
    or, `through`, calls `args[0]`, the function it wrapped; a copy (pickle, deepcopy) holds the watcher's copy."""

    __slots__ = ("ref", "args", "through")

    def __init__(self, method: Callable, *args: Any, through: bool = False) -> None:
        self.ref, self.args, self.through = weakref.WeakMethod(method), args, through

    def __call__(self, *more: Any, **kw: Any) -> Any:
        fn = self.ref()
        return fn(*self.args, *more, **kw) if fn is not None else self.args[0](*more, **kw) if self.through else None

    def __reduce__(self) -> tuple:
        if (fn := self.ref()) is None:  # (its hooks on modules went with the watcher: a wrapper passing through)
            return functools.partial, self.args
        return (functools.partial, (fn, *self.args)) if self.args else fn.__reduce__()
