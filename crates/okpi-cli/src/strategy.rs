//! The strategy view (DOMAIN.md §8), as the library computes it (`okpi::strategy_view`): each top objective with its
//! key results and the back-office KPIs that support them, with traffic lights; here it is only drawn.

use crate::analysis::Analysis;
use crate::fail::Failure;
use crate::i18n::{label as l, Lang, Tx};
use crate::labels::{metric_label, scope_label, Names};
use crate::report::xml::Xml;
use crate::sanitize::term;
use crate::style::{Style, Tone};
use chrono::NaiveDate;
use okpi::hybrid::{AlertLevel, Light, StrategySettings, StrategyView, Support, SupportingKpi};
use std::fmt::Write;

/// The library's strategy view of `model` as of `as_of`, its objectives evaluated with `settings`.
pub fn view(
    model: &okpi::Model,
    as_of: NaiveDate,
    settings: &okpi::Settings,
) -> Result<StrategyView, Failure> {
    let s = StrategySettings {
        evaluation: settings.clone(),
        ..StrategySettings::default()
    };
    Ok(okpi::strategy_view(model, as_of, &s)?)
}

fn tone(light: Option<Light>) -> Tone {
    match light {
        Some(Light::Green) => Tone::Good,
        Some(Light::Amber) => Tone::Warn,
        Some(Light::Red) => Tone::Bad,
        Some(Light::Grey) | None => Tone::Dim,
    }
}

/// The most objectives the strategy view shows (report and dashboard).
pub const MAX_OBJECTIVES: usize = 12;

/// The strategy view's objectives that lead it: the organisation's own (owned by a unit or by no one); only when
/// there are none, every top objective. A personal objective aligned to nothing is not strategy.
pub fn leading<'v>(a: &'v Analysis, names: &Names<'_>) -> Vec<&'v okpi::hybrid::StrategyObjective> {
    let own: Vec<_> = a
        .strategy
        .objectives
        .iter()
        .filter(|o| names.is_organisational(&o.id))
        .collect();
    if own.is_empty() {
        a.strategy.objectives.iter().collect()
    } else {
        own
    }
}

/// The objective's light as this view may show it: the library recomputes it over the KPIs the viewer may see
/// (`support.partial`), so it never stands for KPIs the viewer cannot see.
fn shown(o: &okpi::hybrid::StrategyObjective) -> Option<Light> {
    o.support.light
}

/// The mark of a light: ✓ green, ! amber, ✕ red, – grey.
fn light_mark(light: Option<Light>) -> &'static str {
    match light {
        Some(Light::Green) => "✓",
        Some(Light::Amber) => "!",
        Some(Light::Red) => "✕",
        Some(Light::Grey) | None => "–",
    }
}

/// The CSS class of a light (`g`, `w`, `b`, `n` for grey).
fn class(light: Option<Light>) -> &'static str {
    match light {
        Some(Light::Green) => "g",
        Some(Light::Amber) => "w",
        Some(Light::Red) => "b",
        Some(Light::Grey) | None => "n",
    }
}

fn light_name(lang: Lang, light: Option<Light>) -> &'static str {
    lang.t(match light {
        Some(Light::Green) => Tx("green", "绿灯"),
        Some(Light::Amber) => Tx("amber", "黄灯"),
        Some(Light::Red) => Tx("red", "红灯"),
        Some(Light::Grey) | None => Tx("no data", "无数据"),
    })
}

fn alert_name(lang: Lang, a: AlertLevel) -> &'static str {
    lang.t(match a {
        AlertLevel::Ok => Tx("no alert", "无告警"),
        AlertLevel::NoData => Tx("alert: no data", "告警：无数据"),
        AlertLevel::Pending => Tx("alert pending", "告警待定"),
        AlertLevel::Firing => Tx("alert firing", "告警中"),
    })
}

/// `support health 0.75` in words, or nothing without a supporting KPI. A roll-up the viewer's filter recomputed
/// over the KPIs they may see says so, so that it is not read as the whole.
fn health(lang: Lang, s: &Support) -> Option<String> {
    let h = s.health?;
    let of_visible = if s.partial {
        lang.t(Tx(" (of the KPIs you can see)", "（仅您可见的 KPI）"))
    } else {
        ""
    };
    Some(format!(
        "{} {:.0}%{of_visible}",
        lang.t(Tx("support health", "支撑健康度")),
        h * 100.0
    ))
}

/// What to say for a key result with no supporting KPI listed: none at all, or none the viewer may see.
fn no_support(lang: Lang, s: &Support) -> &'static str {
    lang.t(if s.partial {
        Tx(
            "no KPI you can see supports this key result",
            "没有您可见的支撑此关键结果的 KPI",
        )
    } else {
        Tx(
            "no KPI target supports this key result",
            "暂无支撑此关键结果的 KPI 目标",
        )
    })
}

/// What one supporting KPI says: achievement, score and its worst alert.
fn facts(lang: Lang, k: &SupportingKpi) -> String {
    let mut out = Vec::new();
    if let Some(a) = k.achievement {
        out.push(format!(
            "{} {:.1}%",
            lang.t(Tx("achievement", "达成率")),
            a * 100.0
        ));
    }
    if let Some(s) = k.score {
        out.push(format!("{} {s:.1}", lang.t(l::SCORE)));
    }
    if let Some(a) = k.alert {
        out.push(alert_name(lang, a).to_owned());
    }
    if out.is_empty() {
        out.push(lang.t(l::NO_DATA).to_owned());
    }
    out.join(", ")
}

/// The dashboard's strategy lines: each top objective, its key results, and a dot per supporting KPI.
pub fn dashboard(out: &mut String, a: &Analysis, lang: Lang, style: Style, names: &Names<'_>) {
    let objectives = leading(a, names);
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
    for o in objectives.iter().take(MAX_OBJECTIVES) {
        let _ = writeln!(
            out,
            "  {} {}  {:.0}%  {}{}",
            style.paint(tone(shown(o)), light_mark(shown(o))),
            style.paint(Tone::Bold, &term(&lang.title(&o.title).0)),
            o.progress * 100.0,
            style.paint(
                crate::dashboard::status_tone(o.status),
                &format!("{} {}", crate::i18n::mark(o.status), lang.status(o.status))
            ),
            health(lang, &o.support)
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
                    crate::dashboard::status_tone(k.status),
                    &format!("{} {}", crate::i18n::mark(k.status), lang.status(k.status))
                )
            );
            if k.supports.is_empty() && k.support.partial {
                let _ = writeln!(
                    out,
                    "      {}",
                    style.paint(Tone::Dim, no_support(lang, &k.support))
                );
            }
            for s in &k.supports {
                let _ = writeln!(
                    out,
                    "      {} {} · {}  {}",
                    style.paint(tone(Some(s.light)), light_mark(Some(s.light))),
                    term(&metric_label(a, &s.metric, lang)),
                    term(&scope_label(names, &s.scope, lang)),
                    style.paint(Tone::Dim, &facts(lang, s))
                );
            }
        }
    }
}

/// The report's `strategy` section: a card per top objective with its key results and their supporting KPIs.
pub fn section(x: &mut Xml, a: &Analysis, lang: Lang, names: &Names<'_>) {
    crate::report::section(x, "strategy", lang.t(l::STRATEGY), |x| {
        x.tag("p").a("class", "note").text(lang.t(Tx(
            "The organisation's top objectives (owned by a unit or by no one) with their key results and the back-office KPIs that support them. KPI lights: ✓ at or above target with no alert; ! below target or an alert pending; ✕ below 90 % of target or an alert firing; – no data. Support health is the share of supporting KPIs at ✓.",
            "组织的顶层目标（由部门负责或无负责人）及其关键结果，以及支撑它们的后台 KPI。KPI 灯：✓ 达标且无告警；! 未达标或告警待定；✕ 低于目标 90% 或告警中；– 无数据。支撑健康度为支撑 KPI 中 ✓ 的比例。",
        )));
        let objectives = leading(a, names);
        x.tag("div").a("class", "strategy").with(|x| {
            for o in objectives.iter().take(MAX_OBJECTIVES) {
                x.tag("div").a("class", "so").with(|x| {
                    x.tag("div").a("class", "obj").with(|x| {
                        light(x, shown(o), light_name(lang, shown(o)));
                        crate::report::title(x, lang, &o.title);
                        if let Some(owner) = names.owner(&o.id, lang) {
                            x.tag("span").a("class", "sub").text(&owner);
                        }
                    });
                    x.tag("div").a("class", "obj").with(|x| {
                        crate::report::bar(x, o.progress, expected(a, &o.id), o.status, lang);
                        x.tag("b").text(&format!("{:.0}%", o.progress * 100.0));
                        crate::report::pill(x, lang, o.status);
                        x.tag("span").a("class", "chip").text(&format!(
                            "{} {:.1}",
                            lang.t(l::SCORE),
                            o.score
                        ));
                        if let Some(h) = health(lang, &o.support) {
                            x.tag("span").a("class", "chip").text(&h);
                        }
                    });
                    for k in &o.key_results {
                        x.tag("div").a("class", "kr").with(|x| {
                            x.tag("div").a("class", "obj").with(|x| {
                                crate::report::pill(x, lang, k.status);
                                x.tag("b").text(&format!("{:.0}%", k.progress * 100.0));
                                crate::report::title(x, lang, &k.title);
                            });
                            if k.supports.is_empty() {
                                x.tag("div")
                                    .a("class", "kpi note")
                                    .text(no_support(lang, &k.support));
                            }
                            for s in &k.supports {
                                x.tag("div").a("class", "kpi").with(|x| {
                                    light(x, Some(s.light), light_name(lang, Some(s.light)));
                                    x.tag("b").text(&format!(
                                        "{} · {}",
                                        metric_label(a, &s.metric, lang),
                                        scope_label(names, &s.scope, lang)
                                    ));
                                    x.tag("span").a("class", "sub").text(&facts(lang, s));
                                });
                            }
                        });
                    }
                });
            }
        });
        crate::report::more(
            x,
            lang,
            objectives.len().saturating_sub(MAX_OBJECTIVES),
            Tx("(in the alignment tree)", "（见对齐关系树）"),
        );
    });
}

/// A light: its mark on its colour, named in the tooltip.
fn light(x: &mut Xml, light: Option<Light>, tip: &str) {
    x.tag("span")
        .a("class", format!("lt {}", class(light)))
        .a("title", tip)
        .text(light_mark(light));
}

/// The objective's expected progress in the evaluation (the view carries progress and status, not pace).
fn expected(a: &Analysis, id: &str) -> f64 {
    a.evaluation.objective(id).map_or(0.0, |o| o.expected)
}
