//! The fields of a child's record that a registry compares with what the portal holds: what a
//! «mismatch» names. The benefits registry answers with them, the portal stores and words them.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ChildField {
    LastName,
    FirstName,
    MiddleName,
    BirthDate,
}

impl ChildField {
    pub const ALL: [Self; 4] = [
        Self::LastName,
        Self::FirstName,
        Self::MiddleName,
        Self::BirthDate,
    ];

    /// The stable code: in the benefits registry's XSD and in storage.
    pub fn code(self) -> &'static str {
        match self {
            Self::LastName => "last_name",
            Self::FirstName => "first_name",
            Self::MiddleName => "middle_name",
            Self::BirthDate => "birth_date",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.code() == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_reads_back() {
        for field in ChildField::ALL {
            assert_eq!(ChildField::parse(field.code()), Some(field));
        }
        assert_eq!(ChildField::parse("issue_date"), None);
    }
}
