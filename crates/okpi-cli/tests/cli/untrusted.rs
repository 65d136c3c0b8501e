//! Documents written by someone else (`tests/untrusted/`, and the parser attacks generated here): each ends in a
//! clear error with its code and exit 2, or in bounded output; none reads a file outside its folder, hangs, prints
//! a terminal escape, or takes more than the bounds README states (time, memory, output ≤ 100 × input + 64 KiB).

use crate::common::*;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

fn untrusted(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/untrusted")
        .join(name)
}

/// The fixed part of the output allowance (README, "Documents from elsewhere").
const ALLOWANCE: usize = 64 * 1024;

/// Wall time allowed per run here: README promises < 2 s for a release build; the tests run a debug build on a
/// shared machine, so they allow five times that.
const TIME: Duration = Duration::from_secs(10);

/// Runs `okpi ARGS` in `dir` under a 512 MB address-space limit, checking time and output against the input's size.
fn bounded(dir: &Path, args: &[&str], input_bytes: usize) -> Run {
    let start = Instant::now();
    let out = Command::new("sh")
        .arg("-c")
        .arg("ulimit -v 524288; exec \"$@\"")
        .arg("sh")
        .arg(env!("CARGO_BIN_EXE_okpi"))
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run okpi");
    let took = start.elapsed();
    let run = Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert!(took < TIME, "okpi {args:?} took {took:?}");
    let written = out.stdout.len() + out.stderr.len();
    assert!(
        written <= 100 * input_bytes + ALLOWANCE,
        "okpi {args:?} wrote {written} bytes for {input_bytes} bytes in"
    );
    assert!(
        run.code == 0 || run.code == 1 || run.code == 2,
        "okpi {args:?} ended with {}: {}",
        run.code,
        run.stderr
    );
    run
}

/// A temporary folder holding a copy of untrusted file `name`.
fn copy(name: &str) -> (TempDir, usize) {
    let dir = TempDir::new(&format!("untrusted-{name}"));
    let text = std::fs::read(untrusted(name)).unwrap();
    std::fs::write(dir.path(name), &text).unwrap();
    (dir, text.len())
}

/// No control character that a terminal would act on (ESC, BEL, CSI, CR) is printed, nor a bidi override.
fn no_controls(text: &str) {
    for c in ['\u{1b}', '\u{7}', '\u{9b}', '\r', '\u{202e}'] {
        assert!(!text.contains(c), "{c:?} printed raw in:\n{text}");
    }
}

/// What a refused reference may not reveal: lines of the files the repro documents name.
fn reveals_nothing(stderr: &str) {
    for secret in ["root:", "/bin/", "PATH=", "HOME="] {
        assert!(!stderr.contains(secret), "{secret} leaked:\n{stderr}");
    }
    if let Ok(host) = std::fs::read_to_string("/etc/hostname") {
        let host = host.trim();
        if host.len() > 3 {
            assert!(!stderr.contains(host), "the host name leaked:\n{stderr}");
        }
    }
}

#[test]
fn references_outside_the_folder_are_refused_and_quote_nothing() {
    for (name, key) in [
        ("csv_abs_passwd.json", "$.csv.check_ins"),
        ("csv_etc_passwd.json", "$.csv.check_ins"),
        ("csv_proc_environ.json", "$.csv.check_ins"),
        ("csv_dev_zero.json", "$.csv.check_ins"),
        ("profiles_etc_hostname.json", "$.profiles"),
    ] {
        let (dir, size) = copy(name);
        for cmd in [
            vec!["validate", name],
            vec!["report", name, "--as-of", "2026-02-01", "--html", "r.html"],
        ] {
            let r = bounded(&dir.0, &cmd, size);
            assert_eq!(r.code, 2, "{name}: {}", r.stderr);
            assert!(
                r.stderr
                    .contains(&format!("error[E_PARSE] at {key} ({name} line 1 column ")),
                "{name}: {}",
                r.stderr
            );
            assert!(r.stderr.contains("inside the document's folder"), "{}", r.stderr);
            reveals_nothing(&r.stderr);
            assert!(!dir.path("r.html").exists());
        }
    }
}

#[test]
fn a_fifo_a_folder_and_a_symlink_out_are_refused_at_once() {
    let (dir, size) = copy("csv_fifo.json");
    let made = Command::new("mkfifo").arg(dir.path("fifo")).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("mkfifo is missing: the FIFO case is not run");
        return;
    }
    let r = bounded(&dir.0, &["validate", "csv_fifo.json"], size);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("\"fifo\": not a regular file"), "{}", r.stderr);
    // A folder, and a symbolic link leading out; a link that stays inside is read.
    std::fs::create_dir(dir.path("folder.csv")).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", dir.path("out.csv")).unwrap();
    std::fs::write(dir.path("real.csv"), "key_result,date,value\nk,2026-02-01,4\n").unwrap();
    std::os::unix::fs::symlink("real.csv", dir.path("in.csv")).unwrap();
    let doc = |table: &str| {
        format!(
            r#"{{"schema_version": 1, "cycles": [{{"id": "q", "start": "2026-01-01", "end": "2026-03-31"}}],
"objectives": [{{"id": "o", "cycle": "q"}}],
"key_results": [{{"id": "k", "objective": "o", "kind": "increase", "start": 0, "target": 10}}],
"csv": {{"check_ins": "{table}"}}}}"#
        )
    };
    for (table, says) in [
        ("folder.csv", "not a regular file"),
        ("out.csv", "leads out of the document's folder"),
    ] {
        dir.write("doc.json", &doc(table));
        let r = bounded(&dir.0, &["validate", "doc.json"], 400);
        assert_eq!(r.code, 2, "{}", r.stderr);
        assert!(r.stderr.contains(says), "{table}: {}", r.stderr);
        reveals_nothing(&r.stderr);
    }
    dir.write("doc.json", &doc("in.csv"));
    let r = bounded(&dir.0, &["validate", "doc.json"], 400);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("1 check-ins"), "{}", r.stdout);
}

#[test]
fn a_referenced_file_beyond_file_bytes_is_refused_unread() {
    let dir = TempDir::new("untrusted-big");
    // A sparse file one byte over the default limit (256 MiB): refused by its size, never read.
    let big = std::fs::File::create(dir.path("big.csv")).unwrap();
    big.set_len((256 << 20) + 1).unwrap();
    let doc = r#"{"schema_version": 1, "csv": {"observations": "big.csv"}}"#;
    dir.write("doc.json", doc);
    let r = bounded(&dir.0, &["validate", "doc.json"], doc.len());
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("more than the limit file_bytes"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_byte_order_mark_is_accepted_whatever_the_name() {
    for name in ["json_bom.json", "json_bom_noext"] {
        let (dir, size) = copy(name);
        let r = bounded(&dir.0, &["validate", name], size);
        assert_eq!(r.code, 0, "{name}: {}", r.stderr);
        assert!(r.stdout.contains("1 objectives, 1 key results"), "{}", r.stdout);
    }
}

#[test]
fn a_duplicate_key_is_refused_at_its_path_and_position() {
    let (dir, size) = copy("json_duplicate_visibility.json");
    let r = bounded(&dir.0, &["validate", "json_duplicate_visibility.json"], size);
    assert_eq!(r.code, 2);
    // The second "visibility" key starts at column 158 of the one-line file.
    assert!(
        r.stderr.contains(
            "error[E_PARSE] at $.objectives[0].visibility (json_duplicate_visibility.json line 1 column 158)"
        ),
        "{}",
        r.stderr
    );
    let r = bounded(
        &dir.0,
        &[
            "evaluate",
            "json_duplicate_visibility.json",
            "--as-of",
            "2026-02-01",
        ],
        size,
    );
    assert_eq!(r.code, 2, "never evaluated as public (or private)");
}

#[test]
fn yaml_nan_and_inf_are_not_finite_at_their_fields() {
    let (dir, size) = copy("yaml_nan_inf.yaml");
    let r = bounded(
        &dir.0,
        &["evaluate", "yaml_nan_inf.yaml", "--as-of", "2026-02-10"],
        size,
    );
    assert_eq!(r.code, 2);
    for (path, line, column) in [
        ("$.key_results[0].start", 7, 51),
        ("$.check_ins[0].confidence", 9, 64),
        ("$.check_ins[1].confidence", 10, 64),
    ] {
        let want = format!("error[E_NOT_FINITE] at {path} (yaml_nan_inf.yaml line {line} column {column})");
        assert!(r.stderr.contains(&want), "{want}\n{}", r.stderr);
    }
}

#[test]
fn terminal_escapes_in_errors_are_shown_escaped() {
    let (dir, size) = copy("term_inject_error.json");
    let r = bounded(&dir.0, &["validate", "term_inject_error.json"], size);
    assert_eq!(r.code, 2);
    no_controls(&r.stderr);
    assert!(
        r.stderr
            .contains(r"unknown objective o\e]0;PWNED-FROM-ERROR\u{7}\e[2J"),
        "{}",
        r.stderr
    );
}

#[test]
fn terminal_escapes_in_command_outputs_are_shown_escaped() {
    let (dir, size) = copy("term_inject.json");
    // The file's name is user text too.
    let evil = "t\u{1b}]0;x\u{7}.json";
    std::fs::copy(untrusted("term_inject.json"), dir.path(evil)).unwrap();
    for args in [
        vec!["validate", evil],
        vec!["diagnose", "term_inject.json", "--as-of", "2026-03-01"],
        vec![
            "alerts",
            "term_inject.json",
            "--from",
            "2026-02-01",
            "--to",
            "2026-02-03",
        ],
    ] {
        let r = bounded(&dir.0, &args, size);
        assert!(r.code <= 1, "{args:?}: {}", r.stderr);
        no_controls(&r.stdout);
        no_controls(&r.stderr);
    }
    let r = bounded(&dir.0, &["validate", evil], size);
    assert!(
        r.stdout.starts_with(r"ok: t\e]0;x\u{7}.json is valid"),
        "{}",
        r.stdout
    );
}

#[test]
fn terminal_escapes_in_the_dashboard_are_shown_escaped() {
    let (dir, size) = copy("term_inject.json");
    let r = bounded(
        &dir.0,
        &["evaluate", "term_inject.json", "--as-of", "2026-02-10"],
        size,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    no_controls(&r.stdout);
    assert!(
        !r.stdout.lines().any(|l| l.starts_with("FAKE KR")),
        "{}",
        r.stdout
    );
}

#[test]
fn a_cycle_of_millennia_is_a_limit() {
    let (dir, size) = copy("long_cycle.json");
    for args in [
        vec!["validate", "long_cycle.json"],
        vec![
            "report",
            "long_cycle.json",
            "--as-of",
            "5000-01-01",
            "--html",
            "r.html",
        ],
        vec!["evaluate", "long_cycle.json", "--as-of", "5000-01-01"],
    ] {
        let r = bounded(&dir.0, &args, size);
        assert_eq!(r.code, 2, "{}", r.stderr);
        assert!(
            r.stderr.contains("error[E_LIMIT] at $.cycles[0] (long_cycle.json line 1 column 34) [forever]: limit cycle_days is 1827"),
            "{}",
            r.stderr
        );
    }
}

/// The report of `name` is written, bounded, and well-formed XML with no NaN in it.
fn report_is_bounded_and_well_formed(name: &str) {
    let (dir, size) = copy(name);
    let r = bounded(
        &dir.0,
        &["report", name, "--as-of", "2026-02-10", "--html", "r.html"],
        size,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let page = std::fs::read_to_string(dir.path("r.html")).unwrap();
    assert!(
        page.len() <= 100 * size + ALLOWANCE,
        "{name}: a report of {} bytes",
        page.len()
    );
    let opts = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    if let Err(e) = roxmltree::Document::parse_with_options(&page, opts) {
        panic!("{name}: the report is not well-formed: {e}");
    }
    assert!(!page.contains("NaN"), "{name}: NaN in the report");
    assert!(!page.contains('\u{ffff}'), "{name}: a noncharacter in the report");
}

#[test]
fn a_diamond_of_twenty_layers_gives_a_bounded_report() {
    report_is_bounded_and_well_formed("diamond20.json");
}

#[test]
fn noncharacters_and_extreme_values_give_well_formed_reports() {
    report_is_bounded_and_well_formed("html_nonchar.json");
    report_is_bounded_and_well_formed("extreme_values.json");
}

#[test]
fn yaml_attacks_stop_at_a_limit_or_an_error() {
    let (dir, size) = copy("yaml_billion_laughs.yaml");
    let r = bounded(&dir.0, &["validate", "yaml_billion_laughs.yaml"], size);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("error[E_LIMIT] at $.x.c[4]") && r.stderr.contains("yaml_expansion"),
        "{}",
        r.stderr
    );
    for (name, text, code, path) in parser_inputs() {
        dir.write(name, &text);
        let r = bounded(&dir.0, &["validate", name], text.len());
        assert_eq!(r.code, 2, "{name}: {}", r.stderr);
        let want = format!("error[{code}] at {path} ({name} line ");
        assert!(r.stderr.contains(&want), "{name}: want {want}\n{}", r.stderr);
    }
}

/// The YAML inputs of the repro's make_parser_inputs.py, made here: (file, text, first code, its path).
fn parser_inputs() -> Vec<(&'static str, String, &'static str, String)> {
    const BASE: &str = "schema_version: 1\ncycles: [{id: q, start: \"2026-01-01\", end: \"2026-03-31\"}]\n\
                        objectives: [{id: o, title: t, cycle: q}]\n\
                        key_results: [{id: k, objective: o, kind: increase, start: 0, target: 10}]\n";
    let string_bomb = |n: usize| {
        let s = "A".repeat(60_000);
        format!("{BASE}x: &s \"{s}\"\ny: [{}]\n", vec!["*s"; n].join(","))
    };
    let titles: Vec<String> = (0..20_000)
        .map(|i| format!("{{id: o{i}, title: *s, cycle: q}}"))
        .collect();
    let deep_block: String = (1..1200).map(|i| format!("{}- \n", " ".repeat(i))).collect();
    // Each alias adds 60,008 bytes; the budget is 10 × the text: alias n + 1 crosses it when n × 60,008 ≤ 10 × size.
    let crossing = |text: &str| (10 * text.len()) / 60_008;
    let bomb10 = string_bomb(10_000);
    let bomb40 = string_bomb(40_000);
    let titles_text = format!(
        "schema_version: 1\ncycles: [{{id: q, start: \"2026-01-01\", end: \"2026-03-31\"}}]\nx: &s \"{}\"\n\
         objectives: [{}]\n",
        "B".repeat(60_000),
        titles.join(",")
    );
    vec![
        (
            "yaml_alias_string_10k.yaml",
            bomb10.clone(),
            "E_LIMIT",
            format!("$.y[{}]", crossing(&bomb10)),
        ),
        (
            "yaml_alias_string_40k.yaml",
            bomb40.clone(),
            "E_LIMIT",
            format!("$.y[{}]", crossing(&bomb40)),
        ),
        (
            "yaml_alias_titles.yaml",
            titles_text.clone(),
            "E_LIMIT",
            format!("$.objectives[{}].title", crossing(&titles_text)),
        ),
        (
            "yaml_deep_flow.yaml",
            format!("{BASE}x: {}{}\n", "[".repeat(100_000), "]".repeat(100_000)),
            "E_LIMIT",
            "$.x[0]".into(),
        ),
        (
            "yaml_deep_block.yaml",
            format!("{BASE}x:\n{deep_block}"),
            "E_LIMIT",
            format!("$.x{}", "[0]".repeat(31)),
        ),
        (
            "yaml_duplicate_keys.yaml",
            BASE.replace(
                "{id: o, title: t, cycle: q}",
                "{id: o, title: t, cycle: q, visibility: private, visibility: public}",
            ),
            "E_PARSE",
            "$.objectives[0].visibility".into(),
        ),
        (
            "yaml_tags.yaml",
            format!("{BASE}x: !!binary aGVsbG8=\n"),
            "E_PARSE",
            "$.x".into(),
        ),
        (
            "yaml_tag_on_field.yaml",
            BASE.replace("start: 0", "start: !!str 0"),
            "E_PARSE",
            "$.key_results[0].start".into(),
        ),
        (
            "yaml_nan_start.yaml",
            BASE.replace("start: 0", "start: .nan"),
            "E_NOT_FINITE",
            "$.key_results[0].start".into(),
        ),
        (
            "yaml_inf_target.yaml",
            BASE.replace("target: 10", "target: .inf"),
            "E_NOT_FINITE",
            "$.key_results[0].target".into(),
        ),
        (
            "yaml_big_target.yaml",
            BASE.replace("target: 10", "target: 1e400"),
            "E_PARSE",
            "$.key_results[0].target".into(),
        ),
        (
            "yaml_merge_key.yaml",
            format!("{BASE}base: &b {{id: o2, cycle: q}}\n"),
            "E_PARSE",
            "$.base".into(),
        ),
        (
            "yaml_recursive_alias.yaml",
            format!("{BASE}x: &x [1, *x]\n"),
            "E_PARSE",
            "$.x[1]".into(),
        ),
        (
            "yaml_multi_doc.yaml",
            format!("{BASE}---\nschema_version: 2\n"),
            "E_PARSE",
            "$".into(),
        ),
    ]
}

#[test]
fn every_shape_error_comes_in_one_run_at_its_true_line() {
    let dir = TempDir::new("untrusted-shapes");
    // Four mistakes far down a pretty-printed file: a bad date, a string for a number, a typo, a duplicate id.
    let mut lines = vec![
        "{".to_owned(),
        "  \"schema_version\": 1,".to_owned(),
        "  \"cycles\": [{\"id\": \"q\", \"start\": \"2026-01-01\", \"end\": \"2026-03-31\"}],".to_owned(),
        "  \"objectives\": [".to_owned(),
    ];
    for i in 0..145 {
        lines.push(format!("    {{\"id\": \"o{i}\", \"cycle\": \"q\"}},"));
    }
    lines.push("    {\"id\": \"o0\", \"cycle\": \"q\"},".into()); // line 150: a duplicate id
    lines.push("    {\"id\": \"x\", \"cycle\": \"q\", \"titel\": \"Grow\"}".into()); // line 151: a typo
    lines.push("  ],".into());
    lines.push("  \"key_results\": [{\"id\": \"k\", \"objective\": \"o1\", \"kind\": \"increase\", \"start\": \"40\", \"target\": 50}],".into()); // 153
    lines.push("  \"check_ins\": [{\"key_result\": \"k\", \"date\": \"2026-02-30\", \"value\": 1}]".into()); // 154
    lines.push("}".into());
    let text = lines.join("\n");
    let f = dir.write("doc.json", &text);
    let r = okpi(&["validate", &f]);
    assert_eq!(r.code, 2);
    for (path, line, column) in [
        ("$.objectives[146].titel", 151, 40),
        ("$.key_results[0].start", 153, 79),
        ("$.check_ins[0].date", 154, 45),
    ] {
        let want = format!("error[E_PARSE] at {path} ({f} line {line} column {column})");
        assert!(r.stderr.contains(&want), "{want}\n{}", r.stderr);
    }
    // The duplicate id is a validation problem: it comes once the shapes are right, at its line too.
    let fixed = text
        .replace(", \"titel\": \"Grow\"", "")
        .replace("\"start\": \"40\"", "\"start\": 40")
        .replace("2026-02-30", "2026-02-28");
    let f = dir.write("doc.json", &fixed);
    let r = okpi(&["validate", &f]);
    assert_eq!(r.code, 2);
    let want = format!("error[E_DUPLICATE_ID] at $.objectives[145].id ({f} line 150 column 12)");
    assert!(r.stderr.contains(&want), "{want}\n{}", r.stderr);
    // YAML: the same in one run, each at its line.
    let yaml = "schema_version: 1\ncycles:\n  - id: q\n    start: 2026-01-01\n    end: 2026-13-01\n\
                objectives:\n  - id: o\n    cycle: q\n    titel: Grow\n\
                key_results:\n  - {id: k, objective: o, kind: increase, start: \"40\", target: 50}\n";
    let f = dir.write("doc.yaml", yaml);
    let r = okpi(&["validate", &f]);
    for (path, line, column) in [
        ("$.cycles[0].end", 5, 10),
        ("$.objectives[0].titel", 9, 12),
        ("$.key_results[0].start", 11, 50),
    ] {
        let want = format!("error[E_PARSE] at {path} ({f} line {line} column {column})");
        assert!(r.stderr.contains(&want), "{want}\n{}", r.stderr);
    }
    assert!(r.stderr.contains("okpi: 3 problems"), "{}", r.stderr);
}

#[test]
fn a_full_disk_exits_3_for_every_command() {
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
        eprintln!("no /dev/full: not run");
        return;
    };
    drop(full);
    let demo = demo();
    let profiles = demo_dir().join("profiles.json").display().to_string();
    for args in [
        vec!["validate", &demo],
        vec!["validate", &demo, "--format", "json"],
        vec!["evaluate", &demo, "--as-of", AS_OF],
        vec!["evaluate", &demo, "--as-of", AS_OF, "--format", "json"],
        vec!["diagnose", &demo, "--as-of", AS_OF],
        vec!["alerts", &demo, "--from", "2026-03-01", "--to", AS_OF],
        vec!["advise", &profiles],
    ] {
        let out = command(&args)
            .stdout(std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap())
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(3),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(String::from_utf8_lossy(&out.stderr).contains("cannot write to standard output"));
    }
}

#[test]
fn every_bad_input_of_the_catalogue_is_bounded() {
    let dir = TempDir::new("untrusted-catalogue");
    let mut ran = 0;
    for (name, case) in okpi_conformance::cases("errors").unwrap() {
        let has_document = ["document", "document_text", "document_hex", "generate"]
            .iter()
            .any(|k| case.get(*k).is_some());
        if !has_document {
            continue;
        }
        let bytes = okpi_conformance::document_bytes(&case);
        std::fs::write(dir.path("case.json"), &bytes).unwrap();
        // Without the case's own limits the CLI may find the document valid; what matters is a bounded run.
        let r = bounded(&dir.0, &["validate", "case.json"], bytes.len());
        if case.get("limits").is_none() && case.get("call").is_none() {
            assert_eq!(r.code, 2, "{name}: {}", r.stderr);
            let first = &case["expect_error"][0];
            let want = format!(
                "error[{}] at {}",
                first["code"].as_str().unwrap(),
                first["path"].as_str().unwrap()
            );
            assert!(r.stderr.contains(&want), "{name}: want {want}\n{}", r.stderr);
        }
        ran += 1;
    }
    assert!(ran >= 50, "{ran} cases");
}
