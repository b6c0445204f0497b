//! What each registry answers, as pure functions of the data set and the request. The simulator's
//! HTTP handlers and the portal's in-process adapter both call these.
//!
//! Each check finds the record by its key (certificate, СНИЛС, passport); no record is
//! [`Answer::NotFound`]; a record that says something else is [`Answer::Mismatch`] with every
//! differing field, in the order of [`Field`]. Names compare trimmed, case-insensitively, with
//! «ё» = «е»; a missing middle name equals an empty one.

use domain::Snils;
use time::Date;

use crate::dataset::{Adult, Child, Dataset, Holder};
use crate::protocol::{
    Answer, Applicant, ApplicantTie, BirthRecord, BirthRecordQuery, Confirmed, Field,
    PassportCheck, PersonQuery, SnilsCheck, SnilsFound, SnilsSearch,
};

/// ЕГР ЗАГС: the birth record behind a certificate.
pub fn check_birth_record(dataset: &Dataset, query: &BirthRecordQuery) -> Answer<BirthRecord> {
    let Some(child) = dataset.child_by_certificate(&query.certificate) else {
        return Answer::NotFound;
    };
    let record = &child.birth_certificate;
    let mut fields = person_mismatches(&query.child, &Person::child(child));
    if query.issue_date != record.issue_date {
        fields.push(Field::IssueDate);
    }
    if digits_only(&query.act_record_number) != digits_only(&record.act_record_number) {
        fields.push(Field::ActRecordNumber);
    }
    if query.act_record_date != record.act_record_date {
        fields.push(Field::ActRecordDate);
    }
    answer(fields, || BirthRecord {
        issued_by: record.issued_by.clone(),
        applicant: applicant_tie(dataset, child, &query.applicant),
    })
}

/// A parent on the record: listed by СНИЛС, and that adult has the applicant's name and birth
/// date. A right СНИЛС under someone else's name is not a tie.
fn applicant_tie(dataset: &Dataset, child: &Child, applicant: &Applicant) -> ApplicantTie {
    let Ok(snils) = Snils::parse(&applicant.snils) else {
        return ApplicantTie::NotOnRecord;
    };
    let listed = child.parents.contains(&snils);
    let same_person = match dataset.holder_of(&snils) {
        Some(Holder::Adult(i)) => {
            let adult = &dataset.adults()[i];
            person_mismatches(&applicant.person, &Person::adult(adult)).is_empty()
        }
        _ => false,
    };
    if listed && same_person {
        ApplicantTie::Parent
    } else {
        ApplicantTie::NotOnRecord
    }
}

/// СФР: a child's СНИЛС by their certificate and who they are. A child without a СНИЛС is not
/// known to СФР at all: not found, whatever else the request says.
pub fn find_snils(dataset: &Dataset, query: &SnilsSearch) -> Answer<SnilsFound> {
    let Some(child) = dataset.child_by_certificate(&query.certificate) else {
        return Answer::NotFound;
    };
    let Some(snils) = child.snils else {
        return Answer::NotFound;
    };
    let fields = person_mismatches(&query.person, &Person::child(child));
    answer(fields, || SnilsFound {
        snils: snils.digits(),
    })
}

/// СФР: does this СНИЛС (an adult's or a child's) belong to this person?
pub fn check_snils(dataset: &Dataset, query: &SnilsCheck) -> Answer<Confirmed> {
    let Some(holder) = Snils::parse(&query.snils)
        .ok()
        .and_then(|snils| dataset.holder_of(&snils))
    else {
        return Answer::NotFound;
    };
    let person = match holder {
        Holder::Adult(i) => {
            let adult = &dataset.adults()[i];
            Person::adult(adult)
        }
        Holder::Child(i) => {
            let child = &dataset.children()[i];
            Person::child(child)
        }
    };
    answer(person_mismatches(&query.person, &person), || Confirmed {})
}

/// МВД: is this passport issued to this person on this date?
pub fn check_passport(dataset: &Dataset, query: &PassportCheck) -> Answer<Confirmed> {
    let Some(adult) = dataset.adult_by_passport(&query.passport) else {
        return Answer::NotFound;
    };
    let mut fields = person_mismatches(&query.person, &Person::adult(adult));
    if query.issue_date != adult.passport.issue_date {
        fields.push(Field::IssueDate);
    }
    answer(fields, || Confirmed {})
}

/// How a name is compared: trimmed, inner spaces collapsed, lower case, «ё» as «е».
pub fn normalize_name(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
        .replace('ё', "е")
}

/// A person as a record holds them.
pub(crate) struct Person<'a> {
    pub last_name: &'a str,
    pub first_name: &'a str,
    pub middle_name: Option<&'a str>,
    pub birth_date: Date,
}

impl<'a> Person<'a> {
    pub(crate) fn adult(adult: &'a Adult) -> Self {
        Self {
            last_name: &adult.last_name,
            first_name: &adult.first_name,
            middle_name: adult.middle_name.as_deref(),
            birth_date: adult.birth_date,
        }
    }

    pub(crate) fn child(child: &'a Child) -> Self {
        Self {
            last_name: &child.last_name,
            first_name: &child.first_name,
            middle_name: child.middle_name.as_deref(),
            birth_date: child.birth_date,
        }
    }
}

pub(crate) fn person_mismatches(query: &PersonQuery, record: &Person<'_>) -> Vec<Field> {
    let same = |a: &str, b: &str| normalize_name(a) == normalize_name(b);
    let mut fields = Vec::new();
    if !same(&query.last_name, record.last_name) {
        fields.push(Field::LastName);
    }
    if !same(&query.first_name, record.first_name) {
        fields.push(Field::FirstName);
    }
    if !same(
        query.middle_name.as_deref().unwrap_or(""),
        record.middle_name.unwrap_or(""),
    ) {
        fields.push(Field::MiddleName);
    }
    if query.birth_date != record.birth_date {
        fields.push(Field::BirthDate);
    }
    fields
}

fn answer<T>(fields: Vec<Field>, record: impl FnOnce() -> T) -> Answer<T> {
    if fields.is_empty() {
        Answer::Found { record: record() }
    } else {
        Answer::Mismatch { fields }
    }
}

fn digits_only(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::documented_people;
    use time::macros::date;

    fn dataset() -> Dataset {
        Dataset::new(documented_people()).unwrap()
    }

    fn petr() -> PersonQuery {
        PersonQuery {
            last_name: "Иванов".into(),
            first_name: "Пётр".into(),
            middle_name: Some("Андреевич".into()),
            birth_date: date!(2016 - 03 - 05),
        }
    }

    fn anna() -> PersonQuery {
        PersonQuery {
            last_name: "Иванова".into(),
            first_name: "Анна".into(),
            middle_name: Some("Сергеевна".into()),
            birth_date: date!(1990 - 04 - 12),
        }
    }

    fn petr_record() -> BirthRecordQuery {
        BirthRecordQuery {
            certificate: "VI-МЮ 123456".into(),
            issue_date: date!(2016 - 03 - 15),
            act_record_number: "170016770001234".into(),
            act_record_date: date!(2016 - 03 - 15),
            child: petr(),
            applicant: Applicant {
                person: anna(),
                snils: "11223344595".into(),
            },
        }
    }

    fn mismatch<T>(fields: &[Field]) -> Answer<T> {
        Answer::Mismatch {
            fields: fields.to_vec(),
        }
    }

    fn found(applicant: ApplicantTie) -> Answer<BirthRecord> {
        Answer::Found {
            record: BirthRecord {
                issued_by: "Отдел ЗАГС Москвы № 77".into(),
                applicant,
            },
        }
    }

    #[test]
    fn a_matching_birth_record_is_found_with_its_issuer_and_the_parent() {
        let answer = check_birth_record(&dataset(), &petr_record());
        assert_eq!(answer, found(ApplicantTie::Parent));
    }

    #[test]
    fn an_applicant_who_is_not_on_the_record_is_not_a_parent() {
        let dataset = dataset();
        // Another adult who knows the certificate by heart.
        let mut query = petr_record();
        query.applicant = Applicant {
            person: PersonQuery {
                last_name: "Петрова".into(),
                first_name: "Ольга".into(),
                middle_name: None,
                birth_date: date!(1985 - 02 - 01),
            },
            snils: "087-654-303 00".into(),
        };
        assert_eq!(
            check_birth_record(&dataset, &query),
            found(ApplicantTie::NotOnRecord)
        );
        // The parent's СНИЛС under another name, or the parent's name with another СНИЛС.
        let mut borrowed = petr_record();
        borrowed.applicant.person.first_name = "Ольга".into();
        assert_eq!(
            check_birth_record(&dataset, &borrowed),
            found(ApplicantTie::NotOnRecord)
        );
        let mut other_snils = petr_record();
        other_snils.applicant.snils = "087-654-303 00".into();
        assert_eq!(
            check_birth_record(&dataset, &other_snils),
            found(ApplicantTie::NotOnRecord)
        );
        // Names compare as everywhere else.
        let mut spelled = petr_record();
        spelled.applicant.person.last_name = " ИВАНОВА".into();
        assert_eq!(
            check_birth_record(&dataset, &spelled),
            found(ApplicantTie::Parent)
        );
    }

    #[test]
    fn an_unknown_or_malformed_certificate_is_not_found() {
        for certificate in ["I-АА 000000", "VI-МЮ 123457", "not a certificate"] {
            let query = BirthRecordQuery {
                certificate: certificate.into(),
                ..petr_record()
            };
            assert_eq!(check_birth_record(&dataset(), &query), Answer::NotFound);
        }
    }

    #[test]
    fn each_differing_birth_record_field_is_named() {
        let dataset = dataset();
        type Change = fn(&mut BirthRecordQuery);
        let cases: [(Change, Field); 7] = [
            (|q| q.child.last_name = "Петров".into(), Field::LastName),
            (|q| q.child.first_name = "Павел".into(), Field::FirstName),
            (|q| q.child.middle_name = None, Field::MiddleName),
            (
                |q| q.child.birth_date = date!(2016 - 03 - 06),
                Field::BirthDate,
            ),
            (|q| q.issue_date = date!(2016 - 03 - 16), Field::IssueDate),
            (
                |q| q.act_record_number = "170016770001235".into(),
                Field::ActRecordNumber,
            ),
            (
                |q| q.act_record_date = date!(2016 - 03 - 14),
                Field::ActRecordDate,
            ),
        ];
        for (change, field) in cases {
            let mut query = petr_record();
            change(&mut query);
            assert_eq!(check_birth_record(&dataset, &query), mismatch(&[field]));
        }
        let mut query = petr_record();
        query.act_record_date = date!(2000 - 01 - 01);
        query.child.first_name = "Пётр Первый".into();
        assert_eq!(
            check_birth_record(&dataset, &query),
            mismatch(&[Field::FirstName, Field::ActRecordDate])
        );
    }

    #[test]
    fn names_compare_trimmed_case_insensitively_with_yo_as_ye() {
        let mut query = petr_record();
        query.certificate = " vi мю №123456 ".into();
        query.child.last_name = "  ИВАНОВ ".into();
        query.child.first_name = "петр".into();
        query.child.middle_name = Some("андреевич".into());
        query.act_record_number = " 170016770001234 ".into();
        assert!(matches!(
            check_birth_record(&dataset(), &query),
            Answer::Found { .. }
        ));
        assert_eq!(normalize_name(" Семён  Ёлкин "), "семен елкин");
    }

    #[test]
    fn snils_search_finds_a_registered_child_only() {
        let dataset = dataset();
        let search = SnilsSearch {
            person: petr(),
            certificate: "VI-МЮ 123456".into(),
        };
        assert_eq!(
            find_snils(&dataset, &search),
            Answer::Found {
                record: SnilsFound {
                    snils: "12345678964".into()
                }
            }
        );
        let maria = SnilsSearch {
            person: PersonQuery {
                last_name: "Иванова".into(),
                first_name: "Мария".into(),
                middle_name: Some("Андреевна".into()),
                birth_date: date!(2019 - 07 - 21),
            },
            certificate: "II-МЮ 654321".into(),
        };
        assert_eq!(find_snils(&dataset, &maria), Answer::NotFound);
        let unknown = SnilsSearch {
            certificate: "I-АА 000000".into(),
            ..search.clone()
        };
        assert_eq!(find_snils(&dataset, &unknown), Answer::NotFound);
        let mut wrong = search;
        wrong.person.birth_date = date!(2016 - 03 - 04);
        assert_eq!(find_snils(&dataset, &wrong), mismatch(&[Field::BirthDate]));
    }

    #[test]
    fn snils_check_confirms_adults_and_children() {
        let dataset = dataset();
        for (snils, person) in [("112-233-445 95", anna()), ("12345678964", petr())] {
            let check = SnilsCheck {
                snils: snils.into(),
                person,
            };
            assert_eq!(
                check_snils(&dataset, &check),
                Answer::Found {
                    record: Confirmed {}
                }
            );
        }
        let mut check = SnilsCheck {
            snils: "11223344595".into(),
            person: petr(),
        };
        assert_eq!(
            check_snils(&dataset, &check),
            mismatch(&[
                Field::LastName,
                Field::FirstName,
                Field::MiddleName,
                Field::BirthDate
            ])
        );
        check.snils = "087-654-303 00".into(); // valid, nobody's
        assert_eq!(check_snils(&dataset, &check), Answer::NotFound);
        check.snils = "112-233-445 96".into(); // wrong check number
        assert_eq!(check_snils(&dataset, &check), Answer::NotFound);
    }

    #[test]
    fn passport_check_compares_person_and_issue_date() {
        let dataset = dataset();
        let mut check = PassportCheck {
            passport: "4510123456".into(),
            issue_date: date!(2015 - 05 - 20),
            person: anna(),
        };
        assert_eq!(
            check_passport(&dataset, &check),
            Answer::Found {
                record: Confirmed {}
            }
        );
        check.issue_date = date!(2015 - 05 - 21);
        check.person.middle_name = Some("Сергеевна ".into());
        check.person.last_name = "Петрова".into();
        assert_eq!(
            check_passport(&dataset, &check),
            mismatch(&[Field::LastName, Field::IssueDate])
        );
        check.passport = "4510123457".into();
        assert_eq!(check_passport(&dataset, &check), Answer::NotFound);
    }
}
