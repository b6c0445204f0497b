//! The catalogue, read from the repository's `catalogue/benefits.json` once at start and checked,
//! so a broken entry stops the server rather than reaching a parent.

use std::collections::HashSet;

use app::api::ServiceError;
use app::benefits::catalogue::{Benefit, BenefitCatalogue, MAX_AGE};

/// The catalogue this build ships with.
const SHIPPED: &str = include_str!("../../../catalogue/benefits.json");

#[derive(Debug, thiserror::Error)]
pub enum CatalogueError {
    #[error("the benefits catalogue does not parse")]
    Unreadable(#[from] serde_json::Error),
    #[error("benefit {code:?} in the catalogue: {problem}")]
    Invalid { code: String, problem: &'static str },
}

pub struct Catalogue {
    benefits: Vec<Benefit>,
}

impl Catalogue {
    /// The benefit at `/benefits/<code>`.
    pub fn find(&self, code: &str) -> Option<&Benefit> {
        self.benefits.iter().find(|b| b.code == code)
    }

    pub fn all(&self) -> &[Benefit] {
        &self.benefits
    }

    /// The benefit whose applications are numbered with this service number.
    pub fn by_service_number(&self, number: &str) -> Option<&Benefit> {
        self.benefits.iter().find(|b| b.service_number == number)
    }

    /// Every benefit as `(code, name)`, for a filter's choices.
    pub fn choices(&self) -> Vec<(String, String)> {
        self.benefits
            .iter()
            .map(|b| (b.code.clone(), b.name.clone()))
            .collect()
    }

    pub fn shipped() -> Result<Self, CatalogueError> {
        Self::from_json(SHIPPED)
    }

    pub fn from_json(json: &str) -> Result<Self, CatalogueError> {
        let benefits: Vec<Benefit> = serde_json::from_str(json)?;
        let mut codes = HashSet::new();
        let mut numbers = HashSet::new();
        for b in &benefits {
            let invalid = |problem| CatalogueError::Invalid {
                code: b.code.clone(),
                problem,
            };
            let address_safe = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-';
            if b.code.is_empty() || !b.code.chars().all(address_safe) {
                return Err(invalid(
                    "the code must be lower-case latin letters, digits and '-'",
                ));
            }
            if !codes.insert(b.code.as_str()) {
                return Err(invalid("the code is used twice"));
            }
            if b.service_number.is_empty() || !b.service_number.chars().all(|c| c.is_ascii_digit())
            {
                return Err(invalid("the service number must be digits"));
            }
            if !numbers.insert(b.service_number.as_str()) {
                return Err(invalid("the service number is used twice"));
            }
            if [&b.name, &b.summary, &b.description, &b.amount]
                .iter()
                .any(|text| text.trim().is_empty())
                || b.who_can_get.is_empty()
            {
                return Err(invalid("a text is empty"));
            }
            if b.child_age.from > b.child_age.to || b.child_age.to > MAX_AGE {
                return Err(invalid(
                    "the child's ages must run from low to high, at most 17",
                ));
            }
            if b.documents.is_empty() {
                return Err(invalid("no document is required"));
            }
            if b.decision_days == 0 {
                return Err(invalid("the decision deadline is zero days"));
            }
        }
        Ok(Self { benefits })
    }
}

#[async_trait::async_trait]
impl BenefitCatalogue for Catalogue {
    async fn benefits(&self) -> Result<Vec<Benefit>, ServiceError> {
        Ok(self.benefits.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_catalogue_is_valid_and_has_every_category() {
        let catalogue = Catalogue::shipped().expect("catalogue/benefits.json");
        assert!(catalogue.benefits.len() >= 6);
        for &kind in app::benefits::catalogue::BenefitKind::ALL {
            assert!(
                catalogue.benefits.iter().any(|b| b.kind == kind),
                "{kind:?}"
            );
        }
    }

    #[test]
    fn a_broken_entry_is_refused_with_its_code() {
        let shipped: Vec<serde_json::Value> = serde_json::from_str(SHIPPED).unwrap();
        let with = |change: &dyn Fn(&mut serde_json::Value)| {
            let mut list = shipped.clone();
            change(&mut list[1]);
            Catalogue::from_json(&serde_json::to_string(&list).unwrap())
        };
        let twice = with(&|b| b["code"] = shipped[0]["code"].clone());
        assert!(
            matches!(twice, Err(CatalogueError::Invalid { problem, .. }) if problem.contains("twice"))
        );
        let ages = with(&|b| b["child_age"] = serde_json::json!({"from": 9, "to": 3}));
        assert!(matches!(ages, Err(CatalogueError::Invalid { .. })));
        let no_documents = with(&|b| b["documents"] = serde_json::json!([]));
        assert!(matches!(no_documents, Err(CatalogueError::Invalid { .. })));
        let unknown_document = with(&|b| b["documents"] = serde_json::json!(["diploma"]));
        assert!(matches!(
            unknown_document,
            Err(CatalogueError::Unreadable(_))
        ));
        let path = with(&|b| b["code"] = serde_json::json!("../admin"));
        assert!(matches!(path, Err(CatalogueError::Invalid { .. })));
    }
}
