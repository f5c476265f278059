"""The step-through player in a real headless Chromium.

Chromium is driven through the DevTools protocol over a pipe (``--remote-debugging-pipe``:
JSON messages separated by NUL bytes on file descriptors 3 and 4), so no Python package,
no network port and no downloaded browser are needed: only Debian's ``chromium``. The
test clicks the real ``#next`` button and presses real keys (``Input.dispatch*`` events),
and reads the page back with ``Runtime.evaluate``.

Skipped when Chromium (or Graphviz) is missing, except under ``CI=true``, where it fails.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tinygrad_init import Tensor, Value, draw, ledger, player
from tinygrad_init.ledger import format_number

from conftest import require_binary

pytestmark = [pytest.mark.browser, pytest.mark.graphviz]

TIMEOUT = 15.0  # seconds for any one answer of the browser


class Chromium:
    """A headless Chromium and one page, spoken to over the DevTools pipe."""

    def __init__(self, binary: str) -> None:
        self.profile = tempfile.mkdtemp(prefix="tgi-chromium-")
        to_browser_r, self._w = os.pipe()
        self._r, from_browser_w = os.pipe()

        def wire() -> None:  # in the child: the protocol wants the pipes as fds 3 and 4
            a, b = os.dup(to_browser_r), os.dup(from_browser_w)
            os.dup2(a, 3)
            os.dup2(b, 4)

        args = [binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--no-default-browser-check",
                "--disable-extensions", "--disable-default-apps", "--mute-audio", "--hide-scrollbars",
                f"--user-data-dir={self.profile}", "--remote-debugging-pipe", "--window-size=1280,800",
                "about:blank"]
        self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE, preexec_fn=wire, pass_fds=(3, 4))
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._buf = b""
        self._id = 0
        self.events: list[dict] = []
        self.session = ""
        try:
            targets = self.call("Target.getTargets")["targetInfos"]
            page = next(t for t in targets if t["type"] == "page")
            self.session = self.call("Target.attachToTarget", {"targetId": page["targetId"],
                                                               "flatten": True})["sessionId"]
            for domain in ("Page", "Runtime", "Log"):
                self.call(f"{domain}.enable", session=True)
            self.call("Emulation.setDeviceMetricsOverride", {"width": 1280, "height": 800, "deviceScaleFactor": 1,
                                                             "mobile": False}, session=True)
        except BaseException:
            self.close()
            raise

    def _message(self, deadline: float) -> dict:
        while b"\0" not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("Chromium did not answer within the time limit")
            ready, _, _ = select.select([self._r], [], [], left)
            if ready:
                chunk = os.read(self._r, 1 << 16)
                if not chunk:
                    err = self.proc.stderr.read().decode(errors="replace") if self.proc.stderr else ""
                    raise RuntimeError(f"Chromium closed the DevTools pipe; its last words:\n{err[-3000:]}")
                self._buf += chunk
        raw, _, self._buf = self._buf.partition(b"\0")
        return json.loads(raw)

    def call(self, method: str, params: dict | None = None, session: bool = False) -> dict:
        """Send one command and wait for its answer (events arriving meanwhile are kept)."""
        self._id += 1
        msg: dict[str, Any] = {"id": self._id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = self.session
        os.write(self._w, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + TIMEOUT
        while True:
            m = self._message(deadline)
            if m.get("id") == self._id:
                if "error" in m:
                    raise RuntimeError(f"{method}: {m['error']}")
                return m.get("result", {})
            self.events.append(m)

    def wait_event(self, method: str) -> dict:
        for i, e in enumerate(self.events):
            if e.get("method") == method:
                return self.events.pop(i)
        deadline = time.monotonic() + TIMEOUT
        while True:
            m = self._message(deadline)
            if m.get("method") == method:
                return m
            self.events.append(m)

    def js(self, expression: str) -> Any:
        r = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True}, session=True)
        if "exceptionDetails" in r:
            raise AssertionError(f"{expression}: {r['exceptionDetails']}")
        return r["result"].get("value")

    def open(self, path: Path) -> None:
        self.call("Page.navigate", {"url": path.resolve().as_uri()}, session=True)
        self.wait_event("Page.loadEventFired")

    def click(self, selector: str) -> None:
        """A real mouse click in the middle of the element."""
        x, y = self.js(f"(function(){{var r=document.querySelector({json.dumps(selector)})"
                       ".getBoundingClientRect(); return [r.left + r.width/2, r.top + r.height/2];})()")
        for kind in ("mousePressed", "mouseReleased"):
            self.call("Input.dispatchMouseEvent", {"type": kind, "x": x, "y": y, "button": "left",
                                                   "clickCount": 1}, session=True)

    def key(self, key: str, code: int) -> None:
        for kind in ("keyDown", "keyUp"):
            self.call("Input.dispatchKeyEvent", {"type": kind, "key": key, "code": key,
                                                 "windowsVirtualKeyCode": code}, session=True)

    def errors(self) -> list[str]:
        """Console errors, uncaught exceptions and error log entries seen so far."""
        out = []
        for e in self.events:
            method, p = e.get("method"), e.get("params", {})
            if method == "Runtime.exceptionThrown":
                d = p.get("exceptionDetails", {})
                out.append(f"{d.get('exception', {}).get('description') or d.get('text')} "
                           f"(line {d.get('lineNumber', 0) + 1})")
            elif method == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
                out.append(" ".join(str(a.get("value", a.get("description", ""))) for a in p.get("args", [])))
            elif method == "Log.entryAdded" and p.get("entry", {}).get("level") == "error":
                out.append(p["entry"].get("text", ""))
        return out

    def close(self) -> None:
        try:
            if self.proc.poll() is None:
                try:
                    os.write(self._w, json.dumps({"id": 0, "method": "Browser.close"}).encode() + b"\0")
                except OSError:
                    pass
                try:
                    self.proc.wait(5)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait()
        finally:
            for fd in (self._w, self._r):
                try:
                    os.close(fd)
                except OSError:
                    pass
            if self.proc.stderr:
                self.proc.stderr.close()
            for _ in range(20):  # helper processes may still be writing to the profile for a moment
                shutil.rmtree(self.profile, ignore_errors=True)
                if not os.path.exists(self.profile):
                    break
                time.sleep(0.1)


@pytest.fixture(scope="module")
def browser():
    if os.name != "posix":  # pragma: no cover - the pipe needs fds 3 and 4
        pytest.skip("the DevTools pipe needs a POSIX system")
    b = Chromium(require_binary("chromium"))
    try:
        yield b
    finally:
        b.close()


@pytest.fixture(scope="module")
def neuron_player(tmp_path_factory) -> tuple[Path, ledger.Ledger]:
    require_binary("dot")
    a, b, c = Value(2.0, label="a"), Value(-3.0, label="b"), Value(10.0, label="c")
    o = (a * b + c).tanh()
    with ledger.record() as steps:
        o.backward()
    path = player.write_player(tmp_path_factory.mktemp("player") / "neuron.html", steps)
    return path, steps


STATE = """(function () {
  var q = function (c) { return Array.prototype.map.call(document.querySelectorAll('#frame .' + c),
                                                          function (e) { return e.id; }).sort(); };
  var grad = function (id) { var t = Array.prototype.filter.call(document.getElementById(id)
      .getElementsByTagName('text'), function (t) { return /^grad /.test(t.textContent); });
      return t.length ? t[t.length - 1].textContent : null; };
  return {line: document.getElementById('line').textContent,
          counter: document.getElementById('counter').textContent,
          slider: document.getElementById('slider').value,
          node: q('hl-node'), parent: q('hl-parent'), edge: q('hl-edge'),
          current: document.querySelector('#lines li.current').textContent,
          shown: document.querySelectorAll('#lines li:not(.later)').length,
          grads: ['node_n0', 'node_n1', 'node_n2', 'node_n3', 'node_n4', 'node_n5'].map(grad),
          ready: document.getElementById('player').getAttribute('data-ready')};
})()"""


def test_player_steps_with_clicks_and_keys(browser, neuron_player):
    path, steps = neuron_player
    browser.open(path)
    s0 = browser.js(STATE)
    assert s0["ready"] == "1", "the page's script did not finish"
    assert browser.errors() == []
    assert browser.js("performance.getEntriesByType('resource').map(function (e) { return e.name; })") == []
    seed = "dL/dL = 1.0   (the seed: backward starts here)"
    assert (s0["line"], s0["counter"], s0["slider"], s0["current"], s0["shown"]) == (seed, "step 0 / 5", "0", seed, 1)
    # frame 0: only the seed is known; the output L (n5, and its tanh bubble) is outlined
    assert s0["grads"] == ["grad ?"] * 5 + ["grad 1.0"]
    assert s0["node"] == ["node_n5", "node_n5op"] and s0["parent"] == [] and s0["edge"] == []

    browser.click("#next")
    s1 = browser.js(STATE)
    assert s1["line"] == steps.line(0) == s1["current"]
    assert s1["line"].startswith("dL/d(add#4) = dL/dL × ∂L/∂(add#4) (local)")
    assert (s1["counter"], s1["slider"], s1["shown"]) == ("step 1 / 5", "1", 2)
    assert s1["parent"] == ["node_n4"] and s1["edge"] == ["edge_n4_n5op_0"]
    assert s1["grads"] == ["grad ?"] * 4 + ["grad 0.001341", "grad 1.0"]

    browser.key("ArrowRight", 39)
    s2 = browser.js(STATE)
    assert s2["line"] == steps.line(1) == s2["current"]
    assert s2["counter"] == "step 2 / 5"
    assert s2["node"] == ["node_n4", "node_n4op"] != s1["node"]  # the highlight moved on
    assert s2["parent"] == ["node_n2"] and s2["edge"] == ["edge_n2_n4op_0"]
    assert s2["grads"][2] == "grad 0.001341" and s2["grads"][0] == "grad ?"

    browser.key("End", 35)
    s5 = browser.js(STATE)
    assert s5["line"] == steps.line(4) and s5["counter"] == "step 5 / 5" and s5["shown"] == 6
    assert s5["grads"] == ["grad -0.004023", "grad 0.002682", "grad 0.001341", "grad 0.001341",
                           "grad 0.001341", "grad 1.0"]
    assert browser.js("document.getElementById('next').getAttribute('aria-disabled')") == "true"

    browser.key("ArrowLeft", 37)  # backwards: b's gradient is unknown again
    s4 = browser.js(STATE)
    assert s4["line"] == steps.line(3) and s4["grads"][1] == "grad ?" and s4["grads"][0] == "grad -0.004023"
    browser.click('#lines li[data-k="2"]')  # a line of the list: its step
    assert browser.js(STATE) == s2

    browser.key("Home", 36)
    assert browser.js(STATE) == s0
    assert browser.errors() == []


AWKWARD = 'say "hi" <b> & {x} | \\ ünï 😀 </script>'


@pytest.mark.parametrize("build", ["one node", "special labels"])
def test_player_edge_cases_step_to_both_ends_without_errors(browser, tmp_path, build):
    require_binary("dot")
    if build == "one node":
        out = Value(3.0, label="x")  # nothing to step through: only the seed
    else:
        a = Value(2.0, label=AWKWARD)
        out = (a * Value(-3.0, label="")).tanh()
        out.label = "$heading ${n}"
    with ledger.record() as steps:
        out.backward()
    n = len(steps)
    browser.events.clear()
    browser.open(player.write_player(tmp_path / "edge.html", steps, title=AWKWARD))
    read = "[document.getElementById('counter').textContent, document.getElementById('line').textContent]"
    assert browser.js("document.getElementById('player').getAttribute('data-ready')") == "1"
    assert browser.js("document.getElementById('title').textContent") == AWKWARD
    texts = browser.js("Array.prototype.map.call(document.querySelectorAll('#frame text'), t => t.textContent)")
    assert (AWKWARD in texts) == (n > 0) and f"grad {1.0}" in texts
    for key, code, k in [("ArrowLeft", 37, 0), ("Home", 36, 0), ("End", 35, n), ("ArrowRight", 39, n),
                         ("PageUp", 33, max(n - 1, 0)), ("PageDown", 34, n), ("ArrowLeft", 37, max(n - 1, 0))]:
        browser.key(key, code)
        line = steps.line(k - 1) if k else steps.seed_line()
        assert browser.js(read) == [f"step {k} / {n}", line], key
    assert browser.errors() == []


INJECTIONS = ["</script><script>window.pwned = 1</script>", "<img src=x onerror='window.pwned = 2'>",
              "\" onclick=\"window.pwned = 3", "' onmouseover='window.pwned = 4", "<!--<script>", "]]>", "${n}",
              "<svg onload=window.pwned=5>", "tab\there", "x" * 20_000]


@pytest.mark.parametrize("engine", ["scalar", "tensor"])
def test_names_and_titles_that_look_like_markup_or_script_run_nothing_and_the_page_steps(browser, tmp_path, engine):
    require_binary("dot")
    if engine == "scalar":
        leaves = [Value(0.5 + i, label=text) for i, text in enumerate(INJECTIONS)]
        out = sum(leaves[1:], leaves[0]).tanh()
    else:
        leaves = [Tensor(np.full(2, 0.5 + i), requires_grad=True, name=text) for i, text in enumerate(INJECTIONS)]
        out = sum(leaves[1:], leaves[0]).tanh().sum()
    with ledger.record() as steps:
        out.backward()
    browser.events.clear()
    browser.open(player.write_player(tmp_path / f"{engine}.html", steps, title=" ".join(INJECTIONS[:8])))
    assert browser.js("document.getElementById('player').getAttribute('data-ready')") == "1"
    assert browser.js("document.getElementById('title').textContent") == " ".join(INJECTIONS[:8])
    for tag in ("g", "text", "title", "li"):  # hover and click whatever was drawn or listed
        browser.js(f"Array.prototype.forEach.call(document.querySelectorAll('#player {tag}'), function (e) {{ "
                   "['mouseover', 'click'].forEach(function (t) { e.dispatchEvent(new MouseEvent(t)); }); })")
    browser.key("End", 35)
    assert browser.js("document.getElementById('counter').textContent") == f"step {len(steps)} / {len(steps)}"
    assert browser.js("document.getElementById('line').textContent") == steps.line(len(steps) - 1)
    assert browser.js("typeof window.pwned") == "undefined" and browser.errors() == []


def test_a_long_title_without_spaces_wraps_and_leaves_the_buttons_on_the_page(browser, tmp_path):
    require_binary("dot")
    x = Value(2.0, label="x")
    out = (x * x).tanh()
    with ledger.record() as steps:
        out.backward()
    browser.events.clear()
    browser.open(player.write_player(tmp_path / "long.html", steps, title="dL/dw_" * 200))  # one 1,200-letter word
    sizes = "[document.documentElement.scrollWidth, document.getElementById('next').getBoundingClientRect().right]"
    assert max(browser.js(sizes)) <= 1280  # no page wider than the window, the buttons within it
    browser.click("#next")
    assert browser.js("document.getElementById('counter').textContent") == f"step 1 / {len(steps)}"
    assert browser.errors() == []


def test_a_short_window_stacks_line_graph_and_footer_without_overlap(browser, neuron_player):
    # 1280 x 720 at 200 % zoom, for the back row: the graph was drawn over the footer and the line was cut
    path, steps = neuron_player
    size = {"deviceScaleFactor": 1, "mobile": False}
    browser.call("Emulation.setDeviceMetricsOverride", {"width": 640, "height": 360, **size}, session=True)
    try:
        browser.open(path)
        browser.key("End", 35)
        box = browser.js("""(function () { var r = function (s) { var b = document.querySelector(s)
            .getBoundingClientRect(); return [b.top, b.bottom]; }, line = document.getElementById('line');
            return {line: r('#line'), frame: r('#frame'), footer: r('footer'), shown: line.clientHeight,
                    needed: line.scrollHeight}; })()""")
    finally:
        browser.call("Emulation.setDeviceMetricsOverride", {"width": 1280, "height": 800, **size}, session=True)
    assert box["line"][1] <= box["frame"][0] < box["frame"][1] <= box["footer"][0], box
    assert box["shown"] >= box["needed"], box  # the step's line in full


GRADS = """(function () { var out = {}; document.querySelectorAll('#frame g.node').forEach(function (g) {
  var t = Array.prototype.filter.call(g.getElementsByTagName('text'), function (t) {
    return /^(grad|\\|grad\\|) /.test(t.textContent); });
  if (t.length) out[g.id] = t[t.length - 1].textContent; });
  return [out, document.getElementById('line').textContent, document.getElementById('counter').textContent]; })()"""


def _special_values(engine: str):
    if engine == "value":  # gradients inf, nan, 0, 1e-300 and 1e+300 and a -0.0 on the way
        a, c, d, e = Value(1e300, label="a"), Value(1e-300, label="c"), Value(0.0, label="d"), Value(-0.0, label="e")
        t = Value(0.7, label="t").tanh() * 3.3  # and numbers with every digit used
        return (a * a) + c * c * 1e300 + d ** 0.5 + e * 2.0 + (a * 1e-300) * Value(float("nan"), label="q") + t
    w = Tensor(np.array([[1e300, -0.0], [1e-300, 2.0]]), requires_grad=True, name="W")
    if engine == "hooks":  # hooks that scale the root's and a node's gradient: the frames after the seed show them
        h = Tensor(np.array([[1.0, 0.3]]), name="x") @ Tensor(np.eye(2), requires_grad=True, name="V")
        loss = (h * h).sum()
        for t, k in ((h, 10.0), (loss, 5.0)):
            t.register_hook(lambda g, k=k: g * k)
        return loss
    return ((Tensor(np.array([[1.0, 0.3]]), name="x") @ w).tanh() * 1e-200).sum()


@pytest.mark.parametrize("engine", ["value", "tensor", "hooks"])
def test_every_frame_shows_the_ledgers_numbers_forwards_and_backwards(browser, tmp_path, engine):
    require_binary("dot")
    with ledger.record() as steps:
        _special_values(engine).backward()
    ps, n = steps.get_pass(), len(steps)
    browser.events.clear()
    browser.open(player.write_player(tmp_path / "special.html", steps))

    def expected(k):  # each drawn node's gradient text after k steps, to the picture's digits
        known = steps.state(k).grads
        text = (lambda g: f"grad {format_number(g, 4)}") if ps.scalar else (
            lambda g: f"|grad| {format_number(g.norm, 4)}")
        grads = {f"node_n{i}": "grad ?" if node not in known else text(known[node]) for i, node in enumerate(ps.order)}
        return grads, steps.line(k - 1) if k else steps.seed_line(), f"step {k} / {n}"

    receivers = {f"node_n{i}" for i, node in enumerate(ps.order) if node is ps.root or any(
        st.parent is node for st in steps)}
    moves = [("ArrowRight", 39, k) for k in range(1, n + 1)] + [("ArrowLeft", 37, k) for k in range(n - 1, -1, -1)]
    for key, code, k in moves + [("End", 35, n), ("Home", 36, 0)]:
        browser.key(key, code)
        shown, line, counter = browser.js(GRADS)
        want, want_line, want_counter = expected(k)
        assert set(shown) >= receivers, k  # every node that gets a gradient shows one
        assert {i: t for i, t in shown.items() if i in want} == {i: want[i] for i in shown if i in want}, k
        assert (line, counter) == (want_line, want_counter)
    assert browser.errors() == []


PRINTED = """window.printed = []; matchMedia('print').addListener(function (m) { if (!m.matches) return;
  var box = function (e) { var b = e.getBoundingClientRect(); return [b.left, b.top, b.right, b.bottom]; };
  window.printed.push({page: [document.documentElement.clientWidth, document.documentElement.clientHeight],
                       frame: box(document.getElementById('frame')),
                       nodes: Array.prototype.map.call(document.querySelectorAll('#frame g.node'), box)}); });"""


@pytest.mark.parametrize("rankdir", ["LR", "TB"])
def test_printing_keeps_the_whole_graph_on_the_page(browser, tmp_path, rankdir):
    # the paper is narrower than the window and printing fires no resize: the graph kept the transform fitted to
    # the 1280-px window and the output's end of it was cut off the printed page
    require_binary("dot")
    a, b, c = Value(2.0, label="a"), Value(-3.0, label="b"), Value(10.0, label="c")
    browser.events.clear()
    browser.open(player.write_player(tmp_path / "print.html", (a * b + c).tanh(), rankdir=rankdir))
    browser.key("ArrowRight", 39)
    browser.js(PRINTED)
    browser.call("Page.printToPDF", {"paperWidth": 8.27, "paperHeight": 11.69}, session=True)  # A4
    (printed,) = browser.js("window.printed")
    (width, height), frame = printed["page"], printed["frame"]
    assert width < 1280 and len(printed["nodes"]) >= 8, printed
    for left, top, right, bottom in printed["nodes"]:
        assert 0 <= left and right <= width and frame[0] <= left and right <= frame[2], printed
        assert frame[1] <= top and bottom <= frame[3] and bottom - frame[1] <= height, printed
    assert browser.errors() == []


def _press(browser, key: str, code: int, shift: bool = False, modifiers: int = 0) -> str:
    """A key (with Shift, or `modifiers`: 1 Alt, 2 Ctrl, 4 Meta) as a keyboard or a presenter's clicker sends it;
    returns the counter."""
    text = {" ": " "}.get(key, "")
    for kind in ("keyDown", "keyUp"):
        browser.call("Input.dispatchKeyEvent", {"type": kind, "key": key, "code": "Space" if key == " " else key,
                                                "windowsVirtualKeyCode": code, "modifiers": 8 * shift | modifiers,
                                                **({"text": text} if text and kind == "keyDown" else {})},
                     session=True)
    return browser.js("document.getElementById('counter').textContent")


def _open_chain(browser, path, x: float, factor: float, n: int, **options) -> None:
    """Open the player of x * factor * ... * factor (`n` products: a pass of `n` steps) with a fresh event log."""
    require_binary("dot")
    out = Value(x, label="x")
    for _ in range(n):
        out = out * factor
    browser.events.clear()
    browser.open(player.write_player(path, out, **options))


def test_a_presenters_clicker_and_the_space_bar_step_one_step(browser, tmp_path):
    # a clicker sends PageDown / PageUp for next / previous: they jumped ten steps, and the space bar did nothing
    _open_chain(browser, tmp_path / "clicker.html", 1.0, 1.5, 24)
    n = int(browser.js("document.getElementById('slider').max"))
    assert n >= 20
    assert [_press(browser, "PageDown", 34), _press(browser, "PageDown", 34), _press(browser, "PageUp", 33)] == [
        f"step {k} / {n}" for k in (1, 2, 1)]
    assert [_press(browser, " ", 32), _press(browser, " ", 32, shift=True)] == [f"step {k} / {n}" for k in (2, 1)]
    assert [_press(browser, "ArrowRight", 39, shift=True), _press(browser, "ArrowLeft", 37, shift=True)] == [
        f"step {k} / {n}" for k in (11, 1)]  # ten steps at a time
    browser.js("document.getElementById('next').focus()")
    assert _press(browser, " ", 32) == f"step 2 / {n}"  # a focused button takes the space bar, once
    # but not Shift+space, which steps back as the keys say (it clicked the focused next: one step on)
    assert [_press(browser, " ", 32, shift=True), _press(browser, " ", 32)] == [f"step {k} / {n}" for k in (1, 2)]
    # and the page's list of keys says so: it read "PageUp / PageDown or space: step; shift: 10 steps", but Shift
    # with space steps back one and Shift with PageDown steps one
    keys = " ".join(browser.js("document.querySelector('#legend .keys').textContent").split())
    assert "← →, PageDown / PageUp, space: step (shift+space: back); shift+← →: 10 steps; Home / End;" in keys
    browser.js("document.activeElement.blur()")
    assert [_press(browser, "PageDown", 34, shift=True), _press(browser, " ", 32, shift=True)] == [
        f"step {k} / {n}" for k in (3, 2)]
    # with Alt, Ctrl or Meta an arrow or End is the browser's (forward, the next word, the page's end), not a step
    assert {_press(browser, key, code, modifiers=m) for m in (1, 2, 4) for key, code in (
        ("ArrowRight", 39), ("End", 35))} == {f"step 2 / {n}"}
    assert browser.errors() == []


RING = """(function (e, s) {  // the focused element, its focus ring, and whether the ring is whole in its header/footer
  var r = e.getBoundingClientRect(), p = e.closest('header, footer'), b = p ? p.getBoundingClientRect() : r;
  var o = parseFloat(s.outlineOffset) + parseFloat(s.outlineWidth);
  return [e.id || e.tagName, s.outlineStyle + ' ' + s.outlineWidth,
          r.left - o >= b.left && r.top - o >= b.top && r.right + o <= b.right && r.bottom + o <= b.bottom];
})(document.activeElement, getComputedStyle(document.activeElement))"""


def test_tab_reaches_every_control_in_order_and_each_shows_the_focus_as_a_projector_needs(browser, tmp_path):
    # the list of lines, once it scrolls, is a stop of the Tab key (Chromium focuses scrollers): it showed Chromium's
    # own thin ring (outline auto 1px), where the buttons and the slider show 3 px; each ring is whole, inside the
    # header or the footer (which scrolls, and clips what passes its edges)
    _open_chain(browser, tmp_path / "tab.html", 1.0, 1.5, 24)
    browser.key("End", 35)
    stops = []
    for _ in range(10):
        browser.key("Tab", 9)
        stops.append(browser.js(RING))
    order = ["home", "prev", "slider", "next", "end", "view", "zoom-out", "zoom-in", "lines"]
    assert stops[:-1] == [[c, "solid 3px", True] for c in order] and stops[-1][0] == "BODY", stops  # then out
    assert browser.errors() == []


LIVE = """Array.prototype.map.call(document.querySelectorAll(
  '[aria-live=polite], [aria-live=assertive], [role=status], [role=log], [role=alert]'),
  function (e) { return e.textContent; }).join(' | ')"""


def test_a_screen_reader_is_told_each_steps_line(browser, neuron_player):
    # only the counter ("step 1 / 5") was a live region: a blind student heard the step number, never its sum
    path, steps = neuron_player
    browser.open(path)
    assert steps.seed_line() in browser.js(LIVE)
    for k in range(len(steps)):
        browser.key("ArrowRight", 39)
        spoken = browser.js(LIVE)
        assert steps.line(k) in spoken and f"step {k + 1} / {len(steps)}" in spoken
    names = browser.js("Array.prototype.map.call(document.querySelectorAll('button'), function (b) { "
                       "return b.getAttribute('aria-label') || b.textContent; })")
    assert all(name.strip() for name in names)


def test_keyboard_focus_stays_on_next_and_prev_at_the_ends(browser, neuron_player):
    # next and prev were disabled when the last / first step was reached: the button holding the focus dropped
    # it to the page, the focus ring vanished and Enter did nothing until the student tabbed back in
    path, steps = neuron_player
    browser.open(path)
    focus = ("(function () { var e = document.activeElement; return [e.id, getComputedStyle(e).outlineStyle,"
             " e.getAttribute('aria-disabled'), document.getElementById('counter').textContent]; })()")
    for _ in range(6):  # tab to the next button
        browser.key("Tab", 9)
        if browser.js(focus)[0] == "next":
            break
    for k in range(1, len(steps) + 3):
        for kind in ("keyDown", "keyUp"):
            browser.call("Input.dispatchKeyEvent", {"type": kind, "key": "Enter", "code": "Enter",
                                                    "windowsVirtualKeyCode": 13, "text": "\r"}, session=True)
        n = len(steps)
        assert browser.js(focus) == ["next", "solid", "true" if k >= n else "false", f"step {min(k, n)} / {n}"], k
    browser.key("Tab", 9)
    browser.key("Home", 36)
    assert browser.js(focus)[:3] == ["end", "solid", "false"]
    browser.js("document.getElementById('prev').focus()")
    assert browser.js(focus)[:3] == ["prev", "solid", "true"]  # at step 0: focusable, said to be unavailable
    browser.click("#prev")
    assert browser.js(focus)[3] == f"step 0 / {len(steps)}"
    assert browser.errors() == []


CONTRAST = """(function () {  // [what, WCAG 2 contrast ratio] of every text shown, the lines' numbers included
  var rgb = function (s) { return s.match(/[\\d.]+/g).map(Number); };
  var lum = function (c) { return [0.2126, 0.7152, 0.0722].reduce(function (sum, w, i) { var v = c[i] / 255;
    return sum + w * (v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4)); }, 0); };
  var ratio = function (a, b) { var x = lum(a), y = lum(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
  var back = function (e) { for (; e; e = e.parentElement) { var c = rgb(getComputedStyle(e).backgroundColor);
    if (c.length < 4 || c[3] > 0) return c; } return [255, 255, 255]; };
  var out = [];
  document.querySelectorAll('#frame g.node text').forEach(function (t) {  // in the graph: on the node's fill
    var shape = t.parentNode.querySelector('polygon, ellipse, path'), fill = getComputedStyle(shape).fill;
    out.push([t.parentNode.id + ' ' + t.textContent, ratio(rgb(getComputedStyle(t).fill),
                                                           fill === 'none' ? [255, 255, 255] : rgb(fill))]);
  });
  document.querySelectorAll('body *:not(svg):not(svg *)').forEach(function (e) {
    var own = Array.prototype.some.call(e.childNodes, function (n) {
      return n.nodeType === 3 && n.textContent.trim(); });
    if (own && e.getClientRects().length && !e.closest('[aria-disabled=true]'))
      out.push([e.tagName + '#' + e.id + '.' + e.className, ratio(rgb(getComputedStyle(e).color), back(e))]);
    if (e.tagName === 'LI' && e.getClientRects().length)
      out.push(['number of ' + e.textContent, ratio(rgb(getComputedStyle(e, getComputedStyle(e).display ===
        'list-item' ? '::marker' : '::before').color), back(e.parentElement))]);
  });
  return out;
})()"""


def test_text_has_aa_contrast_at_every_step(browser, neuron_player):
    # the step numbers of the ledger lines (the list's markers) were #999 on the panel: 2.4 to 2.6, below 4.5;
    # white text on the mid reds of the gradient scale (the legend's 1e-01, #e34f32): 3.9
    path, steps = neuron_player
    browser.open(path)
    for k in range(len(steps) + 1):
        low = [(what, round(r, 2)) for what, r in browser.js(CONTRAST) if r < 4.5]
        assert low == [], k
        browser.key("ArrowRight", 39)


def test_in_a_dark_notebook_the_buttons_keep_their_text(browser, tmp_path):
    # a host page in a dark colour scheme (color-scheme: dark, as dark notebook and docs themes set it) gave the
    # player's white buttons the scheme's white text: contrast 1.0, the buttons read as blank boxes
    require_binary("dot")
    pages = [player.player_html((Value(2.0, label="a") * Value(-3.0, label="b")).tanh())]
    page = NOTEBOOK.replace("PAGES", json.dumps(pages).replace("</", "<\\/")).replace("HEAD", "false")
    path = tmp_path / "dark.html"
    path.write_text(page.replace("<body>", "<body style='color-scheme: dark; background: #111; color: #ddd'>"),
                    encoding="utf-8")
    browser.open(path)
    browser.key("End", 35)
    low = [(what, round(r, 2)) for what, r in browser.js(CONTRAST) if r < 4.5]
    assert low == [] and browser.js("document.querySelectorAll('#player button').length") >= 6


NOTEBOOK = """<!DOCTYPE html><html><body><p>two cells' outputs</p><div class="output"></div><div class="output"></div>
<script>
document.querySelectorAll('.output').forEach(function (out, i) {  // as a notebook shows an HTML output
  out.innerHTML = PAGES[i];
  out.querySelectorAll('script').forEach(function (old) {  // and runs its scripts: in place (JupyterLab), or
    if (HEAD && old.type) return;                           // in the head, the data left alone (jQuery's .html)
    var s = document.createElement('script');
    Array.prototype.forEach.call(old.attributes, function (a) { s.setAttribute(a.name, a.value); });
    s.textContent = old.textContent;
    if (HEAD) document.head.appendChild(s).remove(); else old.parentNode.replaceChild(s, old);
  });
});
</script></body></html>"""


@pytest.mark.parametrize("run", ["in place", "in the head"])
def test_two_players_in_one_notebook_page_step_each_on_its_own(browser, tmp_path, run):
    # VS Code shows a notebook's HTML outputs in one document: the second player's script found the first
    # player's elements (getElementById), so its buttons and keys did nothing and the first one moved instead
    require_binary("dot")
    x, passes = Value(2.0, label="x"), []
    for out in [(Value(2.0, label="a") * Value(-3.0, label="b") + 10.0).tanh(), (x * x).tanh()]:
        with ledger.record() as steps:
            out.backward()
        passes.append(steps)
    pages, (n1, n2) = [player.player_html(steps) for steps in passes], [len(steps) for steps in passes]
    path = tmp_path / "notebook.html"
    page = NOTEBOOK.replace("PAGES", json.dumps(pages).replace("</", "<\\/"))
    path.write_text(page.replace("HEAD", json.dumps(run == "in the head")), encoding="utf-8")
    browser.events.clear()
    browser.open(path)
    counters = "Array.prototype.map.call(document.querySelectorAll('[id=counter]'), c => c.textContent)"
    assert browser.js(counters) == [f"step 0 / {n1}", f"step 0 / {n2}"]
    assert browser.js("document.querySelectorAll('[data-ready]').length") == 2
    browser.js("document.querySelectorAll('[id=next]')[1].scrollIntoView()")
    browser.click(".output:nth-of-type(2) #next")
    assert browser.js(counters) == [f"step 0 / {n1}", f"step 1 / {n2}"]
    browser.key("ArrowRight", 39)  # the keys go to the player last clicked
    assert browser.js(counters) == [f"step 0 / {n1}", f"step 2 / {n2}"]
    assert browser.js("document.querySelectorAll('[id=line]')[1].textContent") == passes[1].line(1)
    browser.js("document.querySelectorAll('[id=line]')[0].scrollIntoView()")
    browser.click(".output:nth-of-type(1) #line")
    browser.key("End", 35)
    assert browser.js(counters) == [f"step {n1} / {n1}", f"step 2 / {n2}"]
    # the address is the notebook's: a player neither writes its step there (after the steps pause) nor follows it
    browser.js("location.hash = '#1'")
    later = "new Promise(function (done) { setTimeout(function () { done(location.hash); }, 400); })"
    assert browser.call("Runtime.evaluate", {"expression": later, "awaitPromise": True, "returnByValue": True},
                        session=True)["result"]["value"] == "#1"
    assert browser.js(counters) == [f"step {n1} / {n1}", f"step 2 / {n2}"]
    assert browser.errors() == []


def test_a_player_shown_after_an_output_whose_script_never_ran_steps_itself(browser, tmp_path):
    # a notebook opened untrusted shows its saved outputs without running their scripts; a player run after one of them
    # takes its own elements, not those of the first player that is not ready (that one's script never ran)
    require_binary("dot")
    pages = [player.player_html((Value(2.0, label=n) * Value(-3.0)).tanh()) for n in "ab"]
    path = tmp_path / "untrusted.html"
    page = NOTEBOOK.replace("PAGES", json.dumps(pages).replace("</", "<\\/")).replace("HEAD && old.type", "!i")
    path.write_text(page.replace("HEAD", "false"), encoding="utf-8")  # the first output's scripts are not run
    browser.open(path)
    browser.js("document.querySelectorAll('[id=next]')[1].scrollIntoView()")
    browser.click(".output:nth-of-type(2) #next")
    counters = "Array.prototype.map.call(document.querySelectorAll('[id=counter]'), c => c.textContent)"
    assert browser.js(counters) == ["step 0 / 3", "step 1 / 3"]
    assert browser.js("Array.from(document.querySelectorAll('[data-steps]'), p => p.hasAttribute('data-ready'))") == [
        False, True]
    assert browser.errors() == []


def test_holding_an_arrow_key_leaves_the_console_quiet_and_the_address_right(browser, neuron_player):
    # each step wrote the address (#k): held keys (30 a second) made Chromium throttle it ("Throttling
    # navigation to prevent the browser from hanging") after 200 writes, and the address stopped following
    path, steps = neuron_player
    browser.open(path)
    browser.events.clear()
    for k in range(130):
        browser.key("ArrowRight", 39)
        browser.key("ArrowLeft", 37)
    browser.key("ArrowRight", 39)
    time.sleep(1.0)
    assert browser.js("[location.hash, document.getElementById('counter').textContent]") == [
        "#1", f"step 1 / {len(steps)}"]
    said = [e["params"]["entry"]["text"] for e in browser.events if e.get("method") == "Log.entryAdded"]
    assert said == [] and browser.errors() == []


def test_jumping_through_a_long_pass_lays_out_only_the_lines_in_sight(browser, tmp_path):
    # the ledger lines were list items; hiding 12,000 of them at once (Home after End) took Chromium 5.5 s of
    # layout (a 2-64-64-1 scalar MLP, 13,124 steps: 7 to 8 s), during which the page froze. What keeps it quick is
    # asserted, not a time (a loaded machine can take any time): the lines are blocks numbered from data-k, not list
    # items Chromium renumbers, and a line out of sight is not laid out (content-visibility: auto), but the current one
    _open_chain(browser, tmp_path / "long.html", 0.5, 1.0001, 12_000, max_nodes=40, max_steps=None)
    for key in ("end", "home"):
        browser.js(f"document.getElementById('{key}').click()")
    assert browser.js("document.getElementById('counter').textContent") == "step 0 / 12000"
    style = ("(function (i) { var li = document.querySelectorAll('#lines li')[i], c = getComputedStyle(li);"
             " return [c.display, c.contentVisibility, getComputedStyle(li, '::before').content]; })")
    assert browser.js(f"{style}(0)") == ["block", "visible", '"0."']  # the current line
    browser.key("End", 35)
    assert browser.js(f"{style}(11999)") == ["block", "auto", '"11999."']
    browser.key("Home", 36)
    shown = "document.querySelectorAll('#lines li:not(.later)').length"
    assert browser.js(shown) == 1
    browser.key("End", 35)
    assert browser.js(shown) == 12_001 and browser.errors() == []


def test_a_player_in_a_notebook_leaves_the_notebooks_own_styles_alone(browser, tmp_path):
    # the page's style sheet set body, button, h1, header and footer everywhere: shown in a notebook, it gave the
    # notebook a white background, no margin and its own big buttons; and its rules for #line, #legend, #frame...
    # styled the notebook's own elements of those ids (a heading "Legend" is id="legend" in mkdocs and MyST)
    require_binary("dot")
    host = NOTEBOOK.replace("<p>", "<header><h1>My notebook</h1><button id='run'>Run</button></header><h2 id="
                            "'legend'>Legend</h2><p id='line'>a line</p><div id='frame'>a frame</div><p>")
    host = host.replace("<body>", "<body style='background: rgb(30, 30, 30); color: rgb(220, 220, 220)'>")
    styles = """(function () { var keep = ['background-color', 'color', 'font-family', 'font-size', 'margin-top',
      'padding-left', 'border-top-left-radius', 'box-sizing', 'max-width', 'overflow-x', 'position'], out = {};
      ['body', '#run', 'body > header', 'body > header > h1', 'h2#legend', 'p#line', 'div#frame'].forEach(function (s) {
        var c = getComputedStyle(document.querySelector(s));
        out[s] = keep.map(function (p) { return c.getPropertyValue(p); }); });
      return out; })()"""
    seen = []
    for pages in ([], [player.player_html((Value(2.0, label="a") * Value(-3.0, label="b")).tanh())]):
        path = tmp_path / f"host{len(pages)}.html"
        page = host.replace("PAGES", json.dumps(pages).replace("</", "<\\/"))
        path.write_text(page.replace("HEAD", "false"), encoding="utf-8")
        browser.open(path)
        seen.append(browser.js(styles))
    assert seen[1] == seen[0]
    assert browser.js("document.querySelectorAll('[data-ready]').length") == 1


@pytest.mark.parametrize("width,height", [(375, 667), (1024, 768), (3840, 2160)])
def test_a_phone_a_projector_and_a_4k_screen_show_the_whole_player_without_scrolling(browser, neuron_player,
                                                                                     width, height):
    path, steps = neuron_player
    size = {"deviceScaleFactor": 1, "mobile": False}
    browser.call("Emulation.setDeviceMetricsOverride", {"width": width, "height": height, **size}, session=True)
    try:
        browser.open(path)
        browser.key("End", 35)
        page = browser.js("""(function () { var d = document.documentElement, r = function (s) {
            var b = document.querySelector(s).getBoundingClientRect(); return [b.left, b.top, b.right, b.bottom]; };
            return {size: [d.scrollWidth, d.scrollHeight], buttons: ['#prev', '#next', '#counter'].map(r),
                    frame: r('#frame'), view: document.getElementById('view').textContent}; })()""")
    finally:
        browser.call("Emulation.setDeviceMetricsOverride", {"width": 1280, "height": 800, **size}, session=True)
    assert page["size"][0] == width and (page["size"][1] == height or width < 600), page  # a phone may scroll down
    assert all(0 <= b[0] and b[2] <= width and 0 <= b[1] and b[3] <= height for b in page["buttons"]), page
    assert page["frame"][3] - page["frame"][1] >= 100, page  # room for the graph
    # the whole graph on a phone is a third of its size, its text about 5 px: the player starts following the step
    assert page["view"] == ("whole graph" if width < 600 else "follow the step"), page


def test_the_space_bar_steps_after_the_slider_or_a_node_was_clicked(browser, neuron_player):
    # a dragged slider keeps the focus, and the space bar, left to the slider (which has no use for it), did
    # nothing: the lecturer's next press after scrubbing was lost
    path, steps = neuron_player
    browser.open(path)
    n = len(steps)
    browser.click("#slider")  # the middle of the slider: the middle step
    k = int(browser.js("document.getElementById('slider').value"))
    assert browser.js("document.activeElement.id") == "slider" and 0 < k < n
    assert [_press(browser, " ", 32), _press(browser, " ", 32, shift=True), _press(browser, "ArrowRight", 39)] == [
        f"step {j} / {n}" for j in (k + 1, k, k + 1)]
    browser.click("#node_n0")  # a node of the graph: the player takes the keys
    assert [_press(browser, " ", 32), _press(browser, "Home", 36)] == [f"step {k + 2} / {n}", f"step 0 / {n}"]
    assert browser.js("document.getElementById('line').textContent") == steps.seed_line()
    assert browser.errors() == []


def test_a_notebook_output_shown_later_or_narrowed_shows_the_whole_graph(browser, tmp_path):
    # the graph was placed once, when the script ran, and again only on a window resize: in an output hidden at
    # that moment (collapsed, a background tab) it was drawn at scale 0 and stayed invisible once shown; an output
    # narrowed from 1200 to 500 px (a side panel opened) kept the graph 1208 px wide, its right part cut off
    require_binary("dot")
    pages = [player.player_html((Value(2.0, label="a") * Value(-3.0, label="b") + 10.0).tanh())]
    page = NOTEBOOK.replace("PAGES", json.dumps(pages).replace("</", "<\\/")).replace("HEAD", "false")
    path = tmp_path / "hidden.html"
    path.write_text(page.replace('<div class="output"></div><div class="output"></div>',
                                 '<div class="output" style="display: none; width: 1200px"></div>'), encoding="utf-8")
    browser.events.clear()
    browser.open(path)
    fits = """(function () { var f = document.getElementById('frame').getBoundingClientRect(),
      s = document.querySelector('#frame svg').getBoundingClientRect();
      return [s.width > 0.5 * f.width || s.height > 0.5 * f.height, s.left >= f.left - 1 && s.right <= f.right + 1
              && s.top >= f.top - 1 && s.bottom <= f.bottom + 1]; })()"""
    for style in ("display: block", "width: 500px"):
        browser.js(f"document.querySelector('.output').style.cssText += '; {style}'")
        time.sleep(0.2)  # a frame or two
        assert browser.js(fits) == [True, True], style
    # and there the legend goes below the ledger lines: beside them (the window, not the output, was narrow enough
    # to stack the two) it left the lines 11 px of the 500, every line hidden
    assert browser.js("document.getElementById('lines').getBoundingClientRect().width") >= 450
    assert browser.errors() == []


def test_the_address_opens_a_step_and_a_step_typed_into_it_later_is_shown(browser, neuron_player):
    # the step in the address (#k) was read once, when the page loaded: #1 typed into the address bar of the open
    # page (or a link to a step within it) changed the address and left the player at step 3
    path, steps = neuron_player
    n = len(steps)
    browser.call("Page.navigate", {"url": "about:blank"}, session=True)
    browser.wait_event("Page.loadEventFired")
    browser.call("Page.navigate", {"url": path.resolve().as_uri() + "#3"}, session=True)  # straight at step 3
    browser.wait_event("Page.loadEventFired")
    read = "[document.getElementById('counter').textContent, document.getElementById('line').textContent]"
    assert browser.js(read) == [f"step 3 / {n}", steps.line(2)]
    for hash_, k in (("#1", 1), ("#99", n), ("#nothing", n), ("#0", 0)):
        browser.js(f"location.hash = '{hash_}'")
        time.sleep(0.1)
        assert browser.js(read) == [f"step {k} / {n}", steps.line(k - 1) if k else steps.seed_line()], hash_
    assert browser.errors() == []


def test_a_projector_zoomed_to_200_percent_gives_the_graph_most_of_the_height(browser, neuron_player):
    # 1920 x 1080 at 200 % is a 960 x 540 window: the footer stacked the ledger lines over the legend, 241 px, and
    # left the graph 174 px (32 %) at the last step (a 2-4-1 MLP's: 154 px, following a step drew its text 4.8 px)
    path, steps = neuron_player
    browser.call("Emulation.setDeviceMetricsOverride", {"width": 960, "height": 540, "deviceScaleFactor": 2,
                                                        "mobile": False}, session=True)
    try:
        browser.open(path)
        browser.key("End", 35)
        box = browser.js("""(function () { var r = function (s) { var b = document.querySelector(s)
            .getBoundingClientRect(); return [b.top, b.bottom]; }, f = document.querySelector('footer');
            return {frame: r('#frame'), footer: r('footer'), lines: r('#lines'), legend: r('#legend'),
                    scrolls: getComputedStyle(f).overflowY, page: document.documentElement.scrollWidth}; })()""")
    finally:
        browser.call("Emulation.setDeviceMetricsOverride", {"width": 1280, "height": 800, "deviceScaleFactor": 1,
                                                            "mobile": False}, session=True)
    assert box["frame"][1] - box["frame"][0] >= 0.4 * 540 and box["frame"][1] <= box["footer"][0], box
    assert box["lines"][1] - box["lines"][0] >= 100 and box["page"] == 960, box  # the lines as before
    assert box["legend"][0] < 540 and box["scrolls"] == "auto", box  # the legend below them, scrolled to


def test_printing_a_step_prints_every_line_up_to_it_and_the_legend(browser, tmp_path):
    # on paper the ledger lines kept their scrolled box (22 % of the page): of the 25 lines (877 px) up to the last
    # step of a 24-step pass, 231 px were printed, the derivation leading to them cut off
    _open_chain(browser, tmp_path / "print.html", 1.0, 1.5, 24)
    browser.key("End", 35)
    browser.js("""window.printed = []; matchMedia('print').addListener(function (m) { if (!m.matches) return;
      window.printed.push(['lines', 'legend', 'footer'].map(function (s) { var e = document.querySelector('#' + s +
        ', ' + s); return [s, e.clientHeight, e.scrollHeight, getComputedStyle(e).overflowY]; })); });""")
    browser.call("Page.printToPDF", {"paperWidth": 8.27, "paperHeight": 11.69}, session=True)  # A4
    (printed,) = browser.js("window.printed")
    for name, shown, needed, overflow in printed:
        assert shown >= needed or overflow == "visible", printed
    assert browser.errors() == []


def test_a_notebook_page_scrolls_with_its_keys_until_a_player_is_clicked(browser, tmp_path):
    # in a notebook exported to HTML, the first player took every key pressed on the page: PageDown, space and the
    # arrows stepped it (0 -> 1) and the page, 3,000 px tall, never scrolled
    require_binary("dot")
    pages = [player.player_html((Value(2.0, label="a") * Value(-3.0, label="b")).tanh())]
    page = NOTEBOOK.replace("PAGES", json.dumps(pages).replace("</", "<\\/")).replace("HEAD", "false")
    path = tmp_path / "notebook.html"
    path.write_text(page.replace("<p>", "<p style='height: 3000px'>"), encoding="utf-8")
    browser.events.clear()
    browser.open(path)
    read = "[Math.round(scrollY), document.getElementById('counter').textContent]"
    n = browser.js("+document.getElementById('slider').max")
    _press(browser, "PageDown", 34)
    time.sleep(0.3)  # a smooth scroll
    y, counter = browser.js(read)
    assert y > 0 and counter == f"step 0 / {n}"
    browser.js("document.getElementById('line').scrollIntoView()")
    browser.click("#line")  # the player takes the keys
    assert _press(browser, "PageDown", 34) == f"step 1 / {n}" and browser.errors() == []


def test_at_the_first_and_the_last_step_the_buttons_that_would_go_nowhere_say_so(browser, neuron_player):
    # prev and next were greyed out (aria-disabled) at the ends, but first and last never: at step 0 the projected
    # "first" button looked as live as "last"
    path, steps = neuron_player
    browser.open(path)
    read = "['home', 'prev', 'next', 'end'].map(function (id) { return document.getElementById(id)" \
           ".getAttribute('aria-disabled'); }).concat(document.getElementById('counter').textContent)"
    n = len(steps)
    assert browser.js(read) == ["true", "true", "false", "false", f"step 0 / {n}"]
    browser.click("#home")  # nothing before the first step
    assert browser.js(read) == ["true", "true", "false", "false", f"step 0 / {n}"]
    browser.key("ArrowRight", 39)
    assert browser.js(read) == ["false", "false", "false", "false", f"step 1 / {n}"]
    browser.click("#end")
    browser.click("#next")  # nor after the last
    assert browser.js(read) == ["false", "false", "true", "true", f"step {n} / {n}"]
    assert browser.errors() == []


def test_after_a_mouse_click_on_any_button_the_space_bar_steps(browser, neuron_player):
    # a clicked button kept the focus and took the space bar: after clicking "follow the step" each press of space
    # flipped the view back and forth and never stepped; after clicking "first" it went to step 0 again
    path, steps = neuron_player
    browser.open(path)
    n, view = len(steps), "document.getElementById('view').textContent"
    browser.click("#view")
    shown = browser.js(view)
    assert [_press(browser, " ", 32), _press(browser, " ", 32), browser.js(view)] == [
        f"step 1 / {n}", f"step 2 / {n}", shown]
    browser.click("#home")
    assert _press(browser, " ", 32) == f"step 1 / {n}"
    browser.click("#zoom-in")
    assert _press(browser, " ", 32) == f"step 2 / {n}"
    browser.js("document.getElementById('view').focus()")  # reached from the keyboard, a button keeps its space
    before = browser.js(view)
    assert _press(browser, " ", 32) == f"step 2 / {n}" and browser.js(view) != before
    assert browser.js("document.activeElement.id") == "view"
    assert browser.errors() == []


_SCALE = "parseFloat(document.querySelector('#frame svg').style.transform.match(/scale\\(([\\d.]+)\\)/)[1])"  # zoom


def test_plus_equals_and_minus_and_the_buttons_zoom_in_and_out_by_one_factor(browser, neuron_player):
    # the keys `+` (and `=`, the same key without Shift) and `-`, and the buttons: each multiplies the scale on the
    # screen by 1.25 or 0.8. Following a step, the scale stopped at the step's fit: `+` did nothing after the second
    # press (1.69), and `-` nothing for the next four; from the whole graph (0.90) `-` zoomed in, to 1.2
    path, _ = neuron_player
    browser.open(path)
    browser.key("ArrowRight", 39)
    fitted = 0.0  # the step fitted, before any zoom
    for whole in (False, True):
        if whole != (browser.js("document.getElementById('view').textContent") == "follow the step"):
            browser.key("f", 70)
        zooms = [browser.js(_SCALE)]
        fitted = fitted or zooms[0]
        for key, code in (("+", 187), ("=", 187), ("+", 187), ("-", 189), ("-", 189), ("-", 189)):
            _press(browser, key, code)
            zooms.append(browser.js(_SCALE))
        assert np.diff(np.log(zooms)) == pytest.approx(np.log([1.25] * 3 + [0.8] * 3), abs=1e-3), (whole, zooms)
    for button, f in (("#zoom-out", 0.8), ("#zoom-out", 0.8), ("#zoom-in", 1.25)):  # the buttons as the keys
        before = browser.js(_SCALE)
        browser.click(button)
        assert browser.js(_SCALE) == pytest.approx(before * f, rel=1e-3)
    browser.key("ArrowRight", 39)  # the chosen scale stays as the steps move on
    assert browser.js(_SCALE) == pytest.approx(before * f, rel=1e-3)
    browser.key("ArrowLeft", 37)
    for _ in range(2):  # f, f: the whole graph, then the step fitted again, as at first
        browser.key("f", 70)
    assert browser.js(_SCALE) == pytest.approx(fitted, rel=1e-3)
    assert browser.errors() == []


def test_a_held_zoom_key_stops_at_a_readable_scale_in_and_out(browser, neuron_player):
    # + and - multiplied the scale with no end: a key held for about two seconds (40 repeats) zoomed in to 11,285 px
    # per unit (a node's text thousands of pixels high), 80 of - to 0.0002, written scale(0.0000) a few presses
    # later: the graph vanished from the frame
    path, _ = neuron_player
    browser.open(path)
    browser.key("ArrowRight", 39)
    whole = browser.js(_SCALE)  # the whole graph fitted (0.90 at 1280 x 800)
    assert browser.js("document.getElementById('view').textContent") == "follow the step"
    for _ in range(40):
        _press(browser, "+", 187)
    assert browser.js(_SCALE) <= 8
    _press(browser, "-", 189)
    assert browser.js(_SCALE) <= 8 * 0.8 * 1.001  # and - zooms out from there at once
    for _ in range(80):
        _press(browser, "-", 189)
    assert browser.js(_SCALE) >= whole / 4 * 0.999  # the whole graph a quarter of its fitted size at least
    assert browser.errors() == []


def test_zooming_works_at_a_step_between_nodes_left_out_of_the_picture(browser, tmp_path):
    # max_nodes=5 draws the nodes nearest the output; at step 10 of 12 neither end of the step is drawn and `+`
    # and `-` left the scale at 0.84 (1280 x 800), the whole graph
    _open_chain(browser, tmp_path / "cut.html", 1.0, 1.5, 12, max_nodes=5)
    browser.key("End", 35)
    for _ in range(2):
        browser.key("ArrowLeft", 37)
    assert browser.js("document.querySelectorAll('#frame .hl-node, #frame .hl-parent').length") == 0
    zooms = [browser.js(_SCALE)]
    for key, code in (("+", 187), ("+", 187), ("-", 189)):
        _press(browser, key, code)
        zooms.append(browser.js(_SCALE))
    assert np.diff(np.log(zooms)) == pytest.approx(np.log([1.25, 1.25, 0.8]), abs=1e-3), zooms
    assert browser.errors() == []


def test_text_has_aa_contrast_where_a_node_darkens_later(browser, tmp_path):
    # L = 100 x: x's gradient, 100, is the darkest fill (white text in the drawn picture); before step 1 it is not
    # known yet, a white node, whose text must be dark again
    require_binary("dot")
    x = Value(0.5, label="x")
    path = player.write_player(tmp_path / "dark.html", x * 100.0)
    browser.open(path)
    for k in range(2):
        low = [(what, round(r, 2)) for what, r in browser.js(CONTRAST) if r < 4.5]
        assert low == [], k
        browser.key("ArrowRight", 39)
    assert browser.errors() == []


FOLLOWED = """(function () {  // the union of the outlined elements' boxes and the frame's box, on the screen
  var f = document.getElementById('frame').getBoundingClientRect(), x0 = 1e9, y0 = 1e9, x1 = -1e9, y1 = -1e9;
  document.querySelectorAll('#frame .hl-node, #frame .hl-parent, #frame .hl-edge').forEach(function (e) {
    var r = e.getBoundingClientRect();
    x0 = Math.min(x0, r.left); y0 = Math.min(y0, r.top); x1 = Math.max(x1, r.right); y1 = Math.max(y1, r.bottom);
  });
  return [(x0 + x1) / 2, (y0 + y1) / 2, (f.left + f.right) / 2, (f.top + f.bottom) / 2, x0 >= f.left,
          x1 <= f.right, y0 >= f.top, y1 <= f.bottom];
})()"""


def test_following_the_step_puts_the_outlined_nodes_in_the_middle_of_the_frame(browser, neuron_player):
    path, steps = neuron_player
    browser.open(path)
    if browser.js("document.getElementById('view').textContent") == "follow the step":
        browser.key("f", 70)
    for k in range(1, len(steps) + 1):
        browser.key("ArrowRight", 39)
        cx, cy, fx, fy, *inside = browser.js(FOLLOWED)
        assert (cx, cy) == pytest.approx((fx, fy), abs=2.0) and all(inside), k
        assert browser.js(_SCALE) <= 1.5, k  # two small nodes are not blown up to fill the frame
    # with Caps Lock on (or Shift) the f key sends "F": it left the view as it was
    view = "document.getElementById('view').textContent"
    assert browser.js(view) == "whole graph"  # following the step
    _press(browser, "F", 70)
    assert browser.js(view) == "follow the step"
    assert browser.errors() == []


DASHED = """Array.prototype.filter.call(document.querySelectorAll('#frame g.node'), function (g) {
  var s = g.querySelector('polygon, ellipse'); return s && getComputedStyle(s).strokeDasharray !== 'none';
}).map(function (g) { return g.id; })"""


def test_a_partial_sum_is_dashed_until_its_last_contribution_arrives(browser, tmp_path):
    # y = x * x: x receives two contributions (steps 1 and 2); after the first its gradient is a partial sum
    require_binary("dot")
    x = Value(3.0, label="x")
    y = x * x
    y.label = "y"
    browser.open(player.write_player(tmp_path / "square.html", y))
    dashed = []
    for _ in range(3):
        dashed.append(browser.js(DASHED))
        browser.key("ArrowRight", 39)
    assert dashed == [[], ["node_n0"], []]
    browser.key("ArrowLeft", 37)
    assert browser.js(DASHED) == ["node_n0"]  # back at step 1
    assert browser.errors() == []


def test_the_current_line_in_the_list_is_shown_whole_after_every_way_of_moving(browser, tmp_path):
    # a line turned from hidden to current was measured off-screen at its placeholder height (1.3em), so the list
    # scrolled as if it had one short row: a two-line current step hung 11 to 30 px below the list's bottom edge
    require_binary("dot")
    loss, _ = draw.mlp_loss((2, 3, 3, 1))
    with ledger.record() as steps:
        loss.backward()
    browser.events.clear()
    browser.open(player.write_player(tmp_path / "lines.html", steps))
    inside = """new Promise(function (done) { requestAnimationFrame(function () { requestAnimationFrame(function () {
      var l = document.getElementById('lines'), c = l.querySelector('li.current');
      var a = l.getBoundingClientRect(), b = c.getBoundingClientRect();
      done([Math.round(b.top - a.top), Math.round(a.bottom - b.bottom)]); }); }); })"""  # as seen, a frame later
    moves = [("ArrowRight", 39, 0)] * len(steps) + [("Home", 36, 0), ("End", 35, 0), ("ArrowLeft", 37, 8),
                                                    ("ArrowRight", 39, 8), ("PageUp", 33, 0)]
    for k, (key, code, shift) in enumerate(moves):
        for kind in ("keyDown", "keyUp"):
            browser.call("Input.dispatchKeyEvent", {"type": kind, "key": key, "code": key, "modifiers": shift,
                                                    "windowsVirtualKeyCode": code}, session=True)
        top, below = browser.call("Runtime.evaluate", {"expression": inside, "awaitPromise": True,
                                                       "returnByValue": True}, session=True)["result"]["value"]
        assert top >= 0 and below >= 0, (k, key, top, below)
    assert browser.errors() == []


FRAME = """(function () { var out = {}, q = function (c) { return Array.prototype.map.call(
    document.querySelectorAll('#frame .' + c), function (e) { return e.id; }).sort(); };
  document.querySelectorAll('#frame g.node').forEach(function (g) {
    var s = g.querySelector('polygon, ellipse, path'); out[g.id] = [s.style.fill, g.classList.contains('partial')]; });
  return {nodes: out, node: q('hl-node'), parent: q('hl-parent'), edge: q('hl-edge').map(function (id) {
    return document.getElementById(id).querySelector('title').textContent; })}; })()"""


def _shared(engine: str):
    if engine == "value":  # a used twice by one node and by three, an n-ary sum with a constant
        a, b = Value(0.7, label="a"), Value(-1.3, label="b")
        c = a * a + b
        return (c * b).tanh() + a.exp() / b + Value.sum([a, c, 2.0])
    rng = np.random.default_rng(0)
    x, w = Tensor(rng.standard_normal((3, 2)), name="x"), Tensor(rng.standard_normal((2, 4)), True, name="W")
    h = (x @ w + Tensor(rng.standard_normal(4), requires_grad=True, name="b")).tanh()
    return (h * h).mean() + (h @ w.T).sum() * 0.1


@pytest.mark.parametrize("engine", ["value", "tensor"])
def test_every_frame_outlines_the_ledgers_step_and_fills_and_dashes_each_gradient_as_its_state(browser, tmp_path,
                                                                                             engine):
    # what the numbers test above leaves to the eye: the outlined node, parent and edge (its tooltip names the
    # ledger's parent and node), each fill the colour of the gradient known so far, the dashes on partial sums only
    require_binary("dot")
    with ledger.record() as steps:
        _shared(engine).backward()
    ps, n = steps.get_pass(), len(steps)
    browser.events.clear()
    browser.open(player.write_player(tmp_path / "frames.html", steps))
    states = [steps.state(k) for k in range(n + 1)]
    scale = draw.ColorScale.fit(draw.magnitude(g, ps.scalar) for st in states for g in st.grads.values())
    ids = {node: f"node_n{i}" for i, node in enumerate(ps.order)}
    painted = {ps.root} | {s.parent for s in steps}
    assert any(s.contribution_number < s.contributions_expected for s in steps)  # some partial sums to see
    for k, st in enumerate(states):
        if k:
            browser.key("ArrowRight", 39)
        frame = browser.js(FRAME)
        for node in painted:
            colour = scale.color(draw.magnitude(st.grads.get(node), ps.scalar))
            rgb = "rgb({}, {}, {})".format(*(int(colour[i:i + 2], 16) for i in (1, 3, 5)))
            assert frame["nodes"][ids[node]] == [rgb, node in st.grads and node not in st.complete], (k, node)
        s = st.step
        node_ids = [] if s is None else [ids[s.node], *[ids[s.node] + "op"] * ps.scalar]
        assert frame["node"] == sorted(node_ids or [ids[ps.root], *[ids[ps.root] + "op"] * ps.scalar])
        assert frame["parent"] == ([] if s is None else [ids[s.parent]])
        assert frame["edge"] == ([] if s is None else [f"{s.parent_name} -> {s.node_name}"])
    assert browser.errors() == []


OUTLINED = """['hl-node', 'hl-parent'].map(function (cls) {
  return Array.prototype.map.call(document.querySelectorAll('#frame g.' + cls), function (g) {
    var s = g.querySelector('polygon, ellipse, path'); return [g.id, getComputedStyle(s).stroke];
  });
})"""


def test_the_steps_node_is_outlined_in_red_and_its_parent_in_blue(browser, neuron_player):
    # the legend's promise: red, the node passing its gradient on (a Value's record and its op bubble); blue, the
    # parent receiving upstream x local
    path, steps = neuron_player
    browser.open(path)
    for k in range(1, 4):
        browser.key("ArrowRight", 39)
        s, order = steps[k - 1], steps.get_pass().order
        i, j = order.index(s.node), order.index(s.parent)
        red, blue = browser.js(OUTLINED)
        assert sorted(red) == [[f"node_n{i}", "rgb(214, 39, 40)"], [f"node_n{i}op", "rgb(214, 39, 40)"]], k
        assert blue == [[f"node_n{j}", "rgb(31, 119, 180)"]], k
    # and the legend's swatches keep them in a high-contrast mode (forced colours), where the graph keeps its red and
    # blue: both swatches were drawn in the system's text colour, and the legend no longer said which was which
    forced = [{"name": "forced-colors", "value": "active"}]
    browser.call("Emulation.setEmulatedMedia", {"features": forced}, session=True)
    try:
        swatches = browser.js("['upstream', 'receiver'].map(c => getComputedStyle(document.querySelector('.swatch.' + "
                              "c)).borderTopColor)")
        red, blue = browser.js(OUTLINED)
    finally:
        browser.call("Emulation.setEmulatedMedia", {"features": []}, session=True)
    assert swatches == [red[0][1], blue[0][1]] == ["rgb(214, 39, 40)", "rgb(31, 119, 180)"], swatches
    assert browser.errors() == []


def test_the_graphs_text_is_in_helvetica_and_lets_clicks_through(browser, neuron_player):
    # player.py strips Graphviz's font-family from the SVG; player.css sets it once, for every text of the frame
    browser.open(neuron_player[0])
    got = browser.js("""Array.prototype.map.call(document.querySelectorAll('#frame text'), function (t) {
      var s = getComputedStyle(t); return s.fontFamily.split(',')[0] + ' ' + s.pointerEvents; })""")
    assert got and set(got) == {"Helvetica none"}
