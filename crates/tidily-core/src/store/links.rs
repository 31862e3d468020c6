//! Link health in the database: a `link_checks` row per item with a URL, and the item's
//! `link_broken` flag that lists filter and count on.
//!
//! The row is written with the item (its first check due a day later: the capture has just
//! fetched the page), reset when the URL changes, and deleted with the URL. The periodic
//! sweep queues a `link_check` job for each row that is due and leases it for an hour; the
//! job's result is recorded only if the item still has the URL that was checked.

use chrono::{DateTime, Utc};
use sea_orm::{
    sea_query::OnConflict, ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use crate::{
    db::Db,
    domain::{
        link::{self, BreakRule, Failing, LinkState, Observation},
        now,
    },
    entity::{item, link_check},
    error::CoreResult,
    store::{
        captures, find_owned,
        jobs::{self, NewJob},
    },
};

/// The job kind of a link check.
pub const KIND: &str = "link_check";
/// A queued check not done within this long is due again.
const LEASE: chrono::TimeDelta = chrono::TimeDelta::hours(1);

/// Starts the health record of an item's link afresh (a new item, or a changed URL).
pub async fn track(db: &impl ConnectionTrait, item_id: i64, url: &str) -> CoreResult<()> {
    put(db, fresh(item_id, url, now() + link::FIRST_CHECK_AFTER)).await
}

/// Starts tracking the links of imported items, their first checks spread over
/// `link::HEALTHY_INTERVAL` so that an import of thousands does not make one burst of checks.
pub(crate) async fn track_imported(
    db: &impl ConnectionTrait,
    items: &[(i64, String)],
) -> CoreResult<()> {
    let start = now() + link::FIRST_CHECK_AFTER;
    let rows: Vec<link_check::ActiveModel> = items
        .iter()
        .map(|(id, url)| {
            let spread = link::HEALTHY_INTERVAL.num_seconds().max(1);
            let offset = chrono::TimeDelta::seconds(id.rem_euclid(spread));
            fresh(*id, url, start + offset)
        })
        .collect();
    for chunk in rows.chunks(500) {
        link_check::Entity::insert_many(chunk.to_vec())
            .on_conflict(
                OnConflict::column(link_check::Column::ItemId)
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// The health record of a link not checked yet.
fn fresh(item_id: i64, url: &str, next_check_at: DateTime<Utc>) -> link_check::ActiveModel {
    link_check::ActiveModel {
        item_id: Set(item_id),
        url: Set(url.to_owned()),
        state: Set(None),
        status: Set(None),
        moved_to: Set(None),
        detail: Set(None),
        failures: Set(0),
        failing_since: Set(None),
        checked_at: Set(None),
        next_check_at: Set(next_check_at),
    }
}

/// Writes the whole health record of an item's link, whether it had one or not.
async fn put(db: &impl ConnectionTrait, row: link_check::ActiveModel) -> CoreResult<()> {
    link_check::Entity::insert(row)
        .on_conflict(
            OnConflict::column(link_check::Column::ItemId)
                .update_columns([
                    link_check::Column::Url,
                    link_check::Column::State,
                    link_check::Column::Status,
                    link_check::Column::MovedTo,
                    link_check::Column::Detail,
                    link_check::Column::Failures,
                    link_check::Column::FailingSince,
                    link_check::Column::CheckedAt,
                    link_check::Column::NextCheckAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// Forgets the health of an item whose URL was removed.
pub async fn untrack(db: &impl ConnectionTrait, item_id: i64) -> CoreResult<()> {
    link_check::Entity::delete_by_id(item_id).exec(db).await?;
    Ok(())
}

fn job(item_id: i64, url: &str, run_at: DateTime<Utc>) -> NewJob {
    NewJob {
        kind: KIND,
        dedupe_key: Some(format!("{KIND}:{item_id}")),
        payload: json!({ "item_id": item_id }),
        host: captures::host_of(url),
        max_attempts: 1,
        run_at,
    }
}

/// Queues a check of each link that is due (at most `limit`, the longest overdue first) and
/// leases it for an hour; returns how many were queued. Sweeps of several instances take
/// turns, so no link is queued twice.
pub async fn queue_due(db: &Db, limit: u64) -> CoreResult<usize> {
    let now = now();
    let due = link_check::Column::NextCheckAt.lte(now);
    // Nothing due costs one indexed read, not the write lock.
    if link_check::Entity::find()
        .filter(due.clone())
        .one(db.read())
        .await?
        .is_none()
    {
        return Ok(0);
    }
    let tx = db.write().await?;
    tx.lock_named("link_sweep").await?;
    let due: Vec<(i64, String)> = link_check::Entity::find()
        .select_only()
        .columns([link_check::Column::ItemId, link_check::Column::Url])
        .filter(due)
        .order_by_asc(link_check::Column::NextCheckAt)
        .limit(limit)
        .into_tuple()
        .all(&*tx)
        .await?;
    for (item_id, url) in &due {
        jobs::enqueue(&*tx, job(*item_id, url, now), now).await?;
    }
    let ids: Vec<i64> = due.iter().map(|(id, _)| *id).collect();
    link_check::Entity::update_many()
        .col_expr(
            link_check::Column::NextCheckAt,
            sea_orm::sea_query::Expr::value(now + LEASE),
        )
        .filter(link_check::Column::ItemId.is_in(ids))
        .exec(&*tx)
        .await?;
    tx.commit().await?;
    Ok(due.len())
}

/// Queues a check of one of the user's links now; `false` for an item without a URL.
pub async fn request(db: &Db, user_id: i64, item_id: i64) -> CoreResult<bool> {
    let tx = db.write_for(user_id).await?;
    let m = find_owned::<item::Entity>(&*tx, user_id, item_id).await?;
    let Some(url) = m.url else {
        return Ok(false);
    };
    jobs::enqueue(&*tx, job(item_id, &url, now()), now()).await?;
    tx.commit().await?;
    Ok(true)
}

/// What a link check needs of its item.
#[derive(Debug, Clone)]
pub struct LinkTarget {
    pub item_id: i64,
    pub user_id: i64,
    pub url: String,
}

/// The item a link check is for, if it still exists and has a URL.
pub async fn target(db: &Db, item_id: i64) -> CoreResult<Option<LinkTarget>> {
    let m = item::Entity::find_by_id(item_id).one(db.read()).await?;
    Ok(m.and_then(|m| {
        m.url.map(|url| LinkTarget {
            item_id,
            user_id: m.user_id,
            url,
        })
    }))
}

/// Records what a check of `target` saw, judged with the link's history by `rule`; `false`,
/// recording nothing, when the item is gone or its URL changed meanwhile. `jitter` (in
/// `[0, 1)`) spreads the next check.
pub async fn record(
    db: &Db,
    target: &LinkTarget,
    seen: Observation,
    rule: BreakRule,
    jitter: f64,
) -> CoreResult<bool> {
    let tx = db.write_for(target.user_id).await?;
    let Some(m) = item::Entity::find_by_id(target.item_id).one(&*tx).await? else {
        return Ok(false);
    };
    if m.url.as_deref() != Some(target.url.as_str()) {
        return Ok(false);
    }
    let before = link_check::Entity::find_by_id(target.item_id)
        .one(&*tx)
        .await?
        .filter(|r| r.url == target.url)
        .map(|r| Failing {
            failures: r.failures,
            since: r.failing_since,
        })
        .unwrap_or_default();
    let h = link::judge(before, seen, rule, now(), jitter);
    let judged = link_check::ActiveModel {
        item_id: Set(target.item_id),
        url: Set(target.url.clone()),
        state: Set(Some(h.last.state)),
        status: Set(h.last.status.map(i32::from)),
        moved_to: Set(h.last.moved_to),
        detail: Set(h.last.detail),
        failures: Set(h.failures),
        failing_since: Set(h.failing_since),
        checked_at: Set(Some(h.checked_at)),
        next_check_at: Set(h.next_check_at),
    };
    put(&*tx, judged).await?;
    if m.link_broken != h.broken {
        let mut active: item::ActiveModel = m.into();
        active.link_broken = Set(h.broken);
        active.update(&*tx).await?;
    }
    tx.commit().await?;
    Ok(true)
}

/// The health of an item's link, as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LinkView {
    /// `null` for an item without a URL, or before its first check.
    pub state: Option<LinkState>,
    /// The last HTTP status seen.
    pub status: Option<i32>,
    /// Where a `moved` link leads now (`POST /items/{id}/link/adopt` takes it).
    pub moved_to: Option<String>,
    pub detail: Option<String>,
    /// Failed checks in a row.
    pub failures: i32,
    pub failing_since: Option<DateTime<Utc>>,
    /// Failed repeatedly over days.
    pub broken: bool,
    pub checked_at: Option<DateTime<Utc>>,
    pub next_check_at: Option<DateTime<Utc>>,
    /// The Wayback Machine's copy nearest to when the item was saved, for a failing link
    /// (the item's own readable archive, when it has one, is its `archive`).
    pub archived_copy: Option<String>,
}

/// The health of one of the user's links.
pub async fn view(db: &Db, user_id: i64, item_id: i64) -> CoreResult<LinkView> {
    // The check's row first, then the item: a check writes both in one transaction, so an
    // item read after the row is at least as new as it, and a fresh check is never shown
    // with the item's flag from before it (the other order could, between the two reads).
    let row = link_check::Entity::find_by_id(item_id)
        .one(db.read())
        .await?;
    let m = find_owned::<item::Entity>(db.read(), user_id, item_id).await?;
    let row = row.filter(|r| Some(&r.url) == m.url.as_ref());
    let failing = row.as_ref().is_some_and(|r| r.failures > 0) || m.link_broken;
    Ok(LinkView {
        state: row.as_ref().and_then(|r| r.state),
        status: row.as_ref().and_then(|r| r.status),
        moved_to: row.as_ref().and_then(|r| r.moved_to.clone()),
        detail: row.as_ref().and_then(|r| r.detail.clone()),
        failures: row.as_ref().map_or(0, |r| r.failures),
        failing_since: row.as_ref().and_then(|r| r.failing_since),
        broken: m.link_broken,
        checked_at: row.as_ref().and_then(|r| r.checked_at),
        next_check_at: row.as_ref().map(|r| r.next_check_at),
        archived_copy: m
            .url
            .as_deref()
            .filter(|_| failing)
            .map(|u| link::wayback_url(u, m.created_at)),
    })
}
