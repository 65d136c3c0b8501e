//! The OKR sections: the alignment tree and the weekly progress heatmap against pace.

use super::xml::Xml;
use super::{bar, pill, section, snake, title};
use crate::analysis::Analysis;
use crate::i18n::{label as l, Lang, Tx};
use crate::labels::Names;
use okpi::model::AlignmentMode;

/// `alignment`: every top objective with the objectives aligned to it, nested, each with its progress against
/// pace, status, score and key results.
pub fn alignment(x: &mut Xml, a: &Analysis, lang: Lang, names: &Names<'_>) {
    section(x, "alignment", lang.t(l::ALIGNMENT), |x| {
        x.tag("p").a("class", "note").text(lang.t(Tx(
            "Bars show progress; the tick is where the pace line says it should be by now.",
            "进度条显示当前进度；刻度线为按节奏此时应达到的进度。",
        )));
        let tree = names.objective_tree();
        x.tag("ul").a("class", "tree").with(|x| {
            let mut i = 0;
            while i < tree.len() {
                i = node(x, a, lang, names, &tree, i, None);
            }
        });
    });
}

/// Writes the node at `tree[i]` and its subtree; returns the index after it.
fn node(
    x: &mut Xml,
    a: &Analysis,
    lang: Lang,
    names: &Names<'_>,
    tree: &[(usize, &str)],
    i: usize,
    edge: Option<(AlignmentMode, f64)>,
) -> usize {
    let Some(&(depth, id)) = tree.get(i) else {
        return i + 1;
    };
    let mut next = i + 1;
    if a.evaluation.objective(id).is_none() {
        // Hidden from this viewer (or not evaluated): its visible descendants take its place, and nothing of it is
        // written.
        while tree.get(next).is_some_and(|(d, _)| *d > depth) {
            next = node(x, a, lang, names, tree, next, None);
        }
        return next;
    }
    x.tag("li").with(|x| {
        x.tag("div").a("class", "obj").with(|x| {
            if let Some(r) = a.evaluation.objective(id) {
                bar(x, r.progress, r.expected, r.status, lang);
                x.tag("b").text(&format!("{:.0}%", r.progress * 100.0));
                pill(x, lang, r.status);
                x.tag("span")
                    .a("class", "chip")
                    .text(&format!("{} {:.1}", lang.t(l::SCORE), r.score));
            }
            title(x, lang, names.objective_title(id));
            if let Some((mode, weight)) = edge {
                let text = match mode {
                    AlignmentMode::Supports => lang.t(l::SUPPORTS_EDGE).to_owned(),
                    AlignmentMode::Contributes => {
                        format!("{} {}", lang.t(l::WEIGHT), crate::dashboard::num(weight))
                    }
                };
                x.tag("span").a("class", "edge").text(&text);
            }
        });
        let krs: Vec<_> = a
            .document
            .key_results
            .iter()
            .filter(|k| k.objective == id)
            .collect();
        if !krs.is_empty() {
            x.tag("div").a("class", "krs").with(|x| {
                for kr in krs {
                    let Some(k) = a.evaluation.key_result(&kr.id) else {
                        continue;
                    };
                    x.tag("div").with(|x| {
                        bar(x, k.progress, k.expected, k.status, lang);
                        x.tag("span").text(&format!("{:.0}%", k.progress * 100.0));
                        pill(x, lang, k.status);
                        title(x, lang, &kr.title);
                        if let Some(c) = k.confidence {
                            x.tag("span").a("class", "chip").text(&format!(
                                "{} {}",
                                lang.t(l::CONFIDENCE),
                                crate::dashboard::num(c)
                            ));
                        }
                        if let Some(link) = &k.link {
                            x.tag("span").a("class", "chip").text(&format!(
                                "← KPI {} · {} ({} {})",
                                crate::labels::metric_label(a, &link.metric, lang),
                                crate::labels::scope_label(names, &link.scope, lang),
                                lang.t(Tx("data to", "数据截至")),
                                link.cut_off
                            ));
                        }
                        if let Some(p) = k.progress_original {
                            x.tag("span").a("class", "chip").text(&format!(
                                "{} {:.0}%",
                                lang.t(Tx("against the original target", "按原目标")),
                                p * 100.0
                            ));
                        }
                    });
                }
            });
        }
        let children: Vec<(AlignmentMode, f64)> = names.children(id).iter().map(|c| (c.1, c.2)).collect();
        if tree.get(next).is_some_and(|(d, _)| *d > depth) {
            x.tag("ul").with(|x| {
                let mut k = 0;
                while tree.get(next).is_some_and(|(d, _)| *d > depth) {
                    next = node(x, a, lang, names, tree, next, children.get(k).copied());
                    k += 1;
                }
            });
        }
    });
    next
}

/// `heatmap`: objectives × weeks, each cell the objective's progress on the week's last day, coloured by its
/// status there (which is its progress judged against the pace line), with a row for the pace itself.
pub fn heatmap(x: &mut Xml, a: &Analysis, lang: Lang, names: &Names<'_>) {
    section(x, "heatmap", lang.t(l::HEATMAP), |x| {
        x.tag("p").a("class", "note").text(lang.t(Tx(
            "Each cell is the objective's progress at the end of the week, coloured by its status there: its own progress judged against the pace line (the from_progress rule).",
            "每格为该周末的目标进度，颜色为当时的状态：目标自身进度相对节奏线的判定（from_progress 规则）。",
        )));
        x.tag("table").a("class", "heat").with(|x| {
            x.tag("thead").with(|x| {
                x.tag("tr").with(|x| {
                    x.tag("th").text("");
                    for (i, w) in a.weeks.iter().enumerate() {
                        x.tag("th").a("class", "c").a("title", w.date).text(&format!(
                            "{}{}",
                            if lang == Lang::En { "W" } else { "第" },
                            week_label(i, lang)
                        ));
                    }
                });
                x.tag("tr").with(|x| {
                    x.tag("th").text(lang.t(l::PACE));
                    for w in &a.weeks {
                        let pace = okpi::okr::elapsed(&a.cycle, w.date);
                        x.tag("th").a("class", "c").text(&format!("{:.0}%", pace * 100.0));
                    }
                });
            });
            x.tag("tbody").with(|x| {
                let mut seen = std::collections::HashSet::new();
                for (depth, id) in names.objective_tree() {
                    if !seen.insert(id) || a.evaluation.objective(id).is_none() {
                        continue;
                    }
                    x.tag("tr").with(|x| {
                        x.tag("td")
                            .a("style", format!("padding-left:{}px", 8 + depth * 14))
                            .with(|x| title(x, lang, names.objective_title(id)));
                        for w in &a.weeks {
                            let Some(r) = w.evaluation.objective(id) else {
                                x.tag("td").empty();
                                continue;
                            };
                            let tip = format!(
                                "{} · {} {:.0}% · {} {:.0}% · {}",
                                w.date,
                                lang.t(l::PROGRESS),
                                r.progress * 100.0,
                                lang.t(l::EXPECTED),
                                r.expected * 100.0,
                                lang.status(r.status)
                            );
                            x.tag("td")
                                .a("class", format!("c s-{}", snake(&r.status)))
                                .a("title", tip)
                                .text(&format!("{:.0}%", r.progress * 100.0));
                        }
                    });
                }
            });
        });
    });
}

fn week_label(i: usize, lang: Lang) -> String {
    match lang {
        Lang::En => (i + 1).to_string(),
        Lang::Zh => format!("{}周", i + 1),
    }
}
