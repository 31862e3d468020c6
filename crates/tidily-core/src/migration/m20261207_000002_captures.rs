//! Capture: what a saved link's page says about itself, a `captures` row per item. The
//! fields every list shows (the page's description and site, the capture's state, the reading
//! time) are copied onto `items` too, so that a list needs no join.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Items {
    Table,
    Id,
    Description,
    SiteName,
    CaptureState,
    ReadingMinutes,
}

#[derive(DeriveIden)]
enum Captures {
    Table,
    ItemId,
    Url,
    FinalUrl,
    HttpStatus,
    ContentType,
    Charset,
    Title,
    Description,
    SiteName,
    ReadingMinutes,
    CanonicalUrl,
    FaviconUrl,
    ImageUrl,
    Author,
    PublishedAt,
    Lang,
    Error,
    FetchedAt,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE.
        for col in [
            text(Items::Description).default("").to_owned(),
            string_len_null(Items::SiteName, 200),
            string_len_null(Items::CaptureState, 16),
            integer_null(Items::ReadingMinutes),
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
                    .table(Captures::Table)
                    .col(big_integer(Captures::ItemId).primary_key())
                    .col(text(Captures::Url))
                    .col(text_null(Captures::FinalUrl))
                    .col(integer_null(Captures::HttpStatus))
                    .col(string_len_null(Captures::ContentType, 200))
                    .col(string_len_null(Captures::Charset, 32))
                    .col(text_null(Captures::Title))
                    .col(text_null(Captures::Description))
                    .col(string_len_null(Captures::SiteName, 200))
                    .col(integer_null(Captures::ReadingMinutes))
                    .col(text_null(Captures::CanonicalUrl))
                    .col(text_null(Captures::FaviconUrl))
                    .col(text_null(Captures::ImageUrl))
                    .col(string_len_null(Captures::Author, 200))
                    .col(timestamp_with_time_zone_null(Captures::PublishedAt))
                    .col(string_len_null(Captures::Lang, 35))
                    .col(text_null(Captures::Error))
                    .col(timestamp_with_time_zone_null(Captures::FetchedAt))
                    .col(timestamp_with_time_zone(Captures::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Captures::Table, Captures::ItemId)
                            .to(Items::Table, Items::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Captures::Table).to_owned())
            .await?;
        for col in [
            Items::Description,
            Items::SiteName,
            Items::CaptureState,
            Items::ReadingMinutes,
        ] {
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
