//! The character rule of global search (SPEC area 12): Chinese is written without spaces
//! and a word segmenter misses single characters and words it does not know ("稀" alone,
//! a name it splits differently), so names and texts are also indexed as Chinese
//! characters and pairs of neighbouring characters (unigrams and bigrams).
//!
//! The rule, stated once: a query word written in Chinese characters (punctuation aside,
//! no Latin letters or digits) matches a record when each of its characters occurs
//! somewhere in the record's name or text; a record holding the whole word ranks above
//! one holding its characters apart. Other words match as segmented words, name
//! prefixes or codes (`app::search`).

/// Whether `c` is a Chinese character (CJK unified ideographs, their extensions and the
/// compatibility ideographs).
pub fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F | 0x30000..=0x323AF)
}

/// One character or pair of neighbouring characters of a text, where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gram {
    pub text: String,
    /// The index of its first character among all characters of the text: a pair starts
    /// where its first character stands, so a word's pairs follow each other as in the text.
    pub position: usize,
    /// Byte offsets in the text.
    pub from: usize,
    pub to: usize,
}

/// Every Chinese character of `text` and every pair of Chinese characters side by side,
/// in the order they start (a character before the pair it begins).
pub fn han_grams(text: &str) -> Vec<Gram> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let end_of = |index: usize| chars.get(index + 1).map_or(text.len(), |&(offset, _)| offset);
    let mut grams = Vec::new();
    for (position, &(from, c)) in chars.iter().enumerate() {
        if !is_han(c) {
            continue;
        }
        grams.push(Gram { text: c.to_string(), position, from, to: end_of(position) });
        if let Some(&(_, next)) = chars.get(position + 1).filter(|(_, next)| is_han(*next)) {
            grams.push(Gram { text: format!("{c}{next}"), position, from, to: end_of(position + 1) });
        }
    }
    grams
}

/// The distinct Chinese characters of a query word written in Chinese characters, in
/// order; `None` for a word with Latin letters or digits, or without any Chinese
/// character (those match by segmented words and codes only).
pub fn han_word_characters(word: &str) -> Option<Vec<char>> {
    if word.chars().any(|c| c.is_alphanumeric() && !is_han(c)) {
        return None;
    }
    let mut characters: Vec<char> = Vec::new();
    for c in word.chars().filter(|c| is_han(*c)) {
        if !characters.contains(&c) {
            characters.push(c);
        }
    }
    (!characters.is_empty()).then_some(characters)
}

/// The grams that say a text holds `word` whole: each run of Chinese characters of the
/// word as its pairs (a lone character as itself), at their positions in the word. A text
/// holds the word when it has all of them at the same distances from each other.
pub fn whole_word_grams(word: &str) -> Vec<Gram> {
    let grams = han_grams(word);
    let in_pair = |gram: &Gram| {
        grams.iter().any(|pair| {
            pair.text.chars().count() == 2 && (pair.position == gram.position || pair.position + 1 == gram.position)
        })
    };
    grams.iter().filter(|gram| gram.text.chars().count() == 2 || !in_pair(gram)).cloned().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(grams: &[Gram]) -> Vec<(&str, usize)> {
        grams.iter().map(|gram| (gram.text.as_str(), gram.position)).collect()
    }

    #[test]
    fn chinese_characters_are_told_from_the_rest() {
        assert!(is_han('稀') && is_han('𠀋') && is_han('兀'));
        assert!(!is_han('a') && !is_han('5') && !is_han('、') && !is_han('，') && !is_han(' ') && !is_han('Ａ'));
    }

    #[test]
    fn texts_give_their_characters_and_neighbouring_pairs() {
        let grams = han_grams("稀土A永磁、铜");
        assert_eq!(
            texts(&grams),
            [("稀", 0), ("稀土", 0), ("土", 1), ("永", 3), ("永磁", 3), ("磁", 4), ("铜", 6)],
            "no pair across a letter or punctuation; positions count every character"
        );
        let pair = &grams[1];
        assert_eq!(&"稀土A永磁、铜"[pair.from..pair.to], "稀土");
        assert_eq!(&"稀土A永磁、铜"[grams[6].from..grams[6].to], "铜");
        assert!(han_grams("ABB 601212").is_empty());
    }

    #[test]
    fn only_words_in_chinese_characters_match_by_characters() {
        assert_eq!(han_word_characters("稀土"), Some(vec!['稀', '土']));
        assert_eq!(han_word_characters("稀"), Some(vec!['稀']));
        assert_eq!(han_word_characters("土土"), Some(vec!['土']), "each character once");
        assert_eq!(han_word_characters("稀、土"), Some(vec!['稀', '土']), "punctuation aside");
        assert_eq!(han_word_characters("5千吨"), None);
        assert_eq!(han_word_characters("ABB机器人"), None);
        assert_eq!(han_word_characters("、"), None);
    }

    #[test]
    fn a_whole_word_is_its_pairs_in_order() {
        assert_eq!(texts(&whole_word_grams("稀")), [("稀", 0)]);
        assert_eq!(texts(&whole_word_grams("稀土")), [("稀土", 0)]);
        assert_eq!(texts(&whole_word_grams("稀土永磁")), [("稀土", 0), ("土永", 1), ("永磁", 2)]);
        assert_eq!(texts(&whole_word_grams("稀、土永")), [("稀", 0), ("土永", 2)]);
    }
}
