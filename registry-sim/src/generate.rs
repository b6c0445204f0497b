//! `registry-sim generate`: the documented people (README, tests) followed by generated
//! families. Deterministic: the same families and seed give the same file on any machine and any
//! day, because the generator has its own random sequence (SplitMix64, not `rand`'s, whose values
//! may change between versions) and counts ages from [`REFERENCE_DATE`], not from the clock.

use std::collections::HashSet;

use domain::Snils;
use time::macros::date;
use time::{Date, Duration, Month};

use crate::dataset::{Adult, BirthCertificate, Child, Passport, People, Sex, certificate_key};
use crate::names::{BOYS, GIRLS, MEN, REGIONS, Region, SURNAMES, WOMEN};

pub const DEFAULT_FAMILIES: usize = 50;
pub const DEFAULT_SEED: u64 = 2026;
/// Generated children are 0–17 years old on this date.
pub const REFERENCE_DATE: Date = date!(2026 - 01 - 01);

/// The people the README and the tests name: Анна Сергеевна and Андрей Викторович Ивановы and
/// their children Пётр (with a СНИЛС), Мария (without one) and Ольга (a teen, with one).
pub fn documented_people() -> People {
    let anna_snils = snils("11223344595");
    let andrey_snils = snils("22233344416");
    let zags = "Отдел ЗАГС Москвы № 77";
    People {
        adults: vec![
            Adult {
                last_name: "Иванова".into(),
                first_name: "Анна".into(),
                middle_name: Some("Сергеевна".into()),
                sex: Sex::Female,
                birth_date: date!(1990 - 04 - 12),
                snils: anna_snils,
                passport: Passport {
                    number: "4510123456".into(),
                    issue_date: date!(2015 - 05 - 20),
                    issued_by: "ГУ МВД России по г. Москве".into(),
                },
                low_income: false,
            },
            Adult {
                last_name: "Иванов".into(),
                first_name: "Андрей".into(),
                middle_name: Some("Викторович".into()),
                sex: Sex::Male,
                birth_date: date!(1988 - 06 - 17),
                snils: andrey_snils,
                passport: Passport {
                    number: "4511654321".into(),
                    issue_date: date!(2008 - 07 - 01),
                    issued_by: "ГУ МВД России по г. Москве".into(),
                },
                low_income: false,
            },
        ],
        children: vec![
            Child {
                last_name: "Иванов".into(),
                first_name: "Пётр".into(),
                middle_name: Some("Андреевич".into()),
                sex: Sex::Male,
                birth_date: date!(2016 - 03 - 05),
                snils: Some(snils("12345678964")),
                birth_certificate: BirthCertificate {
                    certificate: "VI-МЮ 123456".into(),
                    issue_date: date!(2016 - 03 - 15),
                    act_record_number: "170016770001234".into(),
                    act_record_date: date!(2016 - 03 - 15),
                    issued_by: zags.into(),
                },
                parents: vec![anna_snils, andrey_snils],
                disability: false,
                // The large-family payment: asking for it again is a conflict.
                receiving: vec!["600103".into()],
            },
            Child {
                last_name: "Иванова".into(),
                first_name: "Мария".into(),
                middle_name: Some("Андреевна".into()),
                sex: Sex::Female,
                birth_date: date!(2019 - 07 - 21),
                snils: None,
                birth_certificate: BirthCertificate {
                    certificate: "II-МЮ 654321".into(),
                    issue_date: date!(2019 - 08 - 01),
                    act_record_number: "170019770005678".into(),
                    act_record_date: date!(2019 - 08 - 01),
                    issued_by: zags.into(),
                },
                parents: vec![anna_snils, andrey_snils],
                disability: false,
                receiving: vec![],
            },
            Child {
                last_name: "Иванова".into(),
                first_name: "Ольга".into(),
                middle_name: Some("Андреевна".into()),
                sex: Sex::Female,
                birth_date: date!(2011 - 01 - 10),
                snils: Some(snils("11122233372")),
                birth_certificate: BirthCertificate {
                    certificate: "I-МЮ 111111".into(),
                    issue_date: date!(2011 - 01 - 20),
                    act_record_number: "170011770000001".into(),
                    act_record_date: date!(2011 - 01 - 20),
                    issued_by: zags.into(),
                },
                parents: vec![anna_snils, andrey_snils],
                disability: false,
                receiving: vec![],
            },
        ],
    }
}

/// The documented people, then `families` generated families.
pub fn generate(families: usize, seed: u64) -> People {
    let mut people = documented_people();
    let mut generator = Generator {
        rng: SplitMix64(seed),
        used: HashSet::new(),
    };
    // Keys that must stay unknown, and the documented ones.
    generator.used.insert("I-АА 000000".into());
    for adult in &people.adults {
        generator.used.insert(adult.snils.digits());
        generator.used.insert(adult.passport.number.clone());
    }
    for child in &people.children {
        generator.used.extend(child.snils.map(|s| s.digits()));
        generator
            .used
            .extend(certificate_key(&child.birth_certificate.certificate));
    }
    let documented = (people.adults.len(), people.children.len());
    for _ in 0..families {
        generator.family(&mut people);
    }
    benefit_facts(&mut people, documented, seed);
    people
}

/// What the benefits registry knows, drawn after the families from a stream of its own, so the
/// people themselves stay what the same seed gave before these facts existed.
fn benefit_facts(people: &mut People, (adults, children): (usize, usize), seed: u64) {
    let mut rng = SplitMix64(seed ^ 0x6265_6e65_6669_7473);
    for adult in &mut people.adults[adults..] {
        adult.low_income = rng.chance(25);
    }
    for child in &mut people.children[children..] {
        child.disability = rng.chance(3);
        if rng.chance(15) {
            let numbers = ["600101", "600103", "600104", "600105", "600106"];
            child.receiving.push((*rng.pick(&numbers)).to_owned());
        }
    }
}

struct Generator {
    rng: SplitMix64,
    /// СНИЛС, passports and certificates given out so far.
    used: HashSet<String>,
}

impl Generator {
    fn family(&mut self, people: &mut People) {
        let region = self.rng.pick(REGIONS);
        let surname = *self.rng.pick(SURNAMES);
        let has_father = self.rng.chance(80);
        let mother_surname = if has_father && self.rng.chance(85) {
            surname
        } else {
            *self.rng.pick(SURNAMES)
        };
        let mother_birth = self.day_between(date!(1978 - 01 - 01), date!(2000 - 12 - 31));
        let mother_name = *self.rng.pick(WOMEN);
        let mother_middle = self.rng.pick(MEN).2;
        let mother = self.adult(
            region,
            feminine(mother_surname),
            mother_name.into(),
            mother_middle,
            Sex::Female,
            mother_birth,
        );
        let father = has_father.then(|| {
            let (name, _, _) = *self.rng.pick(MEN);
            let birth = mother_birth + Duration::days(self.rng.range(-2200, 365));
            let middle = self.rng.pick(MEN).1;
            (
                name,
                self.adult(
                    region,
                    surname.into(),
                    name.into(),
                    middle,
                    Sex::Male,
                    birth,
                ),
            )
        });
        let children_surname = if has_father { surname } else { mother_surname };
        let paternal = match &father {
            Some((name, _)) => MEN.iter().find(|m| m.0 == *name).expect("a listed name"),
            None => self.rng.pick(MEN),
        };
        let parents: Vec<Snils> = std::iter::once(mother.snils)
            .chain(father.as_ref().map(|(_, f)| f.snils))
            .collect();
        let earliest =
            add_years(mother_birth, 19).max(add_years(REFERENCE_DATE, -18) + Duration::DAY);
        let count = match self.rng.below(100) {
            0..45 => 1,
            45..85 => 2,
            _ => 3,
        };
        let mut births: Vec<Date> = (0..count)
            .map(|_| self.day_between(earliest, REFERENCE_DATE - Duration::days(31)))
            .collect();
        births.sort();
        for birth_date in births {
            let sex = if self.rng.chance(50) {
                Sex::Male
            } else {
                Sex::Female
            };
            let (first_name, last_name, middle_name) = match sex {
                Sex::Male => (
                    *self.rng.pick(BOYS),
                    children_surname.to_owned(),
                    paternal.1,
                ),
                Sex::Female => (
                    *self.rng.pick(GIRLS),
                    feminine(children_surname),
                    paternal.2,
                ),
            };
            let snils = self.rng.chance(85).then(|| self.snils());
            let birth_certificate = self.certificate(region, birth_date);
            people.children.push(Child {
                last_name,
                first_name: first_name.into(),
                middle_name: Some(middle_name.into()),
                sex,
                birth_date,
                snils,
                birth_certificate,
                parents: parents.clone(),
                disability: false,
                receiving: vec![],
            });
        }
        people.adults.push(mother);
        people.adults.extend(father.map(|(_, f)| f));
    }

    fn adult(
        &mut self,
        region: &Region,
        last_name: String,
        first_name: String,
        middle_name: &str,
        sex: Sex,
        birth_date: Date,
    ) -> Adult {
        // Passports are replaced at 20 and at 45.
        let age = if add_years(birth_date, 45) + Duration::days(90) <= REFERENCE_DATE {
            45
        } else {
            20
        };
        let issue_date = add_years(birth_date, age) + Duration::days(self.rng.range(1, 90));
        let number = loop {
            let number = format!(
                "{}{:02}{:06}",
                region.passport_code,
                issue_date.year() % 100,
                self.rng.below(1_000_000)
            );
            if self.used.insert(number.clone()) {
                break number;
            }
        };
        Adult {
            last_name,
            first_name,
            middle_name: Some(middle_name.into()),
            sex,
            birth_date,
            snils: self.snils(),
            passport: Passport {
                number,
                issue_date,
                issued_by: region.mvd.into(),
            },
            low_income: false,
        }
    }

    fn snils(&mut self) -> Snils {
        loop {
            let first_nine = format!("{:09}", 2_000_000 + self.rng.below(197_000_000));
            let digits: Vec<u8> = first_nine.bytes().map(|b| b - b'0').collect();
            let text = format!("{first_nine}{:02}", domain::snils::checksum(&digits));
            if self.used.insert(text.clone()) {
                return snils(&text);
            }
        }
    }

    fn certificate(&mut self, region: &Region, birth_date: Date) -> BirthCertificate {
        const ROMAN: [&str; 10] = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"];
        let certificate = loop {
            let text = format!(
                "{}-{} {:06}",
                self.rng.pick(&ROMAN),
                region.certificate_letters,
                self.rng.below(1_000_000)
            );
            if self.used.insert(text.clone()) {
                break text;
            }
        };
        let issue_date = birth_date + Duration::days(self.rng.range(3, 30));
        BirthCertificate {
            certificate,
            issue_date,
            act_record_number: format!(
                "1700{:02}{}{:07}",
                issue_date.year() % 100,
                region.zags_code,
                self.rng.below(10_000_000)
            ),
            act_record_date: issue_date,
            issued_by: self.rng.pick(region.zags).to_string(),
        }
    }

    fn day_between(&mut self, first: Date, last: Date) -> Date {
        let span = (last - first).whole_days().max(0);
        first + Duration::days(self.rng.range(0, span))
    }
}

fn snils(digits: &str) -> Snils {
    Snils::parse(digits).expect("a valid СНИЛС")
}

fn feminine(surname: &str) -> String {
    format!("{surname}а")
}

/// The same day `years` later; 29 February becomes 28 February in a common year.
fn add_years(date: Date, years: i32) -> Date {
    let year = date.year() + years;
    date.replace_year(year)
        .unwrap_or_else(|_| Date::from_calendar_date(year, Month::February, 28).expect("a day"))
}

/// SplitMix64: tiny, and its sequence never changes.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// 0 ≤ n < bound (the modulo bias is negligible for the small bounds used here).
    fn below(&mut self, bound: u64) -> u64 {
        self.next() % bound
    }

    /// low ≤ n ≤ high.
    fn range(&mut self, low: i64, high: i64) -> i64 {
        low + self.below((high - low + 1) as u64) as i64
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::Dataset;
    use domain::BirthCertificateNumber;

    #[test]
    fn the_same_seed_gives_the_same_file_and_another_seed_another() {
        let a = crate::dataset::people_to_json(&generate(10, 7));
        let b = crate::dataset::people_to_json(&generate(10, 7));
        let c = crate::dataset::people_to_json(&generate(10, 8));
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn starts_with_the_documented_people() {
        let people = generate(DEFAULT_FAMILIES, DEFAULT_SEED);
        let documented = documented_people();
        assert_eq!(people.adults[..2], documented.adults[..]);
        assert_eq!(people.children[..3], documented.children[..]);
        assert!(people.adults.len() > 50 && people.children.len() > 50);
    }

    #[test]
    fn every_generated_key_is_valid_and_every_child_under_eighteen() {
        for seed in [DEFAULT_SEED, 1, 99] {
            let people = generate(DEFAULT_FAMILIES, seed);
            for child in &people.children {
                let text = &child.birth_certificate.certificate;
                let parsed = BirthCertificateNumber::parse(text).expect(text);
                assert_eq!(&parsed.to_string(), text);
                let age = domain::full_years(child.birth_date, REFERENCE_DATE);
                assert!(age <= 17 && child.birth_date < REFERENCE_DATE, "{child:?}");
                assert!(child.birth_certificate.issue_date <= REFERENCE_DATE);
                assert_eq!(child.birth_certificate.act_record_number.len(), 15);
                assert!(!child.parents.is_empty());
            }
            for snils in people
                .adults
                .iter()
                .map(|a| a.snils)
                .chain(people.children.iter().filter_map(|c| c.snils))
            {
                assert_eq!(Snils::parse(&snils.digits()), Ok(snils));
            }
            for adult in &people.adults {
                let age = domain::full_years(adult.birth_date, REFERENCE_DATE);
                assert!((18..=60).contains(&age), "{adult:?}");
                assert!(adult.passport.issue_date <= REFERENCE_DATE, "{adult:?}");
            }
            // Uniqueness of every key and the parents' links are what loading checks.
            let dataset = Dataset::new(people).unwrap();
            assert!(dataset.child_by_certificate("I-АА 000000").is_none());
        }
    }

    #[test]
    fn the_repository_file_loads_and_starts_with_the_documented_people() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/people.json");
        let dataset = Dataset::load(std::path::Path::new(path)).unwrap();
        let documented = documented_people();
        assert_eq!(dataset.adults()[..2], documented.adults[..]);
        assert_eq!(dataset.children()[..3], documented.children[..]);
        let size = std::fs::metadata(path).unwrap().len();
        assert!(size < 100_000, "{size} bytes");
    }
}
