//! Data access: every query the application runs, written once for SQLite and PostgreSQL.
//!
//! Every function that reads or writes user data takes the owner's ID and filters on it, so
//! one user can never reach another's rows; a row owned by someone else is simply not found.

pub mod activity;
pub mod captures;
pub mod credentials;
pub mod duplicates;
pub mod files;
pub mod folder_tree;
pub mod folders;
pub mod item_query;
pub mod items;
pub mod jobs;
pub mod labels;
pub mod links;
pub mod memo;
pub mod position;
pub mod profiles;
pub mod search;
pub mod stats;
pub mod throttle;
pub mod transfer;
pub mod users;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::{
    entity::{folder, item, profile},
    error::{CoreError, CoreResult},
};

/// A table whose rows belong to one user.
pub trait Owned: EntityTrait {
    const ID: Self::Column;
    const USER_ID: Self::Column;
}

macro_rules! owned {
    ($($module:ident),*) => {$(
        impl Owned for $module::Entity {
            const ID: Self::Column = $module::Column::Id;
            const USER_ID: Self::Column = $module::Column::UserId;
        }
    )*};
}
owned!(profile, folder, item);

/// The row `id` if it belongs to `user_id`; otherwise `NotFound` (never "forbidden", which
/// would confirm that the ID exists).
pub async fn find_owned<E: Owned>(
    db: &impl ConnectionTrait,
    user_id: i64,
    id: i64,
) -> CoreResult<E::Model> {
    E::find()
        .filter(E::ID.eq(id))
        .filter(E::USER_ID.eq(user_id))
        .one(db)
        .await?
        .ok_or(CoreError::NotFound)
}
