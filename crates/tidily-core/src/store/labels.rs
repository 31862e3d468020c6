//! Categories and tags: user-defined names with a colour. The two tables share one shape, so
//! one set of functions serves both through the [`Label`] trait.

use std::collections::HashMap;

use sea_orm::{
    sea_query::Expr, ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    IntoActiveModel, JoinType, QueryFilter, QueryOrder, QuerySelect, RelationTrait, SqlErr,
};
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use crate::domain::{
    ids::{CategoryId, TagId},
    problem::{Conflict, Record},
};
use crate::{
    db::Db,
    domain::now,
    entity::{category, item, item_tag, tag},
    error::{CoreError, CoreResult},
    store::activity,
};

/// A category or tag as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LabelView {
    pub id: i64,
    pub name: String,
    /// `#rrggbb`.
    pub color: String,
}

/// A table of named colours owned by users.
pub trait Label: EntityTrait {
    /// Its ID type.
    type Id: Copy + Into<i64> + From<i64> + std::str::FromStr + Send + Sync + 'static;
    /// Singular noun for the activity log.
    const NOUN: &'static str;
    /// The kind of record, for conflicts.
    const RECORD: Record;
    const ID: Self::Column;
    const USER_ID: Self::Column;
    const NAME: Self::Column;
    const COLOR: Self::Column;
    const UPDATED_AT: Self::Column;
    fn new_row(user_id: i64, name: String, color: String) -> Self::Model;
    fn view(model: Self::Model) -> LabelView;
}

macro_rules! label {
    ($module:ident, $id:ty, $noun:literal, $record:expr) => {
        impl Label for $module::Entity {
            type Id = $id;
            const NOUN: &'static str = $noun;
            const RECORD: Record = $record;
            const ID: Self::Column = $module::Column::Id;
            const USER_ID: Self::Column = $module::Column::UserId;
            const NAME: Self::Column = $module::Column::Name;
            const COLOR: Self::Column = $module::Column::Color;
            const UPDATED_AT: Self::Column = $module::Column::UpdatedAt;
            fn new_row(user_id: i64, name: String, color: String) -> Self::Model {
                let now = now();
                $module::Model {
                    id: 0,
                    user_id,
                    name,
                    color,
                    created_at: now,
                    updated_at: now,
                }
            }
            fn view(m: Self::Model) -> LabelView {
                LabelView {
                    id: m.id,
                    name: m.name,
                    color: m.color,
                }
            }
        }
    };
}
label!(category, CategoryId, "category", Record::Category);
label!(tag, TagId, "tag", Record::Tag);

/// A user's labels of one kind, by name.
pub async fn list<L: Label>(db: &Db, user_id: i64) -> CoreResult<Vec<LabelView>> {
    Ok(L::find()
        .filter(L::USER_ID.eq(user_id))
        .order_by_asc(L::NAME)
        .all(db.read())
        .await?
        .into_iter()
        .map(L::view)
        .collect())
}

/// The label `id` if it is the user's.
pub async fn get<L: Label>(
    db: &impl ConnectionTrait,
    user_id: i64,
    id: i64,
) -> CoreResult<L::Model> {
    L::find()
        .filter(L::ID.eq(id))
        .filter(L::USER_ID.eq(user_id))
        .one(db)
        .await?
        .ok_or(CoreError::NotFound)
}

/// Creates a label (a name the user already has for this kind is a conflict).
pub async fn create<L: Label>(
    db: &Db,
    user_id: i64,
    name: String,
    color: String,
) -> CoreResult<LabelView>
where
    L::Model: IntoActiveModel<L::ActiveModel>,
    L::ActiveModel: ActiveModelTrait<Entity = L> + Send,
{
    let tx = db.write_for(user_id).await?;
    let created = insert::<L>(&*tx, user_id, name, color).await?;
    tx.commit().await?;
    Ok(created)
}

/// Inserts and logs a label inside the caller's write transaction.
pub async fn insert<L: Label>(
    db: &impl ConnectionTrait,
    user_id: i64,
    name: String,
    color: String,
) -> CoreResult<LabelView>
where
    L::Model: IntoActiveModel<L::ActiveModel>,
    L::ActiveModel: ActiveModelTrait<Entity = L> + Send,
{
    let mut row = L::new_row(user_id, name, color).into_active_model();
    // Let the database assign the key.
    row.not_set(L::ID);
    let created = L::view(row.insert(db).await.map_err(duplicate::<L>)?);
    activity::record(
        db,
        user_id,
        activity::Entry::record(L::NOUN, created.id, "create", json!({"name": created.name})),
    )
    .await?;
    Ok(created)
}

/// Renames and/or recolours a label.
pub async fn update<L: Label>(
    db: &Db,
    user_id: i64,
    id: i64,
    name: Option<String>,
    color: Option<String>,
) -> CoreResult<LabelView> {
    let tx = db.write_for(user_id).await?;
    get::<L>(&*tx, user_id, id).await?;
    let mut q = L::update_many().col_expr(L::UPDATED_AT, Expr::value(now()));
    if let Some(name) = name {
        q = q.col_expr(L::NAME, Expr::value(name));
    }
    if let Some(color) = color {
        q = q.col_expr(L::COLOR, Expr::value(color));
    }
    q.filter(L::ID.eq(id))
        .filter(L::USER_ID.eq(user_id))
        .exec(&*tx)
        .await
        .map_err(duplicate::<L>)?;
    let updated = L::view(get::<L>(&*tx, user_id, id).await?);
    tx.commit().await?;
    Ok(updated)
}

/// Deletes a label; items keep existing (their category is cleared, the tag link removed).
pub async fn delete<L: Label>(db: &Db, user_id: i64, id: i64) -> CoreResult<()> {
    let tx = db.write_for(user_id).await?;
    get::<L>(&*tx, user_id, id).await?;
    L::delete_many()
        .filter(L::ID.eq(id))
        .filter(L::USER_ID.eq(user_id))
        .exec(&*tx)
        .await?;
    activity::record(
        &*tx,
        user_id,
        activity::Entry::record(L::NOUN, id, "delete", json!({})),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

fn duplicate<L: Label>(e: DbErr) -> CoreError {
    match e.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => {
            CoreError::Conflict(Conflict::NameTaken(L::RECORD))
        }
        _ => e.into(),
    }
}

/// How many of the user's items (in any state: active, archived or in the trash) carry each
/// of their labels of kind `L`: what deleting a label would touch. Labels on no item are
/// absent.
pub async fn usage<L: Label>(db: &Db, user_id: i64) -> CoreResult<HashMap<i64, u64>> {
    let rows: Vec<(i64, i64)> = match L::RECORD {
        Record::Tag => {
            item_tag::Entity::find()
                .select_only()
                .column(item_tag::Column::TagId)
                .column_as(item_tag::Column::ItemId.count(), "n")
                .join(JoinType::InnerJoin, item_tag::Relation::Tag.def())
                .filter(tag::Column::UserId.eq(user_id))
                .group_by(item_tag::Column::TagId)
                .into_tuple()
                .all(db.read())
                .await?
        }
        _ => {
            let per: Vec<(Option<i64>, i64)> = item::Entity::find()
                .select_only()
                .column(item::Column::CategoryId)
                .column_as(item::Column::Id.count(), "n")
                .filter(item::Column::UserId.eq(user_id))
                .filter(item::Column::CategoryId.is_not_null())
                .group_by(item::Column::CategoryId)
                .into_tuple()
                .all(db.read())
                .await?;
            per.into_iter().filter_map(|(c, n)| Some((c?, n))).collect()
        }
    };
    Ok(rows.into_iter().map(|(id, n)| (id, n as u64)).collect())
}
