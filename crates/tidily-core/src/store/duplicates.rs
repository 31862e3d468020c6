//! Duplicates: items whose links are one page (the same `url_key`), and merging them.

use sea_orm::{
    sea_query::Expr, ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use serde_json::json;

use crate::{
    db::Db,
    domain::{problem::Problem, text, url_key},
    entity::item,
    error::{CoreError, CoreResult},
    store::{
        activity,
        items::{self, search_text, ItemView},
        search,
    },
};

/// Rows as views, with their tags, in the order given.
async fn views(db: &Db, rows: Vec<item::Model>) -> CoreResult<Vec<ItemView>> {
    let ids: Vec<i64> = rows.iter().map(|m| m.id).collect();
    let mut tags = items::tags_of(db.read(), &ids).await?;
    Ok(rows
        .into_iter()
        .map(|m| {
            let t = tags.remove(&m.id).unwrap_or_default();
            ItemView::new(m, t)
        })
        .collect())
}

/// The user's items (out of the trash) whose link is the same page as `url`, oldest first.
pub async fn saved_as(db: &Db, user_id: i64, url: &str) -> CoreResult<Vec<ItemView>> {
    let Some(key) = url_key::of(url) else {
        return Ok(Vec::new());
    };
    let rows = item::Entity::find()
        .filter(item::Column::UserId.eq(user_id))
        .filter(item::Column::UrlKey.eq(key))
        .filter(item::Column::TrashedAt.is_null())
        .order_by_asc(item::Column::CreatedAt)
        .order_by_asc(item::Column::Id)
        .limit(50)
        .all(db.read())
        .await?;
    views(db, rows).await
}

/// Groups of the user's items (out of the trash) that link to one page, oldest group first;
/// at most `limit` groups.
pub async fn groups(db: &Db, user_id: i64, limit: u64) -> CoreResult<Vec<Vec<ItemView>>> {
    let keys: Vec<String> = item::Entity::find()
        .select_only()
        .column(item::Column::UrlKey)
        .filter(item::Column::UserId.eq(user_id))
        .filter(item::Column::UrlKey.is_not_null())
        .filter(item::Column::TrashedAt.is_null())
        .group_by(item::Column::UrlKey)
        .having(Expr::cust("COUNT(*) > 1"))
        .order_by_asc(Expr::cust("MIN(created_at)"))
        .limit(limit)
        .into_tuple()
        .all(db.read())
        .await?;
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let rows = item::Entity::find()
        .filter(item::Column::UserId.eq(user_id))
        .filter(item::Column::UrlKey.is_in(keys.clone()))
        .filter(item::Column::TrashedAt.is_null())
        .order_by_asc(item::Column::CreatedAt)
        .order_by_asc(item::Column::Id)
        .all(db.read())
        .await?;
    // Grouped by the stored key, in the order of `keys` (the oldest group first); one query
    // for every item's tags.
    let row_keys: Vec<Option<String>> = rows.iter().map(|m| m.url_key.clone()).collect();
    let mut groups: Vec<Vec<ItemView>> = keys.iter().map(|_| Vec::new()).collect();
    for (key, view) in row_keys.into_iter().zip(views(db, rows).await?) {
        if let Some(i) = keys.iter().position(|k| key.as_ref() == Some(k)) {
            groups[i].push(view);
        }
    }
    Ok(groups)
}

/// Merges the user's items `ids` (all links to one page) into the oldest: it gains every
/// tag of the others, their memos after its own, their favourite mark and their highest
/// priority; the others are deleted. One transaction: all or nothing.
pub async fn merge(db: &Db, user_id: i64, ids: &[i64]) -> CoreResult<ItemView> {
    let tx = db.write_for(user_id).await?;
    let mut rows = items::owned_items(&*tx, user_id, ids).await?;
    rows.sort_by_key(|m| (m.created_at, m.id));
    let key = rows[0].url_key.clone();
    if key.is_none() || rows.iter().any(|m| m.url_key != key) {
        return Err(CoreError::field("ids", Problem::NotOnePage));
    }
    let (keep, others) = rows.split_first().expect("at least one item");
    let all_ids: Vec<i64> = rows.iter().map(|m| m.id).collect();
    let mut tags: Vec<i64> = items::tags_of(&*tx, &all_ids)
        .await?
        .into_values()
        .flatten()
        .map(|t| t.id)
        .collect();
    tags.sort_unstable();
    tags.dedup();
    let mut memos: Vec<&str> = Vec::new();
    for m in &rows {
        let memo = m.memo.trim();
        if !memo.is_empty() && !memos.contains(&memo) {
            memos.push(memo);
        }
    }
    let memo: String = memos.join("\n\n").chars().take(text::MEMO.max).collect();
    let mut active: item::ActiveModel = keep.clone().into();
    let text = search_text(&keep.title, keep.url.as_deref(), &memo, &keep.description);
    active.favorite = Set(rows.iter().any(|m| m.favorite));
    active.priority = Set(rows
        .iter()
        .map(|m| m.priority)
        .min()
        .unwrap_or(keep.priority));
    active.memo = Set(memo);
    active.search_text = Set(text.clone());
    active.updated_at = Set(crate::domain::now());
    let merged = active.update(&*tx).await?;
    items::replace_tags(&*tx, keep.id, &tags).await?;
    search::index_fields(&*tx, keep.id, user_id, &text).await?;
    items::purge_rows(&tx, user_id, others).await?;
    activity::record(
        &*tx,
        user_id,
        activity::Entry::item(
            keep.id,
            "merge",
            json!({"merged": others.iter().map(|m| m.id).collect::<Vec<_>>()}),
        ),
    )
    .await?;
    let out = items::view(&*tx, merged).await?;
    tx.commit().await?;
    Ok(out)
}
