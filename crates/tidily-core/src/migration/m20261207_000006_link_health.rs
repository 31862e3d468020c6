//! Link health: a `link_checks` row per item with a URL (its last check and when the next is
//! due), and `items.link_broken` so that the broken-link filter and count need no join. Items
//! saved before this migration get their first check spread over the coming two weeks.

use sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Items {
    Table,
    Id,
    LinkBroken,
}

#[derive(DeriveIden)]
enum LinkChecks {
    Table,
    ItemId,
    Url,
    State,
    Status,
    MovedTo,
    Detail,
    Failures,
    FailingSince,
    CheckedAt,
    NextCheckAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Items::Table)
                    .add_column(boolean(Items::LinkBroken).default(false))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(LinkChecks::Table)
                    .col(big_integer(LinkChecks::ItemId).primary_key())
                    // The URL the row is about (a changed URL starts afresh).
                    .col(text(LinkChecks::Url))
                    .col(string_len_null(LinkChecks::State, 16))
                    .col(integer_null(LinkChecks::Status))
                    .col(text_null(LinkChecks::MovedTo))
                    .col(text_null(LinkChecks::Detail))
                    .col(integer(LinkChecks::Failures).default(0))
                    .col(timestamp_with_time_zone_null(LinkChecks::FailingSince))
                    .col(timestamp_with_time_zone_null(LinkChecks::CheckedAt))
                    .col(timestamp_with_time_zone(LinkChecks::NextCheckAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(LinkChecks::Table, LinkChecks::ItemId)
                            .to(Items::Table, Items::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        let backfill = match db.get_database_backend() {
            DbBackend::Sqlite => {
                "INSERT INTO link_checks (item_id, url, failures, next_check_at) \
                 SELECT id, url, 0, strftime('%Y-%m-%dT%H:%M:%f', 'now', '+' || (id % 20160) || ' minutes') || '+00:00' \
                 FROM items WHERE url IS NOT NULL"
            }
            _ => {
                "INSERT INTO link_checks (item_id, url, failures, next_check_at) \
                 SELECT id, url, 0, now() + make_interval(mins => (id % 20160)::int) \
                 FROM items WHERE url IS NOT NULL"
            }
        };
        for sql in [
            backfill,
            "CREATE INDEX ix_link_checks_next_check_at ON link_checks (next_check_at)",
            "CREATE INDEX ix_items_user_link_broken ON items (user_id) WHERE link_broken",
        ] {
            db.execute_unprepared(sql).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared("DROP INDEX ix_items_user_link_broken")
            .await?;
        manager
            .drop_table(Table::drop().table(LinkChecks::Table).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Items::Table)
                    .drop_column(Items::LinkBroken)
                    .to_owned(),
            )
            .await
    }
}
