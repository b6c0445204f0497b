//! The application's questions, one per page in the GOV.UK manner, and the rules of each field.
//! The same checks run in the browser as the parent types and on the server when a page is
//! saved; an answer is stored only after it passed them, already written the one way it is shown.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::api::FieldError;
use crate::domain::Passport;
use crate::field_checks;

pub mod fields {
    pub const BIRTH_PLACE: &str = "birth_place";
    pub const PASSPORT: &str = "passport";
    pub const PASSPORT_DATE: &str = "passport_date";
    pub const PASSPORT_ISSUED_BY: &str = "passport_issued_by";
    pub const SECOND_PARENT_SNILS: &str = "second_parent_snils";
    pub const SINGLE_PARENT: &str = "single_parent";
    pub const REGISTRATION_ADDRESS: &str = "registration_address";
    pub const ACTUAL_ADDRESS: &str = "actual_address";
    pub const SAME_ADDRESS: &str = "same_address";
    pub const PHONE: &str = "phone";
    pub const EMAIL: &str = "email";
}

/// Longest place, address or issuing office accepted.
pub const MAX_TEXT_LENGTH: usize = 300;

/// The question pages, in the order they are asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Question {
    Child,
    Passport,
    Snils,
    Addresses,
    Contacts,
}

impl Question {
    pub const ALL: [Question; 5] = [
        Question::Child,
        Question::Passport,
        Question::Snils,
        Question::Addresses,
        Question::Contacts,
    ];

    /// The page's address segment: `/applications/drafts/7/passport`.
    pub fn slug(self) -> &'static str {
        match self {
            Question::Child => "child",
            Question::Passport => "passport",
            Question::Snils => "snils",
            Question::Addresses => "addresses",
            Question::Contacts => "contacts",
        }
    }

    pub fn parse(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|q| q.slug() == slug)
    }

    /// The page's heading, which is the question.
    pub fn title(self) -> &'static str {
        match self {
            Question::Child => "Сведения о ребёнке",
            Question::Passport => "Паспорт заявителя",
            Question::Snils => "СНИЛС родителей",
            Question::Addresses => "Адрес регистрации и фактического проживания",
            Question::Contacts => "Контактный телефон и электронная почта",
        }
    }

    /// «Шаг N из 5», counted from zero for the step indicator.
    pub fn index(self) -> usize {
        Self::ALL.iter().position(|q| *q == self).unwrap_or(0)
    }

    pub fn next(self) -> Option<Self> {
        Self::ALL.get(self.index() + 1).copied()
    }
}

/// «Сведения о ребёнке»: the card gives the name, birth date and certificate (confirmed by ЕГР
/// ЗАГС, so not retyped); the place of birth is asked.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ChildAnswer {
    pub birth_place: String,
}

/// «Паспорт заявителя»: series and number, date of issue, the issuing office.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PassportAnswer {
    pub number: String,
    pub issued_on: String,
    pub issued_by: String,
}

/// «СНИЛС родителей»: the applicant's comes from the account; the other parent's is asked, unless
/// the child is brought up by one parent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SnilsAnswer {
    pub second_parent: String,
    pub single_parent: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AddressesAnswer {
    pub registration: String,
    pub actual: String,
    /// «Совпадает с адресом регистрации»: `actual` is then not asked.
    pub same_as_registration: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ContactsAnswer {
    pub phone: String,
    pub email: String,
}

/// One page's answer as typed, for saving.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Answer {
    Child(ChildAnswer),
    Passport(PassportAnswer),
    Snils(SnilsAnswer),
    Addresses(AddressesAnswer),
    Contacts(ContactsAnswer),
}

impl Answer {
    pub fn question(&self) -> Question {
        match self {
            Answer::Child(_) => Question::Child,
            Answer::Passport(_) => Question::Passport,
            Answer::Snils(_) => Question::Snils,
            Answer::Addresses(_) => Question::Addresses,
            Answer::Contacts(_) => Question::Contacts,
        }
    }

    /// The answer after its page's rules, written the way it is kept and shown; every refusal
    /// of the page at once, in the page's order. `today` is Moscow's date (the passport cannot be
    /// issued in the future).
    pub fn checked(&self, today: Date) -> Result<Answer, Vec<FieldError>> {
        match self {
            Answer::Child(a) => Ok(Answer::Child(ChildAnswer {
                birth_place: check_birth_place(&a.birth_place).map_err(|e| vec![e])?,
            })),
            Answer::Passport(a) => {
                let number = check_passport(&a.number);
                let issued_on = check_passport_date(&a.issued_on, today);
                let issued_by = check_issued_by(&a.issued_by);
                match (number, issued_on, issued_by) {
                    (Ok(number), Ok(issued_on), Ok(issued_by)) => {
                        Ok(Answer::Passport(PassportAnswer {
                            number: number.to_string(),
                            issued_on: crate::domain::format_ru_date(issued_on),
                            issued_by,
                        }))
                    }
                    (a, b, c) => Err(errors([a.err(), b.err(), c.err()])),
                }
            }
            Answer::Snils(a) => {
                if a.single_parent {
                    return Ok(Answer::Snils(SnilsAnswer {
                        second_parent: String::new(),
                        single_parent: true,
                    }));
                }
                let snils = field_checks::snils(fields::SECOND_PARENT_SNILS, &a.second_parent)
                    .map_err(|e| vec![e])?;
                Ok(Answer::Snils(SnilsAnswer {
                    second_parent: snils.to_string(),
                    single_parent: false,
                }))
            }
            Answer::Addresses(a) => {
                let registration =
                    check_address(fields::REGISTRATION_ADDRESS, "регистрации", &a.registration);
                let actual = if a.same_as_registration {
                    Ok(String::new())
                } else {
                    check_address(fields::ACTUAL_ADDRESS, "фактического проживания", &a.actual)
                };
                match (registration, actual) {
                    (Ok(registration), Ok(actual)) => Ok(Answer::Addresses(AddressesAnswer {
                        registration,
                        actual,
                        same_as_registration: a.same_as_registration,
                    })),
                    (a, b) => Err(errors([a.err(), b.err()])),
                }
            }
            Answer::Contacts(a) => {
                let phone = field_checks::phone(fields::PHONE, &a.phone);
                let email = field_checks::email(fields::EMAIL, &a.email);
                match (phone, email) {
                    (Ok(phone), Ok(email)) => Ok(Answer::Contacts(ContactsAnswer {
                        phone: phone.to_string(),
                        email: email.as_str().to_owned(),
                    })),
                    (a, b) => Err(errors([a.err(), b.err()])),
                }
            }
        }
    }
}

/// What a draft holds: each page's answer once it passed its rules.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Answers {
    pub child: Option<ChildAnswer>,
    pub passport: Option<PassportAnswer>,
    pub snils: Option<SnilsAnswer>,
    pub addresses: Option<AddressesAnswer>,
    pub contacts: Option<ContactsAnswer>,
}

impl Answers {
    /// Keeps a checked answer in its page's place.
    pub fn set(&mut self, answer: Answer) {
        match answer {
            Answer::Child(a) => self.child = Some(a),
            Answer::Passport(a) => self.passport = Some(a),
            Answer::Snils(a) => self.snils = Some(a),
            Answer::Addresses(a) => self.addresses = Some(a),
            Answer::Contacts(a) => self.contacts = Some(a),
        }
    }

    pub fn has(&self, question: Question) -> bool {
        match question {
            Question::Child => self.child.is_some(),
            Question::Passport => self.passport.is_some(),
            Question::Snils => self.snils.is_some(),
            Question::Addresses => self.addresses.is_some(),
            Question::Contacts => self.contacts.is_some(),
        }
    }

    /// The first page not answered yet; `None` when the check-your-answers page is next.
    pub fn first_missing(&self) -> Option<Question> {
        Question::ALL.into_iter().find(|q| !self.has(*q))
    }

    /// Each answer again through its rules (a draft is checked once more before it is sent):
    /// the first page that no longer passes, with its refusals.
    pub fn recheck(&self, today: Date) -> Result<(), (Question, Vec<FieldError>)> {
        let answers = [
            self.child.clone().map(Answer::Child),
            self.passport.clone().map(Answer::Passport),
            self.snils.clone().map(Answer::Snils),
            self.addresses.clone().map(Answer::Addresses),
            self.contacts.clone().map(Answer::Contacts),
        ];
        for (question, answer) in Question::ALL.into_iter().zip(answers) {
            let Some(answer) = answer else {
                return Err((question, Vec::new()));
            };
            answer.checked(today).map_err(|found| (question, found))?;
        }
        Ok(())
    }
}

fn errors<const N: usize>(found: [Option<FieldError>; N]) -> Vec<FieldError> {
    found.into_iter().flatten().collect()
}

fn text(field: &str, input: &str, empty: &str, what: &str) -> Result<String, FieldError> {
    field_checks::document_text(field, input, empty, what, MAX_TEXT_LENGTH)
}

pub fn check_birth_place(input: &str) -> Result<String, FieldError> {
    text(
        fields::BIRTH_PLACE,
        input,
        "Введите место рождения, как в свидетельстве о рождении",
        "Место рождения",
    )
}

pub fn check_passport(input: &str) -> Result<Passport, FieldError> {
    crate::account::identity::check_passport(input).map_err(|mut e| {
        e.field = fields::PASSPORT.to_owned();
        e
    })
}

pub fn check_passport_date(input: &str, today: Date) -> Result<Date, FieldError> {
    crate::account::identity::check_passport_date(input, today).map_err(|mut e| {
        e.field = fields::PASSPORT_DATE.to_owned();
        e
    })
}

pub fn check_issued_by(input: &str) -> Result<String, FieldError> {
    text(
        fields::PASSPORT_ISSUED_BY,
        input,
        "Введите, кем выдан паспорт, как на его второй странице",
        "Кем выдан",
    )
}

/// A Russian postal address begins with its six-digit index: «123456, г. Москва, ул. Ленина, д. 1».
pub fn check_address(field: &str, kind: &str, input: &str) -> Result<String, FieldError> {
    let address = text(
        field,
        input,
        &format!("Введите адрес {kind}"),
        &format!("Адрес {kind}"),
    )?;
    let index: String = address.chars().take_while(char::is_ascii_digit).collect();
    let after = address[index.len()..].chars().next();
    if index.len() != 6 || !matches!(after, Some(',' | ' ')) {
        return Err(FieldError::new(
            field,
            &format!("{field}.postal_index"),
            "Начните адрес с почтового индекса — 6 цифр, например 123456, г. Москва, ул. Ленина, д. 1, кв. 2",
        ));
    }
    Ok(address)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 12 - 03);

    fn codes(answer: Answer) -> Vec<String> {
        answer
            .checked(TODAY)
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|e| e.code)
            .collect()
    }

    #[test]
    fn every_empty_field_of_a_page_is_named_at_once() {
        assert_eq!(
            codes(Answer::Passport(PassportAnswer::default())),
            ["passport.empty", "date.format", "passport_issued_by.empty"]
        );
        assert_eq!(
            codes(Answer::Addresses(AddressesAnswer::default())),
            ["registration_address.empty", "actual_address.empty"]
        );
        assert_eq!(
            codes(Answer::Contacts(ContactsAnswer::default())).len(),
            2,
            "phone and e-mail"
        );
    }

    #[test]
    fn answers_are_kept_the_way_they_are_shown() {
        let passport = Answer::Passport(PassportAnswer {
            number: "4510123456".into(),
            issued_on: "5.3.2015".into(),
            issued_by: "  ОВД   района  Арбат ".into(),
        });
        assert_eq!(
            passport.checked(TODAY).unwrap(),
            Answer::Passport(PassportAnswer {
                number: "4510 123456".into(),
                issued_on: "05.03.2015".into(),
                issued_by: "ОВД района Арбат".into(),
            })
        );
        let single = Answer::Snils(SnilsAnswer {
            second_parent: "garbage".into(),
            single_parent: true,
        });
        assert_eq!(
            single.checked(TODAY).unwrap(),
            Answer::Snils(SnilsAnswer {
                second_parent: String::new(),
                single_parent: true
            })
        );
    }

    #[test]
    fn an_address_needs_its_postal_index_and_a_passport_date_cannot_be_tomorrow() {
        let address = |text: &str| check_address(fields::REGISTRATION_ADDRESS, "регистрации", text);
        assert!(address("123456, г. Москва, ул. Ленина, д. 1").is_ok());
        assert!(address("123456 г. Москва").is_ok());
        assert_eq!(
            address("г. Москва, ул. Ленина").unwrap_err().code,
            "registration_address.postal_index"
        );
        assert_eq!(
            address("1234567, г. Москва").unwrap_err().code,
            "registration_address.postal_index"
        );
        assert_eq!(
            check_passport_date("04.12.2026", TODAY).unwrap_err().code,
            "date.future"
        );
    }

    #[test]
    fn questions_come_in_order_and_their_slugs_read_back() {
        for q in Question::ALL {
            assert_eq!(Question::parse(q.slug()), Some(q));
        }
        assert_eq!(Question::Child.next(), Some(Question::Passport));
        assert_eq!(Question::Contacts.next(), None);
    }

    fn any_answer() -> impl Strategy<Value = Answer> {
        let s = || ".{0,400}";
        prop_oneof![
            s().prop_map(|birth_place| Answer::Child(ChildAnswer { birth_place })),
            (s(), s(), s()).prop_map(|(number, issued_on, issued_by)| Answer::Passport(
                PassportAnswer {
                    number,
                    issued_on,
                    issued_by
                }
            )),
            (s(), any::<bool>()).prop_map(|(second_parent, single_parent)| Answer::Snils(
                SnilsAnswer {
                    second_parent,
                    single_parent
                }
            )),
            (s(), s(), any::<bool>()).prop_map(|(registration, actual, same_as_registration)| {
                Answer::Addresses(AddressesAnswer {
                    registration,
                    actual,
                    same_as_registration,
                })
            }),
            (s(), s()).prop_map(|(phone, email)| Answer::Contacts(ContactsAnswer { phone, email })),
        ]
    }

    proptest! {
        /// Whatever is typed: a refusal names a field of its own page, and an accepted answer is
        /// a fixed point (checking it again changes nothing), within the length caps.
        #[test]
        fn any_input_is_refused_at_its_page_or_kept_in_its_final_form(answer in any_answer()) {
            match answer.checked(TODAY) {
                Err(found) => {
                    prop_assert!(!found.is_empty());
                    for e in &found {
                        prop_assert!(!e.message.is_empty());
                        prop_assert!(e.code.contains('.'));
                    }
                }
                Ok(kept) => {
                    prop_assert_eq!(kept.question(), answer.question());
                    prop_assert_eq!(kept.checked(TODAY).unwrap(), kept.clone());
                    let json = serde_json::to_string(&kept).unwrap();
                    prop_assert!(json.chars().count() < 4 * MAX_TEXT_LENGTH);
                }
            }
        }

        #[test]
        fn a_passport_number_with_any_spacing_is_kept_as_four_and_six(digits in "[0-9]{10}", gap in " {0,3}") {
            let typed = format!("{}{gap}{}", &digits[..4], &digits[4..]);
            let kept = check_passport(&typed).unwrap().to_string();
            prop_assert_eq!(kept, format!("{} {}", &digits[..4], &digits[4..]));
        }
    }
}
