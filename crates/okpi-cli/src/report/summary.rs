//! `summary`, the report's first screen: where the organisation is against where it should be by now, what needs
//! attention (each item with its owner, its gap to pace, the reason and the advice that concerns it, linked to its
//! place below), and what changed since the week before. Every list is cut at its first rows.

use super::xml::Xml;
use super::{bar, more, pill, section as card, status_legend};
use crate::analysis::Analysis;
use crate::i18n::{label as l, Lang, Tx};
use crate::labels::{metric_label, scope_label, Names};
use okpi::alert::{AlertSeverity, AlertStatus, EventKind};
use okpi::kpi::TargetResult;
use okpi::Status;

/// The most rows of each list on the first screen.
pub const TOP: usize = 8;

/// The organisation's own top objectives this viewer sees: the top of the alignment tree owned by a unit or by no
/// one; when there are none, every top objective.
pub fn company_objectives<'a>(a: &'a Analysis, names: &Names<'a>) -> Vec<&'a str> {
    let tops: Vec<&str> = names
        .objective_tree()
        .into_iter()
        .filter(|n| n.depth == 0 && n.first && a.evaluation.objective(n.id).is_some())
        .map(|n| n.id)
        .collect();
    let own: Vec<&str> = tops
        .iter()
        .copied()
        .filter(|id| names.is_organisational(id))
        .collect();
    if own.is_empty() {
        tops
    } else {
        own
    }
}

/// How bad a status is, worst first.
pub fn severity(s: Status) -> u8 {
    match s {
        Status::OffTrack => 0,
        Status::AtRisk => 1,
        Status::NotStarted => 2,
        Status::OnTrack => 3,
        Status::Done => 4,
    }
}

/// An objective that needs attention: off track or at risk; the organisation's own first (owned by a unit or no
/// one), by level, then worst status, then widest gap to pace.
pub struct Attention<'a> {
    /// The objective.
    pub id: &'a str,
    /// Its level in the alignment tree.
    pub depth: usize,
    /// Its status.
    pub status: Status,
    /// Expected minus progress.
    pub gap: f64,
    /// Owned by a person.
    pub personal: bool,
}

/// The objectives that need attention, in order.
pub fn objectives_needing_attention<'a>(a: &Analysis, names: &Names<'a>) -> Vec<Attention<'a>> {
    let mut out: Vec<Attention<'a>> = names
        .objective_tree()
        .into_iter()
        .filter(|n| n.first)
        .filter_map(|n| {
            let r = a.evaluation.objective(n.id)?;
            matches!(r.status, Status::OffTrack | Status::AtRisk).then(|| Attention {
                id: n.id,
                depth: n.depth,
                status: r.status,
                gap: r.expected - r.progress,
                personal: !names.is_organisational(n.id),
            })
        })
        .collect();
    out.sort_by(|p, q| {
        (p.personal, p.depth, severity(p.status))
            .cmp(&(q.personal, q.depth, severity(q.status)))
            .then(q.gap.total_cmp(&p.gap))
    });
    out
}

/// The units' KPI targets that need attention: scored below 100 or with an alert firing on their metric and scope,
/// worst score first. People's targets are a matter for their scorecards, not for the organisation's first screen.
pub fn targets_needing_attention(a: &Analysis) -> Vec<&TargetResult> {
    let mut out: Vec<&TargetResult> = a
        .scores
        .targets
        .iter()
        .filter(|t| t.cycle == a.cycle.id && matches!(t.scope, okpi::model::Scope::Unit(_)))
        .filter(|t| t.score.is_some_and(|s| s < 100.0) || firing_since(a, t).is_some())
        .collect();
    out.sort_by(|p, q| {
        let key = |t: &TargetResult| t.score.unwrap_or(f64::INFINITY);
        key(p).total_cmp(&key(q))
    });
    out
}

/// The day an alert on `t`'s metric and scope started firing, when one is firing now.
pub fn firing_since(a: &Analysis, t: &TargetResult) -> Option<(chrono::NaiveDate, Option<AlertSeverity>)> {
    a.alerts
        .alerts
        .iter()
        .filter(|r| r.state.status == AlertStatus::Firing)
        .find_map(|r| {
            let rule = a.document.alert_rules.iter().find(|x| x.id == r.rule)?;
            let scope = crate::analysis::rule_scope(&a.document, rule);
            (rule.metric == t.metric && scope == t.scope).then(|| {
                let since = r
                    .events
                    .iter()
                    .rev()
                    .find(|e| e.kind == EventKind::Firing)
                    .map_or(a.alerts.from, |e| e.date);
                (since, r.state.severity)
            })
        })
}

/// Why an objective has its status: its weakest key result or aligned objective, or its own progress.
pub fn reason(a: &Analysis, names: &Names<'_>, id: &str, lang: Lang) -> String {
    let Some(r) = a.evaluation.objective(id) else {
        return String::new();
    };
    let krs = names
        .key_results(id)
        .iter()
        .filter_map(|k| Some((*k, a.evaluation.key_result(&k.id)?)))
        .min_by(|(_, p), (_, q)| {
            severity(p.status)
                .cmp(&severity(q.status))
                .then((q.expected - q.progress).total_cmp(&(p.expected - p.progress)))
        });
    if let Some((kr, k)) = krs.filter(|(_, k)| severity(k.status) <= severity(r.status)) {
        let mut why = format!(
            "{} “{}” {:.0}% / {:.0}%",
            lang.t(Tx("key result", "关键结果")),
            lang.title(if kr.title.is_empty() { &kr.id } else { &kr.title }).0,
            k.progress * 100.0,
            k.expected * 100.0
        );
        if k.flags.contains(okpi::report::Flag::NoCheckIn) {
            why.push_str(lang.t(Tx(", no check-in yet", "，尚无进展更新")));
        }
        return why;
    }
    let child = names
        .children(id)
        .iter()
        .filter_map(|(c, _, _)| Some((*c, a.evaluation.objective(c)?)))
        .min_by_key(|(_, o)| severity(o.status));
    if let Some((c, o)) = child.filter(|(_, o)| severity(o.status) <= severity(r.status)) {
        return format!(
            "{} “{}” {}",
            lang.t(Tx("aligned objective", "对齐目标")),
            lang.title(names.objective_title(c)).0,
            lang.status(o.status)
        );
    }
    format!(
        "{} {:.0}% / {} {:.0}%",
        lang.t(l::PROGRESS),
        r.progress * 100.0,
        lang.t(l::EXPECTED),
        r.expected * 100.0
    )
}

/// The first advice that concerns one of `ids`, in `lang`, with its code.
pub fn advice_for(names: &Names<'_>, ids: &[&str], lang: Lang) -> Option<(String, String)> {
    let f = names.first_finding(ids)?;
    let text = match lang {
        Lang::En => &f.advice.en,
        Lang::Zh => &f.advice.zh,
    };
    Some((f.code.clone(), text.to_string()))
}

/// `−22 pts` for progress 22 points behind pace, `+3 pts` ahead.
pub fn points(gap: f64, lang: Lang) -> String {
    let p = (gap * 100.0).round();
    let sign = if p > 0.0 { "−" } else { "+" };
    format!("{sign}{:.0} {}", p.abs(), lang.t(Tx("pts", "个百分点")))
}

/// The report's first section.
pub fn section(x: &mut Xml, a: &Analysis, lang: Lang, names: &Names<'_>) {
    card(x, "summary", lang.t(l::SUMMARY), |x| {
        tiles(x, a, lang, names);
        status_legend(x, a, lang);
        company(x, a, lang, names);
        attention(x, a, lang, names);
        changes(x, a, lang, names);
    });
}

fn tiles(x: &mut Xml, a: &Analysis, lang: Lang, names: &Names<'_>) {
    let tops = company_objectives(a, names);
    let results: Vec<_> = tops.iter().filter_map(|id| a.evaluation.objective(id)).collect();
    let n = results.len().max(1) as f64;
    let progress = results.iter().map(|r| r.progress).sum::<f64>() / n;
    let expected = results.iter().map(|r| r.expected).sum::<f64>() / n;
    let count = |s: Status| a.evaluation.objectives.iter().filter(|o| o.status == s).count();
    let targets: Vec<&TargetResult> = a
        .scores
        .targets
        .iter()
        .filter(|t| t.cycle == a.cycle.id && t.score.is_some())
        .filter(|t| matches!(t.scope, okpi::model::Scope::Unit(_)))
        .collect();
    let below = targets
        .iter()
        .filter(|t| t.score.is_some_and(|s| s < 100.0))
        .count();
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
    x.tag("div").a("class", "tiles").with(|x| {
        let mut tile = |value: String, label: String| {
            x.tag("div").with(|x| {
                x.tag("b").text(&value);
                x.tag("span").text(&label);
            });
        };
        if !results.is_empty() {
            tile(
                format!("{:.0}% / {:.0}%", progress * 100.0, expected * 100.0),
                format!(
                    "{} ({})",
                    lang.t(Tx(
                        "progress of the organisation's objectives / expected by now",
                        "组织目标进度 / 此时应达进度"
                    )),
                    points(expected - progress, lang)
                ),
            );
        }
        tile(
            format!("✕ {} · ! {}", count(Status::OffTrack), count(Status::AtRisk)),
            format!(
                "{} {}",
                lang.t(Tx("off track · at risk, of", "落后 · 有风险，共")),
                lang.count(a.evaluation.objectives.len(), "objective", "objectives", "个目标")
            ),
        );
        if !targets.is_empty() {
            tile(
                format!("{below} / {}", targets.len()),
                lang.t(Tx(
                    "units' KPI targets scored below 100",
                    "部门 KPI 目标得分低于 100",
                ))
                .to_owned(),
            );
        }
        tile(
            firing.len().to_string(),
            format!(
                "{} ({} {})",
                lang.t(Tx("alerts firing", "告警中")),
                critical,
                lang.alert_severity(AlertSeverity::Critical)
            ),
        );
    });
}

fn company(x: &mut Xml, a: &Analysis, lang: Lang, names: &Names<'_>) {
    let tops = company_objectives(a, names);
    if tops.is_empty() {
        return;
    }
    x.tag("h3").text(lang.t(Tx(
        "The organisation's objectives against pace",
        "组织目标与预期节奏",
    )));
    x.tag("table").a("class", "att").with(|x| {
        header_row(
            x,
            &[
                lang.t(l::PROGRESS),
                lang.t(Tx("gap to pace", "与节奏差距")),
                lang.t(l::STATUS),
                lang.t(Tx("objective", "目标")),
                lang.t(Tx("owner", "负责人")),
            ],
        );
        x.tag("tbody").with(|x| {
            for id in tops.iter().take(TOP) {
                let Some(r) = a.evaluation.objective(id) else {
                    continue;
                };
                x.tag("tr").with(|x| {
                    x.tag("td").with(|x| {
                        bar(x, r.progress, r.expected, r.status, lang);
                        x.text(&format!(
                            " {:.0}% / {:.0}%",
                            r.progress * 100.0,
                            r.expected * 100.0
                        ));
                    });
                    x.tag("td").text(&points(r.expected - r.progress, lang));
                    x.tag("td").with(|x| pill(x, lang, r.status));
                    x.tag("td").with(|x| link(x, names, id, lang));
                    x.tag("td")
                        .text(&names.owner(id, lang).unwrap_or_else(|| "–".into()));
                });
            }
        });
    });
    more(
        x,
        lang,
        tops.len().saturating_sub(TOP),
        Tx("(in the alignment tree)", "（见对齐关系树）"),
    );
}

fn header_row(x: &mut Xml, cells: &[&str]) {
    x.tag("thead").with(|x| {
        x.tag("tr").with(|x| {
            for c in cells {
                x.tag("th").text(c);
            }
        });
    });
}

/// An objective's title linking to its place in the alignment tree.
fn link(x: &mut Xml, names: &Names<'_>, id: &str, lang: Lang) {
    let text = lang.title(names.objective_title_of(id)).0;
    match names.anchor(id) {
        Some(anchor) => x.tag("a").a("href", format!("#{anchor}")).text(&text),
        None => x.text(&text),
    }
}

fn attention(x: &mut Xml, a: &Analysis, lang: Lang, names: &Names<'_>) {
    x.tag("h3").text(lang.t(Tx("Needs attention", "需要关注")));
    let objectives = objectives_needing_attention(a, names);
    let targets = targets_needing_attention(a);
    if objectives.is_empty() && targets.is_empty() {
        x.tag("p").a("class", "note").text(lang.t(Tx(
            "Nothing is off track or at risk, and no KPI target is below 100.",
            "没有落后或有风险的目标，也没有低于 100 分的 KPI 目标。",
        )));
        return;
    }
    let charted = super::kpi::charted(a);
    x.tag("table").a("class", "att").with(|x| {
        header_row(
            x,
            &[
                lang.t(l::STATUS),
                lang.t(Tx("what", "事项")),
                lang.t(Tx("owner", "负责人")),
                lang.t(Tx("gap to pace or target", "与节奏或目标的差距")),
                lang.t(Tx("why", "原因")),
                lang.t(Tx("advice", "建议")),
            ],
        );
        x.tag("tbody").with(|x| {
            for o in objectives.iter().take(TOP) {
                let Some(r) = a.evaluation.objective(o.id) else {
                    continue;
                };
                let mut ids: Vec<&str> = vec![o.id];
                ids.extend(names.key_results(o.id).iter().map(|k| k.id.as_str()));
                x.tag("tr").with(|x| {
                    x.tag("td").with(|x| pill(x, lang, r.status));
                    x.tag("td").with(|x| link(x, names, o.id, lang));
                    x.tag("td")
                        .text(&names.owner(o.id, lang).unwrap_or_else(|| "–".into()));
                    x.tag("td").text(&format!(
                        "{} ({:.0}% / {:.0}%)",
                        points(o.gap, lang),
                        r.progress * 100.0,
                        r.expected * 100.0
                    ));
                    x.tag("td").text(&reason(a, names, o.id, lang));
                    advice_cell(x, names, &ids, lang);
                });
            }
            for t in targets.iter().take(TOP) {
                x.tag("tr").with(|x| {
                    x.tag("td").with(|x| super::kpi::score_pill(x, lang, t.score));
                    x.tag("td").with(|x| {
                        let what = format!(
                            "KPI {} · {}",
                            metric_label(a, &t.metric, lang),
                            scope_label(names, &t.scope, lang)
                        );
                        match charted.iter().position(|i| {
                            a.trends
                                .get(*i)
                                .is_some_and(|tr| tr.metric == t.metric && tr.scope == t.scope)
                        }) {
                            Some(_) => x
                                .tag("a")
                                .a("href", format!("#{}", super::kpi::anchor(a, t)))
                                .text(&what),
                            None => x.text(&what),
                        }
                    });
                    x.tag("td").text(&scope_label(names, &t.scope, lang));
                    let actual = t.actual.map_or_else(
                        || lang.t(l::NO_DATA).to_owned(),
                        |v| crate::labels::metric_amount(a, &t.metric, v),
                    );
                    x.tag("td").text(&format!(
                        "{} {actual} / {} {}",
                        lang.t(l::ACTUAL),
                        lang.t(l::TARGET),
                        crate::labels::metric_amount(a, &t.metric, t.target)
                    ));
                    let mut why = t
                        .achievement
                        .map(|v| format!("{} {:.1}%", lang.t(Tx("achievement", "达成率")), v * 100.0))
                        .unwrap_or_default();
                    if let Some((since, sev)) = firing_since(a, t) {
                        if !why.is_empty() {
                            why.push_str("; ");
                        }
                        why.push_str(&format!(
                            "{}{} {} {since}",
                            lang.t(Tx("alert firing", "告警中")),
                            sev.map(|s| format!(" ({})", lang.alert_severity(s)))
                                .unwrap_or_default(),
                            lang.t(l::SINCE)
                        ));
                    }
                    if why.is_empty() {
                        why = t.score.map_or_else(
                            || lang.t(l::NO_DATA).to_owned(),
                            |v| format!("{} {v:.1} < 100", lang.t(l::SCORE)),
                        );
                    }
                    x.tag("td").text(&why);
                    advice_cell(x, names, &[t.id.as_str(), t.metric.as_str()], lang);
                });
            }
        });
    });
    more(
        x,
        lang,
        objectives.len().saturating_sub(TOP) + targets.len().saturating_sub(TOP),
        Tx(
            "(see the alignment tree, the KPI trends and the findings)",
            "（见对齐关系树、KPI 趋势与诊断发现）",
        ),
    );
}

fn advice_cell(x: &mut Xml, names: &Names<'_>, ids: &[&str], lang: Lang) {
    x.tag("td").with(|x| match advice_for(names, ids, lang) {
        Some((code, text)) => {
            x.text(&text);
            x.text(" ");
            x.tag("a")
                .a("href", "#findings")
                .a("class", "note")
                .text(&format!("({code})"));
        }
        None => x.text("–"),
    });
}

/// A status change since last week: (order key, title, from, to, progress change, anchor in the tree).
type Moved = ((u8, u8), String, Status, Status, f64, Option<String>);

fn changes(x: &mut Xml, a: &Analysis, lang: Lang, names: &Names<'_>) {
    x.tag("h3").text(lang.t(Tx("Since last week", "与上周相比")));
    let Some(prev) = &a.previous else {
        x.tag("p").a("class", "note").text(lang.t(Tx(
            "The cycle is less than a week old: nothing to compare with yet.",
            "周期开始不足一周，暂无可比较的数据。",
        )));
        return;
    };
    // ((0 for the organisation's, 1 for a person's; how bad the status now is), title, from, to, change, anchor)
    let mut moved: Vec<Moved> = Vec::new();
    for o in &a.evaluation.objectives {
        if let Some(p) = prev.objective(&o.id).filter(|p| p.status != o.status) {
            moved.push((
                (u8::from(!names.is_organisational(&o.id)), severity(o.status)),
                lang.title(names.objective_title_of(&o.id)).0,
                p.status,
                o.status,
                o.progress - p.progress,
                names.anchor(&o.id),
            ));
        }
    }
    for k in &a.evaluation.key_results {
        if let Some(p) = prev.key_result(&k.id).filter(|p| p.status != k.status) {
            moved.push((
                (
                    u8::from(!names.is_organisational(&k.objective)),
                    severity(k.status),
                ),
                names.kr_title(&k.id, lang),
                p.status,
                k.status,
                k.progress - p.progress,
                names.anchor(&k.objective),
            ));
        }
    }
    // Worse first, then by how bad the status now is.
    // The organisation's first, then worse before better, then by how bad the status now is.
    moved.sort_by_key(|m| (m.0 .0, severity(m.3) >= severity(m.2), m.0 .1));
    let week_start = a.as_of.checked_sub_days(chrono::Days::new(7)).unwrap_or(a.as_of);
    let mut alerts: Vec<(chrono::NaiveDate, String, bool)> = Vec::new();
    for r in &a.alerts.alerts {
        for e in r
            .events
            .iter()
            .filter(|e| e.date > week_start && e.date <= a.as_of)
        {
            match e.kind {
                EventKind::Firing => alerts.push((e.date, r.rule.clone(), true)),
                EventKind::Resolved => alerts.push((e.date, r.rule.clone(), false)),
                _ => {}
            }
        }
    }
    if moved.is_empty() && alerts.is_empty() {
        x.tag("p").a("class", "note").text(lang.t(Tx(
            "No status changed and no alert started or ended in the last seven days.",
            "过去七天没有状态变化，也没有告警开始或结束。",
        )));
        return;
    }
    x.tag("ul").with(|x| {
        for (_, title, from, to, delta, anchor) in moved.iter().take(TOP) {
            x.tag("li").with(|x| {
                pill(x, lang, *from);
                x.text(" → ");
                pill(x, lang, *to);
                x.text(" ");
                match anchor {
                    Some(anchor) => x.tag("a").a("href", format!("#{anchor}")).text(title),
                    None => x.text(title),
                }
                x.tag("span").a("class", "sub").text(&format!(
                    "{} {:+.0} {}",
                    lang.t(l::PROGRESS),
                    delta * 100.0,
                    lang.t(Tx("pts this week", "个百分点（本周）"))
                ));
            });
        }
        for (date, rule, fired) in alerts.iter().take(TOP) {
            let what = if *fired {
                lang.t(Tx("started firing", "开始告警"))
            } else {
                lang.t(Tx("resolved", "已解除"))
            };
            x.tag("li")
                .text(&format!("{date} {} {rule} {what}", lang.t(Tx("alert", "告警"))));
        }
    });
    more(
        x,
        lang,
        moved.len().saturating_sub(TOP) + alerts.len().saturating_sub(TOP),
        Tx("changes", "项变化"),
    );
}
