//! Names for ids (units, people, objectives, metrics, business lines) and the alignment tree's display order,
//! shared by the dashboard and the report.

use crate::analysis::Analysis;
use crate::i18n::Lang;
use okpi::model::{AlignmentMode, Owner, Scope};
use std::collections::{BTreeMap, HashMap};

/// Look-ups from ids to display names.
pub struct Names<'a> {
    a: &'a Analysis,
    units: HashMap<&'a str, &'a str>,
    people: HashMap<&'a str, &'a str>,
    objectives: HashMap<&'a str, &'a str>,
    /// Each objective's position in the document.
    order: HashMap<&'a str, usize>,
    /// Each objective's key results, in document order.
    krs: HashMap<&'a str, Vec<&'a okpi::model::KeyResult>>,
    /// Each key result by id.
    kr_by_id: HashMap<&'a str, &'a okpi::model::KeyResult>,
    /// The position of the first finding about each subject.
    first_finding: HashMap<&'a str, usize>,
    /// parent → `(child, mode, weight)`, children sorted by id.
    children: BTreeMap<&'a str, Vec<(&'a str, AlignmentMode, f64)>>,
}

impl<'a> Names<'a> {
    /// The names of `a`'s document.
    pub fn new(a: &'a Analysis) -> Self {
        let d = &a.document;
        let mut children: BTreeMap<&str, Vec<(&str, AlignmentMode, f64)>> = BTreeMap::new();
        for e in &d.alignments {
            children
                .entry(e.parent.as_str())
                .or_default()
                .push((e.child.as_str(), e.mode, e.weight));
        }
        for list in children.values_mut() {
            list.sort_by(|x, y| x.0.cmp(y.0));
        }
        let mut krs: HashMap<&str, Vec<&okpi::model::KeyResult>> = HashMap::new();
        for k in &d.key_results {
            krs.entry(k.objective.as_str()).or_default().push(k);
        }
        let mut first_finding = HashMap::new();
        for (i, f) in a.diagnosis.findings.iter().enumerate() {
            for s in &f.subjects {
                first_finding.entry(s.as_str()).or_insert(i);
            }
        }
        Names {
            a,
            krs,
            kr_by_id: d.key_results.iter().map(|k| (k.id.as_str(), k)).collect(),
            first_finding,
            units: d
                .org_units
                .iter()
                .map(|u| (u.id.as_str(), u.name.as_str()))
                .collect(),
            people: d
                .people
                .iter()
                .map(|p| (p.id.as_str(), p.name.as_str()))
                .collect(),
            objectives: d
                .objectives
                .iter()
                .map(|o| (o.id.as_str(), o.title.as_str()))
                .collect(),
            order: d
                .objectives
                .iter()
                .enumerate()
                .map(|(i, o)| (o.id.as_str(), i))
                .collect(),
            children,
        }
    }

    /// The name of the org tree's first root unit.
    pub fn company(&self) -> Option<&'a str> {
        self.a
            .document
            .org_units
            .iter()
            .find(|u| u.parent.is_none())
            .map(|u| u.name.as_str())
            .filter(|n| !n.is_empty())
    }

    /// An objective's title (its id when it has none).
    pub fn objective_title(&self, id: &'a str) -> &'a str {
        self.objectives
            .get(id)
            .copied()
            .filter(|t| !t.is_empty())
            .unwrap_or(id)
    }

    /// An objective's title (its id when it has none), for an id borrowed from anywhere.
    pub fn objective_title_of<'b>(&self, id: &'b str) -> &'b str
    where
        'a: 'b,
    {
        self.objectives
            .get(id)
            .copied()
            .filter(|t| !t.is_empty())
            .unwrap_or(id)
    }

    /// An objective's key results, in document order.
    pub fn key_results(&self, objective: &str) -> &[&'a okpi::model::KeyResult] {
        self.krs.get(objective).map_or(&[], Vec::as_slice)
    }

    /// A key result's title in `lang`, or its id when it has none.
    pub fn kr_title(&self, id: &str, lang: Lang) -> String {
        self.kr_by_id
            .get(id)
            .map(|k| k.title.as_str())
            .filter(|t| !t.trim().is_empty())
            .map_or_else(|| id.to_owned(), |t| lang.title(t).0)
    }

    /// The first finding about any of `ids`.
    pub fn first_finding(&self, ids: &[&str]) -> Option<&'a okpi::diagnose::Finding> {
        let i = ids.iter().filter_map(|id| self.first_finding.get(id)).min()?;
        self.a.diagnosis.findings.get(*i)
    }

    /// A business line's name.
    pub fn profile(&self, id: &str) -> Option<&'a str> {
        self.a
            .profiles
            .iter()
            .find(|p| p.id == id)
            .map(|p| p.name.as_str())
            .filter(|n| !n.is_empty())
    }

    /// A unit's name, or its id.
    pub fn unit(&self, id: &'a str) -> &'a str {
        self.units
            .get(id)
            .copied()
            .filter(|n| !n.is_empty())
            .unwrap_or(id)
    }

    /// A person's name, or their id.
    pub fn person(&self, id: &'a str) -> &'a str {
        self.people
            .get(id)
            .copied()
            .filter(|n| !n.is_empty())
            .unwrap_or(id)
    }

    /// The objectives aligned to `id`: `(child, mode, weight)`, by child id.
    pub fn children(&self, id: &str) -> &[(&'a str, AlignmentMode, f64)] {
        self.children.get(id).map_or(&[], Vec::as_slice)
    }

    /// Every objective in tree order: the top objectives (aligned to nothing; the organisation's own, then people's)
    /// by document order, each followed by
    /// the objectives aligned to it, depth first. The alignments form a DAG, so an objective with several parents is
    /// listed in full once (under its first parent) and only named under the others (`first` false, no subtree):
    /// the list grows with the document, never with the number of paths through it.
    pub fn objective_tree(&self) -> Vec<TreeNode<'a>> {
        let aligned: std::collections::HashSet<&str> = self
            .a
            .document
            .alignments
            .iter()
            .map(|e| e.child.as_str())
            .collect();
        let mut out = Vec::new();
        let mut seen = std::collections::HashSet::new();
        // The organisation's own top objectives first, then people's objectives that are aligned to nothing.
        for own in [true, false] {
            for o in &self.a.document.objectives {
                let personal = matches!(o.owner, Some(Owner::Person(_)));
                if !aligned.contains(o.id.as_str()) && personal != own {
                    self.walk(o.id.as_str(), 0, &mut seen, &mut out);
                }
            }
        }
        out
    }

    fn walk(
        &self,
        id: &'a str,
        depth: usize,
        seen: &mut std::collections::HashSet<&'a str>,
        out: &mut Vec<TreeNode<'a>>,
    ) {
        let first = seen.insert(id);
        out.push(TreeNode { depth, id, first });
        // Validation refuses alignment cycles; the depth limit only guards the stack.
        if first && depth < 64 {
            for (child, _, _) in self.children(id) {
                self.walk(child, depth + 1, seen, out);
            }
        }
    }

    /// The anchor of an objective's place in the report's alignment tree (`o-` and its position in the document,
    /// so that any id makes a valid fragment).
    pub fn anchor(&self, id: &str) -> Option<String> {
        self.order.get(id).map(|i| format!("o-{i}"))
    }

    /// Who owns an objective: a unit's or person's name in `lang`, or nothing.
    pub fn owner(&self, id: &str, lang: Lang) -> Option<String> {
        let o = self
            .order
            .get(id)
            .and_then(|i| self.a.document.objectives.get(*i))?;
        Some(match o.owner.as_ref()? {
            Owner::Unit(u) => lang.title(self.unit(u)).0,
            Owner::Person(p) => lang.title(self.person(p)).0,
        })
    }

    /// Whether an objective is the organisation's own: owned by a unit, or by no one (not by a person).
    pub fn is_organisational(&self, id: &str) -> bool {
        self.order
            .get(id)
            .and_then(|i| self.a.document.objectives.get(*i))
            .is_some_and(|o| !matches!(o.owner, Some(Owner::Person(_))))
    }
}

/// One entry of [`Names::objective_tree`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TreeNode<'a> {
    /// Levels below a top objective.
    pub depth: usize,
    /// The objective.
    pub id: &'a str,
    /// False where an objective already listed under an earlier parent is only named again.
    pub first: bool,
}

/// A metric's display name (`metric_names`, in `lang` when bilingual), else its id.
pub fn metric_label(a: &Analysis, metric: &str, lang: Lang) -> String {
    a.metric_names
        .get(metric)
        .map_or_else(|| metric.to_owned(), |n| lang.title(n).0)
}

/// Whether a metric is a share (a ratio of like things, unit `ratio`, `share` or `%`): its values read as
/// percentages.
pub fn is_share(a: &Analysis, metric: &str) -> bool {
    a.document
        .metrics
        .iter()
        .find(|m| m.id == metric)
        .and_then(|m| m.unit.as_deref())
        .is_some_and(|u| matches!(u, "ratio" | "share" | "%" | "percent"))
}

/// A metric's unit as written after a value (` s`, ` items`), or nothing for shares and unitless metrics.
pub fn metric_unit(a: &Analysis, metric: &str) -> String {
    if is_share(a, metric) {
        return String::new();
    }
    a.document
        .metrics
        .iter()
        .find(|m| m.id == metric)
        .and_then(|m| m.unit.as_deref())
        .map(|u| format!(" {u}"))
        .unwrap_or_default()
}

/// A value of `metric` as a reader wants it: a share as a percentage (`99.91%`), anything else with thousands
/// separators and as many decimals as its size deserves (`867,687`, `33.6`, `0.75`).
pub fn metric_value(a: &Analysis, metric: &str, v: f64) -> String {
    if is_share(a, metric) {
        return format!("{}%", trim(&crate::i18n::thousands(v * 100.0, 2)));
    }
    number(v)
}

/// A value of `metric` with its unit (`9,615 items`, `99.91%`).
pub fn metric_amount(a: &Analysis, metric: &str, v: f64) -> String {
    format!("{}{}", metric_value(a, metric, v), metric_unit(a, metric))
}

/// A number with thousands separators and as many decimals as its size deserves (none from 1,000, one from 10,
/// two below; trailing zeros dropped): the one number format of the dashboard and the report.
pub fn number(v: f64) -> String {
    let decimals = match v.abs() {
        x if x >= 1000.0 => 0,
        x if x >= 10.0 => 1,
        x if x >= 1.0 => 2,
        _ => 3,
    };
    trim(&crate::i18n::thousands(v, decimals))
}

fn trim(text: &str) -> String {
    if text.contains('.') && !text.contains('e') {
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        text.to_owned()
    }
}

/// A unit's or person's display name in `lang`.
pub fn scope_label(names: &Names<'_>, scope: &Scope, lang: Lang) -> String {
    match scope {
        Scope::Unit(u) => lang.title(names.unit(u)).0,
        Scope::Person(p) => lang.title(names.person(p)).0,
    }
}

/// How many scorecards got each grade, in the order of the grade bands (best first; default S, A, B, C, D): of
/// people's scorecards (`Some(true)`), of units' (`Some(false)`) or of all.
pub fn grade_distribution(a: &Analysis, people: Option<bool>) -> Vec<(String, usize)> {
    let bands = a
        .document
        .scorecards
        .iter()
        .find_map(|s| s.grades.clone())
        .unwrap_or_else(okpi::kpi::default_grades);
    let mut out: Vec<(String, usize)> = bands.iter().map(|b| (b.grade.clone(), 0)).collect();
    for sc in &a.scorecards.scorecards {
        if people.is_some_and(|p| p != matches!(sc.subject, Scope::Person(_))) {
            continue;
        }
        let Some(g) = &sc.grade else { continue };
        match out.iter_mut().find(|(name, _)| name == g) {
            Some(entry) => entry.1 += 1,
            None => out.push((g.clone(), 1)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn numbers_read_the_same_everywhere() {
        assert_eq!(super::number(867687.0), "867,687");
        assert_eq!(super::number(33.6099), "33.6");
        assert_eq!(super::number(7.0), "7");
        assert_eq!(super::number(0.747), "0.747");
        assert_eq!(super::number(-1200.4), "−1,200");
    }
}
