//! The append-only activity log. Rows are only ever inserted; nothing updates or deletes them
//! except the cascade when an account itself is deleted.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use serde_json::Value;

use crate::{db::Db, domain::now, entity::activity, error::CoreResult};

/// One thing that happened.
pub struct Entry {
    pub entity: &'static str,
    pub entity_id: Option<i64>,
    pub item_id: Option<i64>,
    pub action: &'static str,
    pub detail: Value,
}

impl Entry {
    /// Something done to an item.
    pub fn item(id: i64, action: &'static str, detail: Value) -> Self {
        Entry {
            entity: "item",
            entity_id: Some(id),
            item_id: Some(id),
            action,
            detail,
        }
    }

    /// Something done to another kind of record (`folder`, `profile`, `tag`, `category`).
    pub fn record(entity: &'static str, id: i64, action: &'static str, detail: Value) -> Self {
        Entry {
            entity,
            entity_id: Some(id),
            item_id: None,
            action,
            detail,
        }
    }

    /// Something done to the account itself.
    pub fn account(action: &'static str) -> Self {
        Entry {
            entity: "account",
            entity_id: None,
            item_id: None,
            action,
            detail: Value::Object(Default::default()),
        }
    }
}

/// Appends an entry for `user_id`.
pub async fn record(db: &impl ConnectionTrait, user_id: i64, entry: Entry) -> CoreResult<()> {
    activity::ActiveModel {
        user_id: Set(user_id),
        item_id: Set(entry.item_id),
        entity: Set(entry.entity.to_owned()),
        entity_id: Set(entry.entity_id),
        action: Set(entry.action.to_owned()),
        detail: Set(entry.detail.to_string()),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The newest entries of a user's log, optionally for one item.
pub async fn recent(
    db: &Db,
    user_id: i64,
    item_id: Option<i64>,
    limit: u64,
) -> CoreResult<Vec<activity::Model>> {
    let mut q = activity::Entity::find().filter(activity::Column::UserId.eq(user_id));
    if let Some(item) = item_id {
        q = q.filter(activity::Column::ItemId.eq(item));
    }
    Ok(q.order_by_desc(activity::Column::Id)
        .limit(limit)
        .all(db.read())
        .await?)
}
