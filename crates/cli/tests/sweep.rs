//! `breakout sweep` and `--parquet` end to end: the Parquet file the binary writes, read back
//! with the `parquet` crate's reader, holds the rows of the same command's `--json` (names,
//! types, values, nulls), for a sweep and for `deal design`; bad grid files and a command with
//! no table of records are refused with exit code 2 and a located message.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use parquet::basic::Type as PhysicalType;
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::Field;
use serde_json::Value;

const GRID: &str = "../../examples/sweep/states-setup-goal.toml";

fn breakout(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_breakout"))
        .args(args)
        .output()
        .expect("the binary runs")
}

/// A fresh scratch directory for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("breakout-sweep-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The JSON document of `args --json --parquet path`.
fn json_and_parquet(args: &[&str], path: &Path) -> Value {
    let mut all = args.to_vec();
    let p = path.to_str().unwrap();
    all.extend(["--json", "--parquet", p]);
    let out = breakout(&all);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The Parquet file's column names and physical types, and its rows as JSON values.
fn read_back(path: &Path) -> (Vec<(String, PhysicalType)>, Vec<Vec<Value>>) {
    let reader = SerializedFileReader::new(File::open(path).unwrap()).unwrap();
    let columns = reader
        .metadata()
        .file_metadata()
        .schema_descr()
        .columns()
        .iter()
        .map(|c| (c.name().to_string(), c.physical_type()))
        .collect();
    let rows = reader
        .get_row_iter(None)
        .unwrap()
        .map(|r| {
            r.unwrap()
                .get_column_iter()
                .map(|(_, f)| match f {
                    Field::Null => Value::Null,
                    Field::Bool(b) => Value::from(*b),
                    Field::Long(i) => Value::from(*i),
                    Field::Double(x) => Value::from(*x),
                    Field::Str(s) => Value::from(s.as_str()),
                    other => panic!("unexpected Parquet value {other:?}"),
                })
                .collect()
        })
        .collect();
    (columns, rows)
}

#[test]
fn a_sweeps_parquet_file_holds_its_json_rows() {
    let dir = scratch("grid");
    let path = dir.join("sweep.parquet");
    let doc = json_and_parquet(&["sweep", GRID], &path);
    let names: Vec<&str> = doc["results"]["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    let rows = doc["results"]["rows"].as_array().unwrap();
    let (columns, got) = read_back(&path);
    let got_names: Vec<&str> = columns.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(got_names, names);
    let kind = |name: &str| columns.iter().find(|(n, _)| n == name).unwrap().1;
    for (name, want) in [
        ("state", PhysicalType::BYTE_ARRAY),
        ("setup_days_per_step", PhysicalType::INT64),
        ("count", PhysicalType::INT64),
        ("first_sq_days", PhysicalType::DOUBLE),
        ("goal_days", PhysicalType::DOUBLE),
    ] {
        assert_eq!(kind(name), want, "{name}");
    }
    assert_eq!(got.len(), 12);
    for (row, want) in got.iter().zip(rows) {
        let want: Vec<Value> = names.iter().map(|n| want[*n].clone()).collect();
        assert_eq!(row, &want);
    }
    // The last axis varies fastest.
    let counts: Vec<&Value> = got.iter().map(|r| &r[2]).collect();
    assert_eq!(
        counts[..4],
        [
            &Value::from(1),
            &Value::from(3),
            &Value::from(1),
            &Value::from(3)
        ]
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn deal_designs_parquet_file_holds_every_evaluated_point() {
    let dir = scratch("design");
    let path = dir.join("design.parquet");
    let doc = json_and_parquet(
        &[
            "deal",
            "design",
            "--cap-wt-pct",
            "3.67",
            "--stock-cap-kg",
            "0..600:300",
            "--machines",
            "fep:IR-1=0..6072:3036",
            "--machines",
            "fep:IR-2m=0",
            "--machines",
            "fordow:IR-6=0",
            "--fates",
            "stored",
            "--min-months",
            "6",
        ],
        &path,
    );
    let points = doc["results"]["points"].as_array().unwrap();
    let (columns, got) = read_back(&path);
    let names: Vec<&str> = columns.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "enrichment_cap_wt_pct",
            "stock_cap_kg",
            "stock_cap_form",
            "max_enriching_IR-1_at_fep",
            "max_enriching_IR-2m_at_fep",
            "max_enriching_IR-6_at_fordow",
            "excess",
            "permitted_first_sq_days",
            "first_sq_days",
            "meets_target",
        ]
    );
    assert_eq!(got.len(), points.len());
    assert!(!got.is_empty());
    for (row, p) in got.iter().zip(points) {
        let l = &p["levers"];
        let machines: Vec<Value> = l["machines"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["max_enriching"].clone())
            .collect();
        let mut want = vec![
            Value::from(l["enrichment_cap_wt_pct"].as_f64().unwrap()),
            Value::from(l["stock_cap_kg"].as_f64().unwrap()),
            l["stock_cap_form"].clone(),
        ];
        want.extend(machines);
        want.extend([
            l["excess"].clone(),
            p["permitted_first_sq_days"].clone(),
            p["first_sq_days"].clone(),
            p["meets_target"].clone(),
        ]);
        assert_eq!(row, &want);
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn refusals_exit_2_naming_what_was_wrong() {
    let dir = scratch("bad");
    let bad = dir.join("bad.toml");
    std::fs::write(
        &bad,
        "schema_version = 1\n[[axis]]\noption = \"count\"\nvalues = [1, \"two\"]\n",
    )
    .unwrap();
    let bad = bad.to_str().unwrap().to_string();
    let out_file = dir.join("x.parquet");
    let out_file = out_file.to_str().unwrap();
    let cases: [(Vec<&str>, &str); 3] = [
        (
            vec!["sweep", &bad],
            "bad.toml:4:14: option `count`: invalid type: string \"two\"",
        ),
        (
            vec!["sweep", "no-such-grid.toml"],
            "grid file `no-such-grid.toml` could not be read",
        ),
        (
            vec!["run", "--parquet", out_file],
            "--parquet: `run` has no table of records to write",
        ),
    ];
    for (args, want) in cases {
        let out = breakout(&args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(want), "{args:?}: {stderr}");
    }
    assert!(!Path::new(out_file).exists());
    std::fs::remove_dir_all(&dir).unwrap();
}
