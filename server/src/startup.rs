//! Builds the application from configuration and nothing else: storage, services, the HTTP stack.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::FromRef;
use axum::http::{HeaderValue, header};
use axum::routing::get;
use axum::serve::ListenerExt;
use leptos_axum::{LeptosRoutes, file_and_error_handler, generate_route_list};
use tokio::net::TcpListener;
use tower::ServiceBuilder;
use tower_http::LatencyUnit;
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

use app::api::request::CookiePolicy;
use app::{App, shell};

use crate::abuse::{self, SensitivePostLimit};
use crate::accounts::AccountService;
use crate::accounts::identity::IdentityCheckJob;
use crate::benefits::applications::admission::{Admission, AdmissionLimits};
use crate::child_accounts::{self, ChildAccountService};
use crate::cli::Config;
use crate::client_address::{self, TrustedHops};
use crate::clock::{Clock, SystemClock};
use crate::db::{Database, StorageError};
use crate::family::FamilyService;
use crate::family::checks::Checks;
use crate::health;
use crate::jobs::Worker;
use crate::operations::OperationsService;
use crate::outbox::Outbox;
use crate::outbox::dispatcher::{Dispatcher, Transports};
use crate::outbox::mailbox::{Mailbox, MailboxCopies, MailboxReader};
use crate::outbox::push::{PushServices, WebPush};
use crate::outbox::transport::{InApp, SmsGateway, Smtp, Transport};
use crate::passwords::PasswordHasher;
use crate::receipts::download::ReceiptState;
use crate::registries::Registries;
use crate::registries::http::HttpRegistries;
use crate::secret_box::SecretBox;
use crate::security::{self, CspSettings};
use crate::server_fns::ServerFnContext;
use crate::support::SupportDeskService;

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: std::net::SocketAddr,
        source: std::io::Error,
    },
    #[error("server failed: {0}")]
    Serve(std::io::Error),
    #[error("configuration: {0}")]
    Config(String),
    #[error(transparent)]
    Catalogue(#[from] crate::benefits::CatalogueError),
    #[error("{0}")]
    Admin(String),
}

#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: leptos::config::LeptosOptions,
    pub db: Database,
    pub csp: CspSettings,
}

/// A bound, ready-to-run server. Tests build it on port 0 and read the port back.
pub struct Application {
    listener: TcpListener,
    router: Router,
    db: Database,
    hasher: PasswordHasher,
    dispatcher: Dispatcher,
    worker: Worker,
    job_workers: usize,
    mailbox: Option<MailboxCopies>,
}

/// A password hash request waits this long for a free core before it is answered 429.
const HASH_QUEUE_WAIT: Duration = Duration::from_secs(2);

/// Real SMTP and SMS gateway when configured; the development mailbox otherwise. Push always
/// goes to the browsers' push services.
fn transports(
    config: &Config,
    mailbox: &Mailbox,
    push: WebPush,
) -> Result<Transports, StartupError> {
    let email: Arc<dyn Transport> = match &config.smtp_url {
        Some(url) => Arc::new(Smtp::new(url, &config.mail_from).map_err(StartupError::Config)?),
        None => Arc::new(mailbox.clone()),
    };
    let sms: Arc<dyn Transport> = match &config.sms_gateway_url {
        Some(url) => Arc::new(
            SmsGateway::new(url, config.sms_gateway_token.clone()).map_err(StartupError::Config)?,
        ),
        None => Arc::new(mailbox.clone()),
    };
    Ok(Transports {
        email,
        sms,
        push: Arc::new(push),
        in_app: Arc::new(InApp),
    })
}

/// The registries over HTTP (the simulator in development).
fn registries(config: &Config) -> Result<Registries, StartupError> {
    let http = Arc::new(
        HttpRegistries::new(
            &config.registry_url,
            Duration::from_millis(config.registry_timeout_ms),
        )
        .map_err(StartupError::Config)?,
    );
    Ok(Registries {
        births: http.clone(),
        snils: http.clone(),
        passports: http.clone(),
        benefits: http,
    })
}

/// Authenticator secrets stored before they were sealed are sealed now, once (idempotent).
pub async fn seal_legacy_totp_secrets(db: &Database, key: &SecretBox) -> Result<u64, StartupError> {
    let sealed = crate::db::second_factor::seal_plain_totp_secrets(db, key).await?;
    if sealed > 0 {
        tracing::warn!(
            event = "totp_secret.sealed_legacy",
            sealed,
            "sealed authenticator secrets stored in plain text"
        );
    }
    Ok(sealed)
}

/// Names this process among the queue's workers.
fn hostname() -> String {
    std::env::var("HOSTNAME").unwrap_or_else(|_| "server".to_owned())
}

/// Hashed bundle files never change under the same name.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

impl Application {
    pub async fn build(config: &Config) -> Result<Self, StartupError> {
        Self::build_with_clock(config, Arc::new(SystemClock)).await
    }

    pub async fn build_with_clock(
        config: &Config,
        clock: Arc<dyn Clock>,
    ) -> Result<Self, StartupError> {
        config.check_mailbox().map_err(StartupError::Config)?;
        let totp_box = config.totp_box().map_err(StartupError::Config)?;
        let receipt_signer = config.receipt_signer().map_err(StartupError::Config)?;
        let vapid = config.vapid().map_err(StartupError::Config)?;
        let push_services = PushServices::parse(&config.push_services);
        if config.mailbox_in_production_mode_for_tests && config.dev_mailbox() {
            tracing::warn!(
                event = "config.test_mailbox",
                "MAILBOX_IN_PRODUCTION_MODE_FOR_TESTS: the development mailbox at /dev/mailbox \
                 shows every code and link sent; this server is for end-to-end tests only"
            );
        }
        let db = Database::connect(&config.database_url).await?;
        db.migrate().await?;
        tracing::info!(engine = db.engine(), "database ready");
        seal_legacy_totp_secrets(&db, &totp_box).await?;
        child_accounts::ages::schedule_first_sweep(&db, clock.now()).await?;
        crate::family::parent_tie::schedule_recheck(&db, clock.now()).await?;
        crate::retention::schedule_first_sweep(&db, clock.now()).await?;
        crate::benefits::applications::overdue::schedule_first_sweep(&db, clock.now()).await?;
        crate::diary::import::schedule(&db, clock.now()).await?;
        crate::access::sweep::ACCESS_SWEEP
            .schedule_first(&db, clock.now())
            .await?;
        crate::notifications::reminders::JOURNAL_SUMMARY
            .schedule_first(&db, clock.now())
            .await?;

        let mailbox = Mailbox {
            copies: config.dev_mailbox().then(MailboxCopies::default),
            refusals: Default::default(),
        };
        let outbox = Outbox::default();
        let web_push = WebPush::new(
            db.clone(),
            totp_box.clone(),
            vapid.clone(),
            push_services.clone(),
        )
        .map_err(StartupError::Config)?;
        let dispatcher = Dispatcher {
            db: db.clone(),
            clock: clock.clone(),
            transports: transports(config, &mailbox, web_push)?,
            wake: outbox.waker(),
            poll_every: Duration::from_secs(2),
        };
        let public_url = config.public_url();
        crate::outbox::set_public_url(&public_url);
        let receipts = Arc::new(crate::receipts::Receipts::new(
            db.clone(),
            receipt_signer,
            clock.clone(),
            public_url.clone(),
        ));
        let registries = registries(config)?;
        let catalogue = Arc::new(crate::benefits::Catalogue::shipped()?);
        let eligibility = Arc::new(crate::benefits::eligibility::EligibilityChecks {
            db: db.clone(),
            clock: clock.clone(),
            catalogue: catalogue.clone(),
            registries: registries.clone(),
        });
        let applications = Arc::new(crate::benefits::applications::Applications {
            db: db.clone(),
            clock: clock.clone(),
            catalogue: catalogue.clone(),
            outbox: outbox.clone(),
            public_url: public_url.clone(),
            admission: Arc::new(Admission::new(AdmissionLimits {
                per_account_per_minute: config.submissions_per_account_per_minute,
                per_second: config.submissions_per_second,
                in_flight: config.submissions_in_flight,
            })),
            exports: crate::benefits::applications::admission::per_account_per_hour(
                crate::benefits::applications::EXPORTS_PER_ACCOUNT_PER_HOUR,
            ),
        });
        let access = Arc::new(crate::access::AccessService {
            db: db.clone(),
            clock: clock.clone(),
            outbox: outbox.clone(),
            public_url: public_url.clone(),
            agency: Arc::new(crate::access::agency::SimulatedAgencies),
            uses: crate::benefits::applications::admission::per_account_per_hour(
                crate::access::USES_PER_HOUR,
            ),
        });
        let diary = Arc::new(crate::diary::DiaryService {
            db: db.clone(),
            clock: clock.clone(),
            outbox: outbox.clone(),
            public_url: public_url.clone(),
            schools: Arc::new(crate::diary::school_registry::SimulatedSchools),
            access: access.clone(),
            connects: crate::benefits::applications::admission::per_account_per_hour(
                crate::diary::CONNECTS_PER_HOUR,
            ),
        });
        let file_keys = crate::file_keys::FileKeys {
            db: db.clone(),
            sealer: totp_box.clone(),
        };
        let spool = config.documents_dir.join("incoming");
        std::fs::create_dir_all(&spool)
            .map_err(|e| StartupError::Config(format!("cannot create {}: {e}", spool.display())))?;
        let documents = Arc::new(crate::benefits::documents::Documents::new(
            db.clone(),
            clock.clone(),
            catalogue.clone(),
            crate::storage::open(&config.documents_dir, config.documents_s3_bucket.as_deref())
                .map_err(|e| StartupError::Config(e.to_string()))?,
            file_keys.clone(),
            spool,
            crate::benefits::documents::UploadLimits {
                per_account_per_hour: config.uploads_per_account_per_hour,
                in_flight: config.uploads_in_flight,
                files_per_account: config.documents_per_account,
            },
        ));
        let mut handlers = Checks {
            db: db.clone(),
            clock: clock.clone(),
            registries: registries.clone(),
            outbox: outbox.clone(),
            public_url: public_url.clone(),
        }
        .handlers();
        handlers.push(Arc::new(IdentityCheckJob {
            db: db.clone(),
            clock: clock.clone(),
            registries,
            outbox: outbox.clone(),
        }));
        handlers.push(Arc::new(child_accounts::ages::AgeSweep {
            db: db.clone(),
            clock: clock.clone(),
            outbox: outbox.clone(),
        }));
        handlers.push(Arc::new(crate::benefits::eligibility::EligibilityCheckJob(
            (*eligibility).clone(),
        )));
        handlers.push(Arc::new(crate::retention::RetentionSweep {
            db: db.clone(),
            clock: clock.clone(),
            store: documents.store.clone(),
        }));
        handlers.push(Arc::new(crate::benefits::documents::scan::ScanCheckJob(
            documents.clone(),
        )));
        handlers.push(Arc::new(
            crate::benefits::applications::overdue::OverdueSweep(applications.clone()),
        ));
        handlers.push(Arc::new(crate::access::sweep::AccessSweep(access.clone())));
        handlers.push(Arc::new(crate::diary::import::ImportHandler(diary.clone())));
        handlers.push(Arc::new(crate::diary::import::DiarySweep(diary.clone())));
        let notifications = Arc::new(crate::notifications::NotificationCentre {
            db: db.clone(),
            clock: clock.clone(),
            outbox: outbox.clone(),
            sealer: totp_box.clone(),
            push_key: vapid.public_key().to_owned(),
            push_services,
            resends: crate::benefits::applications::admission::per_account_per_hour(
                crate::notifications::RESENDS_PER_HOUR,
            ),
            public_url: public_url.clone(),
        });
        handlers.push(Arc::new(
            crate::notifications::reminders::JournalSummarySweep(notifications.clone()),
        ));
        let worker = Worker::new(
            db.clone(),
            clock.clone(),
            format!("{}-{}", hostname(), std::process::id()),
            handlers,
        );
        let hasher = PasswordHasher::new(config.password_hash_permits, HASH_QUEUE_WAIT);
        let accounts = Arc::new(AccountService {
            db: db.clone(),
            clock: clock.clone(),
            hasher: hasher.clone(),
            totp_box,
            outbox: outbox.clone(),
            public_url: public_url.clone(),
        });
        let document_store = documents.store.clone();
        let services = ServerFnContext {
            clock: clock.clone(),
            cookie_policy: CookiePolicy {
                secure: config.https(),
            },
            benefits: catalogue.clone(),
            eligibility,
            applications,
            documents,
            receipts: receipts.clone(),
            support_desk: Arc::new(SupportDeskService {
                db: db.clone(),
                clock: clock.clone(),
                outbox: outbox.clone(),
                catalogue: catalogue.clone(),
                public_url: public_url.clone(),
            }),
            family: Arc::new(FamilyService {
                db: db.clone(),
                clock: clock.clone(),
                catalogue: catalogue.clone(),
            }),
            child_accounts: Arc::new(ChildAccountService {
                db: db.clone(),
                clock: clock.clone(),
                hasher: hasher.clone(),
                outbox: outbox.clone(),
                public_url: public_url.clone(),
                accounts: accounts.clone(),
            }),
            operations: Arc::new(OperationsService { db: db.clone() }),
            access: access.clone(),
            diary: diary.clone(),
            activity: Arc::new(crate::activity::ActivityService {
                db: db.clone(),
                clock: clock.clone(),
            }),
            officer_desk: Arc::new(crate::officer::OfficerDeskService {
                db: db.clone(),
                clock: clock.clone(),
                catalogue: catalogue.clone(),
                outbox: outbox.clone(),
                public_url: public_url.clone(),
                store: document_store.clone(),
                file_keys: file_keys.clone(),
            }),
            data_rights: Arc::new(crate::data_rights::DataRightsService {
                db: db.clone(),
                clock: clock.clone(),
                outbox: outbox.clone(),
                receipts: receipts.clone(),
                store: document_store,
                file_keys: file_keys.clone(),
            }),
            accounts,
            notifications,
            dev_mailbox: mailbox.copies.clone().map(|copies| {
                Arc::new(MailboxReader {
                    db: db.clone(),
                    copies,
                    refusals: mailbox.refusals.clone(),
                })
            }),
        };
        let state = AppState {
            leptos_options: config.leptos_options(),
            db: db.clone(),
            csp: CspSettings {
                live_reload: config.live_reload(),
                hsts: config.https(),
            },
        };
        let router = router(state, services, config);
        let listener =
            TcpListener::bind(config.addr)
                .await
                .map_err(|source| StartupError::Bind {
                    addr: config.addr,
                    source,
                })?;
        Ok(Self {
            listener,
            router,
            db,
            hasher,
            dispatcher,
            worker,
            job_workers: config.job_workers,
            mailbox: mailbox.copies,
        })
    }

    /// The development mailbox's remembered texts (when it is on), for tests that read codes.
    pub fn mailbox(&self) -> Option<MailboxCopies> {
        self.mailbox.clone()
    }

    /// The server's own pools (cheap clones of the same connections).
    pub fn database(&self) -> Database {
        self.db.clone()
    }

    /// The password hasher, whose computation count tests read.
    pub fn hasher(&self) -> PasswordHasher {
        self.hasher.clone()
    }

    /// The outbox dispatcher, for tests that deliver on their own schedule.
    pub fn dispatcher(&self) -> Dispatcher {
        self.dispatcher.clone()
    }

    /// A job-queue worker of this server, for tests that run the queue step by step.
    pub fn worker(&self) -> Worker {
        self.worker.clone()
    }

    pub fn port(&self) -> u16 {
        self.listener
            .local_addr()
            .map(|a| a.port())
            .unwrap_or_default()
    }

    /// Serves until `shutdown` resolves, then finishes the requests in flight and closes the pools.
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> Result<(), StartupError> {
        tracing::info!(addr = %self.listener.local_addr().map_err(StartupError::Serve)?, "listening");
        let dispatcher = tokio::spawn(self.dispatcher.run());
        let workers: Vec<_> = (0..self.job_workers)
            .map(|n| {
                let mut worker = self.worker.clone();
                worker.name = format!("{}-{n}", worker.name);
                tokio::spawn(worker.run())
            })
            .collect();
        // Without TCP_NODELAY, Nagle's algorithm and the client's delayed ACK hold the tail of each
        // streamed page on a kept-alive connection for up to 40 ms.
        let listener = self.listener.tap_io(|tcp| {
            if let Err(e) = tcp.set_nodelay(true) {
                tracing::warn!(error = %e, "TCP_NODELAY not set on a connection");
            }
        });
        let served = axum::serve(
            listener,
            self.router
                .into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown)
        .await
        .map_err(StartupError::Serve);
        // A message or job mid-flight keeps its lease and is picked up again after restart.
        dispatcher.abort();
        workers.iter().for_each(|w| w.abort());
        self.db.close().await;
        served
    }
}

fn router(state: AppState, services: ServerFnContext, config: &Config) -> Router {
    let options = state.leptos_options.clone();
    let routes = generate_route_list(App);
    let pkg_dir = format!("{}/{}", options.site_root, options.site_pkg_dir);
    let pkg_cache = if config.hash_files {
        IMMUTABLE
    } else {
        "no-cache"
    };
    let bundle = ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static(pkg_cache),
        ))
        // The release build writes .br/.gz beside each file (scripts/precompress.mjs); without
        // them the compression layer compresses on the fly.
        .service(
            ServeDir::new(pkg_dir)
                .precompressed_br()
                .precompressed_gzip(),
        );

    let receipt_state = ReceiptState {
        db: state.db.clone(),
        sessions: services.accounts.clone(),
        cookie_policy: services.cookie_policy,
        receipts: services.receipts.clone(),
    };
    let application_files = crate::benefits::applications::receipt::ApplicationReceiptState {
        receipts: receipt_state.clone(),
        applications: services.applications.clone(),
    };
    let receipts = Router::new()
        .route(
            "/documents/family/consents/{id}/receipt",
            get(child_accounts::receipt::download),
        )
        .route(
            "/documents/family/access-grants/{id}/receipt",
            get(crate::access::receipt::download),
        )
        .with_state(receipt_state)
        .route(
            "/applications/{id}/receipt",
            get(crate::benefits::applications::receipt::download)
                .with_state(application_files.clone()),
        )
        .route(
            app::benefits::history::EXPORT_PATH,
            get(crate::benefits::applications::export::export).with_state(application_files),
        )
        .route(
            "/receipts/public-key.pem",
            get(crate::receipts::public_key).with_state(services.receipts.clone()),
        );
    let activity_export = Router::new()
        .route(
            app::activity::journal::EXPORT_PATH,
            get(crate::activity::export::export),
        )
        .with_state(crate::activity::export::ExportState {
            service: services.activity.clone(),
            sessions: services.accounts.clone(),
            cookie_policy: services.cookie_policy,
            exports: crate::benefits::applications::admission::per_account_per_hour(
                crate::activity::export::EXPORTS_PER_HOUR,
            ),
        });
    let data_rights_state = crate::data_rights::export::DataRightsState {
        service: services.data_rights.clone(),
        sessions: services.accounts.clone(),
        cookie_policy: services.cookie_policy,
        exports: crate::benefits::applications::admission::per_account_per_hour(
            crate::data_rights::export::EXPORTS_PER_HOUR,
        ),
    };
    let data_rights = Router::new()
        .route(
            "/documents/family/children/{id}/data/export",
            get(crate::data_rights::export::export),
        )
        .route(
            "/documents/family/deletions/{id}/receipt",
            get(crate::data_rights::export::deletion_receipt),
        )
        .with_state(data_rights_state);
    let upload_state = crate::benefits::documents::upload::UploadState {
        documents: services.documents.clone(),
        sessions: services.accounts.clone(),
        cookie_policy: services.cookie_policy,
    };
    let uploads = Router::new()
        .route(
            app::benefits::documents::UPLOAD_PATH,
            axum::routing::post(crate::benefits::documents::upload::upload),
        )
        .route(
            &format!("{}/{{id}}", app::benefits::documents::UPLOAD_PATH),
            get(crate::benefits::documents::download::download),
        )
        .with_state(upload_state)
        // axum's own 2 MB default for multipart, raised to the route's limit (`limit_body`).
        .layer(axum::extract::DefaultBodyLimit::max(
            crate::benefits::documents::upload::MAX_UPLOAD_BODY,
        ))
        .layer(axum::middleware::from_fn(
            security::refuse_cross_site_writes,
        ));
    let officer_documents = Router::new()
        .route(
            app::officer::desk::DOCUMENT_ROUTE,
            get(crate::officer::documents::show),
        )
        .with_state(crate::officer::documents::DocumentRouteState {
            desk: services.officer_desk.clone(),
            sessions: services.accounts.clone(),
            cookie_policy: services.cookie_policy,
        });
    let pages = Router::new()
        .leptos_routes_with_context(&state, routes, move || services.provide(), {
            let options = options.clone();
            move || shell(options.clone())
        })
        .layer(axum::middleware::from_fn(
            security::refuse_cross_site_writes,
        ))
        .layer(axum::middleware::from_fn_with_state(
            SensitivePostLimit::new(config.sensitive_posts_per_hour),
            abuse::limit_sensitive_posts,
        ));

    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .merge(pages)
        .merge(receipts)
        .merge(uploads)
        .merge(officer_documents)
        .merge(activity_export)
        .merge(data_rights)
        .nest_service(&format!("/{}", options.site_pkg_dir), bundle)
        .fallback(file_and_error_handler::<AppState, _>(shell))
        .layer(
            ServiceBuilder::new()
                .layer(
                    TraceLayer::new_for_http()
                        // Path only: query strings may carry personal data.
                        .make_span_with(|req: &axum::http::Request<_>| {
                            tracing::info_span!("request", method = %req.method(), path = %req.uri().path())
                        })
                        .on_request(())
                        .on_response(DefaultOnResponse::new().level(Level::INFO).latency_unit(LatencyUnit::Millis)),
                )
                .layer(axum::middleware::from_fn_with_state(state.csp.clone(), security::security_headers))
                .layer(axum::middleware::from_fn_with_state(TrustedHops(config.trusted_proxy_hops), client_address::client_address))
                .layer(CompressionLayer::new())
                .layer(axum::middleware::from_fn_with_state(
                    BodyLimits {
                        default: config.max_body_bytes,
                        upload: crate::benefits::documents::upload::MAX_UPLOAD_BODY,
                    },
                    limit_body,
                )),
        )
        .with_state(state)
}

/// `server serve`: run until SIGTERM or Ctrl-C.
pub async fn serve(config: Config) -> Result<(), StartupError> {
    let app = Application::build(&config).await?;
    app.run_until(shutdown_signal()).await
}

/// `server migrate`.
pub async fn migrate_only(config: &Config) -> Result<(), StartupError> {
    let db = Database::connect(&config.database_url).await?;
    db.migrate().await?;
    db.close().await;
    println!("migrations applied ({})", db.engine());
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
    // Give load balancers a moment to notice before in-flight requests drain.
    tokio::time::sleep(Duration::from_millis(100)).await;
}

/// The request body limits: the upload route takes a 5 MB file, everything else `MAX_BODY_BYTES`.
#[derive(Clone, Copy)]
struct BodyLimits {
    default: usize,
    upload: usize,
}

/// Refuses a declared body over the limit before it is read, and cuts off one that grows past it.
async fn limit_body(
    axum::extract::State(limits): axum::extract::State<BodyLimits>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let limit = if request.uri().path() == app::benefits::documents::UPLOAD_PATH {
        limits.upload
    } else {
        limits.default
    };
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return (
            axum::http::StatusCode::PAYLOAD_TOO_LARGE,
            "Слишком большой запрос",
        )
            .into_response();
    }
    let request =
        request.map(|body| axum::body::Body::new(http_body_util::Limited::new(body, limit)));
    next.run(request).await
}
