//! Exit codes: 0 ok, 1 findings or alerts at the failing level, 2 invalid input (every problem printed with its
//! path), 3 an output that cannot be written.

use crate::common::*;

#[test]
fn valid_input_exits_0() {
    let r = okpi(&["validate", &demo()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("is valid: 6 objectives, 13 key results"),
        "{}",
        r.stdout
    );
}

#[test]
fn findings_exit_1_only_at_the_failing_level() {
    // The demo's planted risks are warnings: no error-level finding, so the default level passes …
    let r = okpi(&["diagnose", &demo(), "--as-of", AS_OF]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // … and asking to fail on warnings fails.
    let r = okpi(&["diagnose", &demo(), "--as-of", AS_OF, "--fail-on", "warning"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
}

#[test]
fn critical_alerts_exit_1() {
    // The review backlog turns critical on 2026-03-18.
    let r = okpi(&["alerts", &demo(), "--from", "2026-03-01", "--to", AS_OF]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stdout.contains("severity_changed") && r.stdout.contains("critical"),
        "{}",
        r.stdout
    );
    // January is quiet.
    let r = okpi(&["alerts", &demo(), "--from", "2026-01-01", "--to", "2026-01-31"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    // February has warnings (an outage, a sign-up dip) but its critical episodes come with the Spring Festival.
    let r = okpi(&[
        "alerts",
        &demo(),
        "--from",
        "2026-02-01",
        "--to",
        "2026-02-12",
        "--fail-on",
        "warning",
    ]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    let r = okpi(&["alerts", &demo(), "--from", "2026-02-01", "--to", "2026-02-12"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
}

#[test]
fn invalid_input_exits_2_and_prints_every_problem_with_its_path() {
    let dir = TempDir::new("invalid");
    let doc = dir.write(
        "bad.json",
        r#"{"schema_version": 1,
            "csv": {"check_ins": "c.csv"},
            "cycles": [{"id": "q", "start": "2026-01-01", "end": "2026-03-31"}],
            "objectives": [{"id": "o", "cycle": "q"}, {"id": "o", "cycle": "q"}],
            "key_results": [{"id": "k", "objective": "o", "kind": "increase", "start": 5, "target": 5},
                            {"id": "k2", "objective": "nope", "kind": "increase", "start": 0, "target": 1}]}"#,
    );
    dir.write(
        "c.csv",
        "key_result,date,value\nk,2026-01-05,1\nk,2026-01-06,x\nk,2026-99-01,2\nghost,2026-01-09,3\n",
    );
    let r = okpi(&["validate", &doc]);
    assert_eq!(r.code, 2);
    // The CSV's own problems come first, each with its path in the document and its line.
    for needle in [
        "error[E_PARSE] at $.check_ins[1].value (c.csv line 3 column 3)",
        "error[E_PARSE] at $.check_ins[2].date (c.csv line 4 column 2)",
    ] {
        assert!(r.stderr.contains(needle), "missing {needle:?} in\n{}", r.stderr);
    }
    // Fix the CSV: the document's problems are then all reported at once.
    dir.write(
        "c.csv",
        "key_result,date,value\nk,2026-01-05,1\nghost,2026-01-09,3\n",
    );
    let r = okpi(&["validate", &doc, "--format", "json"]);
    assert_eq!(r.code, 2);
    let problems = r.json()["problems"].as_array().unwrap().clone();
    let paths: Vec<&str> = problems.iter().map(|p| p["path"].as_str().unwrap()).collect();
    for path in [
        "$.objectives[1].id",
        "$.key_results[0].target",
        "$.key_results[1].objective",
        "$.check_ins[1].key_result",
    ] {
        assert!(paths.contains(&path), "{path} not in {paths:?}");
        assert!(
            r.stderr.contains(&format!("at {path}")),
            "{path} not printed:\n{}",
            r.stderr
        );
    }
    let ghost = problems
        .iter()
        .find(|p| p["path"] == "$.check_ins[1].key_result")
        .unwrap();
    assert_eq!(ghost["origin"], "c.csv line 3 column 1");
    assert_eq!(ghost["code"], "E_UNKNOWN_ID");
}

#[test]
fn usage_and_unreadable_input_exit_2() {
    let r = okpi(&["evaluate", &demo(), "--as-of", "2026-02-30"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("not a YYYY-MM-DD date"), "{}", r.stderr);
    for lenient in ["2026-3-1", " 2026-03-10", "+2026-03-10", "0000-01-01"] {
        let r = okpi(&["evaluate", &demo(), "--as-of", lenient]);
        assert_eq!(r.code, 2, "{lenient:?}");
        assert!(r.stderr.contains("not a YYYY-MM-DD date"), "{}", r.stderr);
    }
    let r = okpi(&["evaluate", "/nonexistent/doc.json", "--as-of", AS_OF]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("cannot read"), "{}", r.stderr);
    let r = okpi(&["alerts", &demo(), "--from", "2026-03-02", "--to", "2026-03-01"]);
    assert_eq!(r.code, 2);
}

#[test]
fn an_unwritable_report_exits_3() {
    let r = okpi(&[
        "report",
        &demo(),
        "--as-of",
        AS_OF,
        "--html",
        "/nonexistent/dir/r.html",
    ]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(r.stderr.contains("cannot write"), "{}", r.stderr);
}
