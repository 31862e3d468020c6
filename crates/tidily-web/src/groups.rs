//! The group view: a board of columns, one per status, category or tag.
//!
//! Each column shows the first items of its group and links to the full filtered list.
//! Dragging a card between status columns comes with the JavaScript of the next phase; the
//! status can always be changed in the item's modal.

use askama::Template;
use axum::{extract::State, response::Response, routing::get, Router};
use futures_util::future::try_join_all;
use serde::Deserialize;

use crate::{
    app::{
        items::{ItemFilter, ItemView, Labelled, SortKey},
        reads::{LabelCount, UserData},
        AppState,
    },
    i18n::{wire, Catalog, STATUSES},
    items::{ItemCard, ItemsQuery},
    render,
    session::PageUser,
    Chrome, Nav, Opt, PageError, PageQuery,
};

/// Cards a board shows in all, shared out among its columns (between [`COLUMN_MIN`] and
/// [`COLUMN_MAX`] each): five status columns show 20 cards each, a dozen tags 10 each. The
/// rest of a group is one click away in its list, and the page stays the same size however
/// many tags there are.
const BOARD_CARDS: u64 = 120;
const COLUMN_MIN: u64 = 5;
const COLUMN_MAX: u64 = 20;

/// The longest first walk: a group too rare to fill its column within it gets its own query.
const WALK_MAX: u64 = 400;

/// How far the first newest-first walk reads: far enough that every column whose group is
/// common enough expects its cards in it with a margin (a group holding `n` of the
/// `population` items the walk reads needs about `limit × population / n` rows). 0 when no
/// group is that common.
fn walk_length(counts: impl Iterator<Item = i64>, limit: u64, population: i64) -> u64 {
    counts
        .filter(|&n| n > 0)
        .map(|n| (limit as f64 * population as f64 / n as f64 * 1.5).ceil() as u64)
        .filter(|&rows| rows <= WALK_MAX)
        .max()
        .unwrap_or(0)
}

/// Cards per column on a board of `columns` columns.
fn column_limit(columns: usize) -> u64 {
    (BOARD_CARDS / columns.max(1) as u64).clamp(COLUMN_MIN, COLUMN_MAX)
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/groups", get(groups))
}

/// What the board's columns are.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
enum GroupBy {
    #[default]
    Status,
    Category,
    Tag,
}

#[derive(Default, Deserialize)]
struct GroupsQuery {
    profile: Option<i64>,
    by: Option<GroupBy>,
}

/// One column of the board.
struct Column {
    /// CSS hook (`status-done`) or empty.
    class: String,
    title: String,
    /// `#rrggbb` of a category or tag, else empty.
    color: String,
    count: i64,
    cards: Vec<ItemCard>,
    /// For status columns, what a card dropped here changes (`status=done`); else empty.
    drop: String,
    /// Whether the group holds more than the cards shown.
    more: bool,
    href: String,
}

#[derive(Template)]
#[template(path = "groups.html")]
struct GroupsPage {
    c: Chrome,
    by: Vec<Opt>,
    profile: String,
    columns: Vec<Column>,
    is_status: bool,
}

/// A group's filter: the list query that shows it and the store filter for its first cards.
struct Group {
    drop: String,
    class: String,
    title: String,
    color: String,
    count: i64,
    query: ItemsQuery,
}

impl Group {
    /// Whether `v` belongs in this group's column.
    fn holds(&self, v: &ItemView) -> bool {
        let q = &self.query;
        (q.status.is_empty() || q.status.contains(&v.status))
            && q.category_id.is_none_or(|c| v.category_id == Some(c))
            && q.tag_id.iter().all(|id| v.tags.iter().any(|t| t.id == *id))
    }

    /// A category's or tag's column (cards cannot be dropped on it).
    fn of_label(l: &LabelCount, query: ItemsQuery) -> Group {
        Group {
            drop: String::new(),
            class: String::new(),
            title: l.name.clone(),
            color: l.color.clone(),
            count: l.count,
            query,
        }
    }
}

async fn groups(
    State(state): State<AppState>,
    user: PageUser,
    PageQuery(q): PageQuery<GroupsQuery>,
) -> Result<Response, PageError> {
    let c = Chrome::signed_in(&state, &user, Nav::Groups, q.profile, "/groups", |t| {
        t.groups.to_owned()
    })
    .await?;
    let t = c.t;
    let data = user.data(&state);
    let by = q.by.unwrap_or_default();
    let base = ItemsQuery {
        profile: q.profile,
        ..Default::default()
    };
    let groups: Vec<Group> = match by {
        GroupBy::Status => {
            let s = data.overview(q.profile).await?;
            STATUSES
                .iter()
                .map(|st| Group {
                    drop: format!("status={}", wire(st)),
                    class: format!("status-{}", wire(st)),
                    title: t.status(*st).to_owned(),
                    color: String::new(),
                    count: s.by_status.get(&wire(st)).copied().unwrap_or(0),
                    query: ItemsQuery {
                        status: vec![*st],
                        ..base.clone()
                    },
                })
                .collect()
        }
        GroupBy::Category => data
            .category_counts(q.profile)
            .await?
            .iter()
            .map(|l| {
                let query = ItemsQuery {
                    category_id: Some(l.id),
                    ..base.clone()
                };
                Group::of_label(l, query)
            })
            .collect(),
        GroupBy::Tag => data
            .tag_counts(q.profile)
            .await?
            .iter()
            .map(|l| {
                let query = ItemsQuery {
                    tag_id: vec![l.id],
                    ..base.clone()
                };
                Group::of_label(l, query)
            })
            .collect(),
    };
    let limit = column_limit(groups.len());
    // One newest-first walk fills most columns: a column's first cards in it are its newest.
    // Who the walk reads: every active item for the status board, only the labelled ones for
    // the other two. The groups' counts add up to that population (each item has one status
    // and at most one category); a sum over tags counts an item once per tag, more than the
    // tagged items, which only lengthens the walk.
    let labelled = match by {
        GroupBy::Status => None,
        GroupBy::Category => Some(Labelled::Category),
        GroupBy::Tag => Some(Labelled::Tag),
    };
    let population = groups.iter().map(|g| g.count).sum();
    let (walk, walked_all) = match walk_length(groups.iter().map(|g| g.count), limit, population) {
        0 => (Vec::new(), false),
        rows => {
            let walk = ItemFilter {
                profile_id: q.profile,
                labelled,
                limit: rows,
                ..newest()
            };
            let page = data.items(&walk).await?;
            let all = page.next_cursor.is_none();
            (page.items, all)
        }
    };
    // Columns still short of cards they have are topped up by their own queries, side by
    // side on the pool's connections.
    let columns = try_join_all(groups.into_iter().map(|g| {
        let mut views: Vec<ItemView> = walk
            .iter()
            .filter(|v| g.holds(v))
            .take(limit as usize)
            .cloned()
            .collect();
        let (data, user) = (&data, &user);
        async move {
            let short = (views.len() as u64) < limit && g.count > views.len() as i64;
            if short && !walked_all {
                views = column_items(data, q.profile, &g, limit).await?;
            }
            Ok::<_, PageError>(column(g, &views, t, user))
        }
    }))
    .await?;
    render(&GroupsPage {
        by: [
            (GroupBy::Status, "status", t.status),
            (GroupBy::Category, "category", t.category),
            (GroupBy::Tag, "tag", t.tags),
        ]
        .into_iter()
        .map(|(g, value, label)| Opt::new(value, label, g == by))
        .collect(),
        profile: q.profile.map(|p| p.to_string()).unwrap_or_default(),
        c,
        columns,
        is_status: by == GroupBy::Status,
    })
}

/// Newest first: a walk of the index on creation time that stops after a page.
fn newest() -> ItemFilter {
    ItemFilter {
        sort: SortKey::Created,
        direction: SortKey::Created.default_direction(),
        ..Default::default()
    }
}

/// The group's newest `limit` items, by its own query.
async fn column_items(
    data: &UserData<'_>,
    profile: Option<i64>,
    g: &Group,
    limit: u64,
) -> Result<Vec<ItemView>, PageError> {
    let filter = ItemFilter {
        profile_id: profile,
        statuses: g.query.status.clone(),
        category_id: g.query.category_id,
        tag_ids: g.query.tag_id.clone(),
        limit,
        ..newest()
    };
    Ok(data.items(&filter).await?.items)
}

/// A column of `views`, the group's newest items.
fn column(g: Group, views: &[ItemView], t: &'static Catalog, user: &PageUser) -> Column {
    Column {
        more: g.count > views.len() as i64,
        cards: views
            .iter()
            .map(|v| ItemCard::new(v, t, user.tz, g.query.item_url(v.id)))
            .collect(),
        href: g.query.list_url(),
        drop: g.drop,
        class: g.class,
        title: g.title,
        color: g.color,
        count: g.count,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_board_shares_its_cards_among_its_columns() {
        assert_eq!(column_limit(5), 20);
        assert_eq!(column_limit(6), 20);
        assert_eq!(column_limit(12), 10);
        assert_eq!(column_limit(100), 5);
        assert_eq!(column_limit(0), 20);
    }

    #[test]
    fn the_first_walk_reaches_the_common_groups_only() {
        // Six categories of about 1,060 items among 9,200: 20 cards each need ~174 rows.
        assert_eq!(walk_length([1060, 1050, 1094].into_iter(), 20, 9200), 263);
        // A group of 10 items would need 27,600 rows: it gets its own query instead.
        assert_eq!(walk_length([10, 1060].into_iter(), 20, 9200), 261);
        assert_eq!(walk_length([10, 0].into_iter(), 20, 9200), 0);
    }
}
