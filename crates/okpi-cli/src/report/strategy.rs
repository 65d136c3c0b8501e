//! The report's strategy section (the view's pieces are in [`crate::strategy`]).

use super::xml::Xml;
use crate::analysis::Analysis;
use crate::i18n::{label as l, Lang, Tx};
use crate::labels::{metric_label, scope_label, Names};
use crate::strategy;
use okpi::hybrid::Light;

/// The report's `strategy` section: a card per top objective with its key results and their supporting KPIs.
pub fn section(x: &mut Xml, a: &Analysis, lang: Lang, names: &Names<'_>) {
    super::section(x, "strategy", lang.t(l::STRATEGY), |x| {
        x.tag("p").a("class", "note").text(lang.t(Tx(
            "The organisation's top objectives (owned by a unit or by no one) with their key results and the back-office KPIs that support them. KPI lights: ✓ at or above target with no alert; ! below target or an alert pending; ✕ below 90 % of target or an alert firing; – no data. Support health is the share of supporting KPIs at ✓.",
            "组织的顶层目标（由部门负责或无负责人）及其关键结果，以及支撑它们的后台 KPI。KPI 灯：✓ 达标且无告警；! 未达标或告警待定；✕ 低于目标 90% 或告警中；– 无数据。支撑健康度为支撑 KPI 中 ✓ 的比例。",
        )));
        let objectives = strategy::leading(a, names);
        x.tag("div").a("class", "strategy").with(|x| {
            for o in objectives.iter().take(strategy::MAX_OBJECTIVES) {
                x.tag("div").a("class", "so").with(|x| {
                    x.tag("div").a("class", "obj").with(|x| {
                        light(
                            x,
                            strategy::shown(o),
                            strategy::light_name(lang, strategy::shown(o)),
                        );
                        super::title(x, lang, &o.title);
                        if let Some(owner) = names.owner(&o.id, lang) {
                            x.tag("span").a("class", "sub").text(&owner);
                        }
                    });
                    x.tag("div").a("class", "obj").with(|x| {
                        super::bar(x, o.progress, strategy::expected(a, &o.id), o.status, lang);
                        x.tag("b").text(&format!("{:.0}%", o.progress * 100.0));
                        super::pill(x, lang, o.status);
                        x.tag("span").a("class", "chip").text(&format!(
                            "{} {:.1}",
                            lang.t(l::SCORE),
                            o.score
                        ));
                        if let Some(h) = strategy::health(lang, &o.support) {
                            x.tag("span").a("class", "chip").text(&h);
                        }
                    });
                    for k in &o.key_results {
                        x.tag("div").a("class", "kr").with(|x| {
                            x.tag("div").a("class", "obj").with(|x| {
                                super::pill(x, lang, k.status);
                                x.tag("b").text(&format!("{:.0}%", k.progress * 100.0));
                                super::title(x, lang, &k.title);
                            });
                            if k.supports.is_empty() {
                                x.tag("div")
                                    .a("class", "kpi note")
                                    .text(strategy::no_support(lang, &k.support));
                            }
                            for s in &k.supports {
                                x.tag("div").a("class", "kpi").with(|x| {
                                    light(x, Some(s.light), strategy::light_name(lang, Some(s.light)));
                                    x.tag("b").text(&format!(
                                        "{} · {}",
                                        metric_label(a, &s.metric, lang),
                                        scope_label(names, &s.scope, lang)
                                    ));
                                    x.tag("span").a("class", "sub").text(&strategy::facts(lang, s));
                                });
                            }
                        });
                    }
                });
            }
        });
        super::more(
            x,
            lang,
            objectives.len().saturating_sub(strategy::MAX_OBJECTIVES),
            Tx("(in the alignment tree)", "（见对齐关系树）"),
        );
    });
}

/// A light: its mark on its colour, named in the tooltip.
fn light(x: &mut Xml, light: Option<Light>, tip: &str) {
    x.tag("span")
        .a("class", format!("lt {}", strategy::class(light)))
        .a("title", tip)
        .text(strategy::light_mark(light));
}
