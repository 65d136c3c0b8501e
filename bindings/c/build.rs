//! Gives the shared library its SONAME, `libokpi.so.1`: the major version of the C ABI, which changes only when a
//! function, a type or a result code changes incompatibly (the Makefile installs the library under that name).

fn main() {
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libokpi.so.1");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
