//! `okr::evaluate_columns` (Python's `evaluate_arrays`) against `okpi::evaluate` on the benchmark's own
//! organisations (org-1k and org-10k: thousands of objectives, deep alignment trees, so the columnar evaluation
//! splits its work into tasks and its dependent objectives into several levels), at as-of dates before, early in,
//! late in and after the quarter and under settings that change the roll-up and status rules: every number bit for
//! bit.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may panic

use okpi::settings::{ObjectiveStatusRule, PrivateRollup};
use okpi::{Model, Settings};
use okpi_bench::{day, generate, Size};

fn bits(v: impl Iterator<Item = f64>) -> Vec<u64> {
    v.map(f64::to_bits).collect()
}

fn assert_same(model: &Model, as_of: chrono::NaiveDate, s: &Settings, what: &str) {
    let ev = okpi::evaluate(model, as_of, s).unwrap();
    let c = okpi::okr::evaluate_columns(model, as_of, s).unwrap();
    let (k, o) = (&ev.key_results, &ev.objectives);
    let nan = f64::NAN;
    let at = |name: &str| format!("{name} at {as_of} ({what})");
    assert_eq!(
        bits(c.kr_progress.iter().copied()),
        bits(k.iter().map(|r| r.progress)),
        "{}",
        at("kr_progress")
    );
    assert_eq!(
        bits(c.kr_current.iter().copied()),
        bits(k.iter().map(|r| r.current.unwrap_or(nan))),
        "{}",
        at("kr_current")
    );
    assert_eq!(
        bits(c.kr_expected.iter().copied()),
        bits(k.iter().map(|r| r.expected)),
        "{}",
        at("kr_expected")
    );
    assert_eq!(
        bits(c.kr_score.iter().copied()),
        bits(k.iter().map(|r| r.score)),
        "{}",
        at("kr_score")
    );
    assert_eq!(
        bits(c.kr_weight.iter().copied()),
        bits(k.iter().map(|r| r.weight)),
        "{}",
        at("kr_weight")
    );
    assert_eq!(
        c.kr_status,
        k.iter().map(|r| r.status).collect::<Vec<_>>(),
        "{}",
        at("kr_status")
    );
    let progress = bits(o.iter().map(|r| r.progress));
    assert_eq!(
        bits(c.objective_progress.iter().copied()),
        progress,
        "{}",
        at("objective_progress")
    );
    assert_eq!(
        bits(c.objective_expected.iter().copied()),
        bits(o.iter().map(|r| r.expected)),
        "{}",
        at("objective_expected")
    );
    assert_eq!(
        bits(c.objective_score.iter().copied()),
        bits(o.iter().map(|r| r.score)),
        "{}",
        at("objective_score")
    );
    assert_eq!(
        bits(c.objective_confidence.iter().copied()),
        bits(o.iter().map(|r| r.confidence.unwrap_or(nan))),
        "{}",
        at("objective_confidence")
    );
    assert_eq!(
        c.objective_status,
        o.iter().map(|r| r.status).collect::<Vec<_>>(),
        "{}",
        at("objective_status")
    );
}

fn settings() -> Vec<(Settings, &'static str)> {
    let mut from_progress = Settings::default();
    from_progress.objective_status = ObjectiveStatusRule::FromProgress;
    let mut private = Settings::default();
    private.private_rollup = PrivateRollup::Exclude;
    private.allow_negative = true;
    vec![
        (Settings::default(), "default settings"),
        (from_progress, "objective status from progress"),
        (private, "private children excluded, negative progress"),
    ]
}

fn check(size: Size, days: &[i64]) {
    let model = Model::new(generate(size, 42)).unwrap();
    for (s, what) in settings() {
        for &d in days {
            let as_of = if d < 0 {
                day(0) - chrono::Days::new(d.unsigned_abs())
            } else {
                day(d.unsigned_abs())
            };
            assert_same(&model, as_of, &s, what);
        }
    }
}

#[test]
fn columns_equal_the_records_at_org_1k() {
    check(Size::Org1k, &[-5, 0, 10, 45, 79, 89, 120]);
}

#[test]
fn columns_equal_the_records_at_org_10k() {
    check(Size::Org10k, &[3, 50, 79]);
}
