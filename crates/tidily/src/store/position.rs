//! Manual order as fractional indexes: a new position is computed between two neighbours, so
//! moving a row by drag and drop writes that row alone and never renumbers a list.

use fractional_index::FractionalIndex;

use crate::error::{AppError, AppResult};

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
