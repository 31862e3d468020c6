//! The harness of the core's database tests: a fresh SQLite file, and a fresh PostgreSQL
//! database when `TEST_DATABASE_URL` is set, each reachable through as many pools as a test
//! asks for (a pool per "instance", as separate processes would have).
#![allow(dead_code)]

use tidily_core::{
    db::Db,
    domain::{ItemKind, Locale, Priority, Role, Status},
    migration,
    store::{
        items::{self, ItemFields, NewTags},
        profiles,
        users::{self, NewUser},
    },
};

/// A new user (`email`) and the ID of their first profile.
pub async fn user(db: &Db, email: &str) -> (i64, i64) {
    let u = users::create(
        db,
        NewUser {
            email: email.into(),
            password_hash: "x".into(),
            display_name: "T".into(),
            locale: Locale::Ja,
            role: Role::User,
        },
    )
    .await
    .unwrap();
    let p = profiles::list(db.read(), u.id).await.unwrap()[0].id;
    (u.id, p)
}

/// A bookmark of `user` (from [`user`]) titled `title`, with `url`; returns its ID.
pub async fn item(db: &Db, user: (i64, i64), title: &str, url: Option<String>) -> i64 {
    let fields = ItemFields {
        profile_id: user.1,
        folder_id: None,
        category_id: None,
        tag_ids: vec![],
        kind: ItemKind::Bookmark,
        title: title.into(),
        url,
        memo: String::new(),
        description: None,
        status: Status::Undecided,
        priority: Priority::Mid,
        schedule_start: None,
        schedule_end: None,
        reminder_at: None,
        favorite: false,
    };
    items::create(db, user.0, fields, &NewTags::none())
        .await
        .unwrap()
        .id
}

/// A fresh database, reachable through as many pools as a test asks for.
pub struct TestDb {
    url: String,
    _dir: tempfile::TempDir,
    pg: Option<(String, String)>,
}

impl TestDb {
    pub async fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().expect("temporary directory");
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("jobs.db").display());
        let db = TestDb {
            url,
            _dir: dir,
            pg: None,
        };
        migration::run(&db.pool().await).await.expect("migrate");
        db
    }

    pub async fn postgres() -> Option<TestDb> {
        let Ok(admin) = std::env::var("TEST_DATABASE_URL") else {
            assert!(
                std::env::var("TIDILY_REQUIRE_POSTGRES").as_deref() != Ok("1"),
                "TIDILY_REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set"
            );
            eprintln!("SKIPPED: TEST_DATABASE_URL not set (PostgreSQL variant not run)");
            return None;
        };
        let name = format!("tidily_core_{}", uuid::Uuid::new_v4().simple());
        let admin_db = Db::connect(&admin, 1)
            .await
            .expect("connect to TEST_DATABASE_URL");
        use sea_orm::ConnectionTrait;
        admin_db
            .read()
            .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
            .await
            .expect("create database");
        let url = format!("{}/{name}", admin.rsplit_once('/').expect("a path").0);
        let db = TestDb {
            url,
            _dir: tempfile::tempdir().expect("dir"),
            pg: Some((admin, name)),
        };
        migration::run(&db.pool().await).await.expect("migrate");
        Some(db)
    }

    /// A pool of its own: one "instance".
    pub async fn pool(&self) -> Db {
        Db::connect(&self.url, 4).await.expect("connect")
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((admin, name)) = self.pg.take() {
            let sql = format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
            let _ = std::thread::spawn(move || {
                tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("runtime")
                    .block_on(async {
                        use sea_orm::ConnectionTrait;
                        if let Ok(db) = Db::connect(&admin, 1).await {
                            let _ = db.read().execute_unprepared(&sql).await;
                        }
                    })
            })
            .join();
        }
    }
}

/// Runs a scenario once on SQLite and once on PostgreSQL.
#[macro_export]
macro_rules! both {
    ($name:ident, |$db:ident| $body:block) => {
        mod $name {
            use super::*;

            async fn scenario($db: TestDb) $body

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            pub async fn sqlite() {
                scenario(TestDb::sqlite().await).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            pub async fn postgres() {
                if let Some(db) = TestDb::postgres().await {
                    scenario(db).await;
                }
            }
        }
    };
}
