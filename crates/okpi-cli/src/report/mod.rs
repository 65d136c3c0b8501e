//! The HTML report: one self-contained file (inline CSS and SVG, no scripts, works offline) that is well-formed
//! XHTML. It opens with the summary (where we are against where we should be, what needs attention, what changed
//! since last week), then each part in its own `<section>` with a stable id: `summary`, `strategy`, `alignment`,
//! `heatmap`, `kpi-trends`, `scorecards`, `advisor` and `findings`.
//!
//! It is built to scale: every list shows its most important rows first and a bounded number of them (the rest
//! counted, or collapsed in `<details>`), so the page grows with what a reader can take in, not with the size of the
//! organisation; and every status carries a mark (✓ ★ ! ✕ ○) as well as a colour.

mod advice;
mod kpi;
mod okr;
mod strategy;
pub mod summary;
pub mod xml;

use crate::analysis::Analysis;
use crate::i18n::{label as l, mark, Lang, Tx};
use crate::labels::Names;
use okpi::Status;
use xml::Xml;

/// The stylesheet, inlined in the page's head.
pub const CSS: &str = include_str!("style.css");

/// The ids of the report's sections, in page order.
pub const SECTIONS: &[&str] = &[
    "summary",
    "strategy",
    "alignment",
    "heatmap",
    "kpi-trends",
    "scorecards",
    "advisor",
    "findings",
];

/// The report of `a` in `lang`, as one XHTML document.
pub fn render(a: &Analysis, lang: Lang) -> String {
    let names = Names::new(a);
    let mut x = Xml::default();
    x.raw("<!DOCTYPE html>\n");
    x.tag("html")
        .a("xmlns", "http://www.w3.org/1999/xhtml")
        .a("lang", lang.code())
        .a("xml:lang", lang.code())
        .with(|x| {
            x.tag("head").with(|x| {
                x.tag("meta").a("charset", "utf-8").empty();
                x.tag("meta")
                    .a("name", "viewport")
                    .a("content", "width=device-width, initial-scale=1")
                    .empty();
                let company = names.company().map(|c| lang.title(c).0).unwrap_or_default();
                x.tag("title").text(&format!(
                    "{company} {} · {} {}",
                    lang.t(l::TITLE),
                    lang.t(l::AS_OF),
                    a.as_of
                ));
                x.tag("style").with(|x| x.raw(CSS));
            });
            x.tag("body").with(|x| {
                header(x, a, lang, &names);
                nav(x, lang);
                x.tag("main").with(|x| {
                    summary::section(x, a, lang, &names);
                    strategy::section(x, a, lang, &names);
                    okr::alignment(x, a, lang, &names);
                    okr::heatmap(x, a, lang, &names);
                    kpi::trends(x, a, lang, &names);
                    kpi::scorecards(x, a, lang, &names);
                    advice::advisor(x, a, lang, &names);
                    advice::findings(x, a, lang, &names);
                });
                x.tag("footer").text(lang.t(l::GENERATED));
            });
        });
    x.finish()
}

fn header(x: &mut Xml, a: &Analysis, lang: Lang, names: &Names<'_>) {
    x.tag("header").a("class", "top").with(|x| {
        let company = names.company().map(|c| lang.title(c).0).unwrap_or_default();
        x.tag("h1").text(&format!("{company} · {}", lang.t(l::TITLE)));
        x.tag("div").a("class", "meta").text(&format!(
            "{} {} ({} – {}) · {} {}",
            lang.t(l::CYCLE),
            a.cycle.id,
            a.cycle.start,
            a.cycle.end,
            lang.t(l::AS_OF),
            a.as_of
        ));
    });
}

fn nav(x: &mut Xml, lang: Lang) {
    let titles = [
        l::SUMMARY,
        l::STRATEGY,
        l::ALIGNMENT,
        l::HEATMAP,
        l::TRENDS,
        l::SCORECARDS,
        l::ADVISOR,
        l::FINDINGS,
    ];
    x.tag("nav").with(|x| {
        for (id, title) in SECTIONS.iter().zip(titles) {
            x.tag("a").a("href", format!("#{id}")).text(lang.t(title));
        }
    });
}

/// The legend of the status marks and colours, and the rule that gives objectives their status on this page.
pub fn status_legend(x: &mut Xml, a: &Analysis, lang: Lang) {
    x.tag("div").a("class", "legend").with(|x| {
        for s in [
            Status::OnTrack,
            Status::Done,
            Status::AtRisk,
            Status::OffTrack,
            Status::NotStarted,
        ] {
            x.tag("span").with(|x| pill(x, lang, s));
        }
        let st = &a.evaluation.settings;
        let rule = match st.objective_status {
            okpi::settings::ObjectiveStatusRule::WorstKr => lang.t(Tx(
                "an objective takes the status of its weakest key result or aligned objective",
                "目标取其最差的关键结果或对齐目标的状态",
            )),
            okpi::settings::ObjectiveStatusRule::FromProgress => lang.t(Tx(
                "an objective is judged by its own progress against pace",
                "目标按自身进度相对节奏判定",
            )),
        };
        let (on, risk) = (st.on_track_tolerance * 100.0, st.at_risk_tolerance * 100.0);
        x.tag("span").text(&match lang {
            Lang::En => format!(
                "Status on every view of this page: progress against the pace line — on track within {on:.0} points of expected, at risk within {risk:.0}, off track below; {rule}."
            ),
            Lang::Zh => format!(
                "本页所有视图使用同一状态规则：进度对比节奏线——落后预期不超过 {on:.0} 个百分点为正常，不超过 {risk:.0} 个为有风险，否则为落后；{rule}。"
            ),
        });
    });
}

/// A report section: `<section id="…" class="card"><h2>…</h2>…</section>`.
pub fn section(x: &mut Xml, id: &str, title: &str, f: impl FnOnce(&mut Xml)) {
    x.tag("section").a("id", id).a("class", "card").with(|x| {
        x.tag("h2").text(title);
        f(x);
    });
}

/// A bilingual title: the part in `lang` in bold, the other part as a quiet subtitle.
pub fn title(x: &mut Xml, lang: Lang, text: &str) {
    let (main, other) = lang.title(text);
    x.tag("span").a("class", "t").text(&main);
    if !other.is_empty() {
        x.tag("span").a("class", "sub").text(&other);
    }
}

/// The snake-case name a serde enum serialises to (used for CSS classes).
pub fn snake<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// A status pill: its mark and its name, on its colour.
pub fn pill(x: &mut Xml, lang: Lang, s: Status) {
    x.tag("span")
        .a("class", format!("pill s-{}", snake(&s)))
        .text(&format!("{} {}", mark(s), lang.status(s)));
}

/// A progress bar filled to `p` in the status colour, with a tick at the expected progress.
pub fn bar(x: &mut Xml, p: f64, expected: f64, s: Status, lang: Lang) {
    let tip = format!(
        "{} {:.0}% · {} {:.0}%",
        lang.t(l::PROGRESS),
        p * 100.0,
        lang.t(l::EXPECTED),
        expected * 100.0
    );
    x.tag("span").a("class", "bar").a("title", tip).with(|x| {
        x.tag("span")
            .a("class", format!("s-{}", snake(&s)))
            .a(
                "style",
                format!("width:{:.0}%", finite(p).clamp(0.0, 1.0) * 100.0),
            )
            .empty();
        x.tag("i")
            .a(
                "style",
                format!("left:{:.0}%", finite(expected).clamp(0.0, 1.0) * 100.0),
            )
            .empty();
    });
}

/// `v`, or 0 when it is not a number.
pub fn finite(v: f64) -> f64 {
    if v.is_finite() {
        v
    } else {
        0.0
    }
}

/// `… and N more` under a list cut at its first rows.
pub fn more(x: &mut Xml, lang: Lang, n: usize, hint: Tx) {
    if n > 0 {
        x.tag("p").a("class", "note").text(&format!(
            "{} {}",
            lang.count(n, "more", "more", "项未列出"),
            lang.t(hint)
        ));
    }
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic
    )]
    use okpi::Status;

    #[test]
    fn the_stylesheet_needs_no_escaping() {
        assert!(!super::CSS.contains('<') && !super::CSS.contains('&'));
    }

    /// WCAG 2 relative luminance of `#rrggbb`.
    fn luminance(hex: &str) -> f64 {
        let h = hex.trim_start_matches('#');
        assert_eq!(h.len(), 6, "{hex}");
        let c = |i: usize| {
            let v = f64::from(u8::from_str_radix(&h[i..i + 2], 16).unwrap()) / 255.0;
            if v <= 0.03928 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * c(0) + 0.7152 * c(2) + 0.0722 * c(4)
    }

    /// The contrast ratio of two colours.
    pub fn contrast(a: &str, b: &str) -> f64 {
        let (x, y) = (luminance(a), luminance(b));
        (x.max(y) + 0.05) / (x.min(y) + 0.05)
    }

    #[test]
    fn the_contrast_formula_gives_the_known_ratios() {
        assert!((contrast("#000000", "#ffffff") - 21.0).abs() < 1e-9);
        assert!((contrast("#777777", "#ffffff") - 4.48).abs() < 0.01);
    }

    /// Every text colour the stylesheet sets, on the background the same rule sets, or (for a rule that sets no
    /// background) on each surface text sits on — the page, the cards, the chips; and every background a rule sets
    /// under the text colour it inherits. Rules marked `/* no text */` draw shapes only.
    #[test]
    fn every_text_and_background_pair_of_the_stylesheet_has_a_contrast_of_at_least_4_5() {
        let css = super::CSS;
        let root = css.split('}').next().unwrap().split_once('{').unwrap().1;
        let vars: std::collections::HashMap<String, String> = root
            .split(';')
            .filter_map(|d| {
                let (k, v) = d.split_once(':')?;
                let k = k.trim();
                k.starts_with("--").then(|| (k.to_owned(), v.trim().to_owned()))
            })
            .collect();
        let resolve = |v: &str| -> Option<String> {
            let v = v.trim();
            let v = match v.strip_prefix("var(").and_then(|r| r.strip_suffix(')')) {
                Some(name) => vars.get(name)?.clone(),
                None => v.to_owned(),
            };
            (v.starts_with('#') && v.len() == 7).then_some(v)
        };
        let surfaces = ["#ffffff", "#f5f7fa", "#fafbfc"];
        let ink = "#1f2933";
        let mut checked = 0;
        let mut rest = css;
        while let Some(open) = rest.find('{') {
            let selector = rest[..open].trim().rsplit('}').next().unwrap().trim().to_owned();
            let close = rest[open..].find('}').map(|c| open + c).unwrap();
            let body = &rest[open + 1..close];
            let after = &rest[close + 1..];
            let no_text = after.trim_start().starts_with("/* no text */");
            rest = after;
            if selector.starts_with(":root") || selector.starts_with("@media") {
                continue;
            }
            let get = |prop: &str| {
                body.split(';').find_map(|d| {
                    let (k, v) = d.split_once(':')?;
                    (k.trim() == prop).then(|| v.trim().to_owned())
                })
            };
            let color = get("color").and_then(|c| resolve(&c));
            let background = get("background")
                .or_else(|| get("background-color"))
                .and_then(|b| resolve(&b));
            let pairs: Vec<(String, String)> = match (color, background) {
                (Some(c), Some(b)) => vec![(c, b)],
                (Some(c), None) => surfaces.iter().map(|s| (c.clone(), (*s).to_owned())).collect(),
                (None, Some(b)) if !no_text => vec![(ink.to_owned(), b)],
                _ => Vec::new(),
            };
            for (c, b) in pairs {
                let ratio = contrast(&c, &b);
                assert!(ratio >= 4.5, "{selector}: {c} on {b} is {ratio:.2}:1");
                checked += 1;
            }
        }
        assert!(checked > 30, "only {checked} pairs found");
    }

    #[test]
    fn every_status_has_a_mark_besides_its_colour() {
        let marks: Vec<&str> = [
            Status::OnTrack,
            Status::Done,
            Status::AtRisk,
            Status::OffTrack,
            Status::NotStarted,
        ]
        .into_iter()
        .map(crate::i18n::mark)
        .collect();
        let mut unique = marks.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(
            unique.len(),
            marks.len(),
            "each status has its own mark: {marks:?}"
        );
    }
}
