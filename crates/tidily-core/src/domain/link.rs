//! Link health: whether a saved link still leads to its page, judged over repeated checks.
//!
//! One failed check proves little (a site down for an hour, a network blip), so a link is
//! called broken only after several failed checks in a row spread over days ([`BreakRule`]:
//! three over two days unless configured otherwise). A site that refuses robots (401, 403, 429, …) is `blocked`: that says
//! nothing about the page, and a blocked link is never called broken.

use chrono::{DateTime, TimeDelta, Utc};
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The class of a link's last check.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    EnumIter,
    DeriveActiveEnum,
    Serialize,
    Deserialize,
    ToSchema,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "snake_case")]
pub enum LinkState {
    /// The page answered.
    #[sea_orm(string_value = "ok")]
    Ok,
    /// Permanently redirected to another page: the new address can be adopted.
    #[sea_orm(string_value = "moved")]
    Moved,
    /// 404, 410 or another "no such page".
    #[sea_orm(string_value = "gone")]
    Gone,
    /// The site refuses robots, or the address may not be fetched: not known.
    #[sea_orm(string_value = "blocked")]
    Blocked,
    /// 5xx, or redirects that lead nowhere.
    #[sea_orm(string_value = "server_error")]
    ServerError,
    /// A "not found" page answered 200, or a deep link sent to the home page.
    #[sea_orm(string_value = "soft_404")]
    Soft404,
    /// No answer at all: the name does not resolve, the connection fails or times out.
    #[sea_orm(string_value = "unreachable")]
    Unreachable,
}

impl LinkState {
    /// Whether this counts towards calling the link broken.
    pub fn is_failure(self) -> bool {
        matches!(
            self,
            LinkState::Gone | LinkState::ServerError | LinkState::Soft404 | LinkState::Unreachable
        )
    }
}

/// What one check saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Observation {
    pub state: LinkState,
    /// The last HTTP status, when there was an answer.
    pub status: Option<u16>,
    /// Where a `moved` link went now.
    pub moved_to: Option<String>,
    /// Why, in words, for anything but `ok`.
    pub detail: Option<String>,
}

impl Observation {
    pub fn new(state: LinkState, status: Option<u16>) -> Observation {
        Observation {
            state,
            status,
            moved_to: None,
            detail: None,
        }
    }

    pub fn because(mut self, detail: impl Into<String>) -> Observation {
        self.detail = Some(detail.into());
        self
    }
}

/// When failures make a link broken: this many failed checks in a row, the first at least
/// `after` before the last.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BreakRule {
    pub failures: i32,
    pub after: TimeDelta,
}

impl Default for BreakRule {
    fn default() -> Self {
        BreakRule {
            failures: 3,
            after: TimeDelta::days(2),
        }
    }
}
/// A healthy (or blocked) link is checked again after this long…
pub const HEALTHY_INTERVAL: TimeDelta = TimeDelta::days(14);
/// …a failing one sooner, to confirm or clear the failure.
pub const FAILING_INTERVAL: TimeDelta = TimeDelta::days(1);
/// The first check of a new link: its capture has just fetched it.
pub const FIRST_CHECK_AFTER: TimeDelta = TimeDelta::days(1);

/// The run of failed checks a link is in: all the judgement needs of its past.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Failing {
    /// Failed checks in a row (0: the last check succeeded, or there was none).
    pub failures: i32,
    /// When the run began.
    pub since: Option<DateTime<Utc>>,
}

/// A link's health over its checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Health {
    pub last: Observation,
    /// Failed checks in a row.
    pub failures: i32,
    /// When the current run of failures began.
    pub failing_since: Option<DateTime<Utc>>,
    pub checked_at: DateTime<Utc>,
    pub next_check_at: DateTime<Utc>,
    pub broken: bool,
}

impl Health {
    /// The run of failures this health leaves for the next check.
    pub fn failing(&self) -> Failing {
        Failing {
            failures: self.failures,
            since: self.failing_since,
        }
    }
}

/// `interval` stretched by up to a quarter, by `jitter` in `[0, 1)`: checks of links saved
/// together drift apart instead of hitting their sites at one moment forever.
fn jittered(interval: TimeDelta, jitter: f64) -> TimeDelta {
    let extra = interval.num_seconds() as f64 * 0.25 * jitter.clamp(0.0, 1.0);
    interval + TimeDelta::seconds(extra as i64)
}

/// The health of a link after a check that saw `seen` at `now`, given the run of failures
/// it was in (none for its first check).
pub fn judge(
    before: Failing,
    seen: Observation,
    rule: BreakRule,
    now: DateTime<Utc>,
    jitter: f64,
) -> Health {
    let (failures, failing_since) = if seen.state.is_failure() {
        let since = before.since.filter(|_| before.failures > 0);
        (before.failures.max(0) + 1, Some(since.unwrap_or(now)))
    } else {
        (0, None)
    };
    let broken =
        failures >= rule.failures && failing_since.is_some_and(|since| now - since >= rule.after);
    let interval = if failures > 0 {
        FAILING_INTERVAL
    } else {
        HEALTHY_INTERVAL
    };
    Health {
        last: seen,
        failures,
        failing_since,
        checked_at: now,
        next_check_at: now + jittered(interval, jitter),
        broken,
    }
}

/// The Wayback Machine's copy of `url` nearest to when it was saved.
pub fn wayback_url(url: &str, saved: DateTime<Utc>) -> String {
    format!(
        "https://web.archive.org/web/{}/{url}",
        saved.format("%Y%m%d%H%M%S")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(day: i64, hour: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap()
            + TimeDelta::days(day)
            + TimeDelta::hours(hour)
    }

    fn seen(state: LinkState) -> Observation {
        Observation::new(state, Some(200))
    }

    /// Runs checks at the given times; returns the health after each.
    fn run(checks: &[(DateTime<Utc>, LinkState)]) -> Vec<Health> {
        let mut out: Vec<Health> = Vec::new();
        for (now, state) in checks {
            let before = out.last().map(Health::failing).unwrap_or_default();
            let h = judge(before, seen(*state), BreakRule::default(), *now, 0.5);
            out.push(h);
        }
        out
    }

    #[test]
    fn a_link_is_broken_only_after_three_failures_over_two_days() {
        use LinkState::*;
        let h = run(&[(at(0, 0), Gone), (at(1, 0), Gone), (at(2, 0), ServerError)]);
        assert_eq!(
            h.iter().map(|h| (h.failures, h.broken)).collect::<Vec<_>>(),
            [(1, false), (2, false), (3, true)]
        );
        assert_eq!(h[2].failing_since, Some(at(0, 0)));
        // Three failures in one afternoon are not enough, a fourth two days on is.
        let h = run(&[
            (at(0, 12), Unreachable),
            (at(0, 13), Unreachable),
            (at(0, 14), Soft404),
            (at(1, 13), Unreachable),
            (at(2, 12), Unreachable),
        ]);
        assert_eq!(
            h.iter().map(|h| h.broken).collect::<Vec<_>>(),
            [false, false, false, false, true]
        );
    }

    #[test]
    fn one_good_answer_clears_the_failures_and_blocked_is_never_broken() {
        use LinkState::*;
        let h = run(&[
            (at(0, 0), Gone),
            (at(1, 0), Gone),
            (at(2, 0), Gone),
            (at(3, 0), Ok),
            (at(4, 0), Gone),
        ]);
        assert!(h[2].broken);
        assert_eq!(
            (h[3].failures, h[3].broken, h[3].failing_since),
            (0, false, None)
        );
        assert_eq!((h[4].failures, h[4].failing_since), (1, Some(at(4, 0))));
        let h = run(&[
            (at(0, 0), Blocked),
            (at(3, 0), Blocked),
            (at(9, 0), Blocked),
            (at(20, 0), Blocked),
        ]);
        assert!(h.iter().all(|h| !h.broken && h.failures == 0));
        let h = run(&[(at(0, 0), Gone), (at(1, 0), Gone), (at(2, 0), Moved)]);
        assert!(
            !h[2].broken,
            "a moved link is not broken: its new address works"
        );
    }

    #[test]
    fn failing_links_are_checked_again_sooner_with_jitter() {
        let rule = BreakRule::default();
        let ok = judge(Failing::default(), seen(LinkState::Ok), rule, at(0, 0), 0.0);
        assert_eq!(ok.next_check_at, at(14, 0));
        let ok = judge(Failing::default(), seen(LinkState::Ok), rule, at(0, 0), 1.0);
        assert_eq!(ok.next_check_at, at(17, 12));
        let failing = judge(ok.failing(), seen(LinkState::Gone), rule, at(0, 0), 0.0);
        assert_eq!(failing.next_check_at, at(1, 0));
    }

    #[test]
    fn an_operator_can_make_the_rule_stricter_or_looser() {
        let eager = BreakRule {
            failures: 1,
            after: TimeDelta::zero(),
        };
        let h = judge(
            Failing::default(),
            seen(LinkState::Gone),
            eager,
            at(0, 0),
            0.0,
        );
        assert!(h.broken);
        let h = judge(
            Failing::default(),
            seen(LinkState::Blocked),
            eager,
            at(0, 0),
            0.0,
        );
        assert!(!h.broken, "blocked is never broken, whatever the rule");
    }

    #[test]
    fn the_wayback_link_names_the_saved_moment() {
        assert_eq!(
            wayback_url("https://example.com/a?b=1", at(3, 5)),
            "https://web.archive.org/web/20261204050000/https://example.com/a?b=1"
        );
    }
}
