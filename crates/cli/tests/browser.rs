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

    /// Polls a script until it returns something other than null/false, or fails after 15 s.
    fn until(&self, what: &str, code: &str) -> Value {
        let start = Instant::now();
        loop {
            let v = self.script(code);
            if !(v.is_null() || v == json!(false) || v == json!("")) {
                return v;
            }
            assert!(
                start.elapsed() < Duration::from_secs(15),
                "timed out waiting for {what}"
            );
            sleep(Duration::from_millis(100));
        }
    }
}

#[test]
fn workbench_answers_and_redraws_in_a_real_browser() {
    if !(std::path::Path::new(CHROMIUM).exists() && std::path::Path::new(CHROMEDRIVER).exists()) {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install chromium and chromium-driver (see .ci/run)"
        );
        eprintln!("skipped: {CHROMIUM} or {CHROMEDRIVER} not installed (CI installs them)");
        return;
    }
    let (web_port, driver_port) = (free_port(), free_port());
    let _server = Guard(
        Command::new(env!("CARGO_BIN_EXE_breakout"))
            .args(["serve", "--addr", &format!("127.0.0.1:{web_port}")])
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let _driver = Guard(
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

    let profile = std::env::temp_dir().join(format!("breakout-chromium-{driver_port}"));
    let caps = json!({"capabilities": {"alwaysMatch": {"goog:chromeOptions": {
        "binary": CHROMIUM,
        "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--window-size=1200,900", format!("--user-data-dir={}", profile.display())]
    }}}});
    let created = ureq::post(&format!("http://127.0.0.1:{driver_port}/session"))
        .send_json(caps)
        .expect("chromedriver starts a session")
        .into_json::<Value>()
        .unwrap();
    let id = created["value"]["sessionId"]
        .as_str()
        .expect("a session id")
        .to_string();
    let s = Session {
        base: format!("http://127.0.0.1:{driver_port}/session/{id}"),
    };

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

    // A bad tails assay shows the CLI's error text instead of a number.
    s.script("const el = document.getElementById('xt'); el.value = '0.9'; el.dispatchEvent(new Event('input'));");
    let err = s.until(
        "the error",
        "return document.getElementById('enrich-error').textContent || null;",
    );
    assert!(
        err.as_str().unwrap().contains("tails < feed < product"),
        "{err}"
    );

    // The deals and machines views load from the API.
    s.script("document.getElementById('tab-deals').click();");
    s.until(
        "deal clauses",
        "return document.querySelectorAll('#deal-clauses tbody tr').length > 10;",
    );
    s.script("document.getElementById('tab-machines').click();");
    s.until(
        "machines",
        "return document.querySelectorAll('#machines tbody tr').length >= 8;",
    );

    screenshot(&s, "workbench.png");

    // Breakout: the answer and the production curve follow a slider (IR-6 separative power).
    s.script("document.getElementById('tab-breakout').click();");
    let before = s.until(
        "the breakout answer",
        "const h = document.getElementById('bk-headline'); return h ? h.textContent : null;",
    );
    assert!(
        before.as_str().unwrap().contains("days"),
        "headline: {before}"
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
            "const t = document.getElementById('bk-headline').textContent; return t !== {before} ? t : null;"
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
    s.script("document.getElementById('bk-machines').scrollIntoView();");
    screenshot(&s, "workbench-breakout.png");

    // Upload a state file: the answer becomes that state's (JCPOA limits: over a year).
    let before = s.script("return document.getElementById('bk-headline').textContent;");
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
    let file = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../data/states/jcpoa-2016.toml"
    );
    let file = std::fs::canonicalize(file).unwrap();
    s.cmd(
        "POST",
        &format!("/element/{id}/value"),
        json!({"text": file.to_str().unwrap()}),
    );
    s.until(
        "the upload in use",
        "return document.getElementById('bk-upload-status').textContent.includes('jcpoa-2016.toml');",
    );
    let uploaded = s.until(
        "the uploaded state's answer",
        &format!(
            "const t = document.getElementById('bk-headline').textContent; return t !== {before} ? t : null;"
        ),
    );
    let days: f64 = uploaded
        .as_str()
        .unwrap()
        .split_whitespace()
        .find_map(|w| w.parse().ok())
        .unwrap_or(f64::NAN);
    assert!(days > 365.0, "JCPOA state uploaded: {uploaded}");
    s.cmd("DELETE", "", Value::Null);
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
