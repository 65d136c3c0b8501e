//! The two languages of dashboards and reports: labels in English and Chinese, and bilingual titles.
//!
//! A title written `中文 (English)` (or with full-width parentheses) is split: each language shows its own part
//! first and the other as a subtitle. Any other title is shown as written.

use okpi::decide::{Quadrant, Recommendation};
use okpi::diagnose::{HealthBand, Severity};
use okpi::Status;

/// The language of labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Lang {
    /// English.
    En,
    /// Chinese (简体中文).
    Zh,
}

/// A label in both languages: `(English, Chinese)`.
#[derive(Debug, Clone, Copy)]
pub struct Tx(pub &'static str, pub &'static str);

impl Lang {
    /// The label in this language.
    pub fn t(self, tx: Tx) -> &'static str {
        match self {
            Lang::En => tx.0,
            Lang::Zh => tx.1,
        }
    }

    /// The HTML `lang` code.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh-CN",
        }
    }

    /// A title's part in this language first, then the other part (empty when the title is not bilingual).
    pub fn title(self, title: &str) -> (String, String) {
        match split_title(title) {
            Some((zh, en)) => match self {
                Lang::En => (en.to_owned(), zh.to_owned()),
                Lang::Zh => (zh.to_owned(), en.to_owned()),
            },
            None => (title.to_owned(), String::new()),
        }
    }

    /// A status in words.
    pub fn status(self, s: Status) -> &'static str {
        self.t(match s {
            Status::OffTrack => Tx("off track", "落后"),
            Status::AtRisk => Tx("at risk", "有风险"),
            Status::NotStarted => Tx("not started", "未开始"),
            Status::OnTrack => Tx("on track", "正常"),
            Status::Done => Tx("done", "已完成"),
        })
    }

    /// `n` things: `1 objective`, `2 objectives`, `2 个目标`.
    pub fn count(self, n: usize, one: &str, many: &str, zh: &str) -> String {
        let n_text = thousands(n as f64, 0);
        match self {
            Lang::En if n == 1 => format!("1 {one}"),
            Lang::En => format!("{n_text} {many}"),
            Lang::Zh => format!("{n_text} {zh}"),
        }
    }

    /// A finding's severity in words.
    pub fn severity(self, s: Severity) -> &'static str {
        self.t(match s {
            Severity::Info => Tx("info", "提示"),
            Severity::Warning => Tx("warning", "警告"),
            Severity::Error => Tx("error", "错误"),
        })
    }

    /// An alert's severity in words.
    pub fn alert_severity(self, s: okpi::alert::AlertSeverity) -> &'static str {
        self.t(match s {
            okpi::alert::AlertSeverity::Warning => Tx("warning", "警告"),
            okpi::alert::AlertSeverity::Critical => Tx("critical", "严重"),
        })
    }

    /// A health band in words.
    pub fn health(self, b: HealthBand) -> &'static str {
        self.t(match b {
            HealthBand::Poor => Tx("poor", "差"),
            HealthBand::Fair => Tx("fair", "一般"),
            HealthBand::Good => Tx("good", "良好"),
            HealthBand::Excellent => Tx("excellent", "优秀"),
        })
    }

    /// A recommendation of the advisor in words.
    pub fn recommendation(self, r: Recommendation) -> &'static str {
        self.t(match r {
            Recommendation::Kpi => Tx("KPI", "KPI"),
            Recommendation::Okr => Tx("OKR", "OKR"),
            Recommendation::Hybrid => Tx("hybrid OKR + KPI", "OKR + KPI 混合"),
            Recommendation::FixProcessFirst => Tx("fix the process first", "先整顿流程"),
            Recommendation::BuildFoundationsFirst => Tx("build foundations first", "先打基础"),
            _ => Tx("another recommendation", "其他建议"),
        })
    }

    /// A quadrant of the adaptation matrix in words.
    pub fn quadrant(self, q: Quadrant) -> &'static str {
        self.t(match q {
            Quadrant::StableOperations => Tx("stable operations", "稳定运营区"),
            Quadrant::Exploration => Tx("exploration", "探索创新区"),
            Quadrant::LeanExperiment => Tx("lean experiment", "精益试验区"),
            Quadrant::Restructuring => Tx("restructuring", "转型整顿区"),
        })
    }
}

/// The non-colour mark of a status, shown beside or inside every coloured status: ✓ on track, ★ done, ! at risk,
/// ✕ off track, ○ not started.
pub fn mark(s: Status) -> &'static str {
    match s {
        Status::OnTrack => "✓",
        Status::Done => "★",
        Status::AtRisk => "!",
        Status::OffTrack => "✕",
        Status::NotStarted => "○",
    }
}

/// `x` with `decimals` decimals and a thousands separator (`1,234,567.8`); a value too large to write in full is
/// written in scientific notation.
pub fn thousands(x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return String::from("–");
    }
    if x.abs() >= 1e15 {
        return format!("{x:.2e}");
    }
    let text = format!("{:.*}", decimals, x.abs());
    let (int, frac) = text.split_once('.').map_or((text.as_str(), ""), |(i, f)| (i, f));
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if !frac.is_empty() {
        out.push('.');
        out.push_str(frac);
    }
    let negative = x < 0.0 && out.chars().any(|c| c.is_ascii_digit() && c != '0');
    if negative {
        out.insert(0, '−');
    }
    out
}

/// `(Chinese, English)` of a title written `中文 (English)`.
pub fn split_title(title: &str) -> Option<(&str, &str)> {
    let t = title.trim();
    for (open, close) in [(" (", ')'), ("（", '）'), ("(", ')')] {
        if let (Some(i), true) = (t.rfind(open), t.ends_with(close)) {
            let zh = t.get(..i)?.trim();
            let en = t.get(i + open.len()..t.len() - close.len_utf8())?.trim();
            if !zh.is_empty() && !en.is_empty() {
                return Some((zh, en));
            }
        }
    }
    None
}

/// Labels shared by the dashboard and the report.
pub mod label {
    use super::Tx;

    /// The report's first section.
    pub const SUMMARY: Tx = Tx("Where we are", "现状概览");
    /// The report's and dashboard's title.
    pub const TITLE: Tx = Tx("OKR and KPI report", "OKR 与 KPI 报告");
    /// "as of".
    pub const AS_OF: Tx = Tx("as of", "截至");
    /// "cycle".
    pub const CYCLE: Tx = Tx("cycle", "周期");
    /// Health score.
    pub const HEALTH: Tx = Tx("health", "健康度");
    /// Findings.
    pub const FINDINGS: Tx = Tx("Findings and advice", "诊断发现与建议");
    /// Alerts.
    pub const ALERTS: Tx = Tx("Alerts", "告警");
    /// Alerts firing now.
    pub const FIRING: Tx = Tx("firing", "告警中");
    /// Since.
    pub const SINCE: Tx = Tx("since", "始于");
    /// Objectives and key results.
    pub const OKRS: Tx = Tx("Objectives and key results", "目标与关键结果");
    /// KPI targets.
    pub const TARGETS: Tx = Tx("KPI targets", "KPI 目标");
    /// Scorecards.
    pub const SCORECARDS: Tx = Tx("Scorecards and grades", "绩效计分卡与等级");
    /// Strategy view.
    pub const STRATEGY: Tx = Tx("Strategy view", "战略视图");
    /// Alignment tree.
    pub const ALIGNMENT: Tx = Tx("Alignment tree", "对齐关系树");
    /// Heatmap.
    pub const HEATMAP: Tx = Tx("Progress by week against pace", "每周进度与预期节奏");
    /// Trends.
    pub const TRENDS: Tx = Tx("KPI trends", "KPI 趋势");
    /// Advisor.
    pub const ADVISOR: Tx = Tx("Which model fits each business line", "各业务线适合的管理模式");
    /// Progress.
    pub const PROGRESS: Tx = Tx("progress", "进度");
    /// Expected progress.
    pub const EXPECTED: Tx = Tx("expected", "预期");
    /// Score.
    pub const SCORE: Tx = Tx("score", "评分");
    /// Confidence.
    pub const CONFIDENCE: Tx = Tx("confidence", "信心");
    /// Status.
    pub const STATUS: Tx = Tx("status", "状态");
    /// Actual.
    pub const ACTUAL: Tx = Tx("actual", "实际");
    /// Target.
    pub const TARGET: Tx = Tx("target", "目标");
    /// Threshold.
    pub const THRESHOLD: Tx = Tx("threshold", "门槛");
    /// Stretch.
    pub const STRETCH: Tx = Tx("stretch", "挑战");
    /// Grade.
    pub const GRADE: Tx = Tx("grade", "等级");
    /// Total.
    pub const TOTAL: Tx = Tx("total", "总分");
    /// Rank.
    pub const RANK: Tx = Tx("rank", "排名");
    /// No data.
    pub const NO_DATA: Tx = Tx("no data", "无数据");
    /// Nothing found.
    pub const NONE: Tx = Tx("none", "无");
    /// Uncertainty.
    pub const UNCERTAINTY: Tx = Tx("uncertainty", "业务不确定性");
    /// Standardization.
    pub const STANDARDIZATION: Tx = Tx("standardization", "流程标准化程度");
    /// Recommendation.
    pub const RECOMMENDATION: Tx = Tx("recommendation", "建议模式");
    /// Matrix says.
    pub const MATRIX: Tx = Tx("matrix", "矩阵");
    /// Pilot.
    pub const PILOT: Tx = Tx("pilot", "试点");
    /// Why.
    pub const REASONS: Tx = Tx("why", "原因");
    /// Next steps.
    pub const NEXT_STEPS: Tx = Tx("next steps", "下一步");
    /// Pace.
    pub const PACE: Tx = Tx("pace", "节奏");
    /// No profiles.
    pub const NO_PROFILES: Tx = Tx(
        "No business-line profiles: name a file with \"profiles\" in the document or --profiles.",
        "没有业务线画像：请在文档的 \"profiles\" 中或用 --profiles 指定文件。",
    );
    /// Grade distribution.
    pub const DISTRIBUTION: Tx = Tx("grade distribution", "等级分布");
    /// Aligned via "supports" (not counted).
    pub const SUPPORTS_EDGE: Tx = Tx("supports (not counted)", "支持（不计入）");
    /// Weight.
    pub const WEIGHT: Tx = Tx("weight", "权重");
    /// Generated by.
    pub const GENERATED: Tx = Tx(
        "Generated by okpi from the document alone: every number is computed by the okpi library from the document and the as-of date.",
        "由 okpi 仅根据输入文档生成：所有数字均由 okpi 库根据文档与截至日期计算。",
    );
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

    #[test]
    fn titles_split_into_their_languages() {
        let t = "提升新商户首月留存 (Raise new merchants' first-month retention)";
        assert_eq!(
            split_title(t),
            Some(("提升新商户首月留存", "Raise new merchants' first-month retention"))
        );
        assert_eq!(
            split_title("提升留存（Retention）"),
            Some(("提升留存", "Retention"))
        );
        assert_eq!(split_title("Plain title"), None);
        assert_eq!(
            Lang::En.title("Plain title"),
            ("Plain title".to_owned(), String::new())
        );
        assert_eq!(Lang::Zh.title(t).0, "提升新商户首月留存");
    }

    #[test]
    fn numbers_get_separators_and_counts_their_plural() {
        assert_eq!(thousands(867687.0, 0), "867,687");
        assert_eq!(thousands(1234.5, 1), "1,234.5");
        assert_eq!(thousands(-0.0001, 1), "0.0");
        assert_eq!(thousands(-1200.0, 0), "−1,200");
        assert_eq!(thousands(999.0, 0), "999");
        assert_eq!(thousands(f64::NAN, 0), "–");
        assert_eq!(
            Lang::En.count(1, "objective", "objectives", "个目标"),
            "1 objective"
        );
        assert_eq!(
            Lang::En.count(1200, "objective", "objectives", "个目标"),
            "1,200 objectives"
        );
        assert_eq!(Lang::Zh.count(2, "objective", "objectives", "个目标"), "2 个目标");
    }
}
