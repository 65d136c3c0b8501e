//! The module order of ARCHITECTURE.md ("Where 0.2 goes"): each top-level module of the core, and of the CLI,
//! uses only the modules listed before it, so there are no import circles. The test reads the sources, finds every
//! `crate::` path outside comments and test modules (grouped `use crate::{a, b}` included, and names re-exported at
//! the crate root mapped to their module), and fails on a use of a later module that is not a listed exception.

#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

/// The core's order. `num`, `idx`, `id`, `limits`, `cycle`, `settings` and `report` (the OKR results) are the small
/// modules the architecture's list leaves out, placed where what they use puts them.
const CORE: &[&str] = &[
    "error", "num", "idx", "id", "limits", "text", "model", "cycle", "settings", "validate", "store",
    "report", "kpi", "link", "okr", "alert", "hybrid", "diagnose", "decide", "load", "access", "api",
    // Feature `arrow`: record batches in and out of the model, the KPI and alert results and the evaluation.
    "arrow",
];

/// Known uses of a later module in the core, (user, used). Only the validate ↔ kpi ↔ validated circle is left: the
/// move of the validated model into `store` removes it, and then this list must be empty.
const CORE_EXCEPTIONS: &[(&str, &str)] = &[];

/// The CLI's order: the readers (the library part), then what computes, then what draws, then the commands.
const CLI: &[&str] = &[
    "sanitize",
    "style",
    "i18n",
    "progress",
    "fail",
    "tables",
    "input",
    "demo",
    "fuzz",
    "analysis",
    "labels",
    "strategy",
    "report",
    "dashboard",
    "commands",
    "main",
];

fn src(krate: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../crates")
        .join(krate)
        .join("src")
}

/// Every `.rs` file of a top-level module: `src/m.rs` and everything under `src/m/`.
fn files(root: &Path, module: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let file = root.join(format!("{module}.rs"));
    if file.is_file() {
        out.push(file);
    }
    let mut dirs = vec![root.join(module)];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = fs::read_dir(&dir) else { continue };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                dirs.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    out
}

/// The code of a file without its comments and its trailing `#[cfg(test)] mod …` (by convention the last item).
fn code(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = String::new();
    for (i, line) in lines.iter().enumerate() {
        if line.trim() == "#[cfg(test)]" && lines.get(i + 1).is_some_and(|n| n.starts_with("mod ")) {
            break;
        }
        let line = match line.find("//") {
            Some(at) if !line[..at].contains('"') => &line[..at],
            _ => line,
        };
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// The first segment of every `crate::` path in `code`.
fn crate_names(code: &str) -> Vec<String> {
    let mut names = Vec::new();
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // `crate::{a::b, c, d::{e, f}}`: the names at depth one.
            let mut depth = 1;
            let mut start = true;
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 1 => start = true,
                    c if start && depth == 1 && !c.is_whitespace() => {
                        start = false;
                        names.push(ident(&group[i..]));
                    }
                    _ => {}
                }
                if depth == 0 {
                    break;
                }
            }
        } else {
            names.push(ident(rest));
        }
    }
    names
}

/// The names a crate root re-exports (`pub use m::{A, B}`, `pub(crate) use m::C`), each mapped to its module, and
/// the items it defines (`enum Format` in `main.rs`), mapped to the root itself (`main`).
fn root_exports(root_file: &Path) -> BTreeMap<String, String> {
    let text = fs::read_to_string(root_file).unwrap_or_default();
    let root = root_file
        .file_stem()
        .unwrap_or_default()
        .to_string_lossy()
        .to_string();
    let mut out = BTreeMap::new();
    for line in code(&text).lines() {
        let item = line.trim_start_matches("pub ").trim_start_matches("pub(crate) ");
        for kw in ["enum ", "struct ", "fn ", "const ", "static "] {
            if let Some(rest) = item.strip_prefix(kw) {
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                out.insert(name, root.clone());
            }
        }
        let Some(rest) = line
            .trim()
            .strip_prefix("pub use ")
            .or_else(|| line.trim().strip_prefix("pub(crate) use "))
        else {
            continue;
        };
        let Some((module, items)) = rest.trim_end_matches(';').split_once("::") else {
            continue;
        };
        for item in items.trim_matches(|c| c == '{' || c == '}').split(',') {
            let name = item.rsplit("::").next().unwrap_or("").trim();
            if !name.is_empty() {
                out.insert(name.to_string(), module.to_string());
            }
        }
    }
    out
}

/// Every use of a later module, as "user → used (file)".
fn later_uses(root: &Path, roots: &[&str], order: &[&str], exceptions: &[(&str, &str)]) -> Vec<String> {
    let mut exports = BTreeMap::new();
    for r in roots {
        exports.extend(root_exports(&root.join(r)));
    }
    // Every top-level module has a place in the order.
    for e in fs::read_dir(root).unwrap().flatten() {
        let name = e
            .file_name()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_string();
        let skip = roots
            .iter()
            .any(|r| r.trim_end_matches(".rs") == name && name != "main");
        assert!(
            skip || order.contains(&name.as_str()),
            "module {name} has no place in the order"
        );
    }
    let rank = |m: &str| order.iter().position(|x| *x == m);
    let mut bad = Vec::new();
    for (i, user) in order.iter().enumerate() {
        for file in files(root, user) {
            let text = fs::read_to_string(&file).unwrap();
            for name in crate_names(&code(&text)) {
                let used = if rank(&name).is_some() {
                    name.clone()
                } else if let Some(m) = exports.get(&name) {
                    m.clone()
                } else {
                    panic!(
                        "{}: crate::{name} is neither a module nor a root re-export",
                        file.display()
                    );
                };
                let later = rank(&used).is_some_and(|j| j > i);
                if later && !exceptions.contains(&(user, used.as_str())) {
                    bad.push(format!("{user} → {used} ({})", file.display()));
                }
            }
        }
    }
    bad.sort();
    bad.dedup();
    bad
}

#[test]
fn core_modules_use_only_earlier_ones() {
    let bad = later_uses(&src("okpi"), &["lib.rs"], CORE, CORE_EXCEPTIONS);
    assert!(bad.is_empty(), "uses of a later module:\n{}", bad.join("\n"));
}

#[test]
fn cli_modules_use_only_earlier_ones() {
    let bad = later_uses(&src("okpi-cli"), &["lib.rs", "main.rs"], CLI, &[]);
    assert!(bad.is_empty(), "uses of a later module:\n{}", bad.join("\n"));
}

#[test]
fn the_reader_sees_grouped_uses_and_skips_comments_and_tests() {
    let text = "use crate::{a::B, c, d::{e, f}};\n// crate::g\nfn x() { crate::h::i(); }\n#[cfg(test)]\nmod tests {\n    use crate::j;\n}\n";
    assert_eq!(crate_names(&code(text)), ["a", "c", "d", "h"]);
}

#[test]
fn every_exception_is_still_needed() {
    // An exception that no longer happens must leave the list (the list only shrinks).
    for (user, used) in CORE_EXCEPTIONS {
        let found = later_uses(&src("okpi"), &["lib.rs"], CORE, &[])
            .iter()
            .any(|b| b.starts_with(&format!("{user} → {used} ")));
        assert!(
            found,
            "the exception {user} → {used} no longer happens: remove it"
        );
    }
}
