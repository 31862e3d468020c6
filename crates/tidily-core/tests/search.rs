//! Search inside pages, Japanese included, on a real SQLite file and on PostgreSQL: two- and
//! one-character Japanese words, longer phrases, mixed Japanese and English, full- and
//! half-width forms, a phrase deep in a long page, owners kept apart, and the index following
//! the item through edits, re-captures and deletion.

#[macro_use]
mod common;

use common::{user, TestDb};
use sea_orm::{ConnectionTrait, Statement};
use tidily_core::{
    db::Db,
    domain::search,
    store::{
        item_query::{self, Direction, ItemFilter, SortKey},
        items::{self, NewTags},
        search as index,
    },
};

/// An item titled `title` whose page text is `page`.
async fn item(db: &Db, user: (i64, i64), title: &str, page: &str) -> i64 {
    let id = common::item(db, user, title, None).await;
    let tx = db.write().await.unwrap();
    index::index_page(&*tx, id, user.0, page).await.unwrap();
    tx.commit().await.unwrap();
    id
}

/// Titles of the user's items that `q` finds, sorted.
async fn find(db: &Db, user: (i64, i64), q: &str) -> Vec<String> {
    let filter = ItemFilter {
        search: Some(search::query(q)),
        limit: 200,
        ..ItemFilter::default()
    };
    let mut titles: Vec<String> = item_query::list(db, user.0, &filter)
        .await
        .unwrap()
        .items
        .into_iter()
        .map(|m| m.title)
        .collect();
    titles.sort();
    titles
}

/// About 30,000 words of filler with `phrase` near the end: past PostgreSQL's 16,383
/// positions, so only chunking finds it.
fn long_page(phrase: &str) -> String {
    let mut text = "lorem ipsum dolor sit amet ".repeat(6_000);
    text.push_str(phrase);
    text.push_str(" consectetur adipiscing elit");
    text
}

both!(japanese_words_are_found_in_page_text, |db| {
    let db = db.pool().await;
    let me = user(&db, "a@example.com").await;
    item(
        &db,
        me,
        "tokyo",
        "東京の天気は晴れ。全文検索エンジンを作る。",
    )
    .await;
    item(&db, me, "kyoto", "京都の紅葉。検索する人。").await;
    item(&db, me, "mixed", "Rust と SQLite で全文検索を書く。").await;
    item(&db, me, "width", "ＳＱＬｉｔｅとｶﾀｶﾅのページ").await;
    item(&db, me, "reverse", "京東という並び").await;
    item(&db, me, "long", &long_page("深いところにある東京タワー")).await;
    item(&db, me, "english", "A common word and a rare zephyr").await;

    let cases: &[(&str, &[&str])] = &[
        ("東京", &["long", "tokyo"]),
        ("京都", &["kyoto"]),
        ("検索", &["kyoto", "mixed", "tokyo"]),
        ("全文検索", &["mixed", "tokyo"]),
        ("東", &["long", "reverse", "tokyo"]),
        ("都", &["kyoto"]),
        ("rust 全文検索", &["mixed"]),
        ("Rust と SQLite", &["mixed"]),
        ("sqlite", &["mixed", "width"]),
        ("ＲＵＳＴ", &["mixed"]),
        ("カタカナ", &["width"]),
        ("ｶﾀｶﾅ", &["width"]),
        ("東京タワー", &["long"]),
        ("深いところにある東京タワー", &["long"]),
        ("zephyr", &["english"]),
        ("word", &["english"]),
        ("nowhere", &[]),
        ("京東", &["reverse"]),
        ("東京 nowhere", &[]),
    ];
    for (q, want) in cases {
        assert_eq!(find(&db, me, q).await, *want, "q={q}");
    }
});

both!(the_index_follows_the_item_and_its_owner, |db| {
    let db = db.pool().await;
    let me = user(&db, "a@example.com").await;
    let other = user(&db, "b@example.com").await;
    let mine = item(&db, me, "mine", "共有しない東京のメモ").await;
    item(&db, other, "theirs", "他人の東京のメモ").await;
    assert_eq!(find(&db, me, "東京").await, ["mine"]);
    assert_eq!(find(&db, other, "東京").await, ["theirs"]);

    // A new page replaces the old one's words.
    let tx = db.write().await.unwrap();
    index::index_page(&*tx, mine, me.0, "大阪の話に変わった")
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(find(&db, me, "東京").await, Vec::<String>::new());
    assert_eq!(find(&db, me, "大阪").await, ["mine"]);

    // Edited fields are searched as they are now.
    items::update(&db, me.0, mine, &NewTags::none(), |f| {
        f.title = "名古屋 renamed".into();
        Ok(())
    })
    .await
    .unwrap();
    assert_eq!(find(&db, me, "名古屋").await, ["名古屋 renamed"]);
    assert_eq!(find(&db, me, "mine").await, Vec::<String>::new());

    // A purged item leaves nothing in the index.
    items::purge(&db, me.0, &[mine]).await.unwrap();
    assert_eq!(find(&db, me, "大阪").await, Vec::<String>::new());
    let backend = db.read().get_database_backend();
    let sql = match backend {
        sea_orm::DbBackend::Sqlite => format!(
            "SELECT COUNT(*) AS n FROM search_fts WHERE rowid BETWEEN {} AND {}",
            mine * 128,
            mine * 128 + 127
        ),
        _ => format!("SELECT COUNT(*) AS n FROM search_chunks WHERE item_id = {mine}"),
    };
    let left = db
        .read()
        .query_one(Statement::from_string(backend, sql))
        .await
        .unwrap()
        .unwrap()
        .try_get::<i64>("", "n")
        .unwrap();
    assert_eq!(left, 0, "the purged item's words are gone from the index");
});

both!(a_common_word_lists_in_order_like_a_rare_one, |db| {
    let db = db.pool().await;
    let me = user(&db, "a@example.com").await;
    // More matches than the point where SQLite walks the list instead of sorting the hits.
    let mut ids = Vec::new();
    for n in 0..1_100 {
        let page = if n % 100 == 7 {
            "東京と zephyr"
        } else {
            "東京の話"
        };
        ids.push(item(&db, me, &format!("item {n}"), page).await);
    }
    for (q, want) in [("東京", 1_100), ("zephyr", 11)] {
        let mut seen = Vec::new();
        let mut filter = ItemFilter {
            search: Some(search::query(q)),
            limit: 200,
            ..ItemFilter::default()
        };
        loop {
            let page = item_query::list(&db, me.0, &filter).await.unwrap();
            seen.extend(page.items.iter().map(|m| m.id));
            let Some(next) = page.next_cursor else { break };
            filter.cursor = item_query::Cursor::decode(&next);
        }
        assert_eq!(seen.len(), want, "q={q}");
        let mut newest_first = seen.clone();
        newest_first.sort_unstable_by(|a, b| b.cmp(a));
        assert_eq!(seen, newest_first, "q={q}: newest first, each once");
    }
});

/// The titles of every page of the user's items that `q` finds in `sort` order, `limit` at a
/// time, following the cursor to the end.
async fn walk_pages(
    db: &Db,
    user: (i64, i64),
    q: &str,
    sort: SortKey,
    dir: Direction,
) -> Vec<String> {
    let mut titles = Vec::new();
    let mut cursor = None;
    loop {
        let filter = ItemFilter {
            search: Some(search::query(q)),
            sort,
            direction: dir,
            limit: 4,
            cursor,
            ..ItemFilter::default()
        };
        let page = item_query::list(db, user.0, &filter).await.unwrap();
        titles.extend(page.items.into_iter().map(|m| m.title));
        match page.next_cursor {
            Some(c) => cursor = Some(item_query::Cursor::decode(&c).unwrap()),
            None => return titles,
        }
    }
}

both!(every_plan_finds_the_same_items_in_order, |db| {
    // How a term's matches meet the list depends on how many there are (`index::matches`):
    // read by ID when few, looked up in a collected set or probed item by item when many.
    // Each way must give the same pages in the same order.
    let db = db.pool().await;
    let me = user(&db, "a@example.com").await;
    for i in 0..20 {
        let word = if i % 2 == 0 { "alpha" } else { "beta" };
        item(
            &db,
            me,
            &format!("t{:02}", (i * 7) % 20),
            &format!("{word} text {i}"),
        )
        .await;
    }
    let want_created: Vec<String> = (0..20)
        .rev()
        .filter(|i| i % 2 == 0)
        .map(|i| format!("t{:02}", (i * 7) % 20))
        .collect();
    let mut want_title = want_created.clone();
    want_title.sort();
    let check = || async {
        assert_eq!(
            walk_pages(&db, me, "alpha", SortKey::Created, Direction::Desc).await,
            want_created
        );
        assert_eq!(
            walk_pages(&db, me, "alpha", SortKey::Title, Direction::Asc).await,
            want_title
        );
        // Ranked: no title holds the word, so all are in the second band, newest first.
        assert_eq!(
            walk_pages(&db, me, "alpha", SortKey::Relevance, Direction::Desc).await,
            want_created
        );
    };
    check().await;

    // More matches elsewhere move the term into the other plans: on SQLite, rows of items
    // that do not exist (its index is shared by every account, and counted as one); on
    // PostgreSQL, archived items of the same account (counted, not listed).
    let backend = db.read().get_database_backend();
    if backend == sea_orm::DbBackend::Sqlite {
        let mut next = 1_000_000_000_i64;
        for total in [index::DRIVE_SQLITE + 1, index::COMMON_SQLITE + 1] {
            let chunks: Vec<_> = (next..1_000_000_000 + total)
                .map(|id| index::fields_chunk(id, 0, "alpha elsewhere"))
                .collect();
            next = 1_000_000_000 + total;
            let tx = db.write().await.unwrap();
            index::insert(&*tx, &chunks).await.unwrap();
            tx.commit().await.unwrap();
            check().await;
        }
    } else {
        let mut archived = Vec::new();
        for i in 0..index::RARE_POSTGRES {
            archived.push(item(&db, me, &format!("archived {i}"), "alpha archived").await);
        }
        items::apply(&db, me.0, &archived, items::Change::Archive)
            .await
            .unwrap();
        check().await;
    }
});

both!(compaction_merges_the_index_and_keeps_every_word, |db| {
    let db = db.pool().await;
    let me = user(&db, "a@example.com").await;
    if db.read().get_database_backend() != sea_orm::DbBackend::Sqlite {
        // PostgreSQL's index has no segments: nothing to merge.
        assert!(index::compact(&db, 0).await.unwrap());
        assert_eq!(index::segments(&db).await.unwrap(), 1);
        return;
    }
    // Each write adds a segment to the SQLite index; FTS5 merges only those of one size.
    let mut n = 0;
    while index::segments(&db).await.unwrap() <= index::SEGMENTS_MAX {
        item(&db, me, &format!("n{n}"), &format!("東京 第{n}回")).await;
        n += 1;
        assert!(
            n < 200,
            "the index stays in {} segments",
            index::SEGMENTS_MAX
        );
    }
    // No steps: not done; enough steps: the fragmented index merged into one segment (the
    // other left alone while it has few), nothing more to do, and every word still found.
    assert!(!index::compact(&db, 0).await.unwrap());
    assert!(index::compact(&db, 1_000).await.unwrap());
    assert!(index::segments(&db).await.unwrap() <= index::SEGMENTS_MAX);
    assert!(index::compact(&db, 0).await.unwrap());
    assert_eq!(find(&db, me, "東京").await.len(), n);
    assert_eq!(find(&db, me, "第0回").await, ["n0"]);
});

both!(
    relevance_ranks_items_holding_the_terms_in_their_own_fields_first,
    |db| {
        let db = db.pool().await;
        let me = user(&db, "a@example.com").await;
        let other = user(&db, "b@example.com").await;
        // Oldest first.
        item(&db, me, "東京ガイド", "ページには何もない").await;
        item(&db, me, "雑記", "本文にだけ東京がある").await;
        item(&db, me, "東京タワー tower", "本文にも東京").await;
        item(&db, me, "tower", "東京の話").await;
        item(&db, me, "無関係", "何もない").await;
        item(&db, other, "東京 tower", "他人の東京").await;

        let ranked = |q: &'static str, limit: u64| {
            let db = &db;
            async move {
                let mut pages = Vec::new();
                let mut cursor = None;
                loop {
                    let filter = ItemFilter {
                        search: Some(search::query(q)),
                        sort: SortKey::Relevance,
                        direction: Direction::Desc,
                        limit,
                        cursor,
                        ..ItemFilter::default()
                    };
                    let page = item_query::list(db, me.0, &filter).await.unwrap();
                    pages.push(page.items.into_iter().map(|m| m.title).collect::<Vec<_>>());
                    match page.next_cursor {
                        Some(c) => cursor = Some(item_query::Cursor::decode(&c).unwrap()),
                        None => return pages,
                    }
                }
            }
        };
        // Titles holding 東京 first (newest first), then the pages.
        let want = ["東京タワー tower", "東京ガイド", "tower", "雑記"];
        assert_eq!(ranked("東京", 10).await, [want.to_vec()]);
        // A page boundary inside either band and across them: nothing lost or repeated.
        for limit in 1..=4 {
            let pages = ranked("東京", limit).await;
            assert!(pages.iter().all(|p| p.len() as u64 <= limit));
            assert_eq!(pages.concat(), want, "limit {limit}");
        }
        // Every term must be in the fields for the first band.
        assert_eq!(
            ranked("東京 tower", 10).await,
            [vec!["東京タワー tower", "tower"]]
        );
        // Creation order, when asked for.
        assert_eq!(
            walk_pages(&db, me, "東京", SortKey::Created, Direction::Desc).await,
            ["tower", "東京タワー tower", "雑記", "東京ガイド"]
        );
    }
);
