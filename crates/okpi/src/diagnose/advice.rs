//! Advice per rule code, in English and Chinese.

use super::Advice;

const ADVICE: &[(&str, &str, &str)] = &[
    ("okr.no_key_results", "Give the objective 3–5 key results that say how you will know it is reached.", "为目标设定3–5个关键结果,说明如何判断目标达成。"),
    ("okr.too_many_key_results", "Keep 3–5 key results; more spreads attention thin. Move the rest to a backlog or another objective.", "关键结果保持3–5个,过多会分散注意力;其余可移入待办或其他目标。"),
    ("okr.task_like_kr", "Rewrite the task as the result it should produce, with a number (\"raise retention to 55%\", not \"launch onboarding\").", "把任务改写为它要带来的结果,并给出数字(如“留存率提升到55%”,而非“上线引导流程”)。"),
    ("okr.stale", "Check in on the key result: update its value and confidence, even if nothing moved.", "请更新该关键结果的进度与信心指数,即使没有变化也要记录。"),
    ("okr.flat_confidence", "Confidence has not moved while the key result fell behind: discuss what blocks it and update honestly.", "进度落后但信心指数一成不变:请讨论阻碍并如实更新信心。"),
    ("okr.end_of_cycle_surge", "Progress or confidence jumped only at the end of the cycle: update weekly so problems surface early.", "进度或信心在周期末突然拉升:请每周更新,让问题尽早暴露。"),
    ("okr.confidence_mismatch", "Confidence and status disagree: review the key result together and align the numbers with reality.", "信心指数与状态不符:请共同复盘,使数字与实际一致。"),
    ("okr.mechanical_updates", "Progress moves by the same step along the pace line: check the updates reflect measured values, not the calendar.", "进度沿节奏线等步长推进:请确认更新来自真实测量,而不是按日历“拉进度条”。"),
    ("okr.sandbagging", "Targets look too safe: set aspirational objectives where 0.6–0.7 is a good score, and explain any lowered target.", "目标可能过于保守:鼓舞性目标以0.6–0.7为佳,调低目标须说明原因。"),
    ("okr.unaligned", "Align the objective to a higher-level objective, or say why it stands alone.", "请将该目标对齐到上级目标,或说明其独立存在的理由。"),
];

/// The advice of a rule.
pub(super) fn advice(code: &str) -> Advice {
    let (en, zh) = ADVICE
        .iter()
        .find(|a| a.0 == code)
        .map_or((code, code), |a| (a.1, a.2));
    Advice {
        en: en.to_owned(),
        zh: zh.to_owned(),
    }
}
