//! A unit of background work (a page capture, a purge), claimed by one worker at a time.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "jobs")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// What to do (`housekeeping`, `capture`, …): the handler `app::jobs` runs.
    pub kind: String,
    /// At most one queued or running job per key (a capture per item, one run per period).
    pub dedupe_key: Option<String>,
    /// The job's arguments, JSON.
    pub payload: String,
    /// The host a job fetches from, for per-host politeness; `None` for local work.
    pub host: Option<String>,
    pub state: JobState,
    /// Claims so far, this one included: also the fencing token that lets only the current
    /// claimant finish the job.
    pub attempts: i32,
    pub max_attempts: i32,
    /// When the job may run (its first run, or its next try after a failure).
    pub run_at: DateTimeUtc,
    /// A running job whose lease has passed is taken as abandoned and claimed again.
    pub lease_until: Option<DateTimeUtc>,
    /// Which worker holds it (`host:pid:n`).
    pub worker: Option<String>,
    pub last_error: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub finished_at: Option<DateTimeUtc>,
}

/// Where a job is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum JobState {
    /// Waiting for `run_at`.
    #[sea_orm(string_value = "queued")]
    Queued,
    /// Claimed by a worker until `lease_until`.
    #[sea_orm(string_value = "running")]
    Running,
    #[sea_orm(string_value = "done")]
    Done,
    /// Out of attempts; `last_error` says why.
    #[sea_orm(string_value = "failed")]
    Failed,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
