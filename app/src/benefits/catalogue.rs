//! «Льготы»: the catalogue of family benefits, its search and its filters. The benefits are data
//! (`catalogue/benefits.json`, read by the server); this file is their shape, the words of their
//! categories, and the rules that find one.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api::ApiError;
#[cfg(feature = "ssr")]
use crate::api::ServiceError;

/// `coded! { Type { Variant => "code", … } }`: an enum whose values the data file and the
/// addresses name by a stable code, written once here; serde reads and writes that code.
macro_rules! coded {
    ($(#[$meta:meta])* $ty:ident { $($variant:ident => $code:literal),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $ty { $($variant),* }

        impl $ty {
            pub const ALL: &[Self] = &[$(Self::$variant),*];

            pub fn code(self) -> &'static str {
                match self { $(Self::$variant => $code),* }
            }

            pub fn parse(code: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|value| value.code() == code)
            }
        }

        impl Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.code())
            }
        }

        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let code = String::deserialize(deserializer)?;
                Self::parse(&code).ok_or_else(|| {
                    serde::de::Error::custom(format!("unknown {} code {code:?}", stringify!($ty)))
                })
            }
        }
    };
}

coded! {
    /// A category of the catalogue; its code is also `?kind=`.
    BenefitKind {
        Payment => "payment",
        Capital => "capital",
        Compensation => "compensation",
        InKind => "in_kind",
    }
}

impl BenefitKind {
    pub fn title(self) -> &'static str {
        match self {
            Self::Payment => "Пособия и выплаты",
            Self::Capital => "Материнский капитал",
            Self::Compensation => "Компенсации",
            Self::InKind => "Питание и услуги",
        }
    }
}

coded! {
    /// What the family must be, by the registries, to get a benefit.
    FamilyStatus {
        LargeFamily => "large_family",
        LowIncome => "low_income",
        Disability => "disability",
    }
}

impl FamilyStatus {
    pub fn title(self) -> &'static str {
        match self {
            Self::LargeFamily => "Статус многодетной семьи",
            Self::LowIncome => "Доход семьи ниже прожиточного минимума",
            Self::Disability => "Инвалидность ребёнка",
        }
    }
}

coded! {
    /// A document an application for the benefit needs.
    RequiredDocument {
        BirthCertificate => "birth_certificate",
        Passport => "passport",
        Snils => "snils",
        Residence => "residence",
        School => "school",
        Medical => "medical",
        ServiceContract => "service_contract",
        Income => "income",
        LargeFamily => "large_family",
        // Sent later, with an answer to a clarification or an appeal: a document the benefit's
        // list does not name (a certificate of income, an extract from a registry).
        Other => "other",
    }
}

impl RequiredDocument {
    /// The seed's list «Необходимые документы».
    pub fn title(self) -> &'static str {
        match self {
            Self::BirthCertificate => "Свидетельство о рождении ребёнка",
            Self::Passport => "Паспорт (или иной документ, удостоверяющий личность) заявителя",
            Self::Snils => "СНИЛС заявителя",
            Self::Residence => "Документ, подтверждающий регистрацию ребёнка по месту жительства",
            Self::School => "Справка из учебного заведения (класс, форма обучения)",
            Self::Medical => "Медицинская справка о наличии инвалидности (справка МСЭ)",
            Self::ServiceContract => "Договор с детским садом об оплате присмотра и ухода",
            Self::Income => "Сведения о доходах семьи за последние 12 месяцев",
            Self::LargeFamily => "Удостоверение многодетной семьи",
            Self::Other => "Дополнительный документ",
        }
    }
}

/// The child's age, in full years, for which the benefit is given; both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgeRange {
    pub from: u8,
    pub to: u8,
}

impl AgeRange {
    pub fn contains(self, age: u8) -> bool {
        (self.from..=self.to).contains(&age)
    }

    /// «до 1 года», «от 1 года до 8 лет», «от 3 лет до 18 лет».
    pub fn describe(self) -> String {
        // After «от» and «до» the word is in the genitive: «1 года», «21 года», but «2 лет».
        let years = |n: u8| {
            let word = if n % 10 == 1 && n % 100 != 11 {
                "года"
            } else {
                "лет"
            };
            format!("{n} {word}")
        };
        let until = years(self.to + 1);
        match self.from {
            0 => format!("до {until}"),
            from => format!("от {} до {until}", years(from)),
        }
    }
}

/// One benefit of the catalogue, as its page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Benefit {
    /// The benefit's address: `/benefits/<code>`.
    pub code: String,
    /// The service number a parent may search by.
    pub service_number: String,
    pub name: String,
    pub kind: BenefitKind,
    /// One sentence for the list.
    pub summary: String,
    pub description: String,
    pub amount: String,
    pub who_can_get: Vec<String>,
    pub requires: Option<FamilyStatus>,
    pub child_age: AgeRange,
    pub documents: Vec<RequiredDocument>,
    /// The decision is due within this many working days.
    pub decision_days: u8,
}

impl Benefit {
    /// The number of this benefit's application `id` sent at `submitted_at`: the service, the
    /// year of sending in Moscow, the serial.
    pub fn application_number(&self, submitted_at: time::OffsetDateTime, id: i64) -> String {
        super::submission::application_number(
            &self.service_number,
            submitted_at.to_offset(crate::domain::date::MOSCOW).year(),
            id,
        )
    }
}

/// Lower case, «ё» as «е», and words split at anything that is not a letter or a digit.
fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase().replace('ё', "е"))
}

/// How well a benefit answers a search: `None` when it does not. Every word typed must begin a
/// word of the name, the summary or the description; a number typed finds the service number.
/// Matches in the name rank first.
pub fn search_rank(benefit: &Benefit, query: &str) -> Option<u8> {
    let typed: Vec<String> = words(query).collect();
    if typed.is_empty() {
        return Some(2);
    }
    let digits: String = query.chars().filter(char::is_ascii_digit).collect();
    if !digits.is_empty()
        && digits.len() == query.trim().len()
        && benefit.service_number.starts_with(&digits)
    {
        return Some(0);
    }
    let name: Vec<String> = words(&benefit.name).collect();
    let text: Vec<String> = words(&benefit.summary)
        .chain(words(&benefit.description))
        .collect();
    let begins = |list: &[String], w: &str| list.iter().any(|word| word.starts_with(w));
    if typed.iter().all(|w| begins(&name, w)) {
        Some(0)
    } else if typed.iter().all(|w| begins(&name, w) || begins(&text, w)) {
        Some(1)
    } else {
        None
    }
}

/// The catalogue's filters: a category and the child's age in full years.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Filters {
    pub kind: Option<BenefitKind>,
    pub age: Option<u8>,
}

impl Filters {
    pub fn admit(self, benefit: &Benefit) -> bool {
        self.kind.is_none_or(|kind| benefit.kind == kind)
            && self.age.is_none_or(|age| benefit.child_age.contains(age))
    }
}

/// The benefits that answer the search and pass the filters, best first, in catalogue order
/// among equals.
pub fn find<'a>(benefits: &'a [Benefit], query: &str, filters: Filters) -> Vec<&'a Benefit> {
    let mut found: Vec<(u8, usize, &Benefit)> = benefits
        .iter()
        .enumerate()
        .filter(|(_, b)| filters.admit(b))
        .filter_map(|(i, b)| search_rank(b, query).map(|rank| (rank, i, b)))
        .collect();
    found.sort_by_key(|(rank, i, _)| (*rank, *i));
    found.into_iter().map(|(_, _, b)| b).collect()
}

/// The oldest age the filter takes: benefits are for children under 18.
pub const MAX_AGE: u8 = 17;

/// Reads the «Возраст ребёнка» filter: empty is no filter.
pub fn parse_age(input: &str) -> Result<Option<u8>, &'static str> {
    let input = input.trim();
    if input.is_empty() {
        return Ok(None);
    }
    match input.parse::<u8>() {
        Ok(age) if age <= MAX_AGE => Ok(Some(age)),
        _ => Err("Укажите возраст ребёнка числом полных лет от 0 до 17"),
    }
}

/// The whole catalogue, for «Льготы». Public: it holds nothing personal.
#[server(prefix = "/api", endpoint = "benefits/catalogue")]
pub async fn load_catalogue() -> Result<Vec<Benefit>, ApiError> {
    use crate::api::service;
    Ok(service::<dyn BenefitCatalogue>()?.benefits().await?)
}

/// One benefit by its code, for its page.
#[server(prefix = "/api", endpoint = "benefits/benefit")]
pub async fn load_benefit(code: String) -> Result<Benefit, ApiError> {
    use crate::api::{Refusal, service};
    let benefits = service::<dyn BenefitCatalogue>()?.benefits().await?;
    benefits
        .into_iter()
        .find(|b| b.code == code)
        .ok_or(ApiError::Refused(Refusal::NotFound))
}

/// Where the catalogue comes from (the server reads it from the repository's data file).
#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait BenefitCatalogue: Send + Sync {
    async fn benefits(&self) -> Result<Vec<Benefit>, ServiceError>;
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn benefit(code: &str, number: &str, name: &str, description: &str) -> Benefit {
        Benefit {
            code: code.to_owned(),
            service_number: number.to_owned(),
            name: name.to_owned(),
            kind: BenefitKind::Payment,
            summary: String::new(),
            description: description.to_owned(),
            amount: String::new(),
            who_can_get: vec![],
            requires: None,
            child_age: AgeRange { from: 0, to: 16 },
            documents: vec![RequiredDocument::Passport],
            decision_days: 10,
        }
    }

    #[test]
    fn a_benefit_is_found_by_name_by_description_and_by_service_number() {
        let b = benefit(
            "unified",
            "600101",
            "Единое пособие на детей",
            "Назначается на 12 месяцев, размер зависит от дохода",
        );
        assert_eq!(search_rank(&b, "пособие"), Some(0));
        assert_eq!(search_rank(&b, "ЕДИН пособ"), Some(0));
        assert_eq!(search_rank(&b, "дохода"), Some(1));
        assert_eq!(search_rank(&b, "пособие доход"), Some(1));
        assert_eq!(search_rank(&b, "600101"), Some(0));
        assert_eq!(search_rank(&b, "6001"), Some(0));
        assert_eq!(search_rank(&b, "капитал"), None);
        assert_eq!(search_rank(&b, "600999"), None);
        assert_eq!(search_rank(&b, "  "), Some(2));
    }

    #[test]
    fn yo_and_ye_are_the_same_letter_to_the_search() {
        let b = benefit(
            "refund",
            "600105",
            "Компенсация за детский сад",
            "Ребёнок посещает сад",
        );
        assert_eq!(search_rank(&b, "ребенок"), Some(1));
        assert_eq!(search_rank(&b, "ребёнок"), Some(1));
    }

    #[test]
    fn name_matches_come_before_description_matches() {
        let by_text = benefit("a", "1", "Материнский капитал", "Средства на пособие");
        let by_name = benefit("b", "2", "Единое пособие", "");
        let all = [by_text, by_name];
        let found: Vec<&str> = find(&all, "пособие", Filters::default())
            .iter()
            .map(|b| b.code.as_str())
            .collect();
        assert_eq!(found, ["b", "a"]);
    }

    #[test]
    fn filters_take_the_category_and_the_childs_age() {
        let mut school = benefit("meals", "3", "Питание", "");
        school.kind = BenefitKind::InKind;
        school.child_age = AgeRange { from: 10, to: 17 };
        let baby = benefit("baby", "4", "При рождении", "");
        let all = [school, baby];
        let codes = |f: Filters| -> Vec<String> {
            find(&all, "", f).iter().map(|b| b.code.clone()).collect()
        };
        assert_eq!(
            codes(Filters {
                kind: Some(BenefitKind::InKind),
                age: None
            }),
            ["meals"]
        );
        assert_eq!(
            codes(Filters {
                kind: None,
                age: Some(3)
            }),
            ["baby"]
        );
        assert_eq!(
            codes(Filters {
                kind: None,
                age: Some(12)
            }),
            ["meals", "baby"]
        );
        assert!(
            codes(Filters {
                kind: Some(BenefitKind::Capital),
                age: None
            })
            .is_empty()
        );
    }

    #[test]
    fn ages_read_and_refuse() {
        assert_eq!(parse_age(""), Ok(None));
        assert_eq!(parse_age(" 7 "), Ok(Some(7)));
        assert_eq!(parse_age("17"), Ok(Some(17)));
        assert!(parse_age("18").is_err());
        assert!(parse_age("-1").is_err());
        assert!(parse_age("семь").is_err());
        assert_eq!(AgeRange { from: 0, to: 0 }.describe(), "до 1 года");
        assert_eq!(AgeRange { from: 1, to: 7 }.describe(), "от 1 года до 8 лет");
        assert_eq!(
            AgeRange { from: 3, to: 17 }.describe(),
            "от 3 лет до 18 лет"
        );
        assert_eq!(AgeRange { from: 0, to: 20 }.describe(), "до 21 года");
        assert_eq!(AgeRange { from: 0, to: 16 }.describe(), "до 17 лет");
    }

    proptest! {
        #[test]
        fn any_word_of_the_name_finds_the_benefit(name in "[а-яё]{2,12}( [а-яё]{2,12}){0,4}", pick in 0usize..5) {
            let b = benefit("x", "600100", &name, "");
            let words: Vec<&str> = name.split(' ').collect();
            let word = words[pick % words.len()];
            let prefix: String = word.chars().take(2).collect();
            prop_assert_eq!(search_rank(&b, &prefix.to_uppercase()), Some(0));
        }

        #[test]
        fn the_age_filter_admits_exactly_the_range(from in 0u8..=17, len in 0u8..=17, age in 0u8..=17) {
            let range = AgeRange { from, to: from.saturating_add(len).min(17) };
            prop_assert_eq!(range.contains(age), from <= age && age <= range.to);
        }
    }
}
