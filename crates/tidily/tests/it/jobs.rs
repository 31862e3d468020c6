//! Background jobs across server processes: two `tidily serve` on one database take the
//! housekeeping schedule once per period between them, and the purge it runs happens.

use std::collections::HashSet;
use std::time::Duration;

use crate::common::*;

/// Every housekeeping job `tidily jobs list` shows, as JSON.
fn housekeeping_jobs(app: &TestApp) -> Vec<Value> {
    app.cli_ok(&["jobs", "list", "--kind", "housekeeping", "--limit", "500"])
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect()
}

async fn the_schedule_is_taken_once_per_period_by_two_processes(backend: Backend) {
    let env = [("HOUSEKEEPING_SECS", "1")];
    let Some(app) = TestApp::for_backend_with_env(backend, &env).await else {
        return;
    };
    let twin = app.sibling().await;
    // An item that has been in the trash longer than the retention (30 days).
    let c = app.signup("keeper@example.com").await;
    let item = c.item(c.profile_id("Private").await, "old news").await;
    let id = item["id"].as_i64().unwrap();
    expect(c.post_empty(&format!("/items/{id}/trash")).await, 200);
    let db = tidily::db::Db::connect(&app.database_url, 1)
        .await
        .expect("connect");
    let long_ago = (chrono::Utc::now() - chrono::Duration::days(40)).to_rfc3339();
    let sql = match backend {
        Backend::Sqlite => format!("UPDATE items SET trashed_at = '{long_ago}' WHERE id = {id}"),
        Backend::Postgres => {
            format!("UPDATE items SET trashed_at = '{long_ago}'::timestamptz WHERE id = {id}")
        }
    };
    use sea_orm::ConnectionTrait;
    db.read()
        .execute_unprepared(&sql)
        .await
        .expect("age the trash");

    tokio::time::sleep(Duration::from_millis(4500)).await;
    assert_eq!(c.get(&format!("/items/{id}")).await.0, 404, "the purge ran");
    let jobs = housekeeping_jobs(&app);
    let keys: Vec<&str> = jobs.iter().map(|j| j["key"].as_str().unwrap()).collect();
    let distinct: HashSet<&str> = keys.iter().copied().collect();
    assert_eq!(
        distinct.len(),
        keys.len(),
        "one job per period, whoever took it: {jobs:#?}"
    );
    assert!(
        keys.len() >= 3,
        "a run each second for four seconds: {jobs:#?}"
    );
    let done = jobs.iter().filter(|j| j["state"] == "done").count();
    assert!(
        done >= keys.len() - 1,
        "all done but perhaps the latest: {jobs:#?}"
    );
    drop(twin);
}

#[tokio::test]
async fn the_schedule_is_taken_once_per_period_by_two_processes_sqlite() {
    the_schedule_is_taken_once_per_period_by_two_processes(Backend::Sqlite).await;
}

#[tokio::test]
async fn the_schedule_is_taken_once_per_period_by_two_processes_postgres() {
    the_schedule_is_taken_once_per_period_by_two_processes(Backend::Postgres).await;
}
