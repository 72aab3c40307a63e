// The workbench page: every number comes from the JSON API, which runs the CLI's own commands.
"use strict";

async function api(method, path, body) {
  const res = await fetch(path, {
    method,
    headers: body ? { "content-type": "application/json" } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = await res.json();
  if (!res.ok) throw new Error(json.error || res.statusText);
  return json;
}

const fmt = (x) => (Math.abs(x) >= 1e5 || (Math.abs(x) < 1e-3 && x !== 0) ? x.toExponential(4) : Number(x.toPrecision(6)).toString());

// Tabs: arrow keys move between them, as the WAI-ARIA tabs pattern expects.
const tabs = [...document.querySelectorAll('[role="tab"]')];
function select(tab) {
  for (const t of tabs) {
    const on = t === tab;
    t.setAttribute("aria-selected", String(on));
    t.tabIndex = on ? 0 : -1;
    document.getElementById(t.getAttribute("aria-controls")).hidden = !on;
  }
  tab.focus();
  const loader = loaders[tab.id];
  if (loader) loader();
}
tabs.forEach((t, i) => {
  t.addEventListener("click", () => select(t));
  t.addEventListener("keydown", (e) => {
    if (e.key === "ArrowRight") select(tabs[(i + 1) % tabs.length]);
    if (e.key === "ArrowLeft") select(tabs[(i - 1 + tabs.length) % tabs.length]);
  });
});

// Enrichment: the last-edited quantity is the given one; the others are solved.
let given = "product_kg_u";
async function solve() {
  const err = document.getElementById("enrich-error");
  const input = document.getElementById("q-" + given);
  const body = {
    feed_wt_pct: Number(document.getElementById("xf").value),
    product_wt_pct: Number(document.getElementById("xp").value),
    tails_wt_pct: Number(document.getElementById("xt").value),
  };
  body[input.dataset.flag] = Number(input.value);
  try {
    const r = (await api("POST", "/api/swu", body)).results;
    for (const key of ["feed_kg_u", "product_kg_u", "tails_kg_u", "separative_work_swu"]) {
      if (key !== given) document.getElementById("q-" + key).value = fmt(r[key]);
    }
    err.textContent = "";
    await stepsChart(body.tails_wt_pct, body.feed_wt_pct);
  } catch (e) {
    err.textContent = e.message;
  }
}
for (const el of document.querySelectorAll("#view-enrichment input")) {
  el.addEventListener("input", () => {
    if (el.dataset.flag) given = el.id.slice(2);
    solve();
  });
}

let stepPlot = null;
async function stepsChart(tails, feed) {
  const steps = [3.67, 20, 60, 90].filter((x) => x > feed);
  const swu = [];
  for (const x of steps) {
    const r = await api("POST", "/api/swu", { feed_wt_pct: feed, product_wt_pct: x, tails_wt_pct: tails, product_kg_u: 1 });
    swu.push(r.results.separative_work_swu);
  }
  const el = document.getElementById("chart-steps");
  const opts = {
    width: Math.min(900, el.clientWidth || 800), height: 280,
    scales: { x: { time: false } },
    axes: [{ label: "product assay (wt-% U-235)" }, { label: "kg-SWU per kg U of product" }],
    series: [{ label: "product assay (wt-%)" }, { label: "SWU per kg product (kg-SWU)", stroke: "#0b5cad", width: 2, points: { size: 8 } }],
  };
  if (stepPlot) stepPlot.destroy();
  stepPlot = new uPlot(opts, [steps, swu], el);
}

// Deals.
async function loadDeals() {
  const sel = document.getElementById("deal-select");
  if (!sel.options.length) {
    const list = (await api("GET", "/api/deals")).results.deals;
    for (const d of list) sel.add(new Option(d.name, d.id));
    const states = await bundledStates();
    const cs = document.getElementById("check-state");
    for (const st of states) cs.add(new Option(`${st.state} (${st.as_of})`, st.state));
    cs.value = "iran-2025-05";
    sel.addEventListener("change", () => { showDeal(); checkDeal(); floorChart(); });
    cs.addEventListener("change", checkDeal);
    document.getElementById("deal-date").addEventListener("change", showDeal);
    compareDeals();
  }
  await Promise.all([showDeal(), checkDeal(), floorChart()]);
}
async function showDeal() {
  const id = document.getElementById("deal-select").value;
  const date = document.getElementById("deal-date").value;
  const err = document.getElementById("deal-error");
  try {
    const j = await api("GET", `/api/deals/${encodeURIComponent(id)}` + (date ? `?date=${date}` : ""));
    document.getElementById("deal-summary").textContent = j.results.summary;
    const body = document.querySelector("#deal-clauses tbody");
    body.replaceChildren(...j.results.clauses.map((c) => {
      const tr = document.createElement("tr");
      for (const v of [c.id, c.requires, `${c.from || "start"} → ${c.until || "no end"}`, c.in_force || "", c.reference]) {
        const td = document.createElement("td");
        td.textContent = v;
        tr.append(td);
      }
      tr.title = c.source;
      return tr;
    }));
    err.textContent = "";
  } catch (e) {
    err.textContent = e.message;
  }
}

// Machines.
async function loadMachines() {
  const list = (await api("GET", "/api/machines")).results.machines;
  const body = document.querySelector("#machines tbody");
  body.replaceChildren(...list.map((m) => {
    const tr = document.createElement("tr");
    const p = m.separative_power_swu_per_yr;
    const cells = [[m.id, ""], [fmt(p.low), "num"], [fmt(p.central), "num"], [fmt(p.high), "num"], [m.claim_only ? "yes" : "no", ""], [m.source, ""]];
    for (const [v, cls] of cells) {
      const td = document.createElement("td");
      td.textContent = v;
      if (cls) td.className = cls;
      tr.append(td);
    }
    return tr;
  }));
}



// Shared helpers for the views below.
const MONTH = 30.4375; // days per month (365.25 / 12), as the CLI's units::DAYS_PER_MONTH
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
const days = (d) => (d === null || d === undefined ? "never" : fmt(d));
const kgAt = (kg, pct) => (kg === null || kg === undefined ? "" : `${fmt(kg)} @ ${fmt(pct)}`);
const plots = {};
function plot(id, opts, data) {
  const el = document.getElementById(id);
  if (plots[id]) plots[id].destroy();
  opts.width = Math.min(1000, el.clientWidth || 900);
  opts.height = opts.height || 300;
  plots[id] = new uPlot(opts, data, el);
  return plots[id];
}
let statesCache = null;
async function bundledStates() {
  if (!statesCache) statesCache = (await api("GET", "/api/states")).results.states;
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

// Breakout: every control is a flag of `breakout run`; the answer and curve follow each change.
// `upload` holds an uploaded state file's text; while it is set it replaces the chosen state.
const bk = { seq: 0, types: [], sites: [], touched: new Set(), last: null, upload: null };
async function loadBreakout() {
  const sel = document.getElementById("bk-state");
  if (sel.options.length) return;
  for (const st of await bundledStates()) sel.add(new Option(`${st.state} — ${st.title}`, st.state));
  sel.value = "iran-2025-05";
  await machineLibrary();
      const status = document.getElementById("bk-upload-status");
  const useBundled = () => {
    bk.upload = null;
    document.getElementById("bk-upload").value = "";
    status.replaceChildren();
    bk.touched.clear();
    runBreakout(true);
  };
  sel.addEventListener("change", useBundled);
  document.getElementById("bk-upload").addEventListener("change", async (ev) => {
    const file = ev.target.files[0];
    if (!file) return;
    bk.upload = await file.text();
    const back = document.createElement("button");
    back.type = "button";
    back.textContent = "Use the chosen bundled state instead";
    back.addEventListener("click", useBundled);
    status.replaceChildren(`Using the uploaded ${file.name}. `, back);
    bk.touched.clear();
    runBreakout(true);
  });
  for (const id of ["bk-goal", "bk-count", "bk-model", "bk-weap-lo", "bk-weap-hi"]) {
    document.getElementById(id).addEventListener("change", () => runBreakout(false));
  }
  for (const id of ["bk-reinstall", "bk-setup"]) {
    const el = document.getElementById(id);
    el.addEventListener("input", () => {
      document.getElementById(id + "-out").value = el.value;
      runBreakout(false);
    });
  }
  document.getElementById("bk-reset").addEventListener("click", () => { bk.touched.clear(); runBreakout(true); });
  document.getElementById("mc-run").addEventListener("click", runMonteCarlo);
  await runBreakout(true);
}

function breakoutBody() {
  const v = (id) => document.getElementById(id).value;
    const body = { goal: v("bk-goal"), count: Number(v("bk-count")), model: v("bk-model"),
    reinstall_cascades_per_month: Number(v("bk-reinstall")), setup_days_per_step: Number(v("bk-setup")) };
  if (bk.upload !== null) body.state_toml = bk.upload; else body.state = v("bk-state");
  if (v("bk-weap-lo") !== "" && v("bk-weap-hi") !== "") body.weaponization_months = `${v("bk-weap-lo")}..${v("bk-weap-hi")}`;
  const sites = [...document.querySelectorAll("#bk-sites input:checked")].map((c) => c.value);
  if (sites.length) body.site = sites;
  const swu = [], eff = [];
  for (const t of bk.types) {
    if (bk.touched.has(`swu:${t}`)) swu.push(`${t}=${document.getElementById(`bk-swu-${t}`).value}`);
    if (bk.touched.has(`eff:${t}`)) eff.push(`${t}=${document.getElementById(`bk-eff-${t}`).value}`);
  }
  if (swu.length) body.swu_per_machine = swu;
  if (eff.length) body.efficiency = eff;
  return body;
}

async function runBreakout(rebuild) {
  const err = document.getElementById("bk-error");
  if (rebuild) {
    // A new state: controls for its sites and machine types, at their central values.
    document.querySelectorAll("#bk-sites input").forEach((c) => { c.checked = false; });
  }
  const seq = ++bk.seq;
  let j;
  try {
    j = await api("POST", "/api/breakout", breakoutBody());
  } catch (e) {
    if (seq === bk.seq) err.textContent = e.message;
    return;
  }
  if (seq !== bk.seq) return; // a later request has been sent: show only the latest answer
  err.textContent = "";
  bk.last = j;
  if (rebuild) buildBreakoutControls(j);
  showBreakout(j);
}

function buildBreakoutControls(j) {
  const a = j.inputs.assumptions;
  bk.sites = Object.keys(a).filter((k) => k.endsWith(".damage_fraction")).map((k) => k.split(".")[0]);
  const sites = document.getElementById("bk-sites");
  sites.replaceChildren(document.createTextNode("Sites (none ticked: all): "), ...bk.sites.map((s) => {
    const l = document.createElement("label");
    l.className = "inline";
    const c = document.createElement("input");
    c.type = "checkbox"; c.value = s; c.id = `bk-site-${s}`;
    c.addEventListener("change", () => runBreakout(false));
    l.append(c, " " + s);
    return l;
  }));
  bk.types = Object.keys(a).filter((k) => k.endsWith(".swu_per_machine_yr")).map((k) => k.split(".")[0]);
  const box = document.getElementById("bk-machine-controls");
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
      inp.type = "range"; inp.min = min; inp.max = max; inp.step = step; inp.value = value;
      inp.id = `bk-${kind}-${t}`;
      out.id = `bk-${kind}-${t}-out`; out.htmlFor = inp.id; out.value = fmt(Number(value));
      inp.setAttribute("aria-label", `${t} ${label} (${unit})`);
      inp.addEventListener("input", () => {
        out.value = fmt(Number(inp.value));
        bk.touched.add(`${kind}:${t}`);
        runBreakout(false);
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
}

function showBreakout(j) {
  const r = j.results;
  const unit = r.sq_unit || "SQ";
  const count = j.inputs.goal.count;
  const ans = document.getElementById("bk-answer");
  const head = r.goal_days === null || r.goal_days === undefined ? "never (not enough material or capacity)" : `${fmt(r.goal_days)} days (${fmt(r.goal_days / MONTH)} months)`;
  const ideal = r.ideal_first_sq_days === null ? "never" : `${fmt(r.ideal_first_sq_days)} days`;
  ans.replaceChildren();
  const strong = document.createElement("strong");
  strong.id = "bk-headline";
  strong.textContent = head;
  ans.append(`${r.headline_model} model, ${count} ${unit}: `, strong,
    ` · ideal lower bound, first ${unit}: ${ideal} · capacity at day 0: ${fmt(r.capacity_swu_per_yr)} kg-SWU/yr · ${fmt(r.stock_limit_sq)} ${unit} from stocks`);
  if (r.weapon) ans.append(` · weaponization: ${r.weapon}`);
  const curve = r.production_curve || [];
  plot("chart-curve", {
    scales: { x: { time: false } },
    axes: [{ label: "days from the decision" }, { label: `${unit} produced (goal units)` }],
    series: [{ label: "days" }, { label: `${unit} produced`, stroke: "#0b5cad", width: 2, points: { size: 6 } }],
  }, [curve.map((p) => p.days), curve.map((p) => p.sq)]);
  fillTable("bk-timeline", r.steps || [], (tr, s) => {
    cell(tr, fmt(s.start_days), "num"); cell(tr, fmt(s.end_days), "num"); cell(tr, s.what);
    cell(tr, (s.feeds || []).map((f) => kgAt(f.kg_u, f.wt_pct)).join(" + "));
    cell(tr, kgAt(s.product_kg_u, s.product_wt_pct)); cell(tr, kgAt(s.tails_kg_u, s.tails_wt_pct));
    cell(tr, s.separative_work_swu ? fmt(s.separative_work_swu) : "", "num"); cell(tr, s.cascades, "src");
  });
  const a = j.inputs.assumptions;
  fillTable("bk-assumptions", Object.keys(a), (tr, k) => {
    const x = a[k];
    cell(tr, x.label); cell(tr, fmt(x.value), "num"); cell(tr, x.unit); cell(tr, x.distribution); cell(tr, x.source, "src");
    tr.title = k;
  });
}

async function runMonteCarlo() {
  const body = breakoutBody();
  body.samples = Number(document.getElementById("mc-samples").value);
  body.seed = Number(document.getElementById("mc-seed").value);
  const sum = document.getElementById("mc-summary");
  const err = document.getElementById("bk-error");
  sum.textContent = `running ${body.samples} samples…`;
  try {
    const r = (await api("POST", "/api/breakout", body)).results;
    const p = r.provenance;
    sum.textContent = `${p.samples} samples, seed ${p.seed} (${p.rng}); mean ${fmt(r.mean_days)} days; ${r.samples_never} samples never reach the goal.`;
    const h = r.histogram;
    plot("chart-mc", {
      scales: { x: { time: false } },
      axes: [{ label: "days to the goal" }, { label: "samples per bin" }],
      series: [{ label: "days (bin centre)" }, { label: "samples", fill: "rgba(11,92,173,0.35)", stroke: "#0b5cad",
        paths: uPlot.paths.bars({ size: [0.95, 80] }) }],
    }, [h.map((b) => (b.low_days + b.high_days) / 2), h.map((b) => b.count)]);
    fillTable("mc-percentiles", r.percentiles, (tr, q) => {
      cell(tr, `P${q.percentile}`); cell(tr, days(q.days), "num"); cell(tr, q.days === null ? "" : fmt(q.days / MONTH), "num");
    });
    fillTable("mc-tornado", r.tornado, (tr, t) => {
      const label = bk.last && bk.last.inputs.assumptions[t.input] ? bk.last.inputs.assumptions[t.input].label : t.input;
      cell(tr, label); cell(tr, fmt(t.low_value), "num"); cell(tr, days(t.days_at_low), "num");
      cell(tr, fmt(t.high_value), "num"); cell(tr, days(t.days_at_high), "num");
      cell(tr, t.days_at_low === null || t.days_at_high === null ? "" : fmt(Math.abs(t.days_at_high - t.days_at_low)), "num");
    });
  } catch (e) {
    sum.textContent = "";
    err.textContent = e.message;
  }
}

// History: breakout days per dated state on a log axis, with the JCPOA's one year and events.
// [date drawn, label shown]; sources in the view's caption (iran-program.md tags). The 60 % start is
// known to the month only, so it is drawn mid-month and labelled with the month.
const EVENTS = [
  ["2016-01-16", "2016-01-16 JCPOA Implementation Day"],
  ["2019-07-01", "2019-07-01 stockpile cap exceeded"],
  ["2021-04-15", "2021-04 60 % enrichment begins"],
  ["2025-06-13", "2025-06-13 strikes"],
];
const unix = (d) => Date.parse(d + "T00:00:00Z") / 1000;
async function loadHistory() {
  try {
    const rows = (await api("GET", "/api/history")).results.states;
    const sorted = [...rows].sort((a, b) => a.as_of.localeCompare(b.as_of));
    const xs = sorted.map((s) => unix(s.as_of));
    // Log axis: "never" (null) and non-positive values are gaps, not zeros.
    const pos = (d) => (d === null || d <= 0 ? null : d);
    const lo = Math.min(...sorted.map((s) => s.ideal_first_sq_days).filter((d) => d > 0), 1);
    plot("chart-history", {
      height: 360,
      // A little room either side so the first and last states and the event lines stay clear of the frame.
      scales: { x: { time: true, range: [xs[0] - 120 * 86400, xs[xs.length - 1] + 120 * 86400] },
        y: { distr: 3, range: [Math.min(0.1, lo / 2), 2000] } },
      axes: [{ label: "date of the facility state" }, { label: "days to the first SQ (log scale)" }],
      series: [{ label: "date" },
        { label: "headline (fixed-cascade), days", stroke: "#0b5cad", width: 2, points: { size: 8 } },
        { label: "ideal lower bound, days", stroke: "#8250df", width: 1, dash: [4, 3], points: { size: 6 } },
        { label: "JCPOA goal: one year (365.25 days)", stroke: "#b42318", width: 1, dash: [8, 4], points: { show: false } }],
      hooks: { draw: [(u) => {
        const ctx = u.ctx;
        ctx.save();
        ctx.strokeStyle = "#57606a"; ctx.fillStyle = "#57606a";
        ctx.font = `${12 * devicePixelRatio}px system-ui`;
        ctx.setLineDash([2 * devicePixelRatio, 3 * devicePixelRatio]);
        ctx.textBaseline = "top";
        EVENTS.forEach(([d, label], i) => {
          const x = u.valToPos(unix(d), "x", true);
          if (x < u.bbox.left - 1 || x > u.bbox.left + u.bbox.width + 1) return;
          ctx.beginPath(); ctx.moveTo(x, u.bbox.top); ctx.lineTo(x, u.bbox.top + u.bbox.height); ctx.stroke();
          // Labels left of the line near the right edge, right of it elsewhere; staggered rows.
          const right = x > u.bbox.left + u.bbox.width * 0.7;
          ctx.textAlign = right ? "right" : "left";
          const y = u.bbox.top + u.bbox.height - 16 * devicePixelRatio * (EVENTS.length - i);
          ctx.fillText(label, right ? x - 4 : x + 4, y);
        });
        ctx.restore();
      }] },
    }, [xs, sorted.map((s) => pos(s.goal_days)), sorted.map((s) => pos(s.ideal_first_sq_days)), xs.map(() => 365.25)]);
    fillTable("history", sorted, (tr, s) => {
      cell(tr, s.state); cell(tr, s.as_of); cell(tr, fmt(s.capacity_swu_per_yr), "num");
      cell(tr, days(s.goal_days), "num"); cell(tr, days(s.ideal_first_sq_days), "num"); cell(tr, fmt(s.stock_limit_sq), "num");
      tr.title = s.title;
    });
  } catch (e) {
    document.getElementById("history-error").textContent = e.message;
  }
}

// Deals: clause verdicts for a state, the floor over the deal's life, and the comparison.
async function checkDeal() {
  const id = document.getElementById("deal-select").value;
  const state = document.getElementById("check-state").value;
  const err = document.getElementById("deal-error");
  try {
    const r = (await api("GET", `/api/deals/${encodeURIComponent(id)}/check?state=${encodeURIComponent(state)}`)).results;
    document.getElementById("check-summary").textContent =
      `${r.violations} clause(s) violated, ${r.complies} complied with, ${r.unverifiable} cannot be verified from the state, ${r.not_in_force} not in force, ${r.text_only} text only.`;
    fillTable("deal-check", r.findings, (tr, f) => {
      cell(tr, f.clause); cell(tr, f.verdict, `verdict-${f.verdict}`);
      cell(tr, f.value === null || f.value === undefined ? "" : fmt(f.value), "num");
      cell(tr, f.limit === null || f.limit === undefined ? "" : fmt(f.limit), "num");
      cell(tr, f.excess === null || f.excess === undefined ? "" : fmt(f.excess), "num");
      cell(tr, f.reason || f.unit || "", "src");
      tr.title = `${f.requires} — ${f.reference}`;
    });
  } catch (e) {
    err.textContent = e.message;
  }
}
async function floorChart() {
  const id = document.getElementById("deal-select").value;
  try {
    const r = (await api("GET", `/api/deals/${encodeURIComponent(id)}/floor`)).results;
    const series = r.series && r.series.length ? r.series : [{ date: r.date || "", first_sq_days: r.first_sq_days, permitted_first_sq_days: r.permitted_first_sq_days }];
    document.getElementById("floor-summary").textContent =
      `While the deal holds: ${days(r.permitted_first_sq_days)} days at ${fmt(r.permitted_capacity_swu_per_yr)} kg-SWU/yr; if broken that day: ${days(r.first_sq_days)} days.`;
    const pts = series.filter((p) => p.date);
    plot("chart-floor", {
      scales: { x: { time: true } },
      axes: [{ label: "date in the deal's life" }, { label: "days to the first SQ" }],
      series: [{ label: "date" },
        { label: "deal holds (permitted state), days", stroke: "#1a7f37", width: 2, points: { size: 6 } },
        { label: "deal broken that day, days", stroke: "#b42318", width: 2, points: { size: 6 } }],
    }, [pts.map((p) => unix(p.date)), pts.map((p) => p.permitted_first_sq_days), pts.map((p) => p.first_sq_days)]);
  } catch (e) {
    document.getElementById("floor-summary").textContent = e.message;
  }
}
async function compareDeals() {
  try {
    const r = (await api("GET", "/api/compare")).results;
    fillTable("deal-compare", r.positions, (tr, p) => {
      cell(tr, p.name || p.position); cell(tr, p.base_state || ""); cell(tr, p.date || "");
      cell(tr, days(p.permitted_first_sq_days), "num"); cell(tr, days(p.first_sq_days), "num");
      cell(tr, (p.changes || []).join("; "), "src");
    });
  } catch (e) {
    document.getElementById("deal-error").textContent = e.message;
  }
}

// Cascade: the stage profile of a bundled cascade and a batch-recycling run.
async function loadCascade() {
  if (!loadCascade.bound) {
    loadCascade.bound = true;
    for (const id of ["cs-name", "cs-feed", "cs-recycle"]) document.getElementById(id).addEventListener("change", loadCascade);
  }
  const v = (id) => document.getElementById(id).value;
  // feed_wt_pct is a composition (a number or ISO=WT_PCT,...): the request wants its text.
  const body = { cascade: v("cs-name"), feed_wt_pct: v("cs-feed") };
  if (Number(v("cs-recycle")) > 1) body.recycle = Number(v("cs-recycle"));
  const err = document.getElementById("cs-error");
  try {
    const r = (await api("POST", "/api/cascade/run", body)).results;
    err.textContent = "";
    document.getElementById("cs-summary").textContent =
      `${r.cascade}: ${r.total_machines} machines, ${r.enriching_stages} enriching + ${r.stripping_stages} stripping stages; ` +
      `feed ${fmt(r.max_feed_kg_u_per_yr)} kg U/yr → product ${fmt(r.product_kg_u_per_yr)} kg U/yr at ${fmt(r.product_wt_pct)} wt-%, ` +
      `tails at ${fmt(r.tails_wt_pct)} wt-%; ${fmt(r.separative_work_swu)} kg-SWU/yr` +
      (r.recycle ? `; ${r.recycle.passes.length} passes: ${fmt(r.recycle_product_kg_u)} kg U at ${fmt(r.recycle_product_wt_pct)} wt-% in ${fmt(r.recycle_days)} days` : "");
    const st = r.stages;
    const x = st.map((s) => s.stage);
    plot("chart-cs-assay", {
      scales: { x: { time: false }, y: { distr: 3 } },
      axes: [{ label: "stage (1 = tails end)" }, { label: "U-235 assay, wt-% (log scale)" }],
      series: [{ label: "stage" },
        { label: "heads wt-%", stroke: "#0b5cad", width: 2 },
        { label: "feed wt-%", stroke: "#57606a", width: 1, dash: [4, 3] },
        { label: "tails wt-%", stroke: "#b42318", width: 2 }],
    }, [x, st.map((s) => s.heads_wt_pct.U235), st.map((s) => s.feed_wt_pct.U235), st.map((s) => s.tails_wt_pct.U235)]);
    plot("chart-cs-flow", {
      height: 240,
      scales: { x: { time: false } },
      axes: [{ label: "stage (1 = tails end)" }, { label: "stage feed, kg U/yr" }, { side: 1, label: "machines in the stage", scale: "m", grid: { show: false } }],
      series: [{ label: "stage" },
        { label: "feed flow, kg U/yr", stroke: "#0b5cad", width: 2 },
        { label: "machines", stroke: "#8250df", scale: "m", paths: uPlot.paths.bars({ size: [0.5, 40] }), fill: "rgba(130,80,223,0.2)" }],
    }, [x, st.map((s) => s.feed_kg_u_per_yr), st.map((s) => s.machines)]);
    const passes = r.recycle ? r.recycle.passes : [];
    fillTable("cs-passes", passes, (tr, p) => {
      cell(tr, p.pass); cell(tr, kgAt(p.feed.kg_u, p.feed.wt_pct.U235)); cell(tr, kgAt(p.product.kg_u, p.product.wt_pct.U235));
      cell(tr, kgAt(p.tails.kg_u, p.tails.wt_pct.U235)); cell(tr, fmt(p.days), "num"); cell(tr, fmt(p.separative_work_swu), "num");
    });
  } catch (e) {
    err.textContent = e.message;
  }
}

// Safeguards: the detection calculator and the plant balance generator.
async function detect() {
  const v = (id) => document.getElementById(id).value;
  const out = document.getElementById("sg-detect");
  try {
    const r = (await api("POST", "/api/safeguards/detect", { loss_kg: Number(v("sg-loss")), sigma_kg: Number(v("sg-sigma")), alpha: Number(v("sg-alpha")) })).results;
    out.textContent = `Detection probability ${fmt(r.detection_probability)} (loss = ${fmt(r.loss_over_sigma)} σ); alarm threshold ${fmt(r.threshold_kg)} kg; ` +
      `detectable loss at 95 %: ${fmt(r.detectable_loss_kg)} kg; largest σ_MUF for 95 % detection: ${fmt(r.max_sigma_muf_kg)} kg.`;
    document.getElementById("sg-error").textContent = "";
  } catch (e) {
    out.textContent = "";
    document.getElementById("sg-error").textContent = e.message;
  }
}
async function plant() {
  const v = (id) => document.getElementById(id).value;
  try {
    const r = (await api("POST", "/api/safeguards/plant", { swu_per_yr: Number(v("sg-swu")), product_wt_pct: Number(v("sg-product")), seed: Number(v("sg-seed")), sequences: 20000 })).results;
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
    document.getElementById("sg-error").textContent = "";
  } catch (e) {
    document.getElementById("sg-error").textContent = e.message;
  }
}
async function loadSafeguards() {
  if (!loadSafeguards.bound) {
    loadSafeguards.bound = true;
    for (const id of ["sg-loss", "sg-sigma", "sg-alpha"]) document.getElementById(id).addEventListener("input", detect);
    document.getElementById("sg-plant-run").addEventListener("click", plant);
  }
  await Promise.all([detect(), plant()]);
}

const loaders = { "tab-deals": loadDeals, "tab-machines": loadMachines, "tab-breakout": loadBreakout,
  "tab-history": loadHistory, "tab-cascade": loadCascade, "tab-safeguards": loadSafeguards };
solve();
// Deep link: #breakout, #history, ... opens that view.
const linked = document.getElementById("tab-" + location.hash.slice(1));
if (linked) select(linked);
