//! Input forms: YAML equals JSON, CSV tables equal inline arrays, the embedded demo equals the files on disk.

use crate::common::*;
use serde_json::Value;

fn copy_tables(dir: &TempDir) {
    for f in ["observations.csv", "check_ins.csv", "profiles.json"] {
        std::fs::copy(demo_dir().join(f), dir.path(f)).unwrap();
    }
}

fn evaluate_json(file: &str) -> Value {
    let r = okpi(&["evaluate", file, "--as-of", AS_OF, "--format", "json"]);
    assert_eq!(r.code, 0, "{file}: {}", r.stderr);
    r.json()
}

#[test]
fn yaml_input_equals_json_input() {
    let dir = TempDir::new("yaml");
    copy_tables(&dir);
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(demo()).unwrap()).unwrap();
    let yaml = serde_norway::to_string(&doc).unwrap();
    assert!(yaml.contains("schema_version: 1"), "{yaml}");
    let yaml_file = dir.write("company.yaml", &yaml);
    let json_file = dir.write("company.json", &doc.to_string());
    assert_eq!(evaluate_json(&yaml_file), evaluate_json(&json_file));
    // Without an extension the first character decides; YAML read from standard input gives the same.
    let piped = command(&["evaluate", "-", "--as-of", AS_OF, "--format", "json"])
        .current_dir(&dir.0)
        .stdin(std::fs::File::open(&yaml_file).unwrap())
        .output()
        .unwrap();
    assert!(
        piped.status.success(),
        "{}",
        String::from_utf8_lossy(&piped.stderr)
    );
    let piped: Value = serde_json::from_slice(&piped.stdout).unwrap();
    assert_eq!(piped, evaluate_json(&json_file));
}

#[test]
fn broken_yaml_is_a_parse_error() {
    let dir = TempDir::new("yaml-broken");
    let f = dir.write("doc.yml", "schema_version: 1\ncycles: [\n  - id: q\n");
    let r = okpi(&["validate", &f]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("error[E_PARSE] at $.cycles (")
            && r.stderr.contains("doc.yml line 3 column 3): YAML"),
        "{}",
        r.stderr
    );
    // A type error inside YAML names its path, as JSON does.
    let f = dir.write(
        "doc2.yaml",
        "schema_version: 1\ncycles:\n  - id: q\n    start: soon\n    end: 2026-03-31\n",
    );
    let r = okpi(&["validate", &f]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("error[E_PARSE] at $.cycles[0].start"),
        "{}",
        r.stderr
    );
}

#[test]
fn csv_tables_equal_inline_arrays() {
    let dir = TempDir::new("inline");
    let inline = dir.write("inline.json", &demo_document().to_string());
    assert_eq!(evaluate_json(&demo()), evaluate_json(&inline));
    // Several files per table, and rows appended after the document's own.
    let doc = demo_document();
    let obs = doc["observations"].as_array().unwrap();
    let mut split = doc.clone();
    split["observations"] = Value::Array(obs[..10].to_vec());
    split["csv"] = serde_json::json!({"observations": ["a.csv", "b.csv"]});
    let text = std::fs::read_to_string(demo_dir().join("observations.csv")).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    let rest: Vec<&str> = lines.skip(10).collect();
    let (a, b) = rest.split_at(rest.len() / 2);
    dir.write("a.csv", &format!("{header}\n{}\n", a.join("\n")));
    dir.write("b.csv", &format!("{header}\n{}\n", b.join("\n")));
    let split_file = dir.write("split.json", &split.to_string());
    assert_eq!(evaluate_json(&split_file), evaluate_json(&inline));
}

#[test]
fn csv_problems_name_their_file_and_line() {
    let dir = TempDir::new("csv-bad");
    let doc = r#"{"schema_version": 1, "measures": [{"id": "m"}],
                  "observations": [{"measure": "m", "date": "2026-01-01", "value": 1}],
                  "csv": {"observations": "o.csv"}}"#;
    let file = dir.write("doc.json", doc);
    dir.write(
        "o.csv",
        "measure,date,value,dims.unit,colour\nm,2026-01-02,2,,red\n",
    );
    let r = okpi(&["validate", &file]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("error[E_FIELD_NOT_ALLOWED] at $.csv.observations (o.csv line 1)"),
        "{}",
        r.stderr
    );
    dir.write(
        "o.csv",
        "measure,date,value\nm,2026-01-02,2\nm,2026-01-03\nm,2026-01-04,NaN\nghost,2026-01-05,1\n",
    );
    let r = okpi(&["validate", &file]);
    assert_eq!(r.code, 2);
    for needle in [
        "error[E_PARSE] at $.observations[2] (o.csv line 3)",
        "error[E_NOT_FINITE] at $.observations[3].value (o.csv line 4 column 3)",
    ] {
        assert!(r.stderr.contains(needle), "missing {needle:?}:\n{}", r.stderr);
    }
    // With the rows fixed, the library's own check finds the unknown measure on the CSV's last line.
    dir.write(
        "o.csv",
        "measure,date,value\nm,2026-01-02,2\nghost,2026-01-05,1\n",
    );
    let r = okpi(&["validate", &file]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("error[E_UNKNOWN_ID] at $.observations[2].measure (o.csv line 3 column 1)"),
        "{}",
        r.stderr
    );
    // A missing table is an input error too.
    std::fs::remove_file(dir.path("o.csv")).unwrap();
    let r = okpi(&["validate", &file]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("cannot read") && r.stderr.contains("o.csv"),
        "{}",
        r.stderr
    );
}

#[test]
fn the_embedded_demo_is_the_demo_on_disk() {
    let dir = TempDir::new("embedded");
    let from_demo = dir.path("demo.html");
    let from_files = dir.path("files.html");
    let r = okpi(&["demo", "--html", from_demo.to_str().unwrap(), "--color", "never"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = okpi(&[
        "report",
        &demo(),
        "--as-of",
        AS_OF,
        "--html",
        from_files.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        std::fs::read(from_demo).unwrap(),
        std::fs::read(from_files).unwrap()
    );
    // The demo's dashboard is the evaluate dashboard of the same files.
    let dashboard = okpi(&["evaluate", &demo(), "--as-of", AS_OF, "--color", "never"]);
    assert_eq!(dashboard.code, 0, "{}", dashboard.stderr);
    let demo_run = okpi_in(&dir.0, &["demo", "--color", "never"]);
    assert_eq!(demo_run.stdout, dashboard.stdout);
    assert!(
        dir.path("okpi-report.html").exists(),
        "demo writes okpi-report.html by default"
    );
}

#[test]
fn the_generator_reproduces_the_tables() {
    // The seeded script must rewrite the committed tables byte for byte (skipped without python3).
    let Ok(python) = which("python3") else {
        eprintln!("skipped: python3 not found");
        return;
    };
    let dir = TempDir::new("generate");
    std::fs::copy(demo_dir().join("generate.py"), dir.path("generate.py")).unwrap();
    let status = std::process::Command::new(python)
        .arg(dir.path("generate.py"))
        .status()
        .unwrap();
    assert!(status.success());
    for f in ["observations.csv", "check_ins.csv"] {
        assert_eq!(
            std::fs::read(dir.path(f)).unwrap(),
            std::fs::read(demo_dir().join(f)).unwrap(),
            "{f} differs from what generate.py writes"
        );
    }
}

fn which(name: &str) -> Result<std::path::PathBuf, ()> {
    std::env::var_os("PATH")
        .and_then(|paths| {
            std::env::split_paths(&paths)
                .map(|p| p.join(name))
                .find(|p| p.is_file())
        })
        .ok_or(())
}
