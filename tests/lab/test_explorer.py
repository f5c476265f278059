"""The init explorer: its numbers against the engine and numpy, its page offline, and the page in Chromium."""

from __future__ import annotations

import itertools
import math
import zlib
import json
import re
from pathlib import Path

import numpy as np
import pytest

from tinygrad_init import experiments, nn, theory
from tinygrad_init.lab import explorer as E
from tinygrad_init.lab.spectra import network

from lab import _chromium


def test_measure_matches_a_forward_and_backward_pass_by_hand():
    got = E.measure("tanh", "xavier_normal", 5 / 3, 4, 40, batch=32, rng=7)
    # the same network and data, drawn from the same stream, computed in numpy
    gen = np.random.default_rng(7)
    std = 5 / 3 * np.sqrt(2 / 80)
    Ws = [m.weight.data for m in network(4, 40, "tanh", 40 * std ** 2, rng=gen, dtype=np.float32)
          if isinstance(m, nn.Linear)]
    hs = [gen.standard_normal((32, 40)).astype(np.float32)]
    top = gen.standard_normal((32, 40))
    for W in Ws:
        hs.append(np.tanh(hs[-1] @ W))
    grads = [top]
    for W, h in zip(Ws[:0:-1], hs[:1:-1]):
        grads.insert(0, (grads[0] * (1 - h * h)) @ W.T)
    np.testing.assert_allclose(got["std"], [h.std(dtype=np.float64) for h in hs[1:]], rtol=1e-3)
    np.testing.assert_allclose(got["grad_std"], [g.std() for g in grads], rtol=1e-3)
    assert got["fraction"] == pytest.approx([np.mean(np.abs(h) > 0.97) for h in hs[1:]], abs=1e-3)
    assert [sum(h[2]) for h in got["hist"]] == [32 * 40] * 4
    assert len(E.measure("tanh", "xavier_normal", 1.0, 2, 8, bins=7)["grad_hist"][-1][2]) == 7  # bins reach them
    pred = theory.predict([40] * 5, "tanh", std)
    np.testing.assert_allclose(got["theory_std"], pred.act_std, rtol=1e-3)
    np.testing.assert_allclose(got["theory_grad_std"], pred.grad_act_std, rtol=1e-3)


@pytest.mark.parametrize("args,word", [(([1, 0.5, 0.01], [1, 1, 1], [0, 0, 0], "tanh"), "vanishes"),
                                       (([1, 1, 1], [100, 10, 1], [0, 0, 0], "tanh"), "explodes"),
                                       (([1, 1, 1], [1, 1, 1], [0, 0, 0.6], "tanh"), "saturates"),
                                       (([1, 1, 1], [1, 1, 1], [0, 0, 0.6], "relu"), "dies"),
                                       (([0, 0, 0], [0, 0, 1], [1, 1, 1], "relu"), "symmetric"),
                                       (([1, 2, 3], [1, 1, 0.5], [0, 0, 0.1], "tanh"), "holds")])
def test_verdict_is_the_reports_one_rule(args, word):
    assert E.verdict is experiments.judge and E.verdict(*args) == word


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> tuple[E.Explorer, Path]:
    ex = E.explore(quick=True, rng=0)
    return ex, ex.write(tmp_path_factory.mktemp("explorer"))


def test_the_page_is_offline_and_complete(page):
    ex, path = page
    text = path.read_text()
    assert path.name == "explorer.html" and text == ex.html and len(text) < 200_000
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//|fetch\(|XMLHttpRequest|@import""", text)
    blob = json.loads(re.search(r"const EXPLORER = (\{.*?\});</script>", text).group(1))
    assert blob["grid"]["gain"] == ["1", "2"] and len(blob["data"]) == 16
    assert blob["data"]["tanh|small|1|6|32"]["verdict"] == "vanishes"
    assert blob["words"]["holds"]["rule"] == experiments.WORDS["holds"].format(**experiments.THRESHOLDS)
    # each combination is seeded from the explorer's seed and its own name: the 15th is rebuilt alone
    combo = list(itertools.product(*E.QUICK_GRID.values()))[14]
    assert E.key(*combo) == "relu|xavier_normal|2|3|32"
    seed = int(np.random.default_rng(0).integers(2 ** 31))
    assert blob["data"][E.key(*combo)] == E.measure(*combo, rng=np.random.default_rng(
        [seed, zlib.crc32(b"relu|xavier_normal|2|3|32")]))
    # in a notebook: a frame with a name for a screen reader to announce (it had none)
    assert ex._repr_html_().startswith('<iframe title="init explorer" srcdoc="&lt;!DOCTYPE html&gt;')


def test_the_explorer_prints_its_grid_and_no_memory_address(page):
    # explore() as the last line of a cell or at the prompt printed '<...Explorer object at 0x7f...>' as its text, an
    # address that changes with every run (a notebook saves that text beside the page)
    assert repr(page[0]) == ("Explorer(16 combinations of activation tanh, relu; scheme small, xavier_normal; gain 1, "
                             "2; depth 3, 6; width 32: .write(path) saves the page)")
    assert repr(E.Explorer({"gain": []}, {})) == "Explorer(0 combinations of gain -: .write(path) saves the page)"


def test_one_number_per_layer_is_refused_not_called_symmetric():
    with pytest.raises(ValueError, match=r"measure: width x batch must be at least 2"):
        E.measure("tanh", "xavier_normal", 1.0, 3, 1, batch=1)  # was the verdict 'symmetric'
    assert E.measure("tanh", "xavier_normal", 1.0, 3, 1, batch=2)["verdict"] == "holds"
    assert E.measure("relu", "he_normal", 1.0, 3, 50, batch=2)["verdict"] == "holds"  # ReLU: a batch of 2 is enough


def test_a_combinations_numbers_do_not_depend_on_the_rest_of_the_grid():
    # they used to be seeded in grid order: the same network read differently in a smaller grid
    one = {**{k: v[:1] for k, v in E.QUICK_GRID.items()}, "depth": [3]}
    two = {**one, "activation": ["relu", *one["activation"]], "depth": [6, 3]}
    small, big = E.explore(grid=one, rng=5).data, E.explore(grid=two, rng=5).data
    (name,) = small
    assert name in big and big[name] == small[name]


def test_a_folder_name_with_a_dot_gets_the_page_inside_it(page, tmp_path):
    # `explore --out course.2024` wrote a file "course.2024" (no .html: a browser does not open it as a page)
    ex = page[0]
    assert ex.write(tmp_path / "course.2024") == tmp_path / "course.2024" / "explorer.html"
    assert (tmp_path / "course.2024" / "explorer.html").read_text(encoding="utf-8") == ex.html
    assert [E.Explorer.file(tmp_path / n) for n in ("P.HTML", "p.htm")] == [tmp_path / "P.HTML", tmp_path / "p.htm"]
    deep = tmp_path / "course" / "week3" / "init.html"  # folders that do not exist yet are made
    assert ex.write(deep) == deep and deep.read_text(encoding="utf-8") == ex.html
    assert E.Explorer.file("out") == Path("out") / "explorer.html"
    (tmp_path / "site.html").mkdir()  # a folder named like a page: the page goes inside it
    assert ex.write(tmp_path / "site.html") == tmp_path / "site.html" / "explorer.html"


def test_a_file_in_the_way_of_the_folder_is_named_by_write(page, tmp_path):
    # write("notes.txt") over an existing notes.txt raised Python's bare "[Errno 17] File exists: 'notes.txt'"
    (tmp_path / "notes.txt").write_text("mine")
    for path in (tmp_path / "notes.txt", tmp_path / "notes.txt" / "week3"):
        with pytest.raises(FileExistsError, match=r"^Explorer.write: cannot make the folder .*notes.txt.*\.html"):
            page[0].write(path)
    assert (tmp_path / "notes.txt").read_text() == "mine"


@pytest.mark.parametrize("bad", [None, 5, ["page.html"]])
def test_a_path_that_is_no_file_name_is_named_by_write_and_by_explore_before_it_measures(page, bad, monkeypatch):
    # write(None) raised Python's "expected str, bytes or os.PathLike object, not NoneType"; explore(out=5) did so
    # only after measuring every network of the grid (minutes for GRID)
    with pytest.raises(TypeError, match=r"^Explorer.write: path must be a file name ending in .html or a folder"):
        page[0].write(bad)
    monkeypatch.setattr(E, "measure", lambda *a, **k: pytest.fail("measured before the path was checked"))
    with pytest.raises(TypeError, match=r"^explore: out must be a file name ending in .html or a folder"):
        E.explore(bad or [], quick=True)  # None: no file to write


def test_a_folder_where_the_page_goes_is_named_and_explore_checks_its_out_first(page, tmp_path, monkeypatch):
    # write(folder) over a folder folder/explorer.html raised a bare "[Errno 21] Is a directory"
    (tmp_path / "explorer.html").mkdir()
    with pytest.raises(IsADirectoryError, match=r"^Explorer.write: path .*explorer.html' is a folder"):
        page[0].write(tmp_path)
    (tmp_path / "notes.txt").write_text("mine")
    monkeypatch.setattr(E, "measure", lambda *a, **k: pytest.fail("measured before the path was checked"))
    with pytest.raises(FileExistsError, match=r"^explore: cannot make the folder .*notes.txt"):
        E.explore(tmp_path / "notes.txt", quick=True)
    with pytest.raises(IsADirectoryError, match=r"^explore: out .*explorer.html' is a folder"):  # its own argument
        E.explore(tmp_path, quick=True)
    with pytest.raises(ValueError, match=r"^explore: grid must give"):  # before the page's folder is made
        E.explore(tmp_path / "new", grid={"bad": [1]})
    assert not (tmp_path / "new").exists()


def test_key_and_the_pages_data_are_documented():
    assert "key" in E.__all__ and E.key("tanh", "small", 1.0, 12, 100) == "tanh|small|1|12|100"
    assert all(word in E.Explorer.__doc__ for word in ("`grid`", "`data[key(", "`measure`"))
    # its docstring named no argument: which values, in which order, make a page's key
    assert "key(activation, scheme, gain, depth, width)" in E.key.__doc__ and E.key(5 / 3) == "1.66667"
    # names are read without case, as measure and the command line read them: "Tanh|small|..." was on no page
    assert E.key("Tanh", "SMALL", 1.0, 4, 100) == E.key("tanh", "small", 1, 4, 100) == "tanh|small|1|4|100"


def test_tutorial_12_states_the_saturation_rule_as_the_page_counts_it():
    # its rule 2 read "over half of the last layer's units saturated", where the page, the report's rule and the
    # tutorial's own measure count tanh's and sigmoid's entries (examples x units), ReLU's dead units
    text = (Path(__file__).resolve().parents[2] / "tutorials" / "12_init_explorer.py").read_text(encoding="utf-8")
    rule = re.search(r"\n# 1\. layer 1's.*?\n# 2\. (.*?)\n# 3\. ", text, re.S).group(1)
    rule = " ".join(rule.replace("#", "").split())
    assert "of the last layer's entries" in experiments.WORDS["saturates"]
    assert rule == ("over half of the **last** layer's entries (examples x units) saturated: \"saturates\" (tanh, "
                    "sigmoid), or over half of its units dead, 0 for every example: \"dies\" (ReLU);")


def test_measure_names_itself_for_a_misspelt_scheme():
    with pytest.raises(ValueError, match=r"^measure: unknown initialization scheme 'smalll'\. Did you mean 'small'\?"):
        E.measure("tanh", "smalll", 1.0, 3, 8)  # it named describe, which the caller never called


def test_a_combinations_numbers_do_not_depend_on_the_blas_threads():
    # 500 saturated tanh units: the summation order of a multi-threaded product changed std(dL/dh) by up to 8%
    from threadpoolctl import threadpool_limits
    runs = []
    for threads in (1, 2):
        with threadpool_limits(threads, user_api="blas"):
            runs.append(E.measure("tanh", "large", 2.0, 5, 500))
    assert runs[0] == runs[1]


def test_the_page_is_written_with_the_same_bytes_on_every_platform(tmp_path, monkeypatch):
    # written as text with the platform's line ends: on Windows each \n became \r\n (the player's page did not)
    write = Path.write_text

    def as_on_windows(self, data, encoding=None, errors=None, newline=None):
        return write(self, data.replace("\n", "\r\n") if newline is None else data, encoding, errors, newline)

    monkeypatch.setattr(Path, "write_text", as_on_windows)
    page = E.Explorer({"activation": ["tanh"]}, {})
    assert page.write(tmp_path / "e.html").read_bytes() == page.html.encode()


def test_a_second_write_replaces_the_page_whole(tmp_path, monkeypatch):
    # the page was truncated, then written: a browser reloading it meanwhile read half a page
    path = E.Explorer({"activation": ["tanh"]}, {}).write(tmp_path)
    with path.open("rb") as reader:
        old = path.read_bytes()
        assert E.Explorer({"activation": ["relu"]}, {}).write(tmp_path).read_bytes() != old
        assert reader.read() == old
    old, write = path.read_bytes(), Path.write_bytes
    monkeypatch.setattr(Path, "write_bytes", lambda p, data: write(p, data[:99]) and 1 / 0)  # a full disk, halfway
    with pytest.raises(ZeroDivisionError):
        E.Explorer({"activation": ["tanh"]}, {}).write(tmp_path)
    assert path.read_bytes() == old and [p.name for p in tmp_path.iterdir()] == ["explorer.html"]  # nothing half
    monkeypatch.undo()
    path.rename(tmp_path / "web.html")  # a page linked into the folder a web server shows: written through the link
    path.symlink_to(tmp_path / "web.html")
    assert E.Explorer({"activation": ["tanh"]}, {}).write(tmp_path) == path and path.is_symlink()
    assert (tmp_path / "web.html").read_bytes() == path.read_bytes() != old


# The browser tests share one Chromium (chromium): one process runs them (pytest-xdist's --dist loadgroup)
CHROMIUM = pytest.mark.xdist_group("explorer_chromium")


@pytest.fixture(scope="module")
def chromium():
    """Chromium, by the player's browser test's driver (one copy of it, loaded from there), for the module's tests."""
    browser = _chromium.start()
    yield browser
    browser.close()


@pytest.fixture
def browser(chromium):
    """A new tab of chromium for each test, closed after it."""
    with _chromium.tab(chromium) as tab:
        yield tab


STATE = """(function () {
  var d = function (id) { return Array.prototype.map.call(document.querySelectorAll('#' + id + ' path.line'),
                                                         function (p) { return p.getAttribute('d'); }).join(' '); };
  return {ready: document.getElementById('explorer').getAttribute('data-ready'),
          key: document.getElementById('explorer').getAttribute('data-key'),
          verdict: document.getElementById('verdict').textContent,
          rule: document.getElementById('rule').textContent,
          legend: document.getElementById('legend').textContent,
          acts: d('acts'), grads: d('grads'), stds: d('stds'),
          lines: document.querySelectorAll('#acts path.line').length};
})()"""


def _choose(browser, control: str, value: str) -> None:
    browser.js(f"(function () {{ var s = document.getElementById('{control}'); s.value = '{value}'; "
               "s.dispatchEvent(new Event('change')); })()")


@pytest.mark.browser
@CHROMIUM
def test_the_page_in_chromium(page, browser):
    _, path = page
    browser.open(path)
    s0 = browser.js(STATE)
    assert s0["ready"] == "1" and browser.errors() == []
    assert s0["key"] == "tanh|small|1|3|32" and s0["verdict"] == "vanishes" and s0["lines"] == 3
    assert s0["rule"].startswith("vanishes: ") and "below 0.1" in s0["rule"]  # the threshold on the page
    browser.click("#scheme")  # a real click on a control, then the choice
    _choose(browser, "scheme", "xavier_normal")
    s1 = browser.js(STATE)
    assert s1["key"] == "tanh|xavier_normal|1|3|32" and s1["verdict"] == "holds"
    assert s1["acts"] != s0["acts"] and s1["grads"] != s0["grads"] and s1["stds"] != s0["stds"]
    _choose(browser, "depth", "6")
    s2 = browser.js(STATE)
    assert s2["lines"] == 6 and s2["acts"] != s1["acts"]
    # tanh's saturated fraction counts entries (batch x units), ReLU's dead one units (it said "of the units" both)
    assert s2["legend"].endswith("% of the entries (within 0.03 of a limit).")
    f = page[0].data["tanh|xavier_normal|1|6|32"]["fraction"][-1]  # in percent, one decimal
    assert abs(float(re.search(r"Last layer: saturated (\d+\.\d)% ", s2["legend"])[1]) - 100 * f) <= 0.05 + 1e-9
    assert "Near a threshold" not in s2["rule"]
    _choose(browser, "activation", "relu")
    assert browser.js(STATE)["key"] == "relu|xavier_normal|1|6|32"
    legend = browser.js(STATE)["legend"]
    assert re.search(r"Last layer: dead \d+\.\d% of the units \(0 for the whole batch\)\.$", legend), legend
    # 'holds', where shrink 0.2 gives 'vanishes': the page says that another network may get that word
    assert browser.js(STATE)["rule"].endswith(" Near a threshold: thresholds a little to either side give vanishes, "
                                              "so another network of these settings (another seed) may get that word.")
    # the std chart told activations from gradients by colour alone (blue, orange): one grey on a grey-scale printout
    # or to a colour-blind student. The gradients' dots are rings, their theory dash-dots, and the legend says so
    marks = ("Array.from(document.querySelectorAll('#stds circle, #stds path.line'), e => e.tagName === 'circle' ? "
             "e.getAttribute('fill') : e.getAttribute('stroke-dasharray'))")
    assert browser.js(marks) == ["#0072B2"] * 6 + ["none", "5,4"] + ["#fcfcfc"] * 6 + ["none", "8,3,2,3"]
    assert ("std: activations in blue (filled dots, dashes), gradients in orange (rings, dash-dots)."
            in browser.js(STATE)["legend"])
    assert browser.errors() == []


@pytest.mark.browser
@CHROMIUM
def test_two_explorers_in_a_narrow_notebook_each_show_all_of_the_page(page, browser, tmp_path):
    # inline, the page was a frame 760 px high whatever it held: in an output 700 px wide (a notebook beside its file
    # browser on a 1024 px projector) its charts go one to a row, 1000 px, and the std chart and the legend were
    # hidden below the frame's edge, behind a scroll bar of their own
    frames = 2 * page[0]._repr_html_()
    (tmp_path / "nb.html").write_text(f'<!DOCTYPE html><html><body><div id="out" style="width: 700px">{frames}</div>'
                                      "</body></html>", encoding="utf-8")
    browser.open(tmp_path / "nb.html")
    fit = """Array.from(document.querySelectorAll('iframe'), f => { var d = f.contentDocument;
      return [d.getElementById('explorer').getAttribute('data-ready'), d.documentElement.scrollHeight,
              d.documentElement.clientHeight, f.getBoundingClientRect().height]; })"""
    for ready, content, seen, frame in browser.js(fit):  # two pages, ids of their own (a frame each)
        assert ready == "1" and content == seen == frame > 900, (content, seen, frame)
    before = browser.js(fit)[1][3]
    browser.js("""(function () { var d = document.querySelectorAll('iframe')[1].contentDocument;  // a longer rule
      [['activation', 'relu'], ['scheme', 'xavier_normal'], ['depth', '6']].forEach(function (c) {
        var s = d.getElementById(c[0]); s.value = c[1]; s.dispatchEvent(new Event('change')); }); })()""")
    (_, *one), (_, *two) = browser.js(fit)
    assert one[0] == one[1] == one[2] and two[0] == two[1] == two[2] > before, (one, two, before)
    browser.js("document.getElementById('out').style.width = '1200px'")  # wider: two to a row, a shorter frame
    browser.call("Runtime.evaluate", {"expression": "new Promise(r => requestAnimationFrame(() => "
                                                    "requestAnimationFrame(r)))", "awaitPromise": True}, session=True)
    for ready, content, seen, frame in browser.js(fit):
        assert content == seen == frame < 760, (content, seen, frame)
    assert browser.errors() == []


def test_explore_checks_its_grid_and_reads_it_by_name():
    one = {"activation": ["tanh"], "scheme": ["small"], "gain": [1.0], "depth": [2], "width": [8]}
    # a grid in another key order is read by name (it was read by position: scheme values taken as activations)
    shuffled = dict(reversed(list(one.items())))
    assert E.explore(grid=shuffled).data == E.explore(grid=one).data
    for bad in ({"depth": [2]}, {**one, "depth": []}, {**one, "speed": [1]}, {**one, "width": 8}, {},  # {}: GRID
                [1], "tanh"):  # not a mapping: 'cannot convert dictionary update sequence element #0 to a sequence'
        with pytest.raises(ValueError, match="explore: grid must give a non-empty list for each of activation, "
                                             "scheme, gain, depth, width"):
            E.explore(grid=bad)

    with pytest.raises(TypeError, match="explore: quick must be True or False, got str 'no'"):  # ran QUICK_GRID
        E.explore(quick="no")


def test_explore_checks_every_value_of_its_grid_before_it_measures(monkeypatch, tmp_path):
    # a wrong value late in a grid was named by measure only after every combination before it was measured (15 s of
    # GRID's networks for a fifth scheme, the whole grid for a fourth activation), and after the page's folder was made
    monkeypatch.setattr(E, "measure", lambda *a, **k: pytest.fail("measured before the grid was checked"))
    one = {"activation": ["tanh"], "scheme": ["small"], "gain": [1.0], "depth": [2], "width": [8]}
    for k, v, error, fragment in (("activation", "gelu", ValueError, "activation must be one of .*did you mean 'relu'"),
                                  ("scheme", "xavier", ValueError, "'xavier' is ambiguous"),
                                  ("scheme", "lsuv", ValueError, "'lsuv' .*the page draws weights from their shape"),
                                  ("gain", -1.0, ValueError, "gain must be >= 0, got -1"),
                                  ("gain", 1e40, ValueError, "gain 1e\\+40 x small's std gives weights of std 1e\\+38"),
                                  ("depth", 0, ValueError, "depth must be >= 1, got 0"),
                                  ("width", "8", TypeError, "width must be a whole number, got str '8'")):
        with pytest.raises(error, match=f"^explore: {fragment}"):
            E.explore(tmp_path / "new", grid={**one, k: [*one[k], v]})
    assert not (tmp_path / "new").exists()


def test_a_value_given_twice_is_one_entry_of_the_pages_menu():
    # ["tanh", "Tanh"] and [1.0, 1] are one key each (`key`), but the page's menus listed them twice, "tanh" "tanh"
    ex = E.explore(grid={"activation": ["tanh", "Tanh"], "scheme": ["small", "small"], "gain": [1.0, 1],
                         "depth": [2, 2], "width": [8, 8]})
    assert ex.grid == {"activation": ["tanh"], "scheme": ["small"], "gain": ["1"], "depth": ["2"], "width": ["8"]}
    assert list(ex.data) == ["tanh|small|1|2|8"]
    # a numpy number is the Python number's key: np.float32(2.0) was "2.0", not found where 2.0 is "2"
    assert E.key("tanh", "small", np.float32(2.0), np.int64(5), 50) == E.key("tanh", "small", 2.0, 5, 50) == \
        "tanh|small|2|5|50"


def test_a_scheme_given_as_an_init_scheme_is_named_on_the_page_as_its_layers_repr_names_it():
    # the menu and the legend read the scheme's whole description card, lowercased: "normal: n(0, 0.05^2) var(w)
    # 0.05^2 aliases gaussian params std=0.05 source pytorch nn.init.normal_ note a fixed std, whatever the fan"
    mine = nn.init.Scheme("Mine", var="1/fan_in")
    one = {"activation": ["tanh"], "scheme": [nn.init.get("normal", std=0.05), mine, "small"], "gain": [1.0],
           "depth": [2], "width": [8]}
    ex = E.explore(grid=one)
    assert ex.grid["scheme"] == ["normal(std=0.05)", "Mine", "small"] and "tanh|Mine|1|2|8" in ex.data
    assert E.key(nn.init.get("he_normal", mode="fan_out")) == "he_normal(mode='fan_out')"
    # two schemes of one name would be one entry of the menu, one of them never measured
    for other in (nn.init.Scheme("Mine", var="2/fan_in"), nn.init.Scheme("small", var="1/fan_in")):
        with pytest.raises(ValueError, match=r"^explore: two schemes are named '(Mine|small)' .*tell them apart"):
            E.explore(grid={**one, "scheme": [*one["scheme"], other]})


@pytest.mark.parametrize("args,kwargs,error,fragment", [
    (("tanh", "he_normal", -1.0, 2, 4), {}, ValueError, "measure: gain must be >= 0"),  # was "predict: weight std"
    (("tanh", "he_normal", "1", 2, 4), {}, TypeError, "measure: gain must be a number"),  # was "can't multiply"
    (("tanh", "he_normal", 1.0, 2, 4), {"batch": 0}, ValueError, "measure: batch must be >= 1"),  # was "symmetric"
    (("tanh", "he_normal", 1.0, 0, 4), {}, ValueError, "measure: depth must be >= 1"),
    # a ReLU unit 0 for a batch of one example is one that is off for it: He's 10 x 200 read 'dies' in 4 of 6 seeds
    (("relu", "he_normal", 1.0, 10, 200), {"batch": 1}, ValueError, "measure: a ReLU network needs batch >= 2"),
    # 'ones' was measured as all-zero weights ('symmetric'), 'uniform' U(0, 1) as N(0, 1/12)
    (("tanh", "ones", 1.0, 2, 4), {}, ValueError, "measure: 'ones' .* has a non-zero mean .1."),
    (("tanh", "uniform", 1.0, 2, 4), {}, ValueError, "measure: 'uniform' .* has a non-zero mean .0.5."),
    # weights past float32 were inf: tanh read "explodes" (all nan); past 1e154 an OverflowError without a name
    (("tanh", "large", 1e40, 2, 4), {}, ValueError, "measure: gain 1e.40 x large's std gives weights of std 1e.40"),
    (("relu", "he_normal", 1e200, 2, 4), {}, ValueError, "beyond float32 .the engine's dtype, up to 3.4e38."),
    # a misspelt activation was named by deep_mlp, a function the caller never called
    (("tanhh", "small", 1.0, 2, 4), {}, ValueError, "^measure: activation must be one of .*did you mean 'tanh'"),
])
def test_measure_checks_its_arguments(args, kwargs, error, fragment):
    with pytest.raises(error, match=fragment):
        E.measure(*args, **kwargs)


@pytest.mark.browser
@CHROMIUM
def test_the_std_chart_draws_no_zero_or_nan_std_on_its_log_axis(tmp_path, browser):
    grid = {"activation": ["tanh"], "scheme": ["he_normal"], "gain": [0.0, 1.0, 0.01], "depth": [3, 50], "width": [8]}
    ex = E.explore(grid=grid, rng=0)
    key = "tanh|he_normal|1|3|8"
    ex.data[key] = {**ex.data[key], "grad_std": [float("nan"), 2.0, 1.0]}  # a float32 overflow reads nan
    # a deep network of small weights: float32 holds no number between 0 and 1.4e-45, the theory's 1e-50 reads 0
    tiny = "tanh|he_normal|0.01|3|8"
    ex.data[tiny] = {**ex.data[tiny], "std": [0.5, 1e-30, 0.0], "theory_std": [0.5, 1e-30, 1e-50]}
    path = E.Explorer(grid, ex.data).write(tmp_path / "e.html")
    browser.open(path)
    _choose(browser, "gain", "0")
    ticks = "Array.prototype.map.call(document.querySelectorAll('#stds text.y'), t => t.textContent)"
    s0, y0 = browser.js(STATE), browser.js(ticks)
    assert s0["verdict"] == "symmetric" and "NaN" not in s0["stds"]
    assert "1e-30" not in y0  # every std 0 was drawn at 1e-30, an axis reading 1e-30
    # the dots that cannot be drawn were left out without a word (NaN ones are named in the legend); all 0 here from
    # weights of 0, not from values too small for float32
    zero = " Std 0, every value the same, which a log axis cannot show (not drawn): activations at layer"
    assert f"{zero}s 1, 2, 3; gradients at layers 1, 2. Last layer:" in s0["legend"] and "underflow" not in s0["legend"]
    _choose(browser, "gain", "0.01")
    assert (f".{zero} 3. The theory's std there is below float32's smallest number (1.4e-45): the engine's values "
            "became 0 (they underflowed). Last layer:") in browser.js(STATE)["legend"]
    _choose(browser, "depth", "50")  # the engine's own: 50 layers of 0.01 x He, a factor of 0.014 a layer
    assert re.search(r"\(not drawn\): activations at layers [23]\d to 50; gradients at layers 1 to [23]\d\. The the",
                     browser.js(STATE)["legend"])
    _choose(browser, "depth", "3")
    _choose(browser, "gain", "1")
    s1 = browser.js(STATE)
    t1 = browser.js(ticks)
    assert "NaN" not in s1["stds"] + "".join(t1) and len(t1) == 3  # one nan: every line 'NaN', no tick
    lines = s1["stds"].split(" M")
    assert any(p.count("L") == 1 for p in lines)  # the gradient line: layers 2 and 3, without the nan at 1
    assert browser.errors() == []


@pytest.mark.browser
@CHROMIUM
@pytest.mark.parametrize("lo, hi", [(0.3, 0.6), (0.99512, 0.99597)])
def test_the_std_chart_numbers_its_axis_within_one_decade(tmp_path, lo, hi, browser):
    grid = {"activation": ["tanh"], "scheme": ["he_normal"], "gain": [1.0], "depth": [2], "width": [8]}
    ex = E.explore(grid=grid, rng=0)
    key, mid = "tanh|he_normal|1|2|8", (lo + hi) / 2
    ex.data[key] = {**ex.data[key], "std": [lo, mid], "theory_std": [lo, mid], "grad_std": [hi, mid],
                    "theory_grad_std": [hi, mid]}  # every std between 0.1 and 1: no power of 10 in view
    path = E.Explorer(grid, ex.data).write(tmp_path / "e.html")
    browser.open(path)
    ticks = browser.js("Array.prototype.map.call(document.querySelectorAll('#stds text.y'), t => t.textContent)")
    assert len(set(ticks)) == len(ticks) >= 2  # the axis had no number at all
    assert all(lo * 0.999 <= float(t) <= hi * 1.001 for t in ticks)
    ys = browser.js("Array.from(document.querySelectorAll('#stds text.y'), t => +t.getAttribute('y'))")
    y0, y1 = np.log10(lo), np.log10(hi)  # the chart's own mapping: 260 high, 24 above and 40 below the axes
    assert ys == pytest.approx([220 - 196 * (np.log10(float(t)) - y0) / (y1 - y0) + 4 for t in ticks], abs=0.01)
    assert browser.errors() == []


@pytest.mark.browser
@CHROMIUM
def test_a_scheme_named_like_html_leaves_the_page_working(tmp_path, browser):
    # "</" was escaped but "<!--<script>" was not: inside the page's script it moved the script's end past its
    # </script>, so EXPLORER was never defined and the page stayed empty
    name = "<!--<script></script>"
    grid = {"activation": ["tanh"], "scheme": [nn.init.Scheme(name, var="1/fan_in")], "gain": [1.0], "depth": [2],
            "width": [8]}
    ex = E.explore(grid=grid)
    assert "<" not in re.search(r"const EXPLORER = (.*?);</script>", ex.html).group(1)
    browser.open(ex.write(tmp_path))
    assert browser.js(STATE)["ready"] == "1" and browser.errors() == []
    assert browser.js("EXPLORER.grid.scheme[0]").startswith(name)


@pytest.mark.browser
@CHROMIUM
@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # the overflow is the point
def test_an_overflowed_network_says_so_instead_of_showing_nan(tmp_path, browser):
    # ReLU at gain 1e30 passes float32 from layer 2 on (the gradients below it too): the legend read "Last layer:
    # dead NaN% of the units" and the charts left the layers out without a word
    grid = {"activation": ["relu"], "scheme": ["he_normal"], "gain": [1e30, 1.0], "depth": [3], "width": [8]}
    ex = E.explore(grid=grid, rng=0)
    d = ex.data["relu|he_normal|1e+30|3|8"]
    # the activations pass float32 from layer 2, the gradients below layer 2; whether layer 2's dead fraction is NaN
    # too depends on the BLAS kernel (OpenBLAS's SkylakeX sgemm leaves one unit at -inf for the whole batch: 0.125)
    assert np.isnan(d["std"][1:]).all() and np.isnan(d["grad_std"][0]) and np.isnan(d["fraction"][-1])
    browser.open(ex.write(tmp_path))
    _choose(browser, "gain", "1e+30")
    s = browser.js(STATE)
    assert "NaN%" not in s["legend"] and "NaN" not in s["stds"] + s["acts"] + s["grads"]
    assert "NaN at layers 1, 2, 3: the values passed float32's largest number (3.4e38)" in s["legend"]
    lines = "Array.from(document.querySelectorAll('#ID path.line'), p => p.getAttribute('d') !== '')"
    # and not drawn: the histograms of the NaN layers had drawn the inf entries clipped into (-1, 1)
    assert browser.js(lines.replace("ID", "acts")) == [True, False, False]
    assert browser.js(lines.replace("ID", "grads")) == [False, True, True]
    _choose(browser, "gain", "1")
    assert "NaN" not in browser.js(STATE)["legend"] and browser.errors() == []


@pytest.mark.browser
@CHROMIUM
def test_one_layer_of_one_unit_shows_its_theory_on_one_layer_tick(tmp_path, browser):
    # depth 1: the theory's stds (dashes) were lone points, paths of no length that draw nothing; the layer axis read
    # "1, 1.5, 2" with the one layer on its left edge; and the legend said "1 layers of 1 tanh units"
    grid = {"activation": ["tanh"], "scheme": ["he_normal"], "gain": [1.0], "depth": [1, 2], "width": [1]}
    browser.open(E.explore(grid=grid, rng=0).write(tmp_path))
    _choose(browser, "depth", "1")
    dashes = "Array.from(document.querySelectorAll('#stds .line:not([stroke-dasharray=none])'), p => p.getBBox().width)"
    assert browser.js(dashes) == [16, 16]  # the theory of activations and gradients: a dash each
    ticks = "Array.from(document.querySelectorAll('#stds text.tick:not(.y)'), t => t.textContent)"
    assert browser.js(ticks) == ["1"]
    assert browser.js("Array.from(document.querySelectorAll('#stds circle'), c => +c.getAttribute('cx'))") == [
        202, 202]  # the middle of the axis, 52 to 352
    # Gaussian whatever the scheme's own distribution (a custom grid's he_uniform read "weights 1 x he_uniform")
    assert browser.js(STATE)["legend"].startswith("1 layer of 1 tanh unit, Gaussian weights of std 1 x he_normal's, a "
                                                  "batch")
    _choose(browser, "depth", "2")
    assert browser.js(ticks) == ["1", "2"]  # no layer 1.5 between them
    assert browser.js(STATE)["legend"].startswith("2 layers of 1 tanh unit,")
    assert browser.errors() == []


@pytest.mark.browser
@CHROMIUM
@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # the overflow makes ticks as long as 4.5e+30
def test_every_tick_is_inside_its_chart(tmp_path, browser):
    # the last tick of each histogram ran past the chart's right edge, 380: tanh's "0.967" read "0.96", and "4.5e+30"
    # read "4.5e+"
    grid = {"activation": ["tanh", "relu"], "scheme": ["he_normal"], "gain": [1.0, 1e30], "depth": [3], "width": [8]}
    browser.open(E.explore(grid=grid, rng=0).write(tmp_path))
    box = "Array.from(document.querySelectorAll('svg text'), t => t.getBBox()).map(b => [b.x, b.x + b.width])"
    for activation, gain in (("tanh", "1"), ("relu", "1e+30")):
        _choose(browser, "activation", activation)
        _choose(browser, "gain", gain)
        edges = np.array(browser.js(box))
        assert len(edges) > 20 and edges.min() >= 0 and edges.max() <= 380
    assert browser.errors() == []


@pytest.mark.torch
def test_the_full_grid_offers_pytorchs_gains_for_its_activations() -> None:
    from conftest import require_module

    torch = require_module("torch")  # torch.nn.init.calculate_gain: tanh 5/3, sigmoid 1
    for activation in ("tanh", "sigmoid"):
        assert any(math.isclose(g, torch.nn.init.calculate_gain(activation)) for g in E.GRID["gain"]), activation


LUMINANCE = """var lum = function (s) {  // WCAG's relative luminance of a CSS rgb() colour, + 0.05
  var v = s.match(/[\\d.]+/g).slice(0, 3).map(function (x) { x /= 255;
    return x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4); });
  return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2] + 0.05; };"""
# the verdict's contrast on white, and its left bar's colour and width
VERDICT = f"""(function () {{ {LUMINANCE} var c = getComputedStyle(document.getElementById('verdict'));
  return [1.05 / lum(c.color), c.borderLeftColor, c.borderLeftWidth]; }})()"""
# the verdict's left bar's colour, and its text's contrast on the page's background
FORCED = f"""(function () {{ {LUMINANCE} var c = getComputedStyle(document.getElementById('verdict'));
  var r = lum(c.color) / lum(getComputedStyle(document.body).backgroundColor);
  return [c.borderLeftColor, Math.max(r, 1 / r)]; }})()"""
# the contrast of each activation histogram's line on its chart
LINES = f"""(function () {{ {LUMINANCE} var bg = lum(getComputedStyle(document.getElementById('acts')).backgroundColor);
  return Array.from(document.querySelectorAll('#acts path.line'), p => bg / lum(getComputedStyle(p).stroke)); }})()"""


@pytest.mark.browser
@CHROMIUM
def test_every_verdict_word_reads_on_white_keeps_its_colour_and_is_announced(tmp_path, browser):
    # the word was written in its colour: 'symmetric' #CCCCCC read 1.6:1 on white, 'saturates' 2.25:1, 'vanishes'
    # 2.31:1, 'dies' 2.85:1, below the 3:1 of large bold text (WCAG AA); now the colour is a bar beside the word
    from tinygrad_init.lab.plots import WORD_COLORS
    gains = [0.5, 1.0, 1.5, 2.0, 2.5, 3.0]
    grid = {"activation": ["tanh"], "scheme": ["he_normal"], "gain": gains, "depth": [2], "width": [4]}
    ex = E.explore(grid=grid, rng=0)
    for g, word in zip(gains, WORD_COLORS):  # one combination per word (the words, not these networks', matter)
        ex.data[E.key("tanh", "he_normal", g, 2, 4)]["verdict"] = word
    browser.open(E.Explorer(grid, ex.data).write(tmp_path))
    for g, (word, colour) in zip(gains, WORD_COLORS.items()):
        _choose(browser, "gain", f"{g:g}")
        ratio, bar, width = browser.js(VERDICT)
        assert browser.js(STATE)["verdict"] == word and ratio >= 4.5, (word, ratio)
        rgb = tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))
        assert bar == "rgb(%d, %d, %d)" % rgb and float(width[:-2]) >= 8, (word, bar, width)
    # in a high-contrast mode (forced colours) the bar took the text's colour, one for every word: its meaning was lost
    for scheme in ("light", "dark"):
        browser.call("Emulation.setEmulatedMedia", {"features": [{"name": "forced-colors", "value": "active"}, {
            "name": "prefers-color-scheme", "value": scheme}]}, session=True)
        try:  # and the word in the mode's own text colour, on its background
            bar, ratio = browser.js(FORCED)
        finally:
            browser.call("Emulation.setEmulatedMedia", {"features": []}, session=True)
        assert bar == "rgb(%d, %d, %d)" % rgb and ratio >= 4.5, (scheme, bar, ratio)
    # and read out when a choice changes it (a screen reader said nothing: the page had no live region)
    assert browser.js("document.getElementById('verdict').getAttribute('aria-live')") == "polite"
    assert browser.errors() == []


@pytest.mark.browser
@CHROMIUM
def test_on_a_laptop_and_a_projector_the_charts_fill_the_width_and_the_focus_shows(tmp_path, browser):
    # the charts were 380 x 260 px on every screen: at 1920 x 1080 they took 60% of the width and their ticks were
    # 10 px; on a 1024 x 768 projector two to a row, as before, and the page scrolls neither way. Each layer's line
    # stands out from the chart at 3:1 at least (WCAG AA for graphics): the green-yellow middle layers were 1.8:1
    # a scheme with parameters is named as a layer's repr names it: its menu, as wide as that name, ran 177 px past a
    # phone's right edge, and the whole page scrolled sideways
    long = nn.init.SCHEMES["variance_scaling"].configure(scale=2.0, mode="fan_out", distribution="truncated_normal")
    grid = {"activation": ["tanh"], "scheme": ["he_normal", long], "gain": [1.0], "depth": [24], "width": [8]}
    path = E.explore(grid=grid, rng=0).write(tmp_path)
    # a phone: the page had no viewport tag, so it was laid out 980 px wide and shrunk to 38% (ticks 4 px high, the
    # menus' text 6 px), and at the phone's own width the charts (380 px at least) ran 23 px past its right edge
    for width, height in ((375, 667), (1920, 1080), (1024, 768)):
        browser.call("Emulation.setDeviceMetricsOverride", {"width": width, "height": height, "deviceScaleFactor": 1,
                                                            "mobile": width < 600}, session=True)
        browser.open(path)
        boxes = browser.js("Array.from(document.querySelectorAll('.charts svg'), s => { var r = "
                           "s.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; })")
        page = browser.js("[document.documentElement.scrollWidth, document.documentElement.scrollHeight, "
                          "window.innerWidth]")
        assert page[0] <= width and page[2] == width and (page[1] <= height or width < 600), (width, page)
        rows = sorted({round(b[1]) for b in boxes})
        # the menus' text was 15 px: iPhones zoom into a menu of text below 16 px when it is tapped, and stay zoomed
        # after it is closed, the page then wider than the phone
        assert min(browser.js("Array.from(document.querySelectorAll('select'), s => parseFloat(getComputedStyle(s)"
                              ".fontSize))")) >= 16
        assert len(rows) == {375: 3, 1920: 1, 1024: 2}[width], boxes
        if width == 1920:  # one row across the page (16 px margins), the ticks at least 14 px high
            assert boxes[-1][2] - boxes[0][0] >= 0.95 * (width - 32), boxes
            assert min(browser.js("Array.from(document.querySelectorAll('svg text.tick'), "
                                  "t => t.getBoundingClientRect().height)")) >= 14
    lines = browser.js(LINES)
    # the keyboard's place: Chromium's own ring (outline auto 1px), a darker border, hard to see on a projector
    browser.key("Tab", 9)
    focus = browser.js("[document.activeElement.id, getComputedStyle(document.activeElement).outlineWidth]")
    assert focus == ["activation", "3px"]
    assert len(lines) == 24 and min(lines) >= 3, np.round(lines, 2)
    # and each layer darker than the one before: the colours went from blue through green to red at one lightness, and
    # on a grey-scale printout layer 1 and layer 24 were near one dark grey (11:1 and 9:1), the middle ones light
    assert np.all(np.diff(lines) > 0), np.round(lines, 2)
    assert browser.errors() == []


@pytest.mark.browser
@CHROMIUM
def test_a_histograms_axis_spans_the_engines_bins_from_edge_to_edge(tmp_path, browser):
    # the axis ran from the first bin's middle to the last's: tanh's h read -0.967 to 0.967 (its bins span -1 to 1),
    # sigmoid's 0.0167 to 0.983, and the gradients' +-3.88 of +-4 std
    grid = {"activation": ["tanh", "sigmoid"], "scheme": ["he_normal"], "gain": [1.0], "depth": [3], "width": [8]}
    ex = E.explore(grid=grid, rng=0)
    ticks = "Array.from(document.querySelectorAll('#ID text.tick:not(.y)'), t => +t.textContent)"
    browser.open(ex.write(tmp_path))
    for activation in ("tanh", "sigmoid"):
        _choose(browser, "activation", activation)
        d = ex.data[E.key(activation, "he_normal", 1.0, 3, 8)]
        for chart, hists in (("acts", d["hist"]), ("grads", d["grad_hist"])):
            lo, hi = min(h[0] for h in hists), max(h[1] for h in hists)
            got = browser.js(ticks.replace("ID", chart))
            assert got == pytest.approx([lo, (lo + hi) / 2, hi], rel=5e-3, abs=1e-9), (activation, chart, got)
    assert browser.errors() == []


@pytest.mark.browser
@CHROMIUM
def test_a_histograms_fraction_axis_starts_at_zero(tmp_path, browser):
    # the axis ran from the smallest fraction drawn: 20 ReLU layers of 50, 1 x large, read 4.7e-4 at its foot (no bin
    # of any layer empty), so a fraction's height above the axis was not the fraction; here every bin holds 20% or more
    grid = {"activation": ["relu"], "scheme": ["large"], "gain": [1.0], "depth": [2], "width": [4]}
    ex = E.explore(grid=grid, rng=0)
    d = ex.data[E.key("relu", "large", 1.0, 2, 4)]
    d["hist"] = d["grad_hist"] = [[0.0, 1.0, [2, 3, 5]], [0.0, 2.0, [4, 4, 2]]]
    ticks = "Array.from(document.querySelectorAll('#ID text.tick.y'), t => +t.textContent)"
    browser.open(E.Explorer({**grid, "gain": [1.0, 2.0]}, ex.data).write(tmp_path))  # gain 2: a page without it
    for chart in ("acts", "grads"):
        assert browser.js(ticks.replace("ID", chart)) == [0, 0.25, 0.5], chart
    # a combination the page's data lacks (pages merged by hand) left the last one's charts, rule and legend beside
    # the new choice: gain 1's numbers under "gain 2"
    _choose(browser, "gain", "2")
    s = browser.js(STATE)
    assert s["verdict"] == "not computed: relu|large|2|2|4" and s["key"] == "relu|large|2|2|4", s
    assert s["rule"] == s["legend"] == s["acts"] == s["grads"] == s["stds"] == "" and s["lines"] == 0, s
    assert browser.js("document.querySelectorAll('svg text').length") == 0
    # and no word's colour beside it (the bar kept the last word's)
    assert browser.js("getComputedStyle(document.getElementById('verdict')).borderLeftColor") == "rgba(0, 0, 0, 0)"
    _choose(browser, "gain", "1")
    assert browser.js(ticks.replace("ID", "acts")) == [0, 0.25, 0.5] and browser.js(STATE)["legend"]
    assert browser.errors() == []


@pytest.mark.browser
@CHROMIUM
def test_the_layer_axis_ticks_whole_layers(tmp_path, browser):
    # its middle tick read layer 10.5 for a depth of 20 and 5.5 for 10 (the page's own depths: two of three)
    grid = {"activation": ["tanh"], "scheme": ["he_normal"], "gain": [1.0], "depth": [5, 10, 20], "width": [4]}
    ticks = "Array.from(document.querySelectorAll('#stds text.tick:not(.y)'), t => t.textContent)"
    browser.open(E.explore(grid=grid, rng=0).write(tmp_path))
    for depth, want in ((5, ["1", "3", "5"]), (10, ["1", "6", "10"]), (20, ["1", "11", "20"])):
        _choose(browser, "depth", str(depth))
        assert browser.js(ticks) == want, depth
    hist = "Array.from(document.querySelectorAll('#acts text.tick:not(.y)'), t => t.textContent)"
    assert browser.js(hist) == ["-1", "0", "1"]  # a histogram's axis as before: bin edges, not layers
    assert browser.errors() == []


@pytest.mark.browser
@CHROMIUM
@pytest.mark.parametrize("std, grad_std, expect", [
    ([1.0, 0.03, 1e-5], [1.0, 0.1, 1e-3], {"1", "0.1", "0.001", "1e-4", "1e-5"}),
    ([2e5, 3e5, 5e5], [2.5e5, 3e5, 4e5], {"2e+5", "3.16e+5", "5e+5"}),  # within a decade: 200000, 316000, 500000
    ([2e4, 3e4, 5e4], [2.5e4, 3e4, 4e4], {"2e+4", "3.16e+4", "5e+4"}),  # from 1e4 on with an exponent, not 20000
])
def test_every_tick_reads_as_utils_format_number_writes_it(tmp_path, browser, std, grad_std, expect):
    # the std chart's log axis read "1e0", "1e-1", "1e-3" where the slides' plots read 1, 0.1, 0.001 (and "1e30"
    # for 1e+30), and a histogram's axis "5.0e-3" for 0.005
    from tinygrad_init.utils import format_number
    grid = {"activation": ["tanh"], "scheme": ["he_normal"], "gain": [1.0], "depth": [3], "width": [8]}
    ex = E.explore(grid=grid, rng=0)
    d = ex.data[E.key("tanh", "he_normal", 1.0, 3, 8)]
    d.update(std=std, theory_std=std, grad_std=grad_std, theory_grad_std=grad_std,
             hist=[[0.0, 0.01, [1, 2, 3]]] * 3, grad_hist=[[-4.5e30, 4.5e30, [1, 2, 3]]] * 3)
    browser.open(E.Explorer(grid, ex.data).write(tmp_path))
    ticks = browser.js("Array.from(document.querySelectorAll('svg text.tick'), t => t.textContent)")
    assert expect | {"0.005", "4.5e+30"} <= set(ticks), ticks
    assert [t for t in ticks if t != format_number(float(t), 3)] == []
    assert browser.errors() == []


@pytest.mark.parametrize("grid, data, fragment", [
    (None, {}, r"^Explorer: grid must be a dict of the page's axes, got NoneType"),  # was 'no attribute items'
    (E.QUICK_GRID, None, r"^Explorer: data must be a dict of key\(\.\.\.\) -> measure\(\.\.\.\), got NoneType"),
    ({"activation": "tanh"}, {}, r"^Explorer: grid's 'activation' must be a list of values, got str"),  # 't', 'a'...
])
def test_explorer_names_a_grid_or_data_of_the_wrong_kind(grid, data, fragment):
    with pytest.raises(TypeError, match=fragment):
        E.Explorer(grid, data)


def test_explorer_file_names_a_path_that_is_no_file_name():
    with pytest.raises(TypeError, match=r"^Explorer.file: path must be a file name ending in .html or a folder, got "
                                        r"NoneType"):
        E.Explorer.file(None)  # was pathlib's 'expected str, bytes or os.PathLike object'


def test_a_word_near_its_threshold_names_the_words_thresholds_nearby_give():
    # 5 tanh layers of 8 units at 1.0*randn: 41% of the last layer saturated, 'holds' by the threshold 0.5, and the
    # networks of seeds 3 and 4 read 'saturates'; the page gave the one network's word as if it were the settings'
    near, far = (E.measure("tanh", s, 1.0, 5, 8, rng=0) for s in ("large", "small"))
    assert (near["verdict"], near["near"], far["near"]) == ("holds", ["saturates"], [])
    assert E.measure("tanh", "large", 1.0, 5, 8, rng=3)["verdict"] == "saturates"
