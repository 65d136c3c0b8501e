//! Helpers: run the `okpi` binary, temporary folders, and the demo document built independently of the CLI.

use serde_json::{Map, Value};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The demo's folder.
pub fn demo_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/data/demo")
}

/// The demo's path in the repository.
pub fn demo() -> String {
    demo_dir().join("company.json").display().to_string()
}

/// The demo's as-of date.
pub const AS_OF: &str = "2026-03-29";

/// What one run printed and how it ended.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
                self.stdout, self.stderr
            )
        })
    }
}

fn finish(out: Output) -> Run {
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The command, with colour left to its defaults and NO_COLOR unset.
pub fn command(args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_okpi"));
    c.args(args).env_remove("NO_COLOR").stdin(Stdio::null());
    c
}

/// Runs `okpi ARGS`.
pub fn okpi(args: &[&str]) -> Run {
    finish(command(args).output().expect("run okpi"))
}

/// Runs `okpi ARGS` in `dir`.
pub fn okpi_in(dir: &Path, args: &[&str]) -> Run {
    finish(command(args).current_dir(dir).output().expect("run okpi"))
}

/// A folder removed when dropped.
pub struct TempDir(pub PathBuf);

impl TempDir {
    /// A fresh folder. Tests run in parallel in one process and several copy the same file, so the name carries a
    /// counter: a shared name let one test delete another's folder mid-run.
    pub fn new(name: &str) -> Self {
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("okpi-cli-{}-{n}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        TempDir(dir)
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }

    pub fn write(&self, name: &str, text: &str) -> String {
        let p = self.path(name);
        std::fs::write(&p, text).expect("write");
        p.display().to_string()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A CSV file as JSON objects, read with a plain split (the demo's tables have no quoted cells); numbers become
/// numbers, `dims.X` columns a `dims` object, empty cells nothing.
fn csv_rows(text: &str) -> Vec<Value> {
    assert!(!text.contains('"'), "the demo tables have no quoted cells");
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("header").split(',').collect();
    lines
        .map(|line| {
            let mut row = Map::new();
            let mut dims = Map::new();
            for (h, cell) in header.iter().zip(line.split(',')) {
                if cell.is_empty() {
                    continue;
                }
                let v = match *h {
                    "value" | "confidence" => Value::from(cell.parse::<f64>().expect("number")),
                    _ => Value::from(cell),
                };
                match h.strip_prefix("dims.") {
                    Some(d) => {
                        dims.insert(d.to_owned(), v);
                    }
                    None => {
                        row.insert((*h).to_owned(), v);
                    }
                }
            }
            if !dims.is_empty() {
                row.insert("dims".into(), Value::Object(dims));
            }
            Value::Object(row)
        })
        .collect()
}

/// The demo as the library's document: the CSV tables inlined and the CLI's keys removed, built here without the
/// CLI's code so that the CLI's reading is checked against an independent one.
pub fn demo_document() -> Value {
    let dir = demo_dir();
    let mut doc: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("company.json")).unwrap()).unwrap();
    let root = doc.as_object_mut().unwrap();
    for key in ["csv", "profiles", "metric_names"] {
        root.remove(key);
    }
    for (key, file) in [
        ("observations", "observations.csv"),
        ("check_ins", "check_ins.csv"),
    ] {
        let rows = csv_rows(&std::fs::read_to_string(dir.join(file)).unwrap());
        root.insert(key.into(), Value::Array(rows));
    }
    doc
}

/// The demo's library model.
pub fn demo_model() -> okpi::Model {
    okpi::Model::from_json(&demo_document().to_string()).expect("the demo is valid")
}

/// The library's result as a JSON value.
pub fn value<T: serde::Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap()
}

/// The library's result as the CLI prints it: pretty JSON and a newline.
pub fn pretty<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string_pretty(v).unwrap() + "\n"
}

/// A date.
pub fn day(text: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}
