//! Renumbers every manual order with the short keys of `store::position` (the earlier keys
//! grew by a character every 63 appended rows). Each list keeps its order, by old key and
//! then ID, and gets consecutive keys of the shortest width that fits the longest list: one
//! statement per table.

use sea_orm::{ConnectionTrait, DbBackend, Statement};
use sea_orm_migration::prelude::*;

use crate::store::position;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Each table with a manual order, and the columns that say which list a row is in.
const LISTS: [(&str, &str); 3] = [
    ("profiles", "user_id"),
    ("folders", "profile_id, parent_id"),
    ("items", "profile_id, folder_id"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let backend = manager.get_database_backend();
        for (table, list) in LISTS {
            let longest: Option<i64> = db
                .query_one(Statement::from_string(
                    backend,
                    format!(
                        "SELECT MAX(n) FROM (SELECT COUNT(*) AS n FROM {table} GROUP BY {list}) AS lists"
                    ),
                ))
                .await?
                .and_then(|row| row.try_get_by_index::<Option<i64>>(0).ok().flatten());
            let Some(longest) = longest else { continue };
            let key = position::key_sql("n", position::width_for(longest as u64));
            db.execute(Statement::from_string(
                backend,
                format!(
                    "UPDATE {table} SET position = renumbered.key FROM (SELECT id, {key} AS key \
                     FROM (SELECT id, ROW_NUMBER() OVER (PARTITION BY {list} ORDER BY position, id) \
                     - 1 AS n FROM {table}) AS ranked) AS renumbered WHERE {table}.id = renumbered.id"
                ),
            ))
            .await?;
        }
        if backend == DbBackend::Sqlite {
            // The renumbering rewrote most index pages; let the planner see the new keys.
            db.execute_unprepared("ANALYZE").await?;
        }
        Ok(())
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        Err(DbErr::Migration(
            "the short position keys cannot be turned back into the earlier ones, which \
             earlier releases need: restore a backup taken before the upgrade instead"
                .into(),
        ))
    }
}
