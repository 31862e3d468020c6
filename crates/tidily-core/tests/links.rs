//! Link health in the store, on a real SQLite file and on PostgreSQL: links saved before the
//! migration get their first check spread over two weeks (timestamps that compare right on
//! both databases), due checks are queued once and leased, and many checks recorded at once
//! for one account all land.

#[macro_use]
mod common;

use chrono::{Duration, Utc};
use common::{user, TestDb};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use sea_orm_migration::MigratorTrait;
use tidily_core::{
    db::Db,
    domain::link::{BreakRule, LinkState, Observation},
    entity::{job, link_check},
    migration::Migrator,
    store::links,
};

async fn item(db: &Db, user: (i64, i64), url: Option<String>) -> i64 {
    common::item(db, user, "t", url).await
}

both!(
    links_saved_before_the_migration_are_checked_within_two_weeks,
    |t| {
        let db = t.pool().await;
        let u = user(&db, "old@example.com").await;
        for n in 0..30 {
            item(&db, u, Some(format!("https://example.com/{n}"))).await;
        }
        item(&db, u, None).await;
        // As a server before link health: the migration backfills the rows.
        let applied = Migrator::get_applied_migrations(db.read()).await.unwrap();
        let at = applied
            .iter()
            .position(|m| m.name() == "m20261207_000006_link_health")
            .unwrap();
        Migrator::down(db.read(), Some((applied.len() - at) as u32))
            .await
            .unwrap();
        assert!(
            link_check::Entity::find().all(db.read()).await.is_err(),
            "no table"
        );
        Migrator::up(db.read(), None).await.unwrap();
        let rows = link_check::Entity::find().all(db.read()).await.unwrap();
        assert_eq!(rows.len(), 30, "one row per item with a URL");
        let now = Utc::now();
        // Compared by the database, as the sweep compares them.
        let within = link_check::Entity::find()
            .filter(link_check::Column::NextCheckAt.gt(now - Duration::minutes(1)))
            .filter(link_check::Column::NextCheckAt.lte(now + Duration::days(14)))
            .count(db.read())
            .await
            .unwrap();
        assert_eq!(within, 30);
        assert_eq!(links::queue_due(&db, 100).await.unwrap(), 0, "none due yet");
        let spread: std::collections::HashSet<_> = rows.iter().map(|r| r.next_check_at).collect();
        assert_eq!(spread.len(), 30, "spread, not all at once");
    }
);

both!(
    due_checks_are_queued_once_and_many_results_land_at_once,
    |t| {
        let db = t.pool().await;
        let u = user(&db, "many@example.com").await;
        let mut ids = Vec::new();
        for n in 0..40 {
            ids.push(item(&db, u, Some(format!("https://example.com/{n}"))).await);
        }
        let past = Utc::now() - Duration::minutes(5);
        link_check::Entity::update_many()
            .col_expr(
                link_check::Column::NextCheckAt,
                sea_orm::sea_query::Expr::value(past),
            )
            .exec(db.read())
            .await
            .unwrap();
        // Two instances sweep at once: every due link is queued exactly once, and leased.
        let other = t.pool().await;
        let (a, b) = tokio::join!(links::queue_due(&db, 25), links::queue_due(&other, 25));
        let (a, b) = (a.unwrap(), b.unwrap());
        assert_eq!(a + b, 40, "{a} + {b}");
        let queued = job::Entity::find()
            .filter(job::Column::Kind.eq(links::KIND))
            .count(db.read())
            .await
            .unwrap();
        assert_eq!(queued, 40);
        assert_eq!(
            links::queue_due(&db, 100).await.unwrap(),
            0,
            "leased for an hour"
        );

        // Forty results for one account recorded at once, through two pools: none lost.
        let mut tasks = Vec::new();
        for (n, id) in ids.iter().enumerate() {
            let pool = if n % 2 == 0 {
                t.pool().await
            } else {
                db.clone()
            };
            let target = links::target(&pool, *id).await.unwrap().unwrap();
            tasks.push(tokio::spawn(async move {
                let seen = Observation::new(LinkState::Gone, Some(404));
                links::record(&pool, &target, seen, BreakRule::default(), 0.5)
                    .await
                    .unwrap()
            }));
        }
        for task in tasks {
            assert!(task.await.unwrap());
        }
        let failing = link_check::Entity::find()
            .filter(link_check::Column::Failures.eq(1))
            .filter(link_check::Column::State.eq(LinkState::Gone))
            .count(db.read())
            .await
            .unwrap();
        assert_eq!(failing, 40);
    }
);
