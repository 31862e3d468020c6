//! Aggregate counts for the dashboard and the group view.

use std::collections::BTreeMap;

use chrono::Duration;
use sea_orm::{
    sea_query::Expr, ColumnTrait, Condition, DatabaseConnection, EntityTrait, JoinType,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, RelationTrait, Select,
};
use serde::Serialize;
use utoipa::ToSchema;

use crate::{
    domain::{now, ItemKind, Priority, Status},
    entity::{category, item, item_tag, tag},
    error::AppResult,
    store::labels::Label,
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
}

fn key<T: Serialize>(v: T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|j| j.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// The counts for `user_id`, optionally one profile.
pub async fn stats(
    db: &DatabaseConnection,
    user_id: i64,
    profile_id: Option<i64>,
) -> AppResult<Stats> {
    use item::Column as C;
    let mut scope = Condition::all().add(C::UserId.eq(user_id));
    if let Some(p) = profile_id {
        scope = scope.add(C::ProfileId.eq(p));
    }
    let active = scope
        .clone()
        .add(C::ArchivedAt.is_null())
        .add(C::TrashedAt.is_null());
    let count = |cond: Condition| item::Entity::find().filter(cond).count(db);

    let mut by_status: BTreeMap<String, i64> = [
        Status::Undecided,
        Status::NotStarted,
        Status::InProgress,
        Status::OnHold,
        Status::Done,
    ]
    .into_iter()
    .map(|s| (key(s), 0))
    .collect();
    let rows: Vec<(Status, i64)> = item::Entity::find()
        .select_only()
        .column(C::Status)
        .column_as(C::Id.count(), "n")
        .filter(active.clone())
        .group_by(C::Status)
        .into_tuple()
        .all(db)
        .await?;
    by_status.extend(rows.into_iter().map(|(s, n)| (key(s), n)));

    let rows: Vec<(ItemKind, i64)> = item::Entity::find()
        .select_only()
        .column(C::Kind)
        .column_as(C::Id.count(), "n")
        .filter(active.clone())
        .group_by(C::Kind)
        .into_tuple()
        .all(db)
        .await?;
    let mut by_kind: BTreeMap<String, i64> = [
        (key(ItemKind::Bookmark), 0),
        (key(ItemKind::ReadingList), 0),
    ]
    .into();
    by_kind.extend(rows.into_iter().map(|(k, n)| (key(k), n)));

    let rows: Vec<(Priority, i64)> = item::Entity::find()
        .select_only()
        .column(C::Priority)
        .column_as(C::Id.count(), "n")
        .filter(active.clone())
        .group_by(C::Priority)
        .into_tuple()
        .all(db)
        .await?;
    let mut by_priority: BTreeMap<String, i64> = [Priority::High, Priority::Mid, Priority::Low]
        .map(|p| (key(p), 0))
        .into();
    by_priority.extend(rows.into_iter().map(|(p, n)| (key(p), n)));

    // Labels with no active item still appear, with 0: LEFT JOINs, and the "active" filter
    // goes into the join condition rather than the WHERE clause.
    let active_items = {
        let active = active.clone();
        move |_, _| active.clone()
    };
    let by_category = label_counts(
        db,
        user_id,
        category::Entity::find().join(
            JoinType::LeftJoin,
            category::Entity::belongs_to(item::Entity)
                .from(category::Column::Id)
                .to(C::CategoryId)
                .on_condition(active_items.clone())
                .into(),
        ),
    )
    .await?;
    let by_tag = label_counts(
        db,
        user_id,
        tag::Entity::find()
            .join(JoinType::LeftJoin, item_tag::Relation::Tag.def().rev())
            .join(
                JoinType::LeftJoin,
                item_tag::Entity::belongs_to(item::Entity)
                    .from(item_tag::Column::ItemId)
                    .to(C::Id)
                    .on_condition(active_items)
                    .into(),
            ),
    )
    .await?;

    let now = now();
    let open = active.clone().add(C::Status.ne(Status::Done));
    let overdue = count(
        open.clone().add(
            Condition::any().add(C::ScheduleEnd.lt(now)).add(
                Condition::all()
                    .add(C::ScheduleEnd.is_null())
                    .add(C::ScheduleStart.lt(now)),
            ),
        ),
    )
    .await?;
    let due_soon = count(
        open.add(C::ScheduleStart.gte(now))
            .add(C::ScheduleStart.lt(now + Duration::days(7))),
    )
    .await?;
    Ok(Stats {
        by_status,
        by_kind,
        by_priority,
        by_category,
        by_tag,
        favorites: count(active.clone().add(C::Favorite.eq(true))).await? as i64,
        archived: count(
            scope
                .clone()
                .add(C::ArchivedAt.is_not_null())
                .add(C::TrashedAt.is_null()),
        )
        .await? as i64,
        trashed: count(scope.add(C::TrashedAt.is_not_null())).await? as i64,
        overdue: overdue as i64,
        due_soon: due_soon as i64,
        unread_reading_list: count(
            active
                .add(C::Kind.eq(ItemKind::ReadingList))
                .add(C::Status.eq(Status::NotStarted)),
        )
        .await? as i64,
    })
}

/// Each of the user's labels with the number of items joined to it by `joined`.
async fn label_counts<L: Label>(
    db: &DatabaseConnection,
    user_id: i64,
    joined: Select<L>,
) -> AppResult<Vec<LabelCount>> {
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
