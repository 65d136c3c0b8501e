//! `okr::evaluate_columns` (Python's `evaluate_arrays`) against `okpi::evaluate` on the benchmark's own
//! organisations (org-1k and org-10k: thousands of objectives, deep alignment trees, so the columnar evaluation
//! splits its work into tasks and its dependent objectives into several levels), at as-of dates before, early in,
//! late in and after the quarter and under settings that change the roll-up and status rules: every number bit for
//! bit; and `okr::evaluate_columns_of`'s lean pass (the roll-up's numbers alone) against those columns. With the
//! `parallel` feature (as `make test` runs it), `okr::evaluate_parallel` too, against the same records; and
//! `okpi::evaluate_into`, writing over one evaluation kept through every date and setting, against them. (At
//! org-10k `okpi::evaluate` touches its fresh records' memory on two threads first, `okr::records`; the records
//! over reused memory must be the same.)

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may panic

use okpi::settings::{ObjectiveStatusRule, PrivateRollup};
use okpi::{Evaluation, Model, Settings};
use okpi_bench::{day, generate, Size};

fn assert_same(model: &Model, as_of: chrono::NaiveDate, s: &Settings, what: &str, kept: &mut Evaluation) {
    let ev = okpi::evaluate(model, as_of, s).unwrap();
    okpi::evaluate_into(model, as_of, s, kept).unwrap();
    assert!(*kept == ev, "evaluate_into at {as_of} ({what})");
    let c = okpi::okr::evaluate_columns(model, as_of, s).unwrap();
    #[cfg(feature = "parallel")]
    assert!(
        okpi::okr::evaluate_parallel(model, as_of, s).unwrap() == ev,
        "evaluate_parallel at {as_of} ({what})"
    );
    let (k, o) = (&ev.key_results, &ev.objectives);
    let nan = f64::NAN;
    // Each number column beside the same number read from the records, compared bit for bit.
    let numbers: [(&str, &[f64], Vec<f64>); 9] = [
        (
            "kr_progress",
            &c.kr_progress,
            k.iter().map(|r| r.progress).collect(),
        ),
        (
            "kr_current",
            &c.kr_current,
            k.iter().map(|r| r.current.unwrap_or(nan)).collect(),
        ),
        (
            "kr_expected",
            &c.kr_expected,
            k.iter().map(|r| r.expected).collect(),
        ),
        ("kr_score", &c.kr_score, k.iter().map(|r| r.score).collect()),
        ("kr_weight", &c.kr_weight, k.iter().map(|r| r.weight).collect()),
        (
            "objective_progress",
            &c.objective_progress,
            o.iter().map(|r| r.progress).collect(),
        ),
        (
            "objective_expected",
            &c.objective_expected,
            o.iter().map(|r| r.expected).collect(),
        ),
        (
            "objective_score",
            &c.objective_score,
            o.iter().map(|r| r.score).collect(),
        ),
        (
            "objective_confidence",
            &c.objective_confidence,
            o.iter().map(|r| r.confidence.unwrap_or(nan)).collect(),
        ),
    ];
    for (name, column, records) in numbers {
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<u64>>();
        assert_eq!(bits(column), bits(&records), "{name} at {as_of} ({what})");
    }
    let kr_status: Vec<_> = k.iter().map(|r| r.status).collect();
    assert_eq!(c.kr_status, kr_status, "kr_status at {as_of} ({what})");
    let objective_status: Vec<_> = o.iter().map(|r| r.status).collect();
    assert_eq!(
        c.objective_status, objective_status,
        "objective_status at {as_of} ({what})"
    );
    // The lean pass (the roll-up's own numbers alone), split into tasks and levels as the full one.
    use okpi::okr::Column::{KrCurrent, KrProgress, KrWeight, ObjectiveProgress};
    let asked = [KrCurrent, KrProgress, KrWeight, ObjectiveProgress];
    let lean = okpi::okr::evaluate_columns_of(model, as_of, s, &asked).unwrap();
    let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<u64>>();
    for (name, got, want) in [
        ("kr_current", &lean.kr_current, &c.kr_current),
        ("kr_progress", &lean.kr_progress, &c.kr_progress),
        ("kr_weight", &lean.kr_weight, &c.kr_weight),
        (
            "objective_progress",
            &lean.objective_progress,
            &c.objective_progress,
        ),
    ] {
        assert_eq!(bits(got), bits(want), "lean {name} at {as_of} ({what})");
    }
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
    let mut kept = okpi::evaluate(&model, day(1), &Settings::default()).unwrap();
    for (s, what) in settings() {
        for &d in days {
            let as_of = if d < 0 {
                day(0) - chrono::Days::new(d.unsigned_abs())
            } else {
                day(d.unsigned_abs())
            };
            assert_same(&model, as_of, &s, what, &mut kept);
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
