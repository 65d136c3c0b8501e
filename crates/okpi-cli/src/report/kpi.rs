//! The KPI sections: trend charts (the series, the target's threshold / target / stretch bands, the alert
//! rules' thresholds and the alert episodes), and the scorecards with their grade distribution.

use super::section;
use super::xml::{f1, Xml};
use crate::analysis::{Analysis, Trend};
use crate::dashboard::num;
use crate::i18n::{label as l, Lang, Tx};
use crate::labels::{grade_distribution, metric_label, scope_label, Names};
use chrono::{Datelike, Duration, NaiveDate};
use okpi::alert::{AlertResult, Condition, EventKind, Severity};
use okpi::model::{Direction, Scope};

/// A stretch of days an alert was firing, at one severity.
#[derive(Debug, Clone, PartialEq)]
pub struct Episode {
    /// First day firing.
    pub from: NaiveDate,
    /// Last day firing.
    pub to: NaiveDate,
    /// The severity.
    pub severity: Severity,
}

/// The firing episodes of one rule's events: from `firing` (or a `severity_changed`) to the day before the
/// event that ends it, or to `until` while still firing.
pub fn episodes(result: &AlertResult, until: NaiveDate) -> Vec<Episode> {
    let mut out = Vec::new();
    let mut open: Option<(NaiveDate, Severity)> = None;
    for e in &result.events {
        let close = |open: &mut Option<(NaiveDate, Severity)>, out: &mut Vec<Episode>| {
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
                open = Some((e.date, e.severity.unwrap_or(Severity::Warning)));
            }
            EventKind::Resolved | EventKind::NoData => close(&mut open, &mut out),
            EventKind::Pending => {}
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
const LEFT: f64 = 56.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 10.0;
const BOTTOM: f64 = 26.0;

/// `kpi-trends`: one chart per metric × scope that a unit target or an alert rule watches.
pub fn trends(x: &mut Xml, a: &Analysis, lang: Lang, names: &Names<'_>) {
    section(x, "kpi-trends", lang.t(l::TRENDS), |x| {
        x.tag("div").a("class", "legend").with(|x| {
            for (color, text) in [
                ("#3b6fd8", lang.t(Tx("metric", "指标"))),
                ("#1f9d55", lang.t(l::TARGET)),
                ("#e0a100", lang.t(l::THRESHOLD)),
                ("rgba(214,69,65,.35)", lang.t(Tx("critical alert", "严重告警"))),
                ("rgba(224,161,0,.35)", lang.t(Tx("warning alert", "警告告警"))),
            ] {
                x.tag("span").with(|x| {
                    x.tag("i").a("style", format!("background:{color}")).empty();
                    x.text(text);
                });
            }
        });
        if a.trends.is_empty() {
            x.tag("p").a("class", "note").text(lang.t(l::NONE));
        }
        x.tag("div").a("class", "charts").with(|x| {
            for t in &a.trends {
                chart(x, a, t, lang, names);
            }
        });
    });
}

fn chart(x: &mut Xml, a: &Analysis, t: &Trend, lang: Lang, names: &Names<'_>) {
    let direction = a
        .document
        .metrics
        .iter()
        .find(|m| m.id == t.metric)
        .map(|m| m.direction)
        .unwrap_or_default();
    x.tag("div").a("class", "chart").with(|x| {
        x.tag("h3").with(|x| {
            x.text(&format!(
                "{} · {}",
                metric_label(a, &t.metric, lang),
                scope_label(names, &t.scope, lang)
            ));
            if let Some(tr) = &t.target {
                let class = match tr.score {
                    None => "n",
                    Some(s) if s < 50.0 => "b",
                    Some(s) if s < 100.0 => "w",
                    Some(_) => "g",
                };
                let score = tr
                    .score
                    .map_or_else(|| lang.t(l::NO_DATA).to_owned(), |s| format!("{s:.1}"));
                x.tag("span")
                    .a("class", format!("pill {class}"))
                    .a("style", "margin-left:8px")
                    .text(&format!("{} {score}", lang.t(l::SCORE)));
                let actual = tr.actual.map_or_else(|| "–".to_owned(), num);
                x.tag("span").a("class", "sub").text(&format!(
                    "{} {actual} · {} {}",
                    lang.t(l::ACTUAL),
                    lang.t(l::TARGET),
                    num(tr.target)
                ));
            }
        });
        svg_chart(x, a, t, direction, lang);
    });
}

/// A y range on round numbers holding `lo..hi`, and its tick step (1, 2 or 5 × a power of ten, about four
/// ticks).
fn nice_range(lo: f64, hi: f64) -> (f64, f64, f64) {
    let (lo, hi) = match (lo.is_finite() && hi.is_finite(), hi > lo) {
        (false, _) => (0.0, 1.0),
        (true, false) => (lo - lo.abs().max(1.0) * 0.1, hi + hi.abs().max(1.0) * 0.1),
        (true, true) => {
            // A little air above and below, never below zero for a series that is not.
            let pad = (hi - lo) * 0.04;
            (if lo >= 0.0 { (lo - pad).max(0.0) } else { lo - pad }, hi + pad)
        }
    };
    let raw = (hi - lo) / 4.0;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = magnitude
        * match raw / magnitude {
            n if n <= 1.0 => 1.0,
            n if n <= 2.0 => 2.0,
            n if n <= 5.0 => 5.0,
            _ => 10.0,
        };
    ((lo / step).floor() * step, (hi / step).ceil() * step, step)
}

/// The y positions of a chart: `lo..hi` onto the plot's height.
struct Scale {
    lo: f64,
    hi: f64,
    start: NaiveDate,
    days: f64,
}

impl Scale {
    fn y(&self, v: f64) -> f64 {
        TOP + (H - TOP - BOTTOM) * (1.0 - (v - self.lo) / (self.hi - self.lo))
    }
    fn x(&self, d: NaiveDate) -> f64 {
        LEFT + (W - LEFT - RIGHT) * ((d - self.start).num_days() as f64 / self.days)
    }
}

fn svg_chart(x: &mut Xml, a: &Analysis, t: &Trend, direction: Direction, lang: Lang) {
    let values: Vec<f64> = t.table.cells.iter().filter_map(|c| c.value).collect();
    let mut levels: Vec<f64> = values.clone();
    if let Some(tr) = &t.target {
        levels.extend([Some(tr.target), tr.threshold, tr.stretch].into_iter().flatten());
    }
    let rule_lines: Vec<(f64, Severity)> = t
        .alerts
        .iter()
        .filter(|(rule, _)| matches!(rule.condition, Condition::Above | Condition::Below))
        .flat_map(|(rule, _)| {
            [
                (rule.warning, Severity::Warning),
                (rule.critical, Severity::Critical),
            ]
            .into_iter()
            .filter_map(|(th, s)| Some((th?.value?, s)))
        })
        .collect();
    levels.extend(rule_lines.iter().map(|r| r.0));
    let (lo, hi) = levels
        .iter()
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
    x.tag("svg")
        .a("xmlns", "http://www.w3.org/2000/svg")
        .a("viewBox", format!("0 0 {W} {H}"))
        .a("width", "100%")
        .a("role", "img")
        .with(|x| {
            x.tag("rect")
                .a("x", LEFT)
                .a("y", TOP)
                .a("width", W - LEFT - RIGHT)
                .a("height", plot_bottom - plot_top)
                .a("fill", "#fbfcfd")
                .a("stroke", "#e4e7eb")
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
                            .empty();
                    }
                };
                let (good, watch, bad) = (
                    "rgba(31,157,85,.10)",
                    "rgba(224,161,0,.10)",
                    "rgba(214,69,65,.08)",
                );
                match (direction, tr.threshold) {
                    (Direction::Band { lo, hi }, _) => band(x, lo, hi, good),
                    (Direction::HigherIsBetter, Some(th)) => {
                        band(x, tr.target, s.hi, good);
                        band(x, th, tr.target, watch);
                        band(x, s.lo, th, bad);
                    }
                    (Direction::LowerIsBetter, Some(th)) => {
                        band(x, s.lo, tr.target, good);
                        band(x, tr.target, th, watch);
                        band(x, th, s.hi, bad);
                    }
                    (Direction::HigherIsBetter, None) => band(x, tr.target, s.hi, good),
                    (Direction::LowerIsBetter, None) => band(x, s.lo, tr.target, good),
                }
            }
            // Alert episodes.
            for (rule, result) in &t.alerts {
                for ep in episodes(result, a.until) {
                    let (x1, x2) = (s.x(ep.from), s.x(ep.to + Duration::days(1)));
                    let color = match ep.severity {
                        Severity::Critical => "rgba(214,69,65,.30)",
                        Severity::Warning => "rgba(224,161,0,.30)",
                    };
                    x.tag("rect")
                        .a("x", f1(x1))
                        .a("y", TOP)
                        .a("width", f1((x2 - x1).max(1.5)))
                        .a("height", plot_bottom - plot_top)
                        .a("fill", color)
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
            // Axes: y ticks and month starts.
            let mut v = s.lo;
            while v <= s.hi + step / 2.0 {
                let y = s.y(v);
                x.tag("line")
                    .a("x1", LEFT - 4.0)
                    .a("x2", LEFT)
                    .a("y1", f1(y))
                    .a("y2", f1(y))
                    .a("stroke", "#9aa5b1")
                    .empty();
                x.tag("text")
                    .a("x", LEFT - 6.0)
                    .a("y", f1(y + 4.0))
                    .a("text-anchor", "end")
                    .a("font-size", "10")
                    .a("fill", "#616e7c")
                    .text(&num(v));
                v += step;
            }
            let mut d = a.cycle.start;
            while d <= a.cycle.end {
                if d.day() == 1 || d == a.cycle.start {
                    let px = s.x(d);
                    x.tag("line")
                        .a("x1", f1(px))
                        .a("x2", f1(px))
                        .a("y1", plot_bottom)
                        .a("y2", plot_bottom + 4.0)
                        .a("stroke", "#9aa5b1")
                        .empty();
                    let label = match lang {
                        Lang::En => d.format("%b %-d").to_string(),
                        Lang::Zh => format!("{}月{}日", d.month(), d.day()),
                    };
                    x.tag("text")
                        .a("x", f1(px + 2.0))
                        .a("y", f1(plot_bottom + 16.0))
                        .a("font-size", "10")
                        .a("fill", "#616e7c")
                        .text(&label);
                }
                d += Duration::days(1);
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
                    "#1f9d55",
                    "none",
                    format!("{} {}", lang.t(l::TARGET), num(tr.target)),
                );
                if let Some(th) = tr.threshold {
                    hline(
                        x,
                        th,
                        "#e0a100",
                        "5 3",
                        format!("{} {}", lang.t(l::THRESHOLD), num(th)),
                    );
                }
                if let Some(st) = tr.stretch {
                    hline(
                        x,
                        st,
                        "#1f9d55",
                        "2 3",
                        format!("{} {}", lang.t(l::STRETCH), num(st)),
                    );
                }
            }
            for (v, sev) in &rule_lines {
                let color = match sev {
                    Severity::Critical => "#d64541",
                    Severity::Warning => "#e0a100",
                };
                hline(
                    x,
                    *v,
                    color,
                    "1 3",
                    format!("{} {}", lang.alert_severity(*sev), num(*v)),
                );
            }
            // The series, broken where a cell is undefined.
            let mut segments: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
            for c in &t.table.cells {
                match c.value {
                    Some(v) => {
                        let mid = (s.x(c.period_start) + s.x(c.period_end + Duration::days(1))) / 2.0;
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
                            .a("fill", "#3b6fd8")
                            .empty();
                    }
                } else {
                    x.tag("polyline")
                        .a("points", points.join(" "))
                        .a("fill", "none")
                        .a("stroke", "#3b6fd8")
                        .a("stroke-width", "1.6")
                        .a("stroke-linejoin", "round")
                        .empty();
                }
            }
        });
}

/// `scorecards`: every scorecard with its items, total, grade and rank, and the grade distribution.
pub fn scorecards(x: &mut Xml, a: &Analysis, lang: Lang, names: &Names<'_>) {
    section(x, "scorecards", lang.t(l::SCORECARDS), |x| {
        if a.scorecards.scorecards.is_empty() {
            x.tag("p").a("class", "note").text(lang.t(l::NONE));
            return;
        }
        x.tag("div").a("class", "two").with(|x| {
            x.tag("div").with(|x| {
                x.tag("h3")
                    .a("style", "margin:0 0 6px;font-size:14px")
                    .text(lang.t(l::DISTRIBUTION));
                distribution(x, a, lang);
            });
            x.tag("table").with(|x| {
                x.tag("thead").with(|x| {
                    x.tag("tr").with(|x| {
                        x.tag("th").text("");
                        x.tag("th").a("class", "num").text(lang.t(l::GRADE));
                        x.tag("th").a("class", "num").text(lang.t(l::TOTAL));
                        x.tag("th").a("class", "num").text(lang.t(l::RANK));
                        x.tag("th")
                            .text(lang.t(Tx("items (weight: score)", "考核项（权重：得分）")));
                    });
                });
                x.tag("tbody").with(|x| {
                    for sc in &a.scorecards.scorecards {
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
                            x.tag("td")
                                .a("class", "num")
                                .text(&sc.rank.map_or_else(|| "–".to_owned(), |r| r.to_string()));
                            x.tag("td").with(|x| {
                                for item in &sc.items {
                                    let metric = a
                                        .document
                                        .targets
                                        .iter()
                                        .find(|t| t.id == item.target)
                                        .map_or_else(
                                            || item.target.clone(),
                                            |t| metric_label(a, &t.metric, lang),
                                        );
                                    let score =
                                        item.score.map_or_else(|| "–".to_owned(), |s| format!("{s:.1}"));
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
        });
    });
}

fn scope_name(names: &Names<'_>, scope: &Scope) -> String {
    match scope {
        Scope::Unit(u) => names.unit(u).to_owned(),
        Scope::Person(p) => names.person(p).to_owned(),
    }
}

fn distribution(x: &mut Xml, a: &Analysis, lang: Lang) {
    let dist = grade_distribution(a);
    let max = dist.iter().map(|d| d.1).max().unwrap_or(0).max(1) as f64;
    let (w, h, bottom) = (380.0, 180.0, 24.0);
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
                    .a("fill", "#3b6fd8")
                    .with(|x| {
                        x.tag("title").text(&format!("{} {grade}: {n}", lang.t(l::GRADE)));
                    });
                x.tag("text")
                    .a("x", f1(bx + step * 0.3))
                    .a("y", f1(h - bottom - bh - 4.0))
                    .a("text-anchor", "middle")
                    .a("font-size", "12")
                    .text(&n.to_string());
                x.tag("text")
                    .a("x", f1(bx + step * 0.3))
                    .a("y", f1(h - 6.0))
                    .a("text-anchor", "middle")
                    .a("font-size", "13")
                    .a("font-weight", "700")
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

    fn ev(kind: EventKind, day: u32, severity: Option<Severity>) -> Event {
        Event {
            kind,
            rule: "r".into(),
            date: NaiveDate::from_ymd_opt(2026, 3, day).unwrap(),
            value: None,
            measure: None,
            threshold: None,
            band: None,
            severity,
            explanation: String::new(),
        }
    }

    #[test]
    fn ranges_land_on_round_numbers() {
        assert_eq!(nice_range(0.98, 1.0), (0.97, 1.01, 0.01));
        assert_eq!(nice_range(3.0, 1180.0), (0.0, 1500.0, 500.0));
        assert_eq!(nice_range(-3.0, 7.0), (-5.0, 10.0, 5.0)); // padded to -3.4..7.4: step 2.7 → 5
        assert_eq!(nice_range(5.0, 5.0), (4.5, 5.5, 0.5)); // a flat series gets ±10 %: step 0.25 → 0.5
    }

    #[test]
    fn episodes_run_from_firing_to_the_day_before_the_end_and_split_on_severity() {
        let day = |d| NaiveDate::from_ymd_opt(2026, 3, d).unwrap();
        let result = AlertResult {
            rule: "r".into(),
            metric: "m".into(),
            metric_version: String::new(),
            series: Vec::new(),
            events: vec![
                ev(EventKind::Pending, 1, Some(Severity::Warning)),
                ev(EventKind::Firing, 2, Some(Severity::Warning)),
                ev(EventKind::SeverityChanged, 4, Some(Severity::Critical)),
                ev(EventKind::Resolved, 6, Some(Severity::Critical)),
                ev(EventKind::Firing, 9, Some(Severity::Critical)),
            ],
            state: State::default(),
        };
        let got = episodes(&result, day(10));
        assert_eq!(
            got,
            [
                Episode {
                    from: day(2),
                    to: day(3),
                    severity: Severity::Warning
                },
                Episode {
                    from: day(4),
                    to: day(5),
                    severity: Severity::Critical
                },
                Episode {
                    from: day(9),
                    to: day(10),
                    severity: Severity::Critical
                },
            ]
        );
    }
}
