//! The JSON Schema of the call layer, generated from the Rust types (checked in as `schema/okpi.schema.json`).
