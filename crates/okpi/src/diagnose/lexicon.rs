//! Task-like wording (DOMAIN.md §10, `okr.task_like_kr`): a title that starts with, or (in Chinese) contains, an
//! action verb and names no number reads as a task, not a result.

/// English verbs of doing, matched as the title's first word (case-insensitive).
const EN: &[&str] = &[
    "launch",
    "ship",
    "complete",
    "finish",
    "implement",
    "build",
    "develop",
    "create",
    "deliver",
    "release",
    "deploy",
    "design",
    "write",
    "hold",
    "organize",
    "organise",
    "run",
    "conduct",
    "migrate",
    "set",
    "setup",
    "hire",
    "start",
    "establish",
    "roll",
    "introduce",
    "prepare",
    "draft",
    "publish",
    "integrate",
];

/// Chinese verbs of doing, matched anywhere in the title.
const ZH: &[&str] = &[
    "完成", "上线", "开发", "推出", "发布", "实施", "实现", "建立", "搭建", "组织", "举办", "召开", "制定",
    "编写", "设计", "部署", "迁移", "招聘", "启动", "落地", "交付", "筹备", "引入",
];

/// Whether `title` reads as a task: an action verb and no digit.
///
/// ```
/// assert!(okpi::diagnose::is_task_like("Launch the new onboarding flow"));
/// assert!(okpi::diagnose::is_task_like("完成新版引导流程上线"));
/// assert!(!okpi::diagnose::is_task_like("Raise first-month retention to 55%"));
/// assert!(!okpi::diagnose::is_task_like("Ship 3 pricing experiments"));
/// ```
pub fn is_task_like(title: &str) -> bool {
    // An ASCII title (the common case) is read as bytes: no full-width digit or Chinese verb can be in it, and its
    // first word is lowercased as ASCII, without a copy.
    let ascii = title.is_ascii();
    if title.bytes().any(|b| b.is_ascii_digit())
        || (!ascii && title.chars().any(|c| ('０'..='９').contains(&c)))
    {
        return false;
    }
    let first = title
        .split(|c: char| !c.is_alphabetic())
        .find(|w| !w.is_empty())
        .unwrap_or_default();
    let en = if first.is_ascii() {
        EN.iter().any(|v| first.eq_ignore_ascii_case(v))
    } else {
        EN.contains(&first.to_lowercase().as_str())
    };
    en || (!ascii && ZH.iter().any(|v| title.contains(v)))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    /// The reading in full: every character decoded, the first word lowercased as Unicode.
    fn reference(title: &str) -> bool {
        if title
            .chars()
            .any(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
        {
            return false;
        }
        let first = title
            .split(|c: char| !c.is_alphabetic())
            .find(|w| !w.is_empty())
            .map(str::to_lowercase)
            .unwrap_or_default();
        super::EN.contains(&first.as_str()) || super::ZH.iter().any(|v| title.contains(v))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn the_quick_reading_is_the_full_one(
            words in prop::collection::vec(prop::sample::select(vec![
                "Launch", "LAUNCH", "laUnch", "\u{212A}ick", "ship", "Ship3", "３", "7", "完成", "上线了", "the", "İnstall",
                "run", "RUN", "Ünder", "set-up", "setup", " ", "-", "é", "build", "新版",
            ]), 0..5),
        ) {
            let title = words.concat();
            prop_assert_eq!(super::is_task_like(&title), reference(&title), "{}", title);
        }
    }
}
