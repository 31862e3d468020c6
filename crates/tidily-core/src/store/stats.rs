//! Aggregate counts for the dashboard and the group view.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use sea_orm::{
    sea_query::{Expr, Func, SimpleExpr},
    ColumnTrait, Condition, DatabaseConnection, DynIden, EntityTrait, Iterable, JoinType,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, RelationTrait, Select,
};
use serde::Serialize;
use utoipa::ToSchema;

use crate::{
    db::Db,
    domain::{now, ItemKind, Priority, Status},
    entity::{category, item, item_tag, tag},
    error::CoreResult,
    store::{item_query::Due, labels::Label},
};

/// A label with the number of active items carrying it.
#[derive(Debug, Serialize, ToSchema)]
pub struct LabelCount {
    pub id: i64,
    pub name: String,
    pub color: String,
    pub count: i64,
}

/// Counts over a user's items (one profile or all).
#[derive(Debug, Serialize, ToSchema)]
pub struct Stats {
    /// Active items per status (every status present, zeros included).
    pub by_status: BTreeMap<String, i64>,
    pub by_kind: BTreeMap<String, i64>,
    pub by_priority: BTreeMap<String, i64>,
    pub by_category: Vec<LabelCount>,
    pub by_tag: Vec<LabelCount>,
    pub favorites: i64,
    pub archived: i64,
    pub trashed: i64,
    /// Active, not done, scheduled to end (or start) before now.
    pub overdue: i64,
    /// Active, not done, starting within the next 7 days.
    pub due_soon: i64,
    /// Reading-list items not started yet.
    pub unread_reading_list: i64,
    /// Active items whose link failed its checks repeatedly over days.
    pub broken_links: i64,
}

fn key<T: Serialize>(v: T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|j| j.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// The counts over active items that the dashboard and the status board need, from one
/// grouped pass over the partial index `ix_items_active_overview` (it covers the query).
#[derive(Debug)]
pub struct Overview {
    pub by_status: BTreeMap<String, i64>,
    pub by_kind: BTreeMap<String, i64>,
    pub by_priority: BTreeMap<String, i64>,
    pub favorites: i64,
    pub overdue: i64,
    pub due_soon: i64,
    pub unread_reading_list: i64,
    pub broken_links: i64,
}

/// Where the counts look: the user's items, optionally one profile.
fn scope(user_id: i64, profile_id: Option<i64>) -> Condition {
    let mut scope = Condition::all().add(item::Column::UserId.eq(user_id));
    if let Some(p) = profile_id {
        scope = scope.add(item::Column::ProfileId.eq(p));
    }
    scope
}

/// Items neither archived nor in the trash.
fn active(user_id: i64, profile_id: Option<i64>) -> Condition {
    scope(user_id, profile_id)
        .add(item::Column::ArchivedAt.is_null())
        .add(item::Column::TrashedAt.is_null())
}

/// 1 where `cond` holds, else 0, for summing inside a grouped query.
fn flag(cond: Condition) -> SimpleExpr {
    Expr::case(cond, 1).finally(0).into()
}

/// The [`Overview`] for `user_id`, optionally one profile, with overdue and due-soon
/// measured against `now`.
pub async fn overview(
    db: &Db,
    user_id: i64,
    profile_id: Option<i64>,
    now: DateTime<Utc>,
) -> CoreResult<Overview> {
    use item::Column as C;
    let overdue = Due::Overdue.condition(now);
    let due_soon = Due::Soon.condition(now);
    let groups: Vec<(Status, ItemKind, Priority, bool, i64, i64, i64)> = item::Entity::find()
        .select_only()
        .columns([C::Status, C::Kind, C::Priority, C::Favorite])
        .expr_as(Expr::cust("COUNT(*)"), "n")
        .expr_as(Func::sum(flag(overdue)), "overdue")
        .expr_as(Func::sum(flag(due_soon)), "due_soon")
        .filter(active(user_id, profile_id))
        .group_by(C::Status)
        .group_by(C::Kind)
        .group_by(C::Priority)
        .group_by(C::Favorite)
        .into_tuple()
        .all(db.read())
        .await?;

    let mut o = Overview {
        // Every value present, zeros included.
        by_status: Status::iter().map(|v| (key(v), 0)).collect(),
        by_kind: ItemKind::iter().map(|v| (key(v), 0)).collect(),
        by_priority: Priority::iter().map(|v| (key(v), 0)).collect(),
        favorites: 0,
        overdue: 0,
        due_soon: 0,
        unread_reading_list: 0,
        // Few rows, found through the partial index on broken links.
        broken_links: item::Entity::find()
            .filter(active(user_id, profile_id).add(C::LinkBroken.eq(true)))
            .count(db.read())
            .await? as i64,
    };
    for (status, kind, priority, favorite, n, overdue, due_soon) in groups {
        *o.by_status.entry(key(status)).or_default() += n;
        *o.by_kind.entry(key(kind)).or_default() += n;
        *o.by_priority.entry(key(priority)).or_default() += n;
        if favorite {
            o.favorites += n;
        }
        if status != Status::Done {
            o.overdue += overdue;
            o.due_soon += due_soon;
        }
        if kind == ItemKind::ReadingList && status == Status::NotStarted {
            o.unread_reading_list += n;
        }
    }
    Ok(o)
}

/// The counts for `user_id`, optionally one profile.
pub async fn stats(db: &Db, user_id: i64, profile_id: Option<i64>) -> CoreResult<Stats> {
    use item::Column as C;
    let o = overview(db, user_id, profile_id, now()).await?;
    let count = |cond: Condition| item::Entity::find().filter(cond).count(db.read());
    let archived = count(
        scope(user_id, profile_id)
            .add(C::ArchivedAt.is_not_null())
            .add(C::TrashedAt.is_null()),
    )
    .await?;
    let trashed = count(scope(user_id, profile_id).add(C::TrashedAt.is_not_null())).await?;
    Ok(Stats {
        by_status: o.by_status,
        by_kind: o.by_kind,
        by_priority: o.by_priority,
        by_category: category_counts(db, user_id, profile_id).await?,
        by_tag: tag_counts(db, user_id, profile_id).await?,
        favorites: o.favorites,
        archived: archived as i64,
        trashed: trashed as i64,
        overdue: o.overdue,
        due_soon: o.due_soon,
        unread_reading_list: o.unread_reading_list,
        broken_links: o.broken_links,
    })
}

/// The join condition that keeps only active items in scope. Labels with no such item still
/// appear, with 0: the joins are LEFT JOINs and the filter sits in their ON clause.
fn active_items(
    user_id: i64,
    profile_id: Option<i64>,
) -> impl Fn(DynIden, DynIden) -> Condition + Clone {
    move |_, _| active(user_id, profile_id)
}

/// Each of the user's categories with its number of active items.
pub async fn category_counts(
    db: &Db,
    user_id: i64,
    profile_id: Option<i64>,
) -> CoreResult<Vec<LabelCount>> {
    label_counts(
        db.read(),
        user_id,
        category::Entity::find().join(
            JoinType::LeftJoin,
            category::Entity::belongs_to(item::Entity)
                .from(category::Column::Id)
                .to(item::Column::CategoryId)
                .on_condition(active_items(user_id, profile_id))
                .into(),
        ),
    )
    .await
}

/// Each of the user's tags with its number of active items.
pub async fn tag_counts(
    db: &Db,
    user_id: i64,
    profile_id: Option<i64>,
) -> CoreResult<Vec<LabelCount>> {
    label_counts(
        db.read(),
        user_id,
        tag::Entity::find()
            .join(JoinType::LeftJoin, item_tag::Relation::Tag.def().rev())
            .join(
                JoinType::LeftJoin,
                item_tag::Entity::belongs_to(item::Entity)
                    .from(item_tag::Column::ItemId)
                    .to(item::Column::Id)
                    .on_condition(active_items(user_id, profile_id))
                    .into(),
            ),
    )
    .await
}

/// Each of the user's labels with the number of items joined to it by `joined`.
async fn label_counts<L: Label>(
    db: &DatabaseConnection,
    user_id: i64,
    joined: Select<L>,
) -> CoreResult<Vec<LabelCount>> {
    Ok(joined
        .select_only()
        .column(L::ID)
        .column(L::NAME)
        .column(L::COLOR)
        .column_as(Expr::col((item::Entity, item::Column::Id)).count(), "n")
        .filter(L::USER_ID.eq(user_id))
        .group_by(L::ID)
        .group_by(L::NAME)
        .group_by(L::COLOR)
        .order_by_asc(L::NAME)
        .into_tuple::<(i64, String, String, i64)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(id, name, color, count)| LabelCount {
            id,
            name,
            color,
            count,
        })
        .collect())
}
