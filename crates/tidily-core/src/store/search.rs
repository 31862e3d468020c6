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

use crate::{
    db::{Db, Dialect},
    domain::search,
    entity::item,
    error::CoreResult,
};

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
    (item_id << CHUNK_BITS) + i64::from(chunk)
}

/// Bits of an FTS5 row ID that number the item's chunk ([`fts_rowid`]): room for
/// [`CHUNKS_MAX`] and chunk 0.
const CHUNK_BITS: u32 = 7;
/// The chunk bits of an FTS5 row ID.
const CHUNK_MASK: i64 = (1 << CHUNK_BITS) - 1;

/// Inserts `rows` (each its values in the order of `columns`, the words last) into
/// `table`, many rows per statement; on PostgreSQL the words become a `tsvector`.
async fn insert_rows(
    db: &impl ConnectionTrait,
    table: &str,
    columns: &str,
    rows: impl Iterator<Item = Vec<Value>>,
) -> CoreResult<()> {
    let backend = db.get_database_backend();
    let rows: Vec<Vec<Value>> = rows.collect();
    for batch in rows.chunks(BATCH) {
        let mut n = 0;
        let tuples: Vec<String> = batch
            .iter()
            .map(|row| {
                let last = row.len() - 1;
                let marks: Vec<String> = (0..row.len())
                    .map(|i| {
                        n += 1;
                        match (backend, i == last) {
                            (DbBackend::Sqlite, _) => "?".to_owned(),
                            (_, true) => format!("to_tsvector('simple', ${n})"),
                            (_, false) => format!("${n}"),
                        }
                    })
                    .collect();
                format!("({})", marks.join(", "))
            })
            .collect();
        let sql = format!(
            "INSERT INTO {table} ({columns}) VALUES {}",
            tuples.join(", ")
        );
        let values: Vec<Value> = batch.iter().flatten().cloned().collect();
        db.execute(Statement::from_sql_and_values(backend, sql, values))
            .await?;
    }
    Ok(())
}

/// Writes chunks that do not exist yet to the index of every chunk (not to the index of the
/// items' own fields: see [`insert`]).
pub async fn insert_chunks(db: &impl ConnectionTrait, chunks: &[Chunk]) -> CoreResult<()> {
    let words = |c: &Chunk| Value::from(c.words.as_str());
    match db.get_database_backend() {
        DbBackend::Sqlite => {
            let rows = chunks
                .iter()
                .map(|c| vec![fts_rowid(c.item_id, c.chunk).into(), words(c)]);
            insert_rows(db, "search_fts", "rowid, words", rows).await
        }
        _ => {
            let rows = chunks
                .iter()
                .map(|c| vec![c.item_id.into(), c.user_id.into(), c.chunk.into(), words(c)]);
            insert_rows(db, "search_chunks", "item_id, user_id, chunk, words", rows).await
        }
    }
}

/// Writes the chunks 0 among `chunks` (the items' own fields) to the index of fields alone.
pub async fn insert_fields(db: &impl ConnectionTrait, chunks: &[Chunk]) -> CoreResult<()> {
    let fields = chunks.iter().filter(|c| c.chunk == 0);
    let words = |c: &Chunk| Value::from(c.words.as_str());
    match db.get_database_backend() {
        DbBackend::Sqlite => {
            let rows = fields.map(|c| vec![c.item_id.into(), words(c)]);
            insert_rows(db, "search_fields_fts", "rowid, words", rows).await
        }
        _ => {
            let rows = fields.map(|c| vec![c.item_id.into(), c.user_id.into(), words(c)]);
            insert_rows(db, "search_fields", "item_id, user_id, words", rows).await
        }
    }
}

/// Writes new chunks to both indexes.
pub async fn insert(db: &impl ConnectionTrait, chunks: &[Chunk]) -> CoreResult<()> {
    insert_chunks(db, chunks).await?;
    insert_fields(db, chunks).await
}

/// Deletes an item's chunks numbered `from` to `to` (from the fields' index too for chunk 0).
async fn delete_chunks(
    db: &impl ConnectionTrait,
    item_id: i64,
    from: i32,
    to: i32,
) -> CoreResult<()> {
    let backend = db.get_database_backend();
    let (chunks, fields) = match backend {
        DbBackend::Sqlite => (
            Statement::from_sql_and_values(
                backend,
                "DELETE FROM search_fts WHERE rowid BETWEEN ? AND ?",
                [
                    fts_rowid(item_id, from).into(),
                    fts_rowid(item_id, to).into(),
                ],
            ),
            Statement::from_sql_and_values(
                backend,
                "DELETE FROM search_fields_fts WHERE rowid = ?",
                [item_id.into()],
            ),
        ),
        _ => (
            Statement::from_sql_and_values(
                backend,
                "DELETE FROM search_chunks WHERE item_id = $1 AND chunk BETWEEN $2 AND $3",
                [item_id.into(), from.into(), to.into()],
            ),
            Statement::from_sql_and_values(
                backend,
                "DELETE FROM search_fields WHERE item_id = $1",
                [item_id.into()],
            ),
        ),
    };
    db.execute(chunks).await?;
    if from == 0 {
        db.execute(fields).await?;
    }
    Ok(())
}

/// The chunk 0 of a new item: its own fields (`words`: its `search_text`, made by
/// [`search::words`]).
pub fn fields_chunk(item_id: i64, user_id: i64, words: &str) -> Chunk {
    Chunk {
        item_id,
        user_id,
        chunk: 0,
        words: words.trim().to_owned(),
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
    insert(db, &[fields_chunk(item_id, user_id, text)]).await
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

/// Matches of one term from which SQLite stops driving the list by them (see [`matches`]).
pub const DRIVE_SQLITE: i64 = 1_000;
/// Matches of one term from which SQLite probes each walked item instead of collecting the
/// matches (see [`matches`]); counting stops here.
pub const COMMON_SQLITE: i64 = 10_000;
/// Matches of one term in the items' own fields from which SQLite walks the list and tests
/// each row's `search_text` in place (a fraction of a microsecond) instead of reading the
/// matches by ID (see [`matches`]).
pub const DRIVE_FIELDS: i64 = 1_000;
/// Matches of one term below which PostgreSQL is told it is rare (see [`matches`]).
pub const RARE_POSTGRES: i64 = 200;

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

/// Where a term is looked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The item's own fields and its page's text.
    Anywhere,
    /// The item's own fields only (title, URL, memo, description), which rank first: an
    /// index of their own (`search_fields_fts`, `search_fields`), small beside the pages'.
    Fields,
}

impl Scope {
    /// The SQLite index of the scope, and the item of one of its rows.
    fn sqlite(self) -> (&'static str, String) {
        match self {
            Scope::Anywhere => ("search_fts", format!("rowid >> {CHUNK_BITS}")),
            Scope::Fields => ("search_fields_fts", "rowid".to_owned()),
        }
    }

    /// The PostgreSQL table of the scope (rows with `item_id`, `user_id` and `words`).
    fn postgres(self) -> &'static str {
        match self {
            Scope::Anywhere => "search_chunks",
            Scope::Fields => "search_fields",
        }
    }
}

/// The condition "the item has `phrase` in `scope`", for a list of the user's items.
///
/// The cost is in how a term's matches meet the list's sort order, and the right way depends
/// on how many there are, so they are counted first (up to a cap, so a common word costs a
/// bounded count). A rare term drives the query: its few items are read by ID and sorted. A
/// common one must not, as reading and sorting every match would be the whole cost: the list
/// then walks its own sort order and keeps the items that match, stopping when the page is
/// full, after about `page / share of items matching` rows.
///
/// On SQLite a term with fewer than [`DRIVE_SQLITE`] matches drives; up to [`COMMON_SQLITE`]
/// its matches are collected once into a temporary index that each walked row is looked up
/// in; beyond, collecting them would cost more than the short walk, so each walked row asks
/// the index for its own chunks (a row-ID range: see [`fts_rowid`]), which is why the index
/// is kept in few segments ([`compact`]). On PostgreSQL a term with fewer than
/// [`RARE_POSTGRES`] matches drives; for the others the planner chooses from its statistics,
/// probing each walked row's chunks for a common term. In the items' own fields (their own
/// index), the same on PostgreSQL; on SQLite a term with [`DRIVE_FIELDS`] matches or more is
/// tested on each walked row's `search_text`, without the index ([`probe`]).
pub async fn matches(
    db: &impl ConnectionTrait,
    user_id: i64,
    phrase: &search::Phrase,
    scope: Scope,
) -> CoreResult<SimpleExpr> {
    Ok(match db.get_database_backend() {
        DbBackend::Sqlite => {
            let query = phrase.fts5();
            let (table, item) = scope.sqlite();
            // Counting stops where the walk begins.
            let walk = match scope {
                Scope::Anywhere => COMMON_SQLITE,
                Scope::Fields => DRIVE_FIELDS,
            };
            let n = count(
                db,
                &format!(
                    "SELECT COUNT(*) AS n FROM \
                     (SELECT 1 FROM {table} WHERE {table} MATCH ? LIMIT ?)"
                ),
                [query.as_str().into(), walk.into()],
            )
            .await?;
            if n >= walk {
                return Ok(probe(DbBackend::Sqlite, phrase, scope));
            }
            let ids = format!("SELECT {item} FROM {table} WHERE {table} MATCH ?");
            let sql = if n >= DRIVE_SQLITE {
                // `+` keeps SQLite from driving the query by this term's IDs.
                format!("+\"items\".\"id\" IN ({ids})")
            } else {
                format!("\"items\".\"id\" IN ({ids})")
            };
            Expr::cust_with_values(sql, [Value::from(query)])
        }
        _ => {
            // The term is written into the statement rather than bound, so that the planner
            // sees it and estimates from its statistics how many rows match (a bound
            // parameter would get a generic plan, blind to the term).
            let tsquery = tsquery_literal(phrase);
            let table = scope.postgres();
            let n = count(
                db,
                &format!(
                    "SELECT COUNT(*) AS n FROM (SELECT 1 FROM {table} c \
                     WHERE c.words @@ {tsquery} AND c.user_id = $1 LIMIT $2) AS m"
                ),
                [user_id.into(), RARE_POSTGRES.into()],
            )
            .await?;
            if n >= RARE_POSTGRES {
                return Ok(held_in(table, &tsquery));
            }
            // Few: collected once, then the items are read by primary key. The planner's
            // estimate for a word missing from its statistics is too high to choose this.
            Expr::cust(format!(
                "\"items\".\"id\" = ANY(ARRAY(SELECT c.item_id FROM {table} c \
                 WHERE c.words @@ {tsquery} AND c.user_id = {user_id}))"
            ))
        }
    })
}

/// The condition "the item has `phrase` in `scope`", asked of each item it is tested on:
/// an index probe by the item's ID, whatever the term's frequency. For a walk in the list's
/// order, and for telling items apart once found.
pub fn probe(backend: DbBackend, phrase: &search::Phrase, scope: Scope) -> SimpleExpr {
    // The fields' words are on the row (`items.search_text`): tested in place.
    let in_fields = Expr::col((item::Entity, item::Column::SearchText)).like(phrase.like());
    if scope == Scope::Fields {
        return in_fields;
    }
    let in_chunks = match backend {
        DbBackend::Sqlite => {
            let first = format!("\"items\".\"id\" << {CHUNK_BITS}");
            Expr::cust_with_values(
                format!(
                    "EXISTS (SELECT 1 FROM search_fts WHERE search_fts MATCH ? \
                     AND search_fts.rowid BETWEEN {first} AND ({first}) + {CHUNK_MASK})"
                ),
                [Value::from(phrase.fts5())],
            )
        }
        _ => held_in(Scope::Anywhere.postgres(), &tsquery_literal(phrase)),
    };
    // A word in the fields needs no probe of the index.
    in_fields.or(in_chunks)
}

/// PostgreSQL: "a row of `table` for the item holds `tsquery`".
fn held_in(table: &str, tsquery: &str) -> SimpleExpr {
    Expr::cust(format!(
        "EXISTS (SELECT 1 FROM {table} c WHERE c.item_id = \"items\".\"id\" \
         AND c.words @@ {tsquery})"
    ))
}

/// `phrase` as a PostgreSQL `tsquery` written into a statement. Its tokens are letters and
/// digits only (`domain::search`), quoted; the literal's quotes are doubled.
fn tsquery_literal(phrase: &search::Phrase) -> String {
    format!(
        "to_tsquery('simple', '{}')",
        phrase.tsquery().replace('\'', "''")
    )
}

/// Segments of the SQLite index past which [`compact`] merges them.
pub const SEGMENTS_MAX: i64 = 4;
/// Leaf pages merged per step of [`compact`]: each step is a short write of its own (25 ms or
/// so), so that other writers get their turn between steps.
const MERGE_PAGES: i64 = 500;

/// The FTS5 tables of SQLite's indexes.
const FTS_TABLES: [&str; 2] = ["search_fts", "search_fields_fts"];

/// The segments of `table`.
async fn segments_of(db: &Db, table: &str) -> CoreResult<i64> {
    // `<table>_idx` is FTS5's table of segment pages: one `segid` per segment.
    count(
        db.read(),
        &format!("SELECT COUNT(DISTINCT segid) AS n FROM {table}_idx"),
        [],
    )
    .await
}

/// The segments of the most fragmented SQLite index (always 1 on PostgreSQL, whose GIN
/// indexes have none).
pub async fn segments(db: &Db) -> CoreResult<i64> {
    let mut most = 1;
    if db.dialect() == Dialect::Sqlite {
        for table in FTS_TABLES {
            most = most.max(segments_of(db, table).await?);
        }
    }
    Ok(most)
}

/// Merges each SQLite index into one segment when writes have left more than
/// [`SEGMENTS_MAX`], in at most `steps` steps in all; returns `false` when the steps ran out
/// first.
///
/// Every write adds a segment that FTS5 merges only with others of its size, so an index
/// built over time is a dozen segments, and a probe of one walked item ([`matches`]) seeks in
/// each: at 100,000 items, eleven segments made probes seven times slower than one (130 µs
/// against 18). PostgreSQL has nothing to merge.
pub async fn compact(db: &Db, mut steps: usize) -> CoreResult<bool> {
    if db.dialect() != Dialect::Sqlite {
        return Ok(true);
    }
    for table in FTS_TABLES {
        if segments_of(db, table).await? <= SEGMENTS_MAX {
            continue;
        }
        loop {
            if steps == 0 {
                return Ok(false);
            }
            steps -= 1;
            // A negative size merges every segment, whatever its level, as `optimize` does,
            // but a bounded number of pages at a time.
            let tx = db.write().await?;
            tx.execute(Statement::from_sql_and_values(
                DbBackend::Sqlite,
                format!("INSERT INTO {table} ({table}, rank) VALUES ('merge', ?)"),
                [(-MERGE_PAGES).into()],
            ))
            .await?;
            tx.commit().await?;
            if segments_of(db, table).await? <= 1 {
                break;
            }
        }
    }
    Ok(true)
}
