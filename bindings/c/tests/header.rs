//! The checked-in header's version macros equal Cargo.toml's version (the C test holds `okpi_version()` equal
//! to the macros), and every exported function is declared.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // tests may panic

#[test]
fn version_macros_match_cargo_toml() {
    let header = include_str!("../include/okpi.h");
    let macro_value = |name: &str| -> String {
        let line = header
            .lines()
            .find(|l| l.starts_with(&format!("#define {name} ")))
            .unwrap();
        line.rsplit(' ').next().unwrap().to_owned()
    };
    assert_eq!(macro_value("OKPI_VERSION_MAJOR"), env!("CARGO_PKG_VERSION_MAJOR"));
    assert_eq!(macro_value("OKPI_VERSION_MINOR"), env!("CARGO_PKG_VERSION_MINOR"));
    assert_eq!(macro_value("OKPI_VERSION_PATCH"), env!("CARGO_PKG_VERSION_PATCH"));
}

#[test]
fn every_exported_function_is_declared_in_the_header() {
    let header = include_str!("../include/okpi.h");
    let sources = [
        include_str!("../src/lib.rs"),
        include_str!("../src/boundary.rs"),
        include_str!("../src/strings.rs"),
        include_str!("../src/limits.rs"),
        include_str!("../src/model.rs"),
        include_str!("../src/result.rs"),
    ];
    let mut names = Vec::new();
    for src in sources {
        for line in src.lines() {
            if let Some(rest) = line.split("extern \"C\" fn ").nth(1) {
                names.push(rest.split('(').next().unwrap().to_owned());
            }
        }
    }
    assert!(names.len() >= 25, "{names:?}");
    for n in names {
        assert!(header.contains(&format!("{n}(")), "{n} missing from okpi.h");
    }
}

#[test]
fn the_header_includes_only_what_it_uses() {
    let header = include_str!("../include/okpi.h");
    let includes: Vec<&str> = header.lines().filter(|l| l.starts_with("#include")).collect();
    assert_eq!(includes, ["#include <stddef.h>", "#include <stdint.h>"]);
    // A declaration with `bool` or `va_list` would need <stdbool.h> or <stdarg.h>.
    assert!(!header.contains("bool ") && !header.contains("va_list"));
}
