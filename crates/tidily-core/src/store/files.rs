//! Stored files in the database: a `files` row per distinct content, items referring to them
//! by digest (`items.favicon_digest`, `preview_digest`, `archive_digest`, and the archive's
//! images in `archive_images`).
//!
//! A file's row is written (`touch`) before its bytes are put and again whenever it is stored
//! anew, and collection removes only files that nothing refers to and that have not been
//! touched for a while, in a transaction that holds the row while the bytes are deleted: a
//! capture storing the same image meanwhile waits for it and then writes both afresh.

use chrono::{DateTime, Utc};
use sea_orm::{
    sea_query::{Expr, OnConflict, Query, UnionType},
    ColumnTrait, ConnectionTrait, EntityTrait, Iterable, QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::{
    db::Db,
    domain::{
        file::{Digest, FileRole},
        now,
    },
    entity::{archive_image, file, item},
    error::CoreResult,
    store::find_owned,
};

/// A file about to be stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFile {
    pub digest: Digest,
    pub size: i64,
    pub content_type: &'static str,
    pub width: u32,
    pub height: u32,
}

fn column(role: FileRole) -> item::Column {
    match role {
        FileRole::Favicon => item::Column::FaviconDigest,
        FileRole::Preview => item::Column::PreviewDigest,
        FileRole::Archive => item::Column::ArchiveDigest,
    }
}

/// Records the file as in use now (creating its row): call it before putting its bytes.
pub async fn touch(db: &Db, f: &NewFile) -> CoreResult<()> {
    let now = now();
    let row = file::ActiveModel {
        digest: Set(f.digest.as_str().to_owned()),
        size: Set(f.size),
        content_type: Set(f.content_type.to_owned()),
        width: Set(f.width.try_into().unwrap_or(i32::MAX)),
        height: Set(f.height.try_into().unwrap_or(i32::MAX)),
        created_at: Set(now),
        used_at: Set(now),
    };
    let tx = db.write().await?;
    file::Entity::insert(row)
        .on_conflict(
            OnConflict::column(file::Column::Digest)
                .update_column(file::Column::UsedAt)
                .to_owned(),
        )
        .exec_without_returning(&*tx)
        .await?;
    tx.commit().await
}

/// The user's items.
fn items_of(user_id: i64) -> sea_orm::sea_query::SelectStatement {
    Query::select()
        .column(item::Column::Id)
        .from(item::Entity)
        .and_where(item::Column::UserId.eq(user_id))
        .to_owned()
}

/// The digests the user's items refer to, each once.
fn referenced_by(user_id: i64) -> sea_orm::sea_query::SelectStatement {
    let mut all = Query::select()
        .column(archive_image::Column::Digest)
        .from(archive_image::Entity)
        .and_where(archive_image::Column::ItemId.in_subquery(items_of(user_id)))
        .to_owned();
    for role in FileRole::iter() {
        all.union(
            UnionType::Distinct,
            Query::select()
                .column(column(role))
                .from(item::Entity)
                .and_where(item::Column::UserId.eq(user_id))
                .and_where(column(role).is_not_null())
                .to_owned(),
        );
    }
    all
}

/// Bytes of stored files the user's items refer to, each file counted once however many of
/// them refer to it.
pub async fn usage(db: &impl ConnectionTrait, user_id: i64) -> CoreResult<i64> {
    let total: Option<i64> = file::Entity::find()
        .select_only()
        .column_as(
            Expr::cust("CAST(COALESCE(SUM(files.size), 0) AS BIGINT)"),
            "total",
        )
        .filter(file::Column::Digest.in_subquery(referenced_by(user_id)))
        .into_tuple()
        .one(db)
        .await?;
    Ok(total.unwrap_or(0))
}

/// Whether one of the user's items already refers to the file (storing it again then costs
/// the user nothing).
pub async fn is_referenced_by(db: &Db, user_id: i64, digest: &Digest) -> CoreResult<bool> {
    let found = file::Entity::find()
        .select_only()
        .column(file::Column::Digest)
        .filter(file::Column::Digest.eq(digest.as_str()))
        .filter(file::Column::Digest.in_subquery(referenced_by(user_id)))
        .into_tuple::<String>()
        .one(db.read())
        .await?;
    Ok(found.is_some())
}

/// The stored file of `role` on one of the user's items (`NotFound` for an item that is not
/// theirs; `None` when the item has no such file).
pub async fn of_item(
    db: &Db,
    user_id: i64,
    item_id: i64,
    role: FileRole,
) -> CoreResult<Option<(Digest, file::Model)>> {
    let m = find_owned::<item::Entity>(db.read(), user_id, item_id).await?;
    let digest = match role {
        FileRole::Favicon => m.favicon_digest,
        FileRole::Preview => m.preview_digest,
        FileRole::Archive => m.archive_digest,
    };
    let Some(digest) = digest.as_deref().and_then(Digest::parse) else {
        return Ok(None);
    };
    let row = file::Entity::find_by_id(digest.as_str())
        .one(db.read())
        .await?;
    Ok(row.map(|r| (digest, r)))
}

/// Files that nothing refers to and that were last used before `before`, oldest first.
pub async fn unreferenced(db: &Db, before: DateTime<Utc>, limit: u64) -> CoreResult<Vec<Digest>> {
    let rows: Vec<String> = file::Entity::find()
        .select_only()
        .column(file::Column::Digest)
        .filter(unreferenced_since(before))
        .order_by_asc(file::Column::UsedAt)
        .limit(limit)
        .into_tuple()
        .all(db.read())
        .await?;
    Ok(rows.iter().filter_map(|d| Digest::parse(d)).collect())
}

fn unreferenced_since(before: DateTime<Utc>) -> sea_orm::Condition {
    let this_file = (file::Entity, file::Column::Digest);
    let mut unreferenced = sea_orm::Condition::all()
        .add(file::Column::UsedAt.lt(before))
        .add(
            Expr::exists(
                Query::select()
                    .expr(Expr::val(1))
                    .from(archive_image::Entity)
                    .and_where(
                        Expr::col((archive_image::Entity, archive_image::Column::Digest))
                            .equals(this_file),
                    )
                    .to_owned(),
            )
            .not(),
        );
    for role in FileRole::iter() {
        unreferenced = unreferenced.add(
            Expr::exists(
                Query::select()
                    .expr(Expr::val(1))
                    .from(item::Entity)
                    .and_where(Expr::col((item::Entity, column(role))).equals(this_file))
                    .to_owned(),
            )
            .not(),
        );
    }
    unreferenced
}

/// Deletes the row of `digest` inside `tx` if the file is still unreferenced and unused since
/// `before`; `true` when it did (the caller then deletes the bytes before committing).
pub async fn forget_unreferenced(
    tx: &impl ConnectionTrait,
    digest: &Digest,
    before: DateTime<Utc>,
) -> CoreResult<bool> {
    let deleted = file::Entity::delete_many()
        .filter(file::Column::Digest.eq(digest.as_str()))
        .filter(unreferenced_since(before))
        .exec(tx)
        .await?;
    Ok(deleted.rows_affected == 1)
}

/// An image of one of the user's items' readable archive (`NotFound` for an item that is not
/// theirs; `None` when its archive shows no such image).
pub async fn archive_image(
    db: &Db,
    user_id: i64,
    item_id: i64,
    digest: &Digest,
) -> CoreResult<Option<file::Model>> {
    find_owned::<item::Entity>(db.read(), user_id, item_id).await?;
    let shown = archive_image::Entity::find_by_id((item_id, digest.as_str().to_owned()))
        .one(db.read())
        .await?;
    if shown.is_none() {
        return Ok(None);
    }
    Ok(file::Entity::find_by_id(digest.as_str())
        .one(db.read())
        .await?)
}

/// Makes `images` the images of the item's archive (in the transaction that records it).
pub async fn set_archive_images(
    tx: &impl ConnectionTrait,
    item_id: i64,
    images: &[Digest],
) -> CoreResult<()> {
    archive_image::Entity::delete_many()
        .filter(archive_image::Column::ItemId.eq(item_id))
        .exec(tx)
        .await?;
    let mut digests: Vec<&str> = images.iter().map(Digest::as_str).collect();
    digests.sort_unstable();
    digests.dedup();
    if !digests.is_empty() {
        archive_image::Entity::insert_many(digests.into_iter().map(|d| {
            archive_image::ActiveModel {
                item_id: Set(item_id),
                digest: Set(d.to_owned()),
            }
        }))
        .exec_without_returning(tx)
        .await?;
    }
    Ok(())
}
