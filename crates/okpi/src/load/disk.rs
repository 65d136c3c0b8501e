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
    let len = match file.metadata() {
        Ok(m) if m.is_file() => m.len(),
        _ => return Err("not a regular file".into()),
    };
    let bytes = read_up_to(&file, len, max, HALVES_FROM).map_err(|e| e.kind().to_string())?;
    if bytes.len() > max {
        return Err(format!("more than the limit file_bytes ({max} bytes)"));
    }
    String::from_utf8(bytes).map_err(|e| format!("not UTF-8 text (byte {})", e.utf8_error().valid_up_to()))
}

/// The bytes of the file at `path`, as `std::fs::read` gives them (the same errors), a large regular file read in
/// two halves on two threads ([`read_up_to`]): Python's `Model(pathlib.Path)` reads its document this way.
pub fn read_bytes(path: &Path) -> std::io::Result<Vec<u8>> {
    let file = std::fs::File::open(path)?;
    let len = file
        .metadata()
        .map_or(0, |m| if m.is_file() { m.len() } else { 0 });
    read_up_to(&file, len, usize::MAX - 1, HALVES_FROM)
}

/// Files of at least this many bytes are read in two halves at once.
const HALVES_FROM: u64 = 1 << 26;

/// The bytes of `file`, whose length was `len` when it was opened, up to `max` + 1 of them (one more than a caller
/// takes, so that it sees a file over its limit). From `halves_from` bytes (on Unix) the two halves of those `len`
/// bytes are read at once, the second on a scoped thread into its own part of a zeroed buffer, so that two cores
/// copy and fault in the pages (about 0.8 s on one for a 1.3 GB document); then whatever follows, as a file that
/// grew is read to its end. The same bytes as one read from the start, and a shorter file is read as it is.
fn read_up_to(file: &std::fs::File, len: u64, max: usize, halves_from: u64) -> std::io::Result<Vec<u8>> {
    let cap = u64::try_from(max).unwrap_or(u64::MAX).saturating_add(1);
    let mut bytes = Vec::new();
    #[cfg(not(unix))]
    let _ = (len, halves_from); // one read from the start
    #[cfg(unix)]
    if len >= halves_from && len <= cap {
        bytes = halves(file, usize::try_from(len).map_err(std::io::Error::other)?)?;
    }
    let mut rest = file;
    std::io::Seek::seek(&mut rest, std::io::SeekFrom::Start(bytes.len() as u64))?;
    rest.take(cap - bytes.len() as u64).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// The first `len` bytes of `file`, its two halves read at once (the second on a scoped thread, or here when no
/// thread can be started); fewer when the file ends sooner.
#[cfg(unix)]
fn halves(file: &std::fs::File, len: usize) -> std::io::Result<Vec<u8>> {
    use std::os::unix::fs::FileExt;
    /// Reads into `buf` from `at` until it is full or the file ends; how many bytes it read.
    fn fill(file: &std::fs::File, buf: &mut [u8], at: u64) -> std::io::Result<usize> {
        let mut done = 0;
        while done < buf.len() {
            match file.read_at(buf.get_mut(done..).unwrap_or_default(), at + done as u64) {
                Ok(0) => break,
                Ok(n) => done += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(done)
    }
    // As in `std::fs::read`, a size that cannot be had is an error (`OutOfMemory`), not an abort; the buffer itself
    // is then taken zeroed, so its pages are first touched by the two reads, not by a fill here.
    Vec::<u8>::new().try_reserve_exact(len)?;
    let mut bytes = vec![0u8; len];
    let mid = len / 2;
    let (first, second) = bytes.split_at_mut(mid);
    let (a, b) = std::thread::scope(|s| {
        let other = std::thread::Builder::new()
            .name("okpi-read".into())
            .spawn_scoped(s, move || fill(file, second, mid as u64));
        let a = fill(file, first, 0);
        let b = other.ok().map(|h| {
            h.join()
                .unwrap_or_else(|_| Err(std::io::Error::other("the reading thread failed")))
        });
        (a, b)
    });
    let b = match b {
        Some(b) => b,
        None => fill(file, bytes.get_mut(mid..).unwrap_or_default(), mid as u64),
    };
    let (a, b) = (a?, b?);
    // A file cut short while it was read: only what a read from the start would have given.
    bytes.truncate(if a < mid { a } else { mid + b });
    Ok(bytes)
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// A file in the system's temporary folder holding `bytes`, removed when dropped.
    struct Temp(PathBuf);

    impl Temp {
        fn new(name: &str, bytes: &[u8]) -> Temp {
            let path = std::env::temp_dir().join(format!("okpi-disk-{}-{name}", std::process::id()));
            let mut f = std::fs::File::create(&path).expect("a temporary file");
            f.write_all(bytes).expect("written");
            Temp(path)
        }
    }

    impl Drop for Temp {
        fn drop(&mut self) {
            let _ = std::fs::remove_file(&self.0);
        }
    }

    /// In halves or in one read, every length (odd, even, empty) gives the file's bytes, and a cap gives one byte
    /// over it and no more.
    #[test]
    fn halves_read_what_one_read_reads() {
        let text: Vec<u8> = (0..10_007u32).map(|i| (i * 7 % 251) as u8).collect();
        for len in [0, 1, 2, 3, 4_096, 10_007] {
            let want = text.get(..len).unwrap_or_default();
            let t = Temp::new(&format!("halves-{len}"), want);
            let file = std::fs::File::open(&t.0).expect("open");
            for from in [1, u64::MAX] {
                let got = read_up_to(&file, len as u64, usize::MAX - 1, from).expect("read");
                assert_eq!(got, want, "{len} bytes, halves from {from}");
                let capped = read_up_to(&file, len as u64, 99, from).expect("read");
                assert_eq!(
                    capped,
                    want.get(..len.min(100)).unwrap_or_default(),
                    "{len} capped, from {from}"
                );
            }
            assert_eq!(read_bytes(&t.0).expect("read"), want);
        }
    }

    /// A file that changed after its length was taken: what follows is read too, and a shorter one as it is.
    #[test]
    fn a_file_that_grew_or_shrank_is_read_as_it_is_now() {
        let t = Temp::new("changed", b"0123456789");
        let file = std::fs::File::open(&t.0).expect("open");
        assert_eq!(
            read_up_to(&file, 4, usize::MAX - 1, 1).expect("read"),
            b"0123456789"
        );
        assert_eq!(
            read_up_to(&file, 40, usize::MAX - 1, 1).expect("read"),
            b"0123456789"
        );
    }

    /// A length no memory can hold (a sparse file, or one that grew): an error, as `std::fs::read` gives, where
    /// taking the buffer outright would abort the host (unless the system hands out the address space, when the
    /// file's own bytes come back).
    #[cfg(unix)]
    #[test]
    fn a_length_no_memory_holds_is_an_error_not_an_abort() {
        let t = Temp::new("huge", b"0123456789");
        let file = std::fs::File::open(&t.0).expect("open");
        match halves(&file, 1 << 45) {
            Ok(bytes) => assert_eq!(bytes, b"0123456789"),
            Err(e) => assert_eq!(e.kind(), std::io::ErrorKind::OutOfMemory),
        }
    }

    #[test]
    fn reading_a_missing_file_fails_as_std_fails() {
        let missing = std::env::temp_dir().join("okpi-disk-no-such-file");
        let ours = read_bytes(&missing).expect_err("missing");
        let std = std::fs::read(&missing).expect_err("missing");
        assert_eq!(ours.kind(), std.kind());
    }
}
