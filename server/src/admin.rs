//! Administrator subcommands (`server admin …`), run against the configured database.

use std::time::Duration;

use app::account::registration::{RegistrationForm, validate};
use app::account::{AccountLevel, Role};
use app::activity::journal::ChainState;
use app::domain::{moscow_today, password};

use crate::accounts::sign_in::read_login;
use crate::activity::chain;
use crate::cli::{AdminCommand, Config, JobsCommand, LevelArg};
use crate::clock::{Clock, SystemClock};
use crate::db::{self, Database, accounts, activity_journal};
use crate::passwords::PasswordHasher;
use crate::startup::StartupError;
use crate::support::question_number;

pub async fn run(config: &Config, command: AdminCommand) -> Result<(), StartupError> {
    let db = Database::connect(&config.database_url).await?;
    db.migrate().await?;
    let result = match command {
        AdminCommand::SupportQuestions { limit } => support_questions(&db, limit).await,
        AdminCommand::CreateOfficer {
            last_name,
            first_name,
            middle_name,
            birth_date,
            snils,
            phone,
            email,
            admin,
        } => {
            let form = RegistrationForm {
                last_name,
                first_name,
                middle_name,
                birth_date,
                snils,
                phone,
                email,
                consent: true,
                ..RegistrationForm::default()
            };
            let role = if admin { Role::Admin } else { Role::Officer };
            create_officer(&db, form, role).await
        }
        AdminCommand::Jobs(command) => jobs(&db, command).await,
        AdminCommand::VerifyJournal { minor } => verify_journal(&db, minor).await,
        AdminCommand::ConfirmAccount { login, level } => {
            let level = match level {
                LevelArg::Simplified => AccountLevel::Simplified,
                LevelArg::Standard => AccountLevel::Standard,
                LevelArg::Confirmed => AccountLevel::Confirmed,
            };
            confirm_account(&db, &login, level).await
        }
    };
    db.close().await;
    result
}

/// Checks each journal's chain; a broken one is an error, so scripts and monitors notice.
async fn verify_journal(db: &Database, minor: Option<i64>) -> Result<(), StartupError> {
    let minors = match minor {
        Some(one) => vec![one],
        None => activity_journal::minors(db).await?,
    };
    let mut broken = Vec::new();
    for minor in minors {
        match chain::verify(&activity_journal::chain(db, minor).await?) {
            ChainState::Intact { entries } => {
                println!("minor {minor}: intact, {entries} entries");
            }
            ChainState::Broken { seq } => {
                println!("minor {minor}: BROKEN at entry {seq}");
                broken.push(minor);
            }
        }
    }
    if broken.is_empty() {
        Ok(())
    } else {
        Err(StartupError::Admin(format!(
            "activity journal broken for minors {broken:?}"
        )))
    }
}

async fn jobs(db: &Database, command: JobsCommand) -> Result<(), StartupError> {
    match command {
        JobsCommand::List { status, limit } => {
            for job in db::jobs::list(db, status, limit).await? {
                println!(
                    "{}\t{}\t{}\t{}/{}\t{}\t{}",
                    job.id,
                    job.kind,
                    job.status.as_str(),
                    job.attempts,
                    job.max_attempts,
                    app::domain::format_ru_datetime(job.run_at),
                    job.last_error
                        .unwrap_or_default()
                        .replace(['\n', '\t'], " ")
                );
            }
            Ok(())
        }
        JobsCommand::Retry { id } => {
            if db::jobs::retry_dead(db, id).await? {
                println!("job {id} queued again");
                Ok(())
            } else {
                Err(StartupError::Admin(format!(
                    "job {id} is not dead (or does not exist)"
                )))
            }
        }
    }
}

async fn support_questions(db: &Database, limit: u32) -> Result<(), StartupError> {
    for q in db::support_questions::newest(db, limit).await? {
        println!(
            "{}\t{}\t{}\t{}\t{}",
            question_number(q.id),
            app::domain::format_ru_datetime(q.created_at),
            q.snils,
            q.email,
            q.text.replace(['\n', '\t'], " ")
        );
    }
    Ok(())
}

async fn create_officer(
    db: &Database,
    mut form: RegistrationForm,
    role: Role,
) -> Result<(), StartupError> {
    let generated = password::generate(&mut rand::rng());
    form.password = generated.expose().to_owned();
    form.password_repeat = form.password.clone();
    let now = SystemClock.now();
    let registration = validate(&form, moscow_today(now)).map_err(|errors| {
        let lines: Vec<String> = errors
            .iter()
            .map(|e| format!("--{}: {}", e.field.replace('_', "-"), e.message))
            .collect();
        StartupError::Admin(lines.join("\n"))
    })?;
    let hasher = PasswordHasher::new(Some(1), Duration::from_secs(30));
    let password_hash = hasher
        .hash(registration.password.expose())
        .await
        .map_err(|e| StartupError::Admin(e.to_string()))?;
    let mut tx = db.begin().await?;
    let new_account = accounts::NewAccount {
        registration: &registration,
        password_hash: &password_hash,
        role,
        level: AccountLevel::Confirmed,
        contacts_confirmed_at: Some(now),
    };
    let id = match accounts::insert(&mut tx, new_account, now).await {
        Ok(id) => id,
        Err(e) if e.is_unique_violation() => {
            return Err(StartupError::Admin(
                "an account with this СНИЛС, phone or e-mail already exists".into(),
            ));
        }
        Err(e) => return Err(e.into()),
    };
    tx.commit().await?;
    let number = crate::db::decisions::officer_number(db, id).await?;
    println!("account {id} created ({})", role.as_str());
    if let Some(number) = number {
        println!("public officer number: {number} (shown to families as «Специалист № {number}»)");
    }
    println!(
        "password (shown once, ask the officer to change it): {}",
        generated.expose()
    );
    Ok(())
}

async fn confirm_account(
    db: &Database,
    login: &str,
    level: AccountLevel,
) -> Result<(), StartupError> {
    let readings = read_login(login);
    let found = accounts::by_login(
        db,
        readings.phone.as_deref(),
        readings.email.as_deref(),
        readings.snils.as_deref(),
    )
    .await?;
    let account = match found.as_slice() {
        [one] => one,
        [] => {
            return Err(StartupError::Admin(format!(
                "no account with login {login:?}"
            )));
        }
        _ => {
            return Err(StartupError::Admin(format!(
                "{login:?} matches several accounts (a phone of one, a СНИЛС of another): use the e-mail"
            )));
        }
    };
    accounts::set_level(db, account.id, level).await?;
    println!(
        "account {} ({} {}): {}",
        account.id,
        account.first_name,
        account.last_name,
        level.title()
    );
    Ok(())
}
