//! The benefits registry (Минтруд): what it knows of a family when the portal checks whether a
//! benefit is due. Unlike the other registries it speaks SOAP 1.1 with a strict XSD
//! (`registry-sim/xsd/benefits-registry.xsd`), as the real ones do: [`soap`] writes and reads the
//! envelopes and checks each against the schema ([`schema`]).
//!
//! One question, `CheckFamily`: is this child in the register of children, under this name? Which
//! statuses does the applicant have (large family, low income, the child's disability)? Which
//! benefits does the family already receive for the child?

pub mod schema;
pub mod soap;

use domain::Snils;
use time::Date;

use crate::dataset::{Dataset, Holder};
use crate::lookup::{Person, person_mismatches};
use crate::protocol::{Field, PersonQuery};

/// `POST` here, with the SOAP envelope as the body.
pub const PATH: &str = "/mintrud/benefits";

/// The applicant, the child and the benefit, by its six-digit service number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FamilyQuery {
    pub applicant: PersonQuery,
    /// Eleven digits, no separators.
    pub applicant_snils: String,
    pub child: PersonQuery,
    /// «VI-МЮ 123456».
    pub certificate: String,
    pub service_number: String,
}

/// The child in the register of children, looked up by the certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChildRecord {
    Found,
    NotFound,
    /// The register holds these fields otherwise.
    Mismatch(Vec<ChildField>),
}

/// What the register of children compares.
pub use domain::ChildField;

/// The fields of a registry mismatch that the register of children speaks of.
fn child_field(field: Field) -> Option<ChildField> {
    match field {
        Field::LastName => Some(ChildField::LastName),
        Field::FirstName => Some(ChildField::FirstName),
        Field::MiddleName => Some(ChildField::MiddleName),
        Field::BirthDate => Some(ChildField::BirthDate),
        Field::IssueDate | Field::ActRecordNumber | Field::ActRecordDate => None,
    }
}

/// The applicant's statuses on the day of the answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Statuses {
    pub large_family: bool,
    pub low_income: bool,
    pub child_disability: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FamilyAnswer {
    pub child_record: ChildRecord,
    pub statuses: Statuses,
    /// Service numbers of the benefits the family already receives for this child.
    pub receiving: Vec<String>,
}

/// The README's example: Анна Сергеевна Иванова asks about her son Пётр. Tests on both sides of
/// the wire start from it.
pub fn example_query(service_number: &str) -> FamilyQuery {
    FamilyQuery {
        applicant: PersonQuery {
            last_name: "Иванова".into(),
            first_name: "Анна".into(),
            middle_name: Some("Сергеевна".into()),
            birth_date: time::macros::date!(1990 - 04 - 12),
        },
        applicant_snils: "11223344595".into(),
        child: PersonQuery {
            last_name: "Иванов".into(),
            first_name: "Пётр".into(),
            middle_name: Some("Андреевич".into()),
            birth_date: time::macros::date!(2016 - 03 - 05),
        },
        certificate: "VI-МЮ 123456".into(),
        service_number: service_number.into(),
    }
}

/// A family with three or more children under 18 is a large family (многодетная).
pub const LARGE_FAMILY_CHILDREN: usize = 3;

/// What the register answers. An applicant it does not know (or whose СНИЛС is someone else's)
/// has no status; a child it does not find has no disability and receives nothing.
pub fn check_family(dataset: &Dataset, query: &FamilyQuery, today: Date) -> FamilyAnswer {
    let child = dataset.child_by_certificate(&query.certificate);
    let child_record = match child {
        None => ChildRecord::NotFound,
        Some(child) => {
            let fields = person_mismatches(&query.child, &Person::child(child));
            let fields: Vec<ChildField> = fields.into_iter().filter_map(child_field).collect();
            if fields.is_empty() {
                ChildRecord::Found
            } else {
                ChildRecord::Mismatch(fields)
            }
        }
    };
    let applicant = Snils::parse(&query.applicant_snils)
        .ok()
        .and_then(|snils| match dataset.holder_of(&snils) {
            Some(Holder::Adult(i)) => Some((snils, &dataset.adults()[i])),
            _ => None,
        })
        .filter(|(_, adult)| person_mismatches(&query.applicant, &Person::adult(adult)).is_empty());
    let statuses = match applicant {
        None => Statuses::default(),
        Some((snils, adult)) => {
            let minors = dataset
                .children()
                .iter()
                .filter(|c| c.parents.contains(&snils))
                .filter(|c| domain::date::full_years(c.birth_date, today) < 18)
                .count();
            let own_child = child.filter(|c| c.parents.contains(&snils));
            Statuses {
                large_family: minors >= LARGE_FAMILY_CHILDREN,
                low_income: adult.low_income,
                child_disability: own_child.is_some_and(|c| c.disability),
            }
        }
    };
    let receiving = match (&child_record, child) {
        (ChildRecord::Found, Some(child)) => child.receiving.clone(),
        _ => Vec::new(),
    };
    FamilyAnswer {
        child_record,
        statuses,
        receiving,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::documented_people;
    use time::macros::date;

    #[test]
    fn the_documented_family_is_large_not_low_income_and_receives_one_benefit_for_petr() {
        let dataset = Dataset::new(documented_people()).unwrap();
        let answer = check_family(&dataset, &example_query("600101"), date!(2026 - 12 - 01));
        assert_eq!(answer.child_record, ChildRecord::Found);
        assert_eq!(
            answer.statuses,
            Statuses {
                large_family: true,
                low_income: false,
                child_disability: false
            }
        );
        assert_eq!(answer.receiving, ["600103"]);
    }

    #[test]
    fn a_child_grown_up_no_longer_counts_toward_a_large_family() {
        let dataset = Dataset::new(documented_people()).unwrap();
        // Ольга (2011) is 18 in 2029: two minors remain.
        let answer = check_family(&dataset, &example_query("600101"), date!(2029 - 02 - 01));
        assert!(!answer.statuses.large_family);
    }

    #[test]
    fn a_misspelt_child_is_a_mismatch_and_receives_nothing() {
        let dataset = Dataset::new(documented_people()).unwrap();
        let mut misspelt = example_query("600101");
        misspelt.child.first_name = "Павел".into();
        let answer = check_family(&dataset, &misspelt, date!(2026 - 12 - 01));
        assert_eq!(
            answer.child_record,
            ChildRecord::Mismatch(vec![ChildField::FirstName])
        );
        assert!(answer.receiving.is_empty());
        let mut unknown = example_query("600101");
        unknown.certificate = "V-МЮ 999999".into();
        let unknown = check_family(&dataset, &unknown, date!(2026 - 12 - 01));
        assert_eq!(unknown.child_record, ChildRecord::NotFound);
    }

    #[test]
    fn someone_elses_snils_carries_no_status() {
        let dataset = Dataset::new(documented_people()).unwrap();
        let mut query = example_query("600101");
        query.applicant.first_name = "Мария".into();
        let answer = check_family(&dataset, &query, date!(2026 - 12 - 01));
        assert_eq!(answer.statuses, Statuses::default());
    }
}
