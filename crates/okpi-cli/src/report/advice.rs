//! The advice sections: the advisor's adaptation matrix with each business line in its quadrant, and the
//! diagnostics' findings with their advice.

use super::xml::{f1, Xml};
use super::{section, snake};
use crate::analysis::Analysis;
use crate::i18n::{label as l, Lang, Tx};
use crate::labels::Names;
use okpi::decide::{Note, Recommendation};
use okpi::diagnose::Severity;

fn recommendation_color(r: Recommendation) -> &'static str {
    match r {
        Recommendation::Kpi => "#2f5fc4",
        Recommendation::Okr => "#8e44ad",
        Recommendation::Hybrid => "#00785a",
        Recommendation::FixProcessFirst => "#9a5b00",
        Recommendation::BuildFoundationsFirst => "#b33c00",
        _ => "#555555",
    }
}

/// `advisor`: the adaptation matrix (uncertainty across, standardization up, split at 0.5) with every business
/// line placed by its scores and coloured by the final recommendation, then the advice line by line.
pub fn advisor(x: &mut Xml, a: &Analysis, lang: Lang, names: &Names<'_>) {
    section(x, "advisor", lang.t(l::ADVISOR), |x| {
        let Some(portfolio) = &a.portfolio else {
            x.tag("p").a("class", "note").text(lang.t(l::NO_PROFILES));
            return;
        };
        x.tag("div").a("class", "two").with(|x| {
            matrix(x, a, lang, names);
            x.tag("table").with(|x| {
                x.tag("thead").with(|x| {
                    x.tag("tr").with(|x| {
                        x.tag("th").text("");
                        x.tag("th").text(lang.t(l::MATRIX));
                        x.tag("th").text(lang.t(l::RECOMMENDATION));
                        x.tag("th").text(lang.t(l::REASONS));
                    });
                });
                x.tag("tbody").with(|x| {
                    for line in &portfolio.lines {
                        x.tag("tr").with(|x| {
                            x.tag("td")
                                .with(|x| super::title(x, lang, names.profile(&line.id).unwrap_or(&line.id)));
                            x.tag("td").with(|x| {
                                x.text(lang.quadrant(line.quadrant));
                                x.tag("br").empty();
                                x.tag("span")
                                    .a("class", "note")
                                    .text(lang.recommendation(line.matrix));
                            });
                            x.tag("td").with(|x| {
                                x.tag("span")
                                    .a("class", "pill")
                                    .a(
                                        "style",
                                        format!("background:{}", recommendation_color(line.recommendation)),
                                    )
                                    .text(lang.recommendation(line.recommendation));
                                if let Some(p) = &line.pilot {
                                    x.tag("br").empty();
                                    x.tag("span").a("class", "note").text(&format!(
                                        "{}: {}",
                                        lang.t(l::PILOT),
                                        lang.recommendation(p.model)
                                    ));
                                }
                            });
                            x.tag("td").with(|x| {
                                notes(x, &line.reasons, lang);
                                if !line.next_steps.is_empty() {
                                    x.tag("div")
                                        .a("class", "note")
                                        .text(&format!("{}:", lang.t(l::NEXT_STEPS)));
                                    notes(x, &line.next_steps, lang);
                                }
                            });
                        });
                    }
                });
            });
        });
    });
}

fn notes(x: &mut Xml, notes: &[Note], lang: Lang) {
    x.tag("ul")
        .a("style", "margin:2px 0;padding-left:18px")
        .with(|x| {
            for n in notes {
                x.tag("li").a("title", &n.code).text(match lang {
                    Lang::En => &n.en,
                    Lang::Zh => &n.zh,
                });
            }
        });
}

fn matrix(x: &mut Xml, a: &Analysis, lang: Lang, names: &Names<'_>) {
    let (size, left, bottom, top, right) = (400.0, 34.0, 34.0, 8.0, 8.0);
    let plot = size - left - right;
    let px = |u: f64| left + plot * u.clamp(0.0, 1.0);
    let py = |s: f64| top + (size - top - bottom) * (1.0 - s.clamp(0.0, 1.0));
    let quadrants = [
        // (u0, s0, fill, name, model): the quadrant whose lower-left corner is (u0, s0)
        (
            0.0,
            0.5,
            "#eaf1fd",
            lang.t(Tx("Stable operations", "稳定运营区")),
            Recommendation::Kpi,
        ),
        (
            0.5,
            0.5,
            "#e9f7ef",
            lang.t(Tx("Lean experiment", "精益试验区")),
            Recommendation::Hybrid,
        ),
        (
            0.0,
            0.0,
            "#fdf6e3",
            lang.t(Tx("Restructuring", "转型整顿区")),
            Recommendation::FixProcessFirst,
        ),
        (
            0.5,
            0.0,
            "#f4ecf8",
            lang.t(Tx("Exploration", "探索创新区")),
            Recommendation::Okr,
        ),
    ];
    x.tag("svg")
        .a("xmlns", "http://www.w3.org/2000/svg")
        .a("viewBox", format!("0 0 {size} {size}"))
        .a("width", "100%")
        .a("role", "img")
        .with(|x| {
            for (u0, s0, fill, name, model) in quadrants {
                let (x0, y0) = (px(u0), py(s0 + 0.5));
                let side = plot / 2.0;
                x.tag("rect")
                    .a("x", f1(x0))
                    .a("y", f1(y0))
                    .a("width", f1(side))
                    .a("height", f1(py(s0) - y0))
                    .a("fill", fill)
                    .a("stroke", "#fff")
                    .a("stroke-width", "2")
                    .empty();
                x.tag("text")
                    .a("x", f1(x0 + 8.0))
                    .a("y", f1(y0 + 18.0))
                    .a("font-size", "12")
                    .a("font-weight", "700")
                    .a("fill", "#52606d")
                    .text(name);
                x.tag("text")
                    .a("x", f1(x0 + 8.0))
                    .a("y", f1(y0 + 33.0))
                    .a("font-size", "11")
                    .a("fill", recommendation_color(model))
                    .text(&format!("→ {}", lang.recommendation(model)));
            }
            x.tag("text")
                .a("x", f1(left + plot / 2.0))
                .a("y", f1(size - 8.0))
                .a("text-anchor", "middle")
                .a("font-size", "12")
                .a("fill", "#56626f")
                .text(&format!("{} →", lang.t(l::UNCERTAINTY)));
            let ymid = (top + size - bottom) / 2.0;
            x.tag("text")
                .a("x", "14")
                .a("y", f1(ymid))
                .a("text-anchor", "middle")
                .a("font-size", "12")
                .a("fill", "#56626f")
                .a("transform", format!("rotate(-90 14 {})", f1(ymid)))
                .text(&format!("{} →", lang.t(l::STANDARDIZATION)));
            let Some(portfolio) = &a.portfolio else { return };
            for line in &portfolio.lines {
                let Some(profile) = a.profiles.iter().find(|p| p.id == line.id) else {
                    continue;
                };
                let (cx, cy) = (px(profile.uncertainty), py(profile.standardization));
                let name = names
                    .profile(&line.id)
                    .map_or_else(|| line.id.clone(), |n| lang.title(n).0);
                x.tag("circle")
                    .a("cx", f1(cx))
                    .a("cy", f1(cy))
                    .a("r", "7")
                    .a("fill", recommendation_color(line.recommendation))
                    .a("stroke", "#fff")
                    .a("stroke-width", "2")
                    .a("class", format!("line {}", snake(&line.recommendation)))
                    .with(|x| {
                        x.tag("title").text(&format!(
                            "{name}: U {:.2}, S {:.2} → {}",
                            profile.uncertainty,
                            profile.standardization,
                            lang.recommendation(line.recommendation)
                        ));
                    });
                let anchor_right = profile.uncertainty > 0.6;
                x.tag("text")
                    .a("x", f1(if anchor_right { cx - 10.0 } else { cx + 10.0 }))
                    .a("y", f1(cy + 4.0))
                    .a("text-anchor", if anchor_right { "end" } else { "start" })
                    .a("font-size", "11")
                    .a("fill", "#1f2933")
                    .text(&name);
            }
        });
}

/// A subject id's display name: an objective's or key result's title, a unit's or person's name.
fn subject_name(a: &Analysis, names: &Names<'_>, id: &str, lang: Lang) -> String {
    let d = &a.document;
    let title = d
        .objectives
        .iter()
        .find(|o| o.id == id)
        .map(|o| o.title.as_str())
        .or_else(|| {
            d.key_results
                .iter()
                .find(|k| k.id == id)
                .map(|k| k.title.as_str())
        })
        .or_else(|| d.org_units.iter().find(|u| u.id == id).map(|_| names.unit(id)))
        .or_else(|| d.people.iter().find(|p| p.id == id).map(|_| names.person(id)))
        .or_else(|| a.metric_names.get(id).map(String::as_str))
        .filter(|t| !t.is_empty());
    match title {
        Some(t) => format!("{id} · {}", lang.title(t).0),
        None => id.to_owned(),
    }
}

/// The most subjects listed under one finding code; the rest are counted.
const MAX_SUBJECTS: usize = 40;

/// `findings`: grouped by code (errors first, then the most frequent), each group with its count, its advice once,
/// and its subjects collapsed in `<details>` (the first [`MAX_SUBJECTS`], the rest counted). The practice health
/// score says how the OKR and KPI practice is run, not how the business does.
pub fn findings(x: &mut Xml, a: &Analysis, lang: Lang, names: &Names<'_>) {
    section(x, "findings", lang.t(l::FINDINGS), |x| {
        let h = &a.diagnosis.health;
        x.tag("p").text(&format!(
            "{} {}/100 ({}) · {}: {}",
            lang.t(Tx(
                "Practice health (how OKRs and KPIs are run, not business results)",
                "管理实践健康度（衡量 OKR 与 KPI 的执行方式，而非业务结果）"
            )),
            h.score,
            lang.health(h.band),
            lang.t(Tx("penalty points", "扣分")),
            crate::labels::number(h.penalty)
        ));
        if a.diagnosis.findings.is_empty() {
            x.tag("p").a("class", "note").text(lang.t(l::NONE));
            return;
        }
        let mut groups: Vec<(Severity, &str, Vec<&okpi::diagnose::Finding>)> = Vec::new();
        for f in &a.diagnosis.findings {
            match groups.iter_mut().find(|g| g.1 == f.code && g.0 == f.severity) {
                Some(g) => g.2.push(f),
                None => groups.push((f.severity, f.code.as_str(), vec![f])),
            }
        }
        groups.sort_by(|p, q| q.0.cmp(&p.0).then(q.2.len().cmp(&p.2.len())).then(p.1.cmp(q.1)));
        for (severity, code, list) in groups {
            let class = snake(&severity);
            let first = list.first().copied();
            x.tag("div").a("class", format!("finding {class}")).with(|x| {
                let (pill, mark) = match severity {
                    Severity::Error => ("b", "✕"),
                    Severity::Warning => ("w", "!"),
                    Severity::Info => ("n", "i"),
                };
                x.tag("span")
                    .a("class", format!("pill {pill}"))
                    .text(&format!("{mark} {}", lang.severity(severity)));
                x.text(" ");
                x.tag("code").text(code);
                x.text(&format!(" × {}", list.len()));
                if let Some(f) = first {
                    x.tag("div").text(match lang {
                        Lang::En => &f.advice.en,
                        Lang::Zh => &f.advice.zh,
                    });
                }
                let subjects = |x: &mut Xml| {
                    x.tag("ul").with(|x| {
                        for f in list.iter().take(MAX_SUBJECTS) {
                            x.tag("li").with(|x| {
                                let subjects: Vec<String> = f
                                    .subjects
                                    .iter()
                                    .map(|s| subject_name(a, names, s, lang))
                                    .collect();
                                x.text(&subjects.join(", "));
                                for (k, v) in &f.evidence {
                                    let v = match v {
                                        okpi::report::Evidence::Float(n) => crate::labels::number(*n),
                                        okpi::report::Evidence::Int(n) => crate::labels::number(*n as f64),
                                        okpi::report::Evidence::UInt(n) => crate::labels::number(*n as f64),
                                        okpi::report::Evidence::Text(s) => s.clone(),
                                        okpi::report::Evidence::Date(d) => d.to_string(),
                                        other => serde_json::to_string(other).unwrap_or_default(),
                                    };
                                    x.text(" ");
                                    x.tag("span").a("class", "chip").text(&format!("{k}: {v}"));
                                }
                            });
                        }
                    });
                    super::more(
                        x,
                        lang,
                        list.len().saturating_sub(MAX_SUBJECTS),
                        Tx(
                            "(okpi diagnose --format json lists every one)",
                            "（okpi diagnose --format json 列出全部）",
                        ),
                    );
                };
                if list.len() <= 3 {
                    subjects(x);
                } else {
                    x.tag("details").with(|x| {
                        x.tag("summary")
                            .text(&lang.count(list.len(), "subject", "subjects", "个对象"));
                        subjects(x);
                    });
                }
            });
        }
    });
}
