//! Runtime configuration, read once from environment variables (12-factor).
//!
//! Every problem is collected and reported together, one line each, so an operator fixing a
//! task definition sees all of them at once instead of one per failed deploy.

use std::{fmt, net::IpAddr, str::FromStr};

use ipnet::IpNet;
use url::Url;

use crate::domain::link::BreakRule;

/// Where the process runs; production refuses insecure settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppEnv {
    Development,
    Test,
    Staging,
    Production,
}

impl AppEnv {
    /// Development and test relax cookie `Secure` and allow a generated JWT secret.
    pub fn is_local(self) -> bool {
        matches!(self, AppEnv::Development | AppEnv::Test)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            AppEnv::Development => "development",
            AppEnv::Test => "test",
            AppEnv::Staging => "staging",
            AppEnv::Production => "production",
        }
    }
}

impl FromStr for AppEnv {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "development" | "dev" => Ok(AppEnv::Development),
            "test" => Ok(AppEnv::Test),
            "staging" => Ok(AppEnv::Staging),
            "production" | "prod" => Ok(AppEnv::Production),
            other => Err(format!(
                "APP_ENV: unknown environment {other:?} (expected development, test, staging or production)"
            )),
        }
    }
}

/// Log output format: human-readable in development, JSON lines elsewhere (CloudWatch).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Pretty,
    Json,
}

/// The validated configuration of one process.
#[derive(Clone)]
pub struct Config {
    pub app_env: AppEnv,
    pub database_url: String,
    pub jwt_secret: Vec<u8>,
    pub bind: IpAddr,
    pub port: u16,
    pub base_url: Url,
    /// Peers whose `X-Forwarded-For` / `X-Forwarded-Proto` headers are believed (the ALB).
    pub trusted_proxies: Vec<IpNet>,
    pub log_format: LogFormat,
    pub trash_retention_days: u32,
    pub db_max_connections: u32,
    /// Password hashes computed at once (each holds 19 MiB while it runs).
    pub hash_concurrency: u32,
    /// How long a client may take to send a request's headers before the connection is cut.
    pub header_timeout_secs: u32,
    /// How long in-flight requests may run on after SIGTERM before the process exits anyway.
    pub shutdown_grace_secs: u32,
    /// Background jobs this process runs at once (0: it runs none; `tidily worker` or other
    /// instances do).
    pub worker_concurrency: u32,
    /// How long a claimed job is this worker's before another may take it over; a running
    /// job renews it every third of it.
    pub job_lease_secs: u32,
    /// The period of the housekeeping schedule (trash purge, expired credentials, old jobs).
    pub housekeeping_secs: u32,
    /// Private hosts and networks that page capture may fetch from anyway (a LAN service the
    /// user bookmarks); everything private is refused otherwise.
    pub capture_allow: Vec<AllowEntry>,
    /// The period of the link-health sweep, which queues the checks that are due (0: links
    /// are never checked).
    pub link_check_secs: u32,
    /// When failed checks make a link broken.
    pub link_break_rule: BreakRule,
    /// Where stored files (favicons, previews) are kept.
    pub file_store: FileStore,
    /// Bytes of stored files each user may have (0: none are stored).
    pub storage_quota_bytes: u64,
}

/// `FILE_STORE`: a directory (default `data/files`), or `s3://bucket[/prefix]` with the region,
/// credentials and endpoint from the standard `AWS_*` variables (an ECS task's role included).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileStore {
    Dir(std::path::PathBuf),
    S3 { bucket: String, prefix: String },
}

impl FileStore {
    fn parse(value: &str) -> Result<FileStore, String> {
        let Some(rest) = value.strip_prefix("s3://") else {
            return Ok(FileStore::Dir(value.into()));
        };
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        let valid = (3..=63).contains(&bucket.len())
            && bucket
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.');
        if !valid {
            return Err(format!("FILE_STORE: {bucket:?} is not an S3 bucket name"));
        }
        Ok(FileStore::S3 {
            bucket: bucket.to_owned(),
            prefix: prefix.trim_matches('/').to_owned(),
        })
    }
}

/// One entry of `CAPTURE_ALLOW_INTERNAL`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AllowEntry {
    /// A host name (lower-case): whatever it resolves to may be fetched.
    Host(String),
    /// An address or a network.
    Net(IpNet),
}

impl AllowEntry {
    /// Parses `entry`: an address, a CIDR, or a host name.
    fn parse(entry: &str) -> Result<AllowEntry, String> {
        let net = entry
            .parse::<IpNet>()
            .or_else(|_| entry.parse::<IpAddr>().map(IpNet::from));
        match net {
            Ok(net) if link_local(&net) => Err(format!(
                "CAPTURE_ALLOW_INTERNAL: {entry:?} is link-local (where cloud metadata services \
                 answer); it can never be allowed"
            )),
            Ok(net) => Ok(AllowEntry::Net(net)),
            Err(_) if is_host_name(entry) => Ok(AllowEntry::Host(entry.to_ascii_lowercase())),
            Err(_) => Err(format!(
                "CAPTURE_ALLOW_INTERNAL: {entry:?} is not a host name, an address or a CIDR"
            )),
        }
    }
}

/// Whether a network overlaps the link-local ranges (169.254.0.0/16, fe80::/10).
fn link_local(net: &IpNet) -> bool {
    let ll: [IpNet; 2] = [
        "169.254.0.0/16".parse().expect("valid"),
        "fe80::/10".parse().expect("valid"),
    ];
    ll.iter()
        .any(|l| l.contains(&net.network()) || net.contains(&l.network()))
}

fn is_host_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 253
        && s.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("app_env", &self.app_env)
            .field("database", &redact_url(&self.database_url))
            .field("bind", &self.bind)
            .field("port", &self.port)
            .field("base_url", &self.base_url.as_str())
            .field("trusted_proxies", &self.trusted_proxies)
            .finish_non_exhaustive()
    }
}

/// The minimum length of `JWT_SECRET` outside development: 32 bytes of entropy as hex or text.
const MIN_SECRET_LEN: usize = 32;

impl Config {
    /// Reads the process environment.
    pub fn from_env() -> Result<Self, ConfigErrors> {
        Self::from_lookup(|key| std::env::var(key).ok().filter(|v| !v.is_empty()))
    }

    /// Reads configuration through `get`, so tests can supply a map instead of the environment.
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigErrors> {
        let mut errors = Vec::new();
        let parse =
            |key: &str, default: &str| -> String { get(key).unwrap_or_else(|| default.to_owned()) };

        let app_env = parse("APP_ENV", "development")
            .parse::<AppEnv>()
            .map_err(|e| errors.push(e))
            .unwrap_or(AppEnv::Development);

        let database_url = get("DATABASE_URL").unwrap_or_else(default_database_url);
        let database_url = match merge_password(&database_url, get("DATABASE_PASSWORD")) {
            Ok(url) => url,
            Err(e) => {
                errors.push(e);
                database_url
            }
        };
        if !(database_url.starts_with("sqlite:") || database_url.starts_with("postgres")) {
            errors.push("DATABASE_URL: must start with sqlite: or postgres://".into());
        }

        let jwt_secret = match get("JWT_SECRET") {
            Some(s) if s.len() >= MIN_SECRET_LEN => s.into_bytes(),
            Some(_) => {
                errors.push(format!(
                    "JWT_SECRET: must be at least {MIN_SECRET_LEN} characters"
                ));
                Vec::new()
            }
            None if app_env.is_local() => {
                use rand::RngCore;
                let mut key = vec![0u8; 32];
                rand::thread_rng().fill_bytes(&mut key);
                key
            }
            None => {
                errors.push(format!(
                    "JWT_SECRET: required when APP_ENV is {}",
                    app_env.as_str()
                ));
                Vec::new()
            }
        };

        let bind = parse("BIND", "127.0.0.1")
            .parse::<IpAddr>()
            .unwrap_or_else(|_| {
                errors.push("BIND: not an IP address (e.g. 0.0.0.0 or 127.0.0.1)".into());
                IpAddr::from([127, 0, 0, 1])
            });
        let port = parse("PORT", "3000").parse::<u16>().unwrap_or_else(|_| {
            errors.push("PORT: not a port number (0-65535; 0 takes any free port)".into());
            3000
        });
        let default_base = format!("http://localhost:{port}");
        let base_url = Url::parse(&parse("BASE_URL", &default_base)).unwrap_or_else(|_| {
            errors.push("BASE_URL: not an absolute URL".into());
            Url::parse(&default_base).expect("default base URL is valid")
        });
        if app_env == AppEnv::Production && base_url.scheme() != "https" {
            errors.push("BASE_URL: must be https:// in production".into());
        }

        let trusted_proxies = parse("TRUSTED_PROXIES", "")
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .filter_map(|s| {
                s.parse::<IpNet>()
                    .or_else(|_| s.parse::<IpAddr>().map(IpNet::from))
                    .map_err(|_| errors.push(format!("TRUSTED_PROXIES: {s:?} is not a CIDR")))
                    .ok()
            })
            .collect();

        let log_format = match get("LOG_FORMAT").as_deref() {
            Some("json") => LogFormat::Json,
            Some("pretty") => LogFormat::Pretty,
            Some(other) => {
                errors.push(format!("LOG_FORMAT: {other:?} is not json or pretty"));
                LogFormat::Json
            }
            None if app_env == AppEnv::Development => LogFormat::Pretty,
            None => LogFormat::Json,
        };

        let mut number =
            |key: &str, default: u32, range: std::ops::RangeInclusive<u32>| match parse(
                key,
                &default.to_string(),
            )
            .parse::<u32>()
            {
                Ok(n) if range.contains(&n) => n,
                _ => {
                    errors.push(format!(
                        "{key}: must be a whole number from {} to {}",
                        range.start(),
                        range.end()
                    ));
                    default
                }
            };
        let trash_retention_days = number("TRASH_RETENTION_DAYS", 30, 1..=3650);
        // SQLite runs each connection on its own thread and serves readers concurrently
        // from one file: a few connections keep both cores busy, and more only add thread
        // wake-ups and lock hand-offs. PostgreSQL connections are server processes.
        let default_pool = if database_url.starts_with("sqlite:") {
            4
        } else {
            16
        };
        let db_max_connections = number("DB_MAX_CONNECTIONS", default_pool, 1..=200);
        let hash_concurrency = number("HASH_CONCURRENCY", 2, 1..=64);
        let header_timeout_secs = number("HEADER_TIMEOUT_SECS", 10, 1..=4096);
        // ECS sends SIGKILL 30 s after SIGTERM (the task's default stop timeout).
        let shutdown_grace_secs = number("SHUTDOWN_GRACE_SECS", 10, 1..=120);
        let worker_concurrency = number("WORKER_CONCURRENCY", 4, 0..=64);
        let job_lease_secs = number("JOB_LEASE_SECS", 60, 1..=3600);
        let housekeeping_secs = number("HOUSEKEEPING_SECS", 3600, 1..=86_400);
        let link_check_secs = number("LINK_CHECK_SECS", 600, 0..=86_400);
        let link_break_rule = BreakRule {
            failures: number("LINK_BROKEN_AFTER_FAILURES", 3, 1..=20) as i32,
            after: chrono::TimeDelta::hours(number("LINK_BROKEN_AFTER_HOURS", 48, 0..=2160).into()),
        };
        let capture_allow = parse("CAPTURE_ALLOW_INTERNAL", "")
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .filter_map(|s| AllowEntry::parse(s).map_err(|e| errors.push(e)).ok())
            .collect();
        // Megabytes, fractions allowed (0.5 is 512 KB).
        let storage_quota_bytes = match parse("STORAGE_QUOTA_MB", "1024").parse::<f64>() {
            Ok(mb) if (0.0..=10_000_000.0).contains(&mb) => (mb * f64::from(1u32 << 20)) as u64,
            _ => {
                errors.push(
                    "STORAGE_QUOTA_MB: must be a number of megabytes from 0 to 10000000".into(),
                );
                1024 << 20
            }
        };
        let file_store = FileStore::parse(&parse("FILE_STORE", "data/files")).unwrap_or_else(|e| {
            errors.push(e);
            FileStore::Dir("data/files".into())
        });

        if errors.is_empty() {
            Ok(Config {
                app_env,
                database_url,
                jwt_secret,
                bind,
                port,
                base_url,
                trusted_proxies,
                log_format,
                trash_retention_days,
                db_max_connections,
                hash_concurrency,
                header_timeout_secs,
                shutdown_grace_secs,
                worker_concurrency,
                job_lease_secs,
                housekeeping_secs,
                capture_allow,
                link_check_secs,
                link_break_rule,
                file_store,
                storage_quota_bytes,
            })
        } else {
            Err(ConfigErrors(errors))
        }
    }

    /// The audience of this deployment's tokens: its public origin.
    pub fn token_audience(&self) -> String {
        self.base_url.origin().ascii_serialization()
    }

    /// Whether session cookies carry the `Secure` attribute.
    pub fn secure_cookies(&self) -> bool {
        !self.app_env.is_local()
    }
}

/// The embedded default: a SQLite file under `./data/`, created on first use.
fn default_database_url() -> String {
    "sqlite://data/tidily.db?mode=rwc".to_owned()
}

/// ECS injects the RDS-managed password separately from the URL (which is stored without it),
/// so the two are joined here; a password already in the URL is replaced.
fn merge_password(database_url: &str, password: Option<String>) -> Result<String, String> {
    let Some(password) = password else {
        return Ok(database_url.to_owned());
    };
    let mut url = Url::parse(database_url)
        .map_err(|_| "DATABASE_URL: not a valid URL (needed to add DATABASE_PASSWORD)")?;
    url.set_password(Some(&password))
        .map_err(|_| "DATABASE_URL: cannot carry a password (needed for DATABASE_PASSWORD)")?;
    Ok(url.into())
}

/// A database URL with its password masked, for logs.
pub fn redact_url(url: &str) -> String {
    match Url::parse(url) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("***"));
            u.into()
        }
        _ => url.to_owned(),
    }
}

/// All configuration problems found at start-up.
#[derive(Debug)]
pub struct ConfigErrors(pub Vec<String>);

impl fmt::Display for ConfigErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "invalid configuration:")?;
        for e in &self.0 {
            writeln!(f, "  - {e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ConfigErrors {}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigErrors> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn development_defaults_to_sqlite() {
        let c = config(&[]).unwrap();
        assert_eq!(c.app_env, AppEnv::Development);
        assert!(c.database_url.starts_with("sqlite://data/"));
        assert_eq!(c.port, 3000);
        assert!(!c.secure_cookies());
    }

    #[test]
    fn production_requires_secret_and_https_and_reports_all_problems() {
        let err = config(&[("APP_ENV", "production"), ("PORT", "x")]).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("JWT_SECRET: required"), "{text}");
        assert!(text.contains("BASE_URL: must be https"), "{text}");
        assert!(text.contains("PORT:"), "{text}");
    }

    #[test]
    fn password_is_merged_into_url() {
        let c = config(&[
            (
                "DATABASE_URL",
                "postgres://dbadmin@db.example:5432/bookmarkdb",
            ),
            ("DATABASE_PASSWORD", "p@ss/word"),
        ])
        .unwrap();
        assert_eq!(
            c.database_url,
            "postgres://dbadmin:p%40ss%2Fword@db.example:5432/bookmarkdb"
        );
        assert!(!format!("{c:?}").contains("p%40ss"));
    }

    #[test]
    fn files_go_to_a_directory_or_an_s3_bucket_within_a_quota() {
        let c = config(&[]).unwrap();
        assert_eq!(c.file_store, FileStore::Dir("data/files".into()));
        assert_eq!(c.storage_quota_bytes, 1024 << 20);
        let c = config(&[
            ("FILE_STORE", "s3://bookmark-manager-prod-assets/files/"),
            ("STORAGE_QUOTA_MB", "0.5"),
        ])
        .unwrap();
        assert_eq!(
            c.file_store,
            FileStore::S3 {
                bucket: "bookmark-manager-prod-assets".into(),
                prefix: "files".into()
            }
        );
        assert_eq!(c.storage_quota_bytes, 512 << 10);
        let errors = config(&[
            ("FILE_STORE", "s3://Bad_Bucket"),
            ("STORAGE_QUOTA_MB", "-1"),
        ])
        .err()
        .unwrap()
        .0;
        assert!(
            errors.iter().any(|e| e.starts_with("FILE_STORE")),
            "{errors:?}"
        );
        assert!(
            errors.iter().any(|e| e.starts_with("STORAGE_QUOTA_MB")),
            "{errors:?}"
        );
    }

    #[test]
    fn capture_allow_list_takes_hosts_and_networks_but_never_link_local() {
        let c = config(&[(
            "CAPTURE_ALLOW_INTERNAL",
            "nas.local, 192.168.1.0/24,10.0.0.5",
        )])
        .unwrap();
        assert_eq!(
            c.capture_allow,
            vec![
                AllowEntry::Host("nas.local".into()),
                AllowEntry::Net("192.168.1.0/24".parse().unwrap()),
                AllowEntry::Net("10.0.0.5/32".parse().unwrap()),
            ]
        );
        for bad in [
            "169.254.169.254",
            "169.254.0.0/16",
            "0.0.0.0/0",
            "fe80::1",
            "::/0",
            "a b",
        ] {
            let e = config(&[("CAPTURE_ALLOW_INTERNAL", bad)])
                .unwrap_err()
                .to_string();
            assert!(e.contains("CAPTURE_ALLOW_INTERNAL"), "{bad}: {e}");
        }
    }

    #[test]
    fn trusted_proxies_accept_cidrs_and_addresses() {
        let c = config(&[("TRUSTED_PROXIES", "10.1.0.0/16, 127.0.0.1")]).unwrap();
        assert_eq!(c.trusted_proxies.len(), 2);
        assert!(config(&[("TRUSTED_PROXIES", "nope")]).is_err());
    }
}
