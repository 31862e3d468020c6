//! Throttling by bucket: one table of events for every rate limit (log-ins per account, per
//! address and per known device; sign-ups per address) replaces the failed-log-in table.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ThrottleEvents {
    Table,
    Id,
    Bucket,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ThrottleEvents::Table)
                    .col(
                        big_integer(ThrottleEvents::Id)
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(string_len(ThrottleEvents::Bucket, 64))
                    .col(timestamp_with_time_zone(ThrottleEvents::CreatedAt))
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        db.execute_unprepared(
            "CREATE INDEX ix_throttle_events_bucket ON throttle_events (bucket, created_at)",
        )
        .await?;
        // Old failures only throttled for 15 minutes; nothing of value is lost.
        manager
            .drop_table(Table::drop().table(Alias::new("login_failures")).to_owned())
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ThrottleEvents::Table).to_owned())
            .await
    }
}
