//! What the benchmark programs share: a production-mode server configuration on a temporary
//! SQLite database, and percentiles.

use std::time::Duration;

use server::cli::{Config, LogFormat, Mode};

/// The real server's settings for a benchmark: production mode, no registries, no job workers.
pub fn config(dir: &std::path::Path) -> Config {
    Config {
        database_url: format!("sqlite://{}", dir.join("bench.db").display()),
        addr: "127.0.0.1:0".parse().unwrap(),
        site_root: "target/site".into(),
        site_pkg_dir: "pkg".into(),
        output_name: "portal".into(),
        hash_files: false,
        mode: Mode::Prod,
        reload_port: 3001,
        max_body_bytes: 64 * 1024,
        log_format: LogFormat::Text,
        public_url: None,
        trusted_proxy_hops: 1,
        smtp_url: None,
        mail_from: "noreply@bench.test".into(),
        sms_gateway_url: None,
        sms_gateway_token: None,
        dev_mailbox: Some(false),
        mailbox_in_production_mode_for_tests: false,
        password_hash_permits: None,
        sensitive_posts_per_hour: 120,
        registry_url: "http://127.0.0.1:9".into(),
        registry_timeout_ms: 1_000,
        job_workers: 0,
        // A bench key (production mode needs one): the base64 of 32 bytes of 0x42.
        totp_key: Some("QkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkI=".into()),
        receipt_signing_key: Some("Q0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0M=".into()),
    }
}

/// The `p` quantile of sorted latencies.
pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index]
}
