//! The search index: an item's words in chunks, and the condition that finds items by them.
//!
//! Chunk 0 holds the item's own fields (title, URL, memo, the page's description), rewritten
//! with the item; chunks 1… hold its page's text, rewritten by its capture. A query term
//! matches an item when one of its chunks holds the term's tokens in a row; every term must
//! match (in any chunks). The index answers without reading any item that does not match, so
//! a word found nowhere costs an index probe, not a scan of the library.

use sea_orm::{
    sea_query::{Expr, SimpleExpr},
    ConnectionTrait, DbBackend, FromQueryResult, Statement, Value,
};

use crate::{domain::search, error::CoreResult};

/// Words per chunk of page text: well under PostgreSQL's 16,383 positions (past which a
/// phrase is not found) and its 1 MiB per `tsvector`.
pub const CHUNK_TOKENS: usize = 8_000;
/// Chunks of page text kept per item (about 2 MB of Japanese text, 5 of English).
pub const CHUNKS_MAX: usize = 100;

/// One chunk to write: item, owner, chunk number, its words.
pub struct Chunk {
    pub item_id: i64,
    pub user_id: i64,
    pub chunk: i32,
    pub words: String,
}

/// Rows per multi-row INSERT.
const BATCH: usize = 200;

/// The FTS5 row of an item's chunk (SQLite): the item in the high bits, so that a match
/// names its item without a join, and an item's rows are one range.
pub fn fts_rowid(item_id: i64, chunk: i32) -> i64 {
    item_id * 128 + i64::from(chunk)
}

/// Writes chunks that do not exist yet, many rows per statement.
pub async fn insert_chunks(db: &impl ConnectionTrait, chunks: &[Chunk]) -> CoreResult<()> {
    let backend = db.get_database_backend();
    for batch in chunks.chunks(BATCH) {
        let (sql, values): (String, Vec<Value>) = match backend {
            DbBackend::Sqlite => (
                format!(
                    "INSERT INTO search_fts (rowid, words) VALUES {}",
                    vec!["(?, ?)"; batch.len()].join(", ")
                ),
                batch
                    .iter()
                    .flat_map(|c| {
                        [
                            fts_rowid(c.item_id, c.chunk).into(),
                            c.words.as_str().into(),
                        ]
                    })
                    .collect(),
            ),
            _ => (
                format!(
                    "INSERT INTO search_chunks (item_id, user_id, chunk, words) VALUES {}",
                    (0..batch.len())
                        .map(|i| {
                            let n = i * 4;
                            format!(
                                "(${}, ${}, ${}, to_tsvector('simple', ${}))",
                                n + 1,
                                n + 2,
                                n + 3,
                                n + 4
                            )
                        })
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                batch
                    .iter()
                    .flat_map(|c| {
                        [
                            c.item_id.into(),
                            c.user_id.into(),
                            c.chunk.into(),
                            c.words.as_str().into(),
                        ]
                    })
                    .collect(),
            ),
        };
        db.execute(Statement::from_sql_and_values(backend, sql, values))
            .await?;
    }
    Ok(())
}

/// Deletes an item's chunks numbered `from` to `to`.
async fn delete_chunks(
    db: &impl ConnectionTrait,
    item_id: i64,
    from: i32,
    to: i32,
) -> CoreResult<()> {
    let backend = db.get_database_backend();
    let statement = match backend {
        DbBackend::Sqlite => Statement::from_sql_and_values(
            backend,
            "DELETE FROM search_fts WHERE rowid BETWEEN ? AND ?",
            [
                fts_rowid(item_id, from).into(),
                fts_rowid(item_id, to).into(),
            ],
        ),
        _ => Statement::from_sql_and_values(
            backend,
            "DELETE FROM search_chunks WHERE item_id = $1 AND chunk BETWEEN $2 AND $3",
            [item_id.into(), from.into(), to.into()],
        ),
    };
    db.execute(statement).await?;
    Ok(())
}

/// The chunk 0 of a new item (its own fields; `text`: its `search_text`).
pub fn fields_chunk(item_id: i64, user_id: i64, text: &str) -> Chunk {
    Chunk {
        item_id,
        user_id,
        chunk: 0,
        words: search::document(text).join(" "),
    }
}

/// Indexes an item's own fields (`text`: its `search_text`) as its chunk 0.
pub async fn index_fields(
    db: &impl ConnectionTrait,
    item_id: i64,
    user_id: i64,
    text: &str,
) -> CoreResult<()> {
    delete_chunks(db, item_id, 0, 0).await?;
    insert_chunks(db, &[fields_chunk(item_id, user_id, text)]).await
}

/// Replaces the indexed text of an item's page (empty: the item has none).
pub async fn index_page(
    db: &impl ConnectionTrait,
    item_id: i64,
    user_id: i64,
    text: &str,
) -> CoreResult<()> {
    delete_chunks(db, item_id, 1, CHUNKS_MAX as i32).await?;
    insert_chunks(db, &page_chunks(item_id, user_id, text)).await
}

/// The chunks (1…) of an item's page text.
pub fn page_chunks(item_id: i64, user_id: i64, text: &str) -> Vec<Chunk> {
    search::document(text)
        .chunks(CHUNK_TOKENS)
        .take(CHUNKS_MAX)
        .enumerate()
        .map(|(n, words)| Chunk {
            item_id,
            user_id,
            chunk: n as i32 + 1,
            words: words.join(" "),
        })
        .collect()
}

/// Matches of one term from which SQLite counts it as common (see [`matches`]).
const COMMON: i64 = 1_000;
/// Matches of one term below which PostgreSQL is told it is rare (see [`matches`]).
const RARE_POSTGRES: i64 = 200;

#[derive(FromQueryResult)]
struct Count {
    n: i64,
}

/// What `sql` counts (matches, up to a cap), bound to `values`.
async fn count(
    db: &impl ConnectionTrait,
    sql: &str,
    values: impl IntoIterator<Item = Value>,
) -> CoreResult<i64> {
    let backend = db.get_database_backend();
    Ok(
        Count::find_by_statement(Statement::from_sql_and_values(backend, sql, values))
            .one(db)
            .await?
            .map_or(0, |c| c.n),
    )
}

/// The condition "the item's text has `phrase`", for a list of the user's items.
///
/// A rare term should drive the query (its few items read by ID and sorted); a common one
/// should not, as sorting every match would be the whole cost: the list then walks its own
/// sort order and keeps the items that match, stopping when the page is full. On SQLite the
/// term's matches are counted up to [`COMMON`] to choose, and checked against the matches
/// collected once. On PostgreSQL a term with fewer than [`RARE_POSTGRES`] matches drives the
/// query; for the others the planner chooses from its statistics, probing each walked row's
/// chunks for a common term.
pub async fn matches(
    db: &impl ConnectionTrait,
    user_id: i64,
    phrase: &search::Phrase,
) -> CoreResult<SimpleExpr> {
    Ok(match db.get_database_backend() {
        DbBackend::Sqlite => {
            let query = phrase.fts5();
            let n = count(
                db,
                "SELECT COUNT(*) AS n FROM \
                 (SELECT 1 FROM search_fts WHERE search_fts MATCH ? LIMIT ?)",
                [query.as_str().into(), COMMON.into()],
            )
            .await?;
            // `+` keeps SQLite from driving the query by this term's IDs.
            let drive = if n >= COMMON { "+" } else { "" };
            Expr::cust_with_values(
                format!(
                    "{drive}\"items\".\"id\" IN \
                     (SELECT rowid >> 7 FROM search_fts WHERE search_fts MATCH ?)"
                ),
                [Value::from(query)],
            )
        }
        _ => {
            // The term is written into the statement rather than bound, so that the planner
            // sees it and estimates from its statistics how many rows match (a bound
            // parameter would get a generic plan, blind to the term). Its tokens are letters
            // and digits only (`domain::search`), quoted; the literal's quotes are doubled.
            let literal = phrase.tsquery().replace('\'', "''");
            let tsquery = format!("to_tsquery('simple', '{literal}')");
            let n = count(
                db,
                &format!(
                    "SELECT COUNT(*) AS n FROM (SELECT 1 FROM search_chunks \
                     WHERE words @@ {tsquery} AND user_id = $1 LIMIT $2) AS m"
                ),
                [user_id.into(), RARE_POSTGRES.into()],
            )
            .await?;
            Expr::cust(if n < RARE_POSTGRES {
                // Few: collected once, then the items are read by primary key. The planner's
                // estimate for a word missing from its statistics is too high to choose this.
                format!(
                    "\"items\".\"id\" = ANY(ARRAY(SELECT c.item_id FROM search_chunks c \
                     WHERE c.words @@ {tsquery} AND c.user_id = {user_id}))"
                )
            } else {
                format!(
                    "EXISTS (SELECT 1 FROM search_chunks c WHERE c.item_id = \"items\".\"id\" \
                     AND c.words @@ {tsquery})"
                )
            })
        }
    })
}
