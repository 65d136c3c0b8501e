//! Names for ids (units, people, objectives, metrics, business lines) and the alignment tree's display order,
//! shared by the dashboard and the report.

use crate::analysis::Analysis;
use crate::i18n::Lang;
use okpi::model::{AlignmentMode, Scope};
use std::collections::{BTreeMap, HashMap};

/// Look-ups from ids to display names.
pub struct Names<'a> {
    a: &'a Analysis,
    units: HashMap<&'a str, &'a str>,
    people: HashMap<&'a str, &'a str>,
    objectives: HashMap<&'a str, &'a str>,
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
        Names {
            a,
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

    /// Every objective in tree order, `(depth, id)`: the top objectives (aligned to nothing) by id, each followed
    /// by the objectives aligned to it, depth first. An objective aligned to several parents appears under each.
    pub fn objective_tree(&self) -> Vec<(usize, &'a str)> {
        let aligned: std::collections::HashSet<&str> = self
            .a
            .document
            .alignments
            .iter()
            .map(|e| e.child.as_str())
            .collect();
        let mut out = Vec::new();
        for o in &self.a.document.objectives {
            if !aligned.contains(o.id.as_str()) {
                self.walk(o.id.as_str(), 0, &mut out);
            }
        }
        out
    }

    fn walk(&self, id: &'a str, depth: usize, out: &mut Vec<(usize, &'a str)>) {
        out.push((depth, id));
        // Validation refuses alignment cycles; the depth limit only guards the stack.
        if depth < 32 {
            for (child, _, _) in self.children(id) {
                self.walk(child, depth + 1, out);
            }
        }
    }
}

/// A metric's display name (`metric_names`, in `lang` when bilingual), else its id.
pub fn metric_label(a: &Analysis, metric: &str, lang: Lang) -> String {
    a.metric_names
        .get(metric)
        .map_or_else(|| metric.to_owned(), |n| lang.title(n).0)
}

/// A unit's or person's display name in `lang`.
pub fn scope_label(names: &Names<'_>, scope: &Scope, lang: Lang) -> String {
    match scope {
        Scope::Unit(u) => lang.title(names.unit(u)).0,
        Scope::Person(p) => lang.title(names.person(p)).0,
    }
}

/// How many scorecards got each grade, in the order of the grade bands (best first; default S, A, B, C, D).
pub fn grade_distribution(a: &Analysis) -> Vec<(String, usize)> {
    let bands = a
        .document
        .scorecards
        .iter()
        .find_map(|s| s.grades.clone())
        .unwrap_or_else(okpi::kpi::default_grades);
    let mut out: Vec<(String, usize)> = bands.iter().map(|b| (b.grade.clone(), 0)).collect();
    for sc in &a.scorecards.scorecards {
        let Some(g) = &sc.grade else { continue };
        match out.iter_mut().find(|(name, _)| name == g) {
            Some(entry) => entry.1 += 1,
            None => out.push((g.clone(), 1)),
        }
    }
    out
}
