//! The alignment graph: cycles (named by their path), linked key results that point upwards, and the order in
//! which objectives are evaluated.

use super::okr::Okr;
use super::Checker;
use crate::error::Code;
use crate::idx::{Idx, ObjIx};
use crate::model::AlignmentMode;
use crate::model::Document;
use petgraph::algo::kosaraju_scc;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;

/// An alignment edge's weight and mode.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Edge {
    /// Weight of the child in the parent's roll-up.
    pub weight: f64,
    /// Counted or only shown.
    pub mode: AlignmentMode,
}

/// The evaluation order the alignment graph gives (the graph itself is only needed to check it).
pub(crate) struct Graph {
    pub order: Vec<ObjIx>,
}

pub(crate) fn check(doc: &Document, okr: &Okr, limits: &crate::Limits, c: &mut Checker) -> Graph {
    let n = okr.objective_order.len();
    let mut alignment: DiGraph<ObjIx, Edge> = DiGraph::with_capacity(n, doc.alignments.len());
    for i in 0..n {
        alignment.add_node(ObjIx::new(i));
    }
    // Input position of each edge, to point the error of a cycle at one of its alignments.
    let mut edge_pos = Vec::with_capacity(doc.alignments.len());
    let mut seen = crate::id::FastMap::default();
    for (i, (a, ends)) in doc.alignments.iter().zip(&okr.alignments).enumerate() {
        let Some((child, parent)) = *ends else {
            continue;
        };
        if let Some(first) = seen.insert((child, parent), i) {
            c.push(
                Code::E_DUPLICATE_ID,
                format!("$.alignments[{i}]"),
                Some(&format!("{}→{}", a.child, a.parent)),
                format!(
                    "{} is aligned to {} twice (first at $.alignments[{first}])",
                    a.child, a.parent
                ),
            );
            continue;
        }
        alignment.add_edge(
            node(child),
            node(parent),
            Edge {
                weight: a.weight,
                mode: a.mode,
            },
        );
        edge_pos.push(i);
    }
    let id = |ix: ObjIx| -> &str {
        okr.objective_order
            .get(ix.index())
            .and_then(|&p| doc.objectives.get(p))
            .map(|o| o.id.as_str())
            .unwrap_or("?")
    };

    let aligned = report_cycles(
        &alignment,
        c,
        "alignments form a cycle",
        |from, to| {
            alignment
                .find_edge(from, to)
                .and_then(|e| edge_pos.get(e.index()))
                .map(|p| format!("$.alignments[{p}]"))
        },
        id,
    );

    let aligned_ok = aligned.is_some();
    if let Some(order) = aligned {
        check_depth(&alignment, order, &edge_pos, limits.alignment_depth, c, id);
    }

    // Dependencies for evaluation: contributing children and linked objectives come before their readers.
    let mut deps: DiGraph<ObjIx, ()> = DiGraph::with_capacity(n, doc.alignments.len());
    for i in 0..n {
        deps.add_node(ObjIx::new(i));
    }
    for e in alignment.edge_references() {
        deps.add_edge(e.source(), e.target(), ());
    }
    let mut linked_ok = true;
    for (i, (kr, own)) in doc.key_results.iter().zip(&okr.kr_objective).enumerate() {
        let (Some(l), Some(own)) = (kr.linked_objective.as_ref(), *own) else {
            continue;
        };
        let Some(&linked) = okr.objectives.get(l.as_str()) else {
            continue;
        };
        if aligned_ok && (linked == own || reaches(&alignment, own, linked)) {
            linked_ok = false;
            c.push(
                Code::E_LINKED_ANCESTOR,
                format!("$.key_results[{i}].linked_objective"),
                Some(&kr.id),
                format!("key result {} links objective {l}, which is its own objective {} or one of its ancestors", kr.id, kr.objective),
            );
            continue;
        }
        deps.add_edge(node(linked), node(own), ());
    }
    let mut order = None;
    if aligned_ok && linked_ok {
        order = report_cycles(
            &deps,
            c,
            "linked key results and alignments form a cycle",
            |from, to| {
                doc.key_results
                    .iter()
                    .position(|k| {
                        okr.objectives.get(k.objective.as_str()).map(|&o| node(o)) == Some(to)
                            && k.linked_objective
                                .as_ref()
                                .and_then(|l| okr.objectives.get(l.as_str()))
                                .map(|&o| node(o))
                                == Some(from)
                    })
                    .map(|p| format!("$.key_results[{p}].linked_objective"))
            },
            id,
        );
    }
    // With a problem found the order is never used (the model is not built).
    let order = order
        .map(|o| o.into_iter().map(|n| ObjIx::new(n.index())).collect())
        .unwrap_or_default();
    Graph { order }
}

/// Whether `to` is reachable from `from` along alignment edges (child → parent). A depth-first walk that visits
/// only what it reaches: the ancestors of one objective are few, where a whole-graph visited map is not.
fn reaches(g: &DiGraph<ObjIx, Edge>, from: ObjIx, to: ObjIx) -> bool {
    let mut seen = std::collections::HashSet::new();
    let mut stack = vec![node(from)];
    while let Some(at) = stack.pop() {
        if at == node(to) {
            return true;
        }
        if seen.insert(at) {
            stack.extend(g.neighbors(at));
        }
    }
    false
}

/// Reports `E_LIMIT` when an alignment chain (child → parent edges) is longer than `max`: once, at the
/// alignment that first makes a chain `max + 1` deep (its objective the first by id among those at that depth).
/// The graph has no cycle; `order` is its topological order.
fn check_depth<'a>(
    g: &DiGraph<ObjIx, Edge>,
    order: Vec<NodeIndex>,
    edge_pos: &[usize],
    max: usize,
    c: &mut Checker,
    id: impl Fn(ObjIx) -> &'a str,
) {
    // depth[v]: the longest chain of edges ending at v, and the edge that gives it.
    let mut depth: Vec<(usize, Option<petgraph::graph::EdgeIndex>)> = vec![(0, None); g.node_count()];
    for v in order {
        let d = depth.get(v.index()).map_or(0, |d| d.0);
        for e in g.edges(v) {
            if let Some(slot) = depth.get_mut(e.target().index()) {
                if d + 1 > slot.0 {
                    *slot = (d + 1, Some(e.id()));
                }
            }
        }
    }
    let too_deep = depth
        .iter()
        .enumerate()
        .filter(|(_, (d, _))| *d == max + 1)
        .min_by_key(|(v, _)| id(ObjIx::new(*v)));
    let Some((v, (d, edge))) = too_deep else { return };
    let path = edge
        .and_then(|e| edge_pos.get(e.index()))
        .map_or_else(|| String::from("$.alignments"), |p| format!("$.alignments[{p}]"));
    let top = id(ObjIx::new(v));
    c.problems.push(crate::limits::exceeded(
        "alignment_depth",
        max,
        path,
        Some(top),
        format!("the alignment chain up to objective {top} is {d} deep"),
    ));
}

fn node(ix: ObjIx) -> NodeIndex {
    NodeIndex::new(ix.index())
}

/// Reports every strongly connected component with a loop as one cycle path, in the order of their first
/// objectives by id; returns the graph's topological order when there were none. (Kosaraju's algorithm walks the graph without recursion,
/// so an alignment chain of any length cannot overflow the stack; petgraph's Tarjan recurses.)
fn report_cycles<'a, E>(
    g: &DiGraph<ObjIx, E>,
    c: &mut Checker,
    what: &str,
    edge_path: impl Fn(NodeIndex, NodeIndex) -> Option<String>,
    id: impl Fn(ObjIx) -> &'a str,
) -> Option<Vec<NodeIndex>> {
    // A graph that sorts topologically has no loop (a self-loop fails the sort too): the common case costs one
    // walk, without a component list of one vector per objective.
    if let Some(order) = topo_order(g) {
        return Some(order);
    }
    let mut sccs = kosaraju_scc(g);
    // Node i is the objective of rank i in id order, so the smallest index is the first objective by id.
    sccs.sort_by_key(|scc| scc.iter().min().copied());
    for scc in sccs {
        let Some(&first) = scc.iter().min_by_key(|n| id(ObjIx::new(n.index()))) else {
            continue;
        };
        let looped = scc.len() > 1 || g.find_edge(first, first).is_some();
        if !looped {
            continue;
        }
        let path = cycle_through(g, first, &scc);
        let names: Vec<&str> = path.iter().map(|n| id(ObjIx::new(n.index()))).collect();
        let (from, to) = (
            path.first().copied().unwrap_or(first),
            path.get(1).copied().unwrap_or(first),
        );
        c.push(
            Code::E_CYCLE,
            edge_path(from, to).unwrap_or_else(|| String::from("$.alignments")),
            Some(id(ObjIx::new(first.index()))),
            format!("{what}: {}", names.join(" → ")),
        );
    }
    // The sort failed, so some component looped and was reported above.
    None
}

/// The order petgraph's `toposort` gives a graph without a cycle, or `None` for a graph with one. Its first pass
/// is petgraph's: a walk from each node in index order that pushes every undiscovered successor in the graph's
/// neighbour order, the nodes in the reverse of the order they finish. petgraph's second pass, a walk of the
/// reversed graph from each node to find a cycle, becomes a look at every edge: an order in which every edge
/// points forwards exists only without a cycle (a self-loop included), and for a graph without one the first
/// pass gives such an order.
fn topo_order<E>(g: &DiGraph<ObjIx, E>) -> Option<Vec<NodeIndex>> {
    let n = g.node_count();
    let (mut discovered, mut finished) = (vec![false; n], vec![false; n]);
    let seen = |marks: &[bool], v: NodeIndex| marks.get(v.index()).copied().unwrap_or(true);
    let mut stack = Vec::new();
    let mut order = Vec::with_capacity(n);
    for start in g.node_indices() {
        if seen(&discovered, start) {
            continue;
        }
        stack.push(start);
        while let Some(&at) = stack.last() {
            if !seen(&discovered, at) {
                if let Some(d) = discovered.get_mut(at.index()) {
                    *d = true;
                }
                for next in g.neighbors(at) {
                    if next == at {
                        return None;
                    }
                    if !seen(&discovered, next) {
                        stack.push(next);
                    }
                }
            } else {
                stack.pop();
                if !seen(&finished, at) {
                    if let Some(f) = finished.get_mut(at.index()) {
                        *f = true;
                    }
                    order.push(at);
                }
            }
        }
    }
    order.reverse();
    let mut rank = vec![0usize; n];
    for (r, v) in order.iter().enumerate() {
        if let Some(slot) = rank.get_mut(v.index()) {
            *slot = r;
        }
    }
    let at = |v: NodeIndex| rank.get(v.index()).copied();
    g.edge_references()
        .all(|e| matches!((at(e.source()), at(e.target())), (Some(a), Some(b)) if a < b))
        .then_some(order)
}

/// The shortest loop from `start` back to itself inside one component (breadth-first), as a node path.
fn cycle_through<E>(g: &DiGraph<ObjIx, E>, start: NodeIndex, scc: &[NodeIndex]) -> Vec<NodeIndex> {
    let inside: std::collections::HashSet<NodeIndex> = scc.iter().copied().collect();
    let mut prev: std::collections::HashMap<NodeIndex, NodeIndex> = std::collections::HashMap::new();
    let mut queue = std::collections::VecDeque::from([start]);
    while let Some(at) = queue.pop_front() {
        let mut next: Vec<NodeIndex> = g.neighbors(at).filter(|n| inside.contains(n)).collect();
        next.sort();
        for n in next {
            if n == start {
                let mut back = vec![at];
                let mut cur = at;
                while cur != start {
                    let Some(&p) = prev.get(&cur) else { break };
                    back.push(p);
                    cur = p;
                }
                back.reverse();
                back.push(start);
                return back;
            }
            if n != start && !prev.contains_key(&n) {
                prev.insert(n, at);
                queue.push_back(n);
            }
        }
    }
    vec![start, start]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// On random graphs with and without cycles (self-loops, repeated edges and lone nodes included), the order
    /// is petgraph's `toposort`'s, and `None` exactly when it finds a cycle.
    #[test]
    fn topo_order_is_petgraphs_toposort() {
        let mut seed = 11u64;
        let mut next = |below: usize| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize % below
        };
        let (mut acyclic, mut cyclic) = (0, 0);
        for round in 0..2000 {
            let n = 1 + next(12);
            let mut g: DiGraph<ObjIx, ()> = DiGraph::new();
            for i in 0..n {
                g.add_node(ObjIx::new(i));
            }
            // Half the rounds only add edges from a lower node to a higher one in a random labelling: a DAG.
            let label: Vec<usize> = {
                let mut l: Vec<usize> = (0..n).collect();
                for i in (1..n).rev() {
                    l.swap(i, next(i + 1));
                }
                l
            };
            for _ in 0..next(3 * n + 1) {
                let (a, b) = (next(n), next(n));
                if round % 2 == 0 && label[a] >= label[b] {
                    continue;
                }
                g.add_edge(NodeIndex::new(a), NodeIndex::new(b), ());
            }
            let want = petgraph::algo::toposort(&g, None).ok();
            assert_eq!(topo_order(&g), want, "round {round}");
            if want.is_some() {
                acyclic += 1;
            } else {
                cyclic += 1;
            }
        }
        assert!(acyclic > 500 && cyclic > 500, "{acyclic} {cyclic}");
    }
}
