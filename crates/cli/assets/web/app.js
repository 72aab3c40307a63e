// The workbench page: every number comes from the JSON API, which runs the CLI's own commands.
// The page computes no physics: it formats, groups and draws what the API answers.
"use strict";

// ---------------------------------------------------------------------------------------------
// Numbers for people: three significant figures, thousands separators, time in hours, days or
// months by magnitude.
const MONTH = 30.4375; // days per month (365.25 / 12), as the CLI's units::DAYS_PER_MONTH
function fmt(x) {
  if (x === null || x === undefined || typeof x !== "number" || Number.isNaN(x)) return x === null || x === undefined ? "" : String(x);
  if (!Number.isFinite(x)) return x > 0 ? "∞" : "−∞";
  if (x === 0) return "0";
  const a = Math.abs(x);
  if (a >= 1e9 || a < 1e-4) return x.toExponential(2).replace("e+", "e");
  return Number(x.toPrecision(3)).toLocaleString("en-US", { maximumSignificantDigits: 3 });
}
// Values written back into number inputs keep six figures, so that typing them back changes nothing.
const fmtInput = (x) => Number(x.toPrecision(6)).toString();
function dur(d) {
  if (d === null || d === undefined) return "never";
  if (d < 1) return `${fmt(d * 24)} hours`;
  if (d < 61) return `${fmt(d)} days`;
  return `${fmt(d / MONTH)} months (${fmt(d)} days)`;
}
const days = (d) => (d === null || d === undefined ? "never" : fmt(d));
const kgAt = (kg, pct) => (kg === null || kg === undefined ? "" : `${fmt(kg)} @ ${fmt(pct)} %`);
const $ = (id) => document.getElementById(id);

// ---------------------------------------------------------------------------------------------
// Requests: each caller names a channel; a new request on a channel aborts the previous one, so
// only the latest answer is drawn. A busy indicator counts requests in flight.
const channels = {};
let inFlight = 0;
function busy(delta) {
  inFlight += delta;
  $("busy").textContent = inFlight > 0 ? "computing…" : "";
  document.body.classList.toggle("is-busy", inFlight > 0);
}
async function api(method, path, body, channel) {
  let ctl = null;
  if (channel) {
    if (channels[channel]) channels[channel].abort();
    ctl = channels[channel] = new AbortController();
  }
  busy(1);
  try {
    const send = () => fetch(path, {
      method,
      headers: body ? { "content-type": "application/json" } : {},
      body: body ? JSON.stringify(body) : undefined,
      signal: ctl ? ctl.signal : undefined,
    });
    let res = await send();
    // The server answers 503 when a request ran out of time (often only because it was busy):
    // one more try before the error is shown.
    if (res.status === 503) {
      $("busy").textContent = "the server is busy: trying again…";
      await new Promise((r) => setTimeout(r, 300));
      res = await send();
    }
    let json;
    try {
      json = await res.json();
    } catch {
      throw new Error(`the server answered ${res.status} ${res.statusText} without a readable answer`);
    }
    if (!res.ok) throw new Error(json.error || res.statusText);
    return json;
  } finally {
    busy(-1);
    if (ctl && channels[channel] === ctl) delete channels[channel];
  }
}
const aborted = (e) => e && e.name === "AbortError";
function debounce(fn, ms) {
  let t = null;
  return (...args) => {
    clearTimeout(t);
    t = setTimeout(() => fn(...args), ms);
  };
}

// ---------------------------------------------------------------------------------------------
// Errors in the page's words, next to the control that caused them. Each view maps the API's
// field names (and the CLI flags its messages may name) to a control id and its label.
const FIELDS = {
  enrichment: {
    feed_wt_pct: "xf", product_wt_pct: "xp", tails_wt_pct: "xt", tails: "xt",
    feed_kg_u: "q-feed_kg_u", product_kg_u: "q-product_kg_u", tails_kg_u: "q-tails_kg_u", swu: "q-separative_work_swu",
  },
  breakout: {
    state: "bk-state", state_toml: "bk-upload", "uploaded state": "bk-upload", goal: "bk-goal", count: "bk-count", model: "bk-model",
    reinstall_cascades_per_month: "bk-reinstall", setup_days_per_step: "bk-setup", weaponization_months: "bk-weap-lo",
    site: "bk-sites", swu_per_machine: "bk-machine-controls", efficiency: "bk-machine-controls",
  },
  montecarlo: { samples: "mc-samples", seed: "mc-seed" },
  cascade: { cascade: "cs-name", feed_wt_pct: "cs-feed", recycle: "cs-recycle" },
  design: { min_months: "ds-months", percentile: "ds-percentile", samples: "ds-samples", cap_wt_pct: "ds-cap",
    stock_cap_kg: "ds-stock", machines: "ds-machines", fates: "ds-fates" },
  safeguards: { loss_kg: "sg-loss", sigma_kg: "sg-sigma", alpha: "sg-alpha", swu_per_yr: "sg-swu", product_wt_pct: "sg-product", seed: "sg-seed" },
};
function labelOf(id) {
  const el = $(id);
  if (!el) return id;
  if (el.getAttribute("aria-label")) return el.getAttribute("aria-label");
  const l = el.closest("label");
  if (l) {
    // The label's own text, without the values of controls inside it.
    const text = [...l.childNodes].filter((n) => n.nodeType === 3 || (n.tagName && !["INPUT", "SELECT", "OUTPUT"].includes(n.tagName)))
      .map((n) => n.textContent).join("").replace(/\s+/g, " ").replace(/[:\s]+$/, "").trim();
    if (text) return text.split(":")[0].trim();
  }
  if (id === "bk-machine-controls") return "Machine types";
  if (id === "bk-sites") return "Sites";
  return id;
}
// Returns { text, control }: the message with flags and field names replaced by control labels.
function translate(message, view) {
  const map = FIELDS[view] || {};
  let control = /^uploaded state\b/.test(String(message)) && map["uploaded state"] ? map["uploaded state"] : null;
  const name = (key) => {
    const k = key.replace(/^--/, "").replace(/-/g, "_").replace(/\[\d+\]$/, "");
    const id = map[k];
    if (id && !control) control = id;
    return id ? `“${labelOf(id)}”` : `“${k.replace(/_/g, " ")}”`;
  };
  let text = String(message)
    .split("\n").filter((l) => !/^\s*(Usage:|For more information|tip:)/i.test(l)).join("\n")
    .replace(/^error:\s*/i, "")
    .replace(/invalid value: integer `(-?\d+)`, expected (usize|u64|u32)/g, "$1 is not allowed: expected a whole number, 0 or more")
    .replace(/invalid type: ([^,]+), expected (f64|a number)/g, "$1 is not a number")
    .replace(/expected (f64|usize|u64|u32)\b/g, "expected a number")
    .replace(/^uploaded state:(\d+):(\d+): /, "the uploaded file is not a valid state (line $1, column $2): ")
    .replace(/field `([^`]+)`/g, (_, k) => name(k))
    .replace(/give one of ((?:--[a-z0-9-]+(?:, )?)+)/g, (_, list) => `give one of ${list.split(", ").map(name).join(", ")}`)
    .replace(/--[a-z][a-z0-9-]*/g, (f) => name(f))
    .replace(/^([a-z_]+) = /, (m, k) => (map[k] ? `${name(k)} = ` : m))
    .replace(/\b([a-z]+_[a-z_]+) = /g, (m, k) => (map[k] ? `${name(k)} = ` : m));
  if (!control) {
    const m = /^“?([a-z_ ]+?)”? = /.exec(text) || /^(uploaded state)/.exec(text);
    if (m && map[m[1].replace(/ /g, "_")]) control = map[m[1].replace(/ /g, "_")];
    if (m && map[m[1]]) control = map[m[1]];
  }
  if (!control) {
    // A message naming no field: the first mapped key it mentions in prose.
    for (const k of Object.keys(map)) if (k.includes("_") && text.includes(k)) { control = map[k]; break; }
  }
  return { text: text.trim(), control };
}
// Shows the error next to its control (or in the view's fallback slot) and clears the others.
function showError(view, message, fallback) {
  clearErrors(view);
  const { text, control } = translate(message, view);
  const target = control && $(control) ? control : fallback;
  const el = $(target);
  if (!el) return;
  if (el.classList.contains("error")) {
    el.textContent = text;
    return;
  }
  el.setAttribute("aria-invalid", "true");
  const anchor = el.closest("label") || el;
  let p = $(`err-${target}`);
  if (!p) {
    p = document.createElement("p");
    p.id = `err-${target}`;
    p.className = "error field-error";
    p.setAttribute("role", "alert");
    p.dataset.view = view;
    anchor.after(p);
  }
  el.setAttribute("aria-describedby", p.id);
  p.textContent = text;
}
function clearErrors(view) {
  for (const p of document.querySelectorAll(`.field-error[data-view="${view}"]`)) {
    const c = $(p.id.slice(4));
    if (c) { c.removeAttribute("aria-invalid"); c.removeAttribute("aria-describedby"); }
    p.remove();
  }
  const slot = { enrichment: "enrich-error", breakout: "bk-error", montecarlo: "mc-error", cascade: "cs-error", safeguards: "sg-error", design: "ds-error" }[view];
  if (slot && $(slot)) $(slot).textContent = "";
}

// ---------------------------------------------------------------------------------------------
// Charts: static legends, explicit ranges, reference lines, a message when there is nothing to
// draw, a PNG button under each.
const plots = {};
function chartWidth(el) {
  return Math.max(260, Math.min(1000, el.clientWidth || el.parentElement.clientWidth || 900));
}
function emptyChart(id, message) {
  const el = $(id);
  if (plots[id]) { plots[id].destroy(); delete plots[id]; }
  el.replaceChildren();
  if (message) {
    const p = document.createElement("p");
    p.className = "empty";
    p.textContent = message;
    el.append(p);
  }
  pngButton(id, false);
}
function plot(id, opts, data) {
  const el = $(id);
  if (plots[id]) plots[id].destroy();
  el.replaceChildren();
  opts.width = chartWidth(el);
  opts.height = opts.height || (window.innerWidth < 600 ? 240 : 300);
  opts.legend = { live: false };
  opts.cursor = opts.cursor || { drag: { x: false, y: false } };
  plots[id] = new uPlot(opts, data, el);
  pngButton(id, true);
  return plots[id];
}
function pngButton(id, on) {
  let b = $(`png-${id}`);
  if (!b) {
    b = document.createElement("button");
    b.type = "button";
    b.id = `png-${id}`;
    b.className = "png";
    b.textContent = "Save chart as PNG";
    b.addEventListener("click", () => {
      const u = plots[id];
      if (!u) return;
      const c = document.createElement("canvas");
      c.width = u.ctx.canvas.width; c.height = u.ctx.canvas.height;
      const ctx = c.getContext("2d");
      ctx.fillStyle = "#fff"; ctx.fillRect(0, 0, c.width, c.height);
      ctx.drawImage(u.ctx.canvas, 0, 0);
      const a = document.createElement("a");
      a.href = c.toDataURL("image/png");
      a.download = `breakout-${id.replace(/^chart-/, "")}.png`;
      a.click();
    });
    $(id).after(b);
  }
  b.hidden = !on;
}
window.addEventListener("resize", debounce(() => {
  for (const [id, u] of Object.entries(plots)) {
    const el = $(id);
    if (el && el.offsetParent !== null) u.setSize({ width: chartWidth(el), height: u.height });
  }
}, 150));
// Draws labelled reference lines: { x } vertical or { y } horizontal, in data units. The labels of
// the lines drawn (inside the plot) go in the chart's data-ref-lines, for tests and for readers
// of the page's text.
function refLines(lines) {
  return (u) => {
    const ctx = u.ctx, dpr = devicePixelRatio;
    const { left, top, width, height } = u.bbox;
    const drawn = [];
    ctx.save();
    ctx.font = `${11 * dpr}px system-ui`;
    ctx.setLineDash([6 * dpr, 4 * dpr]);
    ctx.lineWidth = dpr;
    let row = 0;
    for (const l of lines) {
      ctx.strokeStyle = ctx.fillStyle = l.color || "#b42318";
      if (l.x !== undefined) {
        const x = u.valToPos(l.x, "x", true);
        if (x < left - 1 || x > left + width + 1) continue;
        ctx.beginPath(); ctx.moveTo(x, top); ctx.lineTo(x, top + height); ctx.stroke();
        drawn.push(l.label);
        const onRight = x > left + width * 0.6;
        ctx.textAlign = onRight ? "right" : "left";
        ctx.textBaseline = "top";
        ctx.fillText(l.label, onRight ? x - 4 * dpr : x + 4 * dpr, top + 4 * dpr + 14 * dpr * row++);
      } else {
        const y = u.valToPos(l.y, l.scale || "y", true);
        if (y < top - 1 || y > top + height + 1) continue;
        ctx.beginPath(); ctx.moveTo(left, y); ctx.lineTo(left + width, y); ctx.stroke();
        drawn.push(l.label);
        ctx.textAlign = "left";
        ctx.textBaseline = "bottom";
        ctx.fillText(l.label, left + 4 * dpr, y - 2 * dpr);
      }
    }
    ctx.restore();
    u.root.dataset.refLines = drawn.join("; ");
  };
}
// Labels points of series `si` with text(i) (null: no label), alternating above and below.
function pointLabels(si, text, color) {
  return (u) => {
    const ctx = u.ctx, dpr = devicePixelRatio;
    ctx.save();
    ctx.font = `${11 * dpr}px system-ui`;
    ctx.fillStyle = color || "#1b1f24";
    ctx.textAlign = "center";
    let lastX = -1e9, k = 0;
    u.data[0].forEach((xv, i) => {
      const yv = u.data[si][i];
      const t = text(i);
      if (yv === null || yv === undefined || !t) return;
      const x = u.valToPos(xv, "x", true), y = u.valToPos(yv, u.series[si].scale || "y", true);
      const w = ctx.measureText(t).width;
      if (x - lastX < w * 0.55) return; // too close to the previous label: skip
      lastX = x;
      const up = k++ % 2 === 0;
      ctx.textBaseline = up ? "bottom" : "top";
      const tx = Math.min(Math.max(x, u.bbox.left + w / 2), u.bbox.left + u.bbox.width - w / 2);
      ctx.fillText(t, tx, up ? y - 6 * dpr : y + 6 * dpr);
    });
    ctx.restore();
  };
}
// A range that includes every value (and zero when asked), with a margin.
function spanOf(values, { zero = false, pad = 0.08 } = {}) {
  const v = values.filter((x) => x !== null && x !== undefined && Number.isFinite(x));
  if (!v.length) return [0, 1];
  let lo = Math.min(...v), hi = Math.max(...v);
  if (zero) { lo = Math.min(lo, 0); hi = Math.max(hi, 0); }
  const m = (hi - lo || Math.abs(hi) || 1) * pad;
  return [zero && lo >= 0 ? 0 : lo - m, hi + m];
}

// ---------------------------------------------------------------------------------------------
// Tables.
function cell(tr, v, cls) {
  const td = document.createElement("td");
  td.textContent = v;
  if (cls) td.className = cls;
  tr.append(td);
  return td;
}
function fillTable(id, rows, render) {
  document.querySelector(`#${id} tbody`).replaceChildren(...rows.map((r) => {
    const tr = document.createElement("tr");
    render(tr, r);
    return tr;
  }));
}

// ---------------------------------------------------------------------------------------------
// The address: `#tab?name=value&...` holds the tab and its inputs, so a view can be shared and
// survives a reload. Inputs are restored before the view's first request.
const HASH_INPUTS = {
  enrichment: { xf: "xf", xp: "xp", xt: "xt" },
  breakout: { state: "bk-state", goal: "bk-goal", count: "bk-count", model: "bk-model", reinstall: "bk-reinstall",
    setup: "bk-setup", weap_lo: "bk-weap-lo", weap_hi: "bk-weap-hi", samples: "mc-samples", seed: "mc-seed" },
  deals: { deal: "deal-select", date: "deal-date", check: "check-state" },
  design: { months: "ds-months", percentile: "ds-percentile", samples: "ds-samples", cap: "ds-cap", stock: "ds-stock",
    machines: "ds-machines", fates: "ds-fates" },
  cascade: { cascade: "cs-name", feed: "cs-feed", recycle: "cs-recycle" },
  safeguards: { loss: "sg-loss", sigma: "sg-sigma", alpha: "sg-alpha", swu: "sg-swu", product: "sg-product", sg_seed: "sg-seed" },
};
const tabs = [...document.querySelectorAll('[role="tab"]')];
const tabName = (t) => t.id.slice(4);
let currentTab = tabs[0];
let pendingHash = new URLSearchParams();
function writeHash() {
  const tab = tabName(currentTab);
  const p = new URLSearchParams();
  for (const [k, id] of Object.entries(HASH_INPUTS[tab] || {})) {
    const el = $(id);
    if (el && el.value !== "" && (el.tagName !== "SELECT" || el.options.length)) p.set(k, el.value);
  }
  if (tab === "enrichment") {
    p.set("given", given);
    p.set("value", $("q-" + given).value);
  }
  if (tab === "design" && $("ds-broken").checked) p.set("broken", "1");
  if (tab === "breakout") {
    const sites = bk.sites.length ? [...document.querySelectorAll("#bk-sites input:checked")].map((c) => c.value) : bk.pending.sites || [];
    if (sites.length) p.set("sites", sites.join(","));
    for (const [k, v] of Object.entries(machineWhatIfs())) p.set(k, v);
  }
  const hash = "#" + tab + (p.toString() ? "?" + p.toString() : "");
  if (location.hash !== hash) history.replaceState(null, "", hash);
  lastHash = location.hash;
}
let lastHash = "";
function readHash() {
  const h = location.hash.slice(1);
  const [tab, query] = [h.split("?")[0], h.includes("?") ? h.slice(h.indexOf("?") + 1) : ""];
  return { tab, params: new URLSearchParams(query) };
}
// Puts the hash's values into the tab's inputs (selects not yet filled keep them pending).
function applyHash(tab, params) {
  for (const [k, id] of Object.entries(HASH_INPUTS[tab] || {})) {
    if (!params.has(k)) continue;
    const el = $(id);
    el.value = params.get(k);
    if (el.tagName === "SELECT" && el.value !== params.get(k)) pendingHash.set(k, params.get(k));
    const out = $(id + "-out");
    if (out) out.value = params.get(k);
  }
  if (tab === "enrichment" && params.has("given") && $("q-" + params.get("given"))) {
    given = params.get("given");
    for (const k of ["feed_kg_u", "product_kg_u", "tails_kg_u", "separative_work_swu"]) $("q-" + k).value = "";
    $("q-" + given).value = params.get("value") || "";
  }
  if (tab === "design") $("ds-broken").checked = params.get("broken") === "1";
  if (tab === "breakout") {
    bk.pending = { sites: params.has("sites") ? params.get("sites").split(",").filter(Boolean) : [], machines: {} };
    for (const [k, v] of params) if (/^(swu|eff)\./.test(k)) bk.pending.machines[k] = v;
  }
}
// A select filled after the hash was read takes its pending value.
function applyPending(key, id) {
  if (pendingHash.has(key)) {
    $(id).value = pendingHash.get(key);
    pendingHash.delete(key);
  }
}

// Tabs: arrow keys move between them, as the WAI-ARIA tabs pattern expects.
function select(tab, focus = true) {
  for (const t of tabs) {
    const on = t === tab;
    t.setAttribute("aria-selected", String(on));
    t.tabIndex = on ? 0 : -1;
    $(t.getAttribute("aria-controls")).hidden = !on;
  }
  currentTab = tab;
  if (focus) tab.focus();
  const loader = loaders[tab.id];
  Promise.resolve(loader ? loader() : null).catch((e) => {
    // A view that could not load says so where its answer would be, with a way to try again.
    const view = $(tab.getAttribute("aria-controls"));
    const slot = view.querySelector(".error");
    if (!slot) return;
    const again = document.createElement("button");
    again.type = "button";
    again.textContent = "Try again";
    again.addEventListener("click", () => select(tab));
    slot.replaceChildren(`This view could not load: ${translate(e.message, "").text} `, again);
  }).finally(writeHash);
  writeHash();
}
tabs.forEach((t, i) => {
  t.addEventListener("click", () => select(t));
  t.addEventListener("keydown", (e) => {
    if (e.key === "ArrowRight") select(tabs[(i + 1) % tabs.length]);
    if (e.key === "ArrowLeft") select(tabs[(i - 1 + tabs.length) % tabs.length]);
  });
});

// ---------------------------------------------------------------------------------------------
// Enrichment: the last-edited quantity is the given one; the others are solved.
let given = "product_kg_u";
const QUANTITIES = ["feed_kg_u", "product_kg_u", "tails_kg_u", "separative_work_swu"];
async function solve() {
  const input = $("q-" + given);
  const body = {
    feed_wt_pct: Number($("xf").value),
    product_wt_pct: Number($("xp").value),
    tails_wt_pct: Number($("xt").value),
  };
  body[input.dataset.flag] = Number(input.value);
  writeHash();
  let r;
  try {
    r = (await api("POST", "/api/swu", body, "swu")).results;
  } catch (e) {
    if (aborted(e)) return;
    // No stale answer: the solved quantities and the chart are cleared with the error.
    for (const key of QUANTITIES) if (key !== given) $("q-" + key).value = "";
    emptyChart("chart-steps", "No chart: the inputs above have an error.");
    showError("enrichment", e.message, "enrich-error");
    return;
  }
  clearErrors("enrichment");
  for (const key of QUANTITIES) if (key !== given) $("q-" + key).value = fmtInput(r[key]);
  await stepsChart(body.tails_wt_pct, body.feed_wt_pct);
}
const solveSoon = debounce(solve, 200);
for (const el of document.querySelectorAll("#view-enrichment input")) {
  el.addEventListener("input", () => {
    if (el.dataset.flag) given = el.id.slice(2);
    solveSoon();
  });
}
async function stepsChart(tails, feed) {
  const steps = [3.67, 20, 60, 90].filter((x) => x > feed);
  let swu;
  try {
    swu = await Promise.all(steps.map((x) =>
      api("POST", "/api/swu", { feed_wt_pct: feed, product_wt_pct: x, tails_wt_pct: tails, product_kg_u: 1 }, `steps-${x}`)
        .then((r) => r.results.separative_work_swu)));
  } catch (e) {
    if (!aborted(e)) emptyChart("chart-steps", `No chart: ${translate(e.message, "enrichment").text}`);
    return;
  }
  if (!steps.length) return emptyChart("chart-steps", "Nothing to draw: the feed is already above 90 wt-%.");
  plot("chart-steps", {
    height: 280,
    scales: { x: { time: false, range: [0, 100] }, y: { range: spanOf(swu, { zero: true, pad: 0.2 }) } },
    axes: [{ label: "product assay (wt-% U-235)" }, { label: "kg-SWU per kg U of product", size: 60 }],
    series: [{ label: "product assay (wt-%)" }, { label: "SWU per kg product (kg-SWU)", stroke: "#0b5cad", width: 2, points: { size: 8 } }],
    hooks: { draw: [pointLabels(1, (i) => `${fmt(steps[i])} %: ${fmt(swu[i])} kg-SWU`)] },
  }, [steps, swu]);
}

// ---------------------------------------------------------------------------------------------
// Shared data.
let statesCache = null;
async function bundledStates() {
  // The list is slow to compute on a cold server; the server keeps answers it finished, so a
  // timed-out first request is retried.
  for (let attempt = 1; !statesCache; attempt++) {
    try {
      statesCache = (await api("GET", "/api/states")).results.states;
    } catch (e) {
      if (attempt >= 4) throw e;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  return statesCache;
}
let machineLib = null;
async function machineLibrary() {
  if (!machineLib) {
    machineLib = {};
    for (const m of (await api("GET", "/api/machines")).results.machines) machineLib[m.id] = m;
  }
  return machineLib;
}

// ---------------------------------------------------------------------------------------------
// Breakout: every control is a flag of `breakout run`; the answer and curve follow each change.
// `upload` holds an uploaded state file's text; while it is set it replaces the chosen state.
const bk = { types: [], sites: [], touched: new Set(), last: null, upload: null, uploadName: "", pending: { sites: [], machines: {} }, built: false };
async function loadBreakout() {
  const sel = $("bk-state");
  if (sel.options.length) return;
  // The answer first: the chosen state is asked for at once; the list of the others (slow to
  // compute on a cold server) fills the picker when it arrives.
  const first = pendingHash.get("state") || "iran-2025-05";
  pendingHash.delete("state");
  sel.add(new Option(first, first));
  sel.value = first;
  const fillStates = () => bundledStates().then((list) => {
    const chosen = sel.value;
    sel.replaceChildren(...list.map((st) => new Option(`${st.state} — ${st.title}`, st.state)));
    if (![...sel.options].some((o) => o.value === chosen)) sel.add(new Option(chosen, chosen));
    sel.value = chosen;
  }).catch(() => {});
  await machineLibrary();
  const status = $("bk-upload-status");
  const useBundled = () => {
    bk.upload = null;
    $("bk-upload").value = "";
    status.replaceChildren();
    bk.touched.clear();
    bk.pending = { sites: [], machines: {} };
    runBreakout(true);
  };
  sel.addEventListener("change", useBundled);
  $("bk-upload").addEventListener("change", async (ev) => {
    const file = ev.target.files[0];
    if (!file) return;
    bk.upload = await file.text();
    bk.uploadName = file.name;
    const back = document.createElement("button");
    back.type = "button";
    back.textContent = "Use the chosen bundled state instead";
    back.addEventListener("click", useBundled);
    status.replaceChildren(`Reading the uploaded ${file.name}… `, back);
    bk.touched.clear();
    bk.pending = { sites: [], machines: {} };
    runBreakout(true);
  });
  for (const id of ["bk-goal", "bk-count", "bk-model", "bk-weap-lo", "bk-weap-hi"]) {
    $(id).addEventListener("change", () => runBreakout(false));
    $(id).addEventListener("input", () => runSoon(false));
  }
  for (const id of ["bk-reinstall", "bk-setup"]) {
    const el = $(id);
    el.addEventListener("input", () => {
      $(id + "-out").value = el.value;
      runSoon(false);
    });
  }
  for (const id of ["mc-samples", "mc-seed"]) $(id).addEventListener("change", writeHash);
  $("bk-reset").addEventListener("click", () => { bk.touched.clear(); bk.pending.machines = {}; runBreakout(true); });
  $("mc-run").addEventListener("click", runMonteCarlo);
  $("bk-csv").addEventListener("click", exportCsv);
  await runBreakout(true);
  fillStates();
}

// The per-type what-ifs as `swu.TYPE` / `eff.TYPE` → value: from the sliders once built, else
// from the address.
function machineWhatIfs() {
  const out = {};
  if (!bk.built) return { ...bk.pending.machines };
  for (const t of bk.types) {
    if (bk.touched.has(`swu:${t}`)) out[`swu.${t}`] = $(`bk-swu-${t}`).value;
    if (bk.touched.has(`eff:${t}`)) out[`eff.${t}`] = $(`bk-eff-${t}`).value;
  }
  return out;
}
function breakoutBody() {
  const v = (id) => $(id).value;
  const body = { goal: v("bk-goal"), count: Number(v("bk-count")), model: v("bk-model"),
    reinstall_cascades_per_month: Number(v("bk-reinstall")), setup_days_per_step: Number(v("bk-setup")) };
  if (bk.upload !== null) body.state_toml = bk.upload; else body.state = v("bk-state");
  if (v("bk-weap-lo") !== "" || v("bk-weap-hi") !== "") body.weaponization_months = `${v("bk-weap-lo")}..${v("bk-weap-hi")}`;
  const sites = bk.built ? [...document.querySelectorAll("#bk-sites input:checked")].map((c) => c.value) : bk.pending.sites;
  if (sites.length) body.site = sites;
  const swu = [], eff = [];
  for (const [k, val] of Object.entries(machineWhatIfs())) {
    const [kind, t] = [k.slice(0, 3), k.slice(4)];
    (kind === "swu" ? swu : eff).push(`${t}=${val}`);
  }
  if (swu.length) body.swu_per_machine = swu;
  if (eff.length) body.efficiency = eff;
  return body;
}

const runSoon = debounce((rebuild) => runBreakout(rebuild), 250);
async function runBreakout(rebuild) {
  if (rebuild) {
    bk.built = bk.built && !rebuild;
    document.querySelectorAll("#bk-sites input").forEach((c) => { c.checked = false; });
  }
  writeHash();
  $("bk-answer").classList.add("pending");
  $("bk-answer").setAttribute("aria-busy", "true");
  let j;
  try {
    j = await api("POST", "/api/breakout", breakoutBody(), "breakout");
  } catch (e) {
    if (aborted(e)) return; // a later request replaced this one
    $("bk-answer").classList.remove("pending");
    $("bk-answer").removeAttribute("aria-busy");
    breakoutFailed(e.message);
    return;
  }
  $("bk-answer").classList.remove("pending");
  $("bk-answer").removeAttribute("aria-busy");
  clearErrors("breakout");
  bk.last = j;
  if (bk.upload !== null) {
    const back = $("bk-upload-status").querySelector("button");
    $("bk-upload-status").replaceChildren(`Using the uploaded ${bk.uploadName} (an upload is not kept in the page's address). `, ...(back ? [back] : []));
  }
  if (rebuild || !bk.built) buildBreakoutControls(j);
  showBreakout(j);
  clearMonteCarlo("Not run yet for these inputs.");
  writeHash();
}

// No stale answer: an error replaces the headline, the curve, the timeline and the assumptions.
function breakoutFailed(message) {
  bk.last = null;
  const { text } = translate(message, "breakout");
  const ans = $("bk-answer");
  const strong = document.createElement("strong");
  strong.id = "bk-headline";
  strong.className = "no-answer";
  strong.textContent = "No answer";
  ans.replaceChildren(strong, " — the inputs have an error (shown by the control that caused it): ", text);
  ans.classList.add("failed");
  $("bk-csv").disabled = true;
  showError("breakout", message, "bk-error");
  if (bk.upload !== null) {
    const back = $("bk-upload-status").querySelector("button");
    $("bk-upload-status").replaceChildren(`The uploaded ${bk.uploadName} could not be used. `, ...(back ? [back] : []));
  }
  emptyChart("chart-curve", "No production curve: the inputs have an error.");
  showVerification(null, "No detection times: the inputs have an error.");
  fillTable("bk-steps", [], () => {});
  fillTable("bk-timeline", [], () => {});
  fillTable("bk-assumptions", [], () => {});
  $("bk-steps").querySelector("caption").textContent = "Timeline by enrichment step";
  $("bk-timeline-details").querySelector("summary").textContent = "Every timeline row";
  $("bk-assumptions-details").querySelector("summary").textContent = "Every assumption and its source";
  clearMonteCarlo("");
}

function buildBreakoutControls(j) {
  const a = j.inputs.assumptions;
  bk.sites = Object.keys(a).filter((k) => k.endsWith(".damage_fraction")).map((k) => k.split(".")[0]);
  const sites = $("bk-sites");
  sites.replaceChildren(document.createTextNode("Sites (none ticked: all): "), ...bk.sites.map((s) => {
    const l = document.createElement("label");
    l.className = "inline";
    const c = document.createElement("input");
    c.type = "checkbox"; c.value = s; c.id = `bk-site-${s}`;
    c.checked = (bk.pending.sites || []).includes(s);
    c.addEventListener("change", () => runSoon(false));
    l.append(c, " " + s);
    return l;
  }));
  bk.types = Object.keys(a).filter((k) => k.endsWith(".swu_per_machine_yr")).map((k) => k.split(".")[0]);
  const box = $("bk-machine-controls");
  box.replaceChildren(...bk.types.map((t) => {
    const p = machineLib[t] ? machineLib[t].separative_power_swu_per_yr : { low: 0, central: a[`${t}.swu_per_machine_yr`].value, high: 2 };
    const div = document.createElement("div");
    div.className = "machine";
    const h = document.createElement("h4");
    h.textContent = t;
    div.append(h);
    const slider = (kind, label, unit, min, max, step, value) => {
      const l = document.createElement("label");
      const out = document.createElement("output");
      const inp = document.createElement("input");
      const pending = bk.pending.machines[`${kind}.${t}`];
      if (pending !== undefined) { value = pending; bk.touched.add(`${kind}:${t}`); }
      inp.type = "range"; inp.min = min; inp.max = max; inp.step = step; inp.value = value;
      inp.id = `bk-${kind}-${t}`;
      out.id = `bk-${kind}-${t}-out`; out.htmlFor = inp.id; out.value = fmt(Number(value));
      inp.setAttribute("aria-label", `${t} ${label} (${unit})`);
      inp.addEventListener("input", () => {
        out.value = fmt(Number(inp.value));
        bk.touched.add(`${kind}:${t}`);
        runSoon(false);
      });
      l.append(`${label}: `, out, ` ${unit}`, inp);
      return l;
    };
    div.append(slider("swu", "separative power", "kg-SWU/yr per machine", 0, Math.max(2 * p.high, 1).toFixed(2), 0.05, p.central));
    div.append(slider("eff", "efficiency in HEU production", "× rated output", 0, 1.5, 0.01, a[`${t}.efficiency`].value));
    const note = document.createElement("p");
    note.className = "hint";
    note.textContent = `library: low ${fmt(p.low)}, central ${fmt(p.central)}, high ${fmt(p.high)} kg-SWU/yr`;
    div.append(note);
    return div;
  }));
  bk.built = true;
  bk.pending = { sites: [], machines: {} };
}

// Groups the timeline into enrichment steps: a step is a run of passes without a set-up pause
// between them (the model pays the set-up time once per new step). Zero-length rows are dropped.
function timelineSteps(steps) {
  const rows = (steps || []).filter((s) => s.end_days > s.start_days);
  const groups = [];
  for (const s of rows) {
    const g = groups[groups.length - 1];
    if (g && s.kind === g.kind && s.start_days - g.end <= 1e-6) {
      g.rows.push(s); g.end = s.end_days;
    } else {
      groups.push({ kind: s.kind, start: s.start_days, end: s.end_days, rows: [s] });
    }
  }
  return { rows, groups, dropped: (steps || []).length - rows.length };
}

function showBreakout(j) {
  const r = j.results;
  const unit = r.sq_unit || "SQ";
  const count = j.inputs.goal.count;
  const ans = $("bk-answer");
  ans.classList.remove("failed");
  $("bk-csv").disabled = false;
  const head = r.goal_days === null || r.goal_days === undefined ? "never (not enough material or capacity)" : dur(r.goal_days);
  const strong = document.createElement("strong");
  strong.id = "bk-headline";
  strong.textContent = head;
  const detail = document.createElement("span");
  detail.className = "detail";
  detail.textContent = (r.fastest_first_sq_days !== undefined ? `without set-up, first ${unit}: ${dur(r.fastest_first_sq_days)} · ` : "") +
    `ideal lower bound, first ${unit}: ${dur(r.ideal_first_sq_days)} · capacity at day 0: ${fmt(r.capacity_swu_per_yr)} kg-SWU/yr · ${fmt(r.stock_limit_sq)} ${unit} from stocks` +
    (r.weapon ? ` · weaponization: ${r.weapon}` : "");
  const lead = document.createElement("span");
  lead.textContent = `Time to ${count} ${unit} of weapon-grade uranium (${r.headline_model} model): `;
  ans.replaceChildren(lead, strong, document.createElement("br"), detail);

  const { rows, groups, dropped } = timelineSteps(r.steps);
  const curve = r.production_curve || [];
  if (curve.length < 2) {
    emptyChart("chart-curve", r.goal_days === null ? "Nothing to draw: the goal is never reached with these inputs." : "Nothing to draw: the answer has no production curve.");
  } else {
    const xs = curve.map((p) => p.days), ys = curve.map((p) => p.sq);
    const xmax = Math.max(...xs) * 1.12 || 1;
    const lines = [{ y: count, label: `goal: ${count} ${unit}`, color: "#1a7f37" },
      { x: MONTH, label: "IAEA timeliness goal for HEU: 1 month", color: "#9a6700" },
      { x: 365.25, label: "one year", color: "#b42318" }];
    const off = lines.filter((l) => l.x !== undefined && l.x > xmax).map((l) => `${l.label} (${fmt(l.x)} days)`);
    // Step boundaries from the timeline, labelled with the step's top product assay.
    const marks = groups.filter((g) => g.kind === "enrichment" && groups.length > 1).map((g, i) =>
      ({ x: g.start, label: `step ${i + 1}`, color: "#8c959f" }));
    plot("chart-curve", {
      scales: { x: { time: false, range: [0, xmax] }, y: { range: spanOf([...ys, count], { zero: true, pad: 0.15 }) } },
      axes: [{ label: "days from the decision" }, { label: `${unit} produced (goal units)` }],
      series: [{ label: "days" }, { label: `${unit} produced (points: computed; line joins them)`, stroke: "#0b5cad", width: 2, points: { size: 7 } }],
      hooks: { draw: [refLines([...marks, ...lines]), pointLabels(1, (i) => (i === 0 ? null : `${fmt(ys[i])} ${unit}: ${dur(xs[i]).replace(/ \(.*\)$/, "")}`))] },
    }, [xs, ys]);
    $("chart-curve").dataset.offChart = off.join("; ");
    if (off.length) {
      const p = document.createElement("p");
      p.className = "hint chart-note";
      p.textContent = `Beyond the right edge: ${off.join("; ")}.`;
      $("chart-curve").append(p);
    }
  }

  showVerification(r.verification, "No verification regime: the state names none (a state file's `regime` field).");

  // Timeline: one row per step with totals; every row behind a toggle.
  $("bk-steps").querySelector("caption").textContent = `Timeline by enrichment step (${rows.length} rows in ${groups.length} steps` +
    (dropped ? `; ${dropped} zero-length rows — cascades operating from day 0 — left out` : "") + ")";
  let n = 0;
  fillTable("bk-steps", groups, (tr, g) => {
    const enr = g.rows.filter((s) => s.product_wt_pct !== null && s.product_wt_pct !== undefined);
    const top = enr.length ? Math.max(...enr.map((s) => s.product_wt_pct)) : null;
    const last = enr[enr.length - 1];
    const swu = g.rows.reduce((a, s) => a + (s.separative_work_swu || 0), 0);
    const name = g.kind === "enrichment" ? `step ${++n}: ${g.rows.length === 1 ? g.rows[0].what : `${g.rows.length} passes, up to ${fmt(top)} wt-%`}` : g.rows.map((s) => s.what).join("; ");
    cell(tr, name); cell(tr, dur(g.end - g.start), "num"); cell(tr, fmt(g.start), "num"); cell(tr, fmt(g.end), "num");
    cell(tr, last ? kgAt(last.product_kg_u, last.product_wt_pct) + " (last pass)" : ""); cell(tr, swu ? fmt(swu) : "", "num"); cell(tr, String(g.rows.length), "num");
  });
  $("bk-timeline-details").querySelector("summary").textContent = `Every timeline row (${rows.length})`;
  fillTable("bk-timeline", rows, (tr, s) => {
    cell(tr, fmt(s.start_days), "num"); cell(tr, fmt(s.end_days), "num"); cell(tr, s.what);
    cell(tr, (s.feeds || []).map((f) => kgAt(f.kg_u, f.wt_pct)).join(" + "));
    cell(tr, kgAt(s.product_kg_u, s.product_wt_pct)); cell(tr, kgAt(s.tails_kg_u, s.tails_wt_pct));
    cell(tr, s.separative_work_swu ? fmt(s.separative_work_swu) : "", "num"); cell(tr, s.cascades, "src");
  });
  const a = j.inputs.assumptions;
  $("bk-assumptions-details").querySelector("summary").textContent = `Every assumption and its source (${Object.keys(a).length})`;
  fillTable("bk-assumptions", Object.keys(a), (tr, k) => {
    const x = a[k];
    cell(tr, x.label); cell(tr, fmt(x.value), "num"); cell(tr, x.unit); cell(tr, x.distribution); cell(tr, x.source, "src");
    tr.title = k;
  });
}

// "Would inspectors notice?": each pathway's detection time as the API gives it (mean and the
// 5th/50th/95th percentiles, drawn as a box, not as an invented density) and the breakout time on
// one axis of days. A log axis, because breakout ranges from hours to years and detection from
// days to months.
const PATHWAYS = { "declared-misuse": "declared misuse", "stock-diversion": "stock diversion", "covert-plant": "covert plant" };
// Phones: one word per row label, so that the plot keeps its width.
const SHORT = { "declared-misuse": "misuse", "stock-diversion": "diversion", "covert-plant": "covert" };
const pathwayName = (id) => PATHWAYS[id] || id;
const signed = (d) => (d === null || d === undefined ? "never detected" : d > 0 ? `+${fmt(d)}` : fmt(d));
function showVerification(v, missing) {
  if (!v) {
    $("vf-summary").textContent = "";
    emptyChart("chart-verification", missing);
    fillTable("vf-pathways", [], () => {});
    return;
  }
  const ps = v.pathways;
  const goal = v.timeliness_goal_days;
  $("vf-summary").textContent = `Regime: ${v.regime_title} (${v.regime}); reporting delay to the Board ${fmt(v.reporting_delay_days)} days, included. ` +
    `Breakout (first SQ): ${v.breakout_days === null ? "never" : dur(v.breakout_days)}.`;
  const vals = ps.flatMap((p) => [p.detection_p5_days, p.detection_p95_days, p.detection_days]).concat([v.breakout_days, goal])
    .filter((d) => d !== null && d > 0);
  // Whole decades, so that the log axis always has labelled ticks at 1, 10, 100, …
  const lo = 10 ** Math.floor(Math.log10(Math.min(...vals))), hi = 10 ** Math.ceil(Math.log10(Math.max(...vals)));
  const narrow = window.innerWidth < 700;
  const n = ps.length; // the first pathway is drawn at the top: y = n − 1 − index
  const boxes = (u) => {
    const ctx = u.ctx, dpr = devicePixelRatio;
    const band = Math.abs(u.valToPos(0, "y", true) - u.valToPos(1, "y", true));
    ctx.save();
    ctx.font = `${11 * dpr}px system-ui`;
    ctx.textBaseline = "middle";
    ps.forEach((p, i) => {
      const y = u.valToPos(n - 1 - i, "y", true), h = Math.min(band * 0.5, 26 * dpr);
      if (p.detection_p5_days === null) {
        const t = "never detected under this regime", w = ctx.measureText(t).width;
        ctx.fillStyle = "#fff";
        ctx.fillRect(u.bbox.left + 3 * dpr, y - 8 * dpr, w + 6 * dpr, 16 * dpr);
        ctx.fillStyle = "#57606a";
        ctx.textAlign = "left";
        ctx.fillText(t, u.bbox.left + 6 * dpr, y);
        return;
      }
      const x5 = u.valToPos(p.detection_p5_days, "x", true), x95 = u.valToPos(p.detection_p95_days, "x", true);
      const x50 = u.valToPos(p.detection_p50_days, "x", true), xm = u.valToPos(p.detection_days, "x", true);
      ctx.fillStyle = "rgba(11,92,173,0.18)"; ctx.strokeStyle = "#0b5cad"; ctx.lineWidth = dpr;
      ctx.fillRect(x5, y - h / 2, x95 - x5, h); ctx.strokeRect(x5, y - h / 2, x95 - x5, h);
      ctx.lineWidth = 2 * dpr;
      ctx.beginPath(); ctx.moveTo(x50, y - h / 2); ctx.lineTo(x50, y + h / 2); ctx.stroke();
      ctx.fillStyle = "#0b5cad";
      const r = 5 * dpr;
      ctx.beginPath(); ctx.moveTo(xm, y - r); ctx.lineTo(xm + r, y); ctx.lineTo(xm, y + r); ctx.lineTo(xm - r, y); ctx.closePath(); ctx.fill();
    });
    ctx.restore();
  };
  const lines = [{ x: goal, label: "IAEA timeliness goal: 1 month", color: "#9a6700" }];
  if (v.breakout_days !== null) lines.unshift({ x: v.breakout_days, label: `breakout, first SQ: ${dur(v.breakout_days).replace(/ \(.*\)$/, "")}`, color: "#b42318" });
  const u = plot("chart-verification", {
    height: narrow ? 250 : 260,
    scales: { x: { time: false, distr: 3, range: [lo, hi] }, y: { range: [-0.6, n - 0.4 + 0.9] } },
    axes: [{ label: "days from the start of breakout (log scale)" },
      { size: narrow ? 76 : 120, splits: () => ps.map((_, i) => i), grid: { show: false },
        values: (_, splits) => splits.map((i) => (ps[n - 1 - i] ? (narrow ? SHORT : PATHWAYS)[ps[n - 1 - i].pathway] || ps[n - 1 - i].pathway : "")) }],
    series: [{ label: "days" }, { label: "detection (box: P5–P95, tick: median, diamond: mean)", stroke: "#0b5cad", points: { show: false } }],
    hooks: { draw: [refLines(lines), boxes] },
  }, [[lo, hi], [null, null]]);
  // The box, tick and diamond are explained above the chart; a legend entry for the empty series
  // that carries them would only show a line that is not drawn.
  u.root.querySelector(".u-legend").style.display = "none";
  fillTable("vf-pathways", ps, (tr, p) => {
    tr.dataset.pathway = p.pathway;
    cell(tr, v.regime); cell(tr, pathwayName(p.pathway));
    cell(tr, days(p.detection_days), "num");
    cell(tr, p.detection_p5_days === null ? "" : `${fmt(p.detection_p5_days)}–${fmt(p.detection_p95_days)}`, "num");
    cell(tr, fmt(p.p_detect_before_first_sq), "num"); cell(tr, fmt(p.p_detect_within_timeliness_goal), "num");
    cell(tr, signed(p.warning_days), p.warning_days !== null && p.warning_days < 0 ? "num late" : "num");
    cell(tr, signed(p.warning_p5_days), p.warning_p5_days !== null && p.warning_p5_days < 0 ? "num late" : "num");
  });
}

// The what-if on screen as CSV: the inputs sent, the answer, the timeline rows and assumptions.
function exportCsv() {
  const j = bk.last;
  if (!j) return showError("breakout", "There is no answer on screen to export.", "bk-error");
  const q = (v) => {
    const s = v === null || v === undefined ? "" : String(v);
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [["section", "name", "value", "unit", "note"]];
  const body = breakoutBody();
  if (body.state_toml) { body.state = `uploaded ${bk.uploadName}`; delete body.state_toml; }
  for (const [k, v] of Object.entries(body)) lines.push(["input", k, Array.isArray(v) ? v.join(" ") : v, "", ""]);
  const r = j.results;
  lines.push(["answer", `days to ${j.inputs.goal.count} ${r.sq_unit || "SQ"} (${r.headline_model})`, r.goal_days, "days", ""]);
  if (r.fastest_first_sq_days !== undefined) lines.push(["answer", "without set-up, first unit", r.fastest_first_sq_days, "days", "same hardware, every cascade taking every step at once"]);
  lines.push(["answer", "ideal lower bound, first unit", r.ideal_first_sq_days, "days", ""]);
  lines.push(["answer", "capacity at day 0", r.capacity_swu_per_yr, "kg-SWU/yr", ""]);
  lines.push(["answer", "goal units from stocks", r.stock_limit_sq, r.sq_unit || "SQ", ""]);
  for (const p of r.production_curve || []) lines.push(["production curve", `${p.sq} ${r.sq_unit || "SQ"}`, p.days, "days", ""]);
  for (const s of timelineSteps(r.steps).rows) {
    lines.push(["timeline", s.what, s.end_days - s.start_days, "days", `day ${s.start_days} to ${s.end_days}; product ${s.product_kg_u ?? ""} kg U at ${s.product_wt_pct ?? ""} wt-%; ${s.separative_work_swu} kg-SWU; ${s.cascades}`]);
  }
  for (const [k, x] of Object.entries(j.inputs.assumptions)) lines.push(["assumption", k, x.value, x.unit, x.source]);
  const blob = new Blob([lines.map((l) => l.map(q).join(",")).join("\n") + "\n"], { type: "text/csv" });
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = `breakout-${body.state || "state"}.csv`.replace(/[^A-Za-z0-9._-]+/g, "-");
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

function clearMonteCarlo(message) {
  $("mc-summary").textContent = message;
  emptyChart("chart-mc", "");
  fillTable("mc-percentiles", [], () => {});
  fillTable("mc-tornado", [], () => {});
}
async function runMonteCarlo() {
  if (!bk.last) return showError("montecarlo", "Fix the inputs above first: there is no central answer to sample around.", "mc-error");
  const body = breakoutBody();
  body.samples = Number($("mc-samples").value);
  body.seed = Number($("mc-seed").value);
  writeHash();
  clearErrors("montecarlo");
  clearMonteCarlo(`running ${fmt(body.samples)} samples…`);
  let r;
  try {
    r = (await api("POST", "/api/breakout", body, "montecarlo")).results;
  } catch (e) {
    if (aborted(e)) return;
    clearMonteCarlo("");
    showError("montecarlo", e.message, "mc-error");
    return;
  }
  const p = r.provenance;
  $("mc-summary").textContent = `${p.samples} samples, seed ${p.seed} (${p.rng}); mean ${dur(r.mean_days)}; ${p.samples === 0 ? 0 : r.samples_never} samples never reach the goal.`;
  const h = r.histogram || [];
  if (!h.length) {
    emptyChart("chart-mc", "Nothing to draw: no sample reached the goal.");
  } else {
    const xs = h.map((b) => (b.low_days + b.high_days) / 2), ys = h.map((b) => b.count);
    const w = h[0].high_days - h[0].low_days;
    const pct = (q) => (r.percentiles.find((x) => x.percentile === q) || {}).days;
    plot("chart-mc", {
      scales: { x: { time: false, range: [h[0].low_days - w, h[h.length - 1].high_days + w] }, y: { range: spanOf(ys, { zero: true, pad: 0.15 }) } },
      axes: [{ label: "days to the goal" }, { label: "samples per bin" }],
      series: [{ label: "days (bin centre)" }, { label: "samples per bin", fill: "rgba(11,92,173,0.35)", stroke: "#0b5cad",
        paths: uPlot.paths.bars({ size: [0.95, 80] }), points: { show: false } }],
      hooks: { draw: [refLines([
        ...[5, 50, 95].filter((q) => pct(q) !== undefined && pct(q) !== null).map((q) => ({ x: pct(q), label: `P${q}: ${dur(pct(q)).replace(/ \(.*\)$/, "")}`, color: "#57606a" })),
        { x: MONTH, label: "1 month (IAEA timeliness goal)", color: "#9a6700" }, { x: 365.25, label: "one year", color: "#b42318" }])] },
    }, [xs, ys]);
  }
  fillTable("mc-percentiles", r.percentiles, (tr, q) => {
    cell(tr, `P${q.percentile}`); cell(tr, dur(q.days), "num");
  });
  fillTable("mc-tornado", r.tornado, (tr, t) => {
    const label = bk.last && bk.last.inputs.assumptions[t.input] ? bk.last.inputs.assumptions[t.input].label : t.input;
    cell(tr, label); cell(tr, fmt(t.low_value), "num"); cell(tr, days(t.days_at_low), "num");
    cell(tr, fmt(t.high_value), "num"); cell(tr, days(t.days_at_high), "num");
    cell(tr, t.days_at_low === null || t.days_at_high === null ? "" : fmt(Math.abs(t.days_at_high - t.days_at_low)), "num");
  });
}

// ---------------------------------------------------------------------------------------------
// History: breakout days per dated state on a log axis, with the JCPOA's one year and events.
// [date drawn, label shown, short label]; sources in the view's caption (iran-program.md tags).
// The 60 % start is known to the month only, so it is drawn mid-month and labelled with the month.
const EVENTS = [
  ["2016-01-16", "2016-01-16 JCPOA Implementation Day", "JCPOA"],
  ["2019-07-01", "2019-07-01 stockpile cap exceeded", "cap exceeded"],
  ["2021-04-15", "2021-04 60 % enrichment begins", "60 %"],
  ["2025-06-13", "2025-06-13 strikes", "strikes"],
];
const unix = (d) => Date.parse(d + "T00:00:00Z") / 1000;
async function loadHistory() {
  $("history-error").textContent = "";
  let rows;
  try {
    rows = (await api("GET", "/api/history", null, "history")).results.states;
  } catch (e) {
    if (aborted(e)) return;
    emptyChart("chart-history", "No chart: the history could not be computed.");
    fillTable("history", [], () => {});
    const again = document.createElement("button");
    again.type = "button";
    again.textContent = "Try again";
    again.addEventListener("click", loadHistory);
    $("history-error").replaceChildren(`${translate(e.message, "history").text} `, again);
    return;
  }
  const sorted = [...rows].sort((a, b) => a.as_of.localeCompare(b.as_of));
  const xs = sorted.map((s) => unix(s.as_of));
  // Log axis: "never" (null) and non-positive values are gaps, not zeros.
  const pos = (d) => (d === null || d <= 0 ? null : d);
  const all = sorted.flatMap((s) => [s.goal_days, s.ideal_first_sq_days]).filter((d) => d > 0);
  const lo = Math.min(...all, 365.25), hi = Math.max(...all, 365.25);
  const narrow = window.innerWidth < 700;
  plot("chart-history", {
    height: narrow ? 320 : 380,
    // Room on the right for the last states' labels (up to ~30 characters at 45°).
    scales: { x: { time: true, range: [xs[0] - 200 * 86400, xs[xs.length - 1] + 650 * 86400] },
      y: { distr: 3, range: [lo / 3, hi * 3] } },
    axes: [{ label: "date of the facility state" }, { label: "days to the first SQ (log scale)" }],
    series: [{ label: "date" },
      { label: "headline (optimum), days", stroke: "#0b5cad", width: 2, points: { size: 8 } },
      { label: "ideal lower bound, days", stroke: "#8250df", width: 1, dash: [4, 3], points: { size: 6 } }],
    hooks: { draw: [(u) => {
      const ctx = u.ctx, dpr = devicePixelRatio;
      ctx.save();
      ctx.strokeStyle = "#57606a"; ctx.fillStyle = "#57606a";
      ctx.font = `${11 * dpr}px system-ui`;
      ctx.setLineDash([2 * dpr, 3 * dpr]);
      ctx.textBaseline = "bottom";
      EVENTS.forEach(([d, label, short], i) => {
        const x = u.valToPos(unix(d), "x", true);
        if (x < u.bbox.left - 1 || x > u.bbox.left + u.bbox.width + 1) return;
        ctx.beginPath(); ctx.moveTo(x, u.bbox.top); ctx.lineTo(x, u.bbox.top + u.bbox.height); ctx.stroke();
        // Labels staggered in rows at the bottom; narrow screens use the short labels.
        const right = x > u.bbox.left + u.bbox.width * 0.6;
        ctx.textAlign = right ? "right" : "left";
        const y = u.bbox.top + u.bbox.height - 2 * dpr - 14 * dpr * (EVENTS.length - 1 - i);
        ctx.fillText(narrow ? short : label, right ? x - 3 * dpr : x + 3 * dpr, y);
      });
      ctx.restore();
    }, refLines([{ y: 365.25, label: "JCPOA goal: one year", color: "#b42318" }, { y: MONTH, label: "1 month (IAEA timeliness goal)", color: "#9a6700" }]),
    (u) => {
      // Each headline point labelled with its state, rotated so that close dates stay legible.
      const ctx = u.ctx, dpr = devicePixelRatio;
      ctx.save();
      ctx.font = `${10.5 * dpr}px system-ui`;
      ctx.fillStyle = "#0b5cad";
      sorted.forEach((s, i) => {
        const d = pos(s.goal_days);
        if (d === null) return;
        const x = u.valToPos(xs[i], "x", true), y = u.valToPos(d, "y", true);
        // A label the top of the canvas would cut off runs down to the right instead (the x
        // range leaves room on the right for the last labels).
        const text = narrow ? s.state.replace(/^iran-/, "") : `${s.state}: ${dur(s.goal_days).replace(/ \(.*\)$/, "")}`;
        const up = y - 6 * dpr - ctx.measureText(text).width * Math.SQRT1_2 >= 0;
        ctx.save();
        ctx.translate(x + 4 * dpr, up ? y - 6 * dpr : y + 6 * dpr);
        ctx.rotate(up ? -Math.PI / 4 : Math.PI / 4);
        ctx.textAlign = "left";
        ctx.textBaseline = "middle";
        ctx.fillText(text, 0, 0);
        ctx.restore();
      });
      ctx.restore();
    }] },
  }, [xs, sorted.map((s) => pos(s.goal_days)), sorted.map((s) => pos(s.ideal_first_sq_days))]);
  fillTable("history", sorted, (tr, s) => {
    cell(tr, s.state); cell(tr, s.as_of); cell(tr, fmt(s.capacity_swu_per_yr), "num");
    cell(tr, dur(s.goal_days), "num"); cell(tr, dur(s.ideal_first_sq_days), "num"); cell(tr, fmt(s.stock_limit_sq), "num");
    tr.title = s.title;
  });
}

// ---------------------------------------------------------------------------------------------
// Deals: clauses, verdicts for a state, the floor over the deal's life, and the comparison.
async function loadDeals() {
  const sel = $("deal-select");
  if (!sel.options.length) {
    const list = (await api("GET", "/api/deals")).results.deals;
    for (const d of list) sel.add(new Option(d.name, d.id));
    applyPending("deal", "deal-select");
    const cs = $("check-state");
    const first = pendingHash.get("check") || "iran-2025-05";
    pendingHash.delete("check");
    cs.add(new Option(first, first));
    cs.value = first;
    bundledStates().then((states) => {
      const chosen = cs.value;
      cs.replaceChildren(...states.map((st) => new Option(`${st.state} (${st.as_of})`, st.state)));
      cs.value = chosen;
    }).catch(() => {});
    sel.addEventListener("change", () => { writeHash(); showDeal(); checkDeal(); floorChart(); });
    cs.addEventListener("change", () => { writeHash(); checkDeal(); });
    $("deal-date").addEventListener("change", () => { writeHash(); showDeal(); });
    compareDeals();
  }
  await Promise.all([showDeal(), checkDeal(), floorChart()]);
}
async function showDeal() {
  const id = $("deal-select").value;
  const date = $("deal-date").value;
  const err = $("deal-error");
  try {
    const j = await api("GET", `/api/deals/${encodeURIComponent(id)}` + (date ? `?date=${date}` : ""), null, "deal");
    $("deal-summary").textContent = j.results.summary;
    fillTable("deal-clauses", j.results.clauses, (tr, c) => {
      for (const v of [c.id, c.requires, `${c.from || "start"} → ${c.until || "no end"}`, c.in_force || "", c.reference]) cell(tr, v);
      tr.title = c.source;
    });
    err.textContent = "";
  } catch (e) {
    if (aborted(e)) return;
    $("deal-summary").textContent = "";
    fillTable("deal-clauses", [], () => {});
    err.textContent = translate(e.message, "deals").text;
  }
}
async function checkDeal() {
  const id = $("deal-select").value;
  const state = $("check-state").value;
  try {
    const r = (await api("GET", `/api/deals/${encodeURIComponent(id)}/check?state=${encodeURIComponent(state)}`, null, "check")).results;
    $("check-summary").textContent =
      `${r.violations} clause(s) violated, ${r.complies} complied with, ${r.unverifiable} cannot be verified from the state, ${r.not_in_force} not in force, ${r.text_only} text only.`;
    fillTable("deal-check", r.findings, (tr, f) => {
      cell(tr, f.clause); cell(tr, f.verdict, `verdict-${f.verdict}`);
      cell(tr, fmt(f.value), "num"); cell(tr, fmt(f.limit), "num"); cell(tr, fmt(f.excess), "num");
      cell(tr, f.reason || f.unit || "", "src");
      tr.title = `${f.requires} — ${f.reference}`;
    });
  } catch (e) {
    if (aborted(e)) return;
    $("check-summary").textContent = `No verdicts: ${translate(e.message, "deals").text}`;
    fillTable("deal-check", [], () => {});
  }
}
async function floorChart() {
  const id = $("deal-select").value;
  let r;
  try {
    r = (await api("GET", `/api/deals/${encodeURIComponent(id)}/floor`, null, "floor")).results;
  } catch (e) {
    if (aborted(e)) return;
    $("floor-summary").textContent = "";
    emptyChart("chart-floor", `No chart: ${translate(e.message, "deals").text}`);
    return;
  }
  $("floor-summary").textContent =
    `While the deal holds: ${dur(r.permitted_first_sq_days)} at ${fmt(r.permitted_capacity_swu_per_yr)} kg-SWU/yr; if broken that day: ${dur(r.first_sq_days)}.`;
  const pts = (r.series || []).filter((p) => p.date);
  if (pts.length < 2) {
    emptyChart("chart-floor", `Nothing to draw over time: this deal is evaluated on one date only (${r.date || (pts[0] && pts[0].date) || "its base date"}); its floor is given above.`);
    return;
  }
  const a = pts.map((p) => p.permitted_first_sq_days), b = pts.map((p) => p.first_sq_days);
  plot("chart-floor", {
    scales: { x: { time: true }, y: { range: spanOf([...a, ...b, 365.25], { zero: true, pad: 0.12 }) } },
    axes: [{ label: "date in the deal's life" }, { label: "days to the first SQ", size: 60 }],
    series: [{ label: "date" },
      { label: "deal holds (permitted state), days", stroke: "#1a7f37", width: 2, points: { size: 6 } },
      { label: "deal broken that day, days", stroke: "#b42318", width: 2, points: { size: 6 } }],
    hooks: { draw: [refLines([{ y: 365.25, label: "one year (JCPOA goal)", color: "#57606a" }])] },
  }, [pts.map((p) => unix(p.date)), a, b]);
}
async function compareDeals() {
  try {
    const r = (await api("GET", "/api/compare")).results;
    fillTable("deal-compare", r.positions, (tr, p) => {
      cell(tr, p.name || p.position); cell(tr, p.base_state || ""); cell(tr, p.date || "");
      cell(tr, dur(p.permitted_first_sq_days), "num"); cell(tr, dur(p.first_sq_days), "num");
      cell(tr, (p.changes || []).join("; "), "src");
    });
  } catch (e) {
    $("deal-error").textContent = translate(e.message, "deals").text;
  }
}

// ---------------------------------------------------------------------------------------------
// Deal design: the frontier of a design space (`deal design`), every evaluated candidate on a
// chart of stock cap against the separative capacity it allows, coloured by its floor.
const ds = { built: false, result: null, chosen: -1 };
function designQuery() {
  const q = new URLSearchParams();
  q.set("min_months", $("ds-months").value);
  if ($("ds-broken").checked) q.set("if_broken", "true");
  if ($("ds-percentile").value) {
    q.set("percentile", $("ds-percentile").value);
    q.set("samples", $("ds-samples").value);
  }
  for (const [k, id] of [["cap_wt_pct", "ds-cap"], ["stock_cap_kg", "ds-stock"], ["machines", "ds-machines"], ["fates", "ds-fates"]]) {
    const v = $(id).value.trim();
    if (v) q.set(k, v);
  }
  return q.toString();
}
// The floor a candidate is judged by, months (Infinity: never): at the percentile when one was
// asked for, else central; the shorter of "holds" and "broken" when the target covers both.
function designFloor(p, r) {
  const src = r.monte_carlo && p.at_percentile ? p.at_percentile : p;
  const m = (d) => (d === null || d === undefined ? Infinity : d / MONTH);
  return r.if_broken ? Math.min(m(src.permitted_first_sq_days), m(src.first_sq_days)) : m(src.permitted_first_sq_days);
}
// Colour classes relative to the target T: two below it (red), two at or above it (green), never.
function designBins(t) {
  return [
    { label: `< ${fmt(t / 2)} months`, color: "#b42318", test: (m) => m < t / 2 },
    { label: `${fmt(t / 2)}–${fmt(t)} months (misses the target)`, color: "#f0883e", test: (m) => m >= t / 2 && m < t },
    { label: `${fmt(t)}–${fmt(1.5 * t)} months (meets it)`, color: "#7ee2a8", test: (m) => m >= t && m < 1.5 * t },
    { label: `≥ ${fmt(1.5 * t)} months`, color: "#1a7f37", test: (m) => m >= 1.5 * t && Number.isFinite(m) },
    { label: "never (no capacity)", color: "#57606a", test: (m) => !Number.isFinite(m) },
  ];
}
const leversKey = (l) => JSON.stringify(l);
// Machine counts exactly (fmt rounds to 3 figures); levers at 0 left out.
const count = (n) => (Math.round(n) || 0).toLocaleString("en"); // `|| 0`: no "-0" for no capacity
const machinesText = (l) => l.machines.filter((m) => m.max_enriching > 0).map((m) => `${count(m.max_enriching)} ${m.machine}@${m.site}`).join(", ") || "none";
async function loadDesign() {
  if (!ds.built) {
    ds.built = true;
    $("ds-run").addEventListener("click", () => { writeHash(); runDesign(); });
    for (const id of ["ds-months", "ds-broken", "ds-percentile", "ds-fates"]) $(id).addEventListener("change", () => { writeHash(); runDesign(); });
    $("ds-percentile").addEventListener("change", () => { $("ds-samples").disabled = !$("ds-percentile").value; });
    // A click on the plot chooses the frontier point nearest to it (within 20 px); captured on
    // the way down, since uPlot stops the click on its own layer.
    $("chart-design").addEventListener("click", chooseNearest, true);
    for (const id of ["ds-cap", "ds-stock", "ds-machines", "ds-samples"]) {
      $(id).addEventListener("keydown", (e) => { if (e.key === "Enter") { writeHash(); runDesign(); } });
    }
  }
  // Draws only matter at a percentile.
  $("ds-samples").disabled = !$("ds-percentile").value;
  if (!ds.result) await runDesign();
}
async function runDesign() {
  clearErrors("design");
  $("ds-summary").textContent = "Searching the design space…";
  let r;
  try {
    r = (await api("GET", `/api/deal/design?${designQuery()}`, null, "design")).results;
  } catch (e) {
    if (aborted(e)) return;
    ds.result = null;
    $("ds-summary").textContent = "";
    showError("design", e.message, "ds-error");
    emptyChart("chart-design", "No frontier: see the message above.");
    fillTable("ds-frontier", [], () => {});
    $("ds-legend").textContent = "";
    $("ds-chosen").hidden = true;
    return;
  }
  ds.result = r;
  ds.chosen = -1;
  $("ds-chosen").hidden = true;
  const at = r.monte_carlo ? ` at P${fmt(r.monte_carlo.percentile)} of ${r.monte_carlo.samples} draws (seed ${r.monte_carlo.seed})` : " (central values)";
  $("ds-summary").textContent =
    `${r.frontier.length} deal(s) on the frontier for breakout ≥ ${fmt(r.min_months)} months${r.if_broken ? " while the deal holds and if it is broken" : " while the deal holds"}${at}; ` +
    `${r.evaluated} of ${r.grid_size} candidates evaluated.`;
  const months = (d) => (d === null || d === undefined ? "never" : fmt(d / MONTH));
  // The percentile floor the target was judged on (the shorter of holds and broken with "if broken").
  const pc = (p) => {
    if (!p.at_percentile) return "—";
    const m = designFloor(p, r);
    return Number.isFinite(m) ? fmt(m) : "never";
  };
  fillTable("ds-frontier", r.frontier, (tr, p) => {
    const l = p.levers;
    const banned = l.enrichment_cap_wt_pct <= 0;
    cell(tr, banned ? "none" : fmt(l.enrichment_cap_wt_pct), "num");
    cell(tr, banned ? "—" : fmt(l.stock_cap_kg), "num");
    cell(tr, banned ? "—" : machinesText(l));
    cell(tr, l.excess);
    cell(tr, count(p.permitted_capacity_swu_per_yr), "num");
    cell(tr, months(p.permitted_first_sq_days), "num");
    cell(tr, months(p.first_sq_days), "num");
    cell(tr, r.monte_carlo ? pc(p) : "—", "num");
    tr.tabIndex = 0;
    tr.addEventListener("click", () => choose(r.frontier.indexOf(p)));
    tr.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); choose(r.frontier.indexOf(p)); } });
  });
  designChart(r);
}
function designChart(r) {
  const pts = [...r.points].sort((a, b) => a.permitted_capacity_swu_per_yr - b.permitted_capacity_swu_per_yr || a.levers.stock_cap_kg - b.levers.stock_cap_kg);
  if (!pts.length) {
    emptyChart("chart-design", "No candidate was evaluated.");
    return;
  }
  const bins = designBins(r.min_months);
  const onFrontier = new Set(r.frontier.map((p) => leversKey(p.levers)));
  const xs = pts.map((p) => p.permitted_capacity_swu_per_yr);
  const ys = pts.map((p) => p.levers.stock_cap_kg);
  const series = bins.map((b) => pts.map((p) => (b.test(designFloor(p, r)) ? p.levers.stock_cap_kg : null)));
  const frontier = pts.map((p) => (onFrontier.has(leversKey(p.levers)) ? p.levers.stock_cap_kg : null));
  const counts = bins.map((_, i) => series[i].filter((y) => y !== null).length);
  const dot = { size: 9, width: 0 };
  plot("chart-design", {
    scales: { x: { time: false, range: spanOf([...xs, 0], { pad: 0.04 }) }, y: { range: spanOf([...ys, 0], { pad: 0.08 }) } },
    axes: [{ label: "capacity allowed to enrich, kg-SWU/yr" }, { label: "stock cap, kg UF6", size: 60 }],
    series: [{ label: "kg-SWU/yr" },
      ...bins.map((b, i) => ({ label: `${b.label}: ${counts[i]}`, stroke: b.color, fill: b.color, paths: () => null,
        points: { show: true, ...dot, fill: b.color, stroke: b.color } })),
      { label: `the ${fmt(r.min_months)}-month frontier (ringed, joined)`, stroke: "#1b1f24", width: 1.5, dash: [5, 3], spanGaps: true,
        points: { show: true, size: 15, width: 2, stroke: "#1b1f24", fill: "rgba(0,0,0,0)" } }],
  }, [xs, ...series, frontier]);
  const chart = $("chart-design");
  chart.dataset.points = String(pts.length);
  chart.dataset.frontier = String(frontier.filter((y) => y !== null).length);
  $("ds-legend").textContent =
    `Colour: the breakout floor ${r.monte_carlo ? `at P${fmt(r.monte_carlo.percentile)}` : "(central value)"}${r.if_broken ? ", the shorter of “deal holds” and “if broken”" : " while the deal holds"}; ` +
    `the target is ${fmt(r.min_months)} months (green at or above it). Ringed points are the frontier; click one, or a row below, for its clauses. ` +
    `Only the candidates the search evaluated are drawn (${r.evaluated} of ${r.grid_size}).`;
}
function chooseNearest(e) {
  const u = plots["chart-design"];
  const r = ds.result;
  if (!u || !r) return;
  const rect = u.over.getBoundingClientRect();
  const mx = e.clientX - rect.left, my = e.clientY - rect.top;
  let best = -1, bestD = 20;
  r.frontier.forEach((p, i) => {
    const x = u.valToPos(p.permitted_capacity_swu_per_yr, "x"), y = u.valToPos(p.levers.stock_cap_kg, "y");
    const d = Math.hypot(x - mx, y - my);
    if (d < bestD) { bestD = d; best = i; }
  });
  if (best >= 0) choose(best);
}
// The clauses of a frontier deal, read from its deal file (`[[clause]]` tables; values are TOML
// basic strings, which JSON reads alike).
function clausesOf(toml) {
  return toml.split("[[clause]]").slice(1).map((block) => {
    const c = {};
    for (const line of block.split("\n")) {
      const m = /^(id|summary|source) = (".*")$/.exec(line);
      if (m) { try { c[m[1]] = JSON.parse(m[2]); } catch { c[m[1]] = m[2]; } }
    }
    return c;
  });
}
function choose(i) {
  const r = ds.result;
  if (!r || !r.frontier[i]) return;
  ds.chosen = i;
  const p = r.frontier[i];
  document.querySelectorAll("#ds-frontier tbody tr").forEach((tr, k) => tr.setAttribute("aria-selected", String(k === i)));
  $("ds-chosen-title").textContent = `The chosen deal: ${p.levers.enrichment_cap_wt_pct > 0 ? `${fmt(p.levers.enrichment_cap_wt_pct)} wt-%, ${fmt(p.levers.stock_cap_kg)} kg UF6, machines allowed to enrich: ${machinesText(p.levers)}` : "no enrichment"}, the rest ${p.levers.excess}`;
  fillTable("ds-clauses", clausesOf(p.deal_toml), (tr, c) => { cell(tr, c.id || ""); cell(tr, c.summary || ""); cell(tr, c.source || "", "src"); });
  $("ds-toml").textContent = p.deal_toml;
  $("ds-chosen").hidden = false;
}

// ---------------------------------------------------------------------------------------------
// Cascade: the stage profile of a bundled cascade and a batch-recycling run.
async function loadCascade() {
  if (!loadCascade.bound) {
    loadCascade.bound = true;
    for (const id of ["cs-name", "cs-feed", "cs-recycle"]) {
      $(id).addEventListener("change", loadCascade);
      $(id).addEventListener("input", debounce(loadCascade, 300));
    }
  }
  writeHash();
  const v = (id) => $(id).value;
  // feed_wt_pct is a composition (a number or ISO=WT_PCT,...): the request wants its text.
  const body = { cascade: v("cs-name"), feed_wt_pct: v("cs-feed") };
  if (Number(v("cs-recycle")) > 1) body.recycle = Number(v("cs-recycle"));
  let r;
  try {
    r = (await api("POST", "/api/cascade/run", body, "cascade")).results;
  } catch (e) {
    if (aborted(e)) return;
    // No stale profile: everything drawn from the previous answer goes.
    $("cs-summary").textContent = "No answer: the inputs have an error.";
    emptyChart("chart-cs-assay", "");
    emptyChart("chart-cs-flow", "");
    fillTable("cs-passes", [], () => {});
    showError("cascade", e.message, "cs-error");
    return;
  }
  clearErrors("cascade");
  $("cs-summary").textContent =
    `${r.cascade}: ${fmt(r.total_machines)} machines, ${fmt(r.enriching_stages)} enriching + ${fmt(r.stripping_stages)} stripping stages; ` +
    `feed ${fmt(r.max_feed_kg_u_per_yr)} kg U/yr → product ${fmt(r.product_kg_u_per_yr)} kg U/yr at ${fmt(r.product_wt_pct)} wt-%, ` +
    `tails at ${fmt(r.tails_wt_pct)} wt-%; ${fmt(r.separative_work_swu)} kg-SWU/yr` +
    (r.recycle ? `; ${r.recycle.passes.length} passes: ${fmt(r.recycle_product_kg_u)} kg U at ${fmt(r.recycle_product_wt_pct)} wt-% in ${dur(r.recycle_days)}` : "");
  const st = r.stages;
  const x = st.map((s) => s.stage);
  const xr = [Math.min(...x) - 0.6, Math.max(...x) + 0.6];
  const assays = st.flatMap((s) => [s.heads_wt_pct.U235, s.tails_wt_pct.U235]);
  plot("chart-cs-assay", {
    scales: { x: { time: false, range: xr }, y: { distr: 3, range: [Math.min(...assays) / 1.5, Math.max(...assays) * 1.5] } },
    axes: [{ label: "stage (1 = tails end)" }, { label: "U-235 assay, wt-% (log scale)" }],
    series: [{ label: "stage" },
      { label: "heads wt-%", stroke: "#0b5cad", width: 2, points: { size: 5 } },
      { label: "feed wt-%", stroke: "#57606a", width: 1, dash: [4, 3] },
      { label: "tails wt-%", stroke: "#b42318", width: 2, points: { size: 5 } }],
  }, [x, st.map((s) => s.heads_wt_pct.U235), st.map((s) => s.feed_wt_pct.U235), st.map((s) => s.tails_wt_pct.U235)]);
  const flows = st.map((s) => s.feed_kg_u_per_yr), machines = st.map((s) => s.machines);
  plot("chart-cs-flow", {
    height: 260,
    scales: { x: { time: false, range: xr }, y: { range: spanOf(flows, { zero: true, pad: 0.12 }) }, m: { range: spanOf(machines, { zero: true, pad: 0.15 }) } },
    axes: [{ label: "stage (1 = tails end)" }, { label: "stage feed, kg U/yr", size: 60 }, { side: 1, label: "machines in the stage", scale: "m", grid: { show: false } }],
    series: [{ label: "stage" },
      { label: "feed flow, kg U/yr", stroke: "#0b5cad", width: 2 },
      { label: "machines (bars)", stroke: "#8250df", scale: "m", paths: uPlot.paths.bars({ size: [0.6, 60] }), fill: "rgba(130,80,223,0.2)", points: { show: false } }],
    hooks: { draw: [pointLabels(2, (i) => String(machines[i]), "#8250df")] },
  }, [x, flows, machines]);
  const passes = r.recycle ? r.recycle.passes : [];
  fillTable("cs-passes", passes, (tr, p) => {
    cell(tr, p.pass); cell(tr, kgAt(p.feed.kg_u, p.feed.wt_pct.U235)); cell(tr, kgAt(p.product.kg_u, p.product.wt_pct.U235));
    cell(tr, kgAt(p.tails.kg_u, p.tails.wt_pct.U235)); cell(tr, fmt(p.days), "num"); cell(tr, fmt(p.separative_work_swu), "num");
  });
}

// ---------------------------------------------------------------------------------------------
// Safeguards: the detection calculator, its curve over diverted amounts, and the plant balance.
function detectBody(loss) {
  const v = (id) => Number($(id).value);
  return { loss_kg: loss, sigma_kg: v("sg-sigma"), alpha: v("sg-alpha") };
}
async function detect() {
  writeHash();
  const out = $("sg-detect");
  let r;
  try {
    r = (await api("POST", "/api/safeguards/detect", detectBody(Number($("sg-loss").value)), "detect")).results;
  } catch (e) {
    if (aborted(e)) return;
    out.textContent = "";
    emptyChart("chart-sg", "No chart: the detection inputs have an error.");
    showError("safeguards", e.message, "sg-detect-error");
    return;
  }
  clearErrors("safeguards");
  out.textContent = `Detection probability ${fmt(100 * r.detection_probability)} % (loss = ${fmt(r.loss_over_sigma)} σ); alarm threshold ${fmt(r.threshold_kg)} kg; ` +
    `detectable loss at 95 %: ${fmt(r.detectable_loss_kg)} kg; largest σ(MUF) for 95 % detection: ${fmt(r.max_sigma_muf_kg)} kg.`;
  await detectChart(r);
}
// The curve: one `/api/safeguards/detect` request per amount, from zero to past the 95 % point.
async function detectChart(current) {
  const loss = Number($("sg-loss").value);
  const top = Math.max(loss, current.detectable_loss_kg, 25) * 1.5;
  const n = 16;
  const amounts = Array.from({ length: n + 1 }, (_, i) => (top * i) / n);
  let ps;
  try {
    ps = await Promise.all(amounts.map((m, i) => api("POST", "/api/safeguards/detect", detectBody(m), `detect-${i}`).then((r) => 100 * r.results.detection_probability)));
  } catch (e) {
    if (!aborted(e)) emptyChart("chart-sg", `No chart: ${translate(e.message, "safeguards").text}`);
    return;
  }
  plot("chart-sg", {
    scales: { x: { time: false, range: [0, top] }, y: { range: [0, 105] } },
    axes: [{ label: "amount diverted (kg)" }, { label: "detection probability, %" }],
    series: [{ label: "kg diverted" }, { label: "detection probability, % (one balance)", stroke: "#0b5cad", width: 2, points: { size: 4 } }],
    hooks: { draw: [refLines([
      { y: 95, label: "95 % detection", color: "#1a7f37" },
      { x: loss, label: `your loss: ${fmt(loss)} kg → ${fmt(100 * current.detection_probability)} %`, color: "#0b5cad" },
      { x: current.detectable_loss_kg, label: `detectable at 95 %: ${fmt(current.detectable_loss_kg)} kg`, color: "#1a7f37" },
      { x: 25, label: "25 kg U-235: 1 SQ in HEU", color: "#b42318" },
      { x: 75, label: "75 kg U-235: 1 SQ in LEU", color: "#9a6700" }])] },
  }, [amounts, ps]);
}
async function plant() {
  writeHash();
  const v = (id) => $(id).value;
  let r;
  try {
    r = (await api("POST", "/api/safeguards/plant", { swu_per_yr: Number(v("sg-swu")), product_wt_pct: Number(v("sg-product")), seed: Number(v("sg-seed")), sequences: 20000 }, "plant")).results;
  } catch (e) {
    if (aborted(e)) return;
    fillTable("sg-plant", [], () => {});
    showError("safeguards", e.message, "sg-error");
    return;
  }
  const rows = [
    ["feed, kg U/yr", r.feed_kg_u_per_yr], ["product, kg U/yr", r.product_kg_u_per_yr], ["tails, kg U/yr", r.tails_kg_u_per_yr],
    ["cylinders per year (feed / product / tails)", `${r.feed_cylinders_per_yr} / ${r.product_cylinders_per_yr} / ${r.tails_cylinders_per_yr}`],
    ["σ of one balance period's MUF, kg U-235", r.sigma_muf_kg], ["σ of the annual MUF, kg U-235", r.sigma_annual_muf_kg],
    ["σ of the annual MUF, % of feed U-235", r.sigma_annual_muf_pct_of_feed], ["largest capacity whose annual balance detects the goal with 95 %, kg-SWU/yr", r.max_capacity_swu_per_yr], ["σ of the annual element MUF, kg U", r.sigma_annual_muf_element_kg],
    ["detection probability of the goal quantity (annual balance)", r.detection_probability], ["detectable loss, kg U-235", r.detectable_loss_kg],
    ["abrupt diversion: Page test detection probability", r.simulation.abrupt.page_detection_probability],
    ["abrupt diversion: Page test mean days to detect", r.simulation.abrupt.page_mean_detection_days],
    ["protracted diversion: Page test detection probability", r.simulation.protracted.page_detection_probability],
  ];
  fillTable("sg-plant", rows, (tr, [k, val]) => { cell(tr, k); cell(tr, typeof val === "number" ? fmt(val) : val, "num"); });
  $("sg-error").textContent = "";
}
async function loadSafeguards() {
  if (!loadSafeguards.bound) {
    loadSafeguards.bound = true;
    const soon = debounce(detect, 250);
    for (const id of ["sg-loss", "sg-sigma", "sg-alpha"]) $(id).addEventListener("input", soon);
    $("sg-plant-run").addEventListener("click", plant);
  }
  await Promise.all([detect(), plant()]);
}

// ---------------------------------------------------------------------------------------------
// Machines.
async function loadMachines() {
  const list = (await api("GET", "/api/machines")).results.machines;
  fillTable("machines", list, (tr, m) => {
    const p = m.separative_power_swu_per_yr;
    cell(tr, m.id); cell(tr, fmt(p.low), "num"); cell(tr, fmt(p.central), "num"); cell(tr, fmt(p.high), "num");
    cell(tr, m.claim_only ? "yes" : "no"); cell(tr, m.source, "src");
  });
}

// ---------------------------------------------------------------------------------------------
// Sharing: the address already holds the view; "print" opens the browser's print dialog on a
// print stylesheet that shows exactly the current tab (every toggle opened), which can be saved
// as PDF.
$("copy-link").addEventListener("click", async () => {
  writeHash();
  const b = $("copy-link");
  try {
    await navigator.clipboard.writeText(location.href);
    b.textContent = "Link copied";
  } catch {
    b.textContent = "Copy the address bar";
  }
  setTimeout(() => { b.textContent = "Copy link to this view"; }, 2000);
});
$("print-view").addEventListener("click", () => {
  const open = [...document.querySelectorAll("details:not([open])")];
  open.forEach((d) => { d.open = true; });
  window.print();
  open.forEach((d) => { d.open = false; });
});

const loaders = { "tab-design": loadDesign, "tab-deals": loadDeals, "tab-machines": loadMachines, "tab-breakout": loadBreakout,
  "tab-history": loadHistory, "tab-cascade": loadCascade, "tab-safeguards": loadSafeguards };

// Start: the address's tab and inputs, else the calculator.
function start() {
  const { tab, params } = readHash();
  const t = $("tab-" + tab);
  if (t) applyHash(tab, params);
  lastHash = location.hash;
  solve();
  if (t && t !== tabs[0]) select(t, false);
  else writeHash();
}
window.addEventListener("hashchange", () => {
  if (location.hash === lastHash) return;
  // An address typed or pasted by hand: the new tab and inputs, from scratch.
  const { tab, params } = readHash();
  const t = $("tab-" + tab);
  if (!t) return;
  applyHash(tab, params);
  if (tab === "breakout" && $("bk-state").options.length) { bk.built = false; runBreakout(true); }
  if (tab === "enrichment") solve();
  if (tab === "design" && ds.built) runDesign();
  select(t, false);
});
start();
