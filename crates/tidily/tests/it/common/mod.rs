//! Integration-test harness: the zero2prod `spawn_app` habit, applied to the real binary.
//!
//! Every scenario starts the compiled `tidily` binary on a loopback port of its own (it binds
//! port 0 and reports the port it got in a file) against a fresh
//! database of its own (a SQLite file in a temporary directory, or a freshly created PostgreSQL
//! database), runs `tidily migrate` first exactly as a deployment does, and talks to the server
//! over HTTP only. Nothing in here links against the server's code: the tests see what a client
//! sees, so they check the contract in `docs/api.md`, not the implementation.
//!
//! The [`both_backends!`] macro turns one scenario into two tests, `sqlite` and `postgres`.
//! The PostgreSQL variant needs `TEST_DATABASE_URL` (a superuser connection, e.g.
//! `postgres://postgres:postgres@127.0.0.1:5432/postgres`); without it the test prints a loud
//! `SKIPPED` line and passes, unless `TIDILY_REQUIRE_POSTGRES=1` says that skipping is a failure.
#![allow(dead_code)]

use std::fs::File;
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

use reqwest::header::HeaderMap;
pub use reqwest::Method;
use sea_orm::{ConnectOptions, ConnectionTrait, Database};
pub use serde_json::{json, Value};

/// The password every test user signs up with (the contract wants 10 to 256 characters).
pub const PASSWORD: &str = "correct horse battery staple";

/// How many times, 50 ms apart, the harness asks `/api/health` before giving up on a server.
const HEALTH_POLLS: u32 = 200;

/// Which database a scenario runs against.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Runs one scenario body once per backend: `both_backends!(fn name(app) { ... })` expands to
/// `mod name { async fn sqlite() ...; async fn postgres() ... }`, each with its own server.
macro_rules! both_backends {
    ($(#[$meta:meta])* fn $name:ident($app:ident) $body:block) => {
        $(#[$meta])*
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn scenario($app: $crate::common::TestApp) $body

            #[tokio::test]
            async fn sqlite() {
                if let Some(app) =
                    $crate::common::TestApp::for_backend($crate::common::Backend::Sqlite).await
                {
                    scenario(app).await;
                }
            }

            #[tokio::test]
            async fn postgres() {
                if let Some(app) =
                    $crate::common::TestApp::for_backend($crate::common::Backend::Postgres).await
                {
                    scenario(app).await;
                }
            }
        }
    };
}

/// A PostgreSQL database created for one test and dropped when the test ends.
struct PgDatabase {
    admin_url: String,
    name: String,
}

/// A running `tidily serve --role all` with its own database; killed and cleaned up on drop.
pub struct TestApp {
    pub backend: Backend,
    pub base_url: String,
    pub port: u16,
    pub database_url: String,
    env: Vec<(String, String)>,
    child: Option<Child>,
    dir: tempfile::TempDir,
    pg: Option<PgDatabase>,
    http: reqwest::Client,
}

/// Whether the PostgreSQL suite must run (CI) rather than be skipped.
fn postgres_required() -> bool {
    std::env::var("TIDILY_REQUIRE_POSTGRES").is_ok_and(|v| v == "1")
}

fn random_hex() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

fn http_client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(60))
        .build()
        .expect("reqwest client")
}

impl TestApp {
    /// The app for one backend, or `None` (after a loud message) when PostgreSQL is not
    /// configured and not required.
    pub async fn for_backend(backend: Backend) -> Option<TestApp> {
        Self::for_backend_with_env(backend, &[]).await
    }

    /// [`TestApp::for_backend`] with extra environment variables.
    pub async fn for_backend_with_env(
        backend: Backend,
        extra_env: &[(&str, &str)],
    ) -> Option<TestApp> {
        if backend == Backend::Postgres && std::env::var("TEST_DATABASE_URL").is_err() {
            assert!(
                !postgres_required(),
                "TIDILY_REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set: \
                 the PostgreSQL suite cannot run"
            );
            eprintln!("SKIPPED: TEST_DATABASE_URL not set (PostgreSQL variant not run)");
            return None;
        }
        Some(Self::spawn_with_env(backend, extra_env).await)
    }

    /// Starts a server on `backend` with the standard test environment.
    pub async fn spawn(backend: Backend) -> TestApp {
        Self::spawn_with_env(backend, &[]).await
    }

    /// Starts a server on `backend`; `extra_env` is added to (and overrides) the standard
    /// test environment.
    pub async fn spawn_with_env(backend: Backend, extra_env: &[(&str, &str)]) -> TestApp {
        Self::spawn_configured(backend, extra_env, None).await
    }

    /// A PostgreSQL server that reaches its database through `proxy` (which a test can cut),
    /// or `None` (after a loud message) when PostgreSQL is not configured and not required.
    pub async fn postgres_behind(proxy: &DbProxy, extra_env: &[(&str, &str)]) -> Option<TestApp> {
        if std::env::var("TEST_DATABASE_URL").is_err() {
            assert!(
                !postgres_required(),
                "TIDILY_REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set"
            );
            eprintln!("SKIPPED: TEST_DATABASE_URL not set (PostgreSQL variant not run)");
            return None;
        }
        Some(Self::spawn_configured(Backend::Postgres, extra_env, Some(proxy.port)).await)
    }

    async fn spawn_configured(
        backend: Backend,
        extra_env: &[(&str, &str)],
        via_port: Option<u16>,
    ) -> TestApp {
        let dir = tempfile::tempdir().expect("temporary directory");
        let (database_url, pg) = match backend {
            Backend::Sqlite => {
                let path = dir.path().join("tidily.db");
                (format!("sqlite://{}?mode=rwc", path.display()), None)
            }
            Backend::Postgres => {
                let admin_url = std::env::var("TEST_DATABASE_URL").expect("TEST_DATABASE_URL");
                let name = format!("tidily_test_{}", random_hex());
                create_pg_database(&admin_url, &name).await;
                let mut url = url::Url::parse(&admin_url).expect("TEST_DATABASE_URL is a URL");
                url.set_path(&format!("/{name}"));
                if let Some(port) = via_port {
                    url.set_host(Some("127.0.0.1")).expect("host");
                    url.set_port(Some(port)).expect("port");
                }
                (url.to_string(), Some(PgDatabase { admin_url, name }))
            }
        };
        // The server binds port 0 (any free port) and writes the one it got to a file: no
        // port is guessed in advance, so two tests never race for one. `BASE_URL`, which
        // deployments set to their public address, cannot name a port not yet chosen.
        let port_file = dir.path().join("port");
        let mut env: Vec<(String, String)> = vec![
            ("DATABASE_URL".into(), database_url.clone()),
            ("APP_ENV".into(), "test".into()),
            (
                "JWT_SECRET".into(),
                format!("{}{}", random_hex(), random_hex()),
            ),
            ("BIND".into(), "127.0.0.1".into()),
            ("PORT".into(), "0".into()),
            ("TIDILY_PORT_FILE".into(), port_file.display().to_string()),
            // Shared with `sibling` servers, as a deployment's servers share one store.
            (
                "FILE_STORE".into(),
                dir.path().join("files").display().to_string(),
            ),
            ("BASE_URL".into(), "http://127.0.0.1".into()),
            ("LOG_FORMAT".into(), "json".into()),
            ("RUST_LOG".into(), "warn".into()),
        ];
        for (key, value) in extra_env {
            env.retain(|(k, _)| k != key);
            env.push((key.to_string(), value.to_string()));
        }
        let mut app = TestApp {
            backend,
            base_url: String::new(),
            port: 0,
            database_url,
            env,
            child: None,
            dir,
            pg,
            http: http_client(),
        };
        let migrate = app.run_cli(&["migrate"]);
        assert!(
            migrate.status.success(),
            "`tidily migrate` failed ({}):\nstdout: {}\nstderr: {}",
            migrate.status,
            String::from_utf8_lossy(&migrate.stdout),
            String::from_utf8_lossy(&migrate.stderr)
        );
        app.start_server().await;
        app
    }

    fn log_path(&self) -> PathBuf {
        self.dir.path().join("server.log")
    }

    /// What the server has written to stdout and stderr so far.
    pub fn server_log(&self) -> String {
        std::fs::read_to_string(self.log_path()).unwrap_or_default()
    }

    /// The command that runs the binary with this app's environment.
    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_tidily"));
        cmd.args(args)
            .current_dir(self.dir.path())
            .envs(self.env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .stdin(Stdio::null());
        cmd
    }

    fn port_file(&self) -> PathBuf {
        self.dir.path().join("port")
    }

    async fn start_server(&mut self) {
        let log = File::create(self.log_path()).expect("server log file");
        let _ = std::fs::remove_file(self.port_file());
        let role = self
            .env
            .iter()
            .find(|(k, _)| k == "TIDILY_ROLE")
            .map_or("all".to_string(), |(_, v)| v.clone());
        let mut command = self.command(&["serve", "--role", &role]);
        if self.port != 0 {
            // A restart keeps the port its clients know.
            command.env("PORT", self.port.to_string());
        }
        let child = command
            .stdout(log.try_clone().expect("clone log handle"))
            .stderr(log)
            .spawn()
            .expect("spawn `tidily serve`");
        self.child = Some(child);
        self.port = self.wait_for_port().await;
        self.base_url = format!("http://127.0.0.1:{}", self.port);
        let url = format!("{}/api/health", self.base_url);
        for _ in 0..HEALTH_POLLS {
            if let Ok(resp) = self.http.get(&url).send().await {
                if resp.status() == 200 {
                    return;
                }
            }
            self.panic_if_exited();
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!(
            "`tidily serve` did not answer GET /api/health with 200; log:\n{}",
            self.server_log()
        );
    }

    /// A second server process on this app's database, with the same settings, as a second
    /// ECS task would be. It does not own the database: dropping it stops only the process.
    pub async fn sibling(&self) -> TestApp {
        let dir = tempfile::tempdir().expect("temporary directory");
        let mut env = self.env.clone();
        env.retain(|(k, _)| k != "TIDILY_PORT_FILE");
        env.push((
            "TIDILY_PORT_FILE".into(),
            dir.path().join("port").display().to_string(),
        ));
        let mut twin = TestApp {
            backend: self.backend,
            base_url: String::new(),
            port: 0,
            database_url: self.database_url.clone(),
            env,
            child: None,
            dir,
            pg: None,
            http: http_client(),
        };
        twin.start_server().await;
        twin
    }

    /// The port the server wrote to its port file once it was listening.
    async fn wait_for_port(&mut self) -> u16 {
        for _ in 0..HEALTH_POLLS {
            if let Ok(text) = std::fs::read_to_string(self.port_file()) {
                return text.trim().parse().expect("a port number in the port file");
            }
            self.panic_if_exited();
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!(
            "`tidily serve` wrote no port file; log:\n{}",
            self.server_log()
        );
    }

    fn panic_if_exited(&mut self) {
        if let Some(status) = self
            .child
            .as_mut()
            .and_then(|c| c.try_wait().ok().flatten())
        {
            panic!(
                "`tidily serve` exited early ({status}); log:\n{}",
                self.server_log()
            );
        }
    }

    /// Runs `tidily <args>` to completion against this app's database.
    pub fn run_cli(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("run the tidily binary")
    }

    /// Runs `tidily <args>` and asserts that it succeeded; returns its stdout.
    #[track_caller]
    pub fn cli_ok(&self, args: &[&str]) -> String {
        let out = self.run_cli(args);
        assert!(
            out.status.success(),
            "`tidily {}` failed ({}):\nstdout: {}\nstderr: {}",
            args.join(" "),
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Drops this app's PostgreSQL database under the running server (health-failure tests).
    pub async fn drop_database_now(&self) {
        let pg = self.pg.as_ref().expect("a PostgreSQL app");
        let db = connect_admin(&pg.admin_url)
            .await
            .expect("admin connection");
        db.execute_unprepared(&format!("DROP DATABASE \"{}\" WITH (FORCE)", pg.name))
            .await
            .expect("drop the test database");
        let _ = db.close().await;
    }

    /// The value of one of the server's environment variables (e.g. `JWT_SECRET`).
    /// Runs one SQL statement on the app's database (to age rows a test cannot wait for).
    pub async fn exec_sql(&self, sql: &str) {
        let db = connect_admin(&self.database_url).await.expect("connect");
        db.execute_unprepared(sql)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
        let _ = db.close().await;
    }

    /// The single whole number a query returns.
    pub async fn query_i64(&self, sql: &str) -> i64 {
        let db = connect_admin(&self.database_url).await.expect("connect");
        let row = db
            .query_one(sea_orm::Statement::from_string(
                db.get_database_backend(),
                sql.to_owned(),
            ))
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
            .expect("a row");
        let n: i64 = row.try_get_by_index(0).expect("a whole number");
        let _ = db.close().await;
        n
    }

    pub fn env_var(&self, key: &str) -> Option<&str> {
        self.env
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The process id of the running server (for signal tests).
    pub fn pid(&self) -> u32 {
        self.child.as_ref().expect("server running").id()
    }

    /// Kills the server with SIGKILL, as a crash or the OOM killer would, and waits for it.
    pub fn kill_hard(&mut self) {
        let mut child = self.child.take().expect("server running");
        child.kill().expect("SIGKILL the server");
        child.wait().expect("reap the server");
    }

    /// Starts the server again on the same database and port (after [`TestApp::kill_hard`]).
    pub async fn restart(&mut self) {
        assert!(self.child.is_none(), "the server is still running");
        self.start_server().await;
    }

    /// The server's peak resident memory so far (`VmHWM`), in KiB.
    pub fn peak_rss_kb(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid()))
            .expect("read /proc/<pid>/status");
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .expect("VmHWM in /proc/<pid>/status")
    }

    /// Waits (bounded) for the server process to exit on its own and returns its status.
    pub async fn wait_for_exit(&mut self) -> std::process::ExitStatus {
        let child = self.child.as_mut().expect("server running");
        for _ in 0..400 {
            if let Some(status) = child.try_wait().expect("try_wait") {
                self.child = None;
                return status;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the server did not exit within 20 s");
    }

    /// A client without credentials.
    pub fn anon(&self) -> Client {
        Client {
            http: self.http.clone(),
            base_url: self.base_url.clone(),
            token: None,
            refresh_token: None,
            cookie: None,
            csrf: None,
            email: String::new(),
            password: String::new(),
            user: Value::Null,
        }
    }

    /// Signs `email` up with [`PASSWORD`] and returns a client holding its access token.
    pub async fn signup(&self, email: &str) -> Client {
        let mut client = self.anon();
        let body = client
            .post(
                "/auth/signup",
                json!({"email": email, "password": PASSWORD, "display_name": "Tester"}),
            )
            .await;
        let body = expect(body, 201);
        client.adopt_tokens(&body);
        client.email = email.to_string();
        client.password = PASSWORD.to_string();
        client
    }

    /// Logs in through `POST /auth/token` and returns a client holding the new tokens.
    pub async fn login(&self, email: &str, password: &str) -> Client {
        let mut client = self.anon();
        let resp = client
            .post("/auth/token", json!({"email": email, "password": password}))
            .await;
        let body = expect(resp, 200);
        client.adopt_tokens(&body);
        client.email = email.to_string();
        client.password = password.to_string();
        client
    }

    /// Logs in through `POST /auth/session`: the client then carries the session cookie and
    /// sends the CSRF token (clear `csrf` to leave it out).
    pub async fn session_login(&self, email: &str, password: &str) -> (Client, FullResp) {
        let mut client = self.anon();
        let resp = client
            .full(
                Method::POST,
                "/auth/session",
                Body::Json(json!({"email": email, "password": password})),
                &[],
            )
            .await;
        assert_eq!(resp.status, 200, "session log-in: {}", resp.text);
        let cookie = resp
            .headers
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("tidily_session="))
            .unwrap_or_else(|| panic!("no tidily_session cookie in {:?}", resp.headers));
        let pair = cookie
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_string();
        client.cookie = Some(pair);
        client.csrf = resp.body["csrf_token"].as_str().map(str::to_string);
        assert!(client.csrf.is_some(), "no csrf_token in {}", resp.body);
        client.user = resp.body["user"].clone();
        client.email = email.to_string();
        client.password = password.to_string();
        (client, resp)
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
        if std::thread::panicking() {
            // A failed test shows what the server logged (warnings and errors).
            let log = self.server_log();
            let tail: Vec<&str> = log.lines().rev().take(40).collect();
            let tail: Vec<&str> = tail.into_iter().rev().collect();
            eprintln!(
                "---- server log ({:?}) ----\n{}",
                self.backend,
                tail.join("\n")
            );
        }
        if let Some(pg) = self.pg.take() {
            // Drop runs inside the test's runtime, which cannot be blocked on: use a thread
            // with a runtime of its own. Best effort: a leftover database is only litter.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("runtime");
                rt.block_on(async {
                    if let Ok(db) = connect_admin(&pg.admin_url).await {
                        let sql = format!("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", pg.name);
                        let _ = db.execute_unprepared(&sql).await;
                        let _ = db.close().await;
                    }
                });
            })
            .join();
        }
    }
}

async fn connect_admin(url: &str) -> Result<sea_orm::DatabaseConnection, sea_orm::DbErr> {
    let mut opts = ConnectOptions::new(url.to_string());
    opts.max_connections(1)
        .connect_timeout(Duration::from_secs(10))
        .sqlx_logging(false);
    Database::connect(opts).await
}

async fn create_pg_database(admin_url: &str, name: &str) {
    let db = connect_admin(admin_url)
        .await
        .unwrap_or_else(|e| panic!("cannot connect to TEST_DATABASE_URL: {e}"));
    db.execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
        .await
        .unwrap_or_else(|e| panic!("CREATE DATABASE {name}: {e}"));
    let _ = db.close().await;
}

/// Polls the item until its capture is no longer pending; returns it.
pub async fn settled(c: &Client, id: i64, within: Duration) -> Value {
    let deadline = tokio::time::Instant::now() + within;
    loop {
        let item = expect(c.get(&format!("/items/{id}")).await, 200);
        if item["capture_state"] != "pending" {
            return item;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "item {id} still pending after {within:?}: {item}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Status and JSON body of a response (`Value::Null` for an empty body, `Value::String` with
/// the raw text for a body that is not JSON, so that assertions on it fail readably).
pub type Resp = (u16, Value);

/// A response with its headers.
pub struct FullResp {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Value,
    pub text: String,
}

impl FullResp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn resp(&self) -> Resp {
        (self.status, self.body.clone())
    }
}

/// What a request carries.
pub enum Body {
    None,
    Json(Value),
    /// Raw bytes with an optional `Content-Type`.
    Raw(Option<&'static str>, Vec<u8>),
}

/// A user's HTTP client: a bearer token, or a session cookie plus CSRF token.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    pub base_url: String,
    pub token: Option<String>,
    pub refresh_token: Option<String>,
    pub cookie: Option<String>,
    pub csrf: Option<String>,
    pub email: String,
    pub password: String,
    pub user: Value,
}

impl Client {
    /// Takes the tokens and user of a signup / token / refresh answer.
    pub fn adopt_tokens(&mut self, body: &Value) {
        self.token = Some(body["access_token"].as_str().expect("access_token").into());
        self.refresh_token = Some(
            body["refresh_token"]
                .as_str()
                .expect("refresh_token")
                .into(),
        );
        if !body["user"].is_null() {
            self.user = body["user"].clone();
        }
    }

    /// The same user with another bearer credential (a JWT or an API token).
    pub fn with_token(&self, token: &str) -> Client {
        let mut c = self.clone();
        c.token = Some(token.to_string());
        c.cookie = None;
        c
    }

    /// The user's id.
    pub fn id(&self) -> i64 {
        self.user["id"].as_i64().expect("user id")
    }

    /// `/api/...` and `/health...` paths are taken as they are; anything else is under `/api/v1`.
    pub fn url(&self, path: &str) -> String {
        if path.starts_with("/api/") || path.starts_with("/health") || path == "/" {
            format!("{}{}", self.base_url, path)
        } else {
            format!("{}/api/v1{}", self.base_url, path)
        }
    }

    /// Sends a request; a transport failure (the server is down) is an `Err`, not a panic.
    pub async fn try_send(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<Resp, String> {
        let mut req = self.http.request(method, self.url(path));
        if let Some(token) = &self.token {
            req = req.bearer_auth(token);
        }
        if let Some(body) = body {
            req = req.json(&body);
        }
        let resp = req.send().await.map_err(|e| e.to_string())?;
        let status = resp.status().as_u16();
        let text = resp.text().await.map_err(|e| e.to_string())?;
        let body = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        };
        Ok((status, body))
    }

    /// Sends a request and returns status, headers and body.
    pub async fn full(
        &self,
        method: Method,
        path: &str,
        body: Body,
        headers: &[(&str, &str)],
    ) -> FullResp {
        let mut req = self.http.request(method.clone(), self.url(path));
        if let Some(token) = &self.token {
            req = req.bearer_auth(token);
        }
        if let Some(cookie) = &self.cookie {
            req = req.header("cookie", cookie);
        }
        if let Some(csrf) = &self.csrf {
            req = req.header("x-csrf-token", csrf);
        }
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        req = match body {
            Body::None => req,
            Body::Json(v) => req.json(&v),
            Body::Raw(content_type, bytes) => {
                if let Some(ct) = content_type {
                    req = req.header("content-type", ct);
                }
                req.body(bytes)
            }
        };
        let resp = req
            .send()
            .await
            .unwrap_or_else(|e| panic!("{method} {path}: transport error {e}"));
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let text = resp.text().await.unwrap_or_default();
        let body = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or_else(|_| Value::String(text.clone()))
        };
        FullResp {
            status,
            headers,
            body,
            text,
        }
    }

    pub async fn get(&self, path: &str) -> Resp {
        self.full(Method::GET, path, Body::None, &[]).await.resp()
    }

    /// GETs a binary body (an image): status, headers and the bytes.
    pub async fn get_bytes(
        &self,
        path: &str,
        headers: &[(&str, &str)],
    ) -> (u16, HeaderMap, Vec<u8>) {
        let mut req = self.http.get(self.url(path));
        if let Some(token) = &self.token {
            req = req.bearer_auth(token);
        }
        if let Some(cookie) = &self.cookie {
            req = req.header("cookie", cookie);
        }
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let resp = req
            .send()
            .await
            .unwrap_or_else(|e| panic!("GET {path}: transport error {e}"));
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let bytes = resp.bytes().await.unwrap_or_default().to_vec();
        (status, headers, bytes)
    }

    pub async fn post(&self, path: &str, body: Value) -> Resp {
        self.full(Method::POST, path, Body::Json(body), &[])
            .await
            .resp()
    }

    /// A POST without a body (the item actions).
    pub async fn post_empty(&self, path: &str) -> Resp {
        self.full(Method::POST, path, Body::None, &[]).await.resp()
    }

    pub async fn patch(&self, path: &str, body: Value) -> Resp {
        self.full(Method::PATCH, path, Body::Json(body), &[])
            .await
            .resp()
    }

    pub async fn delete(&self, path: &str) -> Resp {
        self.full(Method::DELETE, path, Body::None, &[])
            .await
            .resp()
    }

    /// The status line and body of the answer to a request that declares a body of `length`
    /// bytes and sends none: what a server answers from the headers alone (a refusal for
    /// size, before any body; a client still sending a large body may see the connection
    /// close before such an answer).
    pub async fn declared_only(
        &self,
        method: &str,
        path: &str,
        content_type: &str,
        length: usize,
    ) -> (String, Value) {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let url = url::Url::parse(&self.url(path)).expect("url");
        let addr = format!(
            "{}:{}",
            url.host_str().expect("host"),
            url.port().expect("port")
        );
        let mut stream = tokio::net::TcpStream::connect(&addr)
            .await
            .expect("connect");
        let auth = self
            .token
            .as_ref()
            .map(|t| format!("Authorization: Bearer {t}\r\n"))
            .unwrap_or_default();
        let head = format!(
            "{method} {} HTTP/1.1\r\nHost: {addr}\r\n{auth}Content-Type: {content_type}\r\nContent-Length: {length}\r\n\r\n",
            url.path()
        );
        stream.write_all(head.as_bytes()).await.expect("write");
        let mut answer = vec![0; 4096];
        let n = tokio::time::timeout(Duration::from_secs(10), stream.read(&mut answer))
            .await
            .expect("an answer from the headers alone")
            .expect("read");
        let text = String::from_utf8_lossy(&answer[..n]).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let status = head.lines().next().unwrap_or_default().to_owned();
        (
            status,
            serde_json::from_str(body).unwrap_or(Value::String(body.to_owned())),
        )
    }

    /// A request with a raw body and the given content type (or none).
    pub async fn raw(
        &self,
        method: Method,
        path: &str,
        content_type: Option<&'static str>,
        body: impl Into<Vec<u8>>,
    ) -> Resp {
        self.full(method, path, Body::Raw(content_type, body.into()), &[])
            .await
            .resp()
    }

    // ---- resource helpers (each asserts success) ----

    /// The user's profiles, in their order.
    pub async fn profiles(&self) -> Vec<Value> {
        let body = expect(self.get("/profiles").await, 200);
        body.as_array().expect("profile array").clone()
    }

    /// The id of the profile called `name`.
    pub async fn profile_id(&self, name: &str) -> i64 {
        self.profiles()
            .await
            .iter()
            .find(|p| p["name"] == name)
            .and_then(|p| p["id"].as_i64())
            .unwrap_or_else(|| panic!("no profile {name}"))
    }

    /// Creates an item from a full request body.
    pub async fn create_item(&self, body: Value) -> Value {
        expect(self.post("/items", body).await, 201)
    }

    /// Creates an item with just a title in `profile_id`.
    pub async fn item(&self, profile_id: i64, title: &str) -> Value {
        self.create_item(json!({"profile_id": profile_id, "title": title}))
            .await
    }

    pub async fn create_folder(
        &self,
        profile_id: i64,
        parent_id: Option<i64>,
        name: &str,
    ) -> Value {
        expect(
            self.post(
                "/folders",
                json!({"profile_id": profile_id, "parent_id": parent_id, "name": name}),
            )
            .await,
            201,
        )
    }

    pub async fn create_tag(&self, name: &str, color: &str) -> Value {
        expect(
            self.post("/tags", json!({"name": name, "color": color}))
                .await,
            201,
        )
    }

    pub async fn create_category(&self, name: &str, color: &str) -> Value {
        expect(
            self.post("/categories", json!({"name": name, "color": color}))
                .await,
            201,
        )
    }

    /// One page of `GET /items?<query>`.
    pub async fn list_page(&self, query: &str) -> Value {
        expect(self.get(&format!("/items?{query}")).await, 200)
    }

    /// Every item of `GET /items?<query>` on one page of up to 200.
    pub async fn list(&self, query: &str) -> Vec<Value> {
        let sep = if query.is_empty() { "" } else { "&" };
        let page = self.list_page(&format!("{query}{sep}limit=200")).await;
        assert!(
            page["next_cursor"].is_null(),
            "expected one page: {}",
            page["next_cursor"]
        );
        page["items"].as_array().expect("items").clone()
    }

    /// Titles of `list(query)`, in order.
    pub async fn titles(&self, query: &str) -> Vec<String> {
        titles(&self.list(query).await)
    }

    /// Walks every page of `GET /items?<query>&limit=<limit>` and returns all items in order.
    pub async fn walk_pages(&self, query: &str, limit: u32) -> Vec<Value> {
        let mut all = Vec::new();
        let mut cursor: Option<String> = None;
        for _ in 0..1000 {
            let mut q = format!("{query}&limit={limit}");
            if let Some(c) = &cursor {
                q.push_str(&format!("&cursor={}", enc(c)));
            }
            let page = self.list_page(&q).await;
            let items = page["items"].as_array().expect("items").clone();
            assert!(items.len() <= limit as usize, "page larger than limit");
            all.extend(items);
            match page["next_cursor"].as_str() {
                Some(c) => cursor = Some(c.to_string()),
                None => return all,
            }
        }
        panic!("pagination did not end");
    }
}

/// Asserts the status and returns the body, showing the body on failure.
#[track_caller]
pub fn expect(resp: Resp, status: u16) -> Value {
    assert_eq!(resp.0, status, "unexpected status; body: {}", resp.1);
    resp.1
}

/// Asserts a response is an error with the contract's envelope, status and code; returns the
/// `error` object.
#[track_caller]
pub fn assert_error(resp: &Resp, status: u16, code: &str) -> Value {
    assert_eq!(resp.0, status, "unexpected status; body: {}", resp.1);
    let error = &resp.1["error"];
    assert!(error.is_object(), "no error envelope in {}", resp.1);
    assert_eq!(error["code"], code, "wrong error code in {}", resp.1);
    assert!(
        error["message"].as_str().is_some_and(|m| !m.is_empty()),
        "error without a message: {}",
        resp.1
    );
    error.clone()
}

/// Asserts a 422 whose `fields` names `field`.
#[track_caller]
pub fn assert_invalid_field(resp: &Resp, field: &str) {
    let error = assert_error(resp, 422, "validation_failed");
    // `tag_ids[0]` or `tag_ids.0` names `tag_ids` too.
    let names = |key: &String| {
        key == field
            || key
                .strip_prefix(field)
                .is_some_and(|rest| rest.starts_with(['[', '.']))
    };
    assert!(
        error["fields"]
            .as_object()
            .is_some_and(|f| f.keys().any(names)),
        "`fields` does not name {field}: {}",
        resp.1
    );
}

/// Asserts an error envelope with one of several acceptable statuses (where the contract leaves
/// a choice, e.g. 404 or 422), and never a 5xx.
#[track_caller]
pub fn assert_error_any(resp: &Resp, statuses: &[u16]) {
    assert!(
        statuses.contains(&resp.0),
        "status {} not in {statuses:?}; body: {}",
        resp.0,
        resp.1
    );
    assert!(
        resp.1["error"]["code"].is_string(),
        "no error envelope in {}",
        resp.1
    );
}

/// Percent-encodes a query-string value.
pub fn enc(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// The `title` of each item.
pub fn titles(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .map(|i| i["title"].as_str().expect("title").to_string())
        .collect()
}

/// The `id` of each item.
pub fn ids(items: &[Value]) -> Vec<i64> {
    items
        .iter()
        .map(|i| i["id"].as_i64().expect("id"))
        .collect()
}

/// The id of a JSON object.
#[track_caller]
pub fn id(v: &Value) -> i64 {
    v["id"].as_i64().unwrap_or_else(|| panic!("no id in {v}"))
}

/// Sorted copy of a list of strings, for membership comparisons.
pub fn sorted<T: Ord + Clone>(v: &[T]) -> Vec<T> {
    let mut v = v.to_vec();
    v.sort();
    v
}

/// Texts full of SQL and HTML metacharacters and non-Latin scripts, which must be stored and
/// returned verbatim.
pub const NASTY: &[&str] = &[
    "'; DROP TABLE items;--",
    "<script>alert(1)</script>",
    "\" OR 1=1 --",
    "🦀 emoji 👍🏽 ok",
    "東京タワーの夜景とエスケープ\\n",
    "100% _under_ \\ back 'quote' \"dq\" `tick` $1 ?",
];

/// A TCP forwarder on 127.0.0.1 between the server and PostgreSQL. [`DbProxy::cut`] drops
/// every connection and refuses new ones, as a stopped or unreachable database does, for one
/// server only (the shared PostgreSQL keeps serving the other tests); [`DbProxy::restore`]
/// lets connections through again.
pub struct DbProxy {
    pub port: u16,
    up: std::sync::Arc<std::sync::atomic::AtomicBool>,
    live: std::sync::Arc<std::sync::Mutex<Vec<tokio::task::AbortHandle>>>,
    accept: tokio::task::JoinHandle<()>,
}

impl DbProxy {
    /// Forwards to the host and port of `TEST_DATABASE_URL` (default 127.0.0.1:5432).
    pub async fn start() -> DbProxy {
        let upstream = std::env::var("TEST_DATABASE_URL")
            .ok()
            .and_then(|u| url::Url::parse(&u).ok())
            .map(|u| {
                format!(
                    "{}:{}",
                    u.host_str().unwrap_or("127.0.0.1"),
                    u.port().unwrap_or(5432)
                )
            })
            .unwrap_or_else(|| "127.0.0.1:5432".into());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the proxy");
        let port = listener.local_addr().expect("proxy address").port();
        let up = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
        let live = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let (up2, live2) = (up.clone(), live.clone());
        let accept = tokio::spawn(async move {
            loop {
                let Ok((mut inbound, _)) = listener.accept().await else {
                    continue;
                };
                if !up2.load(std::sync::atomic::Ordering::SeqCst) {
                    drop(inbound);
                    continue;
                }
                let upstream = upstream.clone();
                let task = tokio::spawn(async move {
                    if let Ok(mut outbound) = tokio::net::TcpStream::connect(&upstream).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
                live2.lock().unwrap().push(task.abort_handle());
            }
        });
        DbProxy {
            port,
            up,
            live,
            accept,
        }
    }

    /// The database "goes down": open connections die, new ones are closed at once.
    pub fn cut(&self) {
        self.up.store(false, std::sync::atomic::Ordering::SeqCst);
        for task in self.live.lock().unwrap().drain(..) {
            task.abort();
        }
    }

    /// The database is back.
    pub fn restore(&self) {
        self.up.store(true, std::sync::atomic::Ordering::SeqCst);
    }
}

impl Drop for DbProxy {
    fn drop(&mut self) {
        self.accept.abort();
        self.cut();
    }
}
