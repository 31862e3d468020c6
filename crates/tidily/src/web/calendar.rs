//! The calendar: a month grid placing items by schedule start, spanning to schedule end,
//! with reminders marked. Days and times are the account's time zone.

use askama::Template;
use axum::{extract::State, response::Response, routing::get, Router};
use chrono::{Datelike, Days, Duration, Months, NaiveDate};
use serde::Deserialize;

use crate::{
    http::AppState,
    store::{
        item_query::{self, ItemFilter, SortKey},
        items,
    },
    web::{i18n, items::ItemsQuery, render, session::PageUser, Chrome, Nav, PageError, PageQuery},
};

/// The most items placed on one month's grid.
const MONTH_LIMIT: u64 = 200;

pub fn routes() -> Router<AppState> {
    Router::new().route("/calendar", get(calendar))
}

#[derive(Default, Deserialize)]
struct CalendarQuery {
    profile: Option<i64>,
    /// `YYYY-MM`; absent: this month.
    month: Option<String>,
}

/// An item (or its reminder) on one day.
struct Entry {
    title: String,
    href: String,
    status: String,
    reminder: bool,
}

struct Day {
    number: u32,
    in_month: bool,
    today: bool,
    entries: Vec<Entry>,
}

#[derive(Template)]
#[template(path = "calendar.html")]
struct CalendarPage {
    c: Chrome,
    title: String,
    weekdays: Vec<&'static str>,
    weeks: Vec<Vec<Day>>,
    prev_href: String,
    next_href: String,
    today_href: String,
    truncated: bool,
}

fn month_href(profile: Option<i64>, month: NaiveDate) -> String {
    let m = month.format("%Y-%m");
    match profile {
        Some(p) => format!("/calendar?month={m}&profile={p}"),
        None => format!("/calendar?month={m}"),
    }
}

async fn calendar(
    State(state): State<AppState>,
    user: PageUser,
    PageQuery(q): PageQuery<CalendarQuery>,
) -> Result<Response, PageError> {
    if let Some(p) = q.profile {
        crate::store::find_owned::<crate::entity::profile::Entity>(&state.db, user.id, p).await?;
    }
    let c = Chrome::signed_in(&state, &user, Nav::Calendar, q.profile, "/calendar", |t| {
        t.calendar.to_owned()
    })
    .await?;
    let t = c.t;
    let today = crate::domain::now().with_timezone(&user.tz).date_naive();
    let first = q
        .month
        .as_deref()
        .and_then(|m| NaiveDate::parse_from_str(&format!("{m}-01"), "%Y-%m-%d").ok())
        .unwrap_or_else(|| today.with_day(1).expect("day 1 exists"));
    let grid_start = first - Days::new(u64::from(first.weekday().num_days_from_monday()));
    let next_month = first + Months::new(1);
    let last = next_month.pred_opt().expect("a day before the 1st");
    let grid_end = last + Days::new(u64::from(6 - last.weekday().num_days_from_monday()));
    let days_in_grid = (grid_end - grid_start).num_days() + 1;

    let filter = ItemFilter {
        profile_id: q.profile,
        scheduled_from: Some(i18n::start_of_day(grid_start, user.tz)),
        scheduled_to: Some(
            i18n::start_of_day(grid_end + Days::new(1), user.tz) - Duration::milliseconds(1),
        ),
        sort: SortKey::Schedule,
        direction: SortKey::Schedule.default_direction(),
        limit: MONTH_LIMIT,
        ..Default::default()
    };
    let page = item_query::list(&state.db, user.id, &filter).await?;
    let truncated = page.next_cursor.is_some();
    let views = items::with_tags(&state.db, page.items).await?;

    let mut days: Vec<Day> = (0..days_in_grid)
        .map(|i| {
            let date = grid_start + Days::new(i as u64);
            Day {
                number: date.day(),
                in_month: date.month() == first.month(),
                today: date == today,
                entries: Vec::new(),
            }
        })
        .collect();
    let index = |date: NaiveDate| -> Option<usize> {
        let i = (date - grid_start).num_days();
        (0..days_in_grid).contains(&i).then_some(i as usize)
    };
    let base = ItemsQuery {
        profile: q.profile,
        ..Default::default()
    };
    for v in &views {
        let Some(start) = v.schedule_start else {
            continue;
        };
        let start = start.with_timezone(&user.tz).date_naive();
        let end = v
            .schedule_end
            .map_or(start, |e| e.with_timezone(&user.tz).date_naive())
            .max(start);
        let mut date = start.max(grid_start);
        while date <= end.min(grid_end) {
            if let Some(i) = index(date) {
                days[i].entries.push(Entry {
                    title: v.title.clone(),
                    href: base.item_url(v.id),
                    status: i18n::wire(v.status),
                    reminder: false,
                });
            }
            date = date + Days::new(1);
        }
        if let Some(r) = v.reminder_at {
            if let Some(i) = index(r.with_timezone(&user.tz).date_naive()) {
                days[i].entries.push(Entry {
                    title: v.title.clone(),
                    href: base.item_url(v.id),
                    status: i18n::wire(v.status),
                    reminder: true,
                });
            }
        }
    }
    let mut weeks = Vec::new();
    let mut days = days.into_iter().peekable();
    while days.peek().is_some() {
        weeks.push(days.by_ref().take(7).collect());
    }
    render(&CalendarPage {
        title: first.format(t.month_title).to_string(),
        weekdays: t.weekdays.split(',').collect(),
        weeks,
        prev_href: month_href(q.profile, first - Months::new(1)),
        next_href: month_href(q.profile, next_month),
        today_href: month_href(q.profile, today),
        truncated,
        c,
    })
}
