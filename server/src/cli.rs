//! Configuration from flags and environment variables (`server --help` lists them all).

use std::net::SocketAddr;

use clap::{Args, Parser, Subcommand, ValueEnum};

use app::operations::JobStatus;

use crate::outbox::push::Vapid;
use crate::receipts::ReceiptSigner;
use crate::secret_box::SecretBox;

#[derive(Debug, Parser)]
#[command(
    name = "server",
    version,
    about = "Портал «Семья и дети»: веб-сервер и команды администратора"
)]
pub struct Cli {
    #[command(flatten)]
    pub config: Config,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// Apply migrations and serve the portal (the default).
    Serve,
    /// Apply database migrations and exit.
    Migrate,
    /// Administrator commands.
    #[command(subcommand)]
    Admin(AdminCommand),
}

#[derive(Debug, Clone, Subcommand)]
pub enum AdminCommand {
    /// Print the newest questions sent to support, newest first.
    SupportQuestions {
        #[arg(long, default_value_t = 20)]
        limit: u32,
    },
    /// Create an officer (or administrator) account with confirmed contacts; prints a generated
    /// password once.
    CreateOfficer {
        #[arg(long)]
        last_name: String,
        #[arg(long)]
        first_name: String,
        #[arg(long, default_value = "")]
        middle_name: String,
        /// ДД.ММ.ГГГГ
        #[arg(long)]
        birth_date: String,
        #[arg(long)]
        snils: String,
        #[arg(long)]
        phone: String,
        #[arg(long)]
        email: String,
        /// An administrator rather than an officer.
        #[arg(long)]
        admin: bool,
    },
    /// Verify the hash chain of «Журнал активности»: every minor's, or one (`--minor ID`). Prints
    /// one line per journal and exits with an error when any chain is broken.
    VerifyJournal {
        #[arg(long)]
        minor: Option<i64>,
    },
    /// The job queue: list jobs, retry a dead one.
    #[command(subcommand)]
    Jobs(JobsCommand),
    /// Raise (or set) an account's level, found by phone, e-mail or СНИЛС — for demos and tests
    /// until identity checks arrive.
    ConfirmAccount {
        login: String,
        #[arg(long, value_enum, default_value = "confirmed")]
        level: LevelArg,
    },
}

#[derive(Debug, Clone, Subcommand)]
pub enum JobsCommand {
    /// Newest jobs first, optionally in one status (queued, running, done, dead).
    List {
        #[arg(long, value_parser = job_status)]
        status: Option<JobStatus>,
        #[arg(long, default_value_t = 50)]
        limit: i64,
    },
    /// Put a dead job back in the queue with its attempts reset.
    Retry { id: i64 },
}

fn job_status(code: &str) -> Result<JobStatus, String> {
    JobStatus::parse(code).ok_or_else(|| {
        let codes: Vec<&str> = JobStatus::ALL.iter().map(|s| s.as_str()).collect();
        format!("one of {}", codes.join(", "))
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LevelArg {
    Simplified,
    Standard,
    Confirmed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Mode {
    /// Development: extra diagnostics; the run command's default.
    #[value(alias = "DEV", alias = "development")]
    Dev,
    /// Production.
    #[value(alias = "PROD", alias = "production")]
    Prod,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

/// The variable names that start with `LEPTOS_` are the ones cargo-leptos sets, so `cargo leptos
/// watch` and a plain run of the binary read the same settings.
#[derive(Debug, Clone, Args)]
pub struct Config {
    /// `sqlite://path/to/file.db` (created if missing) or `postgres://user@host/db`.
    #[arg(long, env = "DATABASE_URL", default_value = "sqlite://data/portal.db")]
    pub database_url: String,
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, env = "LEPTOS_SITE_ADDR", default_value = "127.0.0.1:3000")]
    pub addr: SocketAddr,
    /// Directory with the built site (the `pkg/` bundle and public files).
    #[arg(long, env = "LEPTOS_SITE_ROOT", default_value = "target/site")]
    pub site_root: String,
    #[arg(long, env = "LEPTOS_SITE_PKG_DIR", default_value = "pkg")]
    pub site_pkg_dir: String,
    /// Base name of the WASM, JS and CSS bundle files.
    #[arg(long, env = "LEPTOS_OUTPUT_NAME", default_value = "portal")]
    pub output_name: String,
    /// Bundle file names carry a content hash (read from hash.txt beside the binary), so they are
    /// served with a one-year immutable cache lifetime.
    #[arg(long, env = "LEPTOS_HASH_FILES", default_value_t = true, action = clap::ArgAction::Set)]
    pub hash_files: bool,
    #[arg(
        long,
        env = "LEPTOS_ENV",
        value_enum,
        default_value = "prod",
        ignore_case = true
    )]
    pub mode: Mode,
    /// Port of cargo-leptos' live-reload socket, allowed by the CSP in watch mode only.
    #[arg(long, env = "LEPTOS_RELOAD_PORT", default_value_t = 3001)]
    pub reload_port: u32,
    /// Largest request body accepted, in bytes. Every form of the portal is a few kilobytes
    /// (the longest, «Задать вопрос», well under 32 KiB even percent-encoded), so anything larger
    /// is refused before it is read.
    #[arg(long, env = "MAX_BODY_BYTES", default_value_t = 64 * 1024)]
    pub max_body_bytes: usize,
    #[arg(long, env = "LOG_FORMAT", value_enum, default_value = "text")]
    pub log_format: LogFormat,
    /// The portal's address as users reach it, for links in e-mails (default: http:// and the
    /// listening address). An https:// address also makes the session cookie `Secure`.
    #[arg(long, env = "PUBLIC_URL")]
    pub public_url: Option<String>,
    /// How many proxies in front of the server append to `X-Forwarded-For`; the client's address
    /// is the entry that many places from the right (0: the peer address, the header ignored).
    #[arg(long, env = "TRUSTED_PROXY_HOPS", default_value_t = 0)]
    pub trusted_proxy_hops: usize,
    /// E-mail over SMTP, in lettre's URL form: `smtp://user:password@host:587?tls=required`.
    /// Without it, e-mails go to the development mailbox.
    #[arg(long, env = "SMTP_URL")]
    pub smtp_url: Option<String>,
    /// The sender of e-mails.
    #[arg(
        long,
        env = "MAIL_FROM",
        default_value = "Госуслуги <noreply@localhost>"
    )]
    pub mail_from: String,
    /// SMS gateway endpoint (`POST` JSON `{"to", "text"}`). Without it, SMS go to the
    /// development mailbox.
    #[arg(long, env = "SMS_GATEWAY_URL")]
    pub sms_gateway_url: Option<String>,
    /// Bearer token for the SMS gateway.
    #[arg(long, env = "SMS_GATEWAY_TOKEN", hide_env_values = true)]
    pub sms_gateway_token: Option<String>,
    /// Show the development mailbox at /dev/mailbox (default: on in dev mode only). In production
    /// mode it also needs `MAILBOX_IN_PRODUCTION_MODE_FOR_TESTS`, and never with an https
    /// `PUBLIC_URL`.
    #[arg(long, env = "DEV_MAILBOX", action = clap::ArgAction::Set)]
    pub dev_mailbox: Option<bool>,
    /// For end-to-end tests of the release binary only: allows the development mailbox (which
    /// shows codes and links) in production mode on a plain-http address. Logged loudly at start.
    #[arg(long, env = "MAILBOX_IN_PRODUCTION_MODE_FOR_TESTS", default_value_t = false, action = clap::ArgAction::Set)]
    pub mailbox_in_production_mode_for_tests: bool,
    /// Requests per hour one address may make to functions that send messages or create
    /// accounts (registration, recovery, resending codes); a sixth of them at once.
    #[arg(long, env = "SENSITIVE_POSTS_PER_HOUR", default_value_t = 120)]
    pub sensitive_posts_per_hour: u32,
    /// «Отправить» per account per minute; beyond it 429 with `Retry-After`.
    #[arg(long, env = "SUBMISSIONS_PER_ACCOUNT_PER_MINUTE", default_value_t = 10)]
    pub submissions_per_account_per_minute: u32,
    /// «Отправить» per second for the whole process, below what it can commit (BENCHMARKS.md).
    #[arg(long, env = "SUBMISSIONS_PER_SECOND", default_value_t = 1_000)]
    pub submissions_per_second: u32,
    /// Application intakes running at once in this process; more get 429 at once.
    #[arg(long, env = "SUBMISSIONS_IN_FLIGHT", default_value_t = 256)]
    pub submissions_in_flight: usize,
    /// Where uploaded documents are kept (created if missing), unless `DOCUMENTS_S3_BUCKET` is set.
    #[arg(long, env = "DOCUMENTS_DIR", default_value = "data/documents")]
    pub documents_dir: std::path::PathBuf,
    /// Keep uploaded documents in this S3-compatible bucket instead; the connection comes from
    /// the standard `AWS_*` variables (`AWS_ENDPOINT`, `AWS_REGION`, `AWS_ACCESS_KEY_ID`,
    /// `AWS_SECRET_ACCESS_KEY`, `AWS_ALLOW_HTTP`).
    #[arg(long, env = "DOCUMENTS_S3_BUCKET")]
    pub documents_s3_bucket: Option<String>,
    /// «Добавить документ» per account per hour; beyond it 429 with `Retry-After`.
    #[arg(long, env = "UPLOADS_PER_ACCOUNT_PER_HOUR", default_value_t = 60)]
    pub uploads_per_account_per_hour: u32,
    /// Uploads streaming in at once in this process; more get 429 at once.
    #[arg(long, env = "UPLOADS_IN_FLIGHT", default_value_t = 64)]
    pub uploads_in_flight: usize,
    /// Files one account may keep.
    #[arg(long, env = "DOCUMENTS_PER_ACCOUNT", default_value_t = 100)]
    pub documents_per_account: i64,
    /// Password hashes computed at once (default: one per core); more requests wait briefly,
    /// then get 429.
    #[arg(long, env = "PASSWORD_HASH_PERMITS")]
    pub password_hash_permits: Option<usize>,
    /// Where the registries (ЕГР ЗАГС, СФР, МВД) answer; the run command starts the registry
    /// simulator here.
    #[arg(long, env = "REGISTRY_URL", default_value = "http://127.0.0.1:3300")]
    pub registry_url: String,
    /// How long one registry request may take before it counts as failed (and is retried).
    #[arg(long, env = "REGISTRY_TIMEOUT_MS", default_value_t = 10_000)]
    pub registry_timeout_ms: u64,
    /// Job-queue workers in this process (registry checks); 0 runs none (another process does).
    #[arg(long, env = "JOB_WORKERS", default_value_t = 2)]
    pub job_workers: usize,
    /// The key that seals authenticator (TOTP) secrets in the database: the base64 of 32 random
    /// bytes (`openssl rand -base64 32`). Required in production mode; a development server
    /// without it uses a fixed, public development key. Changing it makes every enrolled
    /// authenticator unusable.
    #[arg(long, env = "TOTP_KEY", hide_env_values = true)]
    pub totp_key: Option<String>,
    /// The Ed25519 key that signs receipts: the base64 of a 32-byte random seed
    /// (`openssl rand -base64 32`). Required in production mode; a development server without it
    /// signs with a fixed, public development key. Its public half is at
    /// `/receipts/public-key.pem`; changing it makes earlier receipts fail the check.
    #[arg(long, env = "RECEIPT_SIGNING_KEY", hide_env_values = true)]
    pub receipt_signing_key: Option<String>,
    /// The VAPID key that signs Web Push messages: the base64url of a P-256 private key's 32
    /// bytes (`npx web-push generate-vapid-keys` prints one as "Private Key"). Required in
    /// production mode; a development server without it signs with a fixed, public development
    /// key. Changing it makes every browser subscribe again.
    #[arg(long, env = "VAPID_PRIVATE_KEY", hide_env_values = true)]
    pub vapid_private_key: Option<String>,
    /// Who runs this server, for push services (`mailto:` or `https:`).
    #[arg(long, env = "PUSH_CONTACT", default_value = "mailto:support@localhost")]
    pub push_contact: String,
    /// The push services a browser's subscription may point at (comma-separated origins, `*.`
    /// for subdomains). The default names the browsers' own; nothing else is ever sent to.
    #[arg(long, env = "PUSH_SERVICES", default_value = crate::outbox::push::KNOWN_PUSH_SERVICES)]
    pub push_services: String,
}

impl Config {
    pub fn leptos_options(&self) -> leptos::config::LeptosOptions {
        leptos::config::LeptosOptions::builder()
            .output_name(self.output_name.as_str())
            .site_root(self.site_root.as_str())
            .site_pkg_dir(self.site_pkg_dir.as_str())
            .site_addr(self.addr)
            .reload_port(self.reload_port)
            .hash_files(self.hash_files)
            .env(match self.mode {
                Mode::Dev => leptos::config::Env::DEV,
                Mode::Prod => leptos::config::Env::PROD,
            })
            .build()
    }

    pub fn public_url(&self) -> String {
        self.public_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", self.addr))
            .trim_end_matches('/')
            .to_owned()
    }

    pub fn dev_mailbox(&self) -> bool {
        self.dev_mailbox.unwrap_or(self.mode == Mode::Dev)
    }

    /// The development mailbox shows every code and link sent. A production server must never
    /// show it to the world: with an https public address it refuses to start, and on plain
    /// http (the end-to-end tests) only with the explicit test setting.
    pub fn check_mailbox(&self) -> Result<(), String> {
        if self.mode == Mode::Dev || !self.dev_mailbox() {
            return Ok(());
        }
        if self.public_url().starts_with("https://") {
            return Err(
                "the development mailbox (DEV_MAILBOX) is on in production mode with an \
                        https PUBLIC_URL; switch it off"
                    .to_owned(),
            );
        }
        if !self.mailbox_in_production_mode_for_tests {
            return Err("the development mailbox (DEV_MAILBOX) is on in production mode; only \
                        end-to-end tests may do that, with MAILBOX_IN_PRODUCTION_MODE_FOR_TESTS=true"
                .to_owned());
        }
        Ok(())
    }

    /// The key that seals TOTP secrets. Production mode refuses to start without a valid
    /// `TOTP_KEY`; development mode falls back to the fixed development key.
    pub fn totp_box(&self) -> Result<SecretBox, String> {
        match (&self.totp_key, self.mode) {
            (Some(key), _) => SecretBox::from_base64(key).map_err(|e| format!("TOTP_KEY: {e}")),
            (None, Mode::Dev) => Ok(SecretBox::development()),
            (None, Mode::Prod) => Err("TOTP_KEY is not set: production mode needs the key that \
                                       seals authenticator secrets in the database (the base64 \
                                       of 32 random bytes, e.g. `openssl rand -base64 32`)"
                .to_owned()),
        }
    }

    /// The key that signs receipts. Production mode refuses to start without a valid
    /// `RECEIPT_SIGNING_KEY`; development mode falls back to the fixed development key.
    pub fn receipt_signer(&self) -> Result<ReceiptSigner, String> {
        match (&self.receipt_signing_key, self.mode) {
            (Some(key), _) => {
                ReceiptSigner::from_base64(key).map_err(|e| format!("RECEIPT_SIGNING_KEY: {e}"))
            }
            (None, Mode::Dev) => Ok(ReceiptSigner::development()),
            (None, Mode::Prod) => Err("RECEIPT_SIGNING_KEY is not set: production mode needs the \
                                       Ed25519 seed that signs receipts (the base64 of 32 random \
                                       bytes, e.g. `openssl rand -base64 32`)"
                .to_owned()),
        }
    }

    /// The key that signs pushes. Production mode refuses to start without a valid
    /// `VAPID_PRIVATE_KEY`; development mode falls back to the fixed development key.
    pub fn vapid(&self) -> Result<Vapid, String> {
        match (&self.vapid_private_key, self.mode) {
            (Some(key), _) => Vapid::from_base64(key, &self.push_contact)
                .map_err(|e| format!("VAPID_PRIVATE_KEY: {e}")),
            (None, Mode::Dev) => Ok(Vapid::development(&self.push_contact)),
            (None, Mode::Prod) => Err("VAPID_PRIVATE_KEY is not set: production mode needs the \
                                       P-256 key that signs Web Push messages (the base64url of \
                                       its 32 bytes)"
                .to_owned()),
        }
    }

    /// `Secure`, the `__Host-` cookie prefix and HSTS follow the public address.
    pub fn https(&self) -> bool {
        self.public_url().starts_with("https://")
    }

    /// cargo-leptos sets LEPTOS_WATCH while `cargo leptos watch` runs.
    pub fn live_reload(&self) -> bool {
        self.mode == Mode::Dev && std::env::var_os("LEPTOS_WATCH").is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;

    fn config(args: &[&str]) -> Config {
        let mut all = vec!["server"];
        all.extend_from_slice(args);
        Cli::try_parse_from(all).expect("parses").config
    }

    #[test]
    fn production_with_https_and_the_mailbox_refuses_to_start() {
        let https = [
            "--mode",
            "prod",
            "--public-url",
            "https://portal.example",
            "--dev-mailbox",
            "true",
        ];
        assert!(config(&https).check_mailbox().is_err());
        // Not even the test setting opens it on https.
        let mut with_flag = https.to_vec();
        with_flag.extend(["--mailbox-in-production-mode-for-tests", "true"]);
        assert!(config(&with_flag).check_mailbox().is_err());
    }

    #[test]
    fn production_without_a_receipt_key_refuses_to_start() {
        let err = config(&["--mode", "prod"]).receipt_signer().unwrap_err();
        assert!(err.contains("RECEIPT_SIGNING_KEY"), "{err}");
        let short = base64::engine::general_purpose::STANDARD.encode([1u8; 16]);
        let key = base64::engine::general_purpose::STANDARD.encode([1u8; 32]);
        let with = |mode: &str, key: &str| {
            config(&["--mode", mode, "--receipt-signing-key", key]).receipt_signer()
        };
        assert!(with("prod", &short).is_err());
        assert!(with("dev", "nonsense").is_err());
        assert!(with("prod", &key).is_ok());
        // Development signs with the public development key; its receipts prove nothing.
        assert!(config(&["--mode", "dev"]).receipt_signer().is_ok());
    }

    #[test]
    fn production_without_a_vapid_key_refuses_to_start() {
        let err = config(&["--mode", "prod"]).vapid().err().unwrap();
        assert!(err.contains("VAPID_PRIVATE_KEY"), "{err}");
        let with = |mode: &str, key: &str| {
            config(&["--mode", mode, "--vapid-private-key", key])
                .vapid()
                .map(|v| v.public_key().to_owned())
        };
        assert!(with("prod", "bm90IGEga2V5").is_err());
        // 32 bytes of 0x44, base64url as `web-push generate-vapid-keys` prints it.
        let key = with("prod", "REREREREREREREREREREREREREREREREREREREREREQ").unwrap();
        assert_eq!(key.len(), 87, "65 bytes of an uncompressed point");
        assert!(config(&["--mode", "dev"]).vapid().is_ok());
    }

    #[test]
    fn production_without_a_totp_key_refuses_to_start() {
        let err = config(&["--mode", "prod"]).totp_box().unwrap_err();
        assert!(err.contains("TOTP_KEY"), "{err}");
        let short = base64::engine::general_purpose::STANDARD.encode([1u8; 16]);
        assert!(
            config(&["--mode", "prod", "--totp-key", &short])
                .totp_box()
                .is_err()
        );
        assert!(
            config(&["--mode", "dev", "--totp-key", "nonsense"])
                .totp_box()
                .is_err()
        );
        let key = base64::engine::general_purpose::STANDARD.encode([1u8; 32]);
        assert!(
            config(&["--mode", "prod", "--totp-key", &key])
                .totp_box()
                .is_ok()
        );
        // Development keeps working without one (the fixed development key).
        assert!(config(&["--mode", "dev"]).totp_box().is_ok());
    }

    #[test]
    fn production_on_http_needs_the_explicit_test_setting() {
        let http = [
            "--mode",
            "prod",
            "--public-url",
            "http://127.0.0.1:3100",
            "--dev-mailbox",
            "true",
        ];
        assert!(config(&http).check_mailbox().is_err());
        let mut with_flag = http.to_vec();
        with_flag.extend(["--mailbox-in-production-mode-for-tests", "true"]);
        assert!(config(&with_flag).check_mailbox().is_ok());
        assert!(config(&["--mode", "prod"]).check_mailbox().is_ok());
        assert!(
            config(&["--mode", "dev", "--public-url", "https://x.example"])
                .check_mailbox()
                .is_ok()
        );
    }
}
