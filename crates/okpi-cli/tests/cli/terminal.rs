//! Text output: the dashboard's content in both languages, and colour only on a terminal without `NO_COLOR`.

use crate::common::*;

/// Whether text carries any of the dashboard's colours (SGR codes).
fn coloured(text: &str) -> bool {
    ["\x1b[31m", "\x1b[32m", "\x1b[33m", "\x1b[1m", "\x1b[2m"]
        .iter()
        .any(|c| text.contains(c))
}

fn dashboard(extra: &[&str]) -> Run {
    let demo = demo();
    let mut args = vec!["evaluate", demo.as_str(), "--as-of", AS_OF];
    args.extend_from_slice(extra);
    let r = okpi(&args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    r
}

#[test]
fn the_dashboard_shows_every_part_in_english_and_chinese() {
    let en = dashboard(&[]).stdout;
    for needle in [
        "cycle 2026Q1 (2026-01-01 – 2026-03-31) · as of 2026-03-29",
        // Where we are against where we should be: c1 83 % and c2 76 % against 88/90 = 98 % expected.
        "organisation's objectives 79% against expected 98% (−19 pts)",
        "1 alert firing (1 critical)",
        "status: ✓ on track",
        "NEEDS ATTENTION",
        // Each item with its owner, gap to pace and reason; the advice that concerns it below.
        "✕ off track  Open a second growth curve with new products  Xinghai Tech · −22 pts · key result “New products' share of revenue to 3%” 53% / 98%",
        "→ Check in on the key result: update its value and confidence, even if nothing moved. (okr.stale)",
        "Review backlog · Content review  actual 9,615 items / target 4,000 items, alert firing since 2026-03-13",
        "SINCE LAST WEEK",
        "OBJECTIVES AND KEY RESULTS",
        "Be the platform new merchants choose first",
        "· Paying pilot merchants from 0 to 50 (50% against the original target)",
        "STRATEGY VIEW",
        "Be the platform new merchants choose first  83%  ✕ off track · support health",
        "✕ Review backlog · Content review  achievement 41.6%, score 0.0, alert firing",
        "· Sign 1,200 quality merchants this quarter ← New merchants signed",
        "KPI TARGETS",
        // Shares in percent, units after values, thousands separators.
        "actual 99.91% (target 99.9%, threshold 99.5%)",
        "actual 867,687 items (target 900,000)",
        "actual 33.6 s (target 30, threshold 45)",
        "SCORECARDS AND GRADES  (grade · total)",
        "units:",
        "people:",
        "grade distribution: S 1 · A 2 · B 1 · C 1 · D 1",
        "review.backlog_high",
        "firing (critical), since 2026-03-13",
        "WHICH MODEL FITS EACH BUSINESS LINE",
        "kpi.pull_forward",
        "practice health 63/100 good",
    ] {
        assert!(en.contains(needle), "missing {needle:?} in\n{en}");
    }
    for absent in [
        "rank",
        "1 alerts",
        "1 objectives",
        "唯数字论",
        "DOMAIN.md",
        "article",
    ] {
        assert!(!en.contains(absent), "{absent:?} in\n{en}");
    }
    let zh = dashboard(&["--lang", "zh"]).stdout;
    for needle in [
        "目标与关键结果",
        "成为新商户首选的开店平台",
        "需要关注",
        "管理实践健康度 63/100 良好",
        "诊断发现与建议",
        "告警中 (严重)",
    ] {
        assert!(zh.contains(needle), "missing {needle:?} in\n{zh}");
    }
}

#[test]
fn lists_are_cut_by_default_and_whole_with_all() {
    let cut = dashboard(&[]).stdout;
    let all = dashboard(&["--all"]).stdout;
    assert!(cut.contains("(--all)"), "{cut}");
    assert!(!all.contains("(--all)"), "{all}");
    // Every objective in need of attention is listed with --all (six of the demo's are off track or at risk).
    let attention = |text: &str| {
        text.split("NEEDS ATTENTION")
            .nth(1)
            .and_then(|t| t.split("SINCE LAST WEEK").next())
            .map(|t| {
                t.lines()
                    .filter(|l| l.contains("off track  ") || l.contains("at risk    "))
                    .count()
            })
            .unwrap()
    };
    assert_eq!(attention(&all), 6);
    assert_eq!(attention(&cut), 5);
}

#[test]
fn an_untitled_key_result_shows_its_id() {
    let dir = TempDir::new("untitled");
    let doc = dir.write(
        "doc.json",
        r#"{"schema_version": 1, "cycles": [{"id": "q", "start": "2026-01-01", "end": "2026-03-31"}],
            "objectives": [{"id": "o", "title": "Grow", "cycle": "q"}],
            "key_results": [{"id": "kr-without-title", "objective": "o", "kind": "increase", "start": 0, "target": 10}]}"#,
    );
    let r = okpi(&["evaluate", &doc, "--as-of", "2026-02-01"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("· kr-without-title"), "{}", r.stdout);
    assert!(
        !r.stdout.lines().any(|l| l.trim_end().ends_with('·')),
        "{}",
        r.stdout
    );
}

#[test]
fn no_colour_in_a_pipe_or_when_asked() {
    assert!(
        !coloured(&dashboard(&[]).stdout),
        "a pipe gets no colour by default"
    );
    assert!(coloured(&dashboard(&["--color", "always"]).stdout));
    assert!(!dashboard(&["--color", "never"]).stdout.contains('\x1b'));
}

/// Runs the dashboard on a pseudo-terminal (util-linux `script`), with or without `NO_COLOR`.
fn on_a_terminal(no_color: Option<&str>) -> Option<String> {
    let script = std::path::Path::new("/usr/bin/script");
    if !script.exists() {
        return None;
    }
    let cmd = format!(
        "{} evaluate {} --as-of {AS_OF}",
        env!("CARGO_BIN_EXE_okpi"),
        demo()
    );
    let mut c = std::process::Command::new(script);
    c.args(["-qec", &cmd, "/dev/null"])
        .env_remove("NO_COLOR")
        .stdin(std::process::Stdio::null());
    if let Some(v) = no_color {
        c.env("NO_COLOR", v);
    }
    let out = c.output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn a_terminal_gets_colour_unless_no_color_is_set() {
    let Some(plain_tty) = on_a_terminal(None) else {
        eprintln!("skipped: /usr/bin/script (util-linux) is not installed");
        return;
    };
    assert!(coloured(&plain_tty), "a terminal gets colour");
    assert!(plain_tty.contains("OBJECTIVES AND KEY RESULTS"));
    let no_color = on_a_terminal(Some("1")).unwrap();
    assert!(
        !no_color.contains('\x1b'),
        "NO_COLOR=1 turns colour off:\n{no_color}"
    );
    assert!(no_color.contains("OBJECTIVES AND KEY RESULTS"));
    // An empty NO_COLOR does not count (no-color.org).
    assert!(coloured(&on_a_terminal(Some("")).unwrap()));
}

#[test]
fn help_and_errors_guide_the_user() {
    // The date's format is in the help; --viewer is not offered where there is nothing to filter.
    let help = okpi(&["evaluate", "--help"]).stdout;
    assert!(help.contains("--as-of <YYYY-MM-DD>"), "{help}");
    assert!(help.contains("--all"), "{help}");
    assert!(!okpi(&["advise", "--help"]).stdout.contains("--viewer"));
    for cmd in ["demo", "evaluate", "report", "diagnose", "validate", "alerts"] {
        let h = okpi(&[cmd, "--help"]).stdout;
        assert!(!h.contains("DOMAIN.md") && !h.contains("article"), "{cmd}: {h}");
    }
    // An unknown cycle lists the document's cycles, in the chosen language.
    let r = okpi(&["evaluate", &demo(), "--as-of", AS_OF, "--cycle", "2025Q9"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("the document's cycles: 2026Q1"), "{}", r.stderr);
    let r = okpi(&[
        "evaluate",
        &demo(),
        "--as-of",
        AS_OF,
        "--cycle",
        "2025Q9",
        "--lang",
        "zh",
    ]);
    assert!(
        r.stderr.contains("文档中的周期：2026Q1") && r.stderr.contains("输入中有 1 个问题"),
        "{}",
        r.stderr
    );
    // An unknown viewer is told what --viewer takes.
    let r = okpi(&["evaluate", &demo(), "--as-of", AS_OF, "--viewer", "nobody"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("--viewer takes the id of a person"),
        "{}",
        r.stderr
    );
}
