//! Every okpi bench over the synthetic organisation: `cargo bench -p okpi-bench` runs them all.
//!
//! Sizes come from `OKPI_BENCH_SIZES` (comma-separated, default `org-1k,org-10k,org-100k`); JSON parsing runs on
//! the two smaller sizes only (its MB/s does not depend on size, and org-100k's text is over a gigabyte).
//! Criterion's own flags work as usual, e.g. `cargo bench -p okpi-bench -- evaluate --sample-size 10`.
//! Parsing, validation and evaluation are timed without freeing their (large) results afterwards.

// A bench whose setup fails must stop, as a test does; criterion's macros generate undocumented functions.
#![allow(clippy::panic, missing_docs)]

use criterion::{criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion, Throughput};
use okpi::model::CheckIn;
use okpi_bench::{alert_series, as_of, generate, monthly_tree, scorecard_request, Size};
use std::time::Duration;

const SEED: u64 = 42;

fn sizes() -> Vec<Size> {
    let list = std::env::var("OKPI_BENCH_SIZES").unwrap_or_else(|_| "org-1k,org-10k,org-100k".into());
    list.split(',').filter_map(|s| Size::parse(s.trim())).collect()
}

fn benches(c: &mut Criterion) {
    for size in sizes() {
        let name = size.name();
        let doc = generate(size, SEED);
        let shape = size.shape();

        if size != Size::Org100k {
            let text = doc.to_json();
            let mut g = c.benchmark_group("json_parse");
            g.throughput(Throughput::Bytes(text.len() as u64));
            g.bench_function(BenchmarkId::from_parameter(name), |b| {
                b.iter_with_large_drop(|| okpi::Document::from_json(&text))
            });
            g.finish();
        }

        let mut g = c.benchmark_group("validate");
        g.throughput(Throughput::Elements(
            (shape.objectives + shape.key_results + shape.check_ins + shape.observations()) as u64,
        ));
        g.bench_function(BenchmarkId::from_parameter(name), |b| {
            b.iter_batched(|| doc.clone(), okpi::Model::new, BatchSize::PerIteration)
        });
        g.finish();

        let mut model = match okpi::Model::new(doc) {
            Ok(m) => m,
            Err(e) => panic!("{name} must validate: {e}"),
        };
        let settings = okpi::Settings::default();

        let mut g = c.benchmark_group("evaluate");
        g.throughput(Throughput::Elements(
            (shape.objectives + shape.key_results) as u64,
        ));
        g.bench_function(BenchmarkId::from_parameter(name), |b| {
            b.iter_with_large_drop(|| okpi::evaluate(&model, as_of(), &settings))
        });
        // Re-evaluation over an evaluation kept in memory (no fresh pages to fault in).
        let mut kept = okpi::evaluate(&model, as_of(), &settings);
        g.bench_function(BenchmarkId::new("into", name), |b| {
            b.iter(|| {
                kept.as_mut()
                    .is_ok_and(|kept| okpi::evaluate_into(&model, as_of(), &settings, kept).is_ok())
            })
        });
        #[cfg(feature = "parallel")]
        g.bench_function(BenchmarkId::new("parallel", name), |b| {
            b.iter_with_large_drop(|| okpi::okr::evaluate_parallel(&model, as_of(), &settings))
        });
        g.finish();

        // Viewer filtering of the evaluation (DOMAIN.md §9): a manager of a level-2 unit and an employee.
        let full = match okpi::evaluate(&model, as_of(), &settings) {
            Ok(e) => e,
            Err(e) => panic!("{name} must evaluate: {e}"),
        };
        let manager = model
            .org_units()
            .find(|u| model.unit_chain(&u.id).len() == 3)
            .and_then(|u| u.manager.clone())
            .unwrap_or_default();
        let employee = model.people().last().map(|p| p.id.clone()).unwrap_or_default();
        let mut g = c.benchmark_group("viewer_filter");
        g.throughput(Throughput::Elements(
            (shape.objectives + shape.key_results) as u64,
        ));
        for (who, person) in [("manager", &manager), ("employee", &employee)] {
            let viewer = okpi::access::Viewer::new(person.as_str());
            g.bench_function(BenchmarkId::new(who, name), |b| {
                b.iter_batched(
                    || full.clone(),
                    |ev| okpi::access::filter(ev, &model, &viewer),
                    BatchSize::LargeInput,
                )
            });
        }
        g.finish();
        drop(full);

        // One check-in on a person's key result: its objective and every unit objective above it re-roll.
        let mut ev = match okpi::evaluate(&model, as_of(), &settings) {
            Ok(e) => e,
            Err(e) => panic!("{name} must evaluate: {e}"),
        };
        let kr = model
            .key_results()
            .find(|k| k.kind == okpi::model::KrKind::Increase && k.objective.starts_with("op"))
            .map(|k| k.id.clone())
            .unwrap_or_default();
        let mut g = c.benchmark_group("check_in");
        g.bench_function(BenchmarkId::from_parameter(name), |b| {
            b.iter_batched(
                || CheckIn {
                    key_result: kr.clone(),
                    date: as_of(),
                    value: Some(42.0),
                    confidence: Some(6.0),
                    note: None,
                },
                |ci| ev.apply_check_in(&mut model, ci).map(|ids| ids.len()),
                BatchSize::SmallInput,
            )
        });
        g.finish();
        // The bench added check-ins; start again from the generated model for the rest.
        let model = match okpi::Model::new(generate(size, SEED)) {
            Ok(m) => m,
            Err(e) => panic!("{name} must validate: {e}"),
        };

        let mut g = c.benchmark_group("kpi_monthly_tree");
        g.throughput(Throughput::Elements(shape.observations() as u64));
        g.bench_function(BenchmarkId::from_parameter(name), |b| {
            b.iter(|| monthly_tree(&model).ok())
        });
        g.finish();

        let req = scorecard_request();
        let mut g = c.benchmark_group("scorecards");
        g.throughput(Throughput::Elements(shape.units as u64));
        g.bench_function(BenchmarkId::from_parameter(name), |b| {
            b.iter(|| okpi::hybrid::scorecards(&model, &req).map(|r| r.scorecards.len()))
        });
        g.finish();

        let ev = match okpi::evaluate(&model, as_of(), &settings) {
            Ok(e) => e,
            Err(e) => panic!("{name} must evaluate: {e}"),
        };
        let mut g = c.benchmark_group("diagnose");
        g.throughput(Throughput::Elements(shape.objectives as u64));
        g.bench_function(BenchmarkId::from_parameter(name), |b| {
            b.iter(|| okpi::diagnose::diagnose(&model, &ev, &Default::default()).map(|d| d.findings.len()))
        });
        g.finish();
        drop(ev);

        // The strategy view (top objectives, their key results, the supporting KPI targets with their alert
        // levels), and the document's alert rules over the quarter so far.
        let strategy = okpi::hybrid::StrategySettings::default();
        let mut g = c.benchmark_group("strategy_view");
        g.bench_function(BenchmarkId::from_parameter(name), |b| {
            b.iter(|| okpi::strategy_view(&model, as_of(), &strategy).map(|v| v.objectives.len()))
        });
        g.finish();
        let mut g = c.benchmark_group("alert_rules");
        g.bench_function(BenchmarkId::from_parameter(name), |b| {
            b.iter(|| {
                okpi::alert::evaluate_rules(&model, okpi_bench::day(0), as_of(), &Default::default())
                    .map(|r| r.alerts.len())
            })
        });
        g.finish();
        drop(model);

        let series = alert_series(size, SEED);
        let steps: usize = series.iter().map(|s| s.observations.len()).sum();
        let mut g = c.benchmark_group("alerts");
        g.throughput(Throughput::Elements(steps as u64));
        g.bench_function(BenchmarkId::from_parameter(name), |b| {
            b.iter(|| {
                series
                    .iter()
                    .map(|s| {
                        okpi::alert::evaluate_series(&s.rule, Default::default(), &s.observations)
                            .1
                            .len()
                    })
                    .sum::<usize>()
            })
        });
        // The threshold conditions alone (above, below, outside, below_target): no window to sort.
        let threshold: Vec<&okpi_bench::Series> = series
            .iter()
            .filter(|s| {
                use okpi::alert::Condition::*;
                matches!(
                    s.rule.condition,
                    Above | Below | Outside | Inside | BelowTarget { .. }
                )
            })
            .collect();
        let threshold_steps: usize = threshold.iter().map(|s| s.observations.len()).sum();
        g.throughput(Throughput::Elements(threshold_steps as u64));
        g.bench_function(BenchmarkId::new("threshold", name), |b| {
            b.iter(|| {
                threshold
                    .iter()
                    .map(|s| {
                        okpi::alert::evaluate_series(&s.rule, Default::default(), &s.observations)
                            .1
                            .len()
                    })
                    .sum::<usize>()
            })
        });
        g.throughput(Throughput::Elements(steps as u64));
        #[cfg(feature = "parallel")]
        g.bench_function(BenchmarkId::new("parallel", name), |b| {
            let batch: Vec<(&okpi::alert::Rule, &[okpi::alert::AlertObservation])> = series
                .iter()
                .map(|s| (&s.rule, s.observations.as_slice()))
                .collect();
            b.iter(|| {
                okpi::alert::evaluate_many(&batch)
                    .iter()
                    .map(|(_, e)| e.len())
                    .sum::<usize>()
            })
        });
        g.finish();
    }
}

fn config() -> Criterion {
    Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5))
        .configure_from_args()
}

criterion_group! {
    name = all;
    config = config();
    targets = benches
}
criterion_main!(all);
