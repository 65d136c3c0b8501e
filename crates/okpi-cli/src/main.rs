//! `okpi`: the command-line face of the okpi library. It reads documents (JSON or YAML, with CSV tables of
//! observations and check-ins), calls the library for every number, and writes text dashboards, JSON (the library's
//! own) and self-contained HTML reports.
//!
//! Exit codes: 0 ok; 1 findings or alerts at the failing level (`diagnose`, `alerts`); 2 invalid input or usage,
//! every problem printed with its JSON path; 3 an output file could not be written.

mod analysis;
mod commands;
mod dashboard;
mod demo;
mod i18n;
mod labels;
mod progress;
mod report;
mod strategy;
mod style;

// The readers live in the library part (`src/lib.rs`) so that the fuzz target reaches them.
use okpi_cli::{fail, input, sanitize};

use chrono::NaiveDate;
use clap::{Parser, Subcommand};
use commands::{AlertLevel, FindingLevel, Format};
use i18n::Lang;
use std::path::PathBuf;
use std::process::ExitCode;
use style::ColorChoice;

/// Turns objectives, key results, check-ins, KPI observations, targets and rules into progress, scores, alerts,
/// findings and advice.
#[derive(Parser)]
#[command(name = "okpi", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Language of dashboards and reports.
    #[arg(long, global = true, value_enum, default_value_t = Lang::En)]
    lang: Lang,
    /// When to colour terminal output (auto: when stdout is a terminal and NO_COLOR is not set).
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
}

/// The viewer option of every command that reads a document (not `advise`: profiles hold no people).
#[derive(clap::Args, Clone, Default)]
struct Who {
    /// Show only what this person may see (a person id from the document's `people`): objectives by their
    /// visibility, people's KPI results only to themselves and their managers.
    #[arg(long, value_name = "PERSON")]
    viewer: Option<String>,
}

fn date(text: &str) -> Result<NaiveDate, String> {
    okpi::model::parse_date(text)
}

#[derive(Subcommand)]
enum Command {
    /// Evaluate the embedded demo company: print the dashboard and write the HTML report.
    Demo {
        #[command(flatten)]
        who: Who,
        /// The as-of date, YYYY-MM-DD (default: 2026-03-29, the end of the demo quarter's last full week).
        #[arg(long, value_parser = date, value_name = "YYYY-MM-DD")]
        as_of: Option<NaiveDate>,
        /// Where to write the report.
        #[arg(long, default_value = "okpi-report.html")]
        html: PathBuf,
        /// Show every row of the dashboard's lists, not only the first ones.
        #[arg(long)]
        all: bool,
    },
    /// Check a document and report every problem with its path.
    Validate {
        #[command(flatten)]
        who: Who,
        /// The document (JSON or YAML; `-` reads standard input).
        file: String,
        /// Output format (json: the normalised document).
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Evaluate a document as of a date: the dashboard, or the library's evaluation as JSON.
    Evaluate {
        #[command(flatten)]
        who: Who,
        /// The document (JSON or YAML; `-` reads standard input).
        file: String,
        /// The as-of date, YYYY-MM-DD.
        #[arg(long, value_parser = date, value_name = "YYYY-MM-DD")]
        as_of: NaiveDate,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Evaluation settings (a JSON or YAML file).
        #[arg(long)]
        settings: Option<String>,
        /// The cycle the dashboard's KPI and alert parts cover (default: the shortest one holding the date).
        #[arg(long)]
        cycle: Option<String>,
        /// Show every row of the dashboard's lists, not only the first ones.
        #[arg(long)]
        all: bool,
    },
    /// Write the self-contained HTML report of a document as of a date.
    Report {
        #[command(flatten)]
        who: Who,
        /// The document (JSON or YAML; `-` reads standard input).
        file: String,
        /// The as-of date, YYYY-MM-DD.
        #[arg(long, value_parser = date, value_name = "YYYY-MM-DD")]
        as_of: NaiveDate,
        /// Where to write the report.
        #[arg(long)]
        html: PathBuf,
        /// Evaluation settings (a JSON or YAML file).
        #[arg(long)]
        settings: Option<String>,
        /// The cycle the report covers (default: the shortest one holding the date).
        #[arg(long)]
        cycle: Option<String>,
        /// Business-line profiles for the advisor (overrides the document's `profiles`).
        #[arg(long)]
        profiles: Option<String>,
    },
    /// Run the document's alert rules over a date range.
    Alerts {
        #[command(flatten)]
        who: Who,
        /// The document (JSON or YAML; `-` reads standard input).
        file: String,
        /// First day, YYYY-MM-DD.
        #[arg(long, value_parser = date, value_name = "YYYY-MM-DD")]
        from: NaiveDate,
        /// Last day, YYYY-MM-DD.
        #[arg(long, value_parser = date, value_name = "YYYY-MM-DD")]
        to: NaiveDate,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Exit with 1 when an alert fires at this severity or above.
        #[arg(long, value_enum, default_value_t = AlertLevel::Critical)]
        fail_on: AlertLevel,
    },
    /// Advise which management model fits each business line (a profile or a list of them).
    Advise {
        /// The profiles (JSON or YAML; `-` reads standard input).
        file: String,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Run the diagnostics: known OKR and KPI practice risks as lint rules, and the practice health score.
    Diagnose {
        #[command(flatten)]
        who: Who,
        /// The document (JSON or YAML; `-` reads standard input).
        file: String,
        /// The as-of date, YYYY-MM-DD (default: the latest check-in or observation in the document).
        #[arg(long, value_parser = date, value_name = "YYYY-MM-DD")]
        as_of: Option<NaiveDate>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Exit with 1 when a finding has this severity or above.
        #[arg(long, value_enum, default_value_t = FindingLevel::Error)]
        fail_on: FindingLevel,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let viewer = match &cli.command {
        Command::Demo { who, .. }
        | Command::Validate { who, .. }
        | Command::Evaluate { who, .. }
        | Command::Report { who, .. }
        | Command::Alerts { who, .. }
        | Command::Diagnose { who, .. } => who.viewer.clone(),
        Command::Advise { .. } => None,
    };
    let all = matches!(
        cli.command,
        Command::Demo { all: true, .. } | Command::Evaluate { all: true, .. }
    );
    let ctx = commands::Context {
        lang: cli.lang,
        style: style::Style::new(cli.color),
        viewer: viewer.as_deref(),
        all,
    };
    let outcome = match cli.command {
        Command::Demo { as_of, html, .. } => commands::demo(as_of, &html, &ctx),
        Command::Validate { file, format, .. } => commands::validate(&file, format, &ctx),
        Command::Evaluate {
            file,
            as_of,
            format,
            settings,
            cycle,
            ..
        } => commands::evaluate(&file, as_of, format, settings.as_deref(), cycle, &ctx),
        Command::Report {
            file,
            as_of,
            html,
            settings,
            cycle,
            profiles,
            ..
        } => commands::report(
            &file,
            as_of,
            &html,
            settings.as_deref(),
            cycle,
            profiles.as_deref(),
            &ctx,
        ),
        Command::Alerts {
            file,
            from,
            to,
            format,
            fail_on,
            ..
        } => commands::alerts(&file, from, to, format, fail_on, &ctx),
        Command::Advise { file, format } => commands::advise(&file, format, &ctx),
        Command::Diagnose {
            file,
            as_of,
            format,
            fail_on,
            ..
        } => commands::diagnose(&file, as_of, format, fail_on, &ctx),
    };
    match outcome {
        Ok(code) => code,
        Err(failure) => failure.report(cli.lang == Lang::Zh),
    }
}
