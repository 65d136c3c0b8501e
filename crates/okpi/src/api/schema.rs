//! The JSON Schema of the call layer, generated from the Rust types and checked in as `schema/okpi.schema.json`
//! (`make schema` writes it; a test fails when it drifts). `$defs` holds every type; the root names the five a
//! host needs: a [`Call`], its [`Answer`] (or the error), the [`crate::Document`] and the evaluation
//! [`crate::Settings`].

use super::{Answer, Call, ErrorKind};
use crate::error::Problem;
use schemars::{JsonSchema, SchemaGenerator};

/// What `call_json` writes: `{"ok": answer}` or `{"error": {...}}`.
#[derive(JsonSchema)]
#[allow(dead_code)] // described, never built: `call_json` writes this shape by hand
#[serde(untagged)]
enum Outcome {
    /// The call succeeded.
    Ok {
        /// The answer.
        ok: Answer,
    },
    /// The call failed.
    Error {
        /// Why.
        error: ErrorBody,
    },
}

/// A failed call.
#[derive(JsonSchema)]
#[allow(dead_code)] // described, never built
struct ErrorBody {
    /// The kind (each binding's result code or exception class follows it).
    kind: ErrorKind,
    /// Every problem, one line each.
    message: String,
    /// Every problem.
    problems: Vec<Problem>,
}

/// The schema as pretty-printed JSON, with a final newline.
pub fn json_schema() -> String {
    let mut generator = SchemaGenerator::default();
    let refs = [
        ("call", generator.subschema_for::<Call>()),
        ("answer", generator.subschema_for::<Answer>()),
        ("outcome", generator.subschema_for::<Outcome>()),
        ("document", generator.subschema_for::<crate::Document>()),
        ("settings", generator.subschema_for::<crate::Settings>()),
    ];
    let defs: serde_json::Map<String, serde_json::Value> = generator.take_definitions(true);
    let any_of: Vec<serde_json::Value> = refs.iter().map(|(_, s)| s.clone().to_value()).collect();
    let root = serde_json::json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "okpi.schema.json",
        "title": format!("okpi {} call layer", env!("CARGO_PKG_VERSION")),
        "description": "The JSON of okpi's call layer (okpi::api): a Call ({\"op\": …}), what call_json writes \
            (Outcome: {\"ok\": Answer} or {\"error\": …}), the Document and the evaluation Settings. Every type is \
            under $defs.",
        "anyOf": any_of,
        "$defs": defs,
    });
    let mut text = serde_json::to_string_pretty(&root).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    /// The checked-in schema is what the types generate: `make schema` rewrites it.
    #[test]
    fn the_checked_in_schema_is_what_the_types_generate() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../schema/okpi.schema.json");
        let generated = super::json_schema();
        if std::env::var_os("OKPI_WRITE_SCHEMA").is_some() {
            std::fs::write(path, &generated).unwrap();
        }
        let checked_in = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            checked_in == generated,
            "schema/okpi.schema.json drifted from the types: run `make schema` and commit"
        );
    }

    /// Every op of the call layer is in the schema, and an example call validates the shape the schema names.
    #[test]
    fn every_op_is_described() {
        let schema: serde_json::Value = serde_json::from_str(&super::json_schema()).unwrap();
        let text = schema["$defs"]["Call"].to_string();
        for op in super::super::OPS {
            assert!(
                text.contains(&format!("\"{op}\"")),
                "{op} missing from the Call schema"
            );
        }
    }
}
