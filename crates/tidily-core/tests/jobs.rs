//! The job queue against real databases (a SQLite file, and PostgreSQL when
//! `TEST_DATABASE_URL` is set), each "instance" a pool of its own as a separate process would
//! have, and a clock passed in by the test: claims are exclusive, leases run out and are
//! fenced, politeness holds per host, retries wait, a schedule is taken once per period.

#[macro_use]
mod common;

use std::collections::HashSet;

use chrono::{DateTime, TimeDelta, Utc};
use common::TestDb;
use serde_json::json;
use tidily_core::{
    db::Db,
    entity::job::JobState,
    store::jobs::{self, NewJob, Outcome, Politeness},
};

fn t0() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-12-07T12:00:00Z")
        .unwrap()
        .to_utc()
}

fn job(key: Option<String>, host: Option<&str>, at: DateTime<Utc>) -> NewJob {
    NewJob {
        kind: "test",
        dedupe_key: key,
        payload: json!({}),
        host: host.map(str::to_owned),
        max_attempts: 3,
        run_at: at,
    }
}

const LOOSE: Politeness = Politeness {
    per_host: 100,
    interval: TimeDelta::zero(),
};
const LEASE: TimeDelta = TimeDelta::seconds(30);

both!(two_instances_never_claim_one_job, |db| {
    let (a, b) = (db.pool().await, db.pool().await);
    for _ in 0..300 {
        jobs::enqueue(a.read(), job(None, None, t0()), t0())
            .await
            .unwrap();
    }
    // Both instances claim in small batches at once until nothing is left.
    let claimer = |pool: Db, name: &'static str| {
        tokio::spawn(async move {
            let mut mine = Vec::new();
            loop {
                let got = jobs::claim(&pool, name, 7, t0(), LEASE, LOOSE)
                    .await
                    .unwrap();
                if got.is_empty() {
                    return mine;
                }
                mine.extend(got.into_iter().map(|j| j.id));
                // Give the other instance its turn at the lock, as a worker's work would.
                tokio::time::sleep(std::time::Duration::from_millis(1)).await;
            }
        })
    };
    let (ja, jb) = (claimer(a, "a"), claimer(b, "b"));
    let (ids_a, ids_b) = (ja.await.unwrap(), jb.await.unwrap());
    let all: HashSet<i64> = ids_a.iter().chain(&ids_b).copied().collect();
    assert_eq!(ids_a.len() + ids_b.len(), 300, "every job claimed once");
    assert_eq!(all.len(), 300, "no job claimed by both");
    assert!(
        !ids_a.is_empty() && !ids_b.is_empty(),
        "both instances worked"
    );
});

both!(
    a_lapsed_lease_is_taken_over_and_the_old_claim_is_fenced,
    |db| {
        let pool = db.pool().await;
        jobs::enqueue(pool.read(), job(Some("k".into()), None, t0()), t0())
            .await
            .unwrap();
        let first = jobs::claim(&pool, "dead", 1, t0(), LEASE, LOOSE)
            .await
            .unwrap()
            .remove(0);
        assert_eq!(first.attempts, 1);
        // Within the lease nobody else gets it.
        assert!(jobs::claim(
            &pool,
            "other",
            1,
            t0() + TimeDelta::seconds(29),
            LEASE,
            LOOSE
        )
        .await
        .unwrap()
        .is_empty());
        // After it, another worker does, as attempt 2.
        let later = t0() + TimeDelta::seconds(31);
        let second = jobs::claim(&pool, "other", 1, later, LEASE, LOOSE)
            .await
            .unwrap()
            .remove(0);
        assert_eq!((second.id, second.attempts), (first.id, 2));
        // The first worker wakes up: it can neither renew nor finish the job.
        assert!(!jobs::heartbeat(&pool, first.id, "dead", 1, later + LEASE)
            .await
            .unwrap());
        assert!(
            !jobs::finish(&pool, first.id, "dead", 1, Outcome::Done, later)
                .await
                .unwrap()
        );
        assert!(
            jobs::finish(&pool, second.id, "other", 2, Outcome::Done, later)
                .await
                .unwrap()
        );
        let rows = jobs::list(&pool, Some("test"), 10).await.unwrap();
        assert_eq!(rows[0].state, JobState::Done);
        assert_eq!(rows[0].worker, None);
        // A finished job frees its key: the same work can be queued again.
        assert!(
            jobs::enqueue(pool.read(), job(Some("k".into()), None, later), later)
                .await
                .unwrap()
        );
        assert!(
            !jobs::enqueue(pool.read(), job(Some("k".into()), None, later), later)
                .await
                .unwrap(),
            "one live job per key"
        );
    }
);

both!(politeness_limits_each_host_across_instances, |db| {
    let (a, b) = (db.pool().await, db.pool().await);
    for _ in 0..6 {
        jobs::enqueue(a.read(), job(None, Some("slow.example"), t0()), t0())
            .await
            .unwrap();
    }
    jobs::enqueue(a.read(), job(None, Some("other.example"), t0()), t0())
        .await
        .unwrap();
    let polite = Politeness {
        per_host: 2,
        interval: TimeDelta::milliseconds(500),
    };
    let hosts = |js: &[tidily_core::entity::job::Model]| {
        js.iter()
            .map(|j| j.host.clone().unwrap())
            .collect::<Vec<_>>()
    };
    // One start per host per interval, whoever asks.
    let first = jobs::claim(&a, "a", 10, t0(), LEASE, polite).await.unwrap();
    let mut got = hosts(&first);
    got.sort();
    assert_eq!(got, ["other.example", "slow.example"]);
    assert!(jobs::claim(
        &b,
        "b",
        10,
        t0() + TimeDelta::milliseconds(100),
        LEASE,
        polite
    )
    .await
    .unwrap()
    .is_empty());
    let t1 = t0() + TimeDelta::milliseconds(500);
    assert_eq!(
        hosts(&jobs::claim(&b, "b", 10, t1, LEASE, polite).await.unwrap()),
        ["slow.example"]
    );
    // Two of slow.example now run: the third waits however long the interval has passed.
    let t2 = t0() + TimeDelta::seconds(5);
    assert!(jobs::claim(&a, "a", 10, t2, LEASE, polite)
        .await
        .unwrap()
        .is_empty());
    let running = jobs::list(&a, None, 20).await.unwrap();
    let one = running
        .iter()
        .find(|j| j.host.as_deref() == Some("slow.example") && j.state == JobState::Running)
        .unwrap();
    let worker = one.worker.clone().unwrap();
    assert!(jobs::finish(&a, one.id, &worker, 1, Outcome::Done, t2)
        .await
        .unwrap());
    assert_eq!(
        hosts(&jobs::claim(&a, "a", 10, t2, LEASE, polite).await.unwrap()),
        ["slow.example"]
    );
});

both!(a_retry_waits_and_a_release_does_not_count, |db| {
    let pool = db.pool().await;
    jobs::enqueue(pool.read(), job(None, None, t0()), t0())
        .await
        .unwrap();
    let j = jobs::claim(&pool, "w", 1, t0(), LEASE, LOOSE)
        .await
        .unwrap()
        .remove(0);
    let at = t0() + TimeDelta::seconds(60);
    let retry = Outcome::Retry {
        error: "timed out".into(),
        at,
    };
    assert!(jobs::finish(&pool, j.id, "w", 1, retry, t0())
        .await
        .unwrap());
    assert!(
        jobs::claim(&pool, "w", 1, at - TimeDelta::seconds(1), LEASE, LOOSE)
            .await
            .unwrap()
            .is_empty()
    );
    let again = jobs::claim(&pool, "w", 1, at, LEASE, LOOSE)
        .await
        .unwrap()
        .remove(0);
    assert_eq!(again.attempts, 2);
    assert_eq!(again.last_error.as_deref(), Some("timed out"));
    // A worker stopping gives the job back: due at once, and the claim does not count.
    assert!(jobs::finish(&pool, j.id, "w", 2, Outcome::Released, at)
        .await
        .unwrap());
    let back = jobs::claim(&pool, "v", 1, at, LEASE, LOOSE)
        .await
        .unwrap()
        .remove(0);
    assert_eq!(back.attempts, 2);
    let failed = Outcome::Failed {
        error: "gone".into(),
    };
    assert!(jobs::finish(&pool, back.id, "v", 2, failed, at)
        .await
        .unwrap());
    assert_eq!(
        jobs::list(&pool, None, 1).await.unwrap()[0].state,
        JobState::Failed
    );
    assert_eq!(
        jobs::purge_finished(&pool, at + TimeDelta::seconds(1))
            .await
            .unwrap(),
        1
    );
});

both!(
    a_schedule_is_taken_once_per_period_by_racing_instances,
    |db| {
        let pools = [db.pool().await, db.pool().await, db.pool().await];
        let period = TimeDelta::hours(1);
        for round in 0..3 {
            let now = t0() + period * round + TimeDelta::seconds(5);
            let next = t0() + period * (round + 1);
            let tasks: Vec<_> = pools
                .iter()
                .enumerate()
                .map(|(i, pool)| {
                    let pool = pool.clone();
                    let key = format!("tick:{round}");
                    tokio::spawn(async move {
                        jobs::take_schedule(
                            &pool,
                            "tick",
                            &format!("w{i}"),
                            now,
                            next,
                            job(Some(key), None, now),
                        )
                        .await
                        .unwrap()
                    })
                })
                .collect();
            let mut won = 0;
            for t in tasks {
                won += usize::from(t.await.unwrap());
            }
            assert_eq!(
                won, 1,
                "round {round}: exactly one instance takes the schedule"
            );
            // Later in the same period nobody does.
            let again = jobs::take_schedule(
                &pools[0],
                "tick",
                "w0",
                now + TimeDelta::minutes(10),
                next,
                job(None, None, now),
            )
            .await
            .unwrap();
            assert!(!again);
        }
        assert_eq!(
            jobs::list(&pools[0], Some("test"), 10).await.unwrap().len(),
            3
        );
    }
);
