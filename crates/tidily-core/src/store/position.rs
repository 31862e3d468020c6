//! Manual order as short, byte-ordered keys: a new position is computed between two
//! neighbours, so moving a row by drag and drop writes that row alone and never renumbers a
//! list.
//!
//! A key is an *integer part* and an optional *fraction*, both in base 62 (`0-9A-Za-z`, in
//! ASCII order, so keys compare as plain bytes; the PostgreSQL columns are `COLLATE "C"`).
//! The integer part starts with a head character that says how many digits follow: `a`
//! one, `b` two, … `z` twenty-six; `Z` … `A` the same for negative numbers. This is David
//! Greenspan's "Implementing Fractional Indexing" scheme (the keys of Figma and Replicache).
//! No well-kept Rust crate implements it, so it lives here.
//!
//! - **Appending** increments the integer part and drops the fraction: 100,000 appends end
//!   at a four-character key (`a0` … `az`, `b00` … `bzz`, `c000` …). Appending between the
//!   last key and "the end" instead (the earlier scheme) grew keys by a character every 63
//!   rows, to 528 characters at 100,000 items.
//! - **Inserting between** two neighbours bisects their fractions: about six insertions at
//!   the same spot per extra character. A key longer than [`REBALANCE_AT`] makes the caller
//!   renumber the list in one statement ([`rebalance`]), after which every key is short again.

use sea_orm::{
    sea_query::SimpleExpr, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QuerySelect, Statement,
};

use crate::domain::problem::Conflict;
use crate::{
    db::Dialect,
    error::{CoreError, CoreResult},
};

/// The digits, in ascending byte order.
const DIGITS: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const BASE: u8 = 62;

/// A generated key longer than this makes the caller renumber its list first. Keys after a
/// renumbering are at most six characters, so this leaves room for about 35 insertions at
/// one spot before the next.
pub const REBALANCE_AT: usize = 12;

fn value(digit: u8) -> Option<u8> {
    match digit {
        b'0'..=b'9' => Some(digit - b'0'),
        b'A'..=b'Z' => Some(digit - b'A' + 10),
        b'a'..=b'z' => Some(digit - b'a' + 36),
        _ => None,
    }
}

fn digit(value: u8) -> u8 {
    DIGITS[usize::from(value)]
}

/// The length of an integer part (head included) that starts with `head`.
fn integer_len(head: u8) -> Option<usize> {
    match head {
        b'a'..=b'z' => Some(usize::from(head - b'a') + 2),
        b'A'..=b'Z' => Some(usize::from(b'Z' - head) + 2),
        _ => None,
    }
}

/// A key split into its integer part and fraction, after checking it is well formed.
fn split(key: &str) -> CoreResult<(&str, &str)> {
    let corrupt = || CoreError::Internal(anyhow::anyhow!("corrupt position {key:?}"));
    let bytes = key.as_bytes();
    let len = bytes
        .first()
        .and_then(|&h| integer_len(h))
        .ok_or_else(corrupt)?;
    if bytes.len() < len || bytes[1..].iter().any(|&b| value(b).is_none()) {
        return Err(corrupt());
    }
    // The smallest integer has no predecessor to bisect towards; and a fraction never ends
    // in 0 (it would equal the shorter key in value but not in bytes).
    if key == SMALLEST || (bytes.len() > len && bytes.last() == Some(&b'0')) {
        return Err(corrupt());
    }
    Ok(key.split_at(len))
}

/// `A` followed by 26 zeros: the smallest integer part.
const SMALLEST: &str = "A00000000000000000000000000";

/// Whether `key` is a well-formed position (old or damaged rows are renumbered instead).
pub fn is_valid(key: &str) -> bool {
    split(key).is_ok()
}

/// The integer part plus one; `None` past the largest integer.
fn increment(int: &str) -> Option<String> {
    let mut bytes = int.as_bytes().to_vec();
    for i in (1..bytes.len()).rev() {
        let v = value(bytes[i])?;
        if v + 1 < BASE {
            bytes[i] = digit(v + 1);
            return String::from_utf8(bytes).ok();
        }
        bytes[i] = b'0';
    }
    // Every digit carried: the next head, with as many zeros as it takes.
    let head = match bytes[0] {
        b'Z' => b'a',
        b'z' => return None,
        h => h + 1,
    };
    let zeros = integer_len(head)? - 1;
    Some(format!("{}{}", head as char, "0".repeat(zeros)))
}

/// The integer part minus one; `None` below the smallest integer.
fn decrement(int: &str) -> Option<String> {
    let mut bytes = int.as_bytes().to_vec();
    for i in (1..bytes.len()).rev() {
        let v = value(bytes[i])?;
        if v > 0 {
            bytes[i] = digit(v - 1);
            return String::from_utf8(bytes).ok();
        }
        bytes[i] = b'z';
    }
    let head = match bytes[0] {
        b'a' => b'Z',
        b'A' => return None,
        h => h - 1,
    };
    let nines = integer_len(head)? - 1;
    Some(format!("{}{}", head as char, "z".repeat(nines)))
}

/// A fraction strictly between `low` and `high` (`None`: one), without a trailing zero.
/// Both are digit strings, `low < high`, neither ends in `0`.
fn midpoint(low: &[u8], high: Option<&[u8]>) -> Vec<u8> {
    let at = |s: &[u8], i: usize| s.get(i).copied().map_or(0, |d| value(d).unwrap_or(0));
    if let Some(high) = high {
        // Skip the common prefix (reading `low` as padded with zeros).
        let common = (0..high.len())
            .take_while(|&i| at(low, i) == at(high, i))
            .count();
        if common > 0 {
            let mut out = high[..common].to_vec();
            out.extend(midpoint(
                low.get(common..).unwrap_or_default(),
                Some(&high[common..]),
            ));
            return out;
        }
    }
    let lo = at(low, 0);
    let hi = high.map_or(BASE, |h| at(h, 0));
    if hi - lo > 1 {
        return vec![digit((lo + hi) / 2)];
    }
    match high {
        // `high` goes on after its first digit: that digit alone is between the two.
        Some(h) if h.len() > 1 => vec![h[0]],
        _ => {
            let mut out = vec![digit(lo)];
            out.extend(midpoint(low.get(1..).unwrap_or_default(), None));
            out
        }
    }
}

/// A key strictly between `before` and `after` (either may be absent: the start or the end).
pub fn between(before: Option<&str>, after: Option<&str>) -> CoreResult<String> {
    let out_of_order = || CoreError::Conflict(Conflict::NeighboursOutOfOrder);
    let exhausted = || CoreError::Internal(anyhow::anyhow!("position space exhausted"));
    let joined = |int: &str, frac: &[u8]| format!("{int}{}", String::from_utf8_lossy(frac));
    match (before, after) {
        (None, None) => Ok("a0".to_owned()),
        (None, Some(b)) => {
            let (int, frac) = split(b)?;
            if !frac.is_empty() {
                return Ok(int.to_owned());
            }
            decrement(int).ok_or_else(exhausted)
        }
        (Some(a), None) => {
            let (int, frac) = split(a)?;
            Ok(match increment(int) {
                Some(next) => next,
                None => joined(int, &midpoint(frac.as_bytes(), None)),
            })
        }
        (Some(a), Some(b)) => {
            if a >= b {
                return Err(out_of_order());
            }
            let (ia, fa) = split(a)?;
            let (ib, fb) = split(b)?;
            if ia == ib {
                return Ok(joined(ia, &midpoint(fa.as_bytes(), Some(fb.as_bytes()))));
            }
            let next = increment(ia).ok_or_else(exhausted)?;
            if next.as_str() < b {
                Ok(next)
            } else {
                Ok(joined(ia, &midpoint(fa.as_bytes(), None)))
            }
        }
    }
}

/// The key after `last` (append at the end of a list).
pub fn after(last: Option<&str>) -> CoreResult<String> {
    between(last, None)
}

/// `count` consecutive keys after `last`, for appending many rows at once.
pub fn after_n(last: Option<&str>, count: usize) -> CoreResult<Vec<String>> {
    let mut keys = Vec::with_capacity(count);
    let mut previous = last.map(str::to_owned);
    for _ in 0..count {
        let next = after(previous.as_deref())?;
        keys.push(next.clone());
        previous = Some(next);
    }
    Ok(keys)
}

/// The greatest position in `column` among the rows matching `list`: the end of that list.
pub async fn last_in<E: EntityTrait>(
    db: &impl ConnectionTrait,
    column: E::Column,
    list: Condition,
) -> CoreResult<Option<String>> {
    Ok(E::find()
        .select_only()
        .column_as(column.max(), "max")
        .filter(list)
        .into_tuple::<Option<String>>()
        .one(db)
        .await?
        .flatten())
}

/// `column = id`, or `column IS NULL` for the top level / no folder.
pub fn parent_is(column: impl ColumnTrait, id: Option<i64>) -> SimpleExpr {
    match id {
        Some(id) => column.eq(id),
        None => column.is_null(),
    }
}

/// Where a moved row goes among its new siblings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Placement {
    /// After the last row.
    #[default]
    End,
    /// Just before the row with this ID.
    Before(i64),
    /// Just after the row with this ID.
    After(i64),
    /// Between two rows that are next to each other; if something has come between them
    /// since the client looked, the move is refused (409) rather than guessed at.
    Between { after: i64, before: i64 },
}

impl Placement {
    /// From the API's and the forms' pair of optional neighbours.
    pub fn from_neighbours(before: Option<i64>, after: Option<i64>) -> Placement {
        match (before, after) {
            (Some(before), Some(after)) => Placement::Between { after, before },
            (Some(b), None) => Placement::Before(b),
            (None, Some(a)) => Placement::After(a),
            (None, None) => Placement::End,
        }
    }
}

/// The conflict of a [`Placement::Between`] whose rows are no longer neighbours.
pub fn not_adjacent() -> CoreError {
    CoreError::Conflict(Conflict::NotAdjacent)
}

/// A list of rows in one table that share an order: the rows of `table` where `scope` (a SQL
/// condition over the table's own columns, with `?` placeholders for `values`) holds.
pub struct List<'a> {
    pub table: &'static str,
    pub scope: &'a str,
    pub values: Vec<sea_orm::Value>,
}

/// The key for a row placed after the row `lower` and before the row `upper` of `list` (IDs
/// of rows in the list; `None`: its start or its end). When that key would be longer than
/// [`REBALANCE_AT`], or a neighbour's key is not one this code writes, the list is renumbered
/// first and the key computed between the neighbours' new keys.
pub async fn place(
    db: &impl ConnectionTrait,
    dialect: Dialect,
    list: &List<'_>,
    lower: Option<i64>,
    upper: Option<i64>,
) -> CoreResult<String> {
    for renumbered in [false, true] {
        let keys = keys_of(db, dialect, list.table, [lower, upper]).await?;
        let key_of = |id: Option<i64>| -> CoreResult<Option<&str>> {
            id.map(|id| {
                keys.iter()
                    .find(|(k, _)| *k == id)
                    .map(|(_, key)| key.as_str())
                    .ok_or(CoreError::NotFound)
            })
            .transpose()
        };
        match between(key_of(lower)?, key_of(upper)?) {
            Ok(key) if key.len() <= REBALANCE_AT || renumbered => return Ok(key),
            Err(e @ CoreError::Conflict(_)) => return Err(e),
            Err(e) if renumbered => return Err(e),
            _ => {
                rebalance(db, dialect, list).await?;
            }
        }
    }
    unreachable!("the second round returns")
}

/// The `(id, position)` of the given rows of `table`.
async fn keys_of(
    db: &impl ConnectionTrait,
    dialect: Dialect,
    table: &str,
    ids: [Option<i64>; 2],
) -> CoreResult<Vec<(i64, String)>> {
    let ids: Vec<sea_orm::Value> = ids.iter().flatten().map(|&id| id.into()).collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let marks = vec!["?"; ids.len()].join(", ");
    let sql = format!("SELECT id, position FROM {table} WHERE id IN ({marks})");
    db.query_all(statement(dialect, &sql, ids))
        .await?
        .iter()
        .map(|row| Ok((row.try_get_by_index(0)?, row.try_get_by_index(1)?)))
        .collect()
}

/// Renumbers `list` in one statement: the rows keep their order (by position, then ID) and get
/// consecutive keys of one width, the shortest that fits them all. Returns how many rows it
/// renumbered. Runs inside the caller's write transaction.
pub async fn rebalance(
    db: &impl ConnectionTrait,
    dialect: Dialect,
    list: &List<'_>,
) -> CoreResult<u64> {
    let count_sql = format!("SELECT COUNT(*) FROM {} WHERE {}", list.table, list.scope);
    let count: i64 = db
        .query_one(statement(dialect, &count_sql, list.values.clone()))
        .await?
        .map(|row| row.try_get_by_index(0))
        .transpose()?
        .unwrap_or(0);
    if count == 0 {
        return Ok(0);
    }
    let sql = format!(
        "UPDATE {table} SET position = renumbered.key FROM (SELECT id, {key} AS key FROM \
         (SELECT id, ROW_NUMBER() OVER (ORDER BY position, id) - 1 AS n FROM {table} \
         WHERE {scope}) AS ranked) AS renumbered WHERE {table}.id = renumbered.id",
        table = list.table,
        scope = list.scope,
        key = key_sql("n", width_for(count as u64)),
    );
    let done = db
        .execute(statement(dialect, &sql, list.values.clone()))
        .await?;
    Ok(done.rows_affected())
}

/// The number of digits that numbers `0..count` need in base 62 (at least one).
pub fn width_for(count: u64) -> u32 {
    let mut width = 1;
    let mut capacity = u64::from(BASE);
    while capacity < count {
        width += 1;
        capacity = capacity.saturating_mul(u64::from(BASE));
    }
    width
}

/// SQL for the key of the integer `column` (from 0) with `width` base-62 digits: the same
/// key [`nth`] computes. Portable: integer division, `%`, `substr` and `||` mean the same on
/// SQLite and PostgreSQL.
pub fn key_sql(column: &str, width: u32) -> String {
    let head = (b'a' + (width - 1) as u8) as char;
    let digits = std::str::from_utf8(DIGITS).expect("ASCII");
    let mut sql = format!("'{head}'");
    for place in (0..width).rev() {
        let divisor = u64::from(BASE).pow(place);
        sql.push_str(&format!(
            " || substr('{digits}', CAST(({column} / {divisor}) % {BASE} + 1 AS INTEGER), 1)"
        ));
    }
    sql
}

/// The key of the integer `n` written with `width` digits (see [`key_sql`]).
pub fn nth(n: u64, width: u32) -> String {
    let mut out = String::with_capacity(width as usize + 1);
    out.push((b'a' + (width - 1) as u8) as char);
    for place in (0..width).rev() {
        let d = (n / u64::from(BASE).pow(place)) % u64::from(BASE);
        out.push(digit(d as u8) as char);
    }
    out
}

/// A statement with `?` placeholders, rewritten to `$1, $2 …` for PostgreSQL.
fn statement(dialect: Dialect, sql: &str, values: Vec<sea_orm::Value>) -> Statement {
    match dialect {
        Dialect::Sqlite => Statement::from_sql_and_values(sea_orm::DbBackend::Sqlite, sql, values),
        Dialect::Postgres => {
            let mut numbered = String::with_capacity(sql.len() + 8);
            let mut n = 0;
            for c in sql.chars() {
                if c == '?' {
                    n += 1;
                    numbered.push_str(&format!("${n}"));
                } else {
                    numbered.push(c);
                }
            }
            Statement::from_sql_and_values(sea_orm::DbBackend::Postgres, numbered, values)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b(x: Option<&str>, y: Option<&str>) -> String {
        between(x, y).unwrap()
    }

    #[test]
    fn appends_by_incrementing_and_stays_short() {
        assert_eq!(b(None, None), "a0");
        assert_eq!(b(Some("a0"), None), "a1");
        assert_eq!(b(Some("az"), None), "b00");
        assert_eq!(b(Some("a1V"), None), "a2");
        let keys = after_n(None, 100_000).unwrap();
        assert!(keys.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(keys.iter().map(String::len).max(), Some(4));
    }

    #[test]
    fn prepends_by_decrementing() {
        assert_eq!(b(None, Some("a0")), "Zz");
        assert_eq!(b(None, Some("b00")), "az");
        assert_eq!(b(None, Some("a0V")), "a0");
        let mut first = "a0".to_owned();
        for _ in 0..10_000 {
            let next = b(None, Some(&first));
            assert!(next < first, "{next} {first}");
            first = next;
        }
        assert!(first.len() <= 4, "{first}");
    }

    #[test]
    fn bisects_between_neighbours() {
        assert_eq!(b(Some("a0"), Some("a1")), "a0V");
        assert_eq!(b(Some("a0"), Some("a0V")), "a0F");
        assert_eq!(b(Some("a0"), Some("b00")), "a1");
        assert_eq!(b(Some("a1"), Some("a2")), "a1V");
        assert_eq!(b(Some("a0z"), Some("a1")), "a0zV");
        // Always strictly between, however often the same gap is split, from either side.
        let (mut lo, mut hi) = ("a0".to_owned(), "a1".to_owned());
        for i in 0..200 {
            let mid = b(Some(&lo), Some(&hi));
            assert!(lo < mid && mid < hi, "{lo} {mid} {hi}");
            assert!(is_valid(&mid), "{mid}");
            if i % 2 == 0 {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        // About six insertions at one spot per extra character.
        let mut hi = "a1".to_owned();
        for _ in 0..60 {
            hi = b(Some("a0"), Some(&hi));
        }
        assert!(hi.len() <= 14, "{hi}");
    }

    #[test]
    fn refuses_disorder_and_garbage() {
        assert!(between(Some("a1"), Some("a0")).is_err());
        assert!(between(Some("a1"), Some("a1")).is_err());
        for bad in ["", "!", "a", "b0", "a0 ", "a10", "8000", SMALLEST] {
            assert!(!is_valid(bad), "{bad:?}");
            assert!(after(Some(bad)).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn nth_keys_ascend_and_match_widths() {
        assert_eq!(width_for(1), 1);
        assert_eq!(width_for(62), 1);
        assert_eq!(width_for(63), 2);
        assert_eq!(width_for(100_000), 3);
        assert_eq!(nth(0, 1), "a0");
        assert_eq!(nth(61, 1), "az");
        assert_eq!(nth(62, 2), "b10");
        let keys: Vec<String> = (0..5000).map(|n| nth(n, 3)).collect();
        assert!(keys.windows(2).all(|w| w[0] < w[1]));
        assert!(keys.iter().all(|k| is_valid(k)));
        assert!(key_sql("n", 2).starts_with("'b' || substr("));
    }
}
