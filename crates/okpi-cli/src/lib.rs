//! The readers of the `okpi` command, as a library so that its fuzz target (`fuzz/`, target `readers`) and tests
//! reach them: documents in JSON or YAML with the CSV tables and profiles they name, read inside their folder;
//! what can stop a command; the sanitiser for user text on terminals.

pub mod fail;
pub mod fuzz;
pub mod input;
pub mod sanitize;
