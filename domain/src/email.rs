//! An e-mail address as a person types it into a form.

use std::fmt;

#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    #[error("e-mail is empty")]
    Empty,
    #[error("e-mail is not of the form name@example.ru")]
    Format,
}

const MAX_LENGTH: usize = 254;
const MAX_LOCAL_LENGTH: usize = 64;

impl Email {
    /// Deliberately permissive (the confirmation letter is the real check): one `@`, a non-empty
    /// name, a domain with a dot and no empty labels, no spaces. The domain is lower-cased.
    pub fn parse(input: &str) -> Result<Self, EmailError> {
        let input = input.trim();
        if input.is_empty() {
            return Err(EmailError::Empty);
        }
        if input.len() > MAX_LENGTH || input.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(EmailError::Format);
        }
        let (local, domain) = input.split_once('@').ok_or(EmailError::Format)?;
        let domain_ok = domain.contains('.')
            && !domain.contains('@')
            && domain
                .split('.')
                .all(|label| !label.is_empty() && !label.starts_with('-'));
        if local.is_empty() || local.len() > MAX_LOCAL_LENGTH || !domain_ok {
            return Err(EmailError::Format);
        }
        Ok(Email(format!("{local}@{}", domain.to_lowercase())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The address for comparing and storing as an account's login: wholly lower-case, as every
    /// mail service the portal's users have treats the name part case-insensitively.
    pub fn key(&self) -> String {
        self.0.to_lowercase()
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Email({})", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_ordinary_addresses_and_lowercases_the_domain() {
        assert_eq!(
            Email::parse(" Anna.Ivanova@Mail.RU ").unwrap().as_str(),
            "Anna.Ivanova@mail.ru"
        );
        for ok in ["a@b.ru", "user+tag@example.com", "иван@почта.рф"] {
            assert!(Email::parse(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn rejects_wrong_input_with_the_right_reason() {
        let cases = [
            ("", EmailError::Empty),
            ("anna", EmailError::Format),
            ("anna@", EmailError::Format),
            ("@mail.ru", EmailError::Format),
            ("anna@mail", EmailError::Format),
            ("anna@@mail.ru", EmailError::Format),
            ("anna@mail..ru", EmailError::Format),
            ("an na@mail.ru", EmailError::Format),
        ];
        for (input, expected) in cases {
            assert_eq!(Email::parse(input), Err(expected), "{input:?}");
        }
    }

    proptest! {
        #[test]
        fn parsing_never_panics(input in "\\PC{0,300}") {
            let _ = Email::parse(&input);
        }
    }
}
