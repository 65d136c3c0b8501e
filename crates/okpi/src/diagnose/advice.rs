//! Advice per rule code, in English and Chinese.

use super::AdviceText;

const ADVICE: &[(&str, &str, &str)] = &[
    ("okr.no_key_results", "Give the objective 3–5 key results that say how you will know it is reached.", "为目标设定3–5个关键结果,说明如何判断目标达成。"),
    ("okr.too_many_key_results", "Keep 3–5 key results; more spreads attention thin. Move the rest to a backlog or another objective.", "关键结果保持3–5个,过多会分散注意力;其余可移入待办或其他目标。"),
    ("okr.task_like_kr", "Rewrite the task as the result it should produce, with a number (\"raise retention to 55%\", not \"launch onboarding\").", "把任务改写为它要带来的结果,并给出数字(如“留存率提升到55%”,而非“上线引导流程”)。"),
    ("okr.missing_baseline", "Record where the key result started: without a baseline its progress is measured from the first check-in and earlier movement is lost.", "请记录关键结果的起始值:缺少基线时只能从第一次更新算起,之前的变化会被忽略。"),
    ("okr.stale", "Check in on the key result: update its value and confidence, even if nothing moved.", "请更新该关键结果的进度与信心指数,即使没有变化也要记录。"),
    ("okr.flat_confidence", "Confidence has not moved while the key result fell behind: discuss what blocks it and update honestly.", "进度落后但信心指数一成不变:请讨论阻碍并如实更新信心。"),
    ("okr.end_of_cycle_surge", "Progress or confidence jumped only at the end of the cycle: update weekly so problems surface early.", "进度或信心在周期末突然拉升:请每周更新,让问题尽早暴露。"),
    ("okr.confidence_mismatch", "Confidence and status disagree: review the key result together and align the numbers with reality.", "信心指数与状态不符:请共同复盘,使数字与实际一致。"),
    ("okr.mechanical_updates", "Progress moves by the same step along the pace line: check the updates reflect measured values, not the calendar.", "进度沿节奏线等步长推进:请确认更新来自真实测量,而不是按日历“拉进度条”。"),
    ("okr.sandbagging", "Targets look too safe: set aspirational objectives where 0.6–0.7 is a good score, and explain any lowered target.", "目标可能过于保守:鼓舞性目标以0.6–0.7为佳,调低目标须说明原因。"),
    ("okr.unaligned", "Align the objective to a higher-level objective, or say why it stands alone.", "请将该目标对齐到上级目标,或说明其独立存在的理由。"),
    ("access.private_progress_shared", "This private objective is the only private source of a parent others see: its progress can be read off the parent's. Make it team or public, align it elsewhere, or set private_rollup to exclude.", "该私密目标是一个他人可见的上级目标的唯一私密来源:其进度可从上级目标的进度推算出来。请将其设为团队或公开可见、改为对齐到其他目标,或将 private_rollup 设为 exclude。"),
    ("kpi.pull_forward", "Results bunch at the period's end and dip after it: check for pulled-forward deals and smooth the incentive.", "业绩集中在期末并在下期初回落:请排查提前透支的情况,并平滑激励节奏。"),
    ("kpi.threshold_bunching", "Achievements bunch just above the target: review how results are reported near the payout step.", "达成率集中在目标线刚刚以上:请复核临近奖金档位时的数据填报方式。"),
    ("kpi.source_discrepancy", "Two sources disagree on the same number: agree one definition and one system of record.", "同一指标的两个数据源不一致:请统一口径并确定唯一数据源。"),
    ("kpi.stale_data", "The data behind this metric is old: fix the feed before judging anyone by it.", "该指标的数据已过时:在据此评价之前请先修复数据接入。"),
    ("kpi.single_metric", "One number dominates this scorecard: add balancing measures (quality, customer, growth) so that people are not managed by one number alone.", "该记分卡由单一指标主导:请加入质量、客户、成长等平衡指标,避免唯数字论。"),
    ("kpi.target_changed_after_lock", "A locked target was changed: confirm the reason was agreed and communicated.", "已锁定的目标被修改:请确认变更理由已获认可并充分沟通。"),
    ("kpi.definition_changed_mid_cycle", "The metric's definition changed inside the cycle, restating numbers already reported: tell everyone measured by it, or apply the change from the next cycle.", "指标口径在周期中途变更,已公布的数据随之改变:请告知所有相关人员,或将变更推迟到下一周期生效。"),
];

/// The advice of a rule (its code itself for a rule without advice).
pub(super) fn advice(code: &str) -> AdviceText {
    match ADVICE.iter().find(|a| a.0 == code) {
        Some(&(_, en, zh)) => AdviceText {
            en: en.into(),
            zh: zh.into(),
        },
        None => AdviceText {
            en: code.to_owned().into(),
            zh: code.to_owned().into(),
        },
    }
}
