//! «Добавление информации о ребёнке»: the form's rules, shared by the browser (checks as the
//! parent types) and the server (the same checks before anything is written).

use serde::{Deserialize, Serialize};
use time::Date;

use crate::api::FieldError;
use crate::domain::{
    BirthCertificateNumber, Inn, OmsPolicy, PersonName, Relation, Snils, full_years, parse_ru_date,
};
use crate::{field_checks, messages};

/// Field ids: the input ids on the page and the `field` of each [`FieldError`].
pub mod fields {
    pub const LAST_NAME: &str = "last_name";
    pub const FIRST_NAME: &str = "first_name";
    pub const MIDDLE_NAME: &str = "middle_name";
    pub const SEX: &str = "sex";
    pub const RELATION: &str = "relation";
    pub const BIRTH_DATE: &str = "birth_date";
    pub const BIRTH_COUNTRY: &str = "birth_country";
    pub const CERTIFICATE: &str = "certificate";
    pub const CERTIFICATE_DATE: &str = "certificate_date";
    pub const ACT_RECORD_NUMBER: &str = "act_record_number";
    pub const ACT_RECORD_DATE: &str = "act_record_date";
    pub const ISSUED_BY: &str = "issued_by";
    pub const SNILS: &str = "snils";
    pub const OMS_POLICY: &str = "oms_policy";
    pub const INN: &str = "inn";
    pub const PATERNITY: &str = "paternity";
    pub const PATERNITY_DATE: &str = "paternity_date";
    pub const NAME_CHANGE: &str = "name_change";
    pub const NAME_CHANGE_DATE: &str = "name_change_date";
    pub const PARENTAL_RIGHTS: &str = "parental_rights";
    pub const PARENTAL_RIGHTS_DATE: &str = "parental_rights_date";
}

/// A child is a child until 18; the СНИЛС is typed by hand from 14 (younger: СФР finds it).
pub const ADULT_AGE: u32 = 18;
pub const OWN_SNILS_AGE: u32 = 14;
const MAX_TEXT: usize = 300;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    Male,
    Female,
}

impl Sex {
    pub fn as_str(self) -> &'static str {
        match self {
            Sex::Male => "male",
            Sex::Female => "female",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "male" => Some(Sex::Male),
            "female" => Some(Sex::Female),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Sex::Male => "Мужской",
            Sex::Female => "Женский",
        }
    }
}

/// «Страна рождения»: only a Russian certificate is checked in ЕГР ЗАГС and lets the parent
/// create the child's account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BirthCountry {
    Russia,
    Other,
}

impl BirthCountry {
    pub fn as_str(self) -> &'static str {
        match self {
            BirthCountry::Russia => "russia",
            BirthCountry::Other => "other",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "russia" => Some(BirthCountry::Russia),
            "other" => Some(BirthCountry::Other),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            BirthCountry::Russia => "Россия",
            BirthCountry::Other => "Другая",
        }
    }
}

/// Why a child with a foreign certificate cannot get a Gosuslugi account from the parent's cabinet.
pub const FOREIGN_CERTIFICATE_REASON: &str = "Учётную запись на портале госуслуг можно создать \
    только для детей с российским свидетельством о рождении. С иностранным свидетельством \
    обратитесь в центр обслуживания с паспортом, свидетельством о рождении ребёнка и его СНИЛС";

/// What the parent typed. Missing fields read as empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ChildForm {
    pub last_name: String,
    pub first_name: String,
    pub middle_name: String,
    /// "male" | "female" | "" (not chosen).
    pub sex: String,
    pub birth_date: String,
    /// "russia" | "other" | "".
    pub birth_country: String,
    pub certificate: String,
    pub certificate_date: String,
    pub act_record_number: String,
    pub act_record_date: String,
    pub issued_by: String,
    pub snils: String,
    pub oms_policy: String,
    pub inn: String,
    pub paternity: String,
    pub paternity_date: String,
    pub name_change: String,
    pub name_change_date: String,
    pub parental_rights: String,
    pub parental_rights_date: String,
    /// «Кем вы приходитесь ребёнку»: "parent" | "guardian"; empty reads as a parent.
    pub relation: String,
}

/// The birth certificate: a Russian one has the ЗАГС form's series and an act record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BirthCertificate {
    Russian {
        number: BirthCertificateNumber,
        issue_date: Date,
        act_record_number: String,
        act_record_date: Date,
        issued_by: String,
    },
    Foreign {
        number: String,
        issue_date: Date,
        issued_by: String,
    },
}

impl BirthCertificate {
    pub fn country(&self) -> BirthCountry {
        match self {
            BirthCertificate::Russian { .. } => BirthCountry::Russia,
            BirthCertificate::Foreign { .. } => BirthCountry::Other,
        }
    }
}

/// A ЗАГС certificate beside the birth one (об отцовстве, о перемене имени).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZagsCertificate {
    pub number: BirthCertificateNumber,
    pub issue_date: Date,
}

/// «Документ о родительских правах на ребёнка»: its name and number as written, and date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParentalRightsDocument {
    pub title: String,
    pub issue_date: Date,
}

/// A child's data that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewChild {
    pub last_name: PersonName,
    pub first_name: PersonName,
    pub middle_name: Option<PersonName>,
    pub sex: Sex,
    pub birth_date: Date,
    pub certificate: BirthCertificate,
    /// Typed by hand (14+ only); otherwise СФР finds it.
    pub snils: Option<Snils>,
    pub oms_policy: Option<OmsPolicy>,
    pub inn: Option<Inn>,
    pub paternity: Option<ZagsCertificate>,
    pub name_change: Option<ZagsCertificate>,
    pub parental_rights: Option<ParentalRightsDocument>,
    /// A guardian creates the child's account in a service centre, not on the portal.
    pub relation: Relation,
}

fn invalid(field: &str, code: &str, message: &str) -> FieldError {
    FieldError::new(field, code, message)
}

fn blank(input: &str) -> bool {
    input.trim().is_empty()
}

/// A date field's refusal; an empty one names the date it asks for.
fn date_refusal(field: &str, err: crate::domain::DateError) -> FieldError {
    let missing = match field {
        fields::BIRTH_DATE => "Введите дату рождения ребёнка",
        fields::ACT_RECORD_DATE => "Введите дату актовой записи",
        _ => "Введите дату выдачи",
    };
    match err {
        crate::domain::DateError::Empty => invalid(field, "date.empty", missing),
        other => invalid(field, "date.format", messages::date_error(other)),
    }
}

pub fn check_birth_date(input: &str, today: Date) -> Result<Date, FieldError> {
    let field = fields::BIRTH_DATE;
    let date = parse_ru_date(input).map_err(|e| date_refusal(field, e))?;
    if date > today {
        return Err(invalid(
            field,
            "birth_date.future",
            "Дата рождения не может быть позже сегодняшнего дня",
        ));
    }
    if full_years(date, today) >= ADULT_AGE {
        return Err(invalid(
            field,
            "birth_date.adult",
            "Ребёнку уже исполнилось 18 лет — добавить можно только несовершеннолетнего ребёнка",
        ));
    }
    Ok(date)
}

/// A document's date: a real date, not before the birth and not in the future.
fn check_document_date(
    field: &str,
    input: &str,
    birth: Option<Date>,
    today: Date,
) -> Result<Date, FieldError> {
    let date = parse_ru_date(input).map_err(|e| date_refusal(field, e))?;
    if date > today {
        return Err(invalid(
            field,
            "date.future",
            "Дата не может быть позже сегодняшнего дня",
        ));
    }
    if birth.is_some_and(|birth| date < birth) {
        return Err(invalid(
            field,
            "date.before_birth",
            "Дата не может быть раньше даты рождения ребёнка",
        ));
    }
    Ok(date)
}

pub fn check_certificate_date(
    input: &str,
    birth: Option<Date>,
    today: Date,
) -> Result<Date, FieldError> {
    check_document_date(fields::CERTIFICATE_DATE, input, birth, today)
}

/// The act record is made when the birth is registered: not after the certificate was issued.
pub fn check_act_record_date(
    input: &str,
    birth: Option<Date>,
    issued: Option<Date>,
    today: Date,
) -> Result<Date, FieldError> {
    let date = check_document_date(fields::ACT_RECORD_DATE, input, birth, today)?;
    if issued.is_some_and(|issued| date > issued) {
        return Err(invalid(
            fields::ACT_RECORD_DATE,
            "act_record_date.after_issue",
            "Дата актовой записи не может быть позже даты выдачи свидетельства",
        ));
    }
    Ok(date)
}

pub fn check_russian_certificate(input: &str) -> Result<BirthCertificateNumber, FieldError> {
    BirthCertificateNumber::parse(input).map_err(|e| {
        invalid(
            fields::CERTIFICATE,
            messages::certificate_code(e),
            messages::certificate_error(e),
        )
    })
}

/// A foreign certificate is taken as written.
pub fn check_foreign_certificate(input: &str) -> Result<String, FieldError> {
    let text = input.trim();
    if text.is_empty() {
        return Err(invalid(
            fields::CERTIFICATE,
            "certificate.empty",
            "Введите серию и номер свидетельства",
        ));
    }
    if text.chars().count() > 40 {
        return Err(invalid(
            fields::CERTIFICATE,
            "certificate.too_long",
            "Не больше 40 символов",
        ));
    }
    Ok(text.to_owned())
}

/// «Номер актовой записи»: digits only, as printed (e.g. 001 or 170016770001234).
pub fn check_act_record_number(input: &str) -> Result<String, FieldError> {
    let text: String = input.trim().chars().filter(|c| *c != ' ').collect();
    let field = fields::ACT_RECORD_NUMBER;
    if text.is_empty() {
        return Err(invalid(
            field,
            "act_record_number.empty",
            "Введите номер актовой записи",
        ));
    }
    if text.len() > 22 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid(
            field,
            "act_record_number.format",
            "Номер актовой записи — только цифры, как в свидетельстве, например 170016770001234",
        ));
    }
    Ok(text)
}

pub fn check_issued_by(input: &str) -> Result<String, FieldError> {
    let text = input.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() {
        return Err(invalid(
            fields::ISSUED_BY,
            "issued_by.empty",
            "Укажите, кем выдано свидетельство — точно как в документе",
        ));
    }
    if text.chars().count() > MAX_TEXT {
        return Err(invalid(
            fields::ISSUED_BY,
            "issued_by.too_long",
            "Не больше 300 символов",
        ));
    }
    Ok(text)
}

/// Empty for a child under 14 (СФР finds it); for 14+ optional, checked when typed.
pub fn check_snils(
    input: &str,
    birth: Option<Date>,
    today: Date,
) -> Result<Option<Snils>, FieldError> {
    if blank(input) {
        return Ok(None);
    }
    if birth.is_some_and(|birth| full_years(birth, today) < OWN_SNILS_AGE) {
        return Err(invalid(
            fields::SNILS,
            "snils.too_young",
            "СНИЛС ребёнка младше 14 лет найдём в СФР автоматически — оставьте поле пустым",
        ));
    }
    field_checks::snils(fields::SNILS, input).map(Some)
}

pub fn check_oms_policy(input: &str) -> Result<Option<OmsPolicy>, FieldError> {
    if blank(input) {
        return Ok(None);
    }
    OmsPolicy::parse(input).map(Some).map_err(|_| {
        invalid(
            fields::OMS_POLICY,
            "oms_policy.format",
            "Номер полиса ОМС — 16 цифр",
        )
    })
}

pub fn check_inn(input: &str) -> Result<Option<Inn>, FieldError> {
    if blank(input) {
        return Ok(None);
    }
    Inn::parse(input)
        .map(Some)
        .map_err(|e| invalid(fields::INN, messages::inn_code(e), messages::inn_error(e)))
}

/// An optional ЗАГС certificate: both number and date, or neither.
fn check_zags_certificate(
    (number_field, number): (&str, &str),
    (date_field, date): (&str, &str),
    birth: Option<Date>,
    today: Date,
) -> (
    Result<Option<BirthCertificateNumber>, FieldError>,
    Result<Option<Date>, FieldError>,
) {
    if blank(number) && blank(date) {
        return (Ok(None), Ok(None));
    }
    let number = if blank(number) {
        Err(invalid(
            number_field,
            "certificate.empty",
            "Введите серию и номер свидетельства или очистите дату",
        ))
    } else {
        BirthCertificateNumber::parse(number)
            .map(Some)
            .map_err(|e| {
                invalid(
                    number_field,
                    messages::certificate_code(e),
                    messages::certificate_error(e),
                )
            })
    };
    let date = check_document_date(date_field, date, birth, today).map(Some);
    (number, date)
}

fn check_parental_rights(
    title: &str,
    date: &str,
    birth: Option<Date>,
    today: Date,
) -> (
    Result<Option<String>, FieldError>,
    Result<Option<Date>, FieldError>,
) {
    if blank(title) && blank(date) {
        return (Ok(None), Ok(None));
    }
    let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
    let title = if title.is_empty() {
        Err(invalid(
            fields::PARENTAL_RIGHTS,
            "parental_rights.empty",
            "Укажите название и номер документа или очистите дату",
        ))
    } else if title.chars().count() > MAX_TEXT {
        Err(invalid(
            fields::PARENTAL_RIGHTS,
            "parental_rights.too_long",
            "Не больше 300 символов",
        ))
    } else {
        Ok(Some(title))
    };
    let date = check_document_date(fields::PARENTAL_RIGHTS_DATE, date, birth, today).map(Some);
    (title, date)
}

fn pair<T>(
    number: Option<BirthCertificateNumber>,
    date: Option<Date>,
    make: impl Fn(BirthCertificateNumber, Date) -> T,
) -> Option<T> {
    number.zip(date).map(|(n, d)| make(n, d))
}

/// Refusals gathered while checking every field, so all are shown at once.
struct Collected(Vec<FieldError>);

impl Collected {
    fn keep<T>(&mut self, result: Result<T, FieldError>) -> Option<T> {
        result.map_err(|e| self.0.push(e)).ok()
    }
}

/// Every refusal at once, in the order of the form; `today` is the parent's date.
pub fn validate(form: &ChildForm, today: Date) -> Result<NewChild, Vec<FieldError>> {
    let mut errors = Collected(Vec::new());
    let last_name = errors.keep(field_checks::person_name(
        fields::LAST_NAME,
        "фамилию",
        &form.last_name,
    ));
    let first_name = errors.keep(field_checks::person_name(
        fields::FIRST_NAME,
        "имя",
        &form.first_name,
    ));
    let middle_name = errors.keep(if blank(&form.middle_name) {
        Ok(None)
    } else {
        field_checks::person_name(fields::MIDDLE_NAME, "отчество", &form.middle_name).map(Some)
    });
    let sex = errors.keep(
        Sex::parse(&form.sex)
            .ok_or_else(|| invalid(fields::SEX, "sex.missing", "Укажите пол ребёнка")),
    );
    let birth_date = errors.keep(check_birth_date(&form.birth_date, today));
    let relation = errors.keep(if blank(&form.relation) {
        Ok(Relation::Parent)
    } else {
        Relation::parse(&form.relation).ok_or_else(|| {
            invalid(
                fields::RELATION,
                "relation.unknown",
                "Укажите, кем вы приходитесь ребёнку",
            )
        })
    });
    let country = errors.keep(BirthCountry::parse(&form.birth_country).ok_or_else(|| {
        invalid(
            fields::BIRTH_COUNTRY,
            "birth_country.missing",
            "Укажите страну рождения",
        )
    }));
    let certificate = match country {
        Some(BirthCountry::Other) => {
            let number = errors.keep(check_foreign_certificate(&form.certificate));
            let issue_date = errors.keep(check_certificate_date(
                &form.certificate_date,
                birth_date,
                today,
            ));
            let issued_by = errors.keep(check_issued_by(&form.issued_by));
            match (number, issue_date, issued_by) {
                (Some(number), Some(issue_date), Some(issued_by)) => {
                    Some(BirthCertificate::Foreign {
                        number,
                        issue_date,
                        issued_by,
                    })
                }
                _ => None,
            }
        }
        _ => {
            let number = errors.keep(check_russian_certificate(&form.certificate));
            let issue_date = errors.keep(check_certificate_date(
                &form.certificate_date,
                birth_date,
                today,
            ));
            let act_number = errors.keep(check_act_record_number(&form.act_record_number));
            let act_date = errors.keep(check_act_record_date(
                &form.act_record_date,
                birth_date,
                issue_date,
                today,
            ));
            let issued_by = errors.keep(check_issued_by(&form.issued_by));
            match (number, issue_date, act_number, act_date, issued_by) {
                (
                    Some(number),
                    Some(issue_date),
                    Some(act_record_number),
                    Some(act_record_date),
                    Some(issued_by),
                ) => Some(BirthCertificate::Russian {
                    number,
                    issue_date,
                    act_record_number,
                    act_record_date,
                    issued_by,
                }),
                _ => None,
            }
        }
    };
    let snils = errors.keep(check_snils(&form.snils, birth_date, today));
    let oms_policy = errors.keep(check_oms_policy(&form.oms_policy));
    let inn = errors.keep(check_inn(&form.inn));
    let (paternity_number, paternity_date) = check_zags_certificate(
        (fields::PATERNITY, &form.paternity),
        (fields::PATERNITY_DATE, &form.paternity_date),
        birth_date,
        today,
    );
    let (paternity_number, paternity_date) =
        (errors.keep(paternity_number), errors.keep(paternity_date));
    let (name_change_number, name_change_date) = check_zags_certificate(
        (fields::NAME_CHANGE, &form.name_change),
        (fields::NAME_CHANGE_DATE, &form.name_change_date),
        birth_date,
        today,
    );
    let (name_change_number, name_change_date) = (
        errors.keep(name_change_number),
        errors.keep(name_change_date),
    );
    let (rights_title, rights_date) = check_parental_rights(
        &form.parental_rights,
        &form.parental_rights_date,
        birth_date,
        today,
    );
    let (rights_title, rights_date) = (errors.keep(rights_title), errors.keep(rights_date));

    if !errors.0.is_empty() {
        return Err(errors.0);
    }
    // Every `keep` above returned Some when there are no errors.
    let missing = || {
        vec![invalid(
            fields::LAST_NAME,
            "form.incomplete",
            "Проверьте поля формы",
        )]
    };
    Ok(NewChild {
        last_name: last_name.ok_or_else(missing)?,
        first_name: first_name.ok_or_else(missing)?,
        middle_name: middle_name.ok_or_else(missing)?,
        sex: sex.ok_or_else(missing)?,
        relation: relation.ok_or_else(missing)?,
        birth_date: birth_date.ok_or_else(missing)?,
        certificate: certificate.ok_or_else(missing)?,
        snils: snils.ok_or_else(missing)?,
        oms_policy: oms_policy.ok_or_else(missing)?,
        inn: inn.ok_or_else(missing)?,
        paternity: pair(
            paternity_number.flatten(),
            paternity_date.flatten(),
            |number, issue_date| ZagsCertificate { number, issue_date },
        ),
        name_change: pair(
            name_change_number.flatten(),
            name_change_date.flatten(),
            |number, issue_date| ZagsCertificate { number, issue_date },
        ),
        parental_rights: rights_title
            .flatten()
            .zip(rights_date.flatten())
            .map(|(title, issue_date)| ParentalRightsDocument { title, issue_date }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 11 - 25);

    pub(crate) fn peter() -> ChildForm {
        ChildForm {
            last_name: "Иванов".into(),
            first_name: "Пётр".into(),
            middle_name: "Андреевич".into(),
            sex: "male".into(),
            birth_date: "05.03.2016".into(),
            birth_country: "russia".into(),
            certificate: "VI-МЮ 123456".into(),
            certificate_date: "15.03.2016".into(),
            act_record_number: "170016770001234".into(),
            act_record_date: "15.03.2016".into(),
            issued_by: "Отдел ЗАГС Москвы № 77".into(),
            ..ChildForm::default()
        }
    }

    fn codes(form: &ChildForm) -> Vec<(String, String)> {
        validate(form, TODAY)
            .unwrap_err()
            .into_iter()
            .map(|e| (e.field, e.code))
            .collect()
    }

    #[test]
    fn accepts_the_seed_example() {
        let child = validate(&peter(), TODAY).unwrap();
        assert_eq!(child.certificate.country(), BirthCountry::Russia);
        assert_eq!(child.snils, None);
    }

    #[test]
    fn an_empty_form_names_every_required_field_in_order() {
        let fields: Vec<_> = codes(&ChildForm::default())
            .into_iter()
            .map(|(f, _)| f)
            .collect();
        assert_eq!(
            fields,
            [
                "last_name",
                "first_name",
                "sex",
                "birth_date",
                "birth_country",
                "certificate",
                "certificate_date",
                "act_record_number",
                "act_record_date",
                "issued_by"
            ]
        );
    }

    #[test]
    fn refuses_adults_and_the_unborn() {
        let adult = ChildForm {
            birth_date: "25.11.2008".into(),
            ..peter()
        };
        assert!(codes(&adult).contains(&("birth_date".into(), "birth_date.adult".into())));
        let unborn = ChildForm {
            birth_date: "26.11.2026".into(),
            ..peter()
        };
        assert!(codes(&unborn).contains(&("birth_date".into(), "birth_date.future".into())));
        assert!(check_birth_date("26.11.2008", TODAY).is_ok());
    }

    #[test]
    fn certificate_dates_follow_the_birth() {
        let early = ChildForm {
            certificate_date: "01.03.2016".into(),
            ..peter()
        };
        assert!(codes(&early).contains(&("certificate_date".into(), "date.before_birth".into())));
        let late_act = ChildForm {
            act_record_date: "16.03.2016".into(),
            ..peter()
        };
        assert!(codes(&late_act).contains(&(
            "act_record_date".into(),
            "act_record_date.after_issue".into()
        )));
        let bad = ChildForm {
            act_record_date: "2016.03.15".into(),
            ..peter()
        };
        assert!(codes(&bad).contains(&("act_record_date".into(), "date.format".into())));
    }

    #[test]
    fn certificate_number_and_act_record_formats() {
        let roman = ChildForm {
            certificate: "XJ-МЮ 123456".into(),
            ..peter()
        };
        assert_eq!(
            codes(&roman),
            [("certificate".into(), "certificate.roman".into())]
        );
        let act = ChildForm {
            act_record_number: "17A".into(),
            ..peter()
        };
        assert_eq!(
            codes(&act),
            [(
                "act_record_number".into(),
                "act_record_number.format".into()
            )]
        );
    }

    #[test]
    fn snils_by_hand_only_from_fourteen_and_with_a_valid_checksum() {
        let young = ChildForm {
            snils: "112-233-445 95".into(),
            ..peter()
        };
        assert_eq!(codes(&young), [("snils".into(), "snils.too_young".into())]);
        let teen = ChildForm {
            birth_date: "01.01.2011".into(),
            certificate_date: "10.01.2011".into(),
            act_record_date: "10.01.2011".into(),
            snils: "112-233-445 96".into(),
            ..peter()
        };
        assert_eq!(codes(&teen), [("snils".into(), "snils.checksum".into())]);
        let teen = ChildForm {
            snils: "112-233-445 95".into(),
            ..teen
        };
        assert!(validate(&teen, TODAY).unwrap().snils.is_some());
    }

    #[test]
    fn optional_documents_are_checked_when_given() {
        let form = ChildForm {
            inn: "500100732258".into(),
            oms_policy: "123".into(),
            paternity: "I-МЮ 111111".into(),
            ..peter()
        };
        let found = codes(&form);
        assert!(
            found.contains(&("inn".into(), "inn.checksum".into())),
            "{found:?}"
        );
        assert!(found.contains(&("oms_policy".into(), "oms_policy.format".into())));
        assert!(
            found.contains(&("paternity_date".into(), "date.empty".into()))
                || found.contains(&("paternity_date".into(), "date.format".into())),
            "{found:?}"
        );
    }

    #[test]
    fn a_foreign_certificate_needs_no_act_record() {
        let form = ChildForm {
            birth_country: "other".into(),
            certificate: "A 1234567".into(),
            act_record_number: String::new(),
            act_record_date: String::new(),
            ..peter()
        };
        let child = validate(&form, TODAY).unwrap();
        assert_eq!(child.certificate.country(), BirthCountry::Other);
    }
}
