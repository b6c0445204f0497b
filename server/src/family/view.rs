//! Stored children as the pages show them.

use app::child_account::AccountBlock;
use app::domain::{DocumentStatus, Inn, Snils, format_ru_date};
use app::family::child_form::{BirthCountry, ChildForm, OWN_SNILS_AGE};
use app::family::{ChildDetails, ChildSummary, Detail, DocumentState, FamilyOverview};
use sha2::{Digest, Sha256};

use crate::db::children::StoredChild;

pub fn full_name(c: &StoredChild) -> String {
    app::domain::full_name(&c.last_name, &c.first_name, c.middle_name.as_deref())
}

pub fn summary(c: &StoredChild) -> ChildSummary {
    ChildSummary {
        id: c.id,
        full_name: full_name(c),
        birth_date: format_ru_date(c.birth_date),
        certificate: DocumentState {
            status: c.certificate_status,
            problem: c.certificate_problem.clone(),
            confirmed_number: (c.certificate_status == DocumentStatus::Confirmed)
                .then(|| c.certificate_number.clone()),
        },
        snils: DocumentState {
            status: c.snils_status,
            problem: c.snils_problem.clone(),
            confirmed_number: c
                .snils
                .as_deref()
                .filter(|_| c.snils_status == DocumentStatus::Confirmed)
                .map(snils_text),
        },
        russian_certificate: c.birth_country == BirthCountry::Russia,
    }
}

/// The block «Дети» with a version that changes whenever any child in it does (added, removed,
/// edited or checked) or a consent request arrives or is decided: a digest of every child's id
/// and version and the number of waiting requests.
pub fn overview(children: &[StoredChild], pending_consents: u32) -> FamilyOverview {
    let mut digest = Sha256::new();
    for c in children {
        digest.update(c.id.to_le_bytes());
        digest.update(c.version.to_le_bytes());
    }
    digest.update(pending_consents.to_le_bytes());
    let version: String = digest.finalize()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    FamilyOverview {
        version,
        children: children.iter().map(summary).collect(),
        pending_consents,
    }
}

/// «123-456-789 64».
fn snils_text(digits: &str) -> String {
    Snils::parse(digits)
        .map(|s| s.to_string())
        .unwrap_or_else(|_| digits.to_owned())
}

fn detail(label: &str, value: impl Into<String>) -> Detail {
    Detail {
        label: label.to_owned(),
        value: value.into(),
    }
}

fn date_text(date: Option<time::Date>) -> String {
    date.map(format_ru_date).unwrap_or_default()
}

pub fn details(
    c: &StoredChild,
    today: time::Date,
    account: AccountBlock,
    benefits: Vec<app::family::ActiveBenefit>,
) -> ChildDetails {
    let mut personal = vec![
        detail("Фамилия", &c.last_name),
        detail("Имя", &c.first_name),
    ];
    if let Some(middle) = &c.middle_name {
        personal.push(detail("Отчество", middle));
    }
    personal.push(detail("Пол", c.sex.label()));
    personal.push(detail("Дата рождения", format_ru_date(c.birth_date)));
    personal.push(detail("Страна рождения", c.birth_country.label()));
    personal.push(detail(
        "Кем вы приходитесь ребёнку",
        match c.relation {
            app::domain::Relation::Parent => "Родитель",
            app::domain::Relation::Guardian => "Опекун или попечитель",
        },
    ));

    let mut certificate = vec![
        detail("Серия и номер", &c.certificate_number),
        detail("Дата выдачи", format_ru_date(c.certificate_date)),
    ];
    if let Some(number) = &c.act_record_number {
        certificate.push(detail("Номер актовой записи", number));
    }
    if c.act_record_date.is_some() {
        certificate.push(detail("Дата актовой записи", date_text(c.act_record_date)));
    }
    certificate.push(detail("Кем выдано свидетельство", &c.certificate_issued_by));

    let mut other = Vec::new();
    if let Some(oms) = &c.oms_policy {
        other.push(detail("Полис ОМС", oms));
    }
    if let Some(inn) = &c.inn {
        other.push(detail("ИНН", inn));
    }
    if let Some(number) = &c.paternity_number {
        other.push(detail(
            "Свидетельство об отцовстве",
            format!("{number}, выдано {}", date_text(c.paternity_date)),
        ));
    }
    if let Some(number) = &c.name_change_number {
        other.push(detail(
            "Свидетельство о перемене имени",
            format!("{number}, выдано {}", date_text(c.name_change_date)),
        ));
    }
    if let Some(title) = &c.parental_rights_title {
        other.push(detail(
            "Документ о родительских правах на ребёнка",
            format!("{title}, выдан {}", date_text(c.parental_rights_date)),
        ));
    }
    ChildDetails {
        summary: summary(c),
        personal,
        certificate,
        other_documents: other,
        account,
        form: form(c, today),
        benefits,
    }
}

/// The form as saved, for «Редактировать». The СНИЛС is a field of the form only from 14; a
/// younger child's СНИЛС comes from СФР and stays on the card.
fn form(c: &StoredChild, today: time::Date) -> ChildForm {
    let typed_snils = app::domain::full_years(c.birth_date, today) >= OWN_SNILS_AGE;
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    ChildForm {
        last_name: c.last_name.clone(),
        first_name: c.first_name.clone(),
        middle_name: text(&c.middle_name),
        sex: c.sex.as_str().to_owned(),
        birth_date: format_ru_date(c.birth_date),
        birth_country: c.birth_country.as_str().to_owned(),
        certificate: c.certificate_number.clone(),
        certificate_date: format_ru_date(c.certificate_date),
        act_record_number: text(&c.act_record_number),
        act_record_date: date_text(c.act_record_date),
        issued_by: c.certificate_issued_by.clone(),
        snils: c.snils.clone().filter(|_| typed_snils).unwrap_or_default(),
        oms_policy: text(&c.oms_policy),
        inn: c
            .inn
            .as_deref()
            .and_then(|i| Inn::parse(i).ok())
            .map(|i| i.digits())
            .unwrap_or_default(),
        paternity: text(&c.paternity_number),
        paternity_date: date_text(c.paternity_date),
        name_change: text(&c.name_change_number),
        name_change_date: date_text(c.name_change_date),
        parental_rights: text(&c.parental_rights_title),
        parental_rights_date: date_text(c.parental_rights_date),
        relation: c.relation.as_str().to_owned(),
    }
}
