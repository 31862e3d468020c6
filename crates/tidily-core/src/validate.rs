//! Input validation that collects every problem, so a 422 names all bad fields at once.

use crate::{
    domain::{
        problem::{FieldProblems, Problem},
        text::{self, TextKind, TextRule},
    },
    error::{CoreError, CoreResult},
};

/// Accumulates field errors while input is checked; [`Check::finish`] turns them into a 422.
#[derive(Default)]
pub struct Check {
    errors: FieldProblems,
}

impl Check {
    pub fn new() -> Self {
        Self::default()
    }

    /// Records a problem with `field`.
    pub fn add(&mut self, field: &str, problem: Problem) {
        self.errors
            .entry(field.to_owned())
            .or_default()
            .push(problem);
    }

    /// A text field checked against its rule ([`TextKind`]): a line comes back trimmed.
    pub fn text(&mut self, field: &str, value: &str, rule: TextRule) -> String {
        let value = match rule.kind {
            TextKind::Line => value.trim(),
            TextKind::Free => value,
        };
        let max = rule.max;
        if rule.kind == TextKind::Line && value.is_empty() {
            self.add(field, Problem::Empty);
        } else if value.chars().count() > max {
            self.add(field, Problem::TooLong { max });
        } else if rule.kind == TextKind::Line && value.chars().any(char::is_control) {
            self.add(field, Problem::ControlCharacters);
        } else if value.contains('\0') {
            self.add(field, Problem::NulCharacter);
        }
        value.to_owned()
    }

    /// A new password: its length only (anything may be in it).
    pub fn password(&mut self, field: &str, value: &str) {
        let n = value.chars().count();
        if n < text::PASSWORD_MIN {
            self.add(
                field,
                Problem::TooShort {
                    min: text::PASSWORD_MIN,
                },
            );
        } else if n > text::PASSWORD_MAX {
            self.add(
                field,
                Problem::TooLong {
                    max: text::PASSWORD_MAX,
                },
            );
        }
    }

    /// A page size: `PAGE_DEFAULT` when absent, else 1 to `PAGE_MAX`.
    pub fn page_size(&mut self, field: &str, value: Option<u64>) -> u64 {
        let limit = value.unwrap_or(text::PAGE_DEFAULT);
        if !(1..=text::PAGE_MAX).contains(&limit) {
            self.add(
                field,
                Problem::OutOfRange {
                    min: 1,
                    max: text::PAGE_MAX as i64,
                },
            );
        }
        limit
    }

    /// An absolute http(s) URL of at most 2,048 characters; empty means none.
    pub fn url(&mut self, field: &str, value: &str) -> Option<String> {
        let value = value.trim();
        if value.is_empty() {
            return None;
        }
        if value.chars().count() > text::URL_MAX {
            self.add(field, Problem::TooLong { max: text::URL_MAX });
            return None;
        }
        match url::Url::parse(value) {
            Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => {
                Some(value.to_owned())
            }
            _ => {
                self.add(field, Problem::NotHttpUrl);
                None
            }
        }
    }

    /// A `#rrggbb` colour, normalised to lower case.
    pub fn color(&mut self, field: &str, value: &str) -> String {
        if !crate::domain::is_color(value) {
            self.add(field, Problem::NotAColour);
        }
        value.to_ascii_lowercase()
    }

    /// An e-mail address, lower-cased. Checked enough to catch typos; delivery is the real test.
    pub fn email(&mut self, field: &str, value: &str) -> String {
        let email = value.trim().to_lowercase();
        let valid = email.chars().count() <= text::EMAIL_MAX
            && !email.chars().any(|c| c.is_whitespace() || c.is_control())
            && email.split_once('@').is_some_and(|(local, domain)| {
                !local.is_empty()
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !domain.contains('@')
            });
        if !valid {
            self.add(field, Problem::NotAnEmail);
        }
        email
    }

    /// Whether a problem was found so far.
    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }

    /// `Ok` when nothing was found, else a 422 naming every problem.
    pub fn finish(self) -> CoreResult<()> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(CoreError::Invalid(self.errors))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collects_all_problems() {
        let mut c = Check::new();
        assert_eq!(c.text("title", "  ok  ", text::TITLE), "ok");
        c.text("name", " ", text::LABEL_NAME);
        c.url("url", "javascript:alert(1)");
        c.color("color", "red");
        c.text("memo", "a\0b", text::MEMO);
        // A memo keeps its blank lines and surrounding spaces.
        assert_eq!(c.text("memo2", " a\n\n", text::MEMO), " a\n\n");
        let Err(CoreError::Invalid(f)) = c.finish() else {
            panic!("expected validation error")
        };
        assert_eq!(
            f.keys().collect::<Vec<_>>(),
            ["color", "memo", "name", "url"]
        );
    }

    #[test]
    fn accepts_good_values() {
        let mut c = Check::new();
        assert_eq!(
            c.url("url", "https://例え.jp/東京?q=1"),
            Some("https://例え.jp/東京?q=1".into())
        );
        assert_eq!(c.color("color", "#ABCDEF"), "#abcdef");
        assert_eq!(c.url("url", ""), None);
        assert!(c.finish().is_ok());
    }
}
