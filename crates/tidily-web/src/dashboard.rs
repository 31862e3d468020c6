//! The dashboard: counts per status (each a link to the filtered list), what is due or
//! overdue, recently updated items and the reading list not yet read.

use askama::Template;
use axum::{extract::State, response::Response, routing::get, Router};
use chrono::Duration;

use crate::{
    app::items::{Direction, Due, ItemFilter, LinkFilter, SortKey},
    app::AppState,
    domain::{now, ItemKind, Status},
    i18n::{wire, STATUSES},
    items::{ItemCard, ItemsQuery},
    render,
    session::PageUser,
    Chrome, Nav, PageError, PageQuery,
};

pub fn routes() -> Router<AppState> {
    Router::new().route("/dashboard", get(dashboard))
}

/// One status with its count and the list it links to.
struct StatusCount {
    status: String,
    label: &'static str,
    count: i64,
    href: String,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    c: Chrome,
    counts: Vec<StatusCount>,
    overdue: i64,
    due_soon: i64,
    unread: i64,
    favorites: i64,
    due: Vec<ItemCard>,
    recent: Vec<ItemCard>,
    reading: Vec<ItemCard>,
    due_href: String,
    reading_href: String,
    recent_href: String,
    favorites_href: String,
    overdue_href: String,
    broken_links: i64,
    broken_href: String,
    due_soon_href: String,
}

#[derive(Default, serde::Deserialize)]
struct DashboardQuery {
    profile: Option<i64>,
}

async fn dashboard(
    State(state): State<AppState>,
    user: PageUser,
    PageQuery(q): PageQuery<DashboardQuery>,
) -> Result<Response, PageError> {
    let c = Chrome::signed_in(
        &state,
        &user,
        Nav::Dashboard,
        q.profile,
        "/dashboard",
        |t| t.dashboard.to_owned(),
    )
    .await?;
    let t = c.t;
    let data = user.data(&state);
    let s = data.overview(q.profile).await?;
    let list_query = |status: Vec<Status>| ItemsQuery {
        profile: q.profile,
        status,
        ..Default::default()
    };
    let counts = STATUSES
        .iter()
        .map(|st| StatusCount {
            status: wire(st),
            label: t.status(*st),
            count: s.by_status.get(&wire(st)).copied().unwrap_or(0),
            href: list_query(vec![*st]).list_url(),
        })
        .collect();

    let open = vec![
        Status::Undecided,
        Status::NotStarted,
        Status::InProgress,
        Status::OnHold,
    ];
    let base = ItemFilter {
        profile_id: q.profile,
        limit: 8,
        ..Default::default()
    };
    let due_filter = ItemFilter {
        statuses: open.clone(),
        scheduled_to: Some(now() + Duration::days(7)),
        sort: SortKey::Schedule,
        direction: Direction::Asc,
        ..base.clone()
    };
    let recent_filter = ItemFilter {
        sort: SortKey::Updated,
        ..base.clone()
    };
    let reading_filter = ItemFilter {
        kind: Some(ItemKind::ReadingList),
        statuses: vec![Status::NotStarted],
        ..base
    };
    let blank = ItemsQuery {
        profile: q.profile,
        ..Default::default()
    };
    let cards = |f: ItemFilter| {
        let (data, blank) = (&data, &blank);
        async move {
            let views = data.items(&f).await?.items;
            let cards = views
                .iter()
                .map(|v| ItemCard::new(v, t, user.tz, blank.item_url(v.id)))
                .collect::<Vec<_>>();
            Ok::<_, PageError>(cards)
        }
    };
    // The three lists are read side by side on the pool's connections.
    let (due, recent, reading) = futures_util::future::try_join3(
        cards(due_filter),
        cards(recent_filter),
        cards(reading_filter),
    )
    .await?;
    let due_href = ItemsQuery {
        profile: q.profile,
        status: open,
        sort: Some(SortKey::Schedule),
        to: Some(
            (now() + Duration::days(7))
                .with_timezone(&user.tz)
                .date_naive(),
        ),
        ..Default::default()
    }
    .list_url();
    // The counts' own lists: the same conditions, so a count and its list always agree.
    let due_list = |due: Due| {
        ItemsQuery {
            profile: q.profile,
            due: Some(due),
            sort: Some(SortKey::Schedule),
            ..Default::default()
        }
        .list_url()
    };
    let overdue_href = due_list(Due::Overdue);
    let due_soon_href = due_list(Due::Soon);
    let reading_href = ItemsQuery {
        profile: q.profile,
        status: vec![Status::NotStarted],
        kind: Some(ItemKind::ReadingList),
        ..Default::default()
    }
    .list_url();
    let recent_href = ItemsQuery {
        profile: q.profile,
        sort: Some(SortKey::Updated),
        ..Default::default()
    }
    .list_url();
    render(&DashboardPage {
        c,
        counts,
        overdue: s.overdue,
        due_soon: s.due_soon,
        unread: s.unread_reading_list,
        favorites: s.favorites,
        due,
        recent,
        reading,
        due_href,
        reading_href,
        recent_href,
        overdue_href,
        due_soon_href,
        broken_links: s.broken_links,
        broken_href: ItemsQuery {
            profile: q.profile,
            link: Some(LinkFilter::Broken),
            ..Default::default()
        }
        .list_url(),
        favorites_href: ItemsQuery {
            profile: q.profile,
            view: Some(crate::items::View::Favorites),
            ..Default::default()
        }
        .list_url(),
    })
}
