//! The KPI sections: trend charts (the series, the target's threshold / target / stretch bands, the alert
//! rules' thresholds and the alert episodes), and the scorecards with their grade distribution.

use super::section;
use super::xml::{f1, Xml};
use crate::analysis::{Analysis, Trend};
use crate::i18n::{label as l, Lang, Tx};
use crate::labels::number as num;
use crate::labels::{grade_distribution, metric_label, metric_value, scope_label, Names};
use chrono::{Datelike, Duration, NaiveDate};
use okpi::alert::{AlertResult, AlertSeverity, Condition, EventKind};
use okpi::model::{Direction, Scope};

/// A stretch of days an alert was firing, at one severity.
#[derive(Debug, Clone, PartialEq)]
pub struct Episode {
    /// First day firing.
    pub from: NaiveDate,
    /// Last day firing.
    pub to: NaiveDate,
    /// The severity.
    pub severity: AlertSeverity,
}

/// The firing episodes of one rule's events: from `firing` (or a `severity_changed`) to the day before the
/// event that ends it, or to `until` while still firing.
pub fn episodes(result: &AlertResult, until: NaiveDate) -> Vec<Episode> {
    let mut out = Vec::new();
    let mut open: Option<(NaiveDate, AlertSeverity)> = None;
    for e in &result.events {
        let close = |open: &mut Option<(NaiveDate, AlertSeverity)>, out: &mut Vec<Episode>| {
            if let Some((from, severity)) = open.take() {
                out.push(Episode {
                    from,
                    to: (e.date - Duration::days(1)).max(from),
                    severity,
                });
            }
        };
        match e.kind {
            EventKind::Firing | EventKind::SeverityChanged => {
                close(&mut open, &mut out);
                open = Some((e.date, e.severity.unwrap_or(AlertSeverity::Warning)));
            }
            EventKind::Resolved | EventKind::NoData => close(&mut open, &mut out),
            _ => {}
        }
    }
    if let Some((from, severity)) = open {
        out.push(Episode {
            from,
            to: until.max(from),
            severity,
        });
    }
    out
}

const W: f64 = 600.0;
const H: f64 = 210.0;
const LEFT: f64 = 64.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 26.0;

/// The most trend charts drawn; the other metric × scope pairs are one table row each (also cut, at
/// [`MAX_ROWS`]).
pub const MAX_CHARTS: usize = 12;
/// The most rows of the table of trends not charted.
pub const MAX_ROWS: usize = 60;

const SERIES: &str = "#2f5fc4";
const GOOD: &str = "#00785a";
const WARN: &str = "#9a5b00";
const BAD: &str = "#b33c00";
const AXIS: &str = "#56626f";

/// The trends to chart, most urgent first: a critical alert firing, then any alert firing, then the lowest target
/// score; at most [`MAX_CHARTS`]. Indices into `a.trends`.
pub fn charted(a: &Analysis) -> Vec<usize> {
    let mut order: Vec<usize> = (0..a.trends.len()).collect();
    let urgency = |i: &usize| {
        let Some(t) = a.trends.get(*i) else {
            return (3, f64::INFINITY);
        };
        let firing = |critical: bool| {
            t.alerts.iter().any(|(_, r)| {
                r.state.status == okpi::alert::AlertStatus::Firing
                    && (!critical || r.state.severity == Some(AlertSeverity::Critical))
            })
        };
        let rank = if firing(true) {
            0
        } else if firing(false) {
            1
        } else if t.target.as_ref().and_then(|x| x.score).is_some() {
            2
        } else {
            3
        };
        (
            rank,
            t.target.as_ref().and_then(|x| x.score).unwrap_or(f64::INFINITY),
        )
    };
    order.sort_by(|p, q| {
        let (rp, sp) = urgency(p);
        let (rq, sq) = urgency(q);
        rp.cmp(&rq).then(sp.total_cmp(&sq)).then(p.cmp(q))
    });
    order.truncate(MAX_CHARTS);
    order
}

/// The anchor of the chart of `t`'s metric and scope.
pub fn anchor(a: &Analysis, t: &okpi::kpi::TargetResult) -> String {
    a.trends
        .iter()
        .position(|tr| tr.metric == t.metric && tr.scope == t.scope)
        .map_or_else(|| String::from("kpi-trends"), |i| format!("k-{i}"))
}

/// A KPI score as a pill: ✓ at or above 100, ! below, ✕ below 50, ○ no data.
pub fn score_pill(x: &mut Xml, lang: Lang, score: Option<f64>) {
    let (class, mark) = match score {
        None => ("n", "○"),
        Some(s) if s < 50.0 => ("b", "✕"),
        Some(s) if s < 100.0 => ("w", "!"),
        Some(_) => ("g", "✓"),
    };
    let text = score.map_or_else(|| lang.t(l::NO_DATA).to_owned(), |s| format!("{s:.1}"));
    x.tag("span")
        .a("class", format!("pill {class}"))
        .text(&format!("{mark} {} {text}", lang.t(l::SCORE)));
}

/// A legend swatch: a short line (solid or dashed), or a filled box (plain or hatched).
fn swatch(x: &mut Xml, color: &str, kind: &str) {
    x.tag("svg")
        .a("xmlns", "http://www.w3.org/2000/svg")
        .a("width", "22")
        .a("height", "10")
        .a("viewBox", "0 0 22 10")
        .with(|x| match kind {
            "box" | "hatch" => {
                x.tag("rect")
                    .a("width", "22")
                    .a("height", "10")
                    .a("fill", color)
                    .a("fill-opacity", "0.35")
                    .empty();
                if kind == "hatch" {
                    x.tag("path")
                        .a("d", "M0 10L10 0M8 10L18 0M16 10L22 4")
                        .a("stroke", color)
                        .a("stroke-width", "1.5")
                        .empty();
                }
            }
            dash => {
                x.tag("line")
                    .a("x1", "0")
                    .a("x2", "22")
                    .a("y1", "5")
                    .a("y2", "5")
                    .a("stroke", color)
                    .a("stroke-width", "2")
                    .a("stroke-dasharray", dash)
                    .empty();
            }
        });
}

/// `kpi-trends`: the most urgent metric × scope pairs a unit target or an alert rule watches, charted; the rest in a
/// table.
pub fn trends(x: &mut Xml, a: &Analysis, lang: Lang, names: &Names<'_>) {
    section(x, "kpi-trends", lang.t(l::TRENDS), |x| {
        x.tag("div").a("class", "legend").with(|x| {
            for (color, kind, text) in [
                (SERIES, "none", lang.t(Tx("metric", "指标"))),
                (GOOD, "none", lang.t(l::TARGET)),
                (WARN, "5 3", lang.t(l::THRESHOLD)),
                (GOOD, "2 3", lang.t(l::STRETCH)),
                (
                    WARN,
                    "1 3",
                    lang.t(Tx("warning level of an alert rule", "告警规则警告线")),
                ),
                (
                    BAD,
                    "1 3",
                    lang.t(Tx("critical level of an alert rule", "告警规则严重线")),
                ),
                (
                    GOOD,
                    "box",
                    lang.t(Tx("band: at or past target", "区间：达到目标")),
                ),
                (
                    WARN,
                    "box",
                    lang.t(Tx("band: between threshold and target", "区间：门槛与目标之间")),
                ),
                (BAD, "box", lang.t(Tx("band: past threshold", "区间：未达门槛"))),
                (
                    WARN,
                    "hatch",
                    lang.t(Tx("warning alert (one stripe)", "警告告警（单斜线）")),
                ),
                (
                    BAD,
                    "hatch",
                    lang.t(Tx("critical alert (cross-hatched)", "严重告警（交叉斜线）")),
                ),
            ] {
                x.tag("span").with(|x| {
                    swatch(x, color, kind);
                    x.text(text);
                });
            }
        });
        if a.trends.is_empty() {
            x.tag("p").a("class", "note").text(lang.t(l::NONE));
            return;
        }
        let shown = charted(a);
        if shown.len() < a.trends.len() {
            x.tag("p").a("class", "note").text(&match lang {
                Lang::En => format!(
                    "The {} most urgent of {} metric × scope pairs are charted (alerts firing first, then the lowest target score); the rest follow in a table.",
                    shown.len(),
                    a.trends.len()
                ),
                Lang::Zh => format!(
                    "共 {} 个指标 × 范围，绘制最紧急的 {} 个（先告警中，再按目标得分从低到高），其余列于下表。",
                    a.trends.len(),
                    shown.len()
                ),
            });
        }
        x.tag("div").a("class", "charts").with(|x| {
            for i in &shown {
                if let Some(t) = a.trends.get(*i) {
                    chart(x, a, *i, t, lang, names);
                }
            }
        });
        let rest: Vec<(usize, &Trend)> = a
            .trends
            .iter()
            .enumerate()
            .filter(|(i, _)| !shown.contains(i))
            .collect();
        if rest.is_empty() {
            return;
        }
        x.tag("details").with(|x| {
            x.tag("summary").text(&format!(
                "{} {}",
                lang.count(
                    rest.len(),
                    "more metric × scope pair",
                    "more metric × scope pairs",
                    "个其他指标 × 范围"
                ),
                lang.t(Tx("(not charted)", "（未绘图）"))
            ));
            x.tag("table").with(|x| {
                x.tag("thead").with(|x| {
                    x.tag("tr").with(|x| {
                        x.tag("th").text(lang.t(l::SCORE));
                        x.tag("th").text("KPI");
                        x.tag("th").a("class", "num").text(lang.t(l::ACTUAL));
                        x.tag("th").a("class", "num").text(lang.t(l::TARGET));
                    });
                });
                x.tag("tbody").with(|x| {
                    for (_, t) in rest.iter().take(MAX_ROWS) {
                        x.tag("tr").with(|x| {
                            x.tag("td")
                                .with(|x| score_pill(x, lang, t.target.as_ref().and_then(|r| r.score)));
                            x.tag("td").text(&format!(
                                "{} · {}",
                                metric_label(a, &t.metric, lang),
                                scope_label(names, &t.scope, lang)
                            ));
                            let value = |v: Option<f64>| {
                                v.map_or_else(|| "–".to_owned(), |v| metric_value(a, &t.metric, v))
                            };
                            x.tag("td")
                                .a("class", "num")
                                .text(&value(t.target.as_ref().and_then(|r| r.actual)));
                            x.tag("td")
                                .a("class", "num")
                                .text(&value(t.target.as_ref().map(|r| r.target)));
                        });
                    }
                });
            });
            super::more(
                x,
                lang,
                rest.len().saturating_sub(MAX_ROWS),
                Tx(
                    "(okpi evaluate --format json lists every target)",
                    "（okpi evaluate --format json 列出全部目标）",
                ),
            );
        });
    });
}

fn chart(x: &mut Xml, a: &Analysis, i: usize, t: &Trend, lang: Lang, names: &Names<'_>) {
    let direction = a
        .document
        .metrics
        .iter()
        .find(|m| m.id == t.metric)
        .map(|m| m.direction)
        .unwrap_or_default();
    x.tag("div")
        .a("class", "chart")
        .a("id", format!("k-{i}"))
        .with(|x| {
            x.tag("h3").with(|x| {
                x.text(&format!(
                    "{} · {}",
                    metric_label(a, &t.metric, lang),
                    scope_label(names, &t.scope, lang)
                ));
                if let Some(tr) = &t.target {
                    x.text(" ");
                    score_pill(x, lang, tr.score);
                    let actual = tr
                        .actual
                        .map_or_else(|| "–".to_owned(), |v| metric_value(a, &t.metric, v));
                    x.tag("span").a("class", "sub").text(&format!(
                        "{} {actual} · {} {}",
                        lang.t(l::ACTUAL),
                        lang.t(l::TARGET),
                        metric_value(a, &t.metric, tr.target)
                    ));
                }
            });
            svg_chart(x, a, i, t, direction, lang);
        });
}

/// A y range on round numbers holding `lo..hi`, and its tick step (1, 2 or 5 × a power of ten, about four
/// ticks). A range too wide to subtract (near ±f64::MAX) is kept as it is, in four steps.
fn nice_range(lo: f64, hi: f64) -> (f64, f64, f64) {
    let (lo, hi) = match (lo.is_finite() && hi.is_finite(), hi > lo) {
        (false, _) => (0.0, 1.0),
        (true, false) => (lo - lo.abs().max(1.0) * 0.1, hi + hi.abs().max(1.0) * 0.1),
        (true, true) => {
            // A little air above and below, never below zero for a series that is not.
            let pad = (hi / 2.0 - lo / 2.0) * 0.08;
            (if lo >= 0.0 { (lo - pad).max(0.0) } else { lo - pad }, hi + pad)
        }
    };
    if !(lo.is_finite() && hi.is_finite() && (hi - lo).is_finite() && hi > lo) {
        let (lo, hi) = (lo.clamp(-f64::MAX, f64::MAX), hi.clamp(-f64::MAX, f64::MAX));
        return (lo, hi, hi / 4.0 - lo / 4.0);
    }
    let raw = (hi - lo) / 4.0;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = magnitude
        * match raw / magnitude {
            n if n <= 1.0 => 1.0,
            n if n <= 2.0 => 2.0,
            n if n <= 5.0 => 5.0,
            _ => 10.0,
        };
    let (lo2, hi2) = ((lo / step).floor() * step, (hi / step).ceil() * step);
    if lo2.is_finite() && hi2.is_finite() && hi2 > lo2 {
        (lo2, hi2, step)
    } else {
        (lo, hi, hi / 4.0 - lo / 4.0)
    }
}

/// The positions of a chart: `lo..hi` onto the plot's height, the cycle onto its width. Every position is finite.
struct Scale {
    lo: f64,
    hi: f64,
    start: NaiveDate,
    days: f64,
}

impl Scale {
    fn y(&self, v: f64) -> f64 {
        // Halves, so that a range near ±f64::MAX does not overflow.
        let f = (v / 2.0 - self.lo / 2.0) / (self.hi / 2.0 - self.lo / 2.0);
        let f = if f.is_finite() { f.clamp(-1.0, 2.0) } else { 0.0 };
        TOP + (H - TOP - BOTTOM) * (1.0 - f)
    }
    fn x(&self, d: NaiveDate) -> f64 {
        let f = (d - self.start).num_days() as f64 / self.days;
        LEFT + (W - LEFT - RIGHT) * if f.is_finite() { f.clamp(0.0, 1.0) } else { 0.0 }
    }
}

/// The month starts to label on a cycle's x axis: every month for a quarter, fewer for a longer cycle (at most
/// about eight labels, however long the cycle).
fn month_ticks(start: NaiveDate, end: NaiveDate) -> Vec<NaiveDate> {
    let months = (end.year() - start.year()) as i64 * 12 + end.month() as i64 - start.month() as i64;
    let step = [1, 2, 3, 6, 12, 24, 60, 120, 240, 600, 1200, 2400, 6000, 12000]
        .into_iter()
        .find(|s| months / s <= 8)
        .unwrap_or(24000);
    let mut out = vec![start];
    let first = start.with_day(1).unwrap_or(start);
    for i in 1..=9 {
        let Some(d) = u32::try_from(step * i)
            .ok()
            .and_then(|m| first.checked_add_months(chrono::Months::new(m)))
        else {
            break;
        };
        if d > end {
            break;
        }
        out.push(d);
    }
    out
}

fn svg_chart(x: &mut Xml, a: &Analysis, i: usize, t: &Trend, direction: Direction, lang: Lang) {
    let values: Vec<f64> = t
        .table
        .cells
        .iter()
        .filter_map(|c| c.value)
        .filter(|v| v.is_finite())
        .collect();
    let mut levels: Vec<f64> = values.clone();
    if let Some(tr) = &t.target {
        levels.extend([Some(tr.target), tr.threshold, tr.stretch].into_iter().flatten());
    }
    let rule_lines: Vec<(f64, AlertSeverity)> = t
        .alerts
        .iter()
        .filter(|(rule, _)| matches!(rule.condition, Condition::Above | Condition::Below))
        .flat_map(|(rule, _)| {
            [
                (rule.warning, AlertSeverity::Warning),
                (rule.critical, AlertSeverity::Critical),
            ]
            .into_iter()
            .filter_map(|(th, s)| Some((th?.value?, s)))
        })
        .collect();
    levels.extend(rule_lines.iter().map(|r| r.0));
    let (lo, hi) = levels
        .iter()
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(*v), hi.max(*v))
        });
    let (lo, hi, step) = nice_range(lo, hi);
    let s = Scale {
        lo,
        hi,
        start: a.cycle.start,
        days: ((a.cycle.end - a.cycle.start).num_days() + 1) as f64,
    };
    let (plot_top, plot_bottom) = (TOP, H - BOTTOM);
    let clamp_y = |v: f64| s.y(v).clamp(plot_top, plot_bottom);
    let value = |v: f64| metric_value(a, &t.metric, v);
    x.tag("svg")
        .a("xmlns", "http://www.w3.org/2000/svg")
        .a("viewBox", format!("0 0 {W} {H}"))
        .a("width", "100%")
        .a("role", "img")
        .with(|x| {
            x.tag("defs").with(|x| {
                for (sev, color, d) in [("w", WARN, "M0 8L8 0"), ("c", BAD, "M0 8L8 0M0 0L8 8")] {
                    x.tag("pattern")
                        .a("id", format!("h{sev}{i}"))
                        .a("width", "8")
                        .a("height", "8")
                        .a("patternUnits", "userSpaceOnUse")
                        .with(|x| {
                            x.tag("path")
                                .a("d", d)
                                .a("stroke", color)
                                .a("stroke-width", "1.5")
                                .a("stroke-opacity", "0.7")
                                .empty();
                        });
                }
            });
            x.tag("rect")
                .a("x", LEFT)
                .a("y", TOP)
                .a("width", W - LEFT - RIGHT)
                .a("height", plot_bottom - plot_top)
                .a("fill", "#fbfcfd")
                .a("stroke", "#d9dee4")
                .empty();
            // Bands: good, watch, bad, by the metric's direction.
            if let Some(tr) = &t.target {
                let band = |x: &mut Xml, from: f64, to: f64, fill: &str| {
                    let (y1, y2) = (clamp_y(from.max(to)), clamp_y(from.min(to)));
                    if y2 > y1 {
                        x.tag("rect")
                            .a("x", LEFT)
                            .a("y", f1(y1))
                            .a("width", W - LEFT - RIGHT)
                            .a("height", f1(y2 - y1))
                            .a("fill", fill)
                            .a("fill-opacity", "0.10")
                            .empty();
                    }
                };
                match (direction, tr.threshold) {
                    (Direction::Band { lo, hi }, _) => band(x, lo, hi, GOOD),
                    (Direction::HigherIsBetter, Some(th)) => {
                        band(x, tr.target, s.hi, GOOD);
                        band(x, th, tr.target, WARN);
                        band(x, s.lo, th, BAD);
                    }
                    (Direction::LowerIsBetter, Some(th)) => {
                        band(x, s.lo, tr.target, GOOD);
                        band(x, tr.target, th, WARN);
                        band(x, th, s.hi, BAD);
                    }
                    (Direction::HigherIsBetter, None) => band(x, tr.target, s.hi, GOOD),
                    (Direction::LowerIsBetter, None) => band(x, s.lo, tr.target, GOOD),
                }
            }
            // Alert episodes: hatched (one stripe for warning, cross-hatched for critical), so that they read
            // over the bands without colour.
            for (rule, result) in &t.alerts {
                for ep in episodes(result, a.until) {
                    let (x1, x2) = (s.x(ep.from), s.x(ep.to + Duration::days(1)));
                    let pattern = match ep.severity {
                        AlertSeverity::Critical => format!("url(#hc{i})"),
                        AlertSeverity::Warning => format!("url(#hw{i})"),
                    };
                    x.tag("rect")
                        .a("x", f1(x1))
                        .a("y", TOP)
                        .a("width", f1((x2 - x1).max(1.5)))
                        .a("height", plot_bottom - plot_top)
                        .a("fill", pattern)
                        .a("class", "episode")
                        .with(|x| {
                            x.tag("title").text(&format!(
                                "{}: {} {} – {}",
                                rule.id,
                                lang.alert_severity(ep.severity),
                                ep.from,
                                ep.to
                            ));
                        });
                }
            }
            // Axes: y ticks with separators (shares in percent) and the unit above; month starts below.
            let n = ((hi - lo) / step).round();
            let n = if n.is_finite() {
                (n as usize).clamp(1, 12)
            } else {
                4
            };
            for k in 0..=n {
                let f = k as f64 / n as f64;
                let v = lo * (1.0 - f) + hi * f;
                let y = s.y(v);
                x.tag("line")
                    .a("x1", LEFT - 4.0)
                    .a("x2", LEFT)
                    .a("y1", f1(y))
                    .a("y2", f1(y))
                    .a("stroke", AXIS)
                    .empty();
                x.tag("text")
                    .a("x", LEFT - 6.0)
                    .a("y", f1(y + 4.0))
                    .a("text-anchor", "end")
                    .a("font-size", "10")
                    .a("fill", AXIS)
                    .text(&value(v));
            }
            let unit = crate::labels::metric_unit(a, &t.metric);
            let unit = if crate::labels::is_share(a, &t.metric) {
                String::from("%")
            } else {
                unit.trim().to_owned()
            };
            if !unit.is_empty() {
                x.tag("text")
                    .a("x", LEFT - 6.0)
                    .a("y", "10")
                    .a("text-anchor", "end")
                    .a("font-size", "10")
                    .a("fill", AXIS)
                    .text(&unit);
            }
            for d in month_ticks(a.cycle.start, a.cycle.end) {
                let px = s.x(d);
                x.tag("line")
                    .a("x1", f1(px))
                    .a("x2", f1(px))
                    .a("y1", plot_bottom)
                    .a("y2", plot_bottom + 4.0)
                    .a("stroke", AXIS)
                    .empty();
                let long = (a.cycle.end - a.cycle.start).num_days() > 400;
                let label = match (lang, long) {
                    (Lang::En, false) => d.format("%b %-d").to_string(),
                    (Lang::Zh, false) => format!("{}月{}日", d.month(), d.day()),
                    (_, true) => d.format("%Y-%m").to_string(),
                };
                x.tag("text")
                    .a("x", f1(px + 2.0))
                    .a("y", f1(plot_bottom + 16.0))
                    .a("font-size", "10")
                    .a("fill", AXIS)
                    .text(&label);
            }
            // Level lines.
            let hline = |x: &mut Xml, v: f64, color: &str, dash: &str, tip: String| {
                let y = s.y(v);
                if !(plot_top..=plot_bottom).contains(&y) {
                    return;
                }
                x.tag("line")
                    .a("x1", LEFT)
                    .a("x2", W - RIGHT)
                    .a("y1", f1(y))
                    .a("y2", f1(y))
                    .a("stroke", color)
                    .a("stroke-width", "1.4")
                    .a("stroke-dasharray", dash)
                    .with(|x| x.tag("title").text(&tip));
            };
            if let Some(tr) = &t.target {
                hline(
                    x,
                    tr.target,
                    GOOD,
                    "none",
                    format!("{} {}", lang.t(l::TARGET), value(tr.target)),
                );
                if let Some(th) = tr.threshold {
                    hline(
                        x,
                        th,
                        WARN,
                        "5 3",
                        format!("{} {}", lang.t(l::THRESHOLD), value(th)),
                    );
                }
                if let Some(st) = tr.stretch {
                    hline(
                        x,
                        st,
                        GOOD,
                        "2 3",
                        format!("{} {}", lang.t(l::STRETCH), value(st)),
                    );
                }
            }
            for (v, sev) in &rule_lines {
                let color = match sev {
                    AlertSeverity::Critical => BAD,
                    AlertSeverity::Warning => WARN,
                };
                hline(
                    x,
                    *v,
                    color,
                    "1 3",
                    format!("{} {}", lang.alert_severity(*sev), value(*v)),
                );
            }
            // The series, broken where a cell is undefined.
            let mut segments: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
            for c in &t.table.cells {
                match c.value.filter(|v| v.is_finite()) {
                    Some(v) => {
                        let end = c
                            .period_end
                            .checked_add_days(chrono::Days::new(1))
                            .unwrap_or(c.period_end);
                        let mid = (s.x(c.period_start) + s.x(end)) / 2.0;
                        if let Some(seg) = segments.last_mut() {
                            seg.push((mid, s.y(v)));
                        }
                    }
                    None => segments.push(Vec::new()),
                }
            }
            for seg in segments.iter().filter(|s| !s.is_empty()) {
                let points: Vec<String> = seg
                    .iter()
                    .map(|(px, py)| format!("{},{}", f1(*px), f1(*py)))
                    .collect();
                if seg.len() == 1 {
                    if let Some((px, py)) = seg.first() {
                        x.tag("circle")
                            .a("cx", f1(*px))
                            .a("cy", f1(*py))
                            .a("r", "2")
                            .a("fill", SERIES)
                            .empty();
                    }
                } else {
                    x.tag("polyline")
                        .a("points", points.join(" "))
                        .a("fill", "none")
                        .a("stroke", SERIES)
                        .a("stroke-width", "1.6")
                        .a("stroke-linejoin", "round")
                        .empty();
                }
            }
        });
}

/// How many scorecards of each group (units, people) are listed before the rest is collapsed.
const SCORECARDS_SHOWN: usize = 12;

/// `scorecards`: units and people apart, each with its grade distribution and its scorecards by total (the first
/// [`SCORECARDS_SHOWN`] open, the rest up to [`MAX_ROWS`] collapsed).
pub fn scorecards(x: &mut Xml, a: &Analysis, lang: Lang, names: &Names<'_>) {
    section(x, "scorecards", lang.t(l::SCORECARDS), |x| {
        if a.scorecards.scorecards.is_empty() {
            x.tag("p").a("class", "note").text(lang.t(l::NONE));
            return;
        }
        for (people, heading) in [(false, Tx("Units", "部门")), (true, Tx("People", "个人"))] {
            let mut cards: Vec<&okpi::kpi::ScorecardResult> = a
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
            x.tag("h3").text(&format!(
                "{} ({})",
                lang.t(heading),
                lang.count(cards.len(), "scorecard", "scorecards", "张计分卡")
            ));
            x.tag("div").a("class", "two").with(|x| {
                x.tag("div").with(|x| {
                    x.tag("div").a("class", "note").text(lang.t(l::DISTRIBUTION));
                    distribution(x, a, lang, people);
                });
                x.tag("div").with(|x| {
                    table(x, a, lang, names, cards.iter().take(SCORECARDS_SHOWN).copied());
                    let rest: Vec<_> = cards.iter().skip(SCORECARDS_SHOWN).copied().collect();
                    if !rest.is_empty() {
                        x.tag("details").with(|x| {
                            x.tag("summary").text(&lang.count(
                                rest.len(),
                                "more scorecard",
                                "more scorecards",
                                "张其他计分卡",
                            ));
                            table(x, a, lang, names, rest.iter().take(MAX_ROWS).copied());
                            super::more(
                                x,
                                lang,
                                rest.len().saturating_sub(MAX_ROWS),
                                Tx(
                                    "(okpi evaluate --format json lists every scorecard)",
                                    "（okpi evaluate --format json 列出全部计分卡）",
                                ),
                            );
                        });
                    }
                });
            });
        }
    });
}

fn table<'s>(
    x: &mut Xml,
    a: &Analysis,
    lang: Lang,
    names: &Names<'_>,
    cards: impl Iterator<Item = &'s okpi::kpi::ScorecardResult> + Clone,
) {
    let ranked = cards.clone().any(|c| c.rank.is_some());
    x.tag("table").with(|x| {
        x.tag("thead").with(|x| {
            x.tag("tr").with(|x| {
                x.tag("th").text("");
                x.tag("th").a("class", "num").text(lang.t(l::GRADE));
                x.tag("th").a("class", "num").text(lang.t(l::TOTAL));
                if ranked {
                    x.tag("th").a("class", "num").text(lang.t(l::RANK));
                }
                x.tag("th")
                    .text(lang.t(Tx("items (weight: score)", "考核项（权重：得分）")));
            });
        });
        x.tag("tbody").with(|x| {
            for sc in cards {
                x.tag("tr").with(|x| {
                    x.tag("td").with(|x| {
                        super::title(x, lang, &scope_name(names, &sc.subject));
                    });
                    x.tag("td").a("class", "num").with(|x| {
                        x.tag("span")
                            .a("class", "grade")
                            .text(sc.grade.as_deref().unwrap_or("–"));
                    });
                    x.tag("td")
                        .a("class", "num")
                        .text(&sc.total.map_or_else(|| "–".to_owned(), |t| format!("{t:.1}")));
                    if ranked {
                        x.tag("td")
                            .a("class", "num")
                            .text(&sc.rank.map_or_else(|| "–".to_owned(), |r| r.to_string()));
                    }
                    x.tag("td").with(|x| {
                        for item in &sc.items {
                            let metric = a
                                .document
                                .targets
                                .iter()
                                .find(|t| t.id == item.target)
                                .map_or_else(|| item.target.clone(), |t| metric_label(a, &t.metric, lang));
                            let score = item.score.map_or_else(|| "–".to_owned(), |s| format!("{s:.1}"));
                            x.tag("span")
                                .a("class", "chip")
                                .text(&format!("{metric} ({}%: {score})", num(item.weight)));
                        }
                        if let Some(okr) = sc.okr_score {
                            x.tag("span").a("class", "chip").text(&format!("OKR {okr:.1}"));
                        }
                        if let Some(why) = &sc.undefined {
                            x.tag("span").a("class", "note").text(why);
                        }
                    });
                });
            }
        });
    });
}

fn scope_name(names: &Names<'_>, scope: &Scope) -> String {
    match scope {
        Scope::Unit(u) => names.unit(u).to_owned(),
        Scope::Person(p) => names.person(p).to_owned(),
    }
}

fn distribution(x: &mut Xml, a: &Analysis, lang: Lang, people: bool) {
    let dist = grade_distribution(a, Some(people));
    let max = dist.iter().map(|d| d.1).max().unwrap_or(0).max(1) as f64;
    let (w, h, bottom) = (380.0, 150.0, 24.0);
    let step = w / dist.len().max(1) as f64;
    x.tag("svg")
        .a("xmlns", "http://www.w3.org/2000/svg")
        .a("viewBox", format!("0 0 {w} {h}"))
        .a("width", "100%")
        .a("role", "img")
        .with(|x| {
            for (i, (grade, n)) in dist.iter().enumerate() {
                let bh = (h - bottom - 18.0) * (*n as f64) / max;
                let bx = step * i as f64 + step * 0.2;
                x.tag("rect")
                    .a("x", f1(bx))
                    .a("y", f1(h - bottom - bh))
                    .a("width", f1(step * 0.6))
                    .a("height", f1(bh))
                    .a("rx", "3")
                    .a("fill", SERIES)
                    .with(|x| {
                        x.tag("title").text(&format!("{} {grade}: {n}", lang.t(l::GRADE)));
                    });
                x.tag("text")
                    .a("x", f1(bx + step * 0.3))
                    .a("y", f1(h - bottom - bh - 4.0))
                    .a("text-anchor", "middle")
                    .a("font-size", "12")
                    .a("fill", "#1f2933")
                    .text(&n.to_string());
                x.tag("text")
                    .a("x", f1(bx + step * 0.3))
                    .a("y", f1(h - 6.0))
                    .a("text-anchor", "middle")
                    .a("font-size", "13")
                    .a("font-weight", "700")
                    .a("fill", "#1f2933")
                    .text(grade);
            }
        });
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic
    )]
    use super::*;
    use okpi::alert::{Event, State};

    fn ev(kind: EventKind, day: u32, severity: Option<AlertSeverity>) -> Event {
        serde_json::from_value(serde_json::json!({
            "type": kind,
            "rule": "r",
            "date": NaiveDate::from_ymd_opt(2026, 3, day).unwrap(),
            "value": null,
            "measure": null,
            "threshold": null,
            "severity": severity,
            "explanation": "",
        }))
        .unwrap()
    }

    #[test]
    fn ranges_land_on_round_numbers() {
        assert_eq!(nice_range(0.98, 1.0), (0.97, 1.01, 0.01));
        assert_eq!(nice_range(3.0, 1180.0), (0.0, 1500.0, 500.0));
        assert_eq!(nice_range(-3.0, 7.0), (-5.0, 10.0, 5.0)); // padded to -3.4..7.4: step 2.7 → 5
        assert_eq!(nice_range(5.0, 5.0), (4.5, 5.5, 0.5)); // a flat series gets ±10 %: step 0.25 → 0.5
        let (lo, hi, step) = nice_range(-f64::MAX, f64::MAX);
        assert!(lo.is_finite() && hi.is_finite() && step.is_finite() && step > 0.0);
    }

    #[test]
    fn a_long_cycle_gets_a_few_month_labels() {
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
        assert_eq!(month_ticks(d(2026, 1, 1), d(2026, 3, 31)).len(), 3);
        assert!(month_ticks(d(1, 1, 1), d(9999, 12, 31)).len() <= 10);
    }

    #[test]
    fn episodes_run_from_firing_to_the_day_before_the_end_and_split_on_severity() {
        let day = |d| NaiveDate::from_ymd_opt(2026, 3, d).unwrap();
        let events = vec![
            ev(EventKind::Pending, 1, Some(AlertSeverity::Warning)),
            ev(EventKind::Firing, 2, Some(AlertSeverity::Warning)),
            ev(EventKind::SeverityChanged, 4, Some(AlertSeverity::Critical)),
            ev(EventKind::Resolved, 6, Some(AlertSeverity::Critical)),
            ev(EventKind::Firing, 9, Some(AlertSeverity::Critical)),
        ];
        let result: AlertResult = serde_json::from_value(serde_json::json!({
            "rule": "r",
            "metric": "m",
            "metric_version": "",
            "series": [],
            "events": events,
            "state": State::default(),
        }))
        .unwrap();
        let got = episodes(&result, day(10));
        assert_eq!(
            got,
            [
                Episode {
                    from: day(2),
                    to: day(3),
                    severity: AlertSeverity::Warning
                },
                Episode {
                    from: day(4),
                    to: day(5),
                    severity: AlertSeverity::Critical
                },
                Episode {
                    from: day(9),
                    to: day(10),
                    severity: AlertSeverity::Critical
                },
            ]
        );
    }
}
