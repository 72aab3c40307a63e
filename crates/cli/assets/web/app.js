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
    sel.addEventListener("change", showDeal);
    document.getElementById("deal-date").addEventListener("change", showDeal);
  }
  await showDeal();
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

const loaders = { "tab-deals": loadDeals, "tab-machines": loadMachines };
solve();
