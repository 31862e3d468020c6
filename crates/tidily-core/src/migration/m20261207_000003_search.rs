//! Full-text search without a database extension: the application cuts text into words and
//! character pairs (`domain::search`), and each database indexes those as ordinary words —
//! an FTS5 table on SQLite, a `tsvector` with a GIN index on PostgreSQL (`search_chunks`). An
//! item's text is indexed in chunks (chunk 0: its own fields; 1…: its page's text, at most
//! `store::search::CHUNK_TOKENS` words each), because PostgreSQL keeps word positions only up
//! to 16,383 and a `tsvector` under 1 MiB.

use sea_orm::{ConnectionTrait, DbBackend, FromQueryResult};
use sea_orm_migration::prelude::*;

use crate::store::search;

#[derive(DeriveMigrationName)]
pub struct Migration;

const SQLITE: &[&str] = &[
    // Contentless: the words are indexed, not stored a second time. A chunk's row ID is
    // `item_id * 128 + chunk` (`store::search::fts_rowid`), so a match names its item without
    // a join.
    "CREATE VIRTUAL TABLE search_fts USING fts5(
        words, content = '', contentless_delete = 1,
        tokenize = 'unicode61 remove_diacritics 0')",
    // An item deleted (one by one, in bulk, by the trash purge) takes its words with it.
    "CREATE TRIGGER items_deleted_search AFTER DELETE ON items BEGIN
        DELETE FROM search_fts WHERE rowid BETWEEN old.id * 128 AND old.id * 128 + 127;
     END",
];

const POSTGRES: &[&str] = &[
    "CREATE TABLE search_chunks (
        id BIGSERIAL PRIMARY KEY,
        item_id BIGINT NOT NULL REFERENCES items (id) ON DELETE CASCADE,
        user_id BIGINT NOT NULL,
        chunk INTEGER NOT NULL,
        words TSVECTOR NOT NULL)",
    "CREATE UNIQUE INDEX ux_search_chunks_item ON search_chunks (item_id, chunk)",
    "CREATE INDEX ix_search_chunks_words ON search_chunks USING GIN (words)",
];

#[derive(FromQueryResult)]
struct Row {
    id: i64,
    user_id: i64,
    search_text: String,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        super::run_ddl(db, SQLITE, POSTGRES).await?;
        // Index what is already there, a thousand items at a time.
        let mut after = 0_i64;
        loop {
            let rows: Vec<Row> = super::items_after(db, "id, user_id, search_text", after).await?;
            let Some(last) = rows.last() else { break };
            after = last.id;
            let chunks: Vec<_> = rows
                .iter()
                // `search_text` was the fields' text then (its words since migration 8).
                .map(|r| {
                    let words = crate::domain::search::words(&r.search_text);
                    search::fields_chunk(r.id, r.user_id, &words)
                })
                .collect();
            search::insert_chunks(db, &chunks)
                .await
                .map_err(|e| DbErr::Custom(e.to_string()))?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        if db.get_database_backend() == DbBackend::Sqlite {
            db.execute_unprepared("DROP TRIGGER items_deleted_search")
                .await?;
            db.execute_unprepared("DROP TABLE search_fts").await?;
        } else {
            db.execute_unprepared("DROP TABLE search_chunks").await?;
        }
        Ok(())
    }
}
