//! Bundled data files and the TOML reader every file format goes through.
//!
//! Bundled files are compiled in with `include_str!`, so the binary runs anywhere without the
//! repository. Every parse error names the file, the line and column, repeats the offending line
//! with a caret under the span, and says what was expected (serde's message, e.g. "unknown field
//! `tails_pct`, expected one of ...").

use std::io::Read;
use std::sync::OnceLock;

use enrich::cascade::{FixedCascade, MachineFeed, StageSeparation};
use enrich::{Assay, Machine, MachineLibrary, MachinePhysics, SeparativePower};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::error::AppError;
use crate::limits;

/// The bundled machine library, `data/machines.toml`.
pub const MACHINES_TOML: &str = include_str!("../../../data/machines.toml");

/// The bundled cascades, `data/cascades/*.toml`, by the name `breakout cascade run NAME` takes.
pub const BUNDLED_CASCADES: &[(&str, &str)] = &[
    (
        "ir1-164",
        include_str!("../../../data/cascades/ir1-164.toml"),
    ),
    (
        "ir1-174",
        include_str!("../../../data/cascades/ir1-174.toml"),
    ),
    (
        "ir2m-174",
        include_str!("../../../data/cascades/ir2m-174.toml"),
    ),
    (
        "ir6-174",
        include_str!("../../../data/cascades/ir6-174.toml"),
    ),
];

/// Reads a file given by path for a command (a state, deal, cascade or balance file), refusing
/// one larger than [`limits::MAX_INPUT_FILE_BYTES`] before it is read whole: a stream such as
/// `/dev/zero` is cut off at the limit, not read until memory runs out.
///
/// # Errors
/// The I/O error, or one saying the file exceeds the limit.
pub fn read_input_file(path: &str) -> std::io::Result<String> {
    let file = std::fs::File::open(path)?;
    let max = limits::MAX_INPUT_FILE_BYTES;
    let too_large = || {
        std::io::Error::other(format!(
            "it is larger than the maximum of {max} bytes for an input file (limits::MAX_INPUT_FILE_BYTES)"
        ))
    };
    if file.metadata()?.len() > max {
        return Err(too_large());
    }
    // Devices and pipes report no length: read one byte past the limit to tell.
    let mut text = String::new();
    file.take(max + 1).read_to_string(&mut text)?;
    if text.len() as u64 > max {
        return Err(too_large());
    }
    Ok(text)
}

/// `text` cut to at most `max` characters, with `…` where it was cut.
pub fn clipped(text: &str, max: usize) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(max) {
        Some((end, _)) => format!("{}…", &text[..end]).into(),
        None => text.into(),
    }
}

/// Parses `text` (the contents of `file`) as TOML into `T`, with a located error.
pub fn parse_toml<T: DeserializeOwned>(text: &str, file: &str) -> Result<T, AppError> {
    toml::from_str(text).map_err(|e| AppError::Input(located(text, file, e.span(), e.message())))
}

/// The text of a data file being read and its name: errors located in it.
pub(crate) struct Source<'a> {
    /// The file's text.
    pub text: &'a str,
    /// The file's name as the user gave it.
    pub file: &'a str,
}

impl Source<'_> {
    /// An input error at `span` of the file.
    pub fn err(&self, span: std::ops::Range<usize>, message: String) -> AppError {
        AppError::Input(located(self.text, self.file, Some(span), &message))
    }

    /// Refuses a `schema_version` other than 1, the only version of every data format.
    pub fn schema_version(&self, version: &toml::Spanned<u32>) -> Result<(), AppError> {
        if *version.get_ref() == 1 {
            return Ok(());
        }
        Err(self.err(
            version.span(),
            format!(
                "schema_version {} is not supported: expected 1",
                version.get_ref()
            ),
        ))
    }
}

/// An error message pointing into `text`: `file:line:col: message`, the line, and a caret.
///
/// The message and the line are clipped to [`limits::MAX_EXCERPT_CHARS`] (the line around the
/// column), so a huge value or a file of one long line cannot flood the terminal or a response.
pub fn located(
    text: &str,
    file: &str,
    span: Option<std::ops::Range<usize>>,
    message: &str,
) -> String {
    let message = clipped(message.trim_end(), limits::MAX_EXCERPT_CHARS);
    let Some(span) = span else {
        return format!("{file}: {message}");
    };
    let floor = |i: usize| {
        (0..=i.min(text.len()))
            .rev()
            .find(|&j| text.is_char_boundary(j))
    };
    let start = floor(span.start).unwrap_or(0);
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let line_no = text[..start].matches('\n').count() + 1;
    let col = text[line_start..start].chars().count() + 1;
    // Show the line from a little before the column, at most MAX_EXCERPT_CHARS of it.
    let lead = limits::MAX_EXCERPT_CHARS / 4;
    let skip = (col - 1).saturating_sub(lead);
    let shown: String = text[line_start..line_end]
        .chars()
        .skip(skip)
        .take(limits::MAX_EXCERPT_CHARS)
        .collect();
    let cut_before = if skip > 0 { "…" } else { "" };
    let cut_after = if skip + shown.chars().count() < text[line_start..line_end].chars().count() {
        "…"
    } else {
        ""
    };
    let before = col - 1 - skip;
    let end = floor(span.end.min(line_end).max(start)).unwrap_or(start);
    // The caret stays under the shown part of the line (`before` ≤ `lead` < the maximum).
    let width = text[start..end]
        .chars()
        .count()
        .clamp(1, limits::MAX_EXCERPT_CHARS - before);
    format!(
        "{file}:{line_no}:{col}: {message}\n  {line_no:>4} | {cut_before}{shown}{cut_after}\n       | {}{}",
        " ".repeat(before + cut_before.chars().count()),
        "^".repeat(width)
    )
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MachineFile {
    machine: Vec<MachineRecord>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MachineRecord {
    id: String,
    name: String,
    origin: String,
    claim_only: bool,
    separative_power: PowerRecord,
    physics: PhysicsRecord,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PhysicsRecord {
    stage_separation_factor: Option<f64>,
    nominal_feed_mg_uf6_per_s: Option<f64>,
    rotor_length_m: Option<f64>,
    rotor_diameter_m: Option<f64>,
    peripheral_speed_m_per_s: Option<f64>,
    source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PowerRecord {
    low: f64,
    central: f64,
    high: f64,
    source: String,
    note: String,
}

/// Reads a machine library from TOML text.
///
/// # Errors
/// [`AppError::Input`] with file, line and column for malformed files, and naming the machine for
/// invalid values.
pub fn machines_from_toml(text: &str, file: &str) -> Result<MachineLibrary, AppError> {
    let raw: MachineFile = parse_toml(text, file)?;
    let machines = raw
        .machine
        .into_iter()
        .map(|r| {
            let p = &r.separative_power;
            let power = SeparativePower::new(p.low, p.central, p.high)
                .map_err(|e| AppError::Input(format!("{file}: machine `{}`: {e}", r.id)))?;
            let ph = r.physics;
            let physics = MachinePhysics {
                stage_separation_factor: ph.stage_separation_factor,
                nominal_feed_mg_uf6_per_s: ph.nominal_feed_mg_uf6_per_s,
                rotor_length_m: ph.rotor_length_m,
                rotor_diameter_m: ph.rotor_diameter_m,
                peripheral_speed_m_per_s: ph.peripheral_speed_m_per_s,
                source: ph.source,
            };
            physics
                .validate()
                .map_err(|e| AppError::Input(format!("{file}: machine `{}` physics: {e}", r.id)))?;
            Ok(Machine {
                id: r.id,
                name: r.name,
                origin: r.origin,
                claim_only: r.claim_only,
                separative_power: power,
                source: r.separative_power.source,
                note: r.separative_power.note,
                physics,
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    MachineLibrary::new(machines).map_err(|e| AppError::Input(format!("{file}: {e}")))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CascadeRecord {
    id: String,
    name: String,
    machine: Option<String>,
    stage_separation_factor: Option<f64>,
    machine_feed_kg_u_per_yr: Option<f64>,
    feed_stage: usize,
    machines_per_stage: Vec<u32>,
    cuts: Vec<f64>,
    design_feed_wt_pct: Option<f64>,
    source: String,
    derivation: Option<String>,
}

/// A cascade read from a file: the hardware and where it comes from.
#[derive(Debug, Clone)]
pub struct CascadeFile {
    /// Identifier.
    pub id: String,
    /// Description.
    pub name: String,
    /// Machine type, if the file names one.
    pub machine: Option<String>,
    /// The hardware.
    pub cascade: FixedCascade,
    /// Feed assay the profile was designed for.
    pub design_feed: Option<Assay>,
    /// Where the layout comes from.
    pub source: String,
    /// How the profile was derived, where it is not public.
    pub derivation: Option<String>,
}

/// Reads a cascade file; α and the machine feed limit come from the named machine unless the
/// file overrides them.
///
/// # Errors
/// [`AppError::Input`] with file, line and column for malformed files; naming the cascade and
/// the field for invalid values or an unknown machine.
pub fn cascade_from_toml(
    text: &str,
    file: &str,
    lib: &MachineLibrary,
) -> Result<CascadeFile, AppError> {
    let r: CascadeRecord = parse_toml(text, file)?;
    let ctx = |e: enrich::EnrichError| AppError::Input(format!("{file}: cascade `{}`: {e}", r.id));
    let machine = r
        .machine
        .as_deref()
        .map(|m| lib.get(m))
        .transpose()
        .map_err(ctx)?;
    let alpha = match (r.stage_separation_factor, machine) {
        (Some(a), _) => StageSeparation::new(a).map_err(ctx)?,
        (None, Some(m)) => m.separation().map_err(ctx)?,
        (None, None) => {
            return Err(AppError::Input(format!(
                "{file}: cascade `{}`: give `machine` or `stage_separation_factor`",
                r.id
            )));
        }
    };
    let limit = match (r.machine_feed_kg_u_per_yr, machine) {
        (Some(l), _) => MachineFeed::new(l).map_err(ctx)?,
        (None, Some(m)) => m.machine_feed().map_err(ctx)?,
        (None, None) => {
            return Err(AppError::Input(format!(
                "{file}: cascade `{}`: give `machine` or `machine_feed_kg_u_per_yr`",
                r.id
            )));
        }
    };
    let design_feed = r
        .design_feed_wt_pct
        .map(|x| Assay::named_wt_pct("design_feed_wt_pct", x))
        .transpose()
        .map_err(ctx)?;
    let cascade = FixedCascade::new(
        r.machines_per_stage.clone(),
        r.cuts.clone(),
        r.feed_stage,
        alpha,
        limit,
    )
    .map_err(ctx)?;
    Ok(CascadeFile {
        id: r.id,
        name: r.name,
        machine: machine.map(|m| m.id.clone()),
        cascade,
        design_feed,
        source: r.source,
        derivation: r.derivation,
    })
}

/// A bundled cascade by name (case-insensitive), or `None` if there is no such name.
///
/// # Errors
/// Only if a bundled file is broken, which the tests rule out.
pub fn bundled_cascade(name: &str) -> Result<Option<CascadeFile>, AppError> {
    static PARSED: [OnceLock<CascadeFile>; BUNDLED_CASCADES.len()] =
        [const { OnceLock::new() }; BUNDLED_CASCADES.len()];
    let Some(i) = BUNDLED_CASCADES
        .iter()
        .position(|(id, _)| id.eq_ignore_ascii_case(name.trim()))
    else {
        return Ok(None);
    };
    let (id, text) = BUNDLED_CASCADES[i];
    parsed_once(&PARSED[i], || {
        cascade_from_toml(
            text,
            &format!("data/cascades/{id}.toml"),
            &bundled_machines()?,
        )
    })
    .map(Some)
}

/// The bundled machine library, parsed once per process (every estimate and cascade needs it).
///
/// # Errors
/// Only if the bundled file is broken, which the tests rule out.
pub fn bundled_machines() -> Result<MachineLibrary, AppError> {
    static PARSED: OnceLock<MachineLibrary> = OnceLock::new();
    parsed_once(&PARSED, || {
        machines_from_toml(MACHINES_TOML, "data/machines.toml")
    })
}

/// A compiled-in file's parse, kept in `cell` after the first success: the server, `history`
/// and `deal compare` parse the same bundled files again and again otherwise. A failure is not
/// kept (it is returned every time).
pub fn parsed_once<T: Clone>(
    cell: &OnceLock<T>,
    parse: impl FnOnce() -> Result<T, AppError>,
) -> Result<T, AppError> {
    if let Some(v) = cell.get() {
        return Ok(v.clone());
    }
    let v = parse()?;
    Ok(cell.get_or_init(|| v).clone())
}

#[cfg(test)]
mod tests {

    /// A huge value or a file of one long line gives an error of a few hundred characters,
    /// with the caret still under the offending value.
    #[test]
    fn error_excerpts_are_clipped() {
        let long = "x".repeat(5_000_000);
        let text = format!("a = 1\nb = \"{long}\" c\n");
        let at = text.find(" c").unwrap() + 1;
        let e = located(
            &text,
            "f.toml",
            Some(at..at + 1),
            &format!("bad value {long}"),
        );
        assert!(e.len() < 1_500, "{} bytes", e.len());
        assert!(e.starts_with("f.toml:2:"), "{e}");
        let lines: Vec<&str> = e.lines().collect();
        let caret = lines[2].chars().position(|c| c == '^').unwrap();
        assert_eq!(lines[1].chars().nth(caret), Some('c'), "{e}");
        // A short line is shown whole.
        let e = located("a = 1\nb = ?\n", "f.toml", Some(10..11), "bad");
        assert_eq!(e, "f.toml:2:5: bad\n     2 | b = ?\n       |     ^");
    }

    #[test]
    fn input_files_above_the_limit_are_refused_before_being_read_whole() {
        let e = read_input_file("/dev/zero").unwrap_err().to_string();
        assert!(e.contains("limits::MAX_INPUT_FILE_BYTES"), "{e}");
    }
    use super::*;

    #[test]
    fn bundled_machine_library_loads_with_sources() {
        let lib = bundled_machines().unwrap();
        for id in [
            "IR-1",
            "IR-2m",
            "IR-4",
            "IR-6",
            "IR-8",
            "P-1",
            "P-2",
            "generic-modern",
        ] {
            let m = lib.get(id).unwrap();
            assert!(!m.source.trim().is_empty(), "{id} has no source");
        }
        assert!(lib.get("IR-8").unwrap().claim_only);
        // Every machine carries α (sourced or marked as an assumption) and so a feed limit.
        for m in lib.machines() {
            assert!(m.machine_feed().is_ok(), "{}", m.id);
            assert!(!m.physics.source.trim().is_empty(), "{}", m.id);
        }
        // Rotors with public dimensions reproduce the Dirac bounds of enrichment-physics.md §5.2.
        assert!(lib.get("P-1").unwrap().rotor().is_some());
        assert!(lib.get("IR-6").unwrap().rotor().is_none());
    }

    #[test]
    fn bundled_cascades_load() {
        for (id, _) in BUNDLED_CASCADES {
            let c = bundled_cascade(id).unwrap().unwrap();
            assert_eq!(&c.id, id);
            assert!(c.derivation.unwrap().contains("NOT PUBLIC"));
        }
        assert!(bundled_cascade("nope").unwrap().is_none());
    }

    #[test]
    fn cascade_file_errors_name_file_and_field() {
        let lib = bundled_machines().unwrap();
        let base = "id = \"x\"\nname = \"x\"\nfeed_stage = 1\nmachines_per_stage = [1, 1]\ncuts = [0.5, 0.5]\nsource = \"s\"\n";
        for (extra, needle) in [
            (
                "machine = \"IR-1\"\nspeed = 1\n",
                "c.toml:8:1: unknown field `speed`",
            ),
            ("machine = \"IR-9\"\n", "unknown machine type `IR-9`"),
            ("", "give `machine` or `stage_separation_factor`"),
            (
                "machine = \"IR-1\"\nstage_separation_factor = 0.5\n",
                "stage separation factor",
            ),
        ] {
            let e = cascade_from_toml(&format!("{base}{extra}"), "c.toml", &lib)
                .unwrap_err()
                .to_string();
            assert!(e.contains(needle), "{e}");
        }
        let e = cascade_from_toml(
            &base
                .replace("[0.5, 0.5]", "[0.5, 1.5]")
                .replace("source", "machine = \"IR-1\"\nsource"),
            "c.toml",
            &lib,
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("c.toml: cascade `x`") && e.contains("stage cut"),
            "{e}"
        );
    }

    #[test]
    fn errors_point_at_line_and_column() {
        let text =
            "[[machine]]\nid = \"X\"\nname = \"X\"\norigin = \"\"\nclaim_only = false\nspeed = 3\n";
        let e = machines_from_toml(text, "m.toml").unwrap_err().to_string();
        assert!(e.starts_with("m.toml:6:1: unknown field `speed`"), "{e}");
        assert!(e.contains("   6 | speed = 3") && e.contains("^^^^^"), "{e}");
        let text = "[[machine]]\nid = \"X\"\nname = \"X\"\norigin = \"\"\nclaim_only = false\n[machine.separative_power]\nlow = 2.0\ncentral = 1.0\nhigh = 3.0\nsource = \"s\"\nnote = \"\"\n[machine.physics]\nsource = \"s\"\n";
        let e = machines_from_toml(text, "m.toml").unwrap_err().to_string();
        assert!(
            e.contains("machine `X`") && e.contains("low ≤ central ≤ high"),
            "{e}"
        );
    }
}
