//! Makes text from a document safe to print on a terminal or in an error message.
//!
//! A document's titles, names, ids and CSV cells are written by someone else: printed raw they could set the window
//! title, clear the screen, write an OSC 8 link, overwrite a line with `\r` or add fake rows with `\n`. Every user
//! text printed by the CLI goes through [`term`], which shows such characters visibly escaped instead.

use std::borrow::Cow;

/// `s` with every control character (C0, DEL, C1), bidirectional override or isolate, line or paragraph separator and
/// noncharacter replaced by a visible escape (`\n`, `\r`, `\t`, `\e`, or `\u{…}`). Plain text is returned borrowed.
pub fn term(s: &str) -> Cow<'_, str> {
    if !s.chars().any(needs_escape) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if !needs_escape(c) {
            out.push(c);
            continue;
        }
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{1b}' => out.push_str("\\e"),
            _ => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
        }
    }
    Cow::Owned(out)
}

/// Whether `c` could change what a terminal shows beyond printing itself.
fn needs_escape(c: char) -> bool {
    let u = c as u32;
    c.is_control() // C0, DEL and C1
        || matches!(u, 0x200E | 0x200F | 0x061C) // directional marks
        || (0x202A..=0x202E).contains(&u) // bidi embeddings and overrides
        || (0x2066..=0x2069).contains(&u) // bidi isolates
        || matches!(u, 0x2028 | 0x2029) // line and paragraph separators
        || (0xFDD0..=0xFDEF).contains(&u)
        || (u & 0xFFFE) == 0xFFFE // noncharacters
}

#[cfg(test)]
mod tests {
    use super::term;

    #[test]
    fn plain_text_is_untouched() {
        assert_eq!(term("Grow 增长 — 80%"), "Grow 增长 — 80%");
        assert!(matches!(term("plain"), std::borrow::Cow::Borrowed(_)));
    }

    #[test]
    fn escapes_and_controls_are_shown_visibly() {
        assert_eq!(term("a\x1b]0;pwned\x07b"), "a\\e]0;pwned\\u{7}b");
        assert_eq!(term("x\r\ny\tz"), "x\\r\\ny\\tz");
        assert_eq!(term("\u{9b}2J"), "\\u{9b}2J"); // C1 CSI
        assert_eq!(term("abc\u{202e}fed"), "abc\\u{202e}fed");
        assert_eq!(term("\u{2066}x\u{2069}"), "\\u{2066}x\\u{2069}");
        assert_eq!(term("\u{ffff}\u{fffe}"), "\\u{ffff}\\u{fffe}");
        assert_eq!(term("a\u{2028}b"), "a\\u{2028}b");
    }
}
