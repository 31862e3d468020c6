//! The search index, arranged for the ways `store::search` finds items.
//!
//! - `items.search_text` holds the words of the item's own fields as search sees them
//!   (" 東京 京都 都 ", `domain::search::words`) instead of their lower-cased text, so that a
//!   walk in the list's order tests a term on the row itself, with the index's meaning.
//! - An index of each item's own fields alone (title, URL, memo, description), beside the
//!   index of every chunk: `search_fields_fts` (SQLite, row ID = item ID) and `search_fields`
//!   (PostgreSQL). Items holding a term there rank first, and finding them in the index of
//!   every chunk means reading every match of a common word only to keep one in ten.
//! - PostgreSQL keeps a page's words (a `tsvector` of a few kilobytes) in the chunk's own row
//!   instead of its TOAST table. A common term is found by walking the list and probing each
//!   item's chunks; a value moved out of line costs every probe a second index descent and
//!   more pages: keeping it in the row halved a probe (at 100,000 items, 5.7 ms instead of
//!   10.3 for the first page of a word in one item in twenty). Values larger than a page
//!   still go out of line; rows written before keep their layout until next rewritten.

use sea_orm::{ConnectionTrait, DbBackend, FromQueryResult, Statement};
use sea_orm_migration::prelude::*;

use crate::store::{items, search};

#[derive(DeriveMigrationName)]
pub struct Migration;

const SQLITE: &[&str] = &[
    "CREATE VIRTUAL TABLE search_fields_fts USING fts5(
        words, content = '', contentless_delete = 1,
        tokenize = 'unicode61 remove_diacritics 0')",
    "CREATE TRIGGER items_deleted_search_fields AFTER DELETE ON items BEGIN
        DELETE FROM search_fields_fts WHERE rowid = old.id;
     END",
];

const POSTGRES: &[&str] = &[
    // The most PostgreSQL allows: a row is moved out of line only past 8,160 bytes.
    "ALTER TABLE search_chunks SET (toast_tuple_target = 8160)",
    "CREATE TABLE search_fields (
        item_id BIGINT PRIMARY KEY REFERENCES items (id) ON DELETE CASCADE,
        user_id BIGINT NOT NULL,
        words TSVECTOR NOT NULL)",
    "CREATE INDEX ix_search_fields_words ON search_fields USING GIN (words)",
];

#[derive(FromQueryResult)]
struct Row {
    id: i64,
    user_id: i64,
    title: String,
    url: Option<String>,
    memo: String,
    description: String,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let backend = db.get_database_backend();
        super::run_ddl(db, SQLITE, POSTGRES).await?;
        // Rewrite the fields' words and index them, a thousand items at a time.
        let mut after = 0_i64;
        loop {
            let rows: Vec<Row> =
                super::items_after(db, "id, user_id, title, url, memo, description", after).await?;
            let Some(last) = rows.last() else { break };
            after = last.id;
            let words: Vec<String> = rows
                .iter()
                // From the fields themselves, so that running this again changes nothing.
                .map(|r| items::search_text(&r.title, r.url.as_deref(), &r.memo, &r.description))
                .collect();
            // SQLite and PostgreSQL both name the columns of `VALUES` column1, column2…
            let marks: Vec<String> = (0..rows.len())
                .map(|i| match backend {
                    DbBackend::Sqlite => "(?, ?)".to_owned(),
                    _ => format!("(${}::bigint, ${}::text)", 2 * i + 1, 2 * i + 2),
                })
                .collect();
            let values: Vec<sea_orm::Value> = rows
                .iter()
                .zip(&words)
                .flat_map(|(r, w)| [r.id.into(), w.as_str().into()])
                .collect();
            db.execute(Statement::from_sql_and_values(
                backend,
                format!(
                    "UPDATE items SET search_text = v.column2 FROM (VALUES {}) AS v \
                     WHERE items.id = v.column1",
                    marks.join(", ")
                ),
                values,
            ))
            .await?;
            let chunks: Vec<_> = rows
                .iter()
                .zip(&words)
                .map(|(r, w)| search::fields_chunk(r.id, r.user_id, w))
                .collect();
            search::insert_fields(db, &chunks)
                .await
                .map_err(|e| DbErr::Custom(e.to_string()))?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        if db.get_database_backend() == DbBackend::Sqlite {
            db.execute_unprepared("DROP TRIGGER items_deleted_search_fields")
                .await?;
            db.execute_unprepared("DROP TABLE search_fields_fts")
                .await?;
        } else {
            db.execute_unprepared("DROP TABLE search_fields").await?;
            db.execute_unprepared("ALTER TABLE search_chunks RESET (toast_tuple_target)")
                .await?;
        }
        Ok(())
    }
}
