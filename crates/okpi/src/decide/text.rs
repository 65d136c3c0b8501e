//! The advisor's reason and step texts, English and Chinese, by stable code.

use super::Note;

const TEXTS: &[(&str, &str, &str)] = &[
    ("matrix.stable_operations", "Low uncertainty and high standardization: stable operations, run mainly on KPIs.", "低不确定、高标准化:稳定运营区,以KPI为主。"),
    ("matrix.exploration", "High uncertainty and low standardization: exploration, run mainly on OKRs.", "高不确定、低标准化:探索创新区,以OKR为主。"),
    ("matrix.lean_experiment", "High uncertainty and high standardization: lean experiments, mix OKR and KPI.", "高不确定、高标准化:精益试验区,OKR与KPI混合管理。"),
    ("matrix.restructuring", "Low uncertainty and low standardization: reshape the process first and use tools lightly.", "低不确定、低标准化:转型整顿区,重点是重塑流程,工具宜从轻使用。"),
    ("lifecycle.incubation_needs_navigator", "An incubating business needs a navigator: add OKRs on top of its KPIs.", "创新孵化业务方向尚不明朗,需要OKR作为导航仪,在KPI之上加入OKR。"),
    ("lifecycle.mature_needs_dashboard", "A mature business needs a dashboard: keep KPIs under its OKRs.", "成熟运营业务需要KPI作为仪表盘,在OKR之下保留KPI。"),
    ("lifecycle.transformation_mixed", "A business in transformation holds both innovation and steady state: front-office OKR, back-office KPI.", "转型中的业务同时存在创新与稳态:设计“前台OKR + 后台KPI”的混合架构。"),
    ("culture.low_tolerance_start_with_kpi", "Failure tolerance or transparency is low: start from KPIs and pilot OKRs in one team.", "容错度有限或透明度不足:从KPI切入,在部分团队小范围试点OKR。"),
    ("culture.low_tolerance_pilot_front_office", "Failure tolerance or transparency is low: pilot the OKR front office in one team first.", "容错度有限或透明度不足:前台OKR先在一个团队试点。"),
    ("culture.experiment_culture_okr_leads", "An experiment culture and open communication are in place: let OKRs lead in the breakthrough areas.", "已有试验文化与开放沟通氛围:可在关键突破领域让OKR成为主舞台。"),
    ("talent.weak_keep_kpi_base", "Self drive or manager coaching is weak: keep a KPI base while OKR skills grow.", "自驱力或管理者教练能力不足:在OKR能力成长期间保留KPI基础。"),
    ("talent.weak_pilot_first", "Self drive or manager coaching is weak: pilot OKRs in one team before the whole line.", "自驱力或管理者教练能力不足:先在一个团队试点OKR。"),
    ("readiness.all_weak", "Goal design, data and communication cadence are all weak: no tool will work yet; build the foundations first.", "目标设计、数据基础与沟通机制三项全部较弱:任何工具都难以奏效,应先打基础。"),
    ("step.goal_design", "Train goal design: turn strategy into objectives and metrics, not slogans.", "提升目标设计能力:把战略转化为可管理的目标与指标,而不是口号。"),
    ("step.data_reliability", "Make key data trustworthy and traceable; join up the data islands.", "夯实数据基础:关键业务数据可信、可追溯,打通数据孤岛。"),
    ("step.communication_cadence", "Set a fixed rhythm of reviews and 1:1s for goal conversations.", "建立固定节奏的复盘会与1:1沟通,承载目标与绩效对话。"),
    ("step.coach_managers", "Coach managers to break goals down with their teams and run reviews, not only watch results.", "推动管理者从“只盯结果”转向“陪团队拆目标、做复盘”。"),
    ("step.kpi_catalog", "Define one metric catalog with agreed definitions, targets and alert thresholds.", "建立口径一致的指标库,设定目标与预警阈值。"),
    ("step.okr_cadence", "Set ambitious objectives with 3–5 key results and weekly check-ins with confidence.", "设定鼓舞性目标与3–5个关键结果,每周更新进度与信心指数。"),
    ("step.hybrid_link", "Map front-office key results to the back-office KPIs that support them, and review both in one view.", "把前台关键结果映射到支撑它的后台KPI,在一个视图中统一复盘。"),
    ("step.map_process", "Map and standardise the process before choosing a goal tool.", "先梳理并规范流程,再选择目标管理工具。"),
    ("step.foundations", "Work on the three foundations before any tool: goal design, data, cadence.", "在引入任何工具之前,先补齐目标设计、数据基础与沟通机制三项基础。"),
    ("step.pilot_one_team", "Run the pilot in one team for one cycle, then review before widening it.", "先在一个团队试点一个周期,复盘后再推广。"),
];

/// The note for `code`; an unknown code (a bug) gives the code itself as text rather than a panic.
pub(super) fn text(code: &str) -> Note {
    let (en, zh) = TEXTS
        .iter()
        .find(|t| t.0 == code)
        .map_or((code, code), |t| (t.1, t.2));
    Note {
        code: code.to_owned(),
        en: en.to_owned(),
        zh: zh.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn codes_are_unique_and_every_text_is_in_both_languages() {
        let mut codes: Vec<&str> = super::TEXTS.iter().map(|t| t.0).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), super::TEXTS.len());
        assert!(super::TEXTS
            .iter()
            .all(|t| !t.1.is_empty() && !t.2.is_empty() && t.1 != t.2));
    }
}
