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
                    crate::strategy::section(x, a, lang, &names);
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
            .a("style", format!("width:{:.0}%", finite(p).clamp(0.0, 1.0) * 100.0))
            .empty();
        x.tag("i")
            .a("style", format!("left:{:.0}%", finite(expected).clamp(0.0, 1.0) * 100.0))
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

    #[test]
    fn the_stylesheet_needs_no_escaping() {
        assert!(!super::CSS.contains('<') && !super::CSS.contains('&'));
    }
}
