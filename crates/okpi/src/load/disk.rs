//! Reading a document and the files it names from disk (the `fs` feature): the one place the core touches the file
//! system, off by default so the core proper, the C ABI and a wasm build stay free of I/O. The CLI and the Python
//! module turn it on, so both read a document from disk with the same rules.
//!
//! A document may be written by someone else, so the files it names are read only inside its own folder: a
//! relative name without `..`, no symbolic link leading out, a regular file (no FIFO, device or folder) of at most
//! `Limits::file_bytes`. An error about such a file names it and never quotes what it holds.

use super::{Files, Loaded, Located};
use crate::error::Code;
use crate::Limits;
use std::io::Read;
use std::path::{Component, Path, PathBuf};

/// Files on disk inside the document's folder.
pub struct Disk {
    /// The folder names are relative to.
    pub base: PathBuf,
    /// The largest file read.
    pub max_bytes: usize,
}

impl Files for Disk {
    fn read(&self, name: &str) -> Result<String, String> {
        let path = Path::new(name);
        let inside = path
            .components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
        if name.is_empty() || !inside {
            return Err(format!(
                "{name:?} is not a file name inside the document's folder (no absolute path, no `..`)"
            ));
        }
        let base = std::fs::canonicalize(&self.base).map_err(|e| format!("cannot read {name:?}: {e}"))?;
        let full = std::fs::canonicalize(base.join(path))
            .map_err(|e| format!("cannot read {name:?}: {}", e.kind()))?;
        if !full.starts_with(&base) {
            return Err(format!(
                "{name:?} leads out of the document's folder (a symbolic link)"
            ));
        }
        read_regular(&full, self.max_bytes).map_err(|e| format!("cannot read {name:?}: {e}"))
    }
}

/// The text of a regular file of at most `max` bytes; anything else (a FIFO, a device, a folder, a larger file,
/// text that is not UTF-8) is refused before or while reading, with a reason that quotes nothing of the file.
pub fn read_regular(path: &Path, max: usize) -> Result<String, String> {
    // Checked before opening: opening a FIFO for reading would wait for a writer.
    let meta = std::fs::metadata(path).map_err(|e| e.kind().to_string())?;
    if !meta.is_file() {
        return Err("not a regular file".into());
    }
    if usize::try_from(meta.len()).map_or(true, |n| n > max) {
        return Err(format!(
            "{} bytes is more than the limit file_bytes ({max})",
            meta.len()
        ));
    }
    let file = std::fs::File::open(path).map_err(|e| e.kind().to_string())?;
    if !file.metadata().is_ok_and(|m| m.is_file()) {
        return Err("not a regular file".into());
    }
    let mut bytes = Vec::new();
    file.take(u64::try_from(max).unwrap_or(u64::MAX).saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| e.kind().to_string())?;
    if bytes.len() > max {
        return Err(format!("more than the limit file_bytes ({max} bytes)"));
    }
    String::from_utf8(bytes).map_err(|e| format!("not UTF-8 text (byte {})", e.utf8_error().valid_up_to()))
}

/// A document read from the file `path` under `limits` (its size checked against `document_bytes`, the files it
/// names against `file_bytes`), with the files it names read from its folder.
pub fn load_file(path: &Path, limits: &Limits) -> Result<Loaded, Vec<Located>> {
    let name = path.to_string_lossy();
    let text = read_regular(path, limits.document_bytes).map_err(|e| {
        vec![Located::at(
            Code::E_PARSE,
            "$",
            Some(name.to_string()),
            format!("cannot read: {e}"),
        )]
    })?;
    let base = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let files = Disk {
        base,
        max_bytes: limits.file_bytes,
    };
    super::load_text(text, &name, &files, limits)
}
