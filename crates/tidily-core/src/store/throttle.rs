//! Rate limits kept in the database (the API runs as several stateless tasks): log-ins per
//! account, per client address and per known device, sign-ups per address.
//!
//! Checking a limit and counting the attempt are one atomic step ([`reserve`]): the event is
//! recorded *before* the password is checked, inside a transaction that serialises every
//! attempt on the same bucket (an advisory lock on PostgreSQL, the single writer on SQLite).
//! So 25 parallel guesses at one account get at most its limit checked; the rest are refused
//! without touching the password. A successful log-in gives its events back ([`refund`]).

use chrono::Duration;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use crate::{
    auth::token,
    db::Db,
    domain::now,
    entity::throttle_event,
    error::{CoreError, CoreResult},
};

/// At most `max` events per `window` in one bucket of this kind.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    /// The kind of bucket, part of its name (`login-account`, …).
    pub kind: &'static str,
    pub max: u64,
    pub window: Duration,
}

/// Log-in attempts per account (by e-mail address) from browsers it does not know.
pub const LOGIN_PER_ACCOUNT: Limit = Limit {
    kind: "login-account",
    max: 5,
    window: Duration::minutes(15),
};
/// Log-in attempts per client address (any accounts).
pub const LOGIN_PER_IP: Limit = Limit {
    kind: "login-ip",
    max: 30,
    window: Duration::minutes(15),
};
/// Log-in attempts from a browser that has logged in to the account before (it holds the
/// account's device cookie). A stranger's guesses fill the account's bucket, never this one,
/// so they cannot lock the owner out of their own browser.
pub const LOGIN_PER_DEVICE: Limit = Limit {
    kind: "login-device",
    max: 10,
    window: Duration::minutes(15),
};
/// New accounts per client address.
pub const SIGNUP_PER_IP: Limit = Limit {
    kind: "signup-ip",
    max: 10,
    window: Duration::hours(1),
};

/// The longest window of any limit: older events count for nothing.
const LONGEST_WINDOW: Duration = Duration::hours(1);

/// One bucket: a limit and the key it counts (an e-mail address, an IP, a device).
#[derive(Debug, Clone)]
pub struct Bucket {
    limit: Limit,
    /// SHA-256 of `kind:key`: what the table keeps.
    hash: String,
}

impl Bucket {
    pub fn new(limit: Limit, key: &str) -> Bucket {
        Bucket {
            limit,
            hash: token::digest(&format!("{}:{key}", limit.kind)),
        }
    }
}

/// Events recorded by [`reserve`], to be kept (a failed attempt) or given back ([`refund`]).
#[must_use = "a reservation is kept unless it is refunded"]
pub struct Reservation {
    ids: Vec<i64>,
}

impl Reservation {
    /// Keeps the events: the attempt counts against its limits.
    pub fn keep(self) {}
}

/// Records one event in every bucket if each is under its limit; otherwise records nothing
/// and answers 429 with the seconds until the fullest bucket has room again.
pub async fn reserve(db: &Db, buckets: &[Bucket]) -> CoreResult<Reservation> {
    let tx = db.write().await?;
    let mut sorted: Vec<&Bucket> = buckets.iter().collect();
    // One lock order for every caller, so two reservations never wait on each other in a cycle.
    sorted.sort_by(|a, b| a.hash.cmp(&b.hash));
    let now = now();
    let mut wait = None;
    for bucket in &sorted {
        tx.lock_named(&bucket.hash).await?;
        let recent = throttle_event::Entity::find()
            .filter(throttle_event::Column::Bucket.eq(&bucket.hash))
            .filter(throttle_event::Column::CreatedAt.gt(now - bucket.limit.window));
        if recent.clone().count(&*tx).await? >= bucket.limit.max {
            let oldest: Option<chrono::DateTime<chrono::Utc>> = recent
                .select_only()
                .column(throttle_event::Column::CreatedAt)
                .order_by_asc(throttle_event::Column::CreatedAt)
                .into_tuple()
                .one(&*tx)
                .await?;
            let free_at = oldest.map_or(now, |t| t + bucket.limit.window);
            let secs = (free_at - now).num_seconds().max(1) as u64;
            wait = Some(wait.map_or(secs, |w: u64| w.max(secs)));
        }
    }
    if let Some(retry_after_secs) = wait {
        return Err(CoreError::TooManyRequests { retry_after_secs });
    }
    let mut ids = Vec::with_capacity(sorted.len());
    for bucket in sorted {
        let row = throttle_event::ActiveModel {
            bucket: Set(bucket.hash.clone()),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&*tx)
        .await?;
        ids.push(row.id);
    }
    tx.commit().await?;
    Ok(Reservation { ids })
}

/// Gives back the events of a reservation (the attempt succeeded, or was never evaluated).
pub async fn refund(db: &Db, reservation: Reservation) -> CoreResult<()> {
    let tx = db.write().await?;
    throttle_event::Entity::delete_many()
        .filter(throttle_event::Column::Id.is_in(reservation.ids))
        .exec(&*tx)
        .await?;
    tx.commit().await
}

/// Deletes events older than every window (housekeeping, inside the caller's transaction).
pub async fn purge_expired(db: &impl ConnectionTrait) -> CoreResult<u64> {
    Ok(throttle_event::Entity::delete_many()
        .filter(throttle_event::Column::CreatedAt.lte(now() - LONGEST_WINDOW))
        .exec(db)
        .await?
        .rows_affected)
}
