//! The `tidily` command: the server and its operational subcommands.

use std::{io::BufRead, net::SocketAddr, time::Duration};

use anyhow::{bail, Context};
use clap::{Args, Parser, Subcommand};

use crate::{
    app::{
        self,
        accounts::{self, Opener, SignUp},
        owner::Owner,
        AppState,
    },
    blobs::Blobs,
    config::{redact_url, Config, FileStore},
    db::Db,
    domain::{Locale, Role as UserRole},
    http::{self, ConnLimits},
    seed,
    server::{self, Role},
    telemetry,
};

/// TidilySpace: bookmarks and reading lists, tracked like tasks.
///
/// Configuration comes from environment variables (DATABASE_URL, APP_ENV, JWT_SECRET, BIND,
/// PORT, BASE_URL, TRUSTED_PROXIES, ...; see the README). With none set, it runs on a SQLite
/// file in ./data/.
#[derive(Debug, Parser)]
#[command(name = "tidily", version, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the HTTP server.
    Serve(ServeArgs),
    /// Apply pending database migrations and print what ran.
    Migrate,
    /// Create the demo account with realistic data (idempotent).
    Seed(SeedArgs),
    /// Manage accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Run background jobs only (page captures, purges), without serving HTTP. `serve` runs
    /// them too unless WORKER_CONCURRENCY is 0.
    Worker,
    /// Inspect background jobs.
    #[command(subcommand)]
    Jobs(JobsCommand),
    /// Import a bookmark file into an account: a browser's bookmark HTML, Pocket,
    /// Instapaper, Raindrop or Readwise CSV, Pinboard, Karakeep, Linkwarden or TidilySpace
    /// JSON (the format is told from the content). Prints the report as JSON.
    Import(ImportArgs),
    /// Export an account's library to a file (or standard output): our JSON (lossless),
    /// bookmark HTML for browsers, or CSV.
    Export(ExportArgs),
    /// Print the OpenAPI document of the REST API.
    Openapi,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The file to import.
    pub file: std::path::PathBuf,
    /// The account, by e-mail address.
    #[arg(long)]
    pub email: String,
    /// The profile (by name) for entries that do not name one; default: the first.
    #[arg(long)]
    pub profile: Option<String>,
    /// Report what would be imported, duplicates and skipped lines; write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The account, by e-mail address.
    #[arg(long)]
    pub email: String,
    /// `json` (every field, re-importable without loss), `html` or `csv`.
    #[arg(long, value_enum, default_value = "json")]
    pub format: ExportFormatArg,
    /// Only this profile (by name).
    #[arg(long)]
    pub profile: Option<String>,
    /// Write here instead of standard output.
    #[arg(long, short)]
    pub output: Option<std::path::PathBuf>,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum ExportFormatArg {
    Json,
    Html,
    Csv,
}

#[derive(Debug, Subcommand)]
pub enum JobsCommand {
    /// The most recent jobs, newest first, one JSON object per line.
    List {
        /// Only jobs of this kind (e.g. `housekeeping`).
        #[arg(long)]
        kind: Option<String>,
        /// How many.
        #[arg(long, default_value_t = 50)]
        limit: u64,
    },
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Which routes to serve: `web` (pages), `api` (/api/*) or `all`.
    #[arg(long, value_enum, default_value = "all", env = "TIDILY_ROLE")]
    pub role: Role,
    /// Once listening, write the port to this file (useful with PORT=0, which takes any free
    /// port: test harnesses and scripts learn it here instead of guessing one in advance).
    #[arg(long, env = "TIDILY_PORT_FILE", value_name = "PATH")]
    pub port_file: Option<std::path::PathBuf>,
}

#[derive(Debug, Args)]
pub struct SeedArgs {
    /// E-mail address of the demo account.
    #[arg(long, default_value = seed::DEMO_EMAIL)]
    pub email: String,
    /// Password of the demo account.
    #[arg(long, default_value = seed::DEMO_PASSWORD, env = "TIDILY_SEED_PASSWORD")]
    pub password: String,
    /// Items per profile.
    #[arg(long, default_value_t = 120)]
    pub items_per_profile: u32,
    /// Bytes of page text to index per item, as if each had been captured (0: none), for
    /// search benchmarks.
    #[arg(long, default_value_t = 0)]
    pub page_bytes: u32,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an account (the password is read from --password or from standard input).
    Create {
        #[arg(long)]
        email: String,
        #[arg(long)]
        display_name: Option<String>,
        #[arg(long, env = "TIDILY_USER_PASSWORD", hide_env_values = true)]
        password: Option<String>,
        /// Make the account an admin.
        #[arg(long)]
        admin: bool,
        /// Interface language: ja or en.
        #[arg(long, default_value = "ja")]
        locale: String,
    },
    /// Set an account's password (read from --password or from standard input).
    SetPassword {
        #[arg(long)]
        email: String,
        #[arg(long, env = "TIDILY_USER_PASSWORD", hide_env_values = true)]
        password: Option<String>,
    },
    /// Make an account an admin.
    Promote {
        #[arg(long)]
        email: String,
    },
    /// List accounts.
    List,
}

/// Runs a parsed command line.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    if let Command::Openapi = cli.command {
        println!("{}", serde_json::to_string_pretty(&server::openapi())?);
        return Ok(());
    }
    let config = Config::from_env()?;
    telemetry::init(config.log_format);
    let db = Db::connect(&config.database_url, config.db_max_connections).await?;
    match cli.command {
        Command::Serve(args) => serve(config, db, args).await,
        Command::Migrate => {
            let ran = crate::migration::run(&db).await?;
            if ran.is_empty() {
                println!("database is up to date");
            }
            for name in ran {
                println!("applied {name}");
            }
            Ok(())
        }
        Command::Seed(args) => {
            require_schema(&db).await?;
            let size = seed::Size {
                items_per_profile: args.items_per_profile,
                page_bytes: args.page_bytes as usize,
            };
            let report = seed::run(&db, &args.email, &args.password, size).await?;
            println!("{report}");
            Ok(())
        }
        Command::Worker => worker(config, db).await,
        Command::Jobs(JobsCommand::List { kind, limit }) => {
            require_schema(&db).await?;
            let state = state(db, config)?;
            for job in app::jobs::recent(&state, kind.as_deref(), limit).await? {
                println!("{}", job_line(&job));
            }
            Ok(())
        }
        Command::User(cmd) => {
            require_schema(&db).await?;
            user_command(&state(db, config)?, cmd).await
        }
        Command::Import(args) => {
            require_schema(&db).await?;
            import(&state(db, config)?, args).await
        }
        Command::Export(args) => {
            require_schema(&db).await?;
            export(&state(db, config)?, args).await
        }
        Command::Openapi => Ok(()),
    }
}

/// The profile an operator names, by name.
async fn profile_named(
    state: &AppState,
    owner: Owner,
    name: Option<&str>,
) -> anyhow::Result<Option<tidily_core::domain::ids::ProfileId>> {
    let Some(name) = name else { return Ok(None) };
    let profiles = app::profiles::list(state, owner).await?;
    let found = profiles.iter().find(|p| p.name == name);
    match found {
        Some(p) => Ok(Some(p.id.into())),
        None => bail!("the account has no profile named {name:?}"),
    }
}

async fn import(state: &AppState, args: ImportArgs) -> anyhow::Result<()> {
    let owner = accounts::operator_names(state, &args.email).await?;
    let bytes = std::fs::read(&args.file)
        .with_context(|| format!("cannot read {}", args.file.display()))?;
    let parsed = tidily_transfer::read(&bytes)
        .with_context(|| format!("cannot import {}", args.file.display()))?;
    let options = app::transfer::ImportOptions {
        profile: profile_named(state, owner, args.profile.as_deref()).await?,
        folder: None,
        dry_run: args.dry_run,
    };
    let report = app::transfer::import(state, owner, parsed, options).await?;
    println!("{}", serde_json::to_string_pretty(&report)?);
    Ok(())
}

async fn export(state: &AppState, args: ExportArgs) -> anyhow::Result<()> {
    use std::io::Write;
    use tidily_transfer::write::ExportFormat;
    let owner = accounts::operator_names(state, &args.email).await?;
    let format = match args.format {
        ExportFormatArg::Json => ExportFormat::Json,
        ExportFormatArg::Html => ExportFormat::Html,
        ExportFormatArg::Csv => ExportFormat::Csv,
    };
    let only = profile_named(state, owner, args.profile.as_deref()).await?;
    let mut out: Box<dyn Write + Send> = match &args.output {
        Some(path) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(path)
                .with_context(|| format!("cannot write {}", path.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout())),
    };
    let (tx, mut rx) = tokio::sync::mpsc::channel(8);
    let task_state = state.clone();
    let task = tokio::spawn(async move {
        tidily_transfer::write::export(&task_state, owner, format, only, tx).await
    });
    while let Some(chunk) = rx.recv().await {
        out.write_all(chunk?.as_bytes())?;
    }
    out.flush()?;
    task.await??;
    Ok(())
}

/// The state of this process: the database, the configuration, and the file store it names
/// (a local directory, or S3 with the `AWS_*` settings of the environment).
fn state(db: Db, config: Config) -> anyhow::Result<AppState> {
    let blobs = match &config.file_store {
        FileStore::Dir(dir) => Blobs::local(dir)
            .with_context(|| format!("FILE_STORE: cannot use the directory {}", dir.display()))?,
        FileStore::S3 { bucket, prefix } => {
            let s3 = object_store::aws::AmazonS3Builder::from_env()
                .with_bucket_name(bucket)
                .build()
                .context("FILE_STORE: cannot use the S3 bucket")?;
            Blobs::new(std::sync::Arc::new(s3), prefix)
        }
    };
    Ok(AppState::new(db, config, blobs))
}

async fn require_schema(db: &Db) -> anyhow::Result<()> {
    if !crate::migration::is_up_to_date(db).await? {
        bail!("the database schema is not up to date: run `tidily migrate` first");
    }
    Ok(())
}

async fn serve(config: Config, db: Db, args: ServeArgs) -> anyhow::Result<()> {
    let role = args.role;
    if config.app_env.is_local() {
        for name in crate::migration::run(&db).await? {
            tracing::info!(migration = %name, "applied migration");
        }
    } else {
        require_schema(&db).await?;
    }
    let addr = SocketAddr::new(config.bind, config.port);
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr}"))?;
    let addr = listener.local_addr()?;
    if let Some(path) = &args.port_file {
        write_port_file(path, addr.port())?;
    }
    tracing::info!(
        %addr,
        role = ?role,
        env = config.app_env.as_str(),
        database = %redact_url(&config.database_url),
        "TidilySpace is listening"
    );
    let limits = ConnLimits {
        header_timeout: Duration::from_secs(config.header_timeout_secs.into()),
        shutdown_grace: Duration::from_secs(config.shutdown_grace_secs.into()),
    };
    let state = state(db.clone(), config)?;
    let stop = stop_on_signal();
    let worker = tokio::spawn(app::jobs::work(
        state.clone(),
        handlers(&state),
        stop.clone(),
        limits.shutdown_grace,
    ));
    let app = server::app(state, role);
    let result = http::serve(listener, app, limits, app::jobs::stopped(stop)).await;
    let _ = worker.await;
    db.close().await;
    tracing::info!("stopped");
    result
}

/// Every kind of background work this binary runs: the core's and page capture.
fn handlers(state: &AppState) -> app::jobs::Handlers {
    tidily_capture::register(
        app::jobs::Handlers::default(),
        tidily_capture::fetcher(&state.config),
    )
}

/// A signal that turns `true` on SIGTERM or Ctrl-C, for the HTTP server and the worker alike,
/// so both stop within one grace period.
fn stop_on_signal() -> tokio::sync::watch::Receiver<bool> {
    let (tx, rx) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        http::shutdown_signal().await;
        let _ = tx.send(true);
    });
    rx
}

/// `tidily worker`: background jobs only, for deployments that run them apart from the web
/// and API tasks.
async fn worker(config: Config, db: Db) -> anyhow::Result<()> {
    if !config.app_env.is_local() {
        require_schema(&db).await?;
    }
    if config.worker_concurrency == 0 {
        bail!("WORKER_CONCURRENCY is 0: a worker process would run nothing");
    }
    let grace = Duration::from_secs(config.shutdown_grace_secs.into());
    let state = state(db.clone(), config)?;
    app::jobs::work(state.clone(), handlers(&state), stop_on_signal(), grace).await;
    db.close().await;
    Ok(())
}

/// Writes `port` to `path` whole or not at all (a reader never sees half a number).
fn write_port_file(path: &std::path::Path, port: u16) -> anyhow::Result<()> {
    let partial = path.with_extension("partial");
    std::fs::write(&partial, format!("{port}\n"))
        .and_then(|()| std::fs::rename(&partial, path))
        .with_context(|| format!("cannot write the port to {}", path.display()))
}

/// One job as a JSON line.
fn job_line(job: &tidily_core::entity::job::Model) -> serde_json::Value {
    serde_json::json!({
        "id": job.id,
        "kind": job.kind,
        "key": job.dedupe_key,
        "state": format!("{:?}", job.state).to_lowercase(),
        "attempts": job.attempts,
        "worker": job.worker,
        "run_at": job.run_at,
        "finished_at": job.finished_at,
        "error": job.last_error,
    })
}

/// A password from the flag, or else the first line of standard input.
fn read_password(given: Option<String>) -> anyhow::Result<String> {
    let password = match given {
        Some(p) => p,
        None => {
            eprintln!("password (then Enter):");
            let mut line = String::new();
            std::io::stdin().lock().read_line(&mut line)?;
            line.trim_end_matches(['\r', '\n']).to_owned()
        }
    };
    Ok(password)
}

async fn find_owner(state: &AppState, email: &str) -> anyhow::Result<Owner> {
    accounts::operator_names(state, email)
        .await
        .with_context(|| format!("no account with e-mail {email}"))
}

async fn user_command(state: &AppState, cmd: UserCommand) -> anyhow::Result<()> {
    match cmd {
        UserCommand::Create {
            email,
            display_name,
            password,
            admin,
            locale,
        } => {
            let locale = match locale.as_str() {
                "ja" => Locale::Ja,
                "en" => Locale::En,
                other => bail!("unknown locale {other:?}: use ja or en"),
            };
            let password = read_password(password)?;
            let role = if admin {
                UserRole::Admin
            } else {
                UserRole::User
            };
            let request = SignUp {
                email,
                password,
                display_name,
                locale: Some(locale),
            };
            let (_, user) = accounts::sign_up(state, Opener::Operator(role), request).await?;
            println!("created account {} ({})", user.email, user.id);
        }
        UserCommand::SetPassword { email, password } => {
            let owner = find_owner(state, &email).await?;
            accounts::reset_password(state, owner, read_password(password)?).await?;
            println!("password changed for {email}; its sessions and tokens were revoked");
        }
        UserCommand::Promote { email } => {
            let owner = find_owner(state, &email).await?;
            accounts::promote(state, owner).await?;
            println!("{email} is now an admin");
        }
        UserCommand::List => {
            println!("{:>6}  {:<6}  {:<40}  created", "id", "role", "email");
            for u in accounts::all(state).await? {
                let role = if u.role == UserRole::Admin {
                    "admin"
                } else {
                    "user"
                };
                println!(
                    "{:>6}  {:<6}  {:<40}  {}",
                    u.id,
                    role,
                    u.email,
                    u.created_at.format("%Y-%m-%d")
                );
            }
        }
    }
    Ok(())
}
