//! The strategy view (DOMAIN.md §8), as the library computes it (`okpi::strategy_view`): each top objective with its
//! key results and the back-office KPIs that support them, with traffic lights; here it is only drawn.

use crate::analysis::Analysis;
use crate::i18n::{label as l, Lang, Tx};
use crate::labels::Names;
use crate::style::Tone;
use okpi::hybrid::{AlertLevel, Light, Support, SupportingKpi};

pub fn tone(light: Option<Light>) -> Tone {
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
pub fn shown(o: &okpi::hybrid::StrategyObjective) -> Option<Light> {
    o.support.light
}

/// The mark of a light: ✓ green, ! amber, ✕ red, – grey.
pub fn light_mark(light: Option<Light>) -> &'static str {
    match light {
        Some(Light::Green) => "✓",
        Some(Light::Amber) => "!",
        Some(Light::Red) => "✕",
        Some(Light::Grey) | None => "–",
    }
}

/// The CSS class of a light (`g`, `w`, `b`, `n` for grey).
pub fn class(light: Option<Light>) -> &'static str {
    match light {
        Some(Light::Green) => "g",
        Some(Light::Amber) => "w",
        Some(Light::Red) => "b",
        Some(Light::Grey) | None => "n",
    }
}

pub fn light_name(lang: Lang, light: Option<Light>) -> &'static str {
    lang.t(match light {
        Some(Light::Green) => Tx("green", "绿灯"),
        Some(Light::Amber) => Tx("amber", "黄灯"),
        Some(Light::Red) => Tx("red", "红灯"),
        Some(Light::Grey) | None => Tx("no data", "无数据"),
    })
}

pub fn alert_name(lang: Lang, a: AlertLevel) -> &'static str {
    lang.t(match a {
        AlertLevel::Ok => Tx("no alert", "无告警"),
        AlertLevel::NoData => Tx("alert: no data", "告警：无数据"),
        AlertLevel::Pending => Tx("alert pending", "告警待定"),
        AlertLevel::Firing => Tx("alert firing", "告警中"),
    })
}

/// `support health 0.75` in words, or nothing without a supporting KPI. A roll-up the viewer's filter recomputed
/// over the KPIs they may see says so, so that it is not read as the whole.
pub fn health(lang: Lang, s: &Support) -> Option<String> {
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
pub fn no_support(lang: Lang, s: &Support) -> &'static str {
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
pub fn facts(lang: Lang, k: &SupportingKpi) -> String {
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

/// The objective's expected progress in the evaluation (the view carries progress and status, not pace).
pub fn expected(a: &Analysis, id: &str) -> f64 {
    a.evaluation.objective(id).map_or(0.0, |o| o.expected)
}
