//! The unit tree (six levels, growing geometrically towards the leaves) and the people in it.

use crate::rng::Rng;
use crate::Shape;
use okpi::model::{OrgUnit, Person, Role};
use okpi::Document;

/// Levels of the unit tree: the company, then five levels of departments and teams.
pub const LEVELS: usize = 6;

/// A unit tree in breadth-first order: unit 0 is the root, each level follows the one above.
pub struct Tree {
    /// The parent of each unit (`None` for the root).
    pub parent: Vec<Option<usize>>,
    /// The level of each unit (0 = root).
    pub level: Vec<usize>,
    /// The number of units in each unit's subtree, itself included.
    pub size: Vec<usize>,
}

impl Tree {
    /// `n` units (at least 6) in six levels whose sizes grow by a common ratio; each unit's children are a
    /// contiguous run of the next level.
    pub fn new(n: usize) -> Tree {
        let sizes = level_sizes(n.max(LEVELS));
        let mut parent = Vec::with_capacity(n);
        let mut level = Vec::with_capacity(n);
        let mut first_of_level = 0;
        let mut prev: Option<(usize, usize)> = None; // (first index, size) of the level above
        for (k, &size) in sizes.iter().enumerate() {
            for j in 0..size {
                parent.push(prev.map(|(first, above)| first + j * above / size));
                level.push(k);
            }
            prev = Some((first_of_level, size));
            first_of_level += size;
        }
        // Breadth-first order puts every unit after its parent, so one backward pass sums the subtrees.
        let mut size = vec![1; parent.len()];
        for u in (0..parent.len()).rev() {
            let mine = size.get(u).copied().unwrap_or(1);
            if let Some(p) = parent.get(u).copied().flatten() {
                if let Some(s) = size.get_mut(p) {
                    *s += mine;
                }
            }
        }
        Tree { parent, level, size }
    }

    /// Number of units.
    pub fn len(&self) -> usize {
        self.parent.len()
    }

    /// Units with no children.
    pub fn is_leaf(&self, u: usize) -> bool {
        self.level.get(u) == Some(&(LEVELS - 1))
    }
}

/// Sizes of the six levels: 1, r, r², … scaled so that they sum to `n`, each at least the one above.
fn level_sizes(n: usize) -> Vec<usize> {
    // Solve 1 + r + … + r⁵ = n for r by bisection.
    let total = |r: f64| (0..LEVELS as i32).map(|k| r.powi(k)).sum::<f64>();
    let (mut lo, mut hi) = (1.0, n as f64);
    for _ in 0..100 {
        let mid = (lo + hi) / 2.0;
        if total(mid) < n as f64 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    let mut sizes: Vec<usize> = Vec::with_capacity(LEVELS);
    for k in 0..LEVELS - 1 {
        let want = lo.powi(k as i32).round() as usize;
        let floor = sizes.last().copied().unwrap_or(1);
        sizes.push(want.max(floor));
    }
    let used: usize = sizes.iter().sum();
    sizes.push(n.saturating_sub(used).max(1));
    sizes
}

/// The id of unit `u`.
pub fn unit_id(u: usize) -> String {
    format!("u{u:05}")
}

/// The id of person `p`.
pub fn person_id(p: usize) -> String {
    format!("p{p:06}")
}

/// The unit of each person: person `u` manages unit `u`; everyone else joins a random unit, leaves twice as
/// likely as the rest.
pub fn person_units(tree: &Tree, people: usize, seed: u64) -> Vec<usize> {
    let mut rng = Rng::new(seed ^ 0x9e0f_1e5e);
    let units = tree.len();
    (0..people)
        .map(|p| {
            if p < units {
                return p;
            }
            loop {
                let u = rng.below(units);
                if tree.is_leaf(u) || rng.chance(0.5) {
                    return u;
                }
            }
        })
        .collect()
}

/// Fills org units and people.
pub fn fill(doc: &mut Document, tree: &Tree, shape: &Shape, seed: u64) {
    doc.org_units = (0..tree.len())
        .map(|u| OrgUnit {
            id: unit_id(u),
            name: format!("Unit {u} (level {})", tree.level.get(u).copied().unwrap_or(0)),
            parent: tree.parent.get(u).copied().flatten().map(unit_id),
            manager: Some(person_id(u)),
        })
        .collect();
    let units = person_units(tree, shape.people, seed);
    doc.people = units
        .iter()
        .enumerate()
        .map(|(p, &u)| Person {
            id: person_id(p),
            name: format!("Person {p}"),
            unit: Some(unit_id(u)),
            roles: match p {
                0 => vec![Role::Executive, Role::Manager],
                _ if p < tree.len() => vec![Role::Manager],
                _ if p == tree.len() => vec![Role::HrAdmin],
                _ => Vec::new(),
            },
        })
        .collect();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_grow_and_sum() {
        for n in [50, 500, 5_000] {
            let s = level_sizes(n);
            assert_eq!(s.len(), LEVELS);
            assert_eq!(s.iter().sum::<usize>(), n);
            assert!(s.windows(2).all(|w| w[0] <= w[1]), "{s:?}");
        }
    }

    #[test]
    fn parents_are_on_the_level_above() {
        let t = Tree::new(5_000);
        for u in 1..t.len() {
            let p = t.parent[u].unwrap();
            assert_eq!(t.level[p] + 1, t.level[u]);
        }
    }
}
