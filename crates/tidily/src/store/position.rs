//! Manual order as fractional indexes: a new position is computed between two neighbours, so
//! moving a row by drag and drop writes that row alone and never renumbers a list.

use fractional_index::FractionalIndex;
use sea_orm::{
    sea_query::SimpleExpr, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QuerySelect,
};

use crate::error::{AppError, AppResult};

/// The greatest position in `column` among the rows matching `list`: the end of that list.
pub async fn last_in<E: EntityTrait>(
    db: &impl ConnectionTrait,
    column: E::Column,
    list: Condition,
) -> AppResult<Option<String>> {
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

/// A position strictly between `before` and `after` (either may be absent: start or end).
pub fn between(before: Option<&str>, after: Option<&str>) -> AppResult<String> {
    let parse = |s: &str| {
        FractionalIndex::from_string(s)
            .map_err(|_| AppError::Internal(anyhow::anyhow!("corrupt position {s:?}")))
    };
    let lower = before.map(parse).transpose()?;
    let upper = after.map(parse).transpose()?;
    FractionalIndex::new(lower.as_ref(), upper.as_ref())
        .map(|p| p.to_string())
        .ok_or_else(|| AppError::Conflict("the neighbours given are not in order".into()))
}

/// The position after `last` (append at the end of a list).
pub fn after(last: Option<&str>) -> AppResult<String> {
    between(last, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_sort_between_neighbours_bytewise() {
        let a = after(None).unwrap();
        let c = after(Some(&a)).unwrap();
        let b = between(Some(&a), Some(&c)).unwrap();
        assert!(a < b && b < c, "{a} {b} {c}");
        let mut lo = a.clone();
        for _ in 0..200 {
            let mid = between(Some(&lo), Some(&b)).unwrap();
            assert!(lo < mid && mid < b);
            lo = mid;
        }
        assert!(between(Some(&c), Some(&a)).is_err());
    }
}
