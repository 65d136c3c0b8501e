//! One function per subcommand: read the input, call the library, print or write the result, and pick the exit
//! code.

use crate::analysis::{analyse, Depth, Request};
use crate::fail::{Failure, EXIT_FINDINGS};
use crate::i18n::{label as l, Lang, Tx};
use crate::input::{self, Input, Loaded};
use crate::labels::number as num;
use crate::progress::Progress;
use crate::sanitize::term;
use crate::style::{Style, Tone};
use chrono::NaiveDate;
use clap::ValueEnum;
use okpi::access::{AccessSettings, View, ViewRequest, Viewer};
use okpi::alert::{AlertSeverity, EventKind};
use okpi::api::{call, Answer, Call};
use okpi::decide::AdvisorSettings;
use okpi::diagnose::Severity;
use okpi::{Code, Settings};
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

/// Text for people or the library's JSON for programs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A readable summary.
    Text,
    /// The library's result as JSON.
    Json,
}

/// The level at or above which `diagnose` exits with 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FindingLevel {
    /// Any finding.
    Info,
    /// Warnings and errors.
    Warning,
    /// Errors only.
    Error,
}

/// The alert severity at or above which `alerts` exits with 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AlertLevel {
    /// Any alert that fired.
    Warning,
    /// Critical alerts only.
    Critical,
}

/// What every command takes: the language, the terminal style and the viewer.
pub struct Context<'a> {
    /// Language of labels.
    pub lang: Lang,
    /// Colour or plain.
    pub style: Style,
    /// The person whose view to show, if any.
    pub viewer: Option<&'a str>,
    /// Every row of the dashboard's lists (`--all`), not only the first.
    pub all: bool,
}

/// Writes `text` to stdout and flushes it; a closed pipe (`okpi … | head`) ends the output quietly, any other
/// failure (a full disk) is an output failure (exit 3).
fn print(text: &str) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Failure::Output(format!("cannot write to standard output: {e}")))
        }
        _ => Ok(()),
    }
}

/// Serialises a library result as pretty JSON.
fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string_pretty(value).unwrap_or_else(|_| String::from("null")) + "\n"
}

fn write_file(path: &Path, text: &str) -> Result<(), Failure> {
    std::fs::write(path, text)
        .map_err(|e| Failure::Output(format!("cannot write {}: {e}", term(&path.display().to_string()))))
}

fn settings(file: Option<&str>) -> Result<Settings, Failure> {
    let Some(file) = file else {
        return Ok(Settings::default());
    };
    let (text, _) = input::read_text(file)?;
    let tree = input::parse_tree(&text, file)?;
    let settings: Settings = input::typed(&tree, "$.settings", file)?;
    settings.check().map_err(|e| {
        let mut f = Failure::from(e);
        if let Failure::Invalid(ps) = &mut f {
            for p in ps {
                p.origin = Some(file.to_owned());
            }
        }
        f
    })?;
    Ok(settings)
}

fn read(file: &str, progress: &mut Progress) -> Result<(Loaded, okpi::Model), Failure> {
    progress.step("reading");
    let input = input::read_file(file)?;
    progress.step("validating");
    input.into_model(okpi::Model::new)
}

/// The viewer `person` resolved against the document (`okpi::access`); an unknown person is `E_UNKNOWN_ID` at
/// `$.viewer.person` and reveals nothing.
fn view<'a>(input: &'a Input, person: &str) -> Result<View<'a>, Failure> {
    View::from_document(&input.document, &Viewer::new(person), &AccessSettings::default()).map_err(|e| {
        let mut f = Failure::from(e);
        if let Failure::Invalid(ps) = &mut f {
            for p in ps.iter_mut().filter(|p| p.problem.path == "$.viewer.person") {
                p.problem.message.push_str(
                    " (--viewer takes the id of a person in the document's `people`, e.g. `--viewer p17`; \
                     `okpi validate FILE --format json` lists them)",
                );
            }
        }
        f
    })
}

/// Runs one call of the library's call layer (`okpi::api`), as Python and C do: the dates, the settings' checks,
/// the viewer's filtering and the error's kind are the library's.
fn ask(model: &okpi::Model, c: Call) -> Result<Answer, Failure> {
    Ok(okpi::api::call(model, c)?)
}

/// The failure of a call answered with another op's answer (the call layer answers each op with its own).
fn other_answer(op: &str) -> Failure {
    Failure::one(
        Code::E_INVALID_VALUE,
        "$.op",
        None,
        format!("the library answered `{op}` with another operation's answer"),
    )
}

/// Reads and validates `file` for an optional viewer: the viewer is checked first, and the problems of a document
/// that does not validate are filtered for them too (`okpi::access::validate_for`, as `run_as` does).
fn read_as(
    file: &str,
    viewer: Option<&str>,
    progress: &mut Progress,
) -> Result<(Loaded, okpi::Model), Failure> {
    let Some(person) = viewer else {
        return read(file, progress);
    };
    progress.step("reading");
    let input = input::read_file(file)?;
    progress.step("validating");
    view(&input, person)?;
    let request = ViewRequest::new(person);
    input.into_model(|doc| okpi::access::validate_for(doc, &okpi::Limits::default(), &request))
}

/// Steps of an analysis before the weekly snapshots: read, validate, evaluate, score, alerts, diagnose, strategy view, trends,
/// render.
const STEPS: usize = 9;

/// `okpi demo`.
pub fn demo(as_of: Option<NaiveDate>, html: &Path, ctx: &Context<'_>) -> Result<ExitCode, Failure> {
    let (lang, style) = (ctx.lang, ctx.style);
    let mut progress = Progress::new(STEPS + 13);
    let (input, model) = crate::demo::input()?.into_model(okpi::Model::new)?;
    let req = Request {
        as_of: as_of.unwrap_or_else(crate::demo::as_of),
        settings: Settings::default(),
        cycle: None,
        depth: Depth::Report,
        lang: ctx.lang,
    };
    let mut a = analyse(&input, model, &req, &mut progress)?;
    if let Some(person) = ctx.viewer {
        a.restrict(person)?;
    }
    progress.step("writing the report");
    let page = crate::report::render(&a, lang);
    progress.finish();
    print(&crate::dashboard::render(
        &a,
        lang,
        style,
        crate::dashboard::Rows::new(ctx.all),
    ))?;
    write_file(html, &page)?;
    let _ = writeln!(
        std::io::stderr(),
        "\n{} {} ({} KB)",
        lang.t(Tx("report written to", "报告已写入")),
        term(&html.display().to_string()),
        page.len().div_ceil(1024)
    );
    Ok(ExitCode::SUCCESS)
}

/// `okpi validate`.
pub fn validate(file: &str, format: Format, ctx: &Context<'_>) -> Result<ExitCode, Failure> {
    let outcome = read_as(file, ctx.viewer, &mut Progress::new(2)).map(|(input, model)| (model, input));
    match (outcome, format) {
        // A viewer learns that the document is valid, and nothing of what it holds (not even how much).
        (Ok(_), Format::Json) if ctx.viewer.is_some() => print(&json(&serde_json::json!({ "valid": true })))?,
        (Ok(_), Format::Text) if ctx.viewer.is_some() => print(&format!("ok: {} is valid\n", term(file)))?,
        (Ok((model, _)), Format::Json) => print(&json(&model.to_document()))?,
        (Ok((model, input)), Format::Text) => {
            let d = input.counts;
            print(&format!(
                "ok: {} is valid: {} objectives, {} key results, {} check-ins, {} metrics, {} observations, \
                 {} targets, {} scorecards, {} alert rules\n",
                term(file),
                model.objective_count(),
                model.key_result_count(),
                d.check_ins,
                d.metrics,
                d.observations,
                d.targets,
                d.scorecards,
                d.alert_rules
            ))?;
        }
        (Err(Failure::Invalid(problems)), Format::Json) => {
            let list: Vec<serde_json::Value> = problems
                .iter()
                .map(|p| {
                    let mut v = serde_json::to_value(&p.problem).unwrap_or_default();
                    if let (Some(origin), Some(obj)) = (&p.origin, v.as_object_mut()) {
                        obj.insert("origin".into(), origin.clone().into());
                    }
                    v
                })
                .collect();
            print(&json(&serde_json::json!({ "problems": list })))?;
            return Err(Failure::Invalid(problems));
        }
        (Err(e), _) => return Err(e),
    }
    Ok(ExitCode::SUCCESS)
}

/// `okpi evaluate`.
pub fn evaluate(
    file: &str,
    as_of: NaiveDate,
    format: Format,
    settings_file: Option<&str>,
    cycle: Option<String>,
    ctx: &Context<'_>,
) -> Result<ExitCode, Failure> {
    let (lang, style, viewer) = (ctx.lang, ctx.style, ctx.viewer);
    let settings = settings(settings_file)?;
    let mut progress = Progress::new(STEPS);
    let (input, model) = read_as(file, viewer, &mut progress)?;
    if format == Format::Json {
        progress.step("evaluating");
        let c = Call::Evaluate(
            call::Evaluate::new(as_of.to_string())
                .with_settings(settings)
                .with_viewer(viewer.map(ViewRequest::new)),
        );
        let Answer::Evaluation(ev) = ask(&model, c)? else {
            return Err(other_answer("evaluate"));
        };
        progress.finish();
        print(&json(&ev))?;
        return Ok(ExitCode::SUCCESS);
    }
    let req = Request {
        as_of,
        settings,
        cycle,
        depth: Depth::Dashboard,
        lang: ctx.lang,
    };
    let mut a = analyse(&input, model, &req, &mut progress)?;
    if let Some(person) = viewer {
        a.restrict(person)?;
    }
    progress.finish();
    print(&crate::dashboard::render(
        &a,
        lang,
        style,
        crate::dashboard::Rows::new(ctx.all),
    ))?;
    Ok(ExitCode::SUCCESS)
}

/// `okpi report`.
pub fn report(
    file: &str,
    as_of: NaiveDate,
    html: &Path,
    settings_file: Option<&str>,
    cycle: Option<String>,
    profiles: Option<&str>,
    ctx: &Context<'_>,
) -> Result<ExitCode, Failure> {
    let (lang, viewer) = (ctx.lang, ctx.viewer);
    let settings = settings(settings_file)?;
    let mut progress = Progress::new(STEPS + 13);
    let (mut input, model) = read_as(file, viewer, &mut progress)?;
    if let Some(p) = profiles {
        let (text, _) = input::read_text(p)?;
        input.profiles = Some(input::profiles(&input::parse_tree(&text, p)?, p)?);
    }
    let req = Request {
        as_of,
        settings,
        cycle,
        depth: Depth::Report,
        lang: ctx.lang,
    };
    let mut a = analyse(&input, model, &req, &mut progress)?;
    if let Some(person) = viewer {
        a.restrict(person)?;
    }
    progress.step("writing the report");
    let page = crate::report::render(&a, lang);
    write_file(html, &page)?;
    progress.finish();
    print(&format!(
        "{} {} ({} KB)\n",
        lang.t(Tx("report written to", "报告已写入")),
        term(&html.display().to_string()),
        page.len().div_ceil(1024)
    ))?;
    Ok(ExitCode::SUCCESS)
}

/// `okpi alerts`.
pub fn alerts(
    file: &str,
    from: NaiveDate,
    to: NaiveDate,
    format: Format,
    fail_on: AlertLevel,
    ctx: &Context<'_>,
) -> Result<ExitCode, Failure> {
    let (lang, style, viewer) = (ctx.lang, ctx.style, ctx.viewer);
    if to < from {
        return Err(Failure::one(
            Code::E_INVALID_VALUE,
            "$.to",
            None,
            format!("--to {to} is before --from {from}"),
        ));
    }
    let mut progress = Progress::new(3);
    let (_, model) = read_as(file, viewer, &mut progress)?;
    progress.step("running alert rules");
    let c = Call::Alerts(
        call::Alerts::new(from.to_string(), to.to_string()).with_viewer(viewer.map(ViewRequest::new)),
    );
    let Answer::Alerts(report) = ask(&model, c)? else {
        return Err(other_answer("alerts"));
    };
    progress.finish();
    let level = match fail_on {
        AlertLevel::Warning => AlertSeverity::Warning,
        AlertLevel::Critical => AlertSeverity::Critical,
    };
    let failing = report.alerts.iter().flat_map(|r| &r.events).any(|e| {
        matches!(e.kind, EventKind::Firing | EventKind::SeverityChanged)
            && e.severity.is_some_and(|s| s >= level)
    });
    match format {
        Format::Json => print(&json(&report))?,
        Format::Text => {
            let mut out = String::new();
            for r in &report.alerts {
                out.push_str(&format!(
                    "{}  {}\n",
                    style.paint(Tone::Bold, &term(&r.rule)),
                    style.paint(Tone::Dim, &term(&r.metric))
                ));
                if r.events.is_empty() {
                    out.push_str(&format!("  {}\n", lang.t(Tx("no events", "无事件"))));
                }
                for e in &r.events {
                    let tone = match (e.kind, e.severity) {
                        (EventKind::Resolved, _) => Tone::Good,
                        (EventKind::NoData | EventKind::Pending, _) => Tone::Dim,
                        (_, Some(AlertSeverity::Critical)) => Tone::Bad,
                        _ => Tone::Warn,
                    };
                    let kind = crate::report::snake(&e.kind);
                    let severity = e.severity.map(|s| lang.alert_severity(s)).unwrap_or("");
                    let mut facts = Vec::new();
                    if let Some(v) = e.value {
                        facts.push(format!("{} {}", lang.t(Tx("value", "数值")), num(v)));
                    }
                    if let Some(m) = e.measure.filter(|m| Some(*m) != e.value) {
                        facts.push(format!("{} {}", lang.t(Tx("measure", "判定值")), num(m)));
                    }
                    if let Some(t) = e.threshold {
                        facts.push(format!("{} {}", lang.t(l::THRESHOLD), num(t)));
                    }
                    if let Some([lo, hi]) = e.band {
                        facts.push(format!("{} {}–{}", lang.t(Tx("band", "区间")), num(lo), num(hi)));
                    }
                    out.push_str(&format!(
                        "  {}  {}  {severity:<8}  {}\n",
                        e.date,
                        style.paint(tone, &format!("{kind:<16}")),
                        facts.join(", ")
                    ));
                }
            }
            print(&out)?;
        }
    }
    Ok(if failing {
        ExitCode::from(EXIT_FINDINGS)
    } else {
        ExitCode::SUCCESS
    })
}

/// `okpi advise`.
pub fn advise(file: &str, format: Format, ctx: &Context<'_>) -> Result<ExitCode, Failure> {
    let (lang, style) = (ctx.lang, ctx.style);
    let (text, _) = input::read_text(file)?;
    let tree = input::parse_tree(&text, file)?;
    let settings = AdvisorSettings::default();
    let located = |e: okpi::Error| {
        let mut f = Failure::from(e);
        if let Failure::Invalid(ps) = &mut f {
            for p in ps {
                p.origin = Some(file.to_owned());
            }
        }
        f
    };
    let lines = input::profiles(&tree, file)?;
    // A list gets the company-wide portfolio; one profile gets its advice (errors then name `$.field`).
    let (advices, mix) = if tree.as_seq().is_some() {
        let portfolio = okpi::decide::advise_all(&lines, &settings).map_err(located)?;
        if format == Format::Json {
            print(&json(&portfolio))?;
            return Ok(ExitCode::SUCCESS);
        }
        (portfolio.lines, portfolio.mix)
    } else {
        let one = okpi::decide::advise(&input::typed(&tree, "$", file)?, &settings).map_err(located)?;
        if format == Format::Json {
            print(&json(&one))?;
            return Ok(ExitCode::SUCCESS);
        }
        (vec![one], Vec::new())
    };
    let mut out = String::new();
    for line in &advices {
        let name = lines
            .iter()
            .find(|p| p.id == line.id)
            .map(|p| lang.title(&p.name).0)
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| line.id.clone());
        out.push_str(&format!(
            "{}  {} · {} {} → {}",
            style.paint(Tone::Bold, &term(&name)),
            lang.quadrant(line.quadrant),
            lang.t(l::MATRIX),
            lang.recommendation(line.matrix),
            style.paint(Tone::Good, lang.recommendation(line.recommendation)),
        ));
        if let Some(p) = &line.pilot {
            out.push_str(&format!(
                " ({} {})",
                lang.t(l::PILOT),
                lang.recommendation(p.model)
            ));
        }
        out.push('\n');
        for (head, notes) in [(l::REASONS, &line.reasons), (l::NEXT_STEPS, &line.next_steps)] {
            if notes.is_empty() {
                continue;
            }
            out.push_str(&format!("  {}:\n", lang.t(head)));
            for n in notes {
                let text = match lang {
                    Lang::En => &n.en,
                    Lang::Zh => &n.zh,
                };
                out.push_str(&format!("    - {}\n", term(text)));
            }
        }
    }
    if !mix.is_empty() {
        let mix: Vec<String> = mix
            .iter()
            .map(|m| {
                format!(
                    "{} {:.0}%",
                    lang.recommendation(m.recommendation),
                    m.share * 100.0
                )
            })
            .collect();
        out.push_str(&format!(
            "{}: {}\n",
            lang.t(Tx("mix by headcount", "按人数的构成")),
            mix.join(" · ")
        ));
    }
    print(&out)?;
    Ok(ExitCode::SUCCESS)
}

/// `okpi diagnose`.
pub fn diagnose(
    file: &str,
    as_of: Option<NaiveDate>,
    format: Format,
    fail_on: FindingLevel,
    ctx: &Context<'_>,
) -> Result<ExitCode, Failure> {
    let (lang, style, viewer) = (ctx.lang, ctx.style, ctx.viewer);
    let mut progress = Progress::new(3);
    let (input, model) = read_as(file, viewer, &mut progress)?;
    let as_of = match as_of.or(input.latest) {
        Some(d) => d,
        None => {
            let msg = "the document has no check-ins or observations to date the diagnosis: give --as-of";
            return Err(Failure::one(Code::E_MISSING_FIELD, "$.as_of", None, msg));
        }
    };
    progress.step("evaluating and diagnosing");
    let c = Call::Diagnose(call::Diagnose::new(as_of.to_string()).with_viewer(viewer.map(ViewRequest::new)));
    let Answer::Diagnosis(diagnosis) = ask(&model, c)? else {
        return Err(other_answer("diagnose"));
    };
    progress.finish();
    let level = match fail_on {
        FindingLevel::Info => Severity::Info,
        FindingLevel::Warning => Severity::Warning,
        FindingLevel::Error => Severity::Error,
    };
    let failing = diagnosis.findings.iter().any(|f| f.severity >= level);
    match format {
        Format::Json => print(&json(&diagnosis))?,
        Format::Text => {
            let mut out = format!(
                "{} {} · {} {}/100 ({})\n",
                lang.t(l::AS_OF),
                as_of,
                lang.t(l::HEALTH),
                diagnosis.health.score,
                lang.health(diagnosis.health.band)
            );
            crate::dashboard::findings_grouped(
                &mut out,
                &diagnosis.findings,
                lang,
                style,
                crate::dashboard::Rows::new(true),
            );
            print(&out)?;
        }
    }
    Ok(if failing {
        ExitCode::from(EXIT_FINDINGS)
    } else {
        ExitCode::SUCCESS
    })
}
