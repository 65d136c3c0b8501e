//! The compact terminal dashboard: objectives and key results with progress bars against pace, KPI targets,
//! scorecards, alerts firing, the advisor's answers and the findings, coloured by status.

use crate::analysis::Analysis;
use crate::i18n::{label as l, Lang, Tx};
use crate::labels::{metric_label, metric_value, scope_label, Names};
use crate::report::summary;
use crate::sanitize::term;
use crate::strategy;
use crate::style::{Style, Tone};
use okpi::alert::{AlertSeverity, AlertStatus, EventKind};
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

/// The mark of a KPI score: ✓ at or above 100, ! below, ✕ below 50, ○ no data.
fn score_mark(score: Option<f64>) -> &'static str {
    match score_tone(score) {
        Tone::Good => "✓",
        Tone::Warn => "!",
        Tone::Bad => "✕",
        _ => "○",
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

/// How many rows of each list the dashboard shows unless `--all` is given.
#[derive(Debug, Clone, Copy)]
pub struct Rows {
    all: bool,
}

impl Rows {
    /// Every row (`--all`), or the first rows of each list.
    pub fn new(all: bool) -> Self {
        Rows { all }
    }

    /// `n`, or no limit under `--all`.
    fn cap(self, n: usize) -> usize {
        if self.all {
            usize::MAX
        } else {
            n
        }
    }
}

/// Renders the dashboard of `a` in `lang`: the first rows of each list, or every row with `rows` from `--all`.
pub fn render(a: &Analysis, lang: Lang, style: Style, rows: Rows) -> String {
    let mut out = String::new();
    let names = Names::new(a);
    header(&mut out, a, lang, style, &names);
    attention(&mut out, a, lang, style, &names, rows);
    changes(&mut out, a, lang, style, &names, rows);
    objectives(&mut out, a, lang, style, &names, rows);
    strategy(&mut out, a, lang, style, &names);
    targets(&mut out, a, lang, style, &names, rows);
    scorecards(&mut out, a, lang, style, &names, rows);
    alerts(&mut out, a, lang, style, &names, rows);
    advisor(&mut out, a, lang, style, &names);
    findings(&mut out, a, lang, style, rows);
    if !rows.all {
        let _ = writeln!(
            out,
            "\n{}",
            style.paint(
                Tone::Dim,
                lang.t(Tx(
                    "Lists show their first rows: --all shows every row; the HTML report (okpi report) has the rest.",
                    "各列表只显示前几行：--all 显示全部；HTML 报告（okpi report）包含其余内容。"
                ))
            )
        );
    }
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

/// `  … and 12 more` under a list cut at its first rows.
fn more(out: &mut String, style: Style, lang: Lang, n: usize) {
    if n > 0 {
        let _ = writeln!(
            out,
            "  {}",
            style.paint(
                Tone::Dim,
                &format!("… {} (--all)", lang.count(n, "more", "more", "项未显示"))
            )
        );
    }
}

/// A status with its mark, in its colour, padded to `width`.
fn status(style: Style, lang: Lang, s: Status, width: usize) -> String {
    style.paint(
        status_tone(s),
        &pad(&format!("{} {}", crate::i18n::mark(s), lang.status(s)), width),
    )
}

fn header(out: &mut String, a: &Analysis, lang: Lang, style: Style, names: &Names<'_>) {
    let company = names
        .company()
        .map(|c| format!(" · {}", term(&lang.title(c).0)))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "{}{company} · {} {} ({} – {}) · {} {}",
        style.paint(Tone::Bold, "okpi"),
        lang.t(l::CYCLE),
        term(&a.cycle.id),
        a.cycle.start,
        a.cycle.end,
        lang.t(l::AS_OF),
        a.as_of
    );
    let tops = summary::company_objectives(a, names);
    let results: Vec<_> = tops.iter().filter_map(|id| a.evaluation.objective(id)).collect();
    let mut parts = Vec::new();
    if !results.is_empty() {
        let n = results.len() as f64;
        let progress = results.iter().map(|r| r.progress).sum::<f64>() / n;
        let expected = results.iter().map(|r| r.expected).sum::<f64>() / n;
        let gap = expected - progress;
        let tone = if gap > a.evaluation.settings.at_risk_tolerance {
            Tone::Bad
        } else if gap > a.evaluation.settings.on_track_tolerance {
            Tone::Warn
        } else {
            Tone::Good
        };
        parts.push(format!(
            "{} {} {} {:.0}% ({})",
            lang.t(Tx("organisation's objectives", "组织目标")),
            style.paint(tone, &format!("{:.0}%", progress * 100.0)),
            lang.t(Tx("against expected", "对比预期")),
            expected * 100.0,
            summary::points(gap, lang)
        ));
    }
    let count = |s: Status| a.evaluation.objectives.iter().filter(|o| o.status == s).count();
    parts.push(format!(
        "{} {} · {} {} · {}",
        style.paint(
            Tone::Bad,
            &format!("✕ {}", crate::i18n::thousands(count(Status::OffTrack) as f64, 0))
        ),
        lang.status(Status::OffTrack),
        style.paint(
            Tone::Warn,
            &format!("! {}", crate::i18n::thousands(count(Status::AtRisk) as f64, 0))
        ),
        lang.status(Status::AtRisk),
        lang.count(a.evaluation.objectives.len(), "objective", "objectives", "个目标")
    ));
    let scored: Vec<_> = a
        .scores
        .targets
        .iter()
        .filter(|t| t.cycle == a.cycle.id && t.score.is_some())
        .filter(|t| matches!(t.scope, Scope::Unit(_)))
        .collect();
    if !scored.is_empty() {
        let below = scored
            .iter()
            .filter(|t| t.score.is_some_and(|s| s < 100.0))
            .count();
        parts.push(format!(
            "{} / {}",
            below,
            lang.count(
                scored.len(),
                "unit KPI target below 100",
                "unit KPI targets below 100",
                "个部门 KPI 目标低于 100"
            )
        ));
    }
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
    parts.push(format!(
        "{} ({} {})",
        style.paint(
            if firing.is_empty() { Tone::Good } else { Tone::Warn },
            &lang.count(firing.len(), "alert firing", "alerts firing", "条告警中")
        ),
        style.paint(
            if critical > 0 { Tone::Bad } else { Tone::Dim },
            &critical.to_string()
        ),
        lang.alert_severity(AlertSeverity::Critical),
    ));
    let _ = writeln!(out, "{}", parts.join(" · "));
    let st = &a.evaluation.settings;
    let _ = writeln!(
        out,
        "{}",
        style.paint(
            Tone::Dim,
            &match lang {
                Lang::En => format!(
                    "status: ✓ on track (within {:.0} pts of pace) · ! at risk (within {:.0}) · ✕ off track · ★ done · ○ not started; bars: █ progress, ┃ pace",
                    st.on_track_tolerance * 100.0,
                    st.at_risk_tolerance * 100.0
                ),
                Lang::Zh => format!(
                    "状态：✓ 正常（落后节奏不超过 {:.0} 个百分点）· ! 有风险（不超过 {:.0}）· ✕ 落后 · ★ 已完成 · ○ 未开始；进度条：█ 进度，┃ 节奏",
                    st.on_track_tolerance * 100.0,
                    st.at_risk_tolerance * 100.0
                ),
            }
        )
    );
}

fn attention(out: &mut String, a: &Analysis, lang: Lang, style: Style, names: &Names<'_>, rows: Rows) {
    let objectives = summary::objectives_needing_attention(a, names);
    let targets = summary::targets_needing_attention(a);
    if objectives.is_empty() && targets.is_empty() {
        return;
    }
    heading(
        out,
        style,
        lang,
        Tx("Needs attention", "需要关注"),
        &format!(
            "  ({})",
            lang.t(Tx(
                "owner · gap to pace · why → advice",
                "负责人 · 与节奏差距 · 原因 → 建议"
            ))
        ),
    );
    let cap = rows.cap(5);
    for o in objectives.iter().take(cap) {
        let owner = names.owner(o.id, lang).unwrap_or_else(|| "–".into());
        let _ = writeln!(
            out,
            "  {} {}  {} · {} · {}",
            status(style, lang, o.status, 12),
            style.paint(Tone::Bold, &term(&lang.title(names.objective_title(o.id)).0)),
            term(&owner),
            summary::points(o.gap, lang),
            term(&summary::reason(a, names, o.id, lang))
        );
        let mut ids: Vec<&str> = vec![o.id];
        ids.extend(names.key_results(o.id).iter().map(|k| k.id.as_str()));
        if let Some((code, text)) = summary::advice_for(names, &ids, lang) {
            let _ = writeln!(
                out,
                "      {}",
                style.paint(Tone::Dim, &format!("→ {text} ({code})"))
            );
        }
    }
    more(out, style, lang, objectives.len().saturating_sub(cap));
    for t in targets.iter().take(cap) {
        let score = t
            .score
            .map_or_else(|| lang.t(l::NO_DATA).to_owned(), |s| format!("{s:.1}"));
        let actual = t.actual.map_or_else(
            || "–".to_owned(),
            |v| crate::labels::metric_amount(a, &t.metric, v),
        );
        let mut why = format!(
            "{} {actual} / {} {}",
            lang.t(l::ACTUAL),
            lang.t(l::TARGET),
            crate::labels::metric_amount(a, &t.metric, t.target)
        );
        if let Some((since, _)) = summary::firing_since(a, t) {
            why.push_str(&format!(
                ", {} {} {since}",
                lang.t(Tx("alert firing", "告警中")),
                lang.t(l::SINCE)
            ));
        }
        let _ = writeln!(
            out,
            "  {} {}  {}",
            style.paint(
                score_tone(t.score),
                &pad(
                    &format!("{} {} {score}", score_mark(t.score), lang.t(l::SCORE)),
                    12
                )
            ),
            style.paint(
                Tone::Bold,
                &format!(
                    "{} · {}",
                    term(&metric_label(a, &t.metric, lang)),
                    term(&scope_label(names, &t.scope, lang))
                )
            ),
            why
        );
        if let Some((code, text)) = summary::advice_for(names, &[t.id.as_str(), t.metric.as_str()], lang) {
            let _ = writeln!(
                out,
                "      {}",
                style.paint(Tone::Dim, &format!("→ {text} ({code})"))
            );
        }
    }
    more(out, style, lang, targets.len().saturating_sub(cap));
}

fn changes(out: &mut String, a: &Analysis, lang: Lang, style: Style, names: &Names<'_>, rows: Rows) {
    let Some(prev) = &a.previous else { return };
    // (from, to, title, progress change, 0 for the organisation's, 1 for a person's)
    let mut moved: Vec<(Status, Status, String, f64, u8)> = Vec::new();
    for o in &a.evaluation.objectives {
        if let Some(p) = prev.objective(&o.id).filter(|p| p.status != o.status) {
            moved.push((
                p.status,
                o.status,
                lang.title(names.objective_title_of(&o.id)).0,
                o.progress - p.progress,
                u8::from(!names.is_organisational(&o.id)),
            ));
        }
    }
    for k in &a.evaluation.key_results {
        if let Some(p) = prev.key_result(&k.id).filter(|p| p.status != k.status) {
            moved.push((
                p.status,
                k.status,
                names.kr_title(&k.id, lang),
                k.progress - p.progress,
                u8::from(!names.is_organisational(&k.objective)),
            ));
        }
    }
    if moved.is_empty() {
        return;
    }
    // The organisation's first, then worse before better, then by how bad the status now is.
    moved.sort_by_key(|m| {
        (
            m.4,
            summary::severity(m.1) >= summary::severity(m.0),
            summary::severity(m.1),
        )
    });
    heading(
        out,
        style,
        lang,
        Tx("Since last week", "与上周相比"),
        &format!("  ({})", lang.t(Tx("status changes", "状态变化"))),
    );
    let cap = rows.cap(5);
    for (from, to, title, delta, _) in moved.iter().take(cap) {
        let _ = writeln!(
            out,
            "  {} → {} {}  {}",
            style.paint(
                status_tone(*from),
                &format!("{} {}", crate::i18n::mark(*from), lang.status(*from))
            ),
            status(style, lang, *to, 12),
            term(title),
            style.paint(
                Tone::Dim,
                &format!("{} {}", lang.t(l::PROGRESS), summary::points(-delta, lang))
            )
        );
    }
    more(out, style, lang, moved.len().saturating_sub(cap));
}

fn objectives(out: &mut String, a: &Analysis, lang: Lang, style: Style, names: &Names<'_>, rows: Rows) {
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
    let cell = |text: String, width: usize| pad(&text, width);
    let tree = names.objective_tree();
    // By default the first two levels, at most 12 objectives; the rest counted.
    let max_depth = if rows.all { usize::MAX } else { 1 };
    let cap = rows.cap(12);
    let mut shown = 0;
    let mut hidden = 0;
    for n in &tree {
        let Some(r) = a.evaluation.objective(n.id) else {
            continue;
        };
        if n.depth > max_depth || (n.first && shown >= cap) {
            if n.first {
                hidden += 1;
            }
            continue;
        }
        let indent = "  ".repeat(n.depth.min(12));
        let title = term(&lang.title(names.objective_title(n.id)).0).into_owned();
        if !n.first {
            // An objective aligned to several parents is shown in full once, then named.
            let note = format!(
                "{indent}↳ {title} ({}, {})",
                term(n.id),
                lang.t(Tx("also aligned here", "亦对齐于此"))
            );
            let _ = writeln!(out, "{}{}", " ".repeat(57), style.paint(Tone::Dim, &note));
            continue;
        }
        shown += 1;
        let _ = writeln!(
            out,
            "{} {:>4.0}%  {}  {:.1}  {}  {indent}{}",
            style.bar(r.progress, Some(r.expected), 20, status_tone(r.status)),
            r.progress * 100.0,
            status(style, lang, r.status, 13),
            r.score,
            cell(
                r.confidence
                    .get()
                    .map_or_else(|| "–".into(), |c| format!("{c:.1}")),
                4
            ),
            style.paint(Tone::Bold, &title)
        );
        for kr in names.key_results(n.id) {
            let Some(k) = a.evaluation.key_result(&kr.id) else {
                continue;
            };
            let original = k.progress_original.get().map(|p| {
                format!(
                    " ({:.0}% {})",
                    p * 100.0,
                    lang.t(Tx("against the original target", "按原目标"))
                )
            });
            let linked = k
                .link
                .as_ref()
                .map(|link| format!(" ← {}", term(&metric_label(a, &link.metric, lang))));
            let _ = writeln!(
                out,
                "{} {:>4.0}%  {}  {:.1}  {}  {indent}· {}{}",
                style.bar(k.progress, Some(k.expected), 20, status_tone(k.status)),
                k.progress * 100.0,
                status(style, lang, k.status, 13),
                k.score,
                cell(
                    k.confidence
                        .get()
                        .map_or_else(|| "–".into(), |c| format!("{c:.1}")),
                    4
                ),
                term(&names.kr_title(&kr.id, lang)),
                style.paint(
                    Tone::Dim,
                    &format!("{}{}", original.unwrap_or_default(), linked.unwrap_or_default())
                )
            );
        }
    }
    if hidden > 0 {
        let _ = writeln!(
            out,
            "  {}",
            style.paint(
                Tone::Dim,
                &format!(
                    "… {} {} (--all)",
                    lang.count(hidden, "more objective", "more objectives", "个目标未显示"),
                    lang.t(Tx("on deeper levels or further down", "位于更深层级或更靠后"))
                )
            )
        );
    }
}

/// One line of a KPI target.
fn target_line(t: &TargetResult, a: &Analysis, lang: Lang, style: Style, names: &Names<'_>) -> String {
    let score = t
        .score
        .map_or_else(|| lang.t(l::NO_DATA).to_owned(), |s| format!("{s:.1}"));
    let actual = t
        .actual
        .map_or_else(|| "–".to_owned(), |v| metric_value(a, &t.metric, v));
    let mut levels = format!("{} {}", lang.t(l::TARGET), metric_value(a, &t.metric, t.target));
    if let Some(th) = t.threshold {
        let _ = write!(
            levels,
            ", {} {}",
            lang.t(l::THRESHOLD),
            metric_value(a, &t.metric, th)
        );
    }
    let mark = score_mark(t.score);
    format!(
        "  {} {}  {}  {} {}{} ({levels})",
        style.paint(score_tone(t.score), mark),
        style.paint(score_tone(t.score), &pad(&score, 7)),
        pad(
            &format!(
                "{} · {}",
                term(&metric_label(a, &t.metric, lang)),
                term(&scope_label(names, &t.scope, lang))
            ),
            44
        ),
        lang.t(l::ACTUAL),
        actual,
        crate::labels::metric_unit(a, &t.metric),
    )
}

fn targets(out: &mut String, a: &Analysis, lang: Lang, style: Style, names: &Names<'_>, rows: Rows) {
    if a.scores.targets.is_empty() {
        return;
    }
    heading(
        out,
        style,
        lang,
        l::TARGETS,
        &format!("  ({}: ✓ ≥ 100 · ! < 100 · ✕ < 50)", lang.t(l::SCORE)),
    );
    let (mut units, people): (Vec<&TargetResult>, Vec<&TargetResult>) = a
        .scores
        .targets
        .iter()
        .partition(|t| matches!(t.scope, Scope::Unit(_)));
    // Lowest score first, so that a cut list keeps what needs attention.
    units.sort_by(|p, q| {
        p.score
            .unwrap_or(f64::INFINITY)
            .total_cmp(&q.score.unwrap_or(f64::INFINITY))
    });
    let cap = rows.cap(10);
    for t in units.iter().take(cap) {
        out.push_str(&target_line(t, a, lang, style, names));
        out.push('\n');
    }
    more(out, style, lang, units.len().saturating_sub(cap));
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
                &match lang {
                    Lang::En => format!(
                        "+ {}: mean score {mean:.1}, {below} below 100",
                        lang.count(people.len(), "personal target", "personal targets", "")
                    ),
                    Lang::Zh => format!(
                        "+ {} 个个人目标：平均分 {mean:.1}，{below} 个低于 100",
                        people.len()
                    ),
                }
            )
        );
    }
}

fn scorecards(out: &mut String, a: &Analysis, lang: Lang, style: Style, names: &Names<'_>, rows: Rows) {
    if a.scorecards.scorecards.is_empty() {
        return;
    }
    heading(
        out,
        style,
        lang,
        l::SCORECARDS,
        &format!("  ({} · {})", lang.t(l::GRADE), lang.t(l::TOTAL)),
    );
    for (people, label) in [(false, Tx("units", "部门")), (true, Tx("people", "个人"))] {
        let mut cards: Vec<_> = a
            .scorecards
            .scorecards
            .iter()
            .filter(|s| matches!(s.subject, Scope::Person(_)) == people)
            .collect();
        if cards.is_empty() {
            continue;
        }
        cards.sort_by(|p, q| {
            q.total
                .unwrap_or(f64::NEG_INFINITY)
                .total_cmp(&p.total.unwrap_or(f64::NEG_INFINITY))
        });
        let _ = writeln!(
            out,
            "  {}",
            style.paint(Tone::Dim, &format!("{}:", lang.t(label)))
        );
        let cap = rows.cap(9);
        let mut line = String::new();
        for sc in cards.iter().take(cap) {
            let grade = sc.grade.clone().unwrap_or_else(|| "–".into());
            let total = sc.total.map_or_else(|| "–".to_owned(), |t| format!("{t:.1}"));
            let cell = format!(
                "{} {} {}",
                style.paint(Tone::Bold, &pad(&term(&grade), 2)),
                pad(&total, 6),
                term(&scope_label(names, &sc.subject, lang))
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
        more(out, style, lang, cards.len().saturating_sub(cap));
        let dist = crate::labels::grade_distribution(a, Some(people));
        let text: Vec<String> = dist.iter().map(|(g, n)| format!("{} {n}", term(g))).collect();
        let _ = writeln!(out, "  {}: {}", lang.t(l::DISTRIBUTION), text.join(" · "));
    }
}

fn alerts(out: &mut String, a: &Analysis, lang: Lang, style: Style, names: &Names<'_>, rows: Rows) {
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
    // Firing first (critical first), then those that fired, then the rest.
    let mut list: Vec<_> = a.alerts.alerts.iter().collect();
    list.sort_by_key(|r| {
        let fired = r.events.iter().any(|e| e.kind == EventKind::Firing);
        match (r.state.status, r.state.severity) {
            (AlertStatus::Firing, Some(AlertSeverity::Critical)) => 0,
            (AlertStatus::Firing, _) => 1,
            _ if fired => 2,
            _ => 3,
        }
    });
    let cap = rows.cap(8);
    for r in list.iter().take(cap) {
        let rule = a.document.alert_rules.iter().find(|x| x.id == r.rule);
        let what = rule.map_or_else(String::new, |rule| {
            format!(
                "{} · {}",
                term(&metric_label(a, &rule.metric, lang)),
                term(&scope_label(
                    names,
                    &crate::analysis::rule_scope(&a.document, rule),
                    lang
                ))
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
                    style.paint(
                        tone,
                        if sev == AlertSeverity::Critical {
                            "✕"
                        } else {
                            "!"
                        },
                    ),
                    style.paint(
                        tone,
                        &format!("{} ({}){since}", lang.t(l::FIRING), lang.alert_severity(sev)),
                    ),
                )
            }
            (AlertStatus::NoData, _) => (style.paint(Tone::Dim, "○"), lang.t(l::NO_DATA).to_owned()),
            _ => (
                style.paint(Tone::Good, "✓"),
                lang.t(Tx("normal", "正常")).to_owned(),
            ),
        };
        let episodes = lang.count(fired, "episode", "episodes", "次告警");
        let _ = writeln!(
            out,
            "  {mark} {}  {}  {state}  {}",
            pad(&term(&r.rule), 24),
            pad(&what, 40),
            style.paint(Tone::Dim, &episodes)
        );
    }
    more(out, style, lang, list.len().saturating_sub(cap));
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
            pad(&term(&name), 30),
            pad(lang.quadrant(line.quadrant), 20),
            style.paint(Tone::Bold, lang.recommendation(line.recommendation)),
            pilot
        );
    }
}

fn findings(out: &mut String, a: &Analysis, lang: Lang, style: Style, rows: Rows) {
    heading(
        out,
        style,
        lang,
        l::FINDINGS,
        &format!(
            "  ({}; {} {}/100 {})",
            lang.count(a.diagnosis.findings.len(), "finding", "findings", "条"),
            lang.t(Tx("practice health", "管理实践健康度")),
            a.diagnosis.health.score,
            lang.health(a.diagnosis.health.band)
        ),
    );
    findings_grouped(out, &a.diagnosis.findings, lang, style, rows);
}

/// Findings grouped by code, errors first then the most frequent, each with its count, its first subjects and its
/// advice in `lang`.
pub fn findings_grouped(
    out: &mut String,
    findings: &[okpi::diagnose::Finding],
    lang: Lang,
    style: Style,
    rows: Rows,
) {
    if findings.is_empty() {
        let _ = writeln!(out, "  {}", lang.t(l::NONE));
        return;
    }
    let mut groups: Vec<(Severity, &str, Vec<&okpi::diagnose::Finding>)> = Vec::new();
    for f in findings {
        match groups.iter_mut().find(|g| g.1 == f.code && g.0 == f.severity) {
            Some(g) => g.2.push(f),
            None => groups.push((f.severity, f.code.as_str(), vec![f])),
        }
    }
    groups.sort_by(|p, q| q.0.cmp(&p.0).then(q.2.len().cmp(&p.2.len())).then(p.1.cmp(q.1)));
    let cap = rows.cap(10);
    let subjects_cap = rows.cap(4);
    for (severity, code, list) in groups.iter().take(cap) {
        let tone = match severity {
            Severity::Error => Tone::Bad,
            Severity::Warning => Tone::Warn,
            Severity::Info => Tone::Dim,
        };
        let mut subjects: Vec<String> = list
            .iter()
            .flat_map(|f| f.subjects.iter())
            .take(subjects_cap)
            .map(|s| term(s).into_owned())
            .collect();
        let total: usize = list.iter().map(|f| f.subjects.len()).sum();
        if total > subjects.len() {
            subjects.push(format!("… +{}", total - subjects.len()));
        }
        let count = if list.len() > 1 {
            format!(" ×{}", list.len())
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "  {} {}  {}",
            style.paint(tone, &pad(lang.severity(*severity), 7)),
            style.paint(Tone::Bold, &pad(&format!("{}{count}", term(code)), 34)),
            subjects.join(", ")
        );
        if let Some(f) = list.first() {
            let advice = match lang {
                Lang::En => &f.advice.en,
                Lang::Zh => &f.advice.zh,
            };
            let _ = writeln!(out, "    {}", style.paint(Tone::Dim, advice));
        }
    }
    if groups.len() > cap {
        more(out, style, lang, groups.len() - cap);
    }
}

/// The dashboard's strategy lines: each top objective, its key results, and a dot per supporting KPI.
fn strategy(out: &mut String, a: &Analysis, lang: Lang, style: Style, names: &Names<'_>) {
    let objectives = strategy::leading(a, names);
    if !objectives
        .iter()
        .any(|o| o.key_results.iter().any(|k| !k.supports.is_empty()))
    {
        return;
    }
    let _ = writeln!(
        out,
        "\n{}{}",
        style.paint(Tone::Bold, &lang.t(l::STRATEGY).to_uppercase()),
        style.paint(
            Tone::Dim,
            &format!(
                "  ({})",
                lang.t(Tx(
                    "key results and the KPIs that support them",
                    "关键结果及其支撑 KPI"
                ))
            )
        )
    );
    for o in objectives.iter().take(strategy::MAX_OBJECTIVES) {
        let _ = writeln!(
            out,
            "  {} {}  {:.0}%  {}{}",
            style.paint(
                strategy::tone(strategy::shown(o)),
                strategy::light_mark(strategy::shown(o))
            ),
            style.paint(Tone::Bold, &term(&lang.title(&o.title).0)),
            o.progress * 100.0,
            style.paint(
                status_tone(o.status),
                &format!("{} {}", crate::i18n::mark(o.status), lang.status(o.status))
            ),
            strategy::health(lang, &o.support)
                .map(|h| format!(" · {h}"))
                .unwrap_or_default()
        );
        for k in &o.key_results {
            let _ = writeln!(
                out,
                "    · {}  {:.0}%  {}",
                term(&lang.title(&k.title).0),
                k.progress * 100.0,
                style.paint(
                    status_tone(k.status),
                    &format!("{} {}", crate::i18n::mark(k.status), lang.status(k.status))
                )
            );
            if k.supports.is_empty() && k.support.partial {
                let _ = writeln!(
                    out,
                    "      {}",
                    style.paint(Tone::Dim, strategy::no_support(lang, &k.support))
                );
            }
            for s in &k.supports {
                let _ = writeln!(
                    out,
                    "      {} {} · {}  {}",
                    style.paint(strategy::tone(Some(s.light)), strategy::light_mark(Some(s.light))),
                    term(&metric_label(a, &s.metric, lang)),
                    term(&scope_label(names, &s.scope, lang)),
                    style.paint(Tone::Dim, &strategy::facts(lang, s))
                );
            }
        }
    }
}
