//! The reader view: each item's readable archive (`items.archive_digest`, a stored file of
//! sanitised HTML), the images it shows (`archive_images`, stored files too), and how far the
//! user has read (`items.reading_progress`, a percentage).

use sea_orm::ConnectionTrait;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Items {
    Table,
    Id,
    ArchiveDigest,
    ReadingProgress,
}

#[derive(DeriveIden)]
enum ArchiveImages {
    Table,
    ItemId,
    Digest,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for col in [
            string_len_null(Items::ArchiveDigest, 64),
            integer(Items::ReadingProgress).default(0).to_owned(),
        ] {
            let mut col = col;
            manager
                .alter_table(
                    Table::alter()
                        .table(Items::Table)
                        .add_column(&mut col)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(ArchiveImages::Table)
                    .col(big_integer(ArchiveImages::ItemId))
                    .col(string_len(ArchiveImages::Digest, 64))
                    .primary_key(
                        Index::create()
                            .col(ArchiveImages::ItemId)
                            .col(ArchiveImages::Digest),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ArchiveImages::Table, ArchiveImages::ItemId)
                            .to(Items::Table, Items::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        for sql in [
            "CREATE INDEX ix_archive_images_digest ON archive_images (digest)",
            "CREATE INDEX ix_items_archive_digest ON items (archive_digest) WHERE archive_digest IS NOT NULL",
        ] {
            db.execute_unprepared(sql).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared("DROP INDEX ix_items_archive_digest")
            .await?;
        manager
            .drop_table(Table::drop().table(ArchiveImages::Table).to_owned())
            .await?;
        for col in [Items::ArchiveDigest, Items::ReadingProgress] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Items::Table)
                        .drop_column(col)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
