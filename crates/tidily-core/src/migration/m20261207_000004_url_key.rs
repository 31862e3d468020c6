//! Duplicates: each item's comparison key (`domain::url_key`), indexed per owner, so "already
//! saved" and the duplicates list are index lookups.

use sea_orm::{ConnectionTrait, DbBackend, FromQueryResult, Statement};
use sea_orm_migration::{prelude::*, schema::*};

use crate::domain::url_key;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Items {
    Table,
    UrlKey,
}

#[derive(FromQueryResult)]
struct Row {
    id: i64,
    url: String,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Items::Table)
                    .add_column(text_null(Items::UrlKey))
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        db.execute_unprepared("CREATE INDEX ix_items_user_url_key ON items (user_id, url_key)")
            .await?;
        let backend = db.get_database_backend();
        let (select, update) = match backend {
            DbBackend::Sqlite => (
                "SELECT id, url FROM items WHERE url IS NOT NULL AND id > ? ORDER BY id LIMIT 1000",
                "UPDATE items SET url_key = ? WHERE id = ?",
            ),
            _ => (
                "SELECT id, url FROM items WHERE url IS NOT NULL AND id > $1 ORDER BY id LIMIT 1000",
                "UPDATE items SET url_key = $1 WHERE id = $2",
            ),
        };
        let mut after = 0_i64;
        loop {
            let rows = Row::find_by_statement(Statement::from_sql_and_values(
                backend,
                select,
                [after.into()],
            ))
            .all(db)
            .await?;
            let Some(last) = rows.last() else { break };
            after = last.id;
            for row in rows {
                db.execute(Statement::from_sql_and_values(
                    backend,
                    update,
                    [url_key::of(&row.url).into(), row.id.into()],
                ))
                .await?;
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared("DROP INDEX ix_items_user_url_key")
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Items::Table)
                    .drop_column(Items::UrlKey)
                    .to_owned(),
            )
            .await
    }
}
