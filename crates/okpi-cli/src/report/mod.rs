//! The HTML report: one self-contained file (inline CSS and SVG, no scripts, works offline) that is well-formed
//! XHTML. Each section is a `<section>` with a stable id: `strategy`, `alignment`, `heatmap`, `kpi-trends`,
//! `scorecards`, `advisor` and `findings`.

mod advice;
mod kpi;
mod okr;
pub mod xml;

use crate::analysis::Analysis;
use crate::i18n::{label as l, Lang, Tx};
use crate::labels::Names;
use okpi::alert::Status as AlertStatus;
use okpi::Status;
use xml::Xml;

/// The stylesheet, inlined in the page's head.
const CSS: &str = include_str!("style.css");

/// The ids of the report's sections, in page order.
pub const SECTIONS: &[&str] = &[
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
        let h = &a.diagnosis.health;
        let objectives = &a.evaluation.objectives;
        let krs = &a.evaluation.key_results;
        let on_track = krs
            .iter()
            .filter(|k| matches!(k.status, Status::OnTrack | Status::Done))
            .count();
        let firing = a
            .alerts
            .alerts
            .iter()
            .filter(|r| r.state.status == AlertStatus::Firing)
            .count();
        let mean = if objectives.is_empty() {
            0.0
        } else {
            objectives.iter().map(|o| o.progress).sum::<f64>() / objectives.len() as f64
        };
        x.tag("div").a("class", "kpis").with(|x| {
            let mut card = |value: String, label: &str| {
                x.tag("div").with(|x| {
                    x.tag("b").text(&value);
                    x.tag("span").text(label);
                });
            };
            card(
                format!("{}/100", h.score),
                &format!("{} · {}", lang.t(l::HEALTH), lang.health(h.band)),
            );
            card(
                format!("{on_track}/{}", krs.len()),
                lang.t(Tx("key results on track or done", "关键结果正常或已完成")),
            );
            card(
                format!("{:.0}%", mean * 100.0),
                lang.t(Tx("mean objective progress", "目标平均进度")),
            );
            card(firing.to_string(), lang.t(Tx("alerts firing", "告警中")));
            card(
                a.diagnosis.findings.len().to_string(),
                lang.t(Tx("findings", "诊断发现")),
            );
        });
    });
}

fn nav(x: &mut Xml, lang: Lang) {
    let titles = [
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

/// A status pill.
pub fn pill(x: &mut Xml, lang: Lang, s: Status) {
    x.tag("span")
        .a("class", format!("pill s-{}", snake(&s)))
        .text(lang.status(s));
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
            .a("style", format!("width:{:.1}%", p.clamp(0.0, 1.0) * 100.0))
            .empty();
        x.tag("i")
            .a("style", format!("left:{:.1}%", expected.clamp(0.0, 1.0) * 100.0))
            .empty();
    });
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
