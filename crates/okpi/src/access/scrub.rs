//! Free text (messages, warnings, reasons, evidence) with the ids a viewer may not see masked.

use std::collections::{HashMap, HashSet};

/// What a hidden id becomes in free text. It holds no letter, digit or `_`, so masking is idempotent.
pub const MASK: &str = "***";

/// Letters, digits and `_` make up words; an id is masked only where it stands as a whole word, so hiding `o1`
/// leaves `o10` alone.
fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Masks a set of ids in text in one pass over its words (a scan per id would not scale to large organisations).
#[derive(Debug, Clone, Default)]
pub(crate) struct Scrubber {
    /// Ids that are one word.
    words: HashSet<String>,
    /// Ids with other characters (`c1.kr1`, `a b`) that begin with a word, by that first word; longest first.
    phrases: HashMap<String, Vec<String>>,
    /// Ids that begin with a non-word character (rare): found by search, longest first.
    others: Vec<String>,
}

impl Scrubber {
    pub fn new<'s>(ids: impl IntoIterator<Item = &'s str>) -> Self {
        let mut s = Scrubber::default();
        for id in ids {
            let head: String = id.chars().take_while(|c| is_word(*c)).collect();
            if id.is_empty() {
                continue;
            } else if head.len() == id.len() {
                s.words.insert(id.to_owned());
            } else if head.is_empty() {
                s.others.push(id.to_owned());
            } else {
                s.phrases.entry(head).or_default().push(id.to_owned());
            }
        }
        let longest_first = |a: &String, b: &String| b.len().cmp(&a.len()).then_with(|| a.cmp(b));
        for list in s.phrases.values_mut() {
            list.sort_by(longest_first);
            list.dedup();
        }
        s.others.sort_by(longest_first);
        s.others.dedup();
        s
    }

    /// Whether any id is hidden at all.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty() && self.phrases.is_empty() && self.others.is_empty()
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
        let mut searched = text.to_owned();
        for id in &self.others {
            searched = mask_phrase(&searched, id);
        }
        let text = searched.as_str();
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        while let Some(rest) = text.get(at..) {
            let Some(c) = rest.chars().next() else { break };
            if !is_word(c) {
                out.push(c);
                at += c.len_utf8();
                continue;
            }
            // A word starts here, after a non-word character or the start.
            let word_len = rest.find(|c: char| !is_word(c)).unwrap_or(rest.len());
            let word = rest.get(..word_len).unwrap_or(rest);
            let phrase = self.phrases.get(word).and_then(|ids| {
                ids.iter().find(|id| {
                    rest.starts_with(id.as_str())
                        && !(id.chars().next_back().is_some_and(is_word)
                            && rest
                                .get(id.len()..)
                                .and_then(|r| r.chars().next())
                                .is_some_and(is_word))
                })
            });
            if let Some(id) = phrase {
                out.push_str(MASK);
                at += id.len();
            } else {
                out.push_str(if self.words.contains(word) { MASK } else { word });
                at += word_len;
            }
        }
        out
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
        let s = Scrubber::new(["o1", "c1.kr1", "c1.kr1.x", "ann", ".dot", "a b"]);
        assert_eq!(
            s.scrub("objective o1 (not o10) and c1.kr1, c1.kr10, c1.kr1.x; annual ann. x.dot .dot a b ab"),
            "objective *** (not o10) and ***, c1.kr10, ***; annual ***. x*** *** *** ab"
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
