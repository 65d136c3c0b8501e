//! The body of the fuzz target `readers` (`fuzz/fuzz_targets/readers.rs`), here so that the stable toolchain
//! compiles it and the tests run it over its seeds (`fuzz/corpus/readers/`).
//!
//! The input's first byte picks the format (odd: YAML); the bytes up to the first `0xFF` are the document, those
//! after it the CSV table `t.csv` beside it. The document lives in a folder made once per process, beside a
//! sub-folder `dir.csv`, a FIFO `fifo.csv`, a link `in.csv` to `t.csv`, a link `out.csv` leading out to a secret file, and the
//! profiles `p.json`. Whatever the bytes:
//!
//! - reading ends in a document or in problems, each at a `$` path, printed without a control character and without
//!   a byte of the secret file;
//! - the library's fast JSON path and the one reader's tree accept the same texts and read the same documents;
//! - a YAML document read without problems reads the same from its JSON.

// A fuzz body reports a broken invariant by panicking: that is what the fuzzer (and the seed test) looks for.
#![allow(clippy::panic)]

use crate::fail::Failure;
use crate::input::{load, Disk};
use okpi::text::{self, Format};
use std::path::PathBuf;
use std::sync::OnceLock;

/// What the file outside the folder holds; no message may quote it.
const SECRET: &str = "SECRET-7f3a9c";

/// The fuzzed documents' folder, with its fixed files; `None` when it cannot be made.
fn folder() -> Option<&'static PathBuf> {
    static DIR: OnceLock<Option<PathBuf>> = OnceLock::new();
    DIR.get_or_init(|| {
        let root = std::env::temp_dir().join(format!("okpi-fuzz-readers-{}", std::process::id()));
        let docs = root.join("docs");
        std::fs::create_dir_all(docs.join("dir.csv")).ok()?;
        std::fs::write(
            root.join("secret.txt"),
            format!("measure,date,value\n{SECRET},2026-01-01,1\n"),
        )
        .ok()?;
        std::fs::write(docs.join("t.csv"), "").ok()?;
        std::fs::write(docs.join("p.json"), r#"[{"id": "a", "name": "A"}]"#).ok()?;
        // A FIFO to name (reading it would wait for a writer for ever); skipped where mkfifo is missing.
        let _ = std::process::Command::new("mkfifo")
            .arg(docs.join("fifo.csv"))
            .status();
        #[cfg(unix)]
        {
            let _ = std::os::unix::fs::symlink("../secret.txt", docs.join("out.csv"));
            let _ = std::os::unix::fs::symlink("t.csv", docs.join("in.csv"));
        }
        Some(docs)
    })
    .as_ref()
}

/// Reads `data` as the fuzz target does, checking the invariants above (a broken one panics).
pub fn readers(data: &[u8]) {
    let Some((&head, rest)) = data.split_first() else {
        return;
    };
    let Some(dir) = folder() else {
        return;
    };
    let cut = rest.iter().position(|&b| b == 0xFF).unwrap_or(rest.len());
    let (doc, csv) = rest.split_at(cut);
    let Ok(doc) = std::str::from_utf8(doc) else {
        return;
    };
    if std::fs::write(dir.join("t.csv"), csv.get(1..).unwrap_or_default()).is_err() {
        return;
    }
    let yaml = head & 1 == 1;
    let name = if yaml { "doc.yaml" } else { "doc.json" };
    let quotes_secret = String::from_utf8_lossy(data).contains(SECRET);
    match load(
        doc,
        name,
        &Disk {
            base: dir.clone(),
            max_bytes: 1 << 20,
        },
    ) {
        Ok(input) => {
            let json = input.document.to_json();
            assert_eq!(
                okpi::Document::from_json(&json).ok().as_ref(),
                Some(&input.document),
                "{json}"
            );
            let _ = input.into_model(okpi::Model::new);
        }
        Err(Failure::Invalid(problems)) => {
            assert!(!problems.is_empty());
            for p in problems {
                assert!(p.problem.path.starts_with('$'), "{p:?}");
                let shown = p.to_string();
                assert!(!shown.chars().any(char::is_control), "{shown:?}");
                assert!(quotes_secret || !shown.contains(SECRET), "{shown}");
            }
        }
        Err(Failure::Output(o)) => panic!("reading wrote nothing, yet: {o}"),
    }
    let limits = okpi::Limits::default();
    let format = if yaml { Format::Yaml } else { Format::Json };
    let tree = text::tree(doc, format, &limits);
    let read = tree.as_ref().ok().map(okpi::Document::from_tree);
    if yaml {
        if let Some(Ok(d)) = &read {
            let json = d.to_json();
            assert_eq!(okpi::Document::from_json(&json).ok().as_ref(), Some(d), "{json}");
        }
        return;
    }
    // One reader: serde_json straight into a document accepts what the tree accepts, and reads the same.
    let fast = serde_json::from_str::<okpi::Document>(text::strip_bom(doc)).ok();
    match (tree.is_ok(), fast, read) {
        (false, _, _) => {} // a limit, a syntax error or a duplicate key: refused before serde_json runs
        (true, Some(a), Some(Ok(b))) => assert_eq!(a, b),
        (true, None, Some(Err(_))) => {}
        (true, a, b) => panic!("serde_json read {a:?}, the tree {b:?}"),
    }
}
