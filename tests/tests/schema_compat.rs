//! The JSON contract only grows compatibly: the checked-in JSON Schema (`schema/okpi.schema.json`, which the
//! `api::schema` drift test keeps equal to the Rust types) is compared with every released schema under
//! `schema/released/` (README "Versioning").
//!
//! The comparison walks both schemas from the root's five types, resolving `$ref`s (so a renamed Rust type, which
//! renames its `$defs` entry, is not a break), in one of two directions:
//! - what a host sends (`Call`, `Document`, `Settings`): the new schema must accept everything the old one did — no
//!   field removed, none newly required, no type, variant or value dropped, no bound tightened, no default changed;
//! - what okpi returns (`Answer`, `Outcome`): everything a reader relied on is still there — no field removed or
//!   made optional, no type widened (a value never null must not become nullable), no bound loosened.
//!
//! In both directions new variants (a new op, a new status value) and new optional fields are growth, not breaks:
//! readers ignore what they do not know, and Rust's public enums are `#[non_exhaustive]`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use serde_json::{Map, Value};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Dir {
    /// Sent to okpi: the new schema must accept more.
    Input,
    /// Returned by okpi: the new schema must promise at least as much.
    Output,
}

struct Walk<'a> {
    old: &'a Value,
    new: &'a Value,
    /// `(old $ref, new $ref, direction)` pairs entered, so recursive types end.
    seen: BTreeSet<(String, String, Dir)>,
}

fn def<'a>(root: &'a Value, reference: &str) -> Option<&'a Value> {
    root.pointer(reference.strip_prefix('#')?)
}

fn types(node: &Value) -> Option<BTreeSet<String>> {
    match node.get("type")? {
        Value::String(t) => Some(BTreeSet::from([t.clone()])),
        Value::Array(ts) => Some(ts.iter().filter_map(|t| t.as_str().map(String::from)).collect()),
        _ => None,
    }
}

fn alternatives(node: &Value) -> Option<&Vec<Value>> {
    node.get("oneOf")
        .or_else(|| node.get("anyOf"))
        .and_then(Value::as_array)
}

fn required(node: &Value) -> BTreeSet<String> {
    node.get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(|s| s.as_str().map(String::from)).collect())
        .unwrap_or_default()
}

impl Walk<'_> {
    /// Every break found between `old` and `new` at `path`, as readable lines.
    fn check(&mut self, old: &Value, new: &Value, dir: Dir, path: &str) -> Vec<String> {
        if let (Some(o), Some(n)) = (old.get("$ref"), new.get("$ref")) {
            let (o, n) = (o.as_str().unwrap_or(""), n.as_str().unwrap_or(""));
            if !self.seen.insert((o.to_string(), n.to_string(), dir)) {
                return Vec::new();
            }
        }
        let old = match old.get("$ref").and_then(Value::as_str) {
            Some(r) => match def(self.old, r) {
                Some(d) => d,
                None => return vec![format!("{path}: old schema has no {r}")],
            },
            None => old,
        };
        let new = match new.get("$ref").and_then(Value::as_str) {
            Some(r) => match def(self.new, r) {
                Some(d) => d,
                None => return vec![format!("{path}: new schema has no {r}")],
            },
            None => new,
        };
        if old.get("$ref").is_some() || new.get("$ref").is_some() {
            return self.check(old, new, dir, path);
        }
        let mut breaks = Vec::new();
        // Variants: every old one must still have a compatible counterpart; new ones are growth.
        match (alternatives(old), alternatives(new)) {
            (Some(olds), news) => {
                let single = [new.clone()];
                let news: &[Value] = news.map_or(&single[..], |v| &v[..]);
                for (i, o) in olds.iter().enumerate() {
                    let tries: Vec<Vec<String>> = news
                        .iter()
                        .map(|n| self.probe(o, n, dir, &format!("{path}|{i}")))
                        .collect();
                    if tries.iter().any(Vec::is_empty) {
                        continue;
                    }
                    let what = o
                        .pointer("/properties/op/const")
                        .or_else(|| o.get("const"))
                        .map(|c| format!(" ({c})"))
                        .unwrap_or_default();
                    breaks.push(format!(
                        "{path}: variant {i}{what} has no compatible variant in the new schema; the closest:"
                    ));
                    // The closest candidate's breaks say what changed.
                    breaks.extend(tries.into_iter().min_by_key(Vec::len).unwrap_or_default());
                }
                return breaks;
            }
            (None, Some(news)) => {
                // A plain node that became a choice: fine when the old node is still one of the choices.
                if !news.iter().any(|n| self.probe(old, n, dir, path).is_empty()) {
                    breaks.push(format!(
                        "{path}: became a choice without the old shape among its variants"
                    ));
                }
                return breaks;
            }
            (None, None) => {}
        }
        match (types(old), types(new)) {
            (Some(o), Some(n)) => {
                let ok = match dir {
                    Dir::Input => o.is_subset(&n),
                    Dir::Output => n.is_subset(&o),
                };
                if !ok {
                    breaks.push(format!("{path}: type {o:?} became {n:?}"));
                }
            }
            (Some(o), None) if dir == Dir::Output => {
                breaks.push(format!("{path}: type {o:?} is no longer promised"))
            }
            (None, Some(n)) if dir == Dir::Input => {
                breaks.push(format!("{path}: now restricted to type {n:?}"))
            }
            _ => {}
        }
        for key in ["const", "format"] {
            match (old.get(key), new.get(key)) {
                (Some(o), Some(n)) if o != n => breaks.push(format!("{path}: {key} {o} became {n}")),
                (Some(o), None) if dir == Dir::Output => {
                    breaks.push(format!("{path}: {key} {o} is no longer promised"))
                }
                (None, Some(n)) if dir == Dir::Input => {
                    breaks.push(format!("{path}: now restricted to {key} {n}"))
                }
                _ => {}
            }
        }
        if dir == Dir::Input && old.get("default").is_some() && old.get("default") != new.get("default") {
            breaks.push(format!(
                "{path}: default {} became {}",
                old["default"],
                new.get("default").unwrap_or(&Value::Null)
            ));
        }
        // Lower bounds: an input may not raise one, an output may not lower one; upper bounds the other way.
        for (key, lower) in [("minimum", true), ("minItems", true), ("maxItems", false)] {
            let (o, n) = (
                old.get(key).and_then(Value::as_f64),
                new.get(key).and_then(Value::as_f64),
            );
            let tighter = match (o, n) {
                (Some(o), Some(n)) => (lower && n > o) || (!lower && n < o),
                (None, Some(_)) => true,
                (Some(_), None) => false,
                (None, None) => continue,
            };
            let looser = match (o, n) {
                (Some(o), Some(n)) => (lower && n < o) || (!lower && n > o),
                (Some(_), None) => true,
                _ => false,
            };
            if (dir == Dir::Input && tighter) || (dir == Dir::Output && looser) {
                breaks.push(format!("{path}: {key} {o:?} became {n:?}"));
            }
        }
        let empty = Map::new();
        let old_props = old.get("properties").and_then(Value::as_object).unwrap_or(&empty);
        let new_props = new.get("properties").and_then(Value::as_object).unwrap_or(&empty);
        for (name, o) in old_props {
            match new_props.get(name) {
                Some(n) => breaks.extend(self.check(o, n, dir, &format!("{path}.{name}"))),
                None => breaks.push(format!("{path}.{name}: removed")),
            }
        }
        let (old_req, new_req) = (required(old), required(new));
        match dir {
            Dir::Input => {
                for name in new_req.difference(&old_req) {
                    breaks.push(format!("{path}.{name}: now required of the sender"));
                }
                let closed = |v: &Value| v.get("additionalProperties") == Some(&Value::Bool(false));
                if closed(new) && !closed(old) {
                    breaks.push(format!("{path}: no longer accepts other fields"));
                }
            }
            Dir::Output => {
                for name in old_req.difference(&new_req) {
                    breaks.push(format!("{path}.{name}: no longer always present"));
                }
            }
        }
        if let (Some(o), Some(n)) = (old.get("items"), new.get("items")) {
            breaks.extend(self.check(o, n, dir, &format!("{path}[]")));
        }
        breaks.extend(self.map_values(old, new, dir, path));
        breaks
    }

    /// A map's values (`additionalProperties` as a schema; `true` or absent: any value). A result's free-form
    /// values may become typed (what okpi returns narrows), not the other way; a sent map's values the reverse.
    fn map_values(&mut self, old: &Value, new: &Value, dir: Dir, path: &str) -> Vec<String> {
        let typed = |v: &Value| v.get("additionalProperties").filter(|a| a.is_object()).cloned();
        match (typed(old), typed(new)) {
            (Some(o), Some(n)) => self.check(&o, &n, dir, &format!("{path}{{}}")),
            (Some(_), None)
                if dir == Dir::Output && new.get("additionalProperties") != Some(&Value::Bool(false)) =>
            {
                vec![format!("{path}{{}}: map values are no longer typed")]
            }
            (None, Some(_))
                if dir == Dir::Input && old.get("additionalProperties") != Some(&Value::Bool(false)) =>
            {
                vec![format!("{path}{{}}: map values now restricted")]
            }
            _ => Vec::new(),
        }
    }

    /// `check` without remembering the `$ref` pairs it entered: a failed try must not mark a pair as compatible.
    fn probe(&mut self, old: &Value, new: &Value, dir: Dir, path: &str) -> Vec<String> {
        let seen = self.seen.clone();
        let breaks = self.check(old, new, dir, path);
        if !breaks.is_empty() {
            self.seen = seen;
        }
        breaks
    }
}

/// Every break from `old` to `new`, walking the root's types in their direction.
fn breaks(old: &Value, new: &Value) -> Vec<String> {
    let mut walk = Walk {
        old,
        new,
        seen: BTreeSet::new(),
    };
    let mut out = Vec::new();
    // The root lists its types in this order (`api::schema::json_schema`).
    let roots = [
        ("Call", Dir::Input),
        ("Answer", Dir::Output),
        ("Outcome", Dir::Output),
        ("Document", Dir::Input),
        ("Settings", Dir::Input),
    ];
    for (i, (name, dir)) in roots.into_iter().enumerate() {
        match (old["anyOf"].get(i), new["anyOf"].get(i)) {
            (Some(o), Some(n)) => out.extend(walk.check(o, n, dir, name)),
            (Some(_), None) => out.push(format!("{name}: no longer a root of the schema")),
            (None, _) => {}
        }
    }
    out
}

fn schema_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../schema")
}

fn read(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn current() -> Value {
    read(&schema_dir().join("okpi.schema.json"))
}

#[test]
fn the_schema_only_grows_compatibly_from_every_release() {
    let new = current();
    let mut released: Vec<PathBuf> = std::fs::read_dir(schema_dir().join("released"))
        .map(|d| d.filter_map(|e| Some(e.ok()?.path())).collect())
        .unwrap_or_default();
    released.sort();
    for path in &released {
        let found = breaks(&read(path), &new);
        assert!(
            found.is_empty(),
            "schema/okpi.schema.json breaks {}:\n{}",
            path.display(),
            found.join("\n")
        );
    }
}

// The checker itself: each kind of break, made on a copy of today's schema, is found; growth is not.

fn def_mut<'a>(schema: &'a mut Value, name: &str) -> &'a mut Value {
    schema.pointer_mut(&format!("/$defs/{name}")).unwrap()
}

fn assert_breaks(new: &Value, expect: &str) {
    let found = breaks(&current(), new);
    assert!(
        found.iter().any(|b| b.contains(expect)),
        "expected a break containing {expect:?}, found {found:?}"
    );
}

#[test]
fn the_current_schema_is_compatible_with_itself() {
    assert_eq!(breaks(&current(), &current()), Vec::<String>::new());
}

#[test]
fn a_removed_result_field_is_a_break() {
    let mut new = current();
    def_mut(&mut new, "Evaluation")["properties"]
        .as_object_mut()
        .unwrap()
        .remove("objectives");
    assert_breaks(&new, ".objectives: removed");
}

#[test]
fn a_result_field_no_longer_required_is_a_break() {
    let mut new = current();
    let req = def_mut(&mut new, "Evaluation")["required"]
        .as_array_mut()
        .unwrap();
    assert!(req.iter().any(|r| r == "objectives"));
    req.retain(|r| r != "objectives");
    assert_breaks(&new, ".objectives: no longer always present");
}

#[test]
fn a_newly_required_document_field_is_a_break_but_a_new_optional_one_is_not() {
    let mut new = current();
    let person = def_mut(&mut new, "Person");
    person["properties"]["nickname"] = serde_json::json!({"type": "string"});
    assert_eq!(breaks(&current(), &new), Vec::<String>::new());
    def_mut(&mut new, "Person")["required"]
        .as_array_mut()
        .unwrap()
        .push("nickname".into());
    assert_breaks(&new, ".nickname: now required of the sender");
}

#[test]
fn a_dropped_op_is_a_break_and_a_new_op_is_not() {
    let mut new = current();
    let variants = def_mut(&mut new, "Call")["oneOf"].as_array_mut().unwrap();
    let first = variants[0].clone();
    let mut extra = first.clone();
    extra["properties"]["op"]["const"] = "brand_new_op".into();
    variants.push(extra);
    assert_eq!(breaks(&current(), &new), Vec::<String>::new());
    let variants = def_mut(&mut new, "Call")["oneOf"].as_array_mut().unwrap();
    variants.retain(|v| v != &first);
    assert_breaks(&new, "has no compatible variant");
}

#[test]
fn a_result_that_may_become_null_is_a_break() {
    let mut new = current();
    let props = def_mut(&mut new, "Evaluation")["properties"]
        .as_object_mut()
        .unwrap();
    let (name, field) = props
        .iter_mut()
        .find(|(_, v)| v.get("type") == Some(&Value::String("string".into())))
        .expect("Evaluation has a string field");
    let name = name.clone();
    field["type"] = serde_json::json!(["string", "null"]);
    assert_breaks(&new, &format!(".{name}: type"));
}

#[test]
fn a_changed_default_or_a_tighter_input_bound_is_a_break() {
    let mut new = current();
    def_mut(&mut new, "AccessSettings")["properties"]["min_group_size"]["default"] = 6.into();
    assert_breaks(&new, "min_group_size: default 5 became 6");
    let mut new = current();
    def_mut(&mut new, "AccessSettings")["properties"]["min_group_size"]["minimum"] = 2.into();
    assert_breaks(&new, "min_group_size: minimum");
}

#[test]
fn a_renamed_type_is_not_a_break() {
    let mut new = current();
    let text = serde_json::to_string(&new)
        .unwrap()
        .replace("#/$defs/Person\"", "#/$defs/Member\"");
    new = serde_json::from_str(&text).unwrap();
    let defs = new["$defs"].as_object_mut().unwrap();
    let person = defs.remove("Person").unwrap();
    defs.insert("Member".into(), person);
    assert_eq!(breaks(&current(), &new), Vec::<String>::new());
}

#[test]
fn free_form_result_values_may_become_typed_but_not_the_reverse() {
    // Today's diagnosis evidence is typed (dates as dates); in 0.2.0 it was free-form.
    let evidence = |schema: &Value| def(schema, "#/$defs/Finding").unwrap()["properties"]["evidence"].clone();
    assert!(evidence(&current())["additionalProperties"].is_object());
    let mut free = current();
    def_mut(&mut free, "Finding")["properties"]["evidence"]["additionalProperties"] = Value::Bool(true);
    assert_eq!(breaks(&free, &current()), Vec::<String>::new());
    assert_breaks(&free, "evidence{}: map values are no longer typed");
    // Typed to typed: the values are compared like any other node (here a text that may become null).
    let with_values = |values: Value| {
        let mut schema = current();
        def_mut(&mut schema, "Finding")["properties"]["evidence"]["additionalProperties"] = values;
        schema
    };
    let (text, nullable) = (
        with_values(serde_json::json!({"type": "string"})),
        with_values(serde_json::json!({"type": ["string", "null"]})),
    );
    let found = breaks(&text, &nullable);
    assert!(found.iter().any(|b| b.contains("evidence{}: type")), "{found:?}");
}
