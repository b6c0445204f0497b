//! The registry adapters against the simulator: over HTTP (the simulator's router on a random
//! port, in this process) and in process, on the repository's data set.

use std::sync::Arc;
use std::time::{Duration, Instant};

use registry_sim::dataset::Dataset;
use registry_sim::protocol::{
    Answer, Applicant, ApplicantTie, BirthRecord, BirthRecordQuery, Confirmed, Field,
    PassportCheck, PersonQuery, SnilsCheck, SnilsFound, SnilsSearch,
};
use registry_sim::service::{self, Behaviour};
use server::registries::http::HttpRegistries;
use server::registries::in_process::InProcessRegistries;
use server::registries::{Registries, RegistryError};
use time::macros::date;

fn dataset() -> Arc<Dataset> {
    InProcessRegistries::from_repository_data()
        .expect("registry-sim/data/people.json loads")
        .dataset()
        .clone()
}

/// The simulator with `behaviour`, and the HTTP adapter pointed at it.
async fn simulator(behaviour: Behaviour, timeout: Duration) -> Registries {
    let address = service::spawn(dataset(), behaviour).await.unwrap();
    HttpRegistries::new(&format!("http://{address}"), timeout)
        .unwrap()
        .into_registries()
}

fn petr() -> PersonQuery {
    PersonQuery {
        last_name: "Иванов".into(),
        first_name: "Петр".into(), // «ё» written as «е»
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

fn maria_search() -> SnilsSearch {
    SnilsSearch {
        person: PersonQuery {
            last_name: "Иванова".into(),
            first_name: "Мария".into(),
            middle_name: Some("Андреевна".into()),
            birth_date: date!(2019 - 07 - 21),
        },
        certificate: "II-МЮ 654321".into(),
    }
}

/// The documented people, through whichever adapter.
async fn answers_about_the_documented_people(registries: &Registries) {
    let found = registries.births.check_birth_record(&petr_record()).await;
    assert_eq!(
        found,
        Ok(Answer::Found {
            record: BirthRecord {
                issued_by: "Отдел ЗАГС Москвы № 77".into(),
                applicant: ApplicantTie::Parent,
            }
        })
    );
    // Макарова Ирина is a real adult, but not on Пётр's birth record.
    let mut stranger = petr_record();
    stranger.applicant = Applicant {
        person: PersonQuery {
            last_name: "Макарова".into(),
            first_name: "Ирина".into(),
            middle_name: Some("Кирилловна".into()),
            birth_date: date!(1993 - 09 - 01),
        },
        snils: "05146769367".into(),
    };
    assert!(matches!(
        registries.births.check_birth_record(&stranger).await,
        Ok(Answer::Found { record }) if record.applicant == ApplicantTie::NotOnRecord
    ));
    let unknown = BirthRecordQuery {
        certificate: "I-АА 000000".into(),
        ..petr_record()
    };
    assert_eq!(
        registries.births.check_birth_record(&unknown).await,
        Ok(Answer::NotFound)
    );
    let mut wrong = petr_record();
    wrong.act_record_number = "170016770009999".into();
    wrong.child.birth_date = date!(2016 - 05 - 03);
    assert_eq!(
        registries.births.check_birth_record(&wrong).await,
        Ok(Answer::Mismatch {
            fields: vec![Field::BirthDate, Field::ActRecordNumber]
        })
    );

    let petr_search = SnilsSearch {
        person: petr(),
        certificate: "vi-мю 123456".into(),
    };
    assert_eq!(
        registries.snils.find_snils(&petr_search).await,
        Ok(Answer::Found {
            record: SnilsFound {
                snils: "12345678964".into()
            }
        })
    );
    assert_eq!(
        registries.snils.find_snils(&maria_search()).await,
        Ok(Answer::NotFound)
    );
    let check = SnilsCheck {
        snils: "11223344595".into(),
        person: anna(),
    };
    assert_eq!(
        registries.snils.check_snils(&check).await,
        Ok(Answer::Found {
            record: Confirmed {}
        })
    );

    let mut passport = PassportCheck {
        passport: "4510123456".into(),
        issue_date: date!(2015 - 05 - 20),
        person: anna(),
    };
    assert_eq!(
        registries.passports.check_passport(&passport).await,
        Ok(Answer::Found {
            record: Confirmed {}
        })
    );
    passport.issue_date = date!(2010 - 05 - 20);
    assert_eq!(
        registries.passports.check_passport(&passport).await,
        Ok(Answer::Mismatch {
            fields: vec![Field::IssueDate]
        })
    );
}

#[tokio::test]
async fn registries_over_http_find_miss_and_mismatch() {
    let registries = simulator(Behaviour::default(), Duration::from_secs(5)).await;
    answers_about_the_documented_people(&registries).await;
}

#[tokio::test]
async fn registries_in_process_answer_as_over_http() {
    let registries = InProcessRegistries::from_repository_data()
        .unwrap()
        .into_registries();
    answers_about_the_documented_people(&registries).await;
}

#[tokio::test]
async fn registries_answering_503_are_unavailable() {
    let failing = Behaviour {
        error_rate: 1.0,
        ..Behaviour::default()
    };
    let registries = simulator(failing, Duration::from_secs(5)).await;
    let answer = registries.snils.find_snils(&maria_search()).await;
    assert!(
        matches!(&answer, Err(RegistryError::Unavailable(reason)) if reason.contains("unavailable")),
        "{answer:?}"
    );
}

#[tokio::test]
async fn registries_that_hang_time_out() {
    let hanging = Behaviour {
        timeout_rate: 1.0,
        hang: Duration::from_millis(2000),
        ..Behaviour::default()
    };
    let registries = simulator(hanging, Duration::from_millis(300)).await;
    let started = Instant::now();
    let answer = registries.births.check_birth_record(&petr_record()).await;
    assert_eq!(answer, Err(RegistryError::Timeout));
    assert!(started.elapsed() < Duration::from_millis(1500));
}

#[tokio::test]
async fn registries_with_nothing_listening_are_unavailable() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    let registries = HttpRegistries::new(&format!("http://{address}"), Duration::from_secs(2))
        .unwrap()
        .into_registries();
    let answer = registries
        .passports
        .check_passport(&PassportCheck {
            passport: "4510123456".into(),
            issue_date: date!(2015 - 05 - 20),
            person: anna(),
        })
        .await;
    assert!(
        matches!(answer, Err(RegistryError::Unavailable(_))),
        "{answer:?}"
    );
}
