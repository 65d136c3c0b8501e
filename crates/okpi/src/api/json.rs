//! Reading a call's JSON form with the JSON path of every problem (`E_PARSE` at `$.settings.overshoot`), which
//! serde's internally tagged enums lose: the `op` is read first, then the whole text straight into that op's
//! struct with the `op` key skipped.

use super::call::{self, Call, OPS};
use crate::error::Code;
use crate::error::Error;
use serde::de::{DeserializeOwned, DeserializeSeed, IntoDeserializer, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use std::marker::PhantomData;

/// Reads a call under `limits`.
pub(crate) fn read(text: &str, limits: &crate::Limits) -> Result<Call, Error> {
    crate::limits::check_text(text.as_bytes(), limits).map_err(Error::argument)?;
    let op: Op = crate::text::parse_json_checked(text, limits)?;
    let Some(op) = op.op else {
        return Err(Error::bad_argument(
            Code::E_MISSING_FIELD,
            "$.op",
            format!("a call needs an \"op\", one of {}", OPS.join(", ")),
        ));
    };
    Ok(match op.as_str() {
        "evaluate" => Call::Evaluate(body::<call::Evaluate>(text, limits)?),
        "explain" => Call::Explain(body::<call::Explain>(text, limits)?),
        "check_ins" => Call::CheckIns(body::<call::CheckIns>(text, limits)?),
        "apply_check_in" => Call::ApplyCheckIn(body::<call::ApplyCheckIn>(text, limits)?),
        "query" => Call::Query(body::<call::QueryCall>(text, limits)?),
        "query_units" => Call::QueryUnits(body::<call::QueryUnits>(text, limits)?),
        "score" => Call::Score(body::<call::Score>(text, limits)?),
        "scorecards" => Call::Scorecards(body::<call::Scorecards>(text, limits)?),
        "alerts" => Call::Alerts(body::<call::Alerts>(text, limits)?),
        "alert_series" => Call::AlertSeries(body::<call::AlertSeries>(text, limits)?),
        "diagnose" => Call::Diagnose(body::<call::Diagnose>(text, limits)?),
        "strategy_view" => Call::StrategyView(body::<call::StrategyViewCall>(text, limits)?),
        "advise" => Call::Advise(body::<call::Advise>(text, limits)?),
        "filter" => Call::Filter(body::<call::FilterCall>(text, limits)?),
        "document" => Call::Document(body::<call::DocumentCall>(text, limits)?),
        other => {
            return Err(Error::bad_argument(
                Code::E_INVALID_VALUE,
                "$.op",
                format!("op {other:?} is not one of {}", OPS.join(", ")),
            ))
        }
    })
}

/// The `op` of a call, every other field ignored.
#[derive(Deserialize)]
struct Op {
    op: Option<String>,
}

/// The call's fields read into `T`, its `op` skipped.
fn body<T: DeserializeOwned>(text: &str, limits: &crate::Limits) -> Result<T, Error> {
    Ok(crate::text::parse_json_checked::<WithoutOp<T>>(text, limits)?.0)
}

/// `T` read from a JSON object less its `op` key.
struct WithoutOp<T>(T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for WithoutOp<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(ObjectVisitor(PhantomData))
    }
}

struct ObjectVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for ObjectVisitor<T> {
    type Value = WithoutOp<T>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a call object")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        T::deserialize(serde::de::value::MapAccessDeserializer::new(SkipOp(map))).map(WithoutOp)
    }
}

/// A map access that passes over the `op` key and its value.
struct SkipOp<A>(A);

impl<'de, A: MapAccess<'de>> MapAccess<'de> for SkipOp<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Self::Error> {
        loop {
            let Some(key) = self.0.next_key::<String>()? else {
                return Ok(None);
            };
            if key == "op" {
                self.0.next_value::<serde::de::IgnoredAny>()?;
                continue;
            }
            return seed.deserialize(key.into_deserializer()).map(Some);
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Self::Error> {
        self.0.next_value_seed(seed)
    }
}
