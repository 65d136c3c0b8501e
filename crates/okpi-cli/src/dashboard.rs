//! The compact terminal dashboard: objectives and key results with progress bars against pace, KPI targets,
//! scorecards, alerts firing, the advisor's answers and the findings, coloured by status.

use crate::analysis::Analysis;
use crate::i18n::{label as l, Lang, Tx};
use crate::labels::{metric_label, scope_label, Names};
use crate::style::{Style, Tone};
use okpi::alert::{EventKind, Severity as AlertSeverity, Status as AlertStatus};
use okpi::diagnose::Severity;
use okpi::kpi::TargetResult;
use okpi::model::Scope;
use okpi::Status;
use std::fmt::Write;

/// The tone of a status.
pub fn status_tone(s: Status) -> Tone {
    match s {
        Status::OffTrack => Tone::Bad,
        Status::AtRisk => Tone::Warn,
        Status::NotStarted => Tone::Dim,
        Status::OnTrack | Status::Done => Tone::Good,
    }
}

/// The tone of a KPI score in percent: below 50 bad, below 100 watch, else good.
pub fn score_tone(score: Option<f64>) -> Tone {
    match score {
        None => Tone::Dim,
        Some(s) if s < 50.0 => Tone::Bad,
        Some(s) if s < 100.0 => Tone::Warn,
        Some(_) => Tone::Good,
    }
}

/// A number with as many decimals as its size deserves (at most four, trailing zeros dropped).
pub fn num(x: f64) -> String {
    let text = if x.abs() >= 1000.0 {
        format!("{x:.0}")
    } else if x.abs() >= 100.0 {
        format!("{x:.1}")
    } else {
        format!("{x:.4}")
    };
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        text
    }
}

/// A fixed-width cell: `text` padded to `width` display columns (CJK characters count two).
fn pad(text: &str, width: usize) -> String {
    let w = display_width(text);
    format!("{text}{}", " ".repeat(width.saturating_sub(w)))
}

/// Display columns of `text` in a terminal: wide (CJK, full-width) characters take two.
pub fn display_width(text: &str) -> usize {
    text.chars()
        .map(|c| match c as u32 {
            0x1100..=0x115F
            | 0x2E80..=0xA4CF
            | 0xAC00..=0xD7A3
            | 0xF900..=0xFAFF
            | 0xFE30..=0xFE4F
            | 0xFF00..=0xFF60
            | 0xFFE0..=0xFFE6 => 2,
            _ => 1,
        })
        .sum()
}

/// Renders the dashboard of `a` in `lang`.
pub fn render(a: &Analysis, lang: Lang, style: Style) -> String {
    let mut out = String::new();
    let names = Names::new(a);
    header(&mut out, a, lang, style, &names);
    objectives(&mut out, a, lang, style, &names);
    crate::strategy::dashboard(&mut out, a, lang, style, &names);
    targets(&mut out, a, lang, style, &names);
    scorecards(&mut out, a, lang, style, &names);
    alerts(&mut out, a, lang, style, &names);
    advisor(&mut out, a, lang, style, &names);
    findings(&mut out, a, lang, style);
    out
}

fn heading(out: &mut String, style: Style, lang: Lang, tx: Tx, extra: &str) {
    let title = lang.t(tx).to_uppercase();
    let _ = writeln!(
        out,
        "\n{}{}",
        style.paint(Tone::Bold, &title),
        style.paint(Tone::Dim, extra)
    );
}

fn header(out: &mut String, a: &Analysis, lang: Lang, style: Style, names: &Names<'_>) {
    let company = names
        .company()
        .map(|c| format!(" · {}", lang.title(c).0))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "{}{company} · {} {} ({} – {}) · {} {}",
        style.paint(Tone::Bold, "okpi"),
        lang.t(l::CYCLE),
        a.cycle.id,
        a.cycle.start,
        a.cycle.end,
        lang.t(l::AS_OF),
        a.as_of
    );
    let h = &a.diagnosis.health;
    let tone = match h.band {
        okpi::diagnose::HealthBand::Poor => Tone::Bad,
        okpi::diagnose::HealthBand::Fair => Tone::Warn,
        _ => Tone::Good,
    };
    let count = |s: Severity| a.diagnosis.findings.iter().filter(|f| f.severity == s).count();
    let firing: Vec<_> = a
        .alerts
        .alerts
        .iter()
        .filter(|r| r.state.status == AlertStatus::Firing)
        .collect();
    let critical = firing
        .iter()
        .filter(|r| r.state.severity == Some(AlertSeverity::Critical))
        .count();
    let _ = writeln!(
        out,
        "{} {} · {} {} {}, {} {}, {} {} · {} {} ({} {})",
        lang.t(l::HEALTH),
        style.paint(tone, &format!("{}/100 {}", h.score, lang.health(h.band))),
        lang.t(Tx("findings", "诊断发现")),
        style.paint(
            if count(Severity::Error) > 0 {
                Tone::Bad
            } else {
                Tone::Dim
            },
            &count(Severity::Error).to_string()
        ),
        lang.severity(Severity::Error),
        count(Severity::Warning),
        lang.severity(Severity::Warning),
        count(Severity::Info),
        lang.severity(Severity::Info),
        lang.t(l::ALERTS).to_lowercase(),
        style.paint(
            if firing.is_empty() { Tone::Good } else { Tone::Warn },
            &format!("{} {}", firing.len(), lang.t(l::FIRING))
        ),
        style.paint(
            if critical > 0 { Tone::Bad } else { Tone::Dim },
            &critical.to_string()
        ),
        lang.alert_severity(AlertSeverity::Critical),
    );
}

fn objectives(out: &mut String, a: &Analysis, lang: Lang, style: Style, names: &Names<'_>) {
    heading(
        out,
        style,
        lang,
        l::OKRS,
        &format!(
            "  ({} · {} · {} · {})",
            lang.t(l::PROGRESS),
            lang.t(l::STATUS),
            lang.t(l::SCORE),
            lang.t(l::CONFIDENCE)
        ),
    );
    let mut seen = std::collections::HashSet::new();
    let cell = |text: String, width: usize| pad(&text, width);
    for (depth, id) in names.objective_tree() {
        let Some(r) = a.evaluation.objective(id) else {
            continue;
        };
        let indent = "  ".repeat(depth);
        let title = lang.title(names.objective_title(id)).0;
        if !seen.insert(id) {
            // An objective aligned to several parents is shown in full once, then named.
            let note = format!(
                "{indent}↳ {title} ({id}, {})",
                lang.t(Tx("also aligned here", "亦对齐于此"))
            );
            let _ = writeln!(out, "{}{}", " ".repeat(52), style.paint(Tone::Dim, &note));
            continue;
        }
        let _ = writeln!(
            out,
            "{} {:>4.0}%  {}  {:.1}  {}  {indent}{}",
            style.bar(r.progress, Some(r.expected), 20, status_tone(r.status)),
            r.progress * 100.0,
            style.paint(status_tone(r.status), &cell(lang.status(r.status).to_owned(), 11)),
            r.score,
            cell(r.confidence.map_or_else(|| "–".into(), |c| format!("{c:.1}")), 4),
            style.paint(Tone::Bold, &title)
        );
        for kr in a.document.key_results.iter().filter(|k| k.objective == id) {
            let Some(k) = a.evaluation.key_result(&kr.id) else {
                continue;
            };
            let original = k.progress_original.map(|p| {
                format!(
                    " ({:.0}% {})",
                    p * 100.0,
                    lang.t(Tx("against the original target", "按原目标"))
                )
            });
            let linked = k
                .link
                .as_ref()
                .map(|link| format!(" ← {}", metric_label(a, &link.metric, lang)));
            let _ = writeln!(
                out,
                "{} {:>4.0}%  {}  {:.1}  {}  {indent}· {}{}",
                style.bar(k.progress, Some(k.expected), 20, status_tone(k.status)),
                k.progress * 100.0,
                style.paint(status_tone(k.status), &cell(lang.status(k.status).to_owned(), 11)),
                k.score,
                cell(k.confidence.map_or_else(|| "–".into(), |c| format!("{c:.0}")), 4),
                lang.title(&kr.title).0,
                style.paint(
                    Tone::Dim,
                    &format!("{}{}", original.unwrap_or_default(), linked.unwrap_or_default())
                )
            );
        }
    }
}

/// One line of a KPI target.
fn target_line(t: &TargetResult, a: &Analysis, lang: Lang, style: Style, names: &Names<'_>) -> String {
    let score = t
        .score
        .map_or_else(|| lang.t(l::NO_DATA).to_owned(), |s| format!("{s:.1}"));
    let actual = t.actual.map_or_else(|| "–".to_owned(), num);
    let mut levels = format!("{} {}", lang.t(l::TARGET), num(t.target));
    if let Some(th) = t.threshold {
        let _ = write!(levels, ", {} {}", lang.t(l::THRESHOLD), num(th));
    }
    format!(
        "  {} {}  {}  {} {} ({levels})",
        style.paint(score_tone(t.score), "●"),
        style.paint(score_tone(t.score), &pad(&score, 7)),
        pad(
            &format!(
                "{} · {}",
                metric_label(a, &t.metric, lang),
                scope_label(names, &t.scope, lang)
            ),
            44
        ),
        lang.t(l::ACTUAL),
        actual,
    )
}

fn targets(out: &mut String, a: &Analysis, lang: Lang, style: Style, names: &Names<'_>) {
    if a.scores.targets.is_empty() {
        return;
    }
    heading(out, style, lang, l::TARGETS, &format!("  ({})", lang.t(l::SCORE)));
    let (units, people): (Vec<&TargetResult>, Vec<&TargetResult>) = a
        .scores
        .targets
        .iter()
        .partition(|t| matches!(t.scope, Scope::Unit(_)));
    for t in &units {
        out.push_str(&target_line(t, a, lang, style, names));
        out.push('\n');
    }
    if !people.is_empty() {
        let scored: Vec<f64> = people.iter().filter_map(|t| t.score).collect();
        let below = scored.iter().filter(|s| **s < 100.0).count();
        let mean = if scored.is_empty() {
            0.0
        } else {
            scored.iter().sum::<f64>() / scored.len() as f64
        };
        let _ = writeln!(
            out,
            "  {}",
            style.paint(
                Tone::Dim,
                &lang
                    .t(Tx(
                        "+ {n} personal targets: mean score {mean}, {below} below 100",
                        "+ {n} 个个人目标：平均分 {mean}，{below} 个低于 100"
                    ))
                    .replace("{n}", &people.len().to_string())
                    .replace("{mean}", &format!("{mean:.1}"))
                    .replace("{below}", &below.to_string())
            )
        );
    }
}

fn scorecards(out: &mut String, a: &Analysis, lang: Lang, style: Style, names: &Names<'_>) {
    if a.scorecards.scorecards.is_empty() {
        return;
    }
    heading(
        out,
        style,
        lang,
        l::SCORECARDS,
        &format!(
            "  ({} · {} · {})",
            lang.t(l::GRADE),
            lang.t(l::TOTAL),
            lang.t(l::RANK)
        ),
    );
    let mut line = String::new();
    for sc in &a.scorecards.scorecards {
        let grade = sc.grade.clone().unwrap_or_else(|| "–".into());
        let total = sc.total.map_or_else(|| "–".to_owned(), |t| format!("{t:.1}"));
        let cell = format!(
            "{} {} {}",
            style.paint(Tone::Bold, &pad(&grade, 2)),
            pad(&total, 6),
            scope_label(names, &sc.subject, lang)
        );
        line.push_str(&format!("  {}", pad(&cell, 34)));
        if display_width(&line) > 90 {
            let _ = writeln!(out, "{}", line.trim_end());
            line.clear();
        }
    }
    if !line.is_empty() {
        let _ = writeln!(out, "{}", line.trim_end());
    }
    let dist = crate::labels::grade_distribution(a);
    let text: Vec<String> = dist.iter().map(|(g, n)| format!("{g} {n}")).collect();
    let _ = writeln!(out, "  {}: {}", lang.t(l::DISTRIBUTION), text.join(" · "));
}

fn alerts(out: &mut String, a: &Analysis, lang: Lang, style: Style, names: &Names<'_>) {
    if a.alerts.alerts.is_empty() {
        return;
    }
    heading(
        out,
        style,
        lang,
        l::ALERTS,
        &format!("  ({} – {})", a.alerts.from, a.alerts.to),
    );
    for r in &a.alerts.alerts {
        let rule = a.document.alert_rules.iter().find(|x| x.id == r.rule);
        let what = rule.map_or_else(String::new, |rule| {
            format!(
                "{} · {}",
                metric_label(a, &rule.metric, lang),
                scope_label(names, &crate::analysis::rule_scope(&a.document, rule), lang)
            )
        });
        let fired = r.events.iter().filter(|e| e.kind == EventKind::Firing).count();
        let (mark, state) = match (r.state.status, r.state.severity) {
            (AlertStatus::Firing, Some(sev)) => {
                let since = r
                    .events
                    .iter()
                    .rev()
                    .find(|e| e.kind == EventKind::Firing)
                    .map(|e| format!(", {} {}", lang.t(l::SINCE), e.date))
                    .unwrap_or_default();
                let tone = if sev == AlertSeverity::Critical {
                    Tone::Bad
                } else {
                    Tone::Warn
                };
                (
                    style.paint(tone, "●"),
                    style.paint(
                        tone,
                        &format!("{} ({}){since}", lang.t(l::FIRING), lang.alert_severity(sev)),
                    ),
                )
            }
            (AlertStatus::NoData, _) => (style.paint(Tone::Dim, "○"), lang.t(l::NO_DATA).to_owned()),
            _ => (
                style.paint(Tone::Good, "●"),
                lang.t(Tx("normal", "正常")).to_owned(),
            ),
        };
        let episodes = match (lang, fired) {
            (Lang::En, 1) => String::from("1 episode"),
            (Lang::En, n) => format!("{n} episodes"),
            (Lang::Zh, n) => format!("{n} 次告警"),
        };
        let _ = writeln!(
            out,
            "  {mark} {}  {}  {state}  {}",
            pad(&r.rule, 24),
            pad(&what, 40),
            style.paint(Tone::Dim, &episodes)
        );
    }
}

fn advisor(out: &mut String, a: &Analysis, lang: Lang, style: Style, names: &Names<'_>) {
    let Some(p) = &a.portfolio else { return };
    heading(out, style, lang, l::ADVISOR, "");
    for line in &p.lines {
        let name = names
            .profile(&line.id)
            .map_or_else(|| line.id.clone(), |n| lang.title(n).0);
        let pilot = line
            .pilot
            .as_ref()
            .map(|pl| format!(" ({} {})", lang.t(l::PILOT), lang.recommendation(pl.model)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  {}  {}  {}{}",
            pad(&name, 30),
            pad(lang.quadrant(line.quadrant), 20),
            style.paint(Tone::Bold, lang.recommendation(line.recommendation)),
            pilot
        );
    }
}

fn findings(out: &mut String, a: &Analysis, lang: Lang, style: Style) {
    heading(
        out,
        style,
        lang,
        l::FINDINGS,
        &format!("  ({})", a.diagnosis.findings.len()),
    );
    findings_list(out, &a.diagnosis.findings, lang, style);
}

/// Findings, errors first, each with its code, subjects and advice in `lang`.
pub fn findings_list(out: &mut String, findings: &[okpi::diagnose::Finding], lang: Lang, style: Style) {
    if findings.is_empty() {
        let _ = writeln!(out, "  {}", lang.t(l::NONE));
    }
    let mut sorted: Vec<_> = findings.iter().collect();
    sorted.sort_by(|x, y| y.severity.cmp(&x.severity).then(x.code.cmp(&y.code)));
    for f in sorted {
        let tone = match f.severity {
            Severity::Error => Tone::Bad,
            Severity::Warning => Tone::Warn,
            Severity::Info => Tone::Dim,
        };
        let advice = match lang {
            Lang::En => &f.advice.en,
            Lang::Zh => &f.advice.zh,
        };
        let _ = writeln!(
            out,
            "  {} {}  {}",
            style.paint(tone, &pad(lang.severity(f.severity), 7)),
            style.paint(Tone::Bold, &pad(&f.code, 34)),
            crate::sanitize::term(&f.subjects.join(", "))
        );
        let _ = writeln!(
            out,
            "    {}",
            style.paint(Tone::Dim, &crate::sanitize::term(advice))
        );
    }
}
