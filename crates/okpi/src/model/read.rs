//! A document read from a text's tree, item by item (the one reader is [`crate::text`]).

use super::Document;
use crate::error::{Code, Problem};
use crate::text::{problem, read, Kind, Node};

impl Document {
    /// Reads a document tree item by item: every type and shape error of every item (a bad date, a string for a
    /// number, an unknown field, a missing one), each with its path, line and column. The ids are not checked here
    /// (that is validation's work).
    pub fn from_tree(root: &Node) -> Result<Document, Vec<Problem>> {
        let mut doc = Document::new();
        let mut problems = Vec::new();
        let Kind::Map(entries) = &root.kind else {
            // Not an object: serde's positional form (an array of the fields in order), or a type error.
            return read::<Document>(root, "$").map_err(|p| vec![p]);
        };
        let mut version = false;
        for e in entries {
            let path = format!("$.{}", e.key);
            let v = &e.value;
            let p = &mut problems;
            match e.key.as_str() {
                "schema_version" => match read(v, &path) {
                    Ok(n) => {
                        doc.schema_version = n;
                        version = true;
                    }
                    Err(x) => {
                        version = true;
                        p.push(x);
                    }
                },
                "cycles" => items(v, &path, &mut doc.cycles, p),
                "org_units" => items(v, &path, &mut doc.org_units, p),
                "people" => items(v, &path, &mut doc.people, p),
                "objectives" => items(v, &path, &mut doc.objectives, p),
                "key_results" => items(v, &path, &mut doc.key_results, p),
                "check_ins" => check_ins(v, &path, &mut doc.check_ins, p),
                "alignments" => items(v, &path, &mut doc.alignments, p),
                "measures" => items(v, &path, &mut doc.measures, p),
                "metrics" => items(v, &path, &mut doc.metrics, p),
                "observations" => observations(v, &path, &mut doc.observations, p),
                "targets" => items(v, &path, &mut doc.targets, p),
                "scorecards" => items(v, &path, &mut doc.scorecards, p),
                "alert_rules" => items(v, &path, &mut doc.alert_rules, p),
                other => p.push(problem(
                    Code::E_PARSE,
                    path.clone(),
                    e.at,
                    format!("unknown field `{other}`, expected one of {}", FIELDS.join(", ")),
                )),
            }
        }
        if !version {
            problems.insert(
                0,
                problem(
                    Code::E_PARSE,
                    "$".into(),
                    root.at,
                    "missing field `schema_version`".into(),
                ),
            );
        }
        if problems.is_empty() {
            Ok(doc)
        } else {
            Err(problems)
        }
    }
}

/// The fields of a document, as an unknown one's message lists them.
const FIELDS: [&str; 14] = [
    "`schema_version`",
    "`cycles`",
    "`org_units`",
    "`people`",
    "`objectives`",
    "`key_results`",
    "`check_ins`",
    "`alignments`",
    "`measures`",
    "`metrics`",
    "`observations`",
    "`targets`",
    "`scorecards`",
    "`alert_rules`",
];

/// Reads every item of the list `node` (at `path`) into `out`, each error at its item's path.
fn items<T: serde::de::DeserializeOwned>(
    node: &Node,
    path: &str,
    out: &mut Vec<T>,
    problems: &mut Vec<Problem>,
) {
    let Kind::Seq(list) = &node.kind else {
        match read::<Vec<T>>(node, path) {
            Ok(v) => *out = v,
            Err(p) => problems.push(p),
        }
        return;
    };
    out.reserve(list.len());
    for (i, item) in list.iter().enumerate() {
        match read(item, &format!("{path}[{i}]")) {
            Ok(v) => out.push(v),
            Err(p) => problems.push(p),
        }
    }
}

/// Reads every observation of the list `node` (at `path`) into the columns, each error at its item's path, as
/// [`items`] does for the other lists.
fn observations(node: &Node, path: &str, out: &mut super::Observations, problems: &mut Vec<Problem>) {
    let Kind::Seq(list) = &node.kind else {
        match read::<super::Observations>(node, path) {
            Ok(v) => *out = v,
            Err(p) => problems.push(p),
        }
        return;
    };
    out.reserve(list.len());
    for (i, item) in list.iter().enumerate() {
        match read::<super::Observation>(item, &format!("{path}[{i}]")) {
            Ok(v) => out.push(v),
            Err(p) => problems.push(p),
        }
    }
}

/// Reads every check-in of the list `node` (at `path`) into the columns, each error at its item's path, as
/// [`items`] does for the other lists.
fn check_ins(node: &Node, path: &str, out: &mut super::CheckIns, problems: &mut Vec<Problem>) {
    let Kind::Seq(list) = &node.kind else {
        match read::<super::CheckIns>(node, path) {
            Ok(v) => *out = v,
            Err(p) => problems.push(p),
        }
        return;
    };
    out.reserve(list.len());
    for (i, item) in list.iter().enumerate() {
        match read::<super::CheckIn>(item, &format!("{path}[{i}]")) {
            Ok(v) => out.push(v),
            Err(p) => problems.push(p),
        }
    }
}
