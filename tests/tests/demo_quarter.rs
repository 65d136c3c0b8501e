//! The demo quarter of `examples/data/quarter.json`, checked against hand arithmetic.
//! as_of 2026-03-10 is day 69 of the 90-day quarter: expected = 69/90 = 0.7667.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // tests may panic

const DEMO: &str = include_str!("../../examples/data/quarter.json");

#[test]
fn the_demo_quarter_matches_hand_arithmetic() {
    let model = okpi::Model::from_json(DEMO).unwrap();
    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 3, 10).unwrap();
    let ev = okpi::evaluate(&model, as_of, &okpi::Settings::default()).unwrap();
    let p = |id: &str| {
        ev.key_result(id)
            .map(|k| k.progress)
            .or_else(|| ev.objective(id).map(|o| o.progress))
            .unwrap()
    };
    let close = |a: f64, b: f64| assert!((a - b).abs() < 1e-9, "{a} vs {b}");
    close(p("g1.kr1"), 8.0 / 15.0); // (48 − 40) / (55 − 40)
    close(p("g1.kr2"), 0.7); // (71 − 50) / (80 − 50)
    close(p("g1.kr3"), 1.0); // 29 ≤ 30
    close(p("g1"), (2.0 * 8.0 / 15.0 + 0.7 + 1.0) / 4.0); // weights 2, 1, 1
    close(p("i1.kr1"), 5.0 / 12.0); // target lowered to 12 on 2026-02-15
    close(
        ev.key_result("i1.kr1").unwrap().progress_original.get().unwrap(),
        0.25,
    ); // 5 / 20
    close(p("i1.kr2"), 0.75); // steps of weight 1 and 2 done out of 4
    close(p("i1"), (5.0 / 12.0 + 0.75) / 2.0);
    close(p("c1"), (0.4 / 0.9 + 2.0 * p("g1") + p("i1")) / 4.0); // both: own KR (1) + g1 (2) + i1 (1)
    assert_eq!(ev.objective("g1").unwrap().status, okpi::Status::AtRisk); // worst KR: g1.kr1 0.533 ≥ 0.767 − 0.25
    assert_eq!(ev.key_result("c1.kr1").unwrap().status, okpi::Status::OffTrack); // 0.444 < 0.517
    assert_eq!(
        ev.key_result("i1.kr1").unwrap().confidence_band,
        Some(okpi::report::ConfidenceBand::Low)
    ); // 3 < 4
}
