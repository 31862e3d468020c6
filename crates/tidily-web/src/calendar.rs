//! The calendar: a month grid placing items by schedule start, spanning to schedule end,
//! with reminders marked. Days and times are the account's time zone.

use askama::Template;
use axum::{extract::State, response::Response, routing::get, Router};
use chrono::{Datelike, Days, Duration, Months, NaiveDate};
use serde::Deserialize;

use crate::{
    app::items::{ItemFilter, SortKey},
    app::AppState,
    i18n,
    items::ItemsQuery,
    render,
    session::PageUser,
    Chrome, Nav, PageError, PageQuery,
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
    /// `YYYY-MM-DD`: show the week (Monday to Sunday) holding this day instead of a month.
    week: Option<NaiveDate>,
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
    /// To the week view from a month, to the month from a week.
    switch_href: String,
    is_week: bool,
    truncated: bool,
}

fn month_href(profile: Option<i64>, month: NaiveDate) -> String {
    with_profile(
        format!("/calendar?month={}", month.format("%Y-%m")),
        profile,
    )
}

fn week_href(profile: Option<i64>, day: NaiveDate) -> String {
    with_profile(
        format!("/calendar?week={}", day.format("%Y-%m-%d")),
        profile,
    )
}

fn with_profile(href: String, profile: Option<i64>) -> String {
    match profile {
        Some(p) => format!("{href}&profile={p}"),
        None => href,
    }
}

/// The Monday on or before `day`.
fn monday_of(day: NaiveDate) -> NaiveDate {
    day - Days::new(u64::from(day.weekday().num_days_from_monday()))
}

async fn calendar(
    State(state): State<AppState>,
    user: PageUser,
    PageQuery(q): PageQuery<CalendarQuery>,
) -> Result<Response, PageError> {
    let c = Chrome::signed_in(&state, &user, Nav::Calendar, q.profile, "/calendar", |t| {
        t.calendar.to_owned()
    })
    .await?;
    let t = c.t;
    let today = crate::domain::now().with_timezone(&user.tz).date_naive();
    let first = q
        .week
        .map(|d| d.with_day(1).expect("day 1 exists"))
        .or_else(|| {
            q.month
                .as_deref()
                .and_then(|m| NaiveDate::parse_from_str(&format!("{m}-01"), "%Y-%m-%d").ok())
        })
        .unwrap_or_else(|| today.with_day(1).expect("day 1 exists"));
    let next_month = first + Months::new(1);
    let (grid_start, grid_end) = match q.week {
        Some(day) => (monday_of(day), monday_of(day) + Days::new(6)),
        None => {
            let last = next_month.pred_opt().expect("a day before the 1st");
            (monday_of(first), monday_of(last) + Days::new(6))
        }
    };
    let days_in_grid = (grid_end - grid_start).num_days() + 1;

    let data = user.data(&state);
    let filter = ItemFilter {
        profile_id: q.profile,
        scheduled_from: Some(i18n::start_of_day(grid_start, user.tz)),
        scheduled_to: Some(
            i18n::start_of_day(grid_end + Days::new(1), user.tz) - Duration::milliseconds(1),
        ),
        longest_schedule: data.longest_schedule().await?,
        sort: SortKey::Schedule,
        direction: SortKey::Schedule.default_direction(),
        limit: MONTH_LIMIT,
        ..Default::default()
    };
    // The calendar shows titles, not tags: rows without their tag IDs.
    let page = data.rows(&filter).await?;
    let truncated = page.next_cursor.is_some();
    let views = page.items;

    let mut days: Vec<Day> = (0..days_in_grid)
        .map(|i| {
            let date = grid_start + Days::new(i as u64);
            Day {
                number: date.day(),
                in_month: q.week.is_some() || date.month() == first.month(),
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
    let (title, prev_href, next_href, today_href, switch_href) = match q.week {
        Some(_) => (
            format!(
                "{} – {}",
                grid_start.format("%Y-%m-%d"),
                grid_end.format("%Y-%m-%d")
            ),
            week_href(q.profile, grid_start - Days::new(7)),
            week_href(q.profile, grid_start + Days::new(7)),
            week_href(q.profile, today),
            month_href(q.profile, grid_start),
        ),
        None => (
            first.format(t.month_title).to_string(),
            month_href(q.profile, first - Months::new(1)),
            month_href(q.profile, next_month),
            month_href(q.profile, today),
            week_href(
                q.profile,
                if today.month() == first.month() && today.year() == first.year() {
                    today
                } else {
                    first
                },
            ),
        ),
    };
    render(&CalendarPage {
        title,
        is_week: q.week.is_some(),
        weekdays: t.weekdays.split(',').collect(),
        weeks,
        prev_href,
        next_href,
        today_href,
        switch_href,
        truncated,
        c,
    })
}
