//! `okpi-bench`: writes a synthetic organisation as JSON, or runs the whole pipeline on one and reports times and
//! peak memory.
//!
//! ```text
//! okpi-bench generate --size org-10k --out org-10k.json [--seed 42]
//! okpi-bench pipeline --size org-100k [--seed 42] [--json]
//! okpi-bench time --doc org-10k.json [--repeat 5]
//! okpi-bench repeat --size org-10k --out validate --repeat 20
//! ```
//!
//! `repeat` generates once and runs one stage (named by `--out`) many times, for a profiler to watch.
//!
//! `time` prints, as JSON, the median milliseconds of parsing, validating, evaluating and the monthly KPI
//! aggregation over the tree for a document file, so the Python scripts can compare with Rust on the same data.

use okpi_bench::{as_of, generate, Size};
use std::time::Instant;

const USAGE: &str =
    "okpi-bench: a seeded synthetic organisation to benchmark okpi on. Sizes are named by people:
org-1k is 1,000 people (50 units, 2,000 objectives, 7,000 key results), org-10k 10,000, org-100k 100,000.

usage: okpi-bench generate --size org-1k|org-10k|org-100k --out FILE [--seed N]
       okpi-bench pipeline --size org-1k|org-10k|org-100k [--seed N] [--json]
       okpi-bench time --doc FILE [--repeat N]
       okpi-bench repeat --size SIZE --out parse|validate|evaluate|evaluate_into|evaluate_columns|monthly|alerts|scorecards|diagnose [--repeat N]
       (with the `parallel` feature, also --out evaluate_parallel)";

struct Args {
    command: String,
    size: Size,
    seed: u64,
    out: Option<String>,
    doc: Option<String>,
    repeat: usize,
    json: bool,
}

fn parse(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    let command = args.next().ok_or("no command")?;
    let mut parsed = Args {
        command,
        size: Size::Org1k,
        seed: 42,
        out: None,
        doc: None,
        repeat: 5,
        json: false,
    };
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--size" => {
                let v = value()?;
                parsed.size = Size::parse(&v).ok_or(format!("unknown size {v}"))?;
            }
            "--seed" => parsed.seed = value()?.parse().map_err(|e| format!("--seed: {e}"))?,
            "--out" => parsed.out = Some(value()?),
            "--doc" => parsed.doc = Some(value()?),
            "--repeat" => parsed.repeat = value()?.parse().map_err(|e| format!("--repeat: {e}"))?,
            "--json" => parsed.json = true,
            other => return Err(format!("unknown flag {other}")),
        }
    }
    Ok(parsed)
}

fn main() {
    if std::env::args()
        .nth(1)
        .is_some_and(|a| matches!(a.as_str(), "--help" | "-h" | "help"))
    {
        println!("{USAGE}");
        return;
    }
    let args = match parse(std::env::args().skip(1)) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("okpi-bench: {e}\n{USAGE}");
            std::process::exit(2);
        }
    };
    let result = match args.command.as_str() {
        "generate" => write(&args),
        "pipeline" => pipeline(&args),
        "time" => time(&args),
        "repeat" => repeat(&args),
        other => Err(format!("unknown command {other}\n{USAGE}")),
    };
    if let Err(e) = result {
        eprintln!("okpi-bench: {e}");
        std::process::exit(1);
    }
}

fn write(args: &Args) -> Result<(), String> {
    let out = args.out.as_deref().ok_or("generate needs --out FILE")?;
    let doc = generate(args.size, args.seed);
    let file = std::fs::File::create(out).map_err(|e| format!("{out}: {e}"))?;
    serde_json::to_writer(std::io::BufWriter::with_capacity(1 << 20, file), &doc)
        .map_err(|e| format!("{out}: {e}"))?;
    let bytes = std::fs::metadata(out).map(|m| m.len()).unwrap_or(0);
    eprintln!("wrote {out}: {} ({:.1} MB)", args.size.name(), bytes as f64 / 1e6);
    Ok(())
}

/// Peak resident memory of this process so far (Linux `VmHWM`), in MB.
fn peak_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

/// Runs generate (or parse) → validate → evaluate → KPI aggregation → scorecards → alerts → diagnostics once,
/// printing each stage's time and the peak memory after it.
fn pipeline(args: &Args) -> Result<(), String> {
    let stage = |name: &str, t: Instant| {
        println!(
            "{name:<28} {:>9.1} ms   peak {:>8.0} MB",
            t.elapsed().as_secs_f64() * 1e3,
            peak_mb()
        );
    };
    let t = Instant::now();
    let doc = if args.json {
        let text = serde_json::to_string(&generate(args.size, args.seed)).map_err(|e| e.to_string())?;
        stage("generate + to JSON", t);
        let t = Instant::now();
        let doc = okpi::Document::from_json(&text).map_err(|e| e.to_string())?;
        drop(text);
        stage("parse JSON", t);
        doc
    } else {
        let doc = generate(args.size, args.seed);
        stage("generate", t);
        doc
    };
    let t = Instant::now();
    let model = okpi::Model::new(doc).map_err(|e| e.to_string())?;
    stage("validate", t);
    let t = Instant::now();
    let mut ev = okpi::evaluate(&model, as_of(), &okpi::Settings::default()).map_err(|e| e.to_string())?;
    stage("evaluate", t);
    let t = Instant::now();
    okpi::evaluate_into(&model, as_of(), &okpi::Settings::default(), &mut ev).map_err(|e| e.to_string())?;
    stage("evaluate again (into)", t);
    let t = Instant::now();
    let cells = okpi_bench::monthly_tree(&model).map_err(|e| e.to_string())?;
    stage("monthly KPI over the tree", t);
    let t = Instant::now();
    let req = okpi_bench::scorecard_request();
    let cards = okpi::hybrid::scorecards(&model, &req).map_err(|e| e.to_string())?;
    stage("scorecards", t);
    let t = Instant::now();
    let series = okpi_bench::alert_series(args.size, args.seed);
    stage("alert series", t);
    let t = Instant::now();
    let events: usize = series
        .iter()
        .map(|s| {
            okpi::alert::evaluate_series(&s.rule, Default::default(), &s.observations)
                .1
                .len()
        })
        .sum();
    stage("alerts", t);
    let t = Instant::now();
    let diagnosis = okpi::diagnose::diagnose(&model, &ev, &Default::default()).map_err(|e| e.to_string())?;
    stage("diagnostics", t);
    let t = Instant::now();
    let view = okpi::strategy_view(&model, as_of(), &Default::default()).map_err(|e| e.to_string())?;
    stage("strategy view", t);
    let t = Instant::now();
    let rules = okpi::alert::evaluate_rules(&model, okpi_bench::day(0), as_of(), &Default::default())
        .map_err(|e| e.to_string())?;
    stage("document alert rules", t);
    println!(
        "{}: {} key results, {} cells, {} scorecards, {} alert events, {} findings, {} top objectives, {} rules; \
         peak {:.0} MB",
        args.size.name(),
        ev.key_results.len(),
        cells,
        cards.scorecards.len(),
        events,
        diagnosis.findings.len(),
        view.objectives.len(),
        rules.alerts.len(),
        peak_mb()
    );
    Ok(())
}

/// The median of `repeat` runs of `f`, in milliseconds.
fn median_ms<T>(repeat: usize, mut f: impl FnMut() -> T) -> f64 {
    let mut times: Vec<f64> = (0..repeat.max(1))
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(f());
            t.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times.get(times.len() / 2).copied().unwrap_or(0.0)
}

/// The median of `repeat` runs of `f` over a fresh `setup()` each, in milliseconds (the setup is not timed).
fn median_ms_with<S, T>(repeat: usize, mut setup: impl FnMut() -> S, mut f: impl FnMut(S) -> T) -> f64 {
    let mut times: Vec<f64> = (0..repeat.max(1))
        .map(|_| {
            let input = setup();
            let t = Instant::now();
            std::hint::black_box(f(input));
            t.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times.get(times.len() / 2).copied().unwrap_or(0.0)
}

fn time(args: &Args) -> Result<(), String> {
    let path = args.doc.as_deref().ok_or("time needs --doc FILE")?;
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    let doc = okpi::Document::from_json(&text).map_err(|e| e.to_string())?;
    let model = okpi::Model::new(doc.clone()).map_err(|e| e.to_string())?;
    let settings = okpi::Settings::default();
    let n = args.repeat;
    let parse = median_ms(n, || okpi::Document::from_json(&text).is_ok());
    let validate = median_ms_with(n, || doc.clone(), |d| okpi::Model::new(d).is_ok());
    let evaluate = median_ms(n, || okpi::evaluate(&model, as_of(), &settings).is_ok());
    // What a binding that hands results over as JSON pays: the evaluation and its JSON text.
    let evaluate_json = median_ms(n, || {
        okpi::evaluate(&model, as_of(), &settings).is_ok_and(|ev| !ev.to_json().is_empty())
    });
    let monthly = median_ms(n, || okpi_bench::monthly_tree(&model).is_ok());
    let out = serde_json::json!({
        "bytes": text.len(), "parse_ms": parse, "validate_ms": validate, "evaluate_ms": evaluate,
        "evaluate_json_ms": evaluate_json,
        "monthly_tree_ms": monthly, "as_of": as_of().to_string(),
    });
    println!("{out}");
    Ok(())
}

fn repeat(args: &Args) -> Result<(), String> {
    let stage = args.out.as_deref().ok_or("repeat needs --out STAGE")?;
    let doc = generate(args.size, args.seed);
    let model = okpi::Model::new(doc.clone()).map_err(|e| e.to_string())?;
    let settings = okpi::Settings::default();
    let ev = okpi::evaluate(&model, as_of(), &settings).map_err(|e| e.to_string())?;
    let series = if stage == "alerts" {
        okpi_bench::alert_series(args.size, args.seed)
    } else {
        Vec::new()
    };
    // Re-evaluation writes over an evaluation already in memory, as a service keeping one would.
    let mut kept = (stage == "evaluate_into").then(|| ev.clone());
    let req = okpi_bench::scorecard_request();
    let text = if stage == "parse" {
        doc.to_json()
    } else {
        String::new()
    };
    let ms = median_ms(args.repeat, || match stage {
        "parse" => okpi::Document::from_json(&text).is_ok(),
        "validate" => okpi::Model::new(doc.clone()).is_ok(), // the clone is timed too: `time` leaves it out
        "evaluate" => okpi::evaluate(&model, as_of(), &settings).is_ok(),
        "evaluate_into" => kept
            .as_mut()
            .is_some_and(|kept| okpi::evaluate_into(&model, as_of(), &settings, kept).is_ok()),
        "evaluate_columns" => okpi::okr::evaluate_columns(&model, as_of(), &settings).is_ok(),
        #[cfg(feature = "parallel")]
        "evaluate_parallel" => okpi::okr::evaluate_parallel(&model, as_of(), &settings).is_ok(),
        "monthly" => okpi_bench::monthly_tree(&model).is_ok(),
        "scorecards" => okpi::hybrid::scorecards(&model, &req).is_ok(),
        "diagnose" => okpi::diagnose::diagnose(&model, &ev, &Default::default()).is_ok(),
        "strategy" => okpi::strategy_view(&model, as_of(), &Default::default()).is_ok(),
        "rules" => {
            okpi::alert::evaluate_rules(&model, okpi_bench::day(0), as_of(), &Default::default()).is_ok()
        }
        _ => {
            series
                .iter()
                .map(|s| {
                    okpi::alert::evaluate_series(&s.rule, Default::default(), &s.observations)
                        .1
                        .len()
                })
                .sum::<usize>()
                > 0
        }
    });
    println!("{stage} on {}: median {ms:.1} ms", args.size.name());
    Ok(())
}
