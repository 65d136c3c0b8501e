//! The OKR sections: the alignment tree and the weekly progress heatmap against pace, both by level: the first
//! levels open, deeper ones collapsed in `<details>`, and both cut at a bounded number of objectives (the rest
//! counted), so the page grows with what a reader can take in, not with the organisation.

use super::xml::Xml;
use super::{bar, pill, section, snake, title};
use crate::analysis::Analysis;
use crate::i18n::{label as l, mark, Lang, Tx};
use crate::labels::{Names, TreeNode};
use okpi::model::AlignmentMode;
use okpi::Status;

/// The most objectives the alignment tree draws; the levels that would pass it are counted under their parents.
pub const MAX_TREE: usize = 600;
/// Levels of the tree shown open; deeper ones are collapsed.
const OPEN_LEVELS: usize = 2;
/// Key results are listed for objectives on these first levels; deeper objectives show their count by status.
const KR_LEVELS: usize = 2;
/// The most heatmap rows: the first levels open, the next ones collapsed.
pub const MAX_HEAT_ROWS: usize = 150;
const HEAT_OPEN_ROWS: usize = 30;

/// The deepest level such that every objective down to it fits in `max`.
fn level_cap(tree: &[TreeNode<'_>], max: usize) -> usize {
    let deepest = tree.iter().map(|n| n.depth).max().unwrap_or(0);
    let mut count = 0;
    for level in 0..=deepest {
        count += tree.iter().filter(|n| n.depth == level).count();
        if count > max {
            return level.saturating_sub(1);
        }
    }
    deepest
}

struct Ctx<'c, 'a> {
    a: &'a Analysis,
    lang: Lang,
    names: &'c Names<'a>,
    tree: Vec<TreeNode<'a>>,
    cap: usize,
}

/// `alignment`: every top objective with the objectives aligned to it, nested, each once (an objective with
/// several parents is named under the later ones), with its progress against pace, status, score and owner.
pub fn alignment(x: &mut Xml, a: &Analysis, lang: Lang, names: &Names<'_>) {
    section(x, "alignment", lang.t(l::ALIGNMENT), |x| {
        x.tag("p").a("class", "note").text(lang.t(Tx(
            "Bars show progress; the tick is where the pace line says it should be by now. The first two levels are open; click a line to open the objectives aligned below it.",
            "进度条显示当前进度；刻度线为按节奏此时应达到的进度。前两层展开，点击可展开更深层的对齐目标。",
        )));
        let tree = names.objective_tree();
        let cap = level_cap(&tree, MAX_TREE);
        let hidden = tree.iter().filter(|n| n.first && n.depth > cap).count();
        let c = Ctx {
            a,
            lang,
            names,
            tree,
            cap,
        };
        x.tag("ul").a("class", "tree").with(|x| {
            let mut i = 0;
            while i < c.tree.len() {
                i = node(x, &c, i, None);
            }
        });
        if hidden > 0 {
            x.tag("p").a("class", "note").text(&match lang {
                Lang::En => format!(
                    "{hidden} objectives below level {} are counted under their parents, not drawn (`okpi evaluate --format json` lists every one).",
                    cap + 1
                ),
                Lang::Zh => format!(
                    "第 {} 层以下的 {hidden} 个目标只在上级目标处计数，不逐一绘出（`okpi evaluate --format json` 列出全部）。",
                    cap + 1
                ),
            });
        }
    });
}

/// The index after the subtree of `tree[i]`.
fn subtree_end(tree: &[TreeNode<'_>], i: usize) -> usize {
    let depth = tree.get(i).map_or(0, |n| n.depth);
    let mut j = i + 1;
    while tree.get(j).is_some_and(|n| n.depth > depth) {
        j += 1;
    }
    j
}

/// `✕ 2 · ! 1 · ✓ 4` for the statuses of the objectives in `tree[from..to]`.
fn status_counts(c: &Ctx<'_, '_>, from: usize, to: usize) -> String {
    let mut counts = [0usize; 5];
    let order = [
        Status::OffTrack,
        Status::AtRisk,
        Status::OnTrack,
        Status::Done,
        Status::NotStarted,
    ];
    for n in c
        .tree
        .get(from..to)
        .unwrap_or_default()
        .iter()
        .filter(|n| n.first)
    {
        if let Some(r) = c.a.evaluation.objective(n.id) {
            if let Some(k) = order.iter().position(|s| *s == r.status) {
                if let Some(slot) = counts.get_mut(k) {
                    *slot += 1;
                }
            }
        }
    }
    order
        .iter()
        .zip(counts)
        .filter(|(_, n)| *n > 0)
        .map(|(s, n)| format!("{} {n}", mark(*s)))
        .collect::<Vec<_>>()
        .join(" · ")
}

/// Writes the node at `tree[i]` and its subtree; returns the index after it.
fn node(x: &mut Xml, c: &Ctx<'_, '_>, i: usize, edge: Option<(AlignmentMode, f64)>) -> usize {
    let (a, lang, names) = (c.a, c.lang, c.names);
    let Some(&TreeNode { depth, id, first }) = c.tree.get(i) else {
        return i + 1;
    };
    let end = subtree_end(&c.tree, i);
    if a.evaluation.objective(id).is_none() {
        // Hidden from this viewer (or not evaluated): its visible descendants take its place, and nothing of it is
        // written.
        let mut next = i + 1;
        while next < end {
            next = node(x, c, next, None);
        }
        return end;
    }
    if !first {
        x.tag("li").with(|x| {
            x.tag("span").a("class", "note").text("↳ ");
            match names.anchor(id) {
                Some(anchor) => x
                    .tag("a")
                    .a("href", format!("#{anchor}"))
                    .text(&lang.title(names.objective_title(id)).0),
                None => x.text(&lang.title(names.objective_title(id)).0),
            }
            x.tag("span").a("class", "sub").text(lang.t(Tx(
                "also aligned here; shown under its first parent",
                "亦对齐于此，见其第一个上级目标",
            )));
        });
        return end;
    }
    let mut li = x.tag("li");
    if let Some(anchor) = names.anchor(id) {
        li = li.a("id", anchor);
    }
    li.with(|x| {
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
            if let Some(owner) = names.owner(id, lang) {
                x.tag("span").a("class", "sub").text(&owner);
            }
            if let Some((mode, weight)) = edge {
                let text = match mode {
                    AlignmentMode::Supports => lang.t(l::SUPPORTS_EDGE).to_owned(),
                    AlignmentMode::Contributes => {
                        format!("{} {}", lang.t(l::WEIGHT), crate::labels::number(weight))
                    }
                };
                x.tag("span").a("class", "edge").text(&text);
            }
        });
        key_results(x, c, id, depth);
        if i + 1 >= end {
            return;
        }
        let children: Vec<(AlignmentMode, f64)> = names.children(id).iter().map(|c| (c.1, c.2)).collect();
        let list = |x: &mut Xml| {
            x.tag("ul").with(|x| {
                let mut next = i + 1;
                let mut k = 0;
                while next < end {
                    next = node(x, c, next, children.get(k).copied());
                    k += 1;
                }
            });
        };
        let below = c
            .tree
            .get(i + 1..end)
            .unwrap_or_default()
            .iter()
            .filter(|n| n.first)
            .count();
        if depth >= c.cap {
            x.tag("div").a("class", "note").text(&format!(
                "+ {} ({})",
                lang.count(below, "aligned objective", "aligned objectives", "个对齐目标"),
                status_counts(c, i + 1, end)
            ));
        } else if depth + 1 < OPEN_LEVELS {
            list(x);
        } else {
            x.tag("details").with(|x| {
                x.tag("summary").text(&format!(
                    "{} ({})",
                    lang.count(below, "aligned objective", "aligned objectives", "个对齐目标"),
                    status_counts(c, i + 1, end)
                ));
                list(x);
            });
        }
    });
    end
}

fn key_results(x: &mut Xml, c: &Ctx<'_, '_>, id: &str, depth: usize) {
    let (a, lang) = (c.a, c.lang);
    let krs: Vec<_> = c
        .names
        .key_results(id)
        .iter()
        .filter_map(|kr| Some((*kr, a.evaluation.key_result(&kr.id)?)))
        .collect();
    if krs.is_empty() {
        return;
    }
    if depth >= KR_LEVELS {
        let mut counts: Vec<(Status, usize)> = Vec::new();
        for (_, k) in &krs {
            match counts.iter_mut().find(|(s, _)| *s == k.status) {
                Some(e) => e.1 += 1,
                None => counts.push((k.status, 1)),
            }
        }
        counts.sort_by_key(|(s, _)| super::summary::severity(*s));
        let text: Vec<String> = counts.iter().map(|(s, n)| format!("{} {n}", mark(*s))).collect();
        x.tag("div").a("class", "krs note").text(&format!(
            "{}: {}",
            lang.count(krs.len(), "key result", "key results", "个关键结果"),
            text.join(" · ")
        ));
        return;
    }
    x.tag("div").a("class", "krs").with(|x| {
        for (kr, k) in krs {
            x.tag("div").with(|x| {
                bar(x, k.progress, k.expected, k.status, lang);
                x.tag("span").text(&format!("{:.0}%", k.progress * 100.0));
                pill(x, lang, k.status);
                title(x, lang, if kr.title.is_empty() { &kr.id } else { &kr.title });
                if let Some(conf) = k.confidence.get() {
                    x.tag("span")
                        .a("class", "chip")
                        .text(&format!("{} {:.1}", lang.t(l::CONFIDENCE), conf));
                }
                if let Some(link) = &k.link {
                    x.tag("span").a("class", "chip").text(&format!(
                        "← KPI {} · {} ({} {})",
                        crate::labels::metric_label(a, &link.metric, lang),
                        crate::labels::scope_label(c.names, &link.scope, lang),
                        lang.t(Tx("data to", "数据截至")),
                        link.cut_off
                    ));
                }
                if let Some(p) = k.progress_original.get() {
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

/// `heatmap`: objectives × weeks, each cell the objective's progress on the week's last day with its status mark
/// and colour there (the same rule as the rest of the page), with a row for the pace itself. The first levels are
/// open, the next collapsed, all cut at [`MAX_HEAT_ROWS`]; a cycle longer than half a year shows its last weeks.
pub fn heatmap(x: &mut Xml, a: &Analysis, lang: Lang, names: &Names<'_>) {
    section(x, "heatmap", lang.t(l::HEATMAP), |x| {
        x.tag("p").a("class", "note").text(lang.t(Tx(
            "Each cell is the objective's progress at the end of the week, with its status there by the rule of this page (see the legend at the top); the last column is today's.",
            "每格为该周末的目标进度及当时的状态（规则同本页，见顶部图例）；最后一列为截至日。",
        )));
        if a.weeks.len() < a.weeks_total {
            x.tag("p").a("class", "note").text(&match lang {
                Lang::En => format!(
                    "The last {} of the cycle's {} weeks are shown.",
                    a.weeks.len(),
                    crate::i18n::thousands(a.weeks_total as f64, 0)
                ),
                Lang::Zh => format!(
                    "周期共 {} 周，显示最后 {} 周。",
                    crate::i18n::thousands(a.weeks_total as f64, 0),
                    a.weeks.len()
                ),
            });
        }
        let rows: Vec<TreeNode<'_>> = names
            .objective_tree()
            .into_iter()
            .filter(|n| n.first && a.evaluation.objective(n.id).is_some())
            .collect();
        let cap = level_cap(&rows, MAX_HEAT_ROWS);
        let shown: Vec<TreeNode<'_>> = rows
            .iter()
            .copied()
            .filter(|n| n.depth <= cap)
            .take(MAX_HEAT_ROWS)
            .collect();
        let open_cap = level_cap(&rows, HEAT_OPEN_ROWS);
        let mut open = Vec::new();
        let mut closed = Vec::new();
        for n in &shown {
            if n.depth <= open_cap && open.len() < HEAT_OPEN_ROWS {
                open.push(*n);
            } else {
                closed.push(*n);
            }
        }
        heat_table(x, a, lang, names, &open, true);
        if !closed.is_empty() {
            x.tag("details").with(|x| {
                x.tag("summary").text(&lang.count(
                    closed.len(),
                    "more objective on deeper levels",
                    "more objectives on deeper levels",
                    "个更深层级的目标",
                ));
                heat_table(x, a, lang, names, &closed, false);
            });
        }
        super::more(
            x,
            lang,
            rows.len().saturating_sub(shown.len()),
            Tx(
                "(deeper levels: see the alignment tree)",
                "（更深层级见对齐关系树）",
            ),
        );
    });
}

fn heat_table(x: &mut Xml, a: &Analysis, lang: Lang, names: &Names<'_>, rows: &[TreeNode<'_>], head: bool) {
    if rows.is_empty() {
        return;
    }
    x.tag("table").a("class", "heat").with(|x| {
        x.tag("thead").with(|x| {
            x.tag("tr").with(|x| {
                x.tag("th").text("");
                let skipped = a.weeks_total.saturating_sub(a.weeks.len());
                for (i, w) in a.weeks.iter().enumerate() {
                    x.tag("th").a("class", "c").a("title", w.date).text(&format!(
                        "{}{}",
                        if lang == Lang::En { "W" } else { "第" },
                        week_label(i + skipped, lang)
                    ));
                }
            });
            if head {
                x.tag("tr").with(|x| {
                    x.tag("th").text(lang.t(l::PACE));
                    for w in &a.weeks {
                        let pace = okpi::okr::elapsed(&a.cycle, w.date);
                        x.tag("th").a("class", "c").text(&format!("{:.0}%", pace * 100.0));
                    }
                });
            }
        });
        x.tag("tbody").with(|x| {
            for n in rows {
                x.tag("tr").with(|x| {
                    x.tag("td")
                        .a("style", format!("padding-left:{}px", 8 + n.depth.min(12) * 14))
                        .with(|x| title(x, lang, names.objective_title(n.id)));
                    for w in &a.weeks {
                        let Some(r) = w.evaluation.objective(n.id) else {
                            x.tag("td").empty();
                            continue;
                        };
                        x.tag("td")
                            .a("class", format!("c s-{}", snake(&r.status)))
                            .text(&format!("{}{:.0}%", mark(r.status), r.progress * 100.0));
                    }
                });
            }
        });
    });
}

fn week_label(i: usize, lang: Lang) -> String {
    match lang {
        Lang::En => (i + 1).to_string(),
        Lang::Zh => format!("{}周", i + 1),
    }
}
