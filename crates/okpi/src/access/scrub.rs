//! Free text (messages, warnings, reasons, evidence) with the ids a viewer may not see masked.

use std::collections::HashSet;

/// What a hidden id becomes in free text. It holds no letter, digit or `_`, so masking is idempotent.
pub const MASK: &str = "***";

/// Letters, digits and `_` make up words; an id is masked only where it stands as a whole word, so hiding `o1`
/// leaves `o10` alone.
fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Masks a set of ids in text.
#[derive(Debug, Clone, Default)]
pub(crate) struct Scrubber {
    /// Ids that are one word: found by splitting the text into words.
    words: HashSet<String>,
    /// Ids with other characters (`c1.kr1`, `a b`), longest first: found by search.
    phrases: Vec<String>,
}

impl Scrubber {
    pub fn new<'s>(ids: impl IntoIterator<Item = &'s str>) -> Self {
        let mut s = Scrubber::default();
        for id in ids {
            if id.is_empty() {
                continue;
            }
            if id.chars().all(is_word) {
                s.words.insert(id.to_owned());
            } else if !s.phrases.iter().any(|p| p == id) {
                s.phrases.push(id.to_owned());
            }
        }
        s.phrases
            .sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        s
    }

    /// Whether any id is hidden at all.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty() && self.phrases.is_empty()
    }

    /// Whether `text` names a hidden id.
    pub fn hides(&self, text: &str) -> bool {
        self.scrub(text) != text
    }

    /// `text` with every hidden id that stands as a whole word replaced by [`MASK`].
    pub fn scrub(&self, text: &str) -> String {
        if self.is_empty() {
            return text.to_owned();
        }
        let mut out = text.to_owned();
        for p in &self.phrases {
            out = mask_phrase(&out, p);
        }
        self.mask_words(&out)
    }

    fn mask_words(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut word = String::new();
        for c in text.chars() {
            if is_word(c) {
                word.push(c);
                continue;
            }
            self.flush(&mut out, &mut word);
            out.push(c);
        }
        self.flush(&mut out, &mut word);
        out
    }

    fn flush(&self, out: &mut String, word: &mut String) {
        if self.words.contains(word.as_str()) {
            out.push_str(MASK);
        } else {
            out.push_str(word);
        }
        word.clear();
    }
}

/// Replaces each occurrence of `id` that is not glued to a word character on a side where the id itself begins
/// or ends with one.
fn mask_phrase(text: &str, id: &str) -> String {
    let first_word = id.chars().next().is_some_and(is_word);
    let last_word = id.chars().next_back().is_some_and(is_word);
    let mut out = String::with_capacity(text.len());
    let mut done = 0;
    for (at, _) in text.match_indices(id) {
        if at < done {
            continue;
        }
        let end = at + id.len();
        let before = text.get(..at).and_then(|s| s.chars().next_back());
        let after = text.get(end..).and_then(|s| s.chars().next());
        let glued = (first_word && before.is_some_and(is_word)) || (last_word && after.is_some_and(is_word));
        if glued {
            continue;
        }
        out.push_str(text.get(done..at).unwrap_or_default());
        out.push_str(MASK);
        done = end;
    }
    out.push_str(text.get(done..).unwrap_or_default());
    out
}

#[cfg(test)]
mod tests {
    use super::Scrubber;

    #[test]
    fn masks_whole_words_and_phrases_only() {
        let s = Scrubber::new(["o1", "c1.kr1", "ann"]);
        assert_eq!(
            s.scrub("objective o1 (not o10) and c1.kr1, c1.kr10; annual ann."),
            "objective *** (not o10) and ***, c1.kr10; annual ***."
        );
        assert_eq!(s.scrub(&s.scrub("o1→o2")), "***→o2");
        assert!(s.hides("o1→o2") && !s.hides("o2"));
        assert_eq!(Scrubber::new([""]).scrub("x"), "x");
    }

    #[test]
    fn masks_ids_next_to_cjk_only_when_not_glued() {
        let s = Scrubber::new(["kr1"]);
        assert_eq!(s.scrub("目标 kr1 已完成"), "目标 *** 已完成");
    }
}
