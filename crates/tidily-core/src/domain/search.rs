//! The words search sees: one tokenizer for what is indexed and for what is asked.
//!
//! Japanese has no spaces between words, and the databases' own tokenizers either keep a
//! whole sentence as one word (SQLite's `unicode61`, PostgreSQL's parser) or need three
//! characters (`trigram`, `pg_trgm`), so a two-character word such as 東京 is never found.
//! Here text is normalised (NFKC, so full- and half-width forms are one; lower case), Latin
//! and other spaced scripts are cut into words, and every run of Han, kana or Hangul becomes
//! its overlapping character pairs: 全文検索 → 全文 文検 検索. A query is cut the same way and
//! its pairs must follow each other, so 検索 matches 全文検索 and 東京 does not match 京東.
//! The last character of each run is indexed on its own as well, after the text, so a
//! one-character query (東) finds the runs it ends as well as those it starts.

use unicode_normalization::UnicodeNormalization;

/// Longer "words" (a hash, a base64 blob) are cut to this many characters.
const WORD_MAX: usize = 64;

/// Whether `c` is written without spaces between words: Han, kana, Hangul.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3005..=0x3007      // 々 〆 〇
        | 0x3041..=0x309F    // hiragana
        | 0x30A1..=0x30FF    // katakana, ー
        | 0x3400..=0x4DBF    // Han extension A
        | 0x4E00..=0x9FFF    // Han
        | 0xAC00..=0xD7AF    // Hangul syllables
        | 0xF900..=0xFAFF    // Han compatibility
        | 0x20000..=0x3FFFF  // Han extensions B-H
    )
}

/// A stretch of text between separators.
#[derive(Debug, PartialEq)]
enum Piece {
    Word(String),
    Run(Vec<char>),
}

fn pieces(text: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut run: Vec<char> = Vec::new();
    let flush_word = |word: &mut String, out: &mut Vec<Piece>| {
        if !word.is_empty() {
            out.push(Piece::Word(
                std::mem::take(word).chars().take(WORD_MAX).collect(),
            ));
        }
    };
    let flush_run = |run: &mut Vec<char>, out: &mut Vec<Piece>| {
        if !run.is_empty() {
            out.push(Piece::Run(std::mem::take(run)));
        }
    };
    for c in text.nfkc().flat_map(char::to_lowercase) {
        if is_cjk(c) {
            flush_word(&mut word, &mut out);
            run.push(c);
        } else if c.is_alphanumeric() {
            flush_run(&mut run, &mut out);
            word.push(c);
        } else {
            flush_word(&mut word, &mut out);
            flush_run(&mut run, &mut out);
        }
    }
    flush_word(&mut word, &mut out);
    flush_run(&mut run, &mut out);
    out
}

/// The tokens of a run: its pairs, or the character itself when it stands alone.
fn run_tokens(run: &[char], out: &mut Vec<String>) {
    if run.len() == 1 {
        out.push(run[0].to_string());
    } else {
        out.extend(run.windows(2).map(|w| w.iter().collect::<String>()));
    }
}

/// The tokens of a text to index, space-separated, in order (the runs' last characters at
/// the end, where they cannot come between the pairs of a phrase).
pub fn document(text: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    let mut tails = Vec::new();
    for piece in pieces(text) {
        match piece {
            Piece::Word(w) => tokens.push(w),
            Piece::Run(run) => {
                run_tokens(&run, &mut tokens);
                if run.len() > 1 {
                    tails.push(run[run.len() - 1].to_string());
                }
            }
        }
    }
    tails.sort_unstable();
    tails.dedup();
    tokens.extend(tails);
    tokens
}

/// The tokens of a text as one string, each between spaces (" 東京 京都 都 "), so that a
/// phrase is a substring of it exactly when its tokens follow each other ([`Phrase::like`]).
pub fn words(text: &str) -> String {
    let tokens = document(text);
    if tokens.is_empty() {
        return String::new();
    }
    format!(" {} ", tokens.join(" "))
}

/// One search term (what the user typed between spaces): tokens that must follow each other,
/// the last one matching as a prefix (so `rus` finds `rust`, and 東 finds 東京) unless it is
/// a character pair, which no longer token can begin with. (A prefix query costs more: the
/// index merges every word it could be, where an exact one streams.)
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phrase(pub Vec<String>);

impl Phrase {
    /// The phrase of `term`, or `None` when it has nothing searchable (only punctuation).
    pub fn of(term: &str) -> Option<Phrase> {
        let mut tokens = Vec::new();
        for piece in pieces(term) {
            match piece {
                Piece::Word(w) => tokens.push(w),
                Piece::Run(run) => run_tokens(&run, &mut tokens),
            }
        }
        (!tokens.is_empty()).then_some(Phrase(tokens))
    }

    /// Whether the last token matches as a prefix: a word, or a lone character of a run.
    fn prefix(&self) -> bool {
        let last = self.0.last().map(String::as_str).unwrap_or_default();
        !(last.chars().count() == 2 && last.chars().all(is_cjk))
    }

    /// As an FTS5 query: `"tok1 tok2"*`.
    pub fn fts5(&self) -> String {
        let star = if self.prefix() { "*" } else { "" };
        format!("\"{}\"{star}", self.0.join(" "))
    }

    /// As a `LIKE` pattern over [`words`]: `% tok1 tok2 %`, or `% tok1 tok2%` when the last
    /// token is a prefix; the same matches as the index's phrase. Tokens are letters and
    /// digits only, so they hold no `%` or `_`.
    pub fn like(&self) -> String {
        let end = if self.prefix() { "%" } else { " %" };
        format!("% {}{end}", self.0.join(" "))
    }

    /// As a PostgreSQL `to_tsquery` text: `'tok1' <-> 'tok2':*`.
    pub fn tsquery(&self) -> String {
        let last = self.0.len() - 1;
        self.0
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let quoted = format!("'{}'", t.replace('\'', "''").replace('\\', "\\\\"));
                if i == last && self.prefix() {
                    quoted + ":*"
                } else {
                    quoted
                }
            })
            .collect::<Vec<_>>()
            .join(" <-> ")
    }
}

/// The terms of a query, each a phrase; terms with nothing searchable are dropped.
pub fn query(q: &str) -> Vec<Phrase> {
    q.split_whitespace().filter_map(Phrase::of).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(s: &str) -> String {
        document(s).join(" ")
    }

    #[test]
    fn japanese_runs_become_pairs_and_words_stay_whole() {
        assert_eq!(doc("全文検索"), "全文 文検 検索 索");
        assert_eq!(doc("東京と京都"), "東京 京と と京 京都 都");
        assert_eq!(doc("Rust と SQLite"), "rust と sqlite");
        assert_eq!(doc("RustでWeb開発、2026年"), "rust で web 開発 2026 年 発");
        assert_eq!(
            doc("https://example.com/a-b?q=1"),
            "https example com a b q 1"
        );
        // Full-width and half-width forms are one.
        assert_eq!(doc("ＲＵＳＴ ｶﾀｶﾅ"), "rust カタ タカ カナ ナ");
        assert_eq!(doc("「人々」…！"), "人々 々");
    }

    #[test]
    fn queries_are_phrases_with_a_prefix_at_the_end() {
        let q = query("全文検索  rus 東 ！");
        assert_eq!(
            q,
            vec![
                Phrase(vec!["全文".into(), "文検".into(), "検索".into()]),
                Phrase(vec!["rus".into()]),
                Phrase(vec!["東".into()]),
            ]
        );
        assert_eq!(q[0].fts5(), "\"全文 文検 検索\"");
        assert_eq!(q[0].tsquery(), "'全文' <-> '文検' <-> '検索'");
        assert_eq!(q[1].fts5(), "\"rus\"*");
        assert_eq!(q[0].like(), "% 全文 文検 検索 %");
        assert_eq!(q[1].like(), "% rus%");
        assert_eq!(words("全文検索、Rust"), " 全文 文検 検索 rust 索 ");
        assert_eq!(words("、。"), "");
        assert_eq!(q[2].tsquery(), "'東':*");
        assert_eq!(Phrase::of("it's").unwrap().tsquery(), "'it' <-> 's':*");
        assert!(query("、。！").is_empty());
    }
}
