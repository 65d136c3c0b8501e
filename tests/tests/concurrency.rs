//! A `Model` is `Send + Sync` (the core also holds this at compile time), and one model evaluated from 8 threads
//! at once gives exactly the results of one thread.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use chrono::NaiveDate;

const QUARTER: &str = include_str!("../../examples/data/quarter.json");

const fn send_sync<T: Send + Sync>() {}
const _: () = send_sync::<okpi::Model>();

/// Everything one thread computes from the shared model: evaluations at several dates and the diagnosis.
fn work(model: &okpi::Model) -> Vec<String> {
    let mut out = Vec::new();
    for day in [1, 15, 31] {
        for month in 1..=3 {
            let Some(as_of) = NaiveDate::from_ymd_opt(2026, month, day) else {
                continue;
            };
            let ev = okpi::evaluate(model, as_of, &okpi::Settings::default()).unwrap();
            let diagnosis = okpi::diagnose::diagnose(model, &ev, &Default::default()).unwrap();
            out.push(ev.to_json());
            out.push(serde_json::to_string(&diagnosis).unwrap());
        }
    }
    out
}

#[test]
fn one_model_evaluated_from_8_threads_at_once_gives_one_threads_results() {
    let model = okpi::Model::from_json(QUARTER).unwrap();
    let alone = work(&model);
    let start = std::sync::Barrier::new(8);
    let results: Vec<Vec<Vec<String>>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..8)
            .map(|_| {
                s.spawn(|| {
                    start.wait(); // all eight start together
                    (0..5).map(|_| work(&model)).collect::<Vec<_>>()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for (i, runs) in results.iter().enumerate() {
        for r in runs {
            assert_eq!(r, &alone, "thread {i} differs");
        }
    }
}
