//! Demo data: an account whose every profile holds a folder tree three levels deep, tags,
//! categories and realistic items in Japanese and English. Deterministic (a fixed RNG seed)
//! and idempotent: an account that already has items is left alone.
//!
//! Rows are inserted in large batches inside one transaction, so the benchmark's 100,000
//! items load in seconds on either database.

use chrono::{Duration, Utc};
use rand::{rngs::StdRng, seq::SliceRandom, Rng, SeedableRng};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Set,
};

use crate::{
    auth::password::Hasher,
    db::{Db, Dialect},
    domain::{now, ItemKind, Locale, Priority, Role, Status},
    entity::{category, folder, item, item_tag, tag},
    store::{items::search_text, position, profiles, search, users},
};

pub const DEMO_EMAIL: &str = "demo@tidilyspace.local";
pub const DEMO_PASSWORD: &str = "tidily-demo-password";

const TAGS: [(&str, &str); 12] = [
    ("rust", "#b7410e"),
    ("web", "#2563eb"),
    ("database", "#0f766e"),
    ("aws", "#d97706"),
    ("デザイン", "#db2777"),
    ("料理", "#65a30d"),
    ("旅行", "#0891b2"),
    ("読書", "#7c3aed"),
    ("video", "#dc2626"),
    ("paper", "#4b5563"),
    ("tool", "#ca8a04"),
    ("あとで読む", "#9333ea"),
];

const CATEGORIES: [(&str, &str); 6] = [
    ("Article", "#2563eb"),
    ("Documentation", "#0f766e"),
    ("Video", "#dc2626"),
    ("ニュース", "#d97706"),
    ("チュートリアル", "#7c3aed"),
    ("Shopping", "#65a30d"),
];

/// A top-level folder, its two children and their two children each.
type FolderTree = (&'static str, [(&'static str, [&'static str; 2]); 2]);

const FOLDERS: [FolderTree; 4] = [
    (
        "Tech",
        [
            ("Rust", ["async", "web frameworks"]),
            ("Databases", ["PostgreSQL", "SQLite"]),
        ],
    ),
    (
        "仕事",
        [
            ("プロジェクトA", ["設計", "議事録"]),
            ("採用", ["面接", "資料"]),
        ],
    ),
    (
        "Life",
        [("料理", ["和食", "パン"]), ("旅行", ["東京", "京都"])],
    ),
    (
        "Learning",
        [
            ("英語", ["Podcast", "単語"]),
            ("数学", ["線形代数", "統計"]),
        ],
    ),
];

const SUBJECTS: [&str; 24] = [
    "東京タワーの夜景スポット",
    "Rust の非同期ランタイム入門",
    "PostgreSQL index tuning guide",
    "京都の紅葉 2026",
    "Understanding SQLite WAL mode",
    "axum middleware patterns",
    "はじめての Terraform",
    "The Twelve-Factor App",
    "おいしい食パンの焼き方",
    "Designing data-intensive applications",
    "東京駅周辺のランチ",
    "AWS Fargate cost optimisation",
    "CSS container queries explained",
    "大阪・梅田の本屋めぐり",
    "Keyset pagination done right",
    "統計学のための線形代数",
    "WebAuthn in practice",
    "英語のシャドーイング練習",
    "Observability with OpenTelemetry",
    "北海道ツーリング計画",
    "HTTP caching headers",
    "睡眠の質を上げる10の習慣",
    "Zero-downtime database migrations",
    "Aurora Serverless v2 の仕組み",
];

const SITES: [&str; 10] = [
    "https://docs.rs/",
    "https://developer.mozilla.org/ja/docs/",
    "https://zenn.dev/articles/",
    "https://qiita.com/items/",
    "https://www.youtube.com/watch?v=",
    "https://www.postgresql.org/docs/15/",
    "https://aws.amazon.com/jp/blogs/",
    "https://blog.rust-lang.org/",
    "https://www.sqlite.org/",
    "https://news.example.jp/",
];

const MEMOS: [&str; 6] = [
    "",
    "週末に読む。要点をメモしておく。",
    "Key points:\n- read section 3\n- try the examples",
    "同僚におすすめされた。チームで共有したい。",
    "Follow-up: compare with last year's notes.",
    "🔖 後で動画も確認する",
];

/// What `seed` did.
pub struct Report {
    pub email: String,
    pub created: bool,
    pub items: u64,
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.created {
            write!(f, "seeded {} with {} items", self.email, self.items)
        } else {
            write!(
                f,
                "{} already has {} items; nothing to do",
                self.email, self.items
            )
        }
    }
}

/// How much to seed.
#[derive(Debug, Clone, Copy)]
pub struct Size {
    pub items_per_profile: u32,
    /// Bytes of page text indexed per item (0: none).
    pub page_bytes: usize,
}

/// Sentences page texts are made of, Japanese and English. 東京 is in most pages; 京都 in
/// a few per cent; `zephyr` is added to one page in a thousand; ペリカン is in none.
const PAGE_SENTENCES: [&str; 16] = [
    "東京の天気は晴れのち曇り、夕方から雨が降るでしょう。",
    "全文検索の仕組みを、転置索引とバイグラムから説明します。",
    "データベースの索引は、読み出しを速くする代わりに書き込みを遅くします。",
    "東京駅から歩いて十分ほどの場所に、新しい図書館ができました。",
    "非同期処理では、待ち時間の間に別の仕事を進められます。",
    "今日の会議では、来月の予定と予算について話し合いました。",
    "ブックマークを整理すると、読みたい記事がすぐに見つかります。",
    "東京と大阪を結ぶ新幹線は、二時間半ほどで着きます。",
    "Rust makes systems programming safer without a garbage collector.",
    "The quick brown fox jumps over the lazy dog near the river bank.",
    "Bookmarks are only useful when you can find them again later.",
    "A reading list grows faster than anyone can read it, so prioritise.",
    "Search engines build an inverted index from words to documents.",
    "PostgreSQL and SQLite both offer full-text search with different tokenizers.",
    "Caching the hot path keeps the median latency low under load.",
    "Small modules with one job each are easier to read and to test.",
];

/// About `bytes` of page text.
fn page_text(rng: &mut StdRng, bytes: usize) -> String {
    let mut text = String::with_capacity(bytes + 200);
    if rng.gen_bool(0.02) {
        text.push_str("秋の京都で紅葉を見る。");
    }
    if rng.gen_bool(0.001) {
        text.push_str("A zephyr drifted through the archive. ");
    }
    while text.len() < bytes {
        text.push_str(PAGE_SENTENCES[rng.gen_range(0..PAGE_SENTENCES.len())]);
        text.push(' ');
    }
    text
}

/// Creates the account `email` (if needed) and fills it, unless it already has items.
pub async fn run(db: &Db, email: &str, pw: &str, size: Size) -> anyhow::Result<Report> {
    let per_profile = size.items_per_profile;
    let user = match users::find_by_email(db, email).await? {
        Some(u) => u,
        None => users::create(
            db,
            users::NewUser {
                email: email.to_owned(),
                password_hash: Hasher::new(1).hash(pw.to_owned()).await?,
                display_name: "Demo".to_owned(),
                locale: Locale::Ja,
                role: Role::User,
            },
        )
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?,
    };
    let existing = item::Entity::find()
        .filter(item::Column::UserId.eq(user.id))
        .count(db.read())
        .await?;
    if existing > 0 {
        return Ok(Report {
            email: user.email,
            created: false,
            items: existing,
        });
    }

    let mut rng = StdRng::seed_from_u64(0x7D1_5EED);
    let tx = db.write_for(user.id).await?;
    let now = now();
    let mut tag_ids = Vec::new();
    for (name, color) in TAGS {
        let row = tag::ActiveModel {
            user_id: Set(user.id),
            name: Set(name.to_owned()),
            color: Set(color.to_owned()),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        };
        tag_ids.push(row.insert(&*tx).await?.id);
    }
    let mut category_ids = Vec::new();
    for (name, color) in CATEGORIES {
        let row = category::ActiveModel {
            user_id: Set(user.id),
            name: Set(name.to_owned()),
            color: Set(color.to_owned()),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        };
        category_ids.push(row.insert(&*tx).await?.id);
    }

    let mut total = 0u64;
    for profile in profiles::list(&*tx, user.id).await? {
        let folder_ids = seed_folders(&*tx, user.id, profile.id).await?;
        let mut last_position: Option<String> = None;
        let mut batch = Vec::new();
        for n in 0..per_profile {
            let pos = position::after(last_position.as_deref())?;
            last_position = Some(pos.clone());
            // Saved over the past year, oldest first: IDs and creation times rise together,
            // as they do when people use the product.
            let age = Duration::seconds(
                i64::from(per_profile - n) * 365 * 86_400 / i64::from(per_profile),
            );
            let created = chrono::SubsecRound::trunc_subsecs(now - age, 3);
            batch.push(random_item(
                &mut rng,
                user.id,
                profile.id,
                &folder_ids,
                &category_ids,
                n,
                pos,
                created,
            ));
            if batch.len() == 1000 || n + 1 == per_profile {
                let batch = std::mem::take(&mut batch);
                total += insert_batch(&*tx, batch, &tag_ids, size.page_bytes, &mut rng).await?;
            }
        }
    }
    tx.commit().await?;
    // A bulk load ends as a library used for a while would be: its search index compact
    // (as housekeeping keeps it), fresh statistics for the planners, and on PostgreSQL the
    // visibility map set, so that autovacuum does not arrive during the first measurements.
    search::compact(db, usize::MAX).await?;
    if db.dialect() == Dialect::Postgres {
        db.read().execute_unprepared("VACUUM").await?;
    }
    db.read().execute_unprepared("ANALYZE").await?;
    Ok(Report {
        email: user.email,
        created: true,
        items: total,
    })
}

/// Four top-level folders, each with two children, each with two grandchildren.
async fn seed_folders(
    tx: &impl sea_orm::ConnectionTrait,
    user_id: i64,
    profile_id: i64,
) -> anyhow::Result<Vec<i64>> {
    let mut ids = Vec::new();
    let make = |name: &str, parent: Option<i64>, pos: String| {
        let now = now();
        folder::ActiveModel {
            user_id: Set(user_id),
            profile_id: Set(profile_id),
            parent_id: Set(parent),
            name: Set(name.to_owned()),
            memo: Set(String::new()),
            position: Set(pos),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
    };
    let mut top_pos: Option<String> = None;
    for (top, children) in FOLDERS {
        let p = position::after(top_pos.as_deref())?;
        top_pos = Some(p.clone());
        let top_id = make(top, None, p).insert(tx).await?.id;
        ids.push(top_id);
        let mut child_pos: Option<String> = None;
        for (child, grandchildren) in children {
            let p = position::after(child_pos.as_deref())?;
            child_pos = Some(p.clone());
            let child_id = make(child, Some(top_id), p).insert(tx).await?.id;
            ids.push(child_id);
            let mut gc_pos: Option<String> = None;
            for gc in grandchildren {
                let p = position::after(gc_pos.as_deref())?;
                gc_pos = Some(p.clone());
                ids.push(make(gc, Some(child_id), p).insert(tx).await?.id);
            }
        }
    }
    Ok(ids)
}

#[allow(clippy::too_many_arguments)]
fn random_item(
    rng: &mut StdRng,
    user_id: i64,
    profile_id: i64,
    folder_ids: &[i64],
    category_ids: &[i64],
    n: u32,
    position: String,
    created: chrono::DateTime<Utc>,
) -> item::ActiveModel {
    let subject = SUBJECTS[rng.gen_range(0..SUBJECTS.len())];
    let title = format!("{subject} #{}", n + 1);
    let url = Some(format!(
        "{}{}-{}",
        SITES[rng.gen_range(0..SITES.len())],
        rng.gen_range(1000..99999),
        n
    ));
    let memo = MEMOS[rng.gen_range(0..MEMOS.len())].to_owned();
    let kind = if rng.gen_bool(0.3) {
        ItemKind::ReadingList
    } else {
        ItemKind::Bookmark
    };
    let status = *[
        Status::Undecided,
        Status::NotStarted,
        Status::InProgress,
        Status::OnHold,
        Status::Done,
    ]
    .choose(rng)
    .expect("non-empty");
    let priority = *[Priority::High, Priority::Mid, Priority::Mid, Priority::Low]
        .choose(rng)
        .expect("non-empty");
    let scheduled = rng.gen_bool(0.3);
    let start = scheduled.then(|| {
        chrono::SubsecRound::trunc_subsecs(Utc::now(), 0)
            + Duration::hours(rng.gen_range(-24 * 30..24 * 60))
    });
    let end = start
        .filter(|_| rng.gen_bool(0.6))
        .map(|s| s + Duration::hours(rng.gen_range(1..24 * 5)));
    let reminder = start
        .filter(|_| rng.gen_bool(0.4))
        .map(|s| s - Duration::hours(2));
    item::ActiveModel {
        user_id: Set(user_id),
        profile_id: Set(profile_id),
        folder_id: Set(rng
            .gen_bool(0.8)
            .then(|| folder_ids[rng.gen_range(0..folder_ids.len())])),
        category_id: Set(rng
            .gen_bool(0.7)
            .then(|| category_ids[rng.gen_range(0..category_ids.len())])),
        kind: Set(kind),
        search_text: Set(search_text(&title, url.as_deref(), &memo, "")),
        url_key: Set(url.as_deref().and_then(tidily_core::domain::url_key::of)),
        title: Set(title),
        url: Set(url),
        memo: Set(memo),
        status: Set(status),
        priority: Set(priority),
        schedule_start: Set(start),
        schedule_end: Set(end),
        reminder_at: Set(reminder),
        favorite: Set(rng.gen_bool(0.1)),
        archived_at: Set(rng.gen_bool(0.05).then_some(created)),
        // Recently trashed, so the retention purge does not empty it at once.
        trashed_at: Set(rng.gen_bool(0.03).then(|| {
            chrono::SubsecRound::trunc_subsecs(
                Utc::now() - Duration::hours(rng.gen_range(1..240)),
                3,
            )
        })),
        position: Set(position),
        created_at: Set(created),
        updated_at: Set(created),
        ..Default::default()
    }
}

async fn insert_batch(
    tx: &impl sea_orm::ConnectionTrait,
    batch: Vec<item::ActiveModel>,
    tag_ids: &[i64],
    page_bytes: usize,
    rng: &mut StdRng,
) -> anyhow::Result<u64> {
    let inserted = item::Entity::insert_many(batch)
        .exec_with_returning_many(tx)
        .await?;
    let mut chunks = Vec::new();
    for it in &inserted {
        chunks.push(search::fields_chunk(it.id, it.user_id, &it.search_text));
        if page_bytes > 0 {
            let text = page_text(rng, page_bytes);
            chunks.extend(search::page_chunks(it.id, it.user_id, &text));
        }
    }
    search::insert(tx, &chunks).await?;
    let mut links = Vec::new();
    for it in &inserted {
        let count = rng.gen_range(0..4);
        let mut tags: Vec<i64> = tag_ids.choose_multiple(rng, count).copied().collect();
        tags.sort_unstable();
        links.extend(tags.into_iter().map(|t| item_tag::ActiveModel {
            item_id: Set(it.id),
            tag_id: Set(t),
        }));
    }
    for chunk in links.chunks(5000) {
        item_tag::Entity::insert_many(chunk.to_vec())
            .exec(tx)
            .await?;
    }
    Ok(inserted.len() as u64)
}
