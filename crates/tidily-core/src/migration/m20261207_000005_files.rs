//! Stored files: a `files` row per distinct content (its digest names it in the object store),
//! and each item's favicon and preview as digests on the item, so a list shows them without a
//! join. Unreferenced files are collected by housekeeping (`store::files::collect`).

use sea_orm::ConnectionTrait;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Items {
    Table,
    FaviconDigest,
    PreviewDigest,
}

#[derive(DeriveIden)]
enum Files {
    Table,
    Digest,
    Size,
    ContentType,
    Width,
    Height,
    CreatedAt,
    UsedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Files::Table)
                    .col(string_len(Files::Digest, 64).primary_key())
                    .col(big_integer(Files::Size))
                    .col(string_len(Files::ContentType, 64))
                    .col(integer(Files::Width))
                    .col(integer(Files::Height))
                    .col(timestamp_with_time_zone(Files::CreatedAt))
                    // Last stored or about to be: a file is collected only when nothing refers
                    // to it and it has not been used for a while (a capture in flight).
                    .col(timestamp_with_time_zone(Files::UsedAt))
                    .to_owned(),
            )
            .await?;
        for col in [Items::FaviconDigest, Items::PreviewDigest] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Items::Table)
                        .add_column(string_len_null(col, 64))
                        .to_owned(),
                )
                .await?;
        }
        let db = manager.get_connection();
        for sql in [
            "CREATE INDEX ix_files_used_at ON files (used_at)",
            "CREATE INDEX ix_items_favicon_digest ON items (favicon_digest) WHERE favicon_digest IS NOT NULL",
            "CREATE INDEX ix_items_preview_digest ON items (preview_digest) WHERE preview_digest IS NOT NULL",
        ] {
            db.execute_unprepared(sql).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for sql in [
            "DROP INDEX ix_items_favicon_digest",
            "DROP INDEX ix_items_preview_digest",
        ] {
            db.execute_unprepared(sql).await?;
        }
        for col in [Items::FaviconDigest, Items::PreviewDigest] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Items::Table)
                        .drop_column(col)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .drop_table(Table::drop().table(Files::Table).to_owned())
            .await
    }
}
