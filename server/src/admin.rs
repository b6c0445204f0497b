//! Administrator subcommands (`server admin …`), run against the configured database.

use crate::cli::{AdminCommand, Config};
use crate::db::{self, Database};
use crate::startup::StartupError;
use crate::support::question_number;

pub async fn run(config: &Config, command: AdminCommand) -> Result<(), StartupError> {
    let db = Database::connect(&config.database_url).await?;
    db.migrate().await?;
    match command {
        AdminCommand::SupportQuestions { limit } => {
            for q in db::support_questions::newest(&db, limit).await? {
                println!(
                    "{}\t{}\t{}\t{}\t{}",
                    question_number(q.id),
                    app::domain::format_ru_datetime(q.created_at),
                    q.snils,
                    q.email,
                    q.text.replace(['\n', '\t'], " ")
                );
            }
        }
    }
    db.close().await;
    Ok(())
}
