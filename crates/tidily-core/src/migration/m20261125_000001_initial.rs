//! The initial schema: accounts, profiles, folders, categories, tags, items, credentials and
//! the activity log.

use sea_orm::DatabaseBackend;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Email,
    PasswordHash,
    DisplayName,
    Role,
    Locale,
    TimeZone,
}

#[derive(DeriveIden)]
enum Profiles {
    Table,
    Id,
    UserId,
    Name,
    Position,
}

#[derive(DeriveIden)]
enum Folders {
    Table,
    Id,
    UserId,
    ProfileId,
    ParentId,
    Name,
    Memo,
    Position,
}

#[derive(DeriveIden, Clone, Copy)]
enum Categories {
    Table,
}

#[derive(DeriveIden, Clone, Copy)]
enum Tags {
    Table,
}

#[derive(DeriveIden)]
enum Items {
    Table,
    Id,
    UserId,
    ProfileId,
    FolderId,
    CategoryId,
    Kind,
    Title,
    Url,
    Memo,
    Status,
    Priority,
    ScheduleStart,
    ScheduleEnd,
    ReminderAt,
    Favorite,
    ArchivedAt,
    TrashedAt,
    Position,
    SearchText,
}

#[derive(DeriveIden)]
enum ItemTags {
    Table,
    ItemId,
    TagId,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    TokenHash,
    UserId,
    CsrfToken,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum RefreshTokens {
    Table,
    Id,
    UserId,
    Family,
    TokenHash,
    ExpiresAt,
    UsedAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum ApiTokens {
    Table,
    Id,
    UserId,
    Name,
    TokenHash,
    Prefix,
    LastUsedAt,
    ExpiresAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum ActivityLog {
    Table,
    Id,
    UserId,
    ItemId,
    Entity,
    EntityId,
    Action,
    Detail,
}

#[derive(DeriveIden)]
enum LoginFailures {
    Table,
    Id,
    Email,
    Ip,
}

#[derive(DeriveIden)]
enum Common {
    Name,
    Color,
    CreatedAt,
    UpdatedAt,
}

/// A 64-bit auto-increment key (`INTEGER PRIMARY KEY` on SQLite, `bigserial` on PostgreSQL).
fn id<T: IntoIden>(name: T) -> ColumnDef {
    big_integer(name).auto_increment().primary_key().take()
}

/// A required reference to another table's `id`.
fn reference<T: IntoIden>(name: T) -> ColumnDef {
    big_integer(name)
}

fn timestamps(table: &mut TableCreateStatement) -> &mut TableCreateStatement {
    table
        .col(timestamp_with_time_zone(Common::CreatedAt))
        .col(timestamp_with_time_zone(Common::UpdatedAt))
}

fn cascade_to<T: IntoIden + 'static, F: IntoIden + 'static>(
    from: (T, F),
    to_table: impl IntoIden + 'static,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(from.0, from.1)
        .to(to_table, Alias::new("id"))
        .on_delete(ForeignKeyAction::Cascade)
        .take()
}

fn set_null_to<T: IntoIden + 'static, F: IntoIden + 'static>(
    from: (T, F),
    to_table: impl IntoIden + 'static,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(from.0, from.1)
        .to(to_table, Alias::new("id"))
        .on_delete(ForeignKeyAction::SetNull)
        .take()
}

/// Indexes are plain SQL that both databases accept. Each one serves a query in `store`.
const INDEXES: &[&str] = &[
    "CREATE UNIQUE INDEX ux_users_email ON users (email)",
    "CREATE UNIQUE INDEX ux_profiles_user_name ON profiles (user_id, name)",
    "CREATE INDEX ix_folders_profile_parent ON folders (profile_id, parent_id, position)",
    "CREATE INDEX ix_folders_user ON folders (user_id)",
    "CREATE UNIQUE INDEX ux_categories_user_name ON categories (user_id, name)",
    "CREATE UNIQUE INDEX ux_tags_user_name ON tags (user_id, name)",
    // Item lists: newest first for all profiles or one profile, the trash and the archive.
    "CREATE INDEX ix_items_user_created ON items (user_id, created_at, id)",
    "CREATE INDEX ix_items_profile_created ON items (profile_id, created_at, id)",
    "CREATE INDEX ix_items_user_updated ON items (user_id, updated_at, id)",
    "CREATE INDEX ix_items_user_schedule ON items (user_id, schedule_start)",
    "CREATE INDEX ix_items_user_status ON items (user_id, status, created_at, id)",
    "CREATE INDEX ix_items_folder_position ON items (folder_id, position)",
    "CREATE INDEX ix_items_profile_position ON items (profile_id, position)",
    "CREATE INDEX ix_items_category ON items (category_id)",
    // The trash view. Partial, so the (few) trashed rows are all it
    // holds, and so SQLite, whose statistics cannot see that most `trashed_at` are NULL,
    // never mistakes it for a selective index for `trashed_at IS NULL`.
    "CREATE INDEX ix_items_trash ON items (user_id, created_at, id) WHERE trashed_at IS NOT NULL",
    // The hourly retention purge (`trashed_at <= cutoff`, every user): reads only trashed rows
    // instead of scanning the table (which also filled the page cache of an idle server).
    "CREATE INDEX ix_items_trashed_at ON items (trashed_at) WHERE trashed_at IS NOT NULL",
    // The dashboard's and the board's counts: one grouped pass that reads only this index.
    // Partial like the trash index, so it is never taken for the (unordered) list of all
    // active items.
    "CREATE INDEX ix_items_active_overview ON items \
     (user_id, status, kind, priority, favorite, schedule_start, schedule_end, profile_id) \
     WHERE trashed_at IS NULL AND archived_at IS NULL",
    "CREATE INDEX ix_item_tags_tag ON item_tags (tag_id, item_id)",
    "CREATE UNIQUE INDEX ux_refresh_tokens_hash ON refresh_tokens (token_hash)",
    "CREATE INDEX ix_refresh_tokens_family ON refresh_tokens (family)",
    "CREATE UNIQUE INDEX ux_api_tokens_hash ON api_tokens (token_hash)",
    "CREATE INDEX ix_sessions_user ON sessions (user_id)",
    "CREATE INDEX ix_activity_user_created ON activity_log (user_id, id)",
    "CREATE INDEX ix_activity_item ON activity_log (item_id)",
    "CREATE INDEX ix_login_failures_email ON login_failures (email, created_at)",
    "CREATE INDEX ix_login_failures_ip ON login_failures (ip, created_at)",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let tables = [
            timestamps(
                Table::create()
                    .table(Users::Table)
                    .col(id(Users::Id))
                    .col(string_len(Users::Email, 320))
                    .col(string(Users::PasswordHash))
                    .col(string_len(Users::DisplayName, 100))
                    .col(string_len(Users::Role, 8))
                    .col(string_len(Users::Locale, 8))
                    .col(string_len(Users::TimeZone, 64)),
            )
            .take(),
            timestamps(
                Table::create()
                    .table(Profiles::Table)
                    .col(id(Profiles::Id))
                    .col(reference(Profiles::UserId))
                    .col(string_len(Profiles::Name, 64))
                    .col(text(Profiles::Position))
                    .foreign_key(&mut cascade_to(
                        (Profiles::Table, Profiles::UserId),
                        Users::Table,
                    )),
            )
            .take(),
            timestamps(
                Table::create()
                    .table(Folders::Table)
                    .col(id(Folders::Id))
                    .col(reference(Folders::UserId))
                    .col(reference(Folders::ProfileId))
                    .col(big_integer_null(Folders::ParentId))
                    .col(string_len(Folders::Name, 200))
                    .col(text(Folders::Memo))
                    .col(text(Folders::Position))
                    .foreign_key(&mut cascade_to(
                        (Folders::Table, Folders::UserId),
                        Users::Table,
                    ))
                    .foreign_key(&mut cascade_to(
                        (Folders::Table, Folders::ProfileId),
                        Profiles::Table,
                    ))
                    .foreign_key(&mut cascade_to(
                        (Folders::Table, Folders::ParentId),
                        Folders::Table,
                    )),
            )
            .take(),
            labels(Categories::Table),
            labels(Tags::Table),
            timestamps(
                Table::create()
                    .table(Items::Table)
                    .col(id(Items::Id))
                    .col(reference(Items::UserId))
                    .col(reference(Items::ProfileId))
                    .col(big_integer_null(Items::FolderId))
                    .col(big_integer_null(Items::CategoryId))
                    .col(string_len(Items::Kind, 16))
                    .col(string_len(Items::Title, 500))
                    .col(text_null(Items::Url))
                    .col(text(Items::Memo))
                    .col(string_len(Items::Status, 16))
                    .col(small_integer(Items::Priority))
                    .col(timestamp_with_time_zone_null(Items::ScheduleStart))
                    .col(timestamp_with_time_zone_null(Items::ScheduleEnd))
                    .col(timestamp_with_time_zone_null(Items::ReminderAt))
                    .col(boolean(Items::Favorite))
                    .col(timestamp_with_time_zone_null(Items::ArchivedAt))
                    .col(timestamp_with_time_zone_null(Items::TrashedAt))
                    .col(text(Items::Position))
                    .col(text(Items::SearchText))
                    .foreign_key(&mut cascade_to((Items::Table, Items::UserId), Users::Table))
                    .foreign_key(&mut cascade_to(
                        (Items::Table, Items::ProfileId),
                        Profiles::Table,
                    ))
                    .foreign_key(&mut set_null_to(
                        (Items::Table, Items::FolderId),
                        Folders::Table,
                    ))
                    .foreign_key(&mut set_null_to(
                        (Items::Table, Items::CategoryId),
                        Categories::Table,
                    )),
            )
            .take(),
            Table::create()
                .table(ItemTags::Table)
                .col(reference(ItemTags::ItemId))
                .col(reference(ItemTags::TagId))
                .primary_key(Index::create().col(ItemTags::ItemId).col(ItemTags::TagId))
                .foreign_key(&mut cascade_to(
                    (ItemTags::Table, ItemTags::ItemId),
                    Items::Table,
                ))
                .foreign_key(&mut cascade_to(
                    (ItemTags::Table, ItemTags::TagId),
                    Tags::Table,
                ))
                .take(),
            Table::create()
                .table(Sessions::Table)
                .col(string_len(Sessions::TokenHash, 64).primary_key())
                .col(reference(Sessions::UserId))
                .col(string_len(Sessions::CsrfToken, 64))
                .col(timestamp_with_time_zone(Common::CreatedAt))
                .col(timestamp_with_time_zone(Sessions::ExpiresAt))
                .foreign_key(&mut cascade_to(
                    (Sessions::Table, Sessions::UserId),
                    Users::Table,
                ))
                .take(),
            Table::create()
                .table(RefreshTokens::Table)
                .col(id(RefreshTokens::Id))
                .col(reference(RefreshTokens::UserId))
                .col(string_len(RefreshTokens::Family, 64))
                .col(string_len(RefreshTokens::TokenHash, 64))
                .col(timestamp_with_time_zone(Common::CreatedAt))
                .col(timestamp_with_time_zone(RefreshTokens::ExpiresAt))
                .col(timestamp_with_time_zone_null(RefreshTokens::UsedAt))
                .col(timestamp_with_time_zone_null(RefreshTokens::RevokedAt))
                .foreign_key(&mut cascade_to(
                    (RefreshTokens::Table, RefreshTokens::UserId),
                    Users::Table,
                ))
                .take(),
            Table::create()
                .table(ApiTokens::Table)
                .col(id(ApiTokens::Id))
                .col(reference(ApiTokens::UserId))
                .col(string_len(ApiTokens::Name, 100))
                .col(string_len(ApiTokens::TokenHash, 64))
                .col(string_len(ApiTokens::Prefix, 16))
                .col(timestamp_with_time_zone(Common::CreatedAt))
                .col(timestamp_with_time_zone_null(ApiTokens::LastUsedAt))
                .col(timestamp_with_time_zone_null(ApiTokens::ExpiresAt))
                .col(timestamp_with_time_zone_null(ApiTokens::RevokedAt))
                .foreign_key(&mut cascade_to(
                    (ApiTokens::Table, ApiTokens::UserId),
                    Users::Table,
                ))
                .take(),
            // No foreign key to items: the log outlives what it describes.
            Table::create()
                .table(ActivityLog::Table)
                .col(id(ActivityLog::Id))
                .col(reference(ActivityLog::UserId))
                .col(big_integer_null(ActivityLog::ItemId))
                .col(string_len(ActivityLog::Entity, 16))
                .col(big_integer_null(ActivityLog::EntityId))
                .col(string_len(ActivityLog::Action, 32))
                .col(text(ActivityLog::Detail))
                .col(timestamp_with_time_zone(Common::CreatedAt))
                .foreign_key(&mut cascade_to(
                    (ActivityLog::Table, ActivityLog::UserId),
                    Users::Table,
                ))
                .take(),
            Table::create()
                .table(LoginFailures::Table)
                .col(id(LoginFailures::Id))
                .col(string_len(LoginFailures::Email, 320))
                .col(string_len(LoginFailures::Ip, 64))
                .col(timestamp_with_time_zone(Common::CreatedAt))
                .take(),
        ];
        for table in tables {
            manager.create_table(table).await?;
        }
        let db = manager.get_connection();
        for index in INDEXES {
            db.execute_unprepared(index).await?;
        }
        if manager.get_database_backend() == DatabaseBackend::Postgres {
            // Manual-order keys are compared byte-wise on SQLite; make PostgreSQL agree
            // whatever the database's default collation is.
            for table in ["profiles", "folders", "items"] {
                db.execute_unprepared(&format!(
                    "ALTER TABLE {table} ALTER COLUMN position TYPE text COLLATE \"C\""
                ))
                .await?;
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "login_failures",
            "activity_log",
            "api_tokens",
            "refresh_tokens",
            "sessions",
            "item_tags",
            "items",
            "tags",
            "categories",
            "folders",
            "profiles",
            "users",
        ] {
            manager
                .drop_table(Table::drop().table(Alias::new(table)).to_owned())
                .await?;
        }
        Ok(())
    }
}

/// Categories and tags share one shape: a named colour per user.
fn labels(table: impl IntoIden + Copy + 'static) -> TableCreateStatement {
    timestamps(
        Table::create()
            .table(table)
            .col(id(Alias::new("id")))
            .col(reference(Alias::new("user_id")))
            .col(string_len(Common::Name, 64))
            .col(string_len(Common::Color, 7))
            .foreign_key(&mut cascade_to(
                (table, Alias::new("user_id")),
                Users::Table,
            )),
    )
    .take()
}
