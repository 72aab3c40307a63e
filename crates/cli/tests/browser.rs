//! End-to-end test of the workbench in a real browser: headless Chromium driven over WebDriver
//! (chromedriver) against a running `breakout serve`.
//!
//! `.ci/run` installs Debian's `chromium` and `chromium-driver`, so in CI this test always runs
//! (it fails if they are missing while `CI` is set). On a developer machine without them it says
//! so and returns.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// Kills the child process when dropped, so a failing assertion leaves nothing running.
struct Guard(Child);

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn wait_for(url: &str) {
    let start = Instant::now();
    while ureq::get(url).call().is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "{url} did not come up"
        );
        sleep(Duration::from_millis(100));
    }
}

struct Session {
    base: String,
}

impl Session {
    fn cmd(&self, method: &str, path: &str, body: Value) -> Value {
        let url = format!("{}{path}", self.base);
        let res = match method {
            "GET" => ureq::get(&url).call(),
            "DELETE" => ureq::delete(&url).call(),
            _ => ureq::post(&url).send_json(body),
        };
        let res = res.unwrap_or_else(|e| panic!("WebDriver {method} {path}: {e}"));
        res.into_json::<Value>().unwrap()["value"].clone()
    }

    fn script(&self, code: &str) -> Value {
        self.cmd("POST", "/execute/sync", json!({"script": code, "args": []}))
    }

    /// Polls a script until it returns something other than null/false, or fails after 60 s.
    fn until(&self, what: &str, code: &str) -> Value {
        self.until_for(what, code, 60)
    }

    /// As [`Session::until`], with the time limit in seconds.
    fn until_for(&self, what: &str, code: &str, secs: u64) -> Value {
        let start = Instant::now();
        loop {
            let v = self.script(code);
            if !(v.is_null() || v == json!(false) || v == json!("")) {
                return v;
            }
            if start.elapsed() > Duration::from_secs(secs) {
                let shown = self.script(
                    "const v = document.querySelector('main section:not([hidden])'); return v ? v.innerText.slice(0, 800) : '';",
                );
                panic!("timed out waiting for {what}; the view shows: {shown}");
            }
            sleep(Duration::from_millis(100));
        }
    }
}

/// The tabs, each with a script that is true once the tab has drawn its answer (or, for the
/// slow history, its error).
const TABS: [(&str, &str); 8] = [
    (
        "enrichment",
        "return document.querySelector('#chart-steps canvas') !== null;",
    ),
    (
        "breakout",
        "const h = document.getElementById('bk-headline'); return h !== null && !document.getElementById('bk-answer').classList.contains('pending') && document.querySelector('#chart-curve canvas') !== null;",
    ),
    (
        "history",
        "return document.querySelector('#chart-history canvas') !== null || document.getElementById('history-error').textContent !== '';",
    ),
    (
        "deals",
        "return document.getElementById('check-summary').textContent !== '' && (document.querySelector('#chart-floor canvas') !== null || document.querySelector('#chart-floor .empty') !== null);",
    ),
    (
        "design",
        "return document.querySelector('#chart-design canvas') !== null || document.getElementById('ds-error').textContent !== '';",
    ),
    (
        "cascade",
        "return document.querySelector('#chart-cs-flow canvas') !== null;",
    ),
    (
        "safeguards",
        "return document.querySelector('#chart-sg canvas') !== null && document.querySelectorAll('#sg-plant tbody tr').length > 0;",
    ),
    (
        "machines",
        "return document.querySelectorAll('#machines tbody tr').length >= 8;",
    ),
];

/// The browser tests take turns: each starts a server and a browser, and on a small machine two
/// at once make every answer wait.
static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Starts the server and chromedriver; `None` (after saying why) when Chromium is missing.
fn start() -> Option<(Guard, Guard, String, u16)> {
    if !(std::path::Path::new(CHROMIUM).exists() && std::path::Path::new(CHROMEDRIVER).exists()) {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install chromium and chromium-driver (see .ci/run)"
        );
        eprintln!("skipped: {CHROMIUM} or {CHROMEDRIVER} not installed (CI installs them)");
        return None;
    }
    let (web_port, driver_port) = (free_port(), free_port());
    let server = Guard(
        Command::new(env!("CARGO_BIN_EXE_breakout"))
            .args(["serve", "--addr", &format!("127.0.0.1:{web_port}")])
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let driver = Guard(
        Command::new(CHROMEDRIVER)
            .arg(format!("--port={driver_port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let page = format!("http://127.0.0.1:{web_port}/");
    wait_for(&format!("{page}api/health"));
    wait_for(&format!("http://127.0.0.1:{driver_port}/status"));
    Some((server, driver, page, driver_port))
}

/// A headless Chromium session with a window of `width` × `height` CSS pixels; a phone's is
/// emulated (a headless window cannot be narrower than 500 px).
fn session(driver_port: u16, width: u32, height: u32, phone: bool) -> Session {
    let profile = std::env::temp_dir().join(format!("breakout-chromium-{driver_port}-{width}"));
    let mut caps = json!({"capabilities": {"alwaysMatch": {"goog:chromeOptions": {
        "binary": CHROMIUM,
        "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--hide-scrollbars", format!("--window-size={width},{height}"),
                 format!("--user-data-dir={}", profile.display())]
    }}}});
    if phone {
        caps["capabilities"]["alwaysMatch"]["goog:chromeOptions"]["mobileEmulation"] = json!({
            "deviceMetrics": {"width": width, "height": height, "pixelRatio": 2.0, "touch": true}
        });
    }
    let created = ureq::post(&format!("http://127.0.0.1:{driver_port}/session"))
        .send_json(caps)
        .expect("chromedriver starts a session")
        .into_json::<Value>()
        .unwrap();
    let id = created["value"]["sessionId"]
        .as_str()
        .expect("a session id")
        .to_string();
    Session {
        base: format!("http://127.0.0.1:{driver_port}/session/{id}"),
    }
}

/// The days in a headline: "14 hours", "1.48 days", "15.3 months (465 days)" (thousands separated).
fn headline_days(text: &str) -> f64 {
    let words: Vec<String> = text
        .split_whitespace()
        .map(|w| {
            w.trim_matches(|c| c == '(' || c == ')' || c == ',')
                .replace(',', "")
        })
        .collect();
    for (i, w) in words.iter().enumerate().skip(1) {
        let Ok(n) = words[i - 1].parse::<f64>() else {
            continue;
        };
        match w.as_str() {
            "days" if !text.contains("months") => return n,
            "days" if text.contains('(') => return n,
            "hours" => return n / 24.0,
            _ => {}
        }
    }
    f64::NAN
}

/// Uploads the file at `path` through the `#bk-upload` input.
fn upload(s: &Session, path: &std::path::Path) {
    let input = s.cmd(
        "POST",
        "/element",
        json!({"using": "css selector", "value": "#bk-upload"}),
    );
    let id = input
        .as_object()
        .and_then(|o| o.values().next())
        .and_then(Value::as_str)
        .expect("the upload input")
        .to_string();
    s.cmd(
        "POST",
        &format!("/element/{id}/value"),
        json!({"text": path.to_str().unwrap()}),
    );
}

/// Whether the error paragraph `err` sits right under (or beside) the control `control`.
fn assert_next_to(s: &Session, err: &str, control: &str) {
    let gap = s.script(&format!(
        "const e = document.getElementById('{err}').getBoundingClientRect(); \
         const c = document.getElementById('{control}').getBoundingClientRect(); \
         return e.top - c.bottom;"
    ));
    let gap = gap.as_f64().unwrap();
    assert!(
        (-40.0..=60.0).contains(&gap),
        "{err} is {gap} px from {control}"
    );
}

#[test]
fn workbench_answers_and_redraws_in_a_real_browser() {
    let _turn = SERIAL
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let Some((_server, _driver, page, driver_port)) = start() else {
        return;
    };
    let s = session(driver_port, 1440, 1000, false);

    s.cmd("POST", "/url", json!({"url": page}));
    // The calculator solves 25 kg of 90 % from natural at 0.3 % tails on load: 4823.44 kg-SWU.
    let swu = s.until(
        "the first answer",
        "const v = document.getElementById('q-separative_work_swu').value; return v || null;",
    );
    assert_eq!(swu, json!("4823.44"), "initial SWU");
    s.until(
        "the chart",
        "return document.querySelector('#chart-steps canvas') !== null;",
    );

    // Change the product mass as a user would: the SWU answer must follow (50 kg → 9646.88).
    s.script(
        "const el = document.getElementById('q-product_kg_u'); el.value = '50'; el.dispatchEvent(new Event('input'));",
    );
    s.until(
        "the new answer",
        "return document.getElementById('q-separative_work_swu').value === '9646.88';",
    );

    // A bad tails assay: the error replaces the solved quantities (no stale answer), and it sits
    // by the inputs of the view.
    s.script("const el = document.getElementById('xt'); el.value = '0.9'; el.dispatchEvent(new Event('input'));");
    let err = s.until(
        "the error",
        "const e = [...document.querySelectorAll('#view-enrichment .error')].find((p) => p.textContent); return e ? e.textContent : null;",
    );
    assert!(
        err.as_str().unwrap().contains("tails < feed < product"),
        "{err}"
    );
    assert!(!err.as_str().unwrap().contains("--"), "a flag name: {err}");
    let stale = s.script("return document.getElementById('q-separative_work_swu').value;");
    assert_eq!(stale, json!(""), "the old SWU is cleared with the error");
    s.script("const el = document.getElementById('xt'); el.value = '0.3'; el.dispatchEvent(new Event('input'));");
    s.until(
        "the answer back",
        "return document.getElementById('q-separative_work_swu').value === '9646.88';",
    );

    // Breakout: the answer and the production curve follow a slider (IR-6 separative power).
    s.script("document.getElementById('tab-breakout').click();");
    s.until_for("the breakout answer", TABS[1].1, 90);
    let before = s.script("return document.getElementById('bk-headline').textContent;");
    assert!(
        before.as_str().unwrap().contains("days"),
        "headline: {before}"
    );
    // Three significant figures, no long decimals.
    let text = s.script("return document.getElementById('bk-answer').textContent;");
    assert!(
        !text
            .as_str()
            .unwrap()
            .split(|c: char| !(c.is_ascii_digit() || c == '.'))
            .any(|w| w.trim_matches('.').len() > 7),
        "false precision: {text}"
    );
    let curve =
        "const c = document.querySelector('#chart-curve canvas'); return c ? c.toDataURL() : null;";
    let chart_before = s.until("the production curve", curve);
    let assumptions =
        s.script("return document.querySelectorAll('#bk-assumptions tbody tr').length;");
    assert!(
        assumptions.as_u64().unwrap() > 10,
        "assumptions: {assumptions}"
    );
    // The timeline leads with steps, not zero-length rows; the full list is behind a toggle.
    let zero = s.script(
        "return [...document.querySelectorAll('#bk-timeline tbody tr')].filter((tr) => tr.cells[0].textContent === tr.cells[1].textContent).length;",
    );
    assert_eq!(zero, json!(0), "zero-length timeline rows");
    let toggles = s.script(
        "return document.getElementById('bk-timeline').closest('details') !== null && document.getElementById('bk-assumptions').closest('details') !== null;",
    );
    assert_eq!(
        toggles,
        json!(true),
        "timeline and assumptions behind toggles"
    );
    s.until(
        "the IR-6 slider",
        "return document.getElementById('bk-swu-IR-6') !== null;",
    );
    s.script(
        "const el = document.getElementById('bk-swu-IR-6'); el.value = '2'; el.dispatchEvent(new Event('input'));",
    );
    let after = s.until(
        "a new answer",
        &format!(
            "const t = document.getElementById('bk-headline').textContent; return t !== {before} && !document.getElementById('bk-answer').classList.contains('pending') ? t : null;"
        ),
    );
    assert!(
        after.as_str().unwrap().contains("days"),
        "headline: {after}"
    );
    s.until(
        "the redrawn curve",
        &format!(
            "const c = document.querySelector('#chart-curve canvas'); return c && c.toDataURL() !== {chart_before};"
        ),
    );
    // The what-if is recorded with its source in the assumptions table.
    s.until(
        "the what-if in the assumptions",
        "return [...document.querySelectorAll('#bk-assumptions td')].some((td) => td.textContent.includes('--swu-per-machine'));",
    );

    // A stale answer is cleared after an error: count 0 → "No answer", the error by its control,
    // in the page's words, and no curve from the old answer.
    s.script("const el = document.getElementById('bk-count'); el.value = '0'; el.dispatchEvent(new Event('change'));");
    let err = s.until(
        "the count error",
        "const e = document.getElementById('err-bk-count'); return e ? e.textContent : null;",
    );
    let err = err.as_str().unwrap();
    assert!(
        err.contains("Goal units (count)") && !err.contains("--"),
        "{err}"
    );
    let headline = s.script("return document.getElementById('bk-headline').textContent;");
    assert_eq!(
        headline,
        json!("No answer"),
        "stale headline after an error"
    );
    assert_ne!(headline, after);
    let curve_gone = s.script("return document.querySelector('#chart-curve canvas') === null;");
    assert_eq!(curve_gone, json!(true), "stale curve after an error");
    assert_next_to(&s, "err-bk-count", "bk-count");
    s.script("document.getElementById('bk-count').scrollIntoView();");
    screenshot(&s, "workbench-stale-cleared.png");
    // Weaponization 20..18: the error goes by the weaponization inputs.
    s.script("const el = document.getElementById('bk-count'); el.value = '1'; el.dispatchEvent(new Event('change')); const w = document.getElementById('bk-weap-lo'); w.value = '20'; w.dispatchEvent(new Event('change'));");
    let err = s.until(
        "the weaponization error",
        "const e = document.getElementById('err-bk-weap-lo'); return e ? e.textContent : null;",
    );
    assert!(
        err.as_str().unwrap().contains("Weaponization") && !err.as_str().unwrap().contains("--"),
        "{err}"
    );
    assert_next_to(&s, "err-bk-weap-lo", "bk-weap-lo");
    s.script("const w = document.getElementById('bk-weap-lo'); w.value = '6'; w.dispatchEvent(new Event('change'));");
    s.until(
        "the answer back",
        &format!("const t = document.getElementById('bk-headline').textContent; return t === {after} && !document.getElementById('err-bk-weap-lo');"),
    );

    // Monte Carlo: percentiles, histogram and tornado, with the seed shown.
    s.script(
        "document.getElementById('mc-samples').value = '400'; document.getElementById('mc-seed').value = '11'; document.getElementById('mc-run').click();",
    );
    s.until(
        "the Monte Carlo",
        "return document.querySelectorAll('#mc-percentiles tbody tr').length >= 5 && document.querySelectorAll('#mc-tornado tbody tr').length > 0 && document.querySelector('#chart-mc canvas') !== null;",
    );
    let summary = s.script("return document.getElementById('mc-summary').textContent;");
    assert!(
        summary.as_str().unwrap().contains("400 samples, seed 11"),
        "{summary}"
    );
    s.script("document.getElementById('mc-summary').scrollIntoView();");
    screenshot(&s, "workbench-montecarlo.png");
    // A Monte Carlo error: next to the samples input, not at the top; the old histogram goes.
    s.script(
        "document.getElementById('mc-samples').value = '0'; document.getElementById('mc-run').click();",
    );
    let err = s.until(
        "the Monte Carlo error",
        "const e = document.getElementById('err-mc-samples'); return e ? e.textContent : null;",
    );
    assert!(
        err.as_str().unwrap().contains("Samples") && !err.as_str().unwrap().contains("--"),
        "{err}"
    );
    assert_next_to(&s, "err-mc-samples", "mc-samples");
    let gone = s.script("return document.querySelector('#chart-mc canvas') === null && document.querySelectorAll('#mc-percentiles tbody tr').length === 0 && document.getElementById('bk-error').textContent === '';");
    assert_eq!(
        gone,
        json!(true),
        "stale histogram after a Monte Carlo error"
    );
    s.script("document.getElementById('mc-samples').value = '400';");
    s.script("document.getElementById('bk-machines').scrollIntoView();");
    screenshot(&s, "workbench-breakout.png");

    // The address holds the tab and the inputs: loading it again gives the same inputs and answer.
    s.script("const el = document.getElementById('bk-count'); el.value = '3'; el.dispatchEvent(new Event('change'));");
    let answer = s.until(
        "the answer for 3 units",
        "const t = document.getElementById('bk-answer').textContent; return t.includes('3 SQ') && !document.getElementById('bk-answer').classList.contains('pending') ? document.getElementById('bk-headline').textContent : null;",
    );
    let url = s.until(
        "the address",
        "return location.hash.includes('count=3') && location.hash.includes('swu.IR-6=2') ? location.href : null;",
    );
    s.cmd("POST", "/url", json!({"url": "about:blank"}));
    s.cmd("POST", "/url", json!({"url": url}));
    let reloaded = s.until(
        "the answer from the address",
        "const h = document.getElementById('bk-headline'); return h && !document.getElementById('bk-answer').classList.contains('pending') ? h.textContent : null;",
    );
    assert_eq!(reloaded, answer, "the same answer from {url}");
    let inputs = s.script(
        "return [document.getElementById('tab-breakout').getAttribute('aria-selected'), document.getElementById('bk-count').value, document.getElementById('bk-swu-IR-6').value, document.getElementById('bk-state').value];",
    );
    assert_eq!(
        inputs,
        json!(["true", "3", "2", "iran-2025-05"]),
        "inputs from {url}"
    );

    // Upload a state file: the answer becomes that state's (JCPOA limits: over a year).
    let before = s.script("return document.getElementById('bk-headline').textContent;");
    let file = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../data/states/jcpoa-2016.toml"
    );
    upload(&s, &std::fs::canonicalize(file).unwrap());
    s.until(
        "the upload in use",
        "return document.getElementById('bk-upload-status').textContent.includes('Using the uploaded jcpoa-2016.toml');",
    );
    let uploaded = s.until(
        "the uploaded state's answer",
        &format!(
            "const t = document.getElementById('bk-headline').textContent; return t !== {before} ? t : null;"
        ),
    );
    let days = headline_days(uploaded.as_str().unwrap());
    assert!(days > 365.0, "JCPOA state uploaded: {uploaded}");
    // A broken upload: no old answer under an "in use" status.
    let bad = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("bad.toml");
    std::fs::write(&bad, "bad = [\n").unwrap();
    upload(&s, &bad);
    let status = s.until(
        "the broken upload",
        "const t = document.getElementById('bk-upload-status').textContent; return t.includes('bad.toml could not be used') ? t : null;",
    );
    assert!(!status.as_str().unwrap().contains("Using"), "{status}");
    let headline = s.script("return document.getElementById('bk-headline').textContent;");
    assert_eq!(
        headline,
        json!("No answer"),
        "stale headline after a bad upload"
    );
    let err = s.script("return document.getElementById('err-bk-upload').textContent;");
    assert!(err.as_str().unwrap().contains("line 1"), "{err}");
    assert_next_to(&s, "err-bk-upload", "bk-upload");
    s.script("document.querySelector('#bk-upload-status button').click();");
    s.until("the bundled state's answer again", TABS[1].1);

    // "Would inspectors notice?": one table row per pathway of the answer's verification section,
    // in its order, and the IAEA one-month timeliness goal drawn inside the plot at its value.
    s.until(
        "the verification panel",
        "return document.querySelector('#chart-verification canvas') !== null && document.querySelectorAll('#vf-pathways tbody tr').length > 0;",
    );
    let rows = s.script(
        "return [...document.querySelectorAll('#vf-pathways tbody tr')].map((tr) => tr.dataset.pathway);",
    );
    let answer = s.script("return bk.last.results.verification.pathways.map((p) => p.pathway);");
    assert_eq!(rows, answer, "one row per pathway");
    assert_eq!(
        rows,
        json!(["declared-misuse", "stock-diversion", "covert-plant"]),
        "the default state's pathways"
    );
    let marker = s.script(
        "const u = plots['chart-verification']; const v = bk.last.results.verification; return { drawn: u.root.dataset.refLines, goal: v.timeliness_goal_days, x: u.valToPos(v.timeliness_goal_days, 'x'), width: u.bbox.width / devicePixelRatio };",
    );
    assert!(
        marker["drawn"]
            .as_str()
            .unwrap()
            .contains("IAEA timeliness goal: 1 month"),
        "{marker}"
    );
    assert!(
        (marker["goal"].as_f64().unwrap() - 30.4375).abs() < 1e-9,
        "one month is 365.25 / 12 days: {marker}"
    );
    let x = marker["x"].as_f64().unwrap();
    assert!(
        x > 0.0 && x < marker["width"].as_f64().unwrap(),
        "the goal is inside the plot: {marker}"
    );

    // Each tab at 1440 px: a screenshot, and its name in the address.
    for (tab, ready) in TABS {
        s.script(&format!("document.getElementById('tab-{tab}').click();"));
        s.until_for(&format!("the {tab} tab"), ready, 60);
        let hash = s.script("return location.hash;");
        assert!(
            hash.as_str().unwrap().starts_with(&format!("#{tab}")),
            "{hash}"
        );
        s.script("window.scrollTo(0, 0);");
        screenshot(&s, &format!("desktop-{tab}.png"));
    }
    s.cmd("DELETE", "", Value::Null);
}

/// At 390 px (a phone) no tab scrolls sideways; a screenshot of each.
#[test]
fn workbench_fits_a_phone() {
    let _turn = SERIAL
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let Some((_server, _driver, page, driver_port)) = start() else {
        return;
    };
    let s = session(driver_port, 390, 844, true);
    s.cmd("POST", "/url", json!({"url": page}));
    let width = s.script("return window.innerWidth;");
    assert_eq!(width, json!(390), "the phone's viewport");
    for (tab, ready) in TABS {
        s.script(&format!("document.getElementById('tab-{tab}').click();"));
        s.until_for(&format!("the {tab} tab"), ready, 60);
        let w = s.script("return document.documentElement.scrollWidth;");
        assert!(
            w.as_u64().unwrap() <= 390,
            "{tab} is {w} px wide on a 390 px screen"
        );
        s.script("window.scrollTo(0, 0);");
        screenshot(&s, &format!("mobile-{tab}.png"));
    }
    s.cmd("DELETE", "", Value::Null);
}

/// The deal-design panel at 1440 and 390 px: the frontier chart (every evaluated candidate, the
/// frontier ringed, legend and axis units), the table matching the server's frontier, and a
/// click on a frontier point showing its clauses and deal file; screenshots of both widths.
#[test]
fn design_panel_draws_the_frontier_and_shows_a_deal() {
    let _turn = SERIAL
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let Some((_server, _driver, page, driver_port)) = start() else {
        return;
    };
    // A small space (12 candidates): the debug server answers it well inside its time limit.
    let query = "cap_wt_pct=3.67&stock_cap_kg=0..1200:400&machines=fep:IR-1=0..6072:3036,fep:IR-2m=0,fordow:IR-6=0&fates=stored&min_months=12";
    let api: Value = ureq::get(&format!("{page}api/deal/design?{query}"))
        .call()
        .unwrap()
        .into_json()
        .unwrap();
    let frontier = api["results"]["frontier"].as_array().unwrap().len();
    let evaluated = api["results"]["evaluated"].as_u64().unwrap();
    assert!(frontier >= 1, "{api}");
    for (width, phone) in [(1440, false), (390, true)] {
        let s = session(driver_port, width, 900, phone);
        let hash = "#design?months=12&cap=3.67&stock=0..1200:400&machines=fep:IR-1%3D0..6072:3036,fep:IR-2m%3D0,fordow:IR-6%3D0&fates=stored";
        s.cmd("POST", "/url", json!({"url": format!("{page}{hash}")}));
        s.until_for(
            "the design chart",
            "return document.getElementById('ds-error').textContent !== '' || document.querySelector('#chart-design canvas') !== null;",
            90,
        );
        let err = s.script("return document.getElementById('ds-error').textContent;");
        assert_eq!(err, json!(""), "{width} px");
        let chart = s.script("const c = document.getElementById('chart-design'); return [c.dataset.points, c.dataset.frontier, document.querySelectorAll('#ds-frontier tbody tr').length, document.querySelector('#chart-design .u-legend').textContent, c.querySelectorAll('.u-axis').length];");
        assert_eq!(chart[0], json!(evaluated.to_string()), "{chart}");
        assert_eq!(chart[1], json!(frontier.to_string()), "{chart}");
        assert_eq!(chart[2], json!(frontier), "{chart}");
        let legend = chart[3].as_str().unwrap();
        assert!(
            legend.contains("12-month frontier") && legend.contains("misses the target"),
            "{legend}"
        );
        let labels = s.script("return plots['chart-design'].axes.map((a) => a.label).join('|');");
        let labels = labels.as_str().unwrap();
        assert!(
            labels.contains("kg-SWU/yr") && labels.contains("kg UF6"),
            "axis units: {labels}"
        );
        // Click the last frontier point on the chart itself: its row is the one selected.
        let clicked = s.script(
            "const u = plots['chart-design']; const i = ds.result.frontier.length - 1; const p = ds.result.frontier[i]; \
             const r = u.over.getBoundingClientRect(); \
             const x = r.left + u.valToPos(p.permitted_capacity_swu_per_yr, 'x'), y = r.top + u.valToPos(p.levers.stock_cap_kg, 'y'); \
             u.over.dispatchEvent(new MouseEvent('click', {clientX: x, clientY: y, bubbles: true})); \
             return [ds.chosen, i, document.getElementById('ds-chosen').hidden];",
        );
        assert_eq!(clicked[0], clicked[1], "{clicked}");
        assert_eq!(clicked[2], json!(false), "{clicked}");
        // And a row of the table: the first frontier deal.
        s.script("document.querySelector('#ds-frontier tbody tr').click();");
        let chosen = s.script("return [document.querySelectorAll('#ds-clauses tbody tr').length, document.getElementById('ds-toml').textContent];");
        assert!(chosen[0].as_u64().unwrap() >= 3, "{chosen}");
        let toml = chosen[1].as_str().unwrap();
        assert_eq!(
            toml,
            api["results"]["frontier"][0]["deal_toml"].as_str().unwrap()
        );
        let w = s.script("return document.documentElement.scrollWidth;");
        assert!(
            w.as_u64().unwrap() <= u64::from(width),
            "{w} px wide at {width}"
        );
        if !phone {
            // At P10 of 100 draws: the summary and the table say so, as the server's answer does.
            s.script("document.getElementById('ds-samples').value = '100'; const p = document.getElementById('ds-percentile'); p.value = '10'; p.dispatchEvent(new Event('change'));");
            let summary = s.until_for(
                "the P10 frontier",
                "const t = document.getElementById('ds-summary').textContent; return t.includes('P10') ? t : (document.getElementById('ds-error').textContent || false);",
                90,
            );
            let summary = summary.as_str().unwrap();
            assert!(summary.contains("of 100 draws (seed 1)"), "{summary}");
            let p10: Value = ureq::get(&format!(
                "{page}api/deal/design?{query}&percentile=10&samples=100"
            ))
            .call()
            .unwrap()
            .into_json()
            .unwrap();
            let n = p10["results"]["frontier"].as_array().unwrap().len();
            let rows = s.script("return [...document.querySelectorAll('#ds-frontier tbody tr')].map((r) => r.lastChild.textContent);");
            assert_eq!(rows.as_array().unwrap().len(), n, "{rows}");
            assert!(rows.as_array().unwrap().iter().all(|c| c != "—"), "{rows}");
            let hash = s.script("return location.hash;");
            assert!(hash.as_str().unwrap().contains("percentile=10"), "{hash}");
            // A new answer clears the chosen deal; choose again for the screenshot.
            s.script("document.querySelector('#ds-frontier tbody tr').click();");
        }
        s.script("document.getElementById('chart-design').scrollIntoView();");
        screenshot(&s, &format!("design-{width}.png"));
        s.script("document.getElementById('ds-chosen').scrollIntoView();");
        screenshot(&s, &format!("design-{width}-chosen.png"));
        s.cmd("DELETE", "", Value::Null);
    }
}

/// Saves a PNG of the page under the target's temporary directory.
fn screenshot(s: &Session, name: &str) {
    let png = s.cmd("GET", "/screenshot", Value::Null);
    let bytes = base64_decode(png.as_str().expect("a base64 screenshot"));
    assert!(bytes.starts_with(b"\x89PNG"), "screenshot is a PNG");
    let out = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::write(&out, bytes).unwrap();
    eprintln!("screenshot: {}", out.display());
}

/// Standard base64 (RFC 4648) decoding for the screenshot; no padding errors expected from WebDriver.
fn base64_decode(s: &str) -> Vec<u8> {
    let val = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => panic!("not base64: {c}"),
    };
    let bytes: Vec<u8> = s
        .bytes()
        .filter(|c| *c != b'=' && !c.is_ascii_whitespace())
        .map(val)
        .collect();
    bytes
        .chunks(4)
        .flat_map(|c| {
            let n = c
                .iter()
                .enumerate()
                .fold(0u32, |acc, (i, v)| acc | (u32::from(*v) << (18 - 6 * i)));
            let out = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
            out.into_iter().take(c.len() - 1)
        })
        .collect()
}
