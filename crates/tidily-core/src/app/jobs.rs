//! Background jobs: what each kind does, the periodic schedules, and the worker that claims
//! jobs from the table every instance shares.
//!
//! Any number of `serve` (or `worker`) processes run a [`Worker`] against one database. A job
//! is claimed by one of them at a time (`store::jobs::claim`), runs outside any transaction
//! with its lease renewed while it runs, and is finished, retried later with backoff, or
//! failed for good. A worker that dies leaves its jobs to be claimed again when their leases
//! run out, so every job's handler is idempotent: running it twice does no harm. A periodic
//! job is enqueued once per period by whichever instance takes the schedule first.

use std::{
    collections::HashMap, future::Future, pin::Pin, sync::atomic::AtomicU64, sync::Arc,
    time::Duration,
};

use chrono::{DateTime, TimeDelta, Utc};
use serde_json::json;
use tokio::{sync::watch, task::JoinSet};

use crate::{
    app::{housekeeping, links, transfer, AppState},
    domain::now,
    entity::job,
    error::CoreResult,
    store::jobs::{self as queue, NewJob, Outcome, Politeness},
};

/// The kinds of job, as stored in `jobs.kind`.
pub mod kind {
    /// Trash past its retention, expired credentials, finished jobs past a week.
    pub const HOUSEKEEPING: &str = "housekeeping";
    /// Fetch an item's page and record what it says (`tidily-capture`).
    pub const CAPTURE: &str = crate::store::captures::KIND;
    /// Queue the link checks that are due.
    pub const LINK_SWEEP: &str = "link_sweep";
    /// Check one item's link (`tidily-capture`).
    pub const LINK_CHECK: &str = crate::store::links::KIND;
    /// Queue the captures and link checks of a batch of imported items.
    pub const IMPORTED: &str = crate::store::transfer::FOLLOW_UP;
}

/// How often a worker looks for due jobs and schedules when it is idle.
const POLL: Duration = Duration::from_secs(1);
/// Finished jobs are kept this long (for `tidily jobs` and a failure's reason), then purged.
const KEEP_FINISHED: TimeDelta = TimeDelta::days(7);

/// Why a job failed, and whether trying again later may help.
#[derive(Debug)]
pub enum JobError {
    /// Worth another try (a database or network hiccup).
    Transient(String),
    /// Will fail the same way however often it runs (an unknown kind, a malformed payload).
    Permanent(String),
}

impl From<crate::error::CoreError> for JobError {
    fn from(e: crate::error::CoreError) -> Self {
        JobError::Transient(e.to_string())
    }
}

/// What runs the jobs of one kind: given the state and the claimed job, its outcome.
pub type Handler =
    Arc<dyn Fn(AppState, job::Model) -> BoxFuture<Result<(), JobError>> + Send + Sync>;
type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;

/// The handlers a worker runs, by job kind. Housekeeping is the core's own; crates that add
/// kinds of work (capture) add their handlers when the process starts.
#[derive(Clone)]
pub struct Handlers(HashMap<&'static str, Handler>);

impl Default for Handlers {
    fn default() -> Self {
        Handlers(HashMap::new())
            .with(kind::HOUSEKEEPING, |state, _job| async move {
                let purged = housekeeping::run(&state).await?;
                queue::purge_finished(&state.db, now() - KEEP_FINISHED).await?;
                if purged > 0 {
                    tracing::info!(purged, "emptied expired trash");
                }
                Ok(())
            })
            .with(kind::IMPORTED, |state, job| async move {
                transfer::follow_up(&state, &job).await
            })
            .with(kind::LINK_SWEEP, |state, _job| async move {
                let queued = links::sweep(&state).await?;
                tracing::debug!(queued, "queued the link checks that are due");
                Ok(())
            })
    }
}

impl Handlers {
    /// These handlers and `run` for jobs of `kind`.
    pub fn with<F, Fut>(mut self, kind: &'static str, run: F) -> Self
    where
        F: Fn(AppState, job::Model) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), JobError>> + Send + 'static,
    {
        self.0
            .insert(kind, Arc::new(move |state, job| Box::pin(run(state, job))));
        self
    }

    /// Runs one claimed job.
    async fn run(&self, state: &AppState, job: &job::Model) -> Result<(), JobError> {
        match self.0.get(job.kind.as_str()) {
            Some(handler) => handler(state.clone(), job.clone()).await,
            None => Err(JobError::Permanent(format!(
                "unknown job kind {:?}",
                job.kind
            ))),
        }
    }
}

/// When a job that failed its `attempt`-th run is tried again: 30 s, doubling, at most six
/// hours, with ±20 % jitter so that failures of one moment do not all retry together.
pub fn retry_delay(attempt: i32) -> TimeDelta {
    let base = 30_i64 << (attempt - 1).clamp(0, 10);
    let capped = base.min(6 * 3600) as f64;
    let jitter = 0.8 + 0.4 * rand::random::<f64>();
    TimeDelta::milliseconds((capped * jitter * 1000.0) as i64)
}

/// A periodic job: its schedule's name, its period, and the job each period enqueues.
struct Periodic {
    name: &'static str,
    period: TimeDelta,
    kind: &'static str,
}

fn schedules(state: &AppState) -> Vec<Periodic> {
    let mut all = vec![Periodic {
        name: kind::HOUSEKEEPING,
        period: TimeDelta::seconds(state.config.housekeeping_secs.into()),
        kind: kind::HOUSEKEEPING,
    }];
    if state.config.link_check_secs > 0 {
        all.push(Periodic {
            name: kind::LINK_SWEEP,
            period: TimeDelta::seconds(state.config.link_check_secs.into()),
            kind: kind::LINK_SWEEP,
        });
    }
    all
}

/// The start of the period of length `period` that `now` falls in (periods count from the
/// Unix epoch, so every instance agrees on them).
fn period_start(now: DateTime<Utc>, period: TimeDelta) -> DateTime<Utc> {
    let ms = period.num_milliseconds().max(1);
    let start = now.timestamp_millis().div_euclid(ms) * ms;
    DateTime::from_timestamp_millis(start).unwrap_or(now)
}

/// Enqueues the run of every schedule that is due; one instance wins each period.
async fn take_schedules(state: &AppState, worker: &str) -> CoreResult<()> {
    let now = now();
    for s in schedules(state) {
        let this = period_start(now, s.period);
        let job = NewJob {
            kind: s.kind,
            dedupe_key: Some(format!("{}:{}", s.name, this.timestamp_millis())),
            payload: json!({}),
            host: None,
            max_attempts: 3,
            run_at: now,
        };
        if queue::take_schedule(&state.db, s.name, worker, now, this + s.period, job).await? {
            tracing::debug!(schedule = s.name, "took the schedule");
        }
    }
    Ok(())
}

/// A name for this process's worker, unique among the instances of a deployment.
fn worker_name() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "local".into());
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let host: String = host.chars().take(40).collect();
    format!("{host}:{}:{n}", std::process::id())
}

/// The politeness every worker applies to each host it fetches from.
pub const POLITENESS: Politeness = Politeness {
    per_host: 2,
    interval: TimeDelta::milliseconds(500),
};

/// Claims and runs jobs until `stop` fires, then lets the running ones finish within
/// `grace` and gives back whatever is still running, so another instance takes it at once.
pub async fn work(
    state: AppState,
    handlers: Handlers,
    mut stop: watch::Receiver<bool>,
    grace: Duration,
) {
    let concurrency = state.config.worker_concurrency as usize;
    if concurrency == 0 {
        return;
    }
    let name = worker_name();
    let lease = TimeDelta::seconds(state.config.job_lease_secs.into());
    let mut running: JoinSet<()> = JoinSet::new();
    let mut claims: Vec<(i64, i32)> = Vec::new();
    tracing::info!(worker = %name, concurrency, "worker started");
    loop {
        if let Err(e) = take_schedules(&state, &name).await {
            tracing::warn!(error = %e, "could not take the schedules");
        }
        let free = concurrency.saturating_sub(running.len());
        match queue::claim(&state.db, &name, free, now(), lease, POLITENESS).await {
            Ok(jobs) => {
                for job in jobs {
                    claims.push((job.id, job.attempts));
                    running.spawn(execute(
                        state.clone(),
                        handlers.clone(),
                        name.clone(),
                        lease,
                        job,
                    ));
                }
            }
            Err(e) => tracing::warn!(error = %e, "could not claim jobs"),
        }
        tokio::select! {
            _ = stop.changed() => break,
            _ = tokio::time::sleep(POLL) => {}
            Some(_) = running.join_next(), if !running.is_empty() => {}
        }
    }
    let drained = tokio::time::timeout(grace, async {
        while running.join_next().await.is_some() {}
    })
    .await;
    if drained.is_err() {
        running.abort_all();
        for (id, attempt) in claims {
            // Claims already finished no longer match and are left as they are.
            let _ = queue::finish(&state.db, id, &name, attempt, Outcome::Released, now()).await;
        }
    }
    tracing::info!(worker = %name, "worker stopped");
}

/// Runs one claimed job with its lease renewed, and records how it ended.
async fn execute(
    state: AppState,
    handlers: Handlers,
    worker: String,
    lease: TimeDelta,
    job: job::Model,
) {
    let (id, attempt) = (job.id, job.attempts);
    let renew = lease.to_std().unwrap_or(Duration::from_secs(60)) / 3;
    let heartbeat = async {
        loop {
            tokio::time::sleep(renew).await;
            match queue::heartbeat(&state.db, id, &worker, attempt, now() + lease).await {
                Ok(true) => {}
                // Another worker took the job over: stop, and leave the outcome to it.
                Ok(false) => return,
                Err(e) => tracing::warn!(job = id, error = %e, "could not renew a lease"),
            }
        }
    };
    let result = tokio::select! {
        result = handlers.run(&state, &job) => result,
        () = heartbeat => return,
    };
    let outcome = match result {
        Ok(()) => Outcome::Done,
        Err(JobError::Transient(error)) if attempt < job.max_attempts => Outcome::Retry {
            at: now() + retry_delay(attempt),
            error,
        },
        Err(JobError::Transient(error) | JobError::Permanent(error)) => Outcome::Failed { error },
    };
    if let Outcome::Retry { error, .. } | Outcome::Failed { error } = &outcome {
        tracing::warn!(job = id, kind = %job.kind, attempt, %error, "job failed");
    }
    if let Err(e) = queue::finish(&state.db, id, &worker, attempt, outcome, now()).await {
        // The lease will run out and the job run again: handlers are idempotent.
        tracing::warn!(job = id, error = %e, "could not record a job's outcome");
    }
}

/// Resolves when `stop` turns `true` (or its sender is gone), for servers sharing the signal.
pub async fn stopped(mut stop: watch::Receiver<bool>) {
    while !*stop.borrow() {
        if stop.changed().await.is_err() {
            return;
        }
    }
}

/// The most recent jobs (of one kind), newest first: what `tidily jobs` shows an operator.
pub async fn recent(
    state: &AppState,
    kind: Option<&str>,
    limit: u64,
) -> CoreResult<Vec<job::Model>> {
    queue::list(&state.db, kind, limit).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_and_stop_growing() {
        let secs = |a| retry_delay(a).num_seconds();
        assert!((24..=36).contains(&secs(1)), "{}", secs(1));
        assert!((48..=72).contains(&secs(2)), "{}", secs(2));
        assert!(secs(30) <= 6 * 3600 * 12 / 10);
    }

    #[test]
    fn periods_are_the_same_for_every_instance() {
        let t = DateTime::parse_from_rfc3339("2026-12-07T10:59:59.999Z")
            .unwrap()
            .to_utc();
        let hour = TimeDelta::hours(1);
        assert_eq!(
            period_start(t, hour).to_rfc3339(),
            "2026-12-07T10:00:00+00:00"
        );
        assert_eq!(
            period_start(t + TimeDelta::milliseconds(1), hour).to_rfc3339(),
            "2026-12-07T11:00:00+00:00"
        );
    }
}
