//! The job queue's queries: enqueue, claim, finish, and the periodic schedules.
//!
//! Claims are serialised: one write transaction at a time takes the named lock `jobs` (an
//! advisory lock on PostgreSQL; SQLite has one writer anyway), reads what is due, picks what
//! the politeness rules allow and marks it running, all before it commits. So two instances
//! never claim one job, the per-host limits hold across every instance, and a claim is a few
//! milliseconds: the work itself runs outside any transaction. Finishing a job is fenced by
//! its attempt number, so a worker whose lease ran out (and whose job another worker took
//! over) cannot overwrite the newer claim's outcome.

use std::collections::HashMap;

use chrono::{DateTime, TimeDelta, Utc};
use sea_orm::{
    sea_query::{Expr, OnConflict},
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use crate::{
    db::Db,
    entity::{
        host_slot,
        job::{self, JobState},
        schedule,
    },
    error::CoreResult,
};

/// A job to enqueue.
#[derive(Debug, Clone)]
pub struct NewJob {
    pub kind: &'static str,
    pub dedupe_key: Option<String>,
    pub payload: serde_json::Value,
    pub host: Option<String>,
    pub max_attempts: i32,
    pub run_at: DateTime<Utc>,
}

/// How politely a worker treats one host, across every instance.
#[derive(Debug, Clone, Copy)]
pub struct Politeness {
    /// At most this many of a host's jobs run at once.
    pub per_host: usize,
    /// Between the starts of two jobs for one host.
    pub interval: TimeDelta,
}

/// Adds a job; a live job with the same key makes this a no-op. Returns whether it was added.
pub async fn enqueue(
    db: &impl ConnectionTrait,
    job: NewJob,
    now: DateTime<Utc>,
) -> CoreResult<bool> {
    let inserted = job::Entity::insert(row(job, now))
        .on_conflict(OnConflict::new().do_nothing().to_owned())
        .exec_without_returning(db)
        .await?;
    Ok(inserted > 0)
}

fn row(job: NewJob, now: DateTime<Utc>) -> job::ActiveModel {
    job::ActiveModel {
        kind: Set(job.kind.to_owned()),
        dedupe_key: Set(job.dedupe_key),
        payload: Set(job.payload.to_string()),
        host: Set(job.host),
        state: Set(JobState::Queued),
        attempts: Set(0),
        max_attempts: Set(job.max_attempts),
        run_at: Set(job.run_at),
        lease_until: Set(None),
        worker: Set(None),
        last_error: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        finished_at: Set(None),
        ..Default::default()
    }
}

/// Adds many jobs at once (the capture of an import), skipping those a live job with the
/// same key already covers.
pub async fn enqueue_many(
    db: &impl ConnectionTrait,
    jobs: Vec<NewJob>,
    now: DateTime<Utc>,
) -> CoreResult<()> {
    let rows: Vec<job::ActiveModel> = jobs.into_iter().map(|j| row(j, now)).collect();
    for chunk in rows.chunks(500) {
        job::Entity::insert_many(chunk.to_vec())
            .on_conflict(OnConflict::new().do_nothing().to_owned())
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// Claims up to `want` due jobs for `worker`, leased until `now + lease`: queued jobs whose
/// time has come, and running ones whose lease ran out (their worker died). A job for a host
/// that already runs `per_host` jobs, or whose next slot is still to come, waits.
pub async fn claim(
    db: &Db,
    worker: &str,
    want: usize,
    now: DateTime<Utc>,
    lease: TimeDelta,
    politeness: Politeness,
) -> CoreResult<Vec<job::Model>> {
    // An idle queue costs one indexed read, not a write transaction (on SQLite a write
    // transaction takes the one writer lock that every user's write needs).
    if want == 0
        || job::Entity::find()
            .filter(due(now))
            .one(db.read())
            .await?
            .is_none()
    {
        return Ok(Vec::new());
    }
    let tx = db.write().await?;
    tx.lock_named("jobs").await?;
    let due = job::Entity::find()
        .filter(due(now))
        .order_by_asc(job::Column::RunAt)
        .order_by_asc(job::Column::Id)
        .limit((want * 8) as u64)
        .all(&*tx)
        .await?;
    if due.is_empty() {
        return Ok(Vec::new());
    }
    let mut busy = running_per_host(&*tx, now).await?;
    let mut slots: HashMap<String, DateTime<Utc>> = HashMap::new();
    let mut chosen = Vec::new();
    for job in due {
        if chosen.len() == want {
            break;
        }
        if let Some(host) = &job.host {
            if busy.get(host).copied().unwrap_or(0) >= politeness.per_host {
                continue;
            }
            let next = match slots.get(host) {
                Some(at) => *at,
                None => next_slot(&*tx, host).await?.unwrap_or(now),
            };
            if next > now {
                continue;
            }
            *busy.entry(host.clone()).or_default() += 1;
            slots.insert(host.clone(), now + politeness.interval);
        }
        chosen.push(job);
    }
    for (host, next_at) in &slots {
        host_slot::Entity::insert(host_slot::ActiveModel {
            host: Set(host.clone()),
            next_at: Set(*next_at),
        })
        .on_conflict(
            OnConflict::column(host_slot::Column::Host)
                .update_column(host_slot::Column::NextAt)
                .to_owned(),
        )
        .exec_without_returning(&*tx)
        .await?;
    }
    let mut claimed = Vec::with_capacity(chosen.len());
    for job in chosen {
        let mut row: job::ActiveModel = job.into();
        row.state = Set(JobState::Running);
        row.worker = Set(Some(worker.to_owned()));
        row.lease_until = Set(Some(now + lease));
        row.attempts = Set(row.attempts.as_ref() + 1);
        row.updated_at = Set(now);
        claimed.push(row.update(&*tx).await?);
    }
    tx.commit().await?;
    Ok(claimed)
}

/// Jobs a worker may claim at `now`: queued ones whose time has come, running ones whose
/// lease ran out.
fn due(now: DateTime<Utc>) -> Condition {
    Condition::any()
        .add(
            Condition::all()
                .add(job::Column::State.eq(JobState::Queued))
                .add(job::Column::RunAt.lte(now)),
        )
        .add(
            Condition::all()
                .add(job::Column::State.eq(JobState::Running))
                .add(job::Column::LeaseUntil.lt(now)),
        )
}

/// Running jobs per host whose lease still holds.
async fn running_per_host(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
) -> CoreResult<HashMap<String, usize>> {
    let rows: Vec<(Option<String>, i64)> = job::Entity::find()
        .select_only()
        .column(job::Column::Host)
        .column_as(job::Column::Id.count(), "n")
        .filter(job::Column::State.eq(JobState::Running))
        .filter(job::Column::LeaseUntil.gte(now))
        .filter(job::Column::Host.is_not_null())
        .group_by(job::Column::Host)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(h, n)| Some((h?, n as usize)))
        .collect())
}

async fn next_slot(db: &impl ConnectionTrait, host: &str) -> CoreResult<Option<DateTime<Utc>>> {
    Ok(host_slot::Entity::find_by_id(host.to_owned())
        .one(db)
        .await?
        .map(|s| s.next_at))
}

/// The rows of `id` that `worker`'s claim number `attempt` still holds.
fn held(id: i64, worker: &str, attempt: i32) -> Condition {
    Condition::all()
        .add(job::Column::Id.eq(id))
        .add(job::Column::State.eq(JobState::Running))
        .add(job::Column::Worker.eq(worker))
        .add(job::Column::Attempts.eq(attempt))
}

/// Extends a running job's lease; `false` when the claim is no longer this worker's.
pub async fn heartbeat(
    db: &Db,
    id: i64,
    worker: &str,
    attempt: i32,
    lease_until: DateTime<Utc>,
) -> CoreResult<bool> {
    let done = job::Entity::update_many()
        .col_expr(job::Column::LeaseUntil, Expr::value(lease_until))
        .filter(held(id, worker, attempt))
        .exec(db.read())
        .await?;
    Ok(done.rows_affected == 1)
}

/// How a claimed job ended.
#[derive(Debug, Clone)]
pub enum Outcome {
    Done,
    /// Failed; try again at this time.
    Retry {
        error: String,
        at: DateTime<Utc>,
    },
    /// Failed for good.
    Failed {
        error: String,
    },
    /// Not run (the worker is stopping): back to the queue at once, this claim not counted.
    Released,
}

/// Records how `worker`'s claim `attempt` of job `id` ended; `false` when the claim was no
/// longer this worker's (another took the job over after the lease ran out).
pub async fn finish(
    db: &Db,
    id: i64,
    worker: &str,
    attempt: i32,
    outcome: Outcome,
    now: DateTime<Utc>,
) -> CoreResult<bool> {
    let mut update = job::Entity::update_many()
        .col_expr(job::Column::UpdatedAt, Expr::value(now))
        .col_expr(
            job::Column::LeaseUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(job::Column::Worker, Expr::value(Option::<String>::None));
    let state = |s: JobState| Expr::value(sea_orm::ActiveEnum::to_value(&s));
    update = match outcome {
        Outcome::Done => update
            .col_expr(job::Column::State, state(JobState::Done))
            .col_expr(job::Column::FinishedAt, Expr::value(now)),
        Outcome::Retry { error, at } => update
            .col_expr(job::Column::State, state(JobState::Queued))
            .col_expr(job::Column::RunAt, Expr::value(at))
            .col_expr(job::Column::LastError, Expr::value(error)),
        Outcome::Failed { error } => update
            .col_expr(job::Column::State, state(JobState::Failed))
            .col_expr(job::Column::FinishedAt, Expr::value(now))
            .col_expr(job::Column::LastError, Expr::value(error)),
        Outcome::Released => update
            .col_expr(job::Column::State, state(JobState::Queued))
            .col_expr(job::Column::RunAt, Expr::value(now))
            .col_expr(
                job::Column::Attempts,
                Expr::col(job::Column::Attempts).sub(1),
            ),
    };
    let done = update
        .filter(held(id, worker, attempt))
        .exec(db.read())
        .await?;
    Ok(done.rows_affected == 1)
}

/// Takes the schedule `name` if it is due: moves its next run on to `next` and, in the same
/// transaction, enqueues `job`. Of several instances asking at once exactly one gets `true`
/// (the schedule's row is written by one transaction at a time, and the others then see it
/// no longer due).
pub async fn take_schedule(
    db: &Db,
    name: &str,
    worker: &str,
    now: DateTime<Utc>,
    next: DateTime<Utc>,
    job: NewJob,
) -> CoreResult<bool> {
    // Most calls find the schedule not yet due: a read settles that without a write.
    let current = schedule::Entity::find_by_id(name.to_owned())
        .one(db.read())
        .await?;
    if current.is_some_and(|s| s.next_run_at > now) {
        return Ok(false);
    }
    let tx = db.write().await?;
    schedule::Entity::insert(schedule::ActiveModel {
        name: Set(name.to_owned()),
        next_run_at: Set(now),
        last_run_at: Set(None),
        last_worker: Set(None),
    })
    .on_conflict(OnConflict::new().do_nothing().to_owned())
    .exec_without_returning(&*tx)
    .await?;
    let moved = schedule::Entity::update_many()
        .col_expr(schedule::Column::NextRunAt, Expr::value(next))
        .col_expr(schedule::Column::LastRunAt, Expr::value(now))
        .col_expr(schedule::Column::LastWorker, Expr::value(worker))
        .filter(schedule::Column::Name.eq(name))
        .filter(schedule::Column::NextRunAt.lte(now))
        .exec(&*tx)
        .await?;
    if moved.rows_affected != 1 {
        return Ok(false);
    }
    enqueue(&*tx, job, now).await?;
    tx.commit().await?;
    Ok(true)
}

/// Deletes finished jobs (done or failed) older than `before`; returns how many.
pub async fn purge_finished(db: &Db, before: DateTime<Utc>) -> CoreResult<u64> {
    Ok(job::Entity::delete_many()
        .filter(job::Column::State.is_in([JobState::Done, JobState::Failed]))
        .filter(job::Column::FinishedAt.lt(before))
        .exec(db.read())
        .await?
        .rows_affected)
}

/// Jobs of `kind` (newest first), for operators and tests.
pub async fn list(db: &Db, kind: Option<&str>, limit: u64) -> CoreResult<Vec<job::Model>> {
    let mut q = job::Entity::find();
    if let Some(kind) = kind {
        q = q.filter(job::Column::Kind.eq(kind));
    }
    Ok(q.order_by_desc(job::Column::Id)
        .limit(limit)
        .all(db.read())
        .await?)
}
