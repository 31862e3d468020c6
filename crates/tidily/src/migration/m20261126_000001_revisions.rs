//! A revision number per user that moves with every change to the user's data.
//!
//! Pages keep counts and label lists in memory keyed by this number (`store::memo`), so the
//! number must move whatever code path writes. Database triggers guarantee that: every
//! insert, update and delete of a user's profiles, folders, categories, tags, items and
//! item-tag links adds one to `users.revision` in the same transaction.

use sea_orm::DatabaseBackend;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Revision,
}

/// Tables with a `user_id` column whose rows belong to one user.
const OWNED: &[&str] = &["profiles", "folders", "categories", "tags", "items"];

/// The owner of an `item_tags` row is the owner of its item.
const LINK_OWNER: &str = "(SELECT user_id FROM items WHERE id = {row}.item_id)";

const BUMP: &str = "UPDATE users SET revision = revision + 1 WHERE id = ";

/// `(event, row)`: each trigger event with the row (`NEW` or `OLD`) that names the owner.
const EVENTS: [(&str, &str); 3] = [("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")];

fn owner(table: &str, row: &str) -> String {
    if table == "item_tags" {
        LINK_OWNER.replace("{row}", row)
    } else {
        format!("{row}.user_id")
    }
}

fn tables() -> impl Iterator<Item = &'static str> {
    OWNED.iter().copied().chain(["item_tags"])
}

/// SQLite: one trigger per table and event.
fn sqlite_triggers() -> Vec<String> {
    let mut out = Vec::new();
    for table in tables() {
        for (event, row) in EVENTS {
            out.push(format!(
                "CREATE TRIGGER {table}_revision_{e} AFTER {event} ON {table} FOR EACH ROW \
                 BEGIN {BUMP}{owner}; END",
                e = event.to_lowercase(),
                owner = owner(table, row),
            ));
        }
    }
    out
}

/// PostgreSQL: one function per owner lookup, one trigger per table for all three events.
fn postgres_triggers() -> Vec<String> {
    let function = |name: &str, table: &str| {
        format!(
            "CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
             IF TG_OP = 'DELETE' THEN {BUMP}{old}; ELSE {BUMP}{new}; END IF; \
             RETURN NULL; END $$",
            old = owner(table, "OLD"),
            new = owner(table, "NEW"),
        )
    };
    let mut out = vec![
        function("bump_owner_revision", "items"),
        function("bump_item_owner_revision", "item_tags"),
    ];
    for table in tables() {
        let f = if table == "item_tags" {
            "bump_item_owner_revision"
        } else {
            "bump_owner_revision"
        };
        out.push(format!(
            "CREATE TRIGGER {table}_revision AFTER INSERT OR UPDATE OR DELETE ON {table} \
             FOR EACH ROW EXECUTE FUNCTION {f}()"
        ));
    }
    out
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .add_column(big_integer(Users::Revision).default(0))
                    .take(),
            )
            .await?;
        let statements = match manager.get_database_backend() {
            DatabaseBackend::Postgres => postgres_triggers(),
            _ => sqlite_triggers(),
        };
        let db = manager.get_connection();
        for sql in statements {
            db.execute_unprepared(&sql).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        match manager.get_database_backend() {
            DatabaseBackend::Postgres => {
                for table in tables() {
                    db.execute_unprepared(&format!(
                        "DROP TRIGGER IF EXISTS {table}_revision ON {table}"
                    ))
                    .await?;
                }
                db.execute_unprepared(
                    "DROP FUNCTION IF EXISTS bump_owner_revision, bump_item_owner_revision",
                )
                .await?;
            }
            _ => {
                for table in tables() {
                    for (event, _) in EVENTS {
                        db.execute_unprepared(&format!(
                            "DROP TRIGGER IF EXISTS {table}_revision_{}",
                            event.to_lowercase()
                        ))
                        .await?;
                    }
                }
            }
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .drop_column(Users::Revision)
                    .take(),
            )
            .await
    }
}
