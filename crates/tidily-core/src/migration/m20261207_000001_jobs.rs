//! Background work in the main database: a job table every instance claims from, the
//! periodic schedules one instance at a time takes, and per-host politeness slots.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Jobs {
    Table,
    Id,
    Kind,
    DedupeKey,
    Payload,
    Host,
    State,
    Attempts,
    MaxAttempts,
    RunAt,
    LeaseUntil,
    Worker,
    LastError,
    CreatedAt,
    UpdatedAt,
    FinishedAt,
}

#[derive(DeriveIden)]
enum Schedules {
    Table,
    Name,
    NextRunAt,
    LastRunAt,
    LastWorker,
}

#[derive(DeriveIden)]
enum HostSlots {
    Table,
    Host,
    NextAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Jobs::Table)
                    .col(big_integer(Jobs::Id).auto_increment().primary_key())
                    .col(string_len(Jobs::Kind, 32))
                    .col(string_len_null(Jobs::DedupeKey, 200))
                    .col(text(Jobs::Payload))
                    .col(string_len_null(Jobs::Host, 255))
                    .col(string_len(Jobs::State, 16))
                    .col(integer(Jobs::Attempts))
                    .col(integer(Jobs::MaxAttempts))
                    .col(timestamp_with_time_zone(Jobs::RunAt))
                    .col(timestamp_with_time_zone_null(Jobs::LeaseUntil))
                    .col(string_len_null(Jobs::Worker, 64))
                    .col(text_null(Jobs::LastError))
                    .col(timestamp_with_time_zone(Jobs::CreatedAt))
                    .col(timestamp_with_time_zone(Jobs::UpdatedAt))
                    .col(timestamp_with_time_zone_null(Jobs::FinishedAt))
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        // What a claim reads: due queued jobs, and running ones whose lease ran out.
        db.execute_unprepared("CREATE INDEX ix_jobs_due ON jobs (state, run_at)")
            .await?;
        db.execute_unprepared("CREATE INDEX ix_jobs_host ON jobs (host, state)")
            .await?;
        // One live job per key (a capture per item, a run per schedule period); a finished
        // job frees its key.
        db.execute_unprepared(
            "CREATE UNIQUE INDEX ux_jobs_live_key ON jobs (dedupe_key) \
             WHERE state IN ('queued', 'running')",
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(Schedules::Table)
                    .col(string_len(Schedules::Name, 64).primary_key())
                    .col(timestamp_with_time_zone(Schedules::NextRunAt))
                    .col(timestamp_with_time_zone_null(Schedules::LastRunAt))
                    .col(string_len_null(Schedules::LastWorker, 64))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(HostSlots::Table)
                    .col(string_len(HostSlots::Host, 255).primary_key())
                    .col(timestamp_with_time_zone(HostSlots::NextAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["host_slots", "schedules", "jobs"] {
            manager
                .drop_table(Table::drop().table(Alias::new(table)).to_owned())
                .await?;
        }
        Ok(())
    }
}
