//! What the two column types ([`super::Observations`], [`super::CheckIns`]) share: a quick reader of their JSON
//! rows straight from the text.
//!
//! Most of a large document's bytes are observation and check-in rows of one plain shape (no escapes, numbers
//! without exponents). [`Cursor`] reads that shape by hand, several times faster than serde's visitors, and gives
//! up (`None`) at anything else; the caller then reads the whole text through serde, so a text means the same and
//! fails with the same error either way. Only what the hand reading surely reads as serde_json does is taken: a
//! string without an escape or control character, a number in JSON's grammar without an exponent (converted by the
//! standard library, correctly rounded, as serde_json's `float_roundtrip` does), `null`, and JSON white space.

/// A position in a JSON text, read forward.
pub(crate) struct Cursor<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Cursor<'a> {
    /// A cursor at byte `at` of `text`.
    pub(crate) fn new(text: &'a str, at: usize) -> Cursor<'a> {
        Cursor { text, at }
    }

    /// The text from the position reached.
    pub(crate) fn rest(&self) -> &'a str {
        self.text.get(self.at..).unwrap_or_default()
    }

    /// Moves on by `n` bytes.
    pub(crate) fn advance(&mut self, n: usize) {
        self.at += n;
    }

    fn byte(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    /// Skips JSON white space.
    pub(crate) fn space(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.byte() {
            self.at += 1;
        }
    }

    /// The next byte after white space, taken if it is `b`.
    pub(crate) fn eat(&mut self, b: u8) -> bool {
        self.space();
        if self.byte() == Some(b) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    /// Whether only white space is left.
    pub(crate) fn at_end(&mut self) -> bool {
        self.space();
        self.at == self.text.len()
    }

    /// A string without escapes or control characters (after white space), its content borrowed.
    pub(crate) fn string(&mut self) -> Option<&'a str> {
        if !self.eat(b'"') {
            return None;
        }
        let start = self.at;
        let bytes = self.text.as_bytes();
        loop {
            match *bytes.get(self.at)? {
                b'"' => break,
                b'\\' | 0..=0x1f => return None,
                _ => self.at += 1,
            }
        }
        let s = self.text.get(start..self.at)?;
        self.at += 1;
        Some(s)
    }

    /// `null` (after white space), taken if it is there.
    pub(crate) fn null(&mut self) -> bool {
        self.space();
        if self.rest().starts_with("null") {
            self.at += 4;
            true
        } else {
            false
        }
    }

    /// A string, or `null` (`None` inside); `None` for anything else.
    pub(crate) fn string_or_null(&mut self) -> Option<Option<&'a str>> {
        if self.null() {
            return Some(None);
        }
        self.string().map(Some)
    }

    /// A number written `-?(0|[1-9][0-9]*)(\.[0-9]+)?` (after white space), as a finite float.
    pub(crate) fn number(&mut self) -> Option<f64> {
        self.space();
        let start = self.at;
        let bytes = self.text.as_bytes();
        let digits = |at: &mut usize| {
            let from = *at;
            while bytes.get(*at).is_some_and(u8::is_ascii_digit) {
                *at += 1;
            }
            *at - from
        };
        let mut at = self.at;
        if bytes.get(at) == Some(&b'-') {
            at += 1;
        }
        let lead = bytes.get(at).copied();
        let whole = digits(&mut at);
        if whole == 0 || (whole > 1 && lead == Some(b'0')) {
            return None;
        }
        if bytes.get(at) == Some(&b'.') {
            at += 1;
            if digits(&mut at) == 0 {
                return None;
            }
        }
        // An exponent, or anything else glued on, is left to serde_json.
        if bytes
            .get(at)
            .is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'+' | b'-'))
        {
            return None;
        }
        let value: f64 = self.text.get(start..at)?.parse().ok()?;
        self.at = at;
        value.is_finite().then_some(value)
    }

    /// A number or `null` (`None` inside); `None` for anything else.
    pub(crate) fn number_or_null(&mut self) -> Option<Option<f64>> {
        if self.null() {
            return Some(None);
        }
        self.number().map(Some)
    }

    /// An array whose items `item` reads: `[`, items separated by commas, `]`.
    pub(crate) fn list(&mut self, mut item: impl FnMut(&mut Self) -> Option<()>) -> Option<()> {
        if !self.eat(b'[') {
            return None;
        }
        if self.eat(b']') {
            return Some(());
        }
        loop {
            item(self)?;
            if self.eat(b',') {
                continue;
            }
            return self.eat(b']').then_some(());
        }
    }

    /// An object whose values `field` reads, given each key (a plain string): `{`, `"key": value` separated by
    /// commas, `}`.
    pub(crate) fn object(&mut self, mut field: impl FnMut(&mut Self, &'a str) -> Option<()>) -> Option<()> {
        if !self.eat(b'{') {
            return None;
        }
        if self.eat(b'}') {
            return Some(());
        }
        loop {
            let key = self.string()?;
            if !self.eat(b':') {
                return None;
            }
            field(self, key)?;
            if self.eat(b',') {
                continue;
            }
            return self.eat(b'}').then_some(());
        }
    }
}

/// Sets `slot` to `value` if it was empty; `None` (give up) when it was set: a field written twice.
pub(crate) fn once<T>(slot: &mut Option<T>, value: T) -> Option<()> {
    match slot {
        Some(_) => None,
        None => {
            *slot = Some(value);
            Some(())
        }
    }
}

/// Whether `text` has no escape and no number with an exponent: a text of rows the hand reading must take.
#[cfg(test)]
pub(crate) fn plain(text: &str) -> bool {
    let exponent = text.as_bytes().windows(3).any(|w| {
        matches!(w, [a, b'e' | b'E', c] if a.is_ascii_digit() && (c.is_ascii_digit() || *c == b'-' || *c == b'+'))
    });
    !text.contains('\\') && !exponent
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use proptest::prelude::*;

    /// What `Cursor::number` makes of `text`, and whether it read all of it.
    fn number(text: &str) -> Option<f64> {
        let mut c = Cursor::new(text, 0);
        let v = c.number()?;
        c.at_end().then_some(v)
    }

    #[test]
    fn numbers_outside_the_plain_grammar_are_left_to_serde() {
        for text in [
            "01", "1.", ".5", "+1", "-", "1e5", "1E5", "1.5e-3", "NaN", "inf", "-inf", "0x10", "1_000",
            "--1", "",
        ] {
            assert_eq!(number(text), None, "{text:?}");
        }
        // serde_json's readings: -0 is negative zero, a long integer is rounded once.
        assert_eq!(number("-0").map(f64::to_bits), Some((-0.0f64).to_bits()));
        assert_eq!(number("-0.0").map(f64::to_bits), Some((-0.0f64).to_bits()));
        for text in [
            "0",
            "-0",
            "12345678901234567890123",
            "18446744073709551617",
            "-9223372036854775809",
            "0.1",
        ] {
            let serde: f64 = serde_json::from_str(text).unwrap();
            assert_eq!(number(text).map(f64::to_bits), Some(serde.to_bits()), "{text}");
        }
    }

    proptest! {
        /// Every number the hand reading takes, serde_json reads as the same float (to the bit).
        #[test]
        fn plain_numbers_read_as_serde_json_reads_them(
            sign in prop::bool::ANY,
            whole in prop_oneof![Just("0".to_owned()), "[1-9][0-9]{0,25}"],
            fraction in prop::option::of("[0-9]{1,25}"),
        ) {
            let text = format!("{}{whole}{}", if sign { "-" } else { "" }, fraction.map(|f| format!(".{f}")).unwrap_or_default());
            let serde: f64 = serde_json::from_str(&text).unwrap();
            prop_assert_eq!(number(&text).map(f64::to_bits), Some(serde.to_bits()), "{}", text);
        }

        /// Floats as serde_json writes them read back the same.
        #[test]
        fn written_floats_read_back(v in prop::num::f64::NORMAL | prop::num::f64::SUBNORMAL | prop::num::f64::ZERO) {
            let text = serde_json::to_string(&v).unwrap();
            let serde: f64 = serde_json::from_str(&text).unwrap();
            if let Some(hand) = number(&text) {
                prop_assert_eq!(hand.to_bits(), serde.to_bits(), "{}", text);
            } else {
                prop_assert!(text.contains('e'), "{}", text);
            }
        }
    }

    #[test]
    fn strings_with_escapes_or_control_characters_are_left_to_serde() {
        fn string(t: &str) -> Option<&str> {
            Cursor::new(t, 0).string()
        }
        assert_eq!(string(r#" "abc é" "#), Some("abc é"));
        assert_eq!(string(r#""a\"b""#), None);
        assert_eq!(string("\"a\tb\""), None);
        assert_eq!(string("\"abc"), None);
        assert_eq!(Cursor::new("nul", 0).string_or_null(), None);
        assert_eq!(Cursor::new(" null", 0).number_or_null(), Some(None));
    }

    #[test]
    fn lists_and_objects_need_their_commas_and_brackets() {
        let keys = |t: &str| {
            let mut c = Cursor::new(t, 0);
            let mut out = Vec::new();
            c.object(|c, k| {
                out.push(k.to_owned());
                c.number().map(|_| ())
            })
            .map(|()| out)
        };
        assert_eq!(keys(" { \"a\" : 1 ,\n\"b\":2 } ").unwrap(), ["a", "b"]);
        assert_eq!(keys("{}").unwrap(), Vec::<String>::new());
        for bad in ["{\"a\": 1,}", "{\"a\" 1}", "{\"a\": 1 \"b\": 2}", "{,}", "[]"] {
            assert_eq!(keys(bad), None, "{bad}");
        }
        let items = |t: &str| Cursor::new(t, 0).list(|c| c.number().map(|_| ()));
        assert!(items("[]").is_some() && items("[ 1 , 2 ]").is_some());
        assert!(items("[1,]").is_none() && items("[1 2]").is_none() && items("[,1]").is_none());
    }
}
