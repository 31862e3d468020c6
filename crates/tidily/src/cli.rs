//! The `tidily` command: the server and its operational subcommands.

use std::{io::BufRead, net::SocketAddr, time::Duration};

use anyhow::{bail, Context};
use clap::{Args, Parser, Subcommand};

use crate::{
    auth::password::Hasher,
    config::{redact_url, Config},
    db::Db,
    domain::{text, Locale, Role as UserRole},
    http::{self, AppState, ConnLimits, Role},
    seed, store, telemetry,
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
    /// Print the OpenAPI document of the REST API.
    Openapi,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Which routes to serve: `web` (pages), `api` (/api/*) or `all`.
    #[arg(long, value_enum, default_value = "all", env = "TIDILY_ROLE")]
    pub role: Role,
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
        println!("{}", serde_json::to_string_pretty(&http::api::openapi())?);
        return Ok(());
    }
    let config = Config::from_env()?;
    telemetry::init(config.log_format);
    let db = Db::connect(&config.database_url, config.db_max_connections).await?;
    match cli.command {
        Command::Serve(args) => serve(config, db, args.role).await,
        Command::Migrate => {
            let ran = db.migrate().await?;
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
            let report =
                seed::run(&db, &args.email, &args.password, args.items_per_profile).await?;
            println!("{report}");
            Ok(())
        }
        Command::User(cmd) => {
            require_schema(&db).await?;
            user_command(&db, cmd).await
        }
        Command::Openapi => Ok(()),
    }
}

async fn require_schema(db: &Db) -> anyhow::Result<()> {
    if !db.is_up_to_date().await? {
        bail!("the database schema is not up to date: run `tidily migrate` first");
    }
    Ok(())
}

async fn serve(config: Config, db: Db, role: Role) -> anyhow::Result<()> {
    if config.app_env.is_local() {
        for name in db.migrate().await? {
            tracing::info!(migration = %name, "applied migration");
        }
    } else {
        require_schema(&db).await?;
    }
    let addr = SocketAddr::new(config.bind, config.port);
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr}"))?;
    tracing::info!(
        %addr,
        role = ?role,
        env = config.app_env.as_str(),
        database = %redact_url(&config.database_url),
        "TidilySpace is listening"
    );
    let retention = chrono::Duration::days(config.trash_retention_days.into());
    let limits = ConnLimits {
        header_timeout: Duration::from_secs(config.header_timeout_secs.into()),
        shutdown_grace: Duration::from_secs(config.shutdown_grace_secs.into()),
    };
    let state = AppState::new(db.clone(), config);
    let housekeeping = tokio::spawn(housekeeping(db.clone(), retention));
    let result = http::serve(listener, http::app(state, role), limits).await;
    housekeeping.abort();
    db.close().await;
    tracing::info!("stopped");
    result
}

/// Hourly: empties trash past its retention and deletes expired credentials. Idempotent, so
/// several tasks running it at once do no harm.
async fn housekeeping(db: Db, retention: chrono::Duration) {
    let mut tick = tokio::time::interval(Duration::from_secs(3600));
    loop {
        tick.tick().await;
        match store::items::purge_expired_trash(&db, retention).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(purged = n, "emptied expired trash"),
            Err(e) => tracing::warn!(error = %e, "trash purge failed"),
        }
        if let Err(e) = store::credentials::purge_expired(&db).await {
            tracing::warn!(error = %e, "credential clean-up failed");
        }
    }
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
    let mut check = crate::validate::Check::new();
    check.password("password", &password);
    if check.has_errors() {
        bail!(
            "the password must be {} to {} characters",
            text::PASSWORD_MIN,
            text::PASSWORD_MAX
        );
    }
    Ok(password)
}

async fn find_user(db: &Db, email: &str) -> anyhow::Result<crate::entity::user::Model> {
    store::users::find_by_email(db, email)
        .await?
        .with_context(|| format!("no account with e-mail {email}"))
}

async fn user_command(db: &Db, cmd: UserCommand) -> anyhow::Result<()> {
    let hasher = Hasher::new(1);
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
            let mut check = crate::validate::Check::new();
            let email = check.email("email", &email);
            if check.has_errors() {
                bail!("{email:?} is not an e-mail address");
            }
            let password = read_password(password)?;
            let user = store::users::create(
                db,
                store::users::NewUser {
                    display_name: display_name
                        .unwrap_or_else(|| email.split('@').next().unwrap_or_default().to_owned()),
                    email,
                    password_hash: hasher.hash(password).await?,
                    locale,
                    role: if admin {
                        UserRole::Admin
                    } else {
                        UserRole::User
                    },
                },
            )
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("created account {} ({})", user.email, user.id);
        }
        UserCommand::SetPassword { email, password } => {
            let user = find_user(db, &email).await?;
            let hash = hasher.hash(read_password(password)?).await?;
            store::users::set_password_hash(db, user.id, hash, None).await?;
            println!(
                "password changed for {}; its sessions and tokens were revoked",
                user.email
            );
        }
        UserCommand::Promote { email } => {
            let user = find_user(db, &email).await?;
            store::users::set_role(db, user.id, UserRole::Admin).await?;
            println!("{} is now an admin", user.email);
        }
        UserCommand::List => {
            println!("{:>6}  {:<6}  {:<40}  created", "id", "role", "email");
            for u in store::users::list(db).await? {
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
