// The init explorer (tinygrad_init.lab.explorer): EXPLORER = {grid: {control: [values]}, data: {key: network},
// words: {word: {rule, color}}, saturation: the distance from a limit counted as saturated}
// is written into the page by Python; this script only draws. Every number was measured by the engine.
(function () {
  "use strict";
  var NS = "http://www.w3.org/2000/svg";
  var root = document.getElementById("explorer");

  function el(tag, attrs, parent, ns) {
    var e = ns ? document.createElementNS(NS, tag) : document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (parent) { parent.appendChild(e); }
    return e;
  }

  // Layer 1 blue ... layer n dark red, each darker than the one before (a grey printout keeps their order), each at
  // least 3:1 on the charts' #fcfcfc: mixed in linear light, where a colour's luminance is linear in the mix
  var STOPS = [[30, 120, 230], [20, 115, 90], [150, 55, 10], [150, 15, 25], [90, 10, 20]].map(function (c) {
    return c.map(function (v) { v /= 255; return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
  });
  function color(i, n) {
    var t = (n > 1 ? i / (n - 1) : 0) * (STOPS.length - 1), k = Math.min(Math.floor(t), STOPS.length - 2);
    return "rgb(" + STOPS[k].map(function (a, j) {
      var v = a + (STOPS[k + 1][j] - a) * (t - k);
      return Math.round(255 * (v <= 0.0031308 ? 12.92 * v : 1.055 * Math.pow(v, 1 / 2.4) - 0.055));
    }).join(", ") + ")";
  }

  function fmt(v, p) {  // p significant digits (3), plain from 1e-3 to 1e4 (0.005, 1230), else at most 2 digits with
    // an exponent (1e-5, 4.5e+30): utils.format_number's forms for the round numbers ticks are (it keeps 1234 whole)
    var r = Number(v.toPrecision(p || 3)), a = Math.abs(r);
    return a === 0 || (a >= 1e-3 && a < 1e4) ? String(r) : Number(v.toPrecision(p || 2)).toExponential();
  }

  // A line chart: series = [{x: [...], y: [...], color, dash, dots, ring, ends: x values the axis spans}]; log: a
  // log10 y axis. A point that cannot be drawn (nan; on the log axis also <= 0) leaves a gap.
  function clear(svg) {
    while (svg.firstChild) { svg.removeChild(svg.firstChild); }
  }

  function chart(svg, title, xlabel, series, log) {
    clear(svg);
    var W = 380, H = 260, L = 52, R = 28, T = 24, B = 40;  // R: room for half of a tick such as "4.5e+30"
    var tx = function (v) { return log ? (v > 0 ? Math.log10(v) : NaN) : v; };
    var xs = [], ys = [];
    series.forEach(function (s) { xs = xs.concat(s.x, s.ends || []); ys = ys.concat(s.y.map(tx).filter(isFinite)); });
    if (!log || !ys.length) { ys.push(0); }  // a histogram's fractions from 0; nothing to draw: around 1e0
    var x0 = Math.min.apply(null, xs), x1 = Math.max.apply(null, xs);
    var y0 = Math.min.apply(null, ys), y1 = Math.max.apply(null, ys);
    var one = x1 === x0;  // one layer: its value in the middle, with one tick (there was a tick "1.5" and "2")
    if (one) { x0 -= 1; x1 += 1; }
    if (y1 - y0 < 1e-9) { y0 -= 0.5; y1 += 0.5; }
    var px = function (v) { return L + (W - L - R) * (v - x0) / (x1 - x0); };
    var py = function (v) { return H - B - (H - T - B) * (tx(v) - y0) / (y1 - y0); };
    el("text", {x: W / 2, y: 16, "class": "title"}, svg, true).textContent = title;
    el("text", {x: W / 2, y: H - 6, "class": "label"}, svg, true).textContent = xlabel;
    el("path", {d: "M" + L + "," + T + "V" + (H - B) + "H" + (W - R), "class": "axis"}, svg, true);
    var whole = xs.every(Number.isInteger);  // layers: no tick at layer 10.5 (a depth of 20) or 1.5 (of 2)
    (one ? [0.5] : [0, 0.5, 1]).forEach(function (f) {
      var xv = whole ? Math.round(x0 + f * (x1 - x0)) : x0 + f * (x1 - x0);
      if (!one && f === 0.5 && (xv === x0 || xv === x1)) { return; }
      if (Math.abs(xv) < 1e-9 * (Math.abs(x0) + Math.abs(x1))) { xv = 0; }  // the middle of a symmetric range
      el("text", {x: px(xv), y: H - B + 14, "class": "tick"}, svg, true).textContent = fmt(xv);
    });
    var step = log ? Math.max(1, Math.ceil((y1 - y0) / 6)) : 0, ticks = log ? [] : [y0, (y0 + y1) / 2, y1];
    var text = log ? function (t) { return fmt(Math.pow(10, t)); } : fmt;
    for (var e = Math.ceil(y0); log && e <= y1; e += step) { ticks.push(e); }
    if (log && ticks.length < 2) {  // within a decade: its ends and middle, at as many digits as they need
      var p = Math.min(15, Math.max(2, 2 - Math.floor(Math.log10(y1 - y0))));
      text = function (t) { return fmt(Math.pow(10, t), p); };
      ticks = [y0, (y0 + y1) / 2, y1].map(function (t) { return Math.log10(Number(text(t))); });
    }
    ticks.forEach(function (t) {
      var y = H - B - (H - T - B) * (t - y0) / (y1 - y0);
      el("text", {x: L - 4, y: y + 4, "class": "tick y"}, svg, true).textContent = text(t);
    });
    series.forEach(function (s) {
      var d = "", pen = "M";
      s.x.forEach(function (v, i) {
        if (!isFinite(tx(s.y[i]))) { pen = "M"; return; }
        d += pen + px(v).toFixed(1) + "," + py(s.y[i]).toFixed(1);
        if (pen === "M" && !s.dots && !isFinite(tx(s.y[i + 1]))) { d += "h-8h16"; }  // a lone point: a dash
        pen = "L";
        if (s.dots) {  // filled, or rings: the series told apart also in grey
          el("circle", {cx: px(v), cy: py(s.y[i]), r: 3, fill: s.ring ? "#fcfcfc" : s.color, stroke: s.color,
                        "stroke-width": s.ring ? 1.5 : 0}, svg, true);
        }
      });
      el("path", {d: d, stroke: s.color, "stroke-dasharray": s.dash || "none", "class": "line"}, svg, true);
    });
  }

  function histSeries(hists, std) {  // a layer of NaN std (overflowed): no line, its counts miss the NaN
    return hists.map(function (h, i) {
      var lo = h[0], hi = h[1], c = h[2], n = c.length, w = (hi - lo) / n;
      var total = c.reduce(function (a, b) { return a + b; }, 0) || 1;
      return {x: c.map(function (_, j) { return lo + w * (j + 0.5); }), ends: isNaN(std[i]) ? [] : [lo, hi],
              y: c.map(function (v) { return isNaN(std[i]) ? NaN : v / total; }), color: color(i, hists.length)};
    });
  }

  function runs(layers) {  // "1, 2, 3, 41 to 50": a run of four layers or more by its ends
    var out = [];
    for (var i = 0, j = 0; i < layers.length; i = j + 1) {
      for (j = i; layers[j + 1] === layers[j] + 1; j++) { /* to the run's end */ }
      out = out.concat(j - i >= 3 ? [layers[i] + " to " + layers[j]] : layers.slice(i, j + 1));
    }
    return out.join(", ");
  }

  var controls = el("form", {id: "controls"}, root);
  var selects = {};
  Object.keys(EXPLORER.grid).forEach(function (name) {
    var label = el("label", {}, controls);
    label.appendChild(document.createTextNode(name));
    var sel = el("select", {id: name, name: name}, label);
    EXPLORER.grid[name].forEach(function (v) { el("option", {value: v}, sel).textContent = v; });
    sel.selectedIndex = Math.floor((EXPLORER.grid[name].length - 1) / 2);
    sel.addEventListener("change", update);
    selects[name] = sel;
  });
  var verdict = el("p", {id: "verdict", "aria-live": "polite"}, root);  // a screen reader reads each new word
  var rule = el("p", {id: "rule"}, root);  // the rule that gave the word, thresholds included
  var charts = el("div", {"class": "charts"}, root);
  var svgs = ["acts", "grads", "stds"].map(function (id) {
    return el("svg", {id: id, viewBox: "0 0 380 260", width: 380, height: 260}, charts, true);
  });
  var legend = el("p", {id: "legend"}, root);

  function draw() {
    var key = Object.keys(selects).map(function (n) { return selects[n].value; }).join("|");
    var d = EXPLORER.data[key];
    root.setAttribute("data-key", key);
    if (!d) {  // a page of data put together by hand may lack one: no other combination's numbers stay in view
      verdict.textContent = "not computed: " + key;
      verdict.style.borderLeftColor = "transparent";
      rule.textContent = legend.textContent = "";
      svgs.forEach(clear);
      return;
    }
    var layers = d.std.map(function (_, i) { return i + 1; });
    chart(svgs[0], "activations h_l: fraction per bin", "h", histSeries(d.hist, d.std), false);
    chart(svgs[1], "gradients dL/dh_l: fraction per bin", "dL/dh", histSeries(d.grad_hist, d.grad_std), false);
    chart(svgs[2], "std per layer (dots: engine, dashes: theory)", "layer", [
      {x: layers, y: d.std, color: "#0072B2", dots: true}, {x: layers, y: d.theory_std, color: "#0072B2", dash: "5,4"},
      {x: layers, y: d.grad_std, color: "#D55E00", dots: true, ring: true},
      {x: layers, y: d.theory_grad_std, color: "#D55E00", dash: "8,3,2,3"}], true);
    var word = EXPLORER.words[d.verdict];  // the report's words, rules and colours, passed in by Python
    verdict.textContent = d.verdict;  // in ink: "symmetric"'s #CCCCCC read 1.6:1 on white; the colour is a bar
    verdict.style.borderLeftColor = word.color;
    var near = d.near || [];  // the words thresholds nearby give (a page of data made by hand may have none)
    rule.textContent = d.verdict + ": " + word.rule + "." + (near.length ? " Near a threshold: thresholds a little " +
      "to either side give " + near.join(" or ") + ", so another network of these settings (another seed) may get " +
      "that word." : "");
    var f = d.fraction[d.fraction.length - 1], relu = selects.activation.value === "relu";
    var nan = layers.filter(function (l) { return isNaN(d.std[l - 1]) || isNaN(d.grad_std[l - 1]); });
    var tiny = function (v) { return v > 0 && v < 1.4e-45; };  // weights of 0: the theory's 0, no underflow
    var zero = [[d.std, d.theory_std, "activations"], [d.grad_std, d.theory_grad_std, "gradients"]].map(function (s) {
      var at = layers.filter(function (l) { return s[0][l - 1] === 0; });  // all alike: a log axis has no place
      return {name: s[2], at: at, under: at.some(function (l) { return tiny(s[1][l - 1]); })};
    }).filter(function (z) { return z.at.length; });
    var plural = function (n) { return n === 1 ? "" : "s"; }, width = Number(selects.width.value);
    legend.textContent = layers.length + " layer" + plural(layers.length) + " of " + width + " " +
      selects.activation.value + " unit" + plural(width) + ", Gaussian weights of std " + selects.gain.value + " x " +
      selects.scheme.value + "'s, a batch of N(0, 1) inputs and an N(0, 1) gradient at the top. Histograms from blue " +
      "(layer 1) to dark red (layer " + layers.length + "), darker layer by layer; std: activations in blue " +
      "(filled dots, dashes), gradients in orange (rings, dash-dots)." +
      (nan.length ? " NaN at layer" + plural(nan.length) + " " + runs(nan) + ": the values passed float32's " +
       "largest number (3.4e38) and overflowed; not drawn." : "") +
      (zero.length ? " Std 0, every value the same, which a log axis cannot show (not drawn): " +
       zero.map(function (z) { return z.name + " at layer" + plural(z.at.length) + " " + runs(z.at); }).join("; ") +
       "." : "") +
      (zero.some(function (z) { return z.under; }) ? " The theory's std there is below float32's smallest number " +
       "(1.4e-45): the engine's values became 0 (they underflowed)." : "") +
      (isNaN(f) ? "" : " Last layer: " + (relu ? "dead " : "saturated ") + (100 * f).toFixed(1) +
       (relu ? "% of the units (0 for the whole batch)." :
        "% of the entries (within " + EXPLORER.saturation + " of a limit)."));
  }

  function fit() {  // inline in a notebook, a frame of its page (_repr_html_): as high as this page, no scroll bar
    var frame = null, body = document.body;
    try { frame = window.frameElement; } catch (e) { /* a frame of another origin: its own height */ }
    if (frame) {
      frame.style.height = Math.ceil(body.getBoundingClientRect().bottom + parseFloat(getComputedStyle(body)
        .marginBottom)) + "px";
    }
  }

  function update() {  // the charts of the chosen network, then the frame's height (a legend of another length)
    draw();
    fit();
  }

  window.addEventListener("resize", fit);  // a notebook made narrower or wider: charts to a row, the height
  update();
  root.setAttribute("data-ready", "1");
})();
