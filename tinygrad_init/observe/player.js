// The step-through player of tinygrad_init (tinygrad_init/observe/player.py inlines this file).
//
// The page holds one SVG of the graph (drawn by Graphviz) and, in #player-data, what changes
// at each chain-rule step: D.steps[s] = [ids of the node passing its gradient on, id of the
// parent receiving it, id of the edge between them, the parent's new grad text, its fill,
// its font colour, 1 if that gradient is now complete else 0]. Step k shows the state after
// k steps (the root shows D.hooked from step 1 on, if its hooks changed the seed); the script
// repaints only the nodes whose gradient changed. It looks only inside its own
// #player (its parent), so that a notebook can show several players in one page; a script run from
// elsewhere (jQuery runs it in the head) takes the first player not yet ready.
(function () {
  "use strict";
  const here = document.currentScript && document.currentScript.closest("[data-steps]");
  const root = here || document.querySelector("[data-steps]:not([data-ready])");
  const $ = (id) => root.querySelector("#" + id);
  const D = JSON.parse($("player-data").textContent);
  const N = D.n;
  const frame = $("frame"), svg = frame.querySelector("svg"), slider = $("slider"), counter = $("counter");
  const lineBox = $("line"), list = $("lines"), items = list.children;
  const ends = [[$("home"), 0], [$("prev"), 0], [$("next"), N], [$("end"), N]], viewBtn = $("view");
  const GRAD = /^(grad|\|grad\|) /;
  const SHAPES = ["polygon", "ellipse", "path"];
  const cache = new Map();

  function el(id) {
    if (!cache.has(id)) cache.set(id, $(id));
    return cache.get(id);
  }
  function gradText(g) {  // the last text of the group that reads "grad ..." or "|grad| ..."
    if (!("_grad" in g)) g._grad = [...g.getElementsByTagName("text")].filter((t) => GRAD.test(t.textContent)).pop() || null;
    return g._grad;
  }
  function shape(g) {
    return [...g.children].find((c) => SHAPES.includes(c.tagName.toLowerCase())) || null;
  }

  // prev[s]: the previous step whose parent is the same node (-1: none).
  const prev = [], seen = {};
  D.steps.forEach((st, s) => {
    prev.push(st[1] in seen ? seen[st[1]] : -1);
    seen[st[1]] = s;
  });
  const last = {};  // node id -> the last step applied to it (-1: none)

  function paint(id, s) {
    const g = el(id);
    if (!g) return;  // a node left out of the picture (max_nodes)
    const st = s >= 0 ? D.steps[s].slice(3) : (id === D.root ? (s === -2 ? D.hooked : D.seed) : D.unknown);
    const t = gradText(g);
    if (t) t.textContent = st[0];
    if (D.color) {
      const sh = shape(g);
      if (sh) sh.style.fill = st[1];
      for (const text of g.getElementsByTagName("text")) text.style.fill = st[2];
    }
    g.classList.toggle("partial", !st[3]);
  }

  let marked = [];
  function mark(id, cls) {
    const g = el(id);
    if (g) { g.classList.add(cls); marked.push([g, cls]); }
  }
  function highlight(k) {
    marked.forEach(([g, cls]) => g.classList.remove(cls));
    marked = [];
    if (k === 0) { D.rootIds.forEach((id) => mark(id, "hl-node")); return; }
    const st = D.steps[k - 1];
    st[0].forEach((id) => mark(id, "hl-node"));
    mark(st[1], "hl-parent");
    mark(st[2], "hl-edge");
  }

  // ------------------------------------------------------------ view: the whole graph or around the step
  // The SVG keeps its viewBox and its natural size (1 unit = 1 px); panning and zooming
  // move it with a CSS transform, which needs no new layout of a big graph.
  const vb = svg.viewBox.baseVal, full = [vb.x, vb.y, vb.width, vb.height];
  svg.style.width = full[2] + "px";
  svg.style.height = full[3] + "px";
  const g0 = svg.querySelector("g.graph");
  const M = g0 && g0.transform.baseVal.numberOfItems ? g0.transform.baseVal.consolidate().matrix : null;
  let zoom = 0, shown = 1, mode = "";  // zoom: the scale + and − chose (0: none: a step fits, up to 1.5); mode:
  // "fit", "follow", or "" until the frame is first seen; shown: the scale on the screen
  function box(e) {  // the element's box in the SVG's units
    const b = e.getBBox(), a = M ? M.a : 1, d = M ? M.d : 1, ex = M ? M.e : 0, fy = M ? M.f : 0;
    return [a * b.x + ex, d * b.y + fy, a * b.width, d * b.height];
  }
  function place(z, cx, cy) {  // show the point (cx, cy) of the graph at the centre, z px per unit
    shown = z;
    const tx = frame.clientWidth / 2 - (cx - full[0]) * z, ty = frame.clientHeight / 2 - (cy - full[1]) * z;
    svg.style.transform = `translate(${tx.toFixed(1)}px,${ty.toFixed(1)}px) scale(${z.toFixed(4)})`;
  }
  const fitScale = () => Math.min(frame.clientWidth / full[2], frame.clientHeight / full[3]);
  function setView() {
    if (!frame.clientWidth) return;  // hidden (a collapsed notebook output): placed when it is shown
    if (!mode) mode = fitScale() >= 0.45 ? "fit" : "follow";
    viewBtn.textContent = mode === "fit" ? "follow the step" : "whole graph";
    if (mode === "fit" || !marked.length) {  // a step between nodes left out (max_nodes): the middle, as zoomed
      place(mode === "follow" && zoom || fitScale(), full[0] + full[2] / 2, full[1] + full[3] / 2);
      return;
    }
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (const [g] of marked) {
      const b = box(g);
      x0 = Math.min(x0, b[0]); y0 = Math.min(y0, b[1]);
      x1 = Math.max(x1, b[0] + b[2]); y1 = Math.max(y1, b[1] + b[3]);
    }
    const w = frame.clientWidth / (1.25 * (x1 - x0) + 1), h = frame.clientHeight / (1.25 * (y1 - y0) + 1);
    place(zoom || Math.min(1.5, w, h), (x0 + x1) / 2, (y0 + y1) / 2);
  }

  // ------------------------------------------------------------ moving
  let cur = 0, addressTimer = 0;
  const own = root.parentElement === document.body;  // the page is this player: the address and keys are its
  function go(target) {
    const k = Math.max(0, Math.min(N, Math.round(target)));
    const changed = new Set();
    if (D.hooked) { changed.add(D.root); last[D.root] = k > 0 ? -2 : -1; }  // the root's hooks ran before step 1
    if (k > cur) for (let s = cur; s < k; s++) { changed.add(D.steps[s][1]); last[D.steps[s][1]] = s; }
    else for (let s = cur - 1; s >= k; s--) { changed.add(D.steps[s][1]); last[D.steps[s][1]] = prev[s]; }
    changed.forEach((id) => paint(id, last[id]));
    for (let i = Math.min(cur, k); i <= Math.max(cur, k); i++) items[i].className = i < k ? "done" : (i === k ? "current" : "later");
    cur = k;
    highlight(k);
    lineBox.textContent = items[k].textContent;
    counter.textContent = `step ${k} / ${N}`;
    slider.value = String(k);
    ends.forEach(([b, end]) => b.setAttribute("aria-disabled", k === end));  // not disabled: that drops the focus
    const li = items[k];
    list.scrollTop = Math.max(0, li.offsetTop - list.clientHeight + li.offsetHeight + 8);
    setView();
    if (!own) return;  // the address is the page's, not a notebook's
    clearTimeout(addressTimer);  // written once the steps pause: browsers throttle frequent writes
    addressTimer = setTimeout(() => {
      try { history.replaceState(null, "", "#" + cur); } catch (e) { /* not allowed for this page: fine */ }
    }, 300);
  }
  Object.keys(seen).forEach((id) => { paint(id, -1); last[id] = -1; });
  paint(D.root, -1);

  function toggleView() { mode = mode === "fit" ? "follow" : "fit"; zoom = 0; setView(); }  // back to the fits
  function zoomBy(f) {  // from what is shown, around the step; from a quarter of the whole graph to 8 px a unit
    zoom = Math.min(Math.max(shown * f, fitScale() / 4), 8); mode = "follow"; setView();
  }
  const clicks = {prev: () => go(cur - 1), next: () => go(cur + 1), home: () => go(0), end: () => go(N),
                  view: toggleView, "zoom-in": () => zoomBy(1.25), "zoom-out": () => zoomBy(0.8)};
  Object.entries(clicks).forEach(([id, f]) => $(id).addEventListener("click", (e) => {
    f();
    if (e.detail) root.focus({preventScroll: true});  // after a mouse click the space bar steps, as before it
  }));
  slider.addEventListener("input", () => go(+slider.value));
  list.addEventListener("click", (e) => {
    const li = e.target.closest ? e.target.closest("li") : null;
    if (li && li.parentNode === list) go(Array.prototype.indexOf.call(items, li));
  });
  document.addEventListener("keydown", (e) => {
    const page = e.target === document.body || e.target === document.documentElement;
    if (e.ctrlKey || e.altKey || e.metaKey || !(root.contains(e.target) || page && own)) return;
    if (e.key === " " && !e.shiftKey && e.target.closest && e.target.closest("button")) return;  // the button's own
    const by = e.shiftKey ? 10 : 1, back = e.shiftKey ? cur - 1 : cur + 1;  // a clicker sends PageDown / PageUp
    const k = {ArrowRight: cur + by, ArrowLeft: cur - by, PageDown: cur + 1, PageUp: cur - 1, " ": back,
               Home: 0, End: N}[e.key];
    if (k !== undefined) { e.preventDefault(); go(k); return; }
    if (e.key === "f" || e.key === "F") toggleView();  // "F": with Caps Lock on
    else if (e.key === "+" || e.key === "=") zoomBy(1.25);
    else if (e.key === "-") zoomBy(0.8);
  });
  new ResizeObserver(() => setView()).observe(frame);  // the window, or only the notebook's column, resized
  const fromAddress = () => { const k = parseInt(location.hash.slice(1), 10); go(isNaN(k) ? cur : k); };
  if (own) window.addEventListener("hashchange", fromAddress);  // #12 typed into the address bar of the open page
  if (own) fromAddress(); else go(0);
  root.setAttribute("data-ready", "1");
})();
