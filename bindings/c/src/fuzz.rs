//! The body of the fuzz target `c_abi` (`fuzz/fuzz_targets/c_abi.rs`), here so that the stable toolchain compiles
//! it and the unit test below runs it over the seed corpus and the kept crash inputs.
//!
//! The first byte picks an entry point; the rest, split at NUL bytes, are its string arguments (an empty one is
//! passed as NULL). Every call must return a known result code other than `OKPI_PANIC` and `OKPI_INTERNAL`,
//! write its output only on success (valid UTF-8 JSON), and on failure leave a last error whose JSON lists at
//! least one problem with a code and a path, and whose message copies safely into buffers of any size.

// A fuzz body reports a broken invariant by panicking: that is what the fuzzer looks for.
#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing
)]

use crate::okpi_result;
use std::ffi::{c_char, CStr, CString};
use std::ptr;

/// Runs one fuzz input through the C ABI.
pub fn c_abi(data: &[u8]) {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let args: Vec<Option<CString>> = rest
        .split(|b| *b == 0)
        .map(|a| (!a.is_empty()).then(|| CString::new(a).unwrap()))
        .collect();
    let arg = |i: usize| -> *const c_char {
        args.get(i)
            .and_then(Option::as_ref)
            .map_or(ptr::null(), |s| s.as_ptr())
    };
    // SAFETY: every pointer is NULL or a NUL-terminated string that outlives the call; outputs are locals.
    unsafe {
        match selector % 9 {
            0 => call(|out| crate::okpi_validate(arg(0), out)),
            1 => call(|out| crate::okpi_evaluate(arg(0), arg(1), arg(2), out)),
            2 => call(|out| crate::okpi_diagnose(arg(0), arg(1), arg(2), arg(3), out)),
            3 => call(|out| crate::okpi_kpi(arg(0), arg(1), arg(2), out)),
            4 => call(|out| crate::okpi_alerts(arg(0), arg(1), arg(2), arg(3), out)),
            5 => call(|out| crate::okpi_advise(arg(0), arg(1), out)),
            6 => call(|out| crate::okpi_alert_evaluate(arg(0), arg(1), arg(2), out)),
            7 => model(arg(0), arg(1), arg(2), arg(3)),
            _ => {
                let r = crate::okpi_set_limits(arg(0));
                check(r, false);
                call(|out| crate::okpi_limits(out));
                call(|out| crate::okpi_validate(arg(1), out));
                assert_eq!(crate::okpi_set_limits(ptr::null()), okpi_result::OKPI_OK);
            }
        }
    }
}

/// A model handle: made, evaluated, given a check-in, evaluated again, freed.
unsafe fn model(doc: *const c_char, as_of: *const c_char, settings: *const c_char, check_in: *const c_char) {
    let mut m: *mut crate::okpi_model = ptr::null_mut();
    // SAFETY: the arguments are NULL or NUL-terminated; `m` is a local.
    let r = unsafe { crate::okpi_model_new(doc, &mut m) };
    check(r, !m.is_null());
    if m.is_null() {
        return;
    }
    // SAFETY: `m` is a live handle used by this thread only, freed once at the end.
    unsafe {
        call(|out| crate::okpi_model_evaluate(m, as_of, settings, out));
        let r = crate::okpi_model_apply_check_in(m, check_in);
        check(r, false);
        call(|out| crate::okpi_model_evaluate(m, as_of, settings, out));
        crate::okpi_model_free(m);
    }
}

/// Calls an entry point with a fresh output and checks the outcome; frees the output.
unsafe fn call(f: impl FnOnce(*mut *mut c_char) -> okpi_result) {
    let mut out: *mut c_char = ptr::null_mut();
    let r = f(&mut out);
    check(r, !out.is_null());
    if !out.is_null() {
        // SAFETY: okpi wrote a NUL-terminated string it owns; it is freed once, here.
        let text = unsafe { CStr::from_ptr(out) }
            .to_str()
            .expect("outputs are UTF-8");
        serde_json::from_str::<serde_json::Value>(text).expect("outputs are JSON");
        unsafe { crate::okpi_string_free(out) };
    }
}

/// A result code okpi may return, an output exactly on success, and a readable last error on failure.
fn check(r: okpi_result, wrote: bool) {
    assert!(
        !matches!(r, okpi_result::OKPI_PANIC | okpi_result::OKPI_INTERNAL),
        "{r:?}: {}",
        last_error_json()
    );
    if r == okpi_result::OKPI_OK {
        return;
    }
    assert!(!wrote, "an output was written on failure {r:?}");
    let json: serde_json::Value = serde_json::from_str(&last_error_json()).expect("the last error is JSON");
    let problems = json.as_array().expect("the last error is an array");
    assert!(!problems.is_empty(), "a failure without problems: {r:?}");
    for p in problems {
        assert!(p.get("code").and_then(|c| c.as_str()).is_some(), "{p}");
        assert!(p.get("path").and_then(|c| c.as_str()).is_some(), "{p}");
    }
    for len in [0usize, 1, 2, 3, 64] {
        let mut buf = vec![0x55 as c_char; len.max(1)];
        let mut full = 0usize;
        // SAFETY: `buf` holds at least `len` bytes.
        let r = unsafe { crate::okpi_error_message(buf.as_mut_ptr(), len, &mut full) };
        assert_eq!(r, okpi_result::OKPI_OK);
        if len > 0 {
            // SAFETY: okpi wrote a NUL within the first `len` bytes.
            let s = unsafe { CStr::from_ptr(buf.as_ptr()) };
            assert!(
                s.to_bytes().len() < len && s.to_str().is_ok(),
                "message cut badly"
            );
        }
    }
}

fn last_error_json() -> String {
    let mut out: *mut c_char = ptr::null_mut();
    // SAFETY: `out` is a local; the string okpi writes is freed once, here.
    unsafe {
        assert_eq!(crate::okpi_last_error_json(&mut out), okpi_result::OKPI_OK);
        let text = CStr::from_ptr(out).to_string_lossy().into_owned();
        crate::okpi_string_free(out);
        text
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    /// The seed corpus and every input a fuzzer found a bug with, kept so that the bug stays fixed.
    #[test]
    fn c_abi_seeds() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut files: Vec<_> = ["fuzz/corpus/c_abi", "tests/fuzz-regressions/c_abi"]
            .iter()
            .flat_map(|d| {
                std::fs::read_dir(root.join(d))
                    .unwrap()
                    .map(|e| e.unwrap().path())
            })
            .filter(|p| p.file_name().is_some_and(|n| n != ".gitkeep"))
            .collect();
        files.sort();
        assert!(files.len() >= 100, "{} c_abi inputs", files.len());
        for f in files {
            let data = std::fs::read(&f).unwrap();
            let outcome = std::panic::catch_unwind(|| super::c_abi(&data));
            assert!(outcome.is_ok(), "c_abi broke on {}", f.display());
        }
    }
}
