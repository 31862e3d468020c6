//! Concurrency: many clients writing at once, on each database, against the real server.
//!
//! Fifty clients mix every write endpoint (create, patch, bulk, tags, move, archive, trash,
//! restore, folders) on one account and across two, for a bounded time. Nothing may answer
//! 5xx or mention a lock or a deadlock, and afterwards the data must be a state that the
//! acknowledged writes, replayed one after the other, could have produced:
//!
//! - each client's own items (which only it touches) are exactly what its writes made them;
//! - on the shared items, each field that one client alone writes holds that client's last
//!   value (two clients patching different fields of one item must not undo each other), and
//!   each field that many clients write holds one of the values written;
//! - every acknowledged creation exists, nothing deleted does, and manual positions are
//!   unique within each list and short.
//!
//! A second scenario kills the server with SIGKILL in the middle of the load and checks that
//! every acknowledged write is there after a restart.

use std::{
    collections::{BTreeSet, HashMap, HashSet},
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use crate::common::*;
use rand::{rngs::StdRng, seq::SliceRandom, Rng, SeedableRng};

/// How long the mixed load runs on each database (`TIDILY_LOAD_SECS`, default 6).
fn load_time() -> Duration {
    let secs = std::env::var("TIDILY_LOAD_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(6);
    Duration::from_secs(secs)
}

const CLIENTS_ON_ALICE: usize = 40;
const CLIENTS_ON_BOB: usize = 10;
const SHARED_ITEMS: usize = 60;
const STATUSES: [&str; 5] = ["undecided", "not_started", "in_progress", "on_hold", "done"];
const PRIORITIES: [&str; 3] = ["high", "mid", "low"];

/// One account's fixed furniture: profiles, folders per profile, tags, and the shared items.
#[derive(Clone)]
struct Account {
    client: Client,
    profiles: Vec<i64>,
    folders: HashMap<i64, Vec<i64>>,
    tags: Vec<i64>,
    shared: Vec<SharedItem>,
}

#[derive(Clone)]
struct SharedItem {
    id: i64,
    profile_id: i64,
    folder_id: Option<i64>,
}

/// What a client knows about an item only it touches.
#[derive(Clone, Debug, PartialEq)]
struct OwnItem {
    profile_id: i64,
    folder_id: Option<i64>,
    title: String,
    memo: String,
    status: String,
    priority: String,
    tags: BTreeSet<i64>,
    archived: bool,
    trashed: bool,
    favorite: bool,
}

/// What the acknowledged writes to one shared item allow its final state to be.
#[derive(Default, Debug)]
struct SharedWrites {
    /// Last value written by the one client that writes the title (and the memo).
    title: Option<String>,
    memo: Option<String>,
    statuses: HashSet<String>,
    archived: HashSet<bool>,
    trashed: HashSet<bool>,
    tags_added: BTreeSet<i64>,
}

/// Everything the clients observed.
#[derive(Default)]
struct Observed {
    statuses: HashMap<u16, u64>,
    failures: Vec<String>,
    shared: HashMap<i64, SharedWrites>,
    /// Folders created by clients, with their last acknowledged name.
    folders: HashMap<i64, String>,
}

impl Observed {
    /// Counts an answer; a server error, or any mention of a lock, is a failure.
    fn answer(&mut self, what: &str, resp: &Result<Resp, String>, allowed: &[u16]) -> bool {
        match resp {
            Err(e) => {
                self.failures.push(format!("{what}: transport error {e}"));
                false
            }
            Ok((status, body)) => {
                *self.statuses.entry(*status).or_default() += 1;
                let text = body.to_string().to_lowercase();
                if *status >= 500 || text.contains("locked") || text.contains("deadlock") {
                    self.failures.push(format!("{what}: {status} {body}"));
                    false
                } else if (200..300).contains(status) {
                    true
                } else {
                    if !allowed.contains(status) {
                        self.failures
                            .push(format!("{what}: unexpected {status} {body}"));
                    }
                    false
                }
            }
        }
    }
}

async fn furnish(app: &TestApp, email: &str) -> Account {
    let client = app.signup(email).await;
    let profiles: Vec<i64> = client.profiles().await.iter().map(id).collect();
    let mut folders = HashMap::new();
    for &p in &profiles[..2] {
        let mut ids = Vec::new();
        for name in ["Inbox", "Later", "Work"] {
            ids.push(id(&client.create_folder(p, None, name).await));
        }
        folders.insert(p, ids);
    }
    let mut tags = Vec::new();
    for n in 0..6 {
        tags.push(id(&client.create_tag(&format!("t{n}"), "#334455").await));
    }
    let mut shared = Vec::new();
    for n in 0..SHARED_ITEMS {
        let profile_id = profiles[n % 2];
        let folder_id = (n % 3 != 0).then(|| folders[&profile_id][n % 2]);
        let item = client
            .create_item(json!({
                "profile_id": profile_id, "folder_id": folder_id,
                "title": format!("shared {n}"), "status": "undecided", "priority": "mid"
            }))
            .await;
        shared.push(SharedItem {
            id: id(&item),
            profile_id,
            folder_id,
        });
    }
    Account {
        client,
        profiles,
        folders,
        tags,
        shared,
    }
}

fn pick<'a, T>(rng: &mut StdRng, from: &'a [T]) -> &'a T {
    from.choose(rng).expect("something to pick")
}

/// One client: a random mix of writes until the deadline. Returns its own items as it
/// believes them to be, and the IDs it deleted.
async fn client_loop(
    n: usize,
    clients: usize,
    acct: Account,
    until: Instant,
    observed: Arc<Mutex<Observed>>,
) -> (HashMap<i64, OwnItem>, Vec<i64>) {
    let mut rng = StdRng::seed_from_u64(0xC0FFEE + n as u64);
    let c = &acct.client;
    let mut own: HashMap<i64, OwnItem> = HashMap::new();
    let mut own_folders: Vec<(i64, i64)> = Vec::new();
    let mut deleted = Vec::new();
    // Of the shared items, this client alone writes the titles of some and the memos of others.
    let my_titles: Vec<&SharedItem> = acct
        .shared
        .iter()
        .enumerate()
        .filter(|(i, _)| i % clients == n)
        .map(|(_, s)| s)
        .collect();
    let my_memos: Vec<&SharedItem> = acct
        .shared
        .iter()
        .enumerate()
        .filter(|(i, _)| (i + 1) % clients == n)
        .map(|(_, s)| s)
        .collect();
    let mut step = 0u64;
    while Instant::now() < until {
        step += 1;
        let roll = rng.gen_range(0..100);
        let own_ids: Vec<i64> = own.keys().copied().collect();
        match roll {
            // Create an item of one's own.
            0..=14 => {
                let profile_id = *pick(&mut rng, &acct.profiles[..2]);
                let folder_id = rng
                    .gen_bool(0.6)
                    .then(|| *pick(&mut rng, &acct.folders[&profile_id]));
                let count = rng.gen_range(0..3);
                let tags: BTreeSet<i64> = acct
                    .tags
                    .choose_multiple(&mut rng, count)
                    .copied()
                    .collect();
                let title = format!("c{n} item {step}");
                let resp = c
                    .try_send(
                        Method::POST,
                        "/items",
                        Some(json!({"profile_id": profile_id, "folder_id": folder_id,
                            "title": title, "tag_ids": tags, "status": "not_started"})),
                    )
                    .await;
                if observed.lock().unwrap().answer("create", &resp, &[]) {
                    let body = resp.unwrap().1;
                    own.insert(
                        id(&body),
                        OwnItem {
                            profile_id,
                            folder_id,
                            title,
                            memo: String::new(),
                            status: "not_started".into(),
                            priority: "mid".into(),
                            tags,
                            archived: false,
                            trashed: false,
                            favorite: false,
                        },
                    );
                }
            }
            // Patch one field of an own item.
            15..=29 if !own_ids.is_empty() => {
                let item_id = *pick(&mut rng, &own_ids);
                let mut next = own[&item_id].clone();
                let body = match rng.gen_range(0..6) {
                    0 => {
                        next.title = format!("c{n} renamed {step}");
                        json!({"title": next.title})
                    }
                    1 => {
                        next.status = pick(&mut rng, &STATUSES).to_string();
                        json!({"status": next.status})
                    }
                    2 => {
                        next.priority = pick(&mut rng, &PRIORITIES).to_string();
                        json!({"priority": next.priority})
                    }
                    3 => {
                        next.memo = format!("memo {step}");
                        json!({"memo": next.memo})
                    }
                    4 => {
                        let count = rng.gen_range(0..4);
                        next.tags = acct
                            .tags
                            .choose_multiple(&mut rng, count)
                            .copied()
                            .collect();
                        json!({"tag_ids": next.tags})
                    }
                    _ => {
                        next.folder_id = rng
                            .gen_bool(0.7)
                            .then(|| *pick(&mut rng, &acct.folders[&next.profile_id]));
                        json!({"folder_id": next.folder_id})
                    }
                };
                let resp = c
                    .try_send(Method::PATCH, &format!("/items/{item_id}"), Some(body))
                    .await;
                if observed.lock().unwrap().answer("patch own", &resp, &[]) {
                    own.insert(item_id, next);
                }
            }
            // Patch the one field of a shared item that this client alone writes.
            30..=39 => {
                let title = rng.gen_bool(0.5);
                let (pool, field) = if title {
                    (&my_titles, "title")
                } else {
                    (&my_memos, "memo")
                };
                let Some(item) = pool.choose(&mut rng) else {
                    continue;
                };
                let value = format!("c{n} {field} {step}");
                let resp = c
                    .try_send(
                        Method::PATCH,
                        &format!("/items/{}", item.id),
                        Some(json!({ field: value })),
                    )
                    .await;
                let mut obs = observed.lock().unwrap();
                if obs.answer("patch shared", &resp, &[]) {
                    let writes = obs.shared.entry(item.id).or_default();
                    if title {
                        writes.title = Some(value);
                    } else {
                        writes.memo = Some(value);
                    }
                }
            }
            // A bulk action on some shared items.
            40..=52 => {
                let count = rng.gen_range(1..12);
                let ids: Vec<i64> = acct
                    .shared
                    .choose_multiple(&mut rng, count)
                    .map(|s| s.id)
                    .collect();
                let status = *pick(&mut rng, &STATUSES);
                let tag = *pick(&mut rng, &acct.tags);
                let (action, extra) = match rng.gen_range(0..8) {
                    0 | 1 => ("set_status", json!({"status": status})),
                    2 | 3 => ("add_tags", json!({"tag_ids": [tag]})),
                    4 => ("archive", json!({})),
                    5 => ("unarchive", json!({})),
                    6 => ("trash", json!({})),
                    _ => ("restore", json!({})),
                };
                let mut body = json!({"ids": ids, "action": action});
                for (k, v) in extra.as_object().unwrap() {
                    body[k] = v.clone();
                }
                let resp = c.try_send(Method::POST, "/items/bulk", Some(body)).await;
                let mut obs = observed.lock().unwrap();
                if obs.answer("bulk shared", &resp, &[]) {
                    for id in ids {
                        let w = obs.shared.entry(id).or_default();
                        match action {
                            "set_status" => {
                                w.statuses.insert(status.into());
                            }
                            "add_tags" => {
                                w.tags_added.insert(tag);
                            }
                            "archive" | "unarchive" => {
                                w.archived.insert(action == "archive");
                            }
                            _ => {
                                w.trashed.insert(action == "trash");
                            }
                        }
                    }
                }
            }
            // A bulk action on some own items.
            53..=59 if !own_ids.is_empty() => {
                let count = rng.gen_range(1..6);
                let mut ids: Vec<i64> = own_ids.choose_multiple(&mut rng, count).copied().collect();
                let tag = *pick(&mut rng, &acct.tags);
                let status = *pick(&mut rng, &STATUSES);
                let (action, extra) = match rng.gen_range(0..6) {
                    0 => ("set_status", json!({"status": status})),
                    1 => ("add_tags", json!({"tag_ids": [tag]})),
                    2 => ("remove_tags", json!({"tag_ids": [tag]})),
                    3 => ("favorite", json!({})),
                    4 => ("trash", json!({})),
                    _ => {
                        // Into a folder of one profile: only that profile's items go.
                        let profile_id = own[&ids[0]].profile_id;
                        ids.retain(|i| own[i].profile_id == profile_id);
                        let folder = *pick(&mut rng, &acct.folders[&profile_id]);
                        ("move", json!({"folder_id": folder}))
                    }
                };
                let mut body = json!({"ids": ids, "action": action});
                for (k, v) in extra.as_object().unwrap() {
                    body[k] = v.clone();
                }
                let resp = c.try_send(Method::POST, "/items/bulk", Some(body)).await;
                if observed.lock().unwrap().answer("bulk own", &resp, &[]) {
                    for id in ids {
                        let it = own.get_mut(&id).unwrap();
                        match action {
                            "set_status" => it.status = status.into(),
                            "add_tags" => {
                                it.tags.insert(tag);
                            }
                            "remove_tags" => {
                                it.tags.remove(&tag);
                            }
                            "favorite" => it.favorite = true,
                            "trash" => it.trashed = true,
                            _ => it.folder_id = extra["folder_id"].as_i64(),
                        }
                    }
                }
            }
            // Drag a shared item next to another in its own list.
            60..=74 => {
                let moving = pick(&mut rng, &acct.shared).clone();
                let peers: Vec<&SharedItem> = acct
                    .shared
                    .iter()
                    .filter(|s| {
                        s.id != moving.id
                            && s.profile_id == moving.profile_id
                            && s.folder_id == moving.folder_id
                    })
                    .collect();
                let Some(next_to) = peers.choose(&mut rng) else {
                    continue;
                };
                let side = if rng.gen_bool(0.5) {
                    "before_id"
                } else {
                    "after_id"
                };
                let resp = c
                    .try_send(
                        Method::POST,
                        &format!("/items/{}/move", moving.id),
                        Some(json!({ side: next_to.id })),
                    )
                    .await;
                observed.lock().unwrap().answer("move shared", &resp, &[]);
            }
            // Archive, trash, restore or unarchive one own item.
            75..=81 if !own_ids.is_empty() => {
                let item_id = *pick(&mut rng, &own_ids);
                let action = *pick(&mut rng, &["archive", "unarchive", "trash", "restore"]);
                let resp = c
                    .try_send(Method::POST, &format!("/items/{item_id}/{action}"), None)
                    .await;
                if observed.lock().unwrap().answer(action, &resp, &[]) {
                    let it = own.get_mut(&item_id).unwrap();
                    match action {
                        "archive" => it.archived = true,
                        "unarchive" => it.archived = false,
                        "trash" => it.trashed = true,
                        _ => it.trashed = false,
                    }
                }
            }
            // Folders: create one, rename one of one's own, or re-order one of one's own.
            82..=89 => {
                let profile_id = *pick(&mut rng, &acct.profiles[..2]);
                match (rng.gen_range(0..3), own_folders.choose(&mut rng).copied()) {
                    (1, Some((_, folder))) => {
                        let name = format!("c{n} folder renamed {step}");
                        let resp = c
                            .try_send(
                                Method::PATCH,
                                &format!("/folders/{folder}"),
                                Some(json!({"name": name})),
                            )
                            .await;
                        let mut obs = observed.lock().unwrap();
                        if obs.answer("rename folder", &resp, &[]) {
                            obs.folders.insert(folder, name);
                        }
                    }
                    (2, Some((profile, folder))) => {
                        let sibling = *pick(&mut rng, &acct.folders[&profile]);
                        let resp = c
                            .try_send(
                                Method::POST,
                                &format!("/folders/{folder}/move"),
                                Some(json!({"parent_id": null, "after_id": sibling})),
                            )
                            .await;
                        observed.lock().unwrap().answer("move folder", &resp, &[]);
                    }
                    _ => {
                        let name = format!("c{n} folder {step}");
                        let resp = c
                            .try_send(
                                Method::POST,
                                "/folders",
                                Some(json!({"profile_id": profile_id, "name": name})),
                            )
                            .await;
                        let mut obs = observed.lock().unwrap();
                        if obs.answer("create folder", &resp, &[]) {
                            let folder = id(&resp.unwrap().1);
                            obs.folders.insert(folder, name);
                            own_folders.push((profile_id, folder));
                        }
                    }
                }
            }
            // Delete an own item for good.
            90..=93 if !own_ids.is_empty() => {
                let item_id = *pick(&mut rng, &own_ids);
                let resp = c
                    .try_send(Method::DELETE, &format!("/items/{item_id}"), None)
                    .await;
                if observed.lock().unwrap().answer("delete", &resp, &[]) {
                    own.remove(&item_id);
                    deleted.push(item_id);
                }
            }
            // Move an own item to the end of another folder of its profile.
            _ if !own_ids.is_empty() => {
                let item_id = *pick(&mut rng, &own_ids);
                let profile_id = own[&item_id].profile_id;
                let folder = rng
                    .gen_bool(0.8)
                    .then(|| *pick(&mut rng, &acct.folders[&profile_id]));
                let resp = c
                    .try_send(
                        Method::POST,
                        &format!("/items/{item_id}/move"),
                        Some(json!({"folder_id": folder})),
                    )
                    .await;
                if observed.lock().unwrap().answer("move own", &resp, &[]) {
                    own.get_mut(&item_id).unwrap().folder_id = folder;
                }
            }
            _ => {}
        }
    }
    (own, deleted)
}

/// Every item of the account, active, archived and trashed, by ID.
async fn all_items(c: &Client) -> HashMap<i64, Value> {
    let mut out = HashMap::new();
    for query in ["archived=any", "trashed=true"] {
        for item in c.walk_pages(query, 200).await {
            out.insert(id(&item), item);
        }
    }
    out
}

fn tag_set(item: &Value) -> BTreeSet<i64> {
    item["tags"].as_array().unwrap().iter().map(id).collect()
}

/// Manual positions are unique within each list (items by profile and folder; folders by
/// profile and parent) and short.
fn assert_positions(what: &str, rows: impl Iterator<Item = (String, String)>) {
    let mut seen: HashMap<String, HashSet<String>> = HashMap::new();
    let mut longest = 0;
    for (list, position) in rows {
        longest = longest.max(position.len());
        assert!(
            seen.entry(list.clone())
                .or_default()
                .insert(position.clone()),
            "{what}: position {position} twice in list {list}"
        );
    }
    assert!(longest <= 16, "{what}: a position of {longest} characters");
}

both_backends!(
    fn fifty_clients_mixing_every_write_lose_nothing_and_refuse_nothing(app) {
        let alice = furnish(&app, "alice@example.com").await;
        let bob = furnish(&app, "bob@example.com").await;
        let observed = Arc::new(Mutex::new(Observed::default()));
        let started = Instant::now();
        let until = started + load_time();
        let mut tasks = Vec::new();
        for (acct, clients) in [(&alice, CLIENTS_ON_ALICE), (&bob, CLIENTS_ON_BOB)] {
            for n in 0..clients {
                let acct = acct.clone();
                let observed = observed.clone();
                tasks.push((
                    acct.client.email.clone(),
                    tokio::spawn(client_loop(n, clients, acct, until, observed)),
                ));
            }
        }
        let mut own_by_account: HashMap<String, (HashMap<i64, OwnItem>, Vec<i64>)> =
            HashMap::new();
        for (email, task) in tasks {
            let (own, deleted) = task.await.expect("client task");
            let entry = own_by_account.entry(email).or_default();
            entry.0.extend(own);
            entry.1.extend(deleted);
        }
        let elapsed = started.elapsed();
        // Every client is done: take what they observed out of the lock.
        let obs = std::mem::take(&mut *observed.lock().unwrap());
        let total: u64 = obs.statuses.values().sum();
        eprintln!(
            "{:?}: {total} writes in {:.1} s ({:.0}/s); statuses {:?}",
            app.backend,
            elapsed.as_secs_f64(),
            total as f64 / elapsed.as_secs_f64(),
            obs.statuses
        );
        assert!(
            obs.failures.is_empty(),
            "{} failures, e.g. {:#?}",
            obs.failures.len(),
            &obs.failures[..obs.failures.len().min(10)]
        );
        assert!(total > 500, "the load barely ran: {total} writes");

        for acct in [&alice, &bob] {
            let c = &acct.client;
            let items = all_items(c).await;
            let (own, deleted) = &own_by_account[&c.email];
            for (item_id, expected) in own {
                let got = items
                    .get(item_id)
                    .unwrap_or_else(|| panic!("acknowledged item {item_id} is missing"));
                let actual = OwnItem {
                    profile_id: got["profile_id"].as_i64().unwrap(),
                    folder_id: got["folder_id"].as_i64(),
                    title: got["title"].as_str().unwrap().into(),
                    memo: got["memo"].as_str().unwrap().into(),
                    status: got["status"].as_str().unwrap().into(),
                    priority: got["priority"].as_str().unwrap().into(),
                    tags: tag_set(got),
                    archived: !got["archived_at"].is_null(),
                    trashed: !got["trashed_at"].is_null(),
                    favorite: got["favorite"].as_bool().unwrap(),
                };
                assert_eq!(&actual, expected, "item {item_id} is not what its writes made it");
            }
            for item_id in deleted {
                assert!(!items.contains_key(item_id), "deleted item {item_id} is back");
            }
            assert_eq!(
                items.len(),
                SHARED_ITEMS + own.len(),
                "items that nobody acknowledged creating, or lost ones"
            );
            for s in &acct.shared {
                let got = &items[&s.id];
                let none = SharedWrites::default();
                let w = obs.shared.get(&s.id).unwrap_or(&none);
                let n = acct.shared.iter().position(|x| x.id == s.id).unwrap();
                let title = w.title.clone().unwrap_or(format!("shared {n}"));
                assert_eq!(got["title"], title.as_str(), "item {}: a title write was lost", s.id);
                assert_eq!(got["memo"], w.memo.clone().unwrap_or_default().as_str(),
                    "item {}: a memo write was lost (or undone by a concurrent patch)", s.id);
                let mut statuses = w.statuses.clone();
                statuses.insert("undecided".into());
                assert!(statuses.contains(got["status"].as_str().unwrap()), "item {}: status {} was never written", s.id, got["status"]);
                let mut archived = w.archived.clone();
                archived.insert(false);
                assert!(archived.contains(&!got["archived_at"].is_null()), "item {}", s.id);
                let mut trashed = w.trashed.clone();
                trashed.insert(false);
                assert!(trashed.contains(&!got["trashed_at"].is_null()), "item {}", s.id);
                assert_eq!(tag_set(got), w.tags_added, "item {}: tags added concurrently were lost", s.id);
                assert_eq!(got["folder_id"].as_i64(), s.folder_id, "item {} left its folder", s.id);
                assert_eq!(got["profile_id"].as_i64(), Some(s.profile_id));
            }
            assert_positions(
                "items",
                items.values().map(|i| {
                    (
                        format!("{}/{}", i["profile_id"], i["folder_id"]),
                        i["position"].as_str().unwrap().to_owned(),
                    )
                }),
            );
            let mut folders = Vec::new();
            for p in &acct.profiles {
                let list = expect(c.get(&format!("/folders?profile_id={p}")).await, 200);
                folders.extend(list.as_array().unwrap().clone());
            }
            for f in &folders {
                if let Some(name) = obs.folders.get(&id(f)) {
                    assert_eq!(f["name"], name.as_str(), "folder {} lost its rename", id(f));
                }
            }
            assert_positions(
                "folders",
                folders.iter().map(|f| {
                    (
                        format!("{}/{}", f["profile_id"], f["parent_id"]),
                        f["position"].as_str().unwrap().to_owned(),
                    )
                }),
            );
        }
    }
);

both_backends!(
    fn acknowledged_writes_survive_a_kill_in_the_middle_of_the_load(app) {
        let mut app = app;
        let acct = furnish(&app, "carol@example.com").await;
        let created = Arc::new(Mutex::new(Vec::<i64>::new()));
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let mut tasks = Vec::new();
        for n in 0..20 {
            let (acct, created, stop) = (acct.clone(), created.clone(), stop.clone());
            tasks.push(tokio::spawn(async move {
                let mut rng = StdRng::seed_from_u64(n);
                let mut step = 0;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    step += 1;
                    let profile_id = acct.profiles[0];
                    let folder = *pick(&mut rng, &acct.folders[&profile_id]);
                    if rng.gen_bool(0.7) {
                        let body = json!({"profile_id": profile_id, "folder_id": folder,
                            "title": format!("k{n}-{step}"), "tag_ids": [acct.tags[0]]});
                        if let Ok((201, item)) = acct.client.try_send(Method::POST, "/items", Some(body)).await {
                            created.lock().unwrap().push(id(&item));
                        }
                    } else {
                        let s = pick(&mut rng, &acct.shared);
                        let other = pick(&mut rng, &acct.shared);
                        if s.id != other.id && s.folder_id == other.folder_id && s.profile_id == other.profile_id {
                            let _ = acct.client.try_send(Method::POST, &format!("/items/{}/move", s.id),
                                Some(json!({"after_id": other.id}))).await;
                        }
                    }
                    if step % 50 == 0 {
                        tokio::task::yield_now().await;
                    }
                }
            }));
        }
        tokio::time::sleep(Duration::from_millis(1500)).await;
        app.kill_hard();
        tokio::time::sleep(Duration::from_millis(300)).await;
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        for t in tasks {
            t.await.expect("client task");
        }
        app.restart().await;
        let acked = created.lock().unwrap().clone();
        assert!(acked.len() > 50, "the load barely ran before the kill: {}", acked.len());
        let items = all_items(&acct.client).await;
        for item_id in &acked {
            let item = items
                .get(item_id)
                .unwrap_or_else(|| panic!("acknowledged item {item_id} was lost in the kill"));
            assert_eq!(tag_set(item), BTreeSet::from([acct.tags[0]]), "item {item_id} lost its tag");
        }
        assert_positions(
            "items after the kill",
            items.values().map(|i| {
                (
                    format!("{}/{}", i["profile_id"], i["folder_id"]),
                    i["position"].as_str().unwrap().to_owned(),
                )
            }),
        );
        // The restarted server takes writes at once.
        acct.client.item(acct.profiles[0], "after the restart").await;
    }
);
