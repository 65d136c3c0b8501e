//! Evaluates the small demo quarter in `examples/data/quarter.json` and prints one line per objective and key
//! result: `cargo run --release -p okpi --example quarter [FILE] [AS_OF]`.

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let text = match args.get(1) {
        Some(path) => match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("{path}: {e}");
                return ExitCode::from(2);
            }
        },
        None => include_str!("../data/quarter.json").to_owned(),
    };
    let as_of = args.get(2).map(String::as_str).unwrap_or("2026-03-10");
    let Ok(as_of) = chrono::NaiveDate::parse_from_str(as_of, "%Y-%m-%d") else {
        eprintln!("as-of date {as_of} is not YYYY-MM-DD");
        return ExitCode::from(2);
    };
    let model = match okpi::Model::from_json(&text) {
        Ok(m) => m,
        Err(e) => {
            for p in e.problems() {
                eprintln!("{p}");
            }
            return ExitCode::from(2);
        }
    };
    let ev = match okpi::evaluate(&model, as_of, &okpi::Settings::default()) {
        Ok(ev) => ev,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    println!("okpi — as of {as_of}");
    for o in model.objectives() {
        let Some(r) = ev.objective(&o.id) else { continue };
        println!(
            "{} {:>5.1}%  {:<11} score {:.1}  {}",
            bar(r.progress),
            r.progress * 100.0,
            status(r.status),
            r.score,
            o.title
        );
        for kr in model.key_results().filter(|k| k.objective == o.id) {
            let Some(k) = ev.key_result(&kr.id) else { continue };
            println!(
                "    {} {:>5.1}%  {:<11} {}",
                bar(k.progress),
                k.progress * 100.0,
                status(k.status),
                kr.title
            );
        }
    }
    ExitCode::SUCCESS
}

fn bar(p: f64) -> String {
    let filled = (p.clamp(0.0, 1.0) * 20.0).round() as usize;
    format!("[{}{}]", "#".repeat(filled), ".".repeat(20 - filled))
}

fn status(s: okpi::Status) -> &'static str {
    match s {
        okpi::Status::OffTrack => "off track",
        okpi::Status::AtRisk => "at risk",
        okpi::Status::NotStarted => "not started",
        okpi::Status::OnTrack => "on track",
        okpi::Status::Done => "done",
    }
}
