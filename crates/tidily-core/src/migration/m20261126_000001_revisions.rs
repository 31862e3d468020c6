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

/// `(event, row)`: each trigger event with the rows that name the owner: `NEW` or `OLD` (the
/// row in SQLite, the transition table in PostgreSQL).
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

/// PostgreSQL: statement-level triggers over the changed rows (a transition table), so that
/// a statement writing a thousand items moves each owner's revision once. Row-level triggers
/// would update the same `users` row once per item, and in one transaction each of those
/// updates walks the versions the previous ones left: a 1,000-row insert took seconds.
fn postgres_triggers() -> Vec<String> {
    let function = |name: &str, owners: &str| {
        format!(
            "CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
             UPDATE users SET revision = revision + 1 WHERE id IN ({owners}); \
             RETURN NULL; END $$"
        )
    };
    let mut out = vec![
        function("bump_owner_revision", "SELECT user_id FROM changed"),
        function(
            "bump_item_owner_revision",
            "SELECT items.user_id FROM items JOIN changed ON changed.item_id = items.id",
        ),
    ];
    for table in tables() {
        let f = if table == "item_tags" {
            "bump_item_owner_revision"
        } else {
            "bump_owner_revision"
        };
        for (event, row) in EVENTS {
            out.push(format!(
                "CREATE TRIGGER {table}_revision_{e} AFTER {event} ON {table} \
                 REFERENCING {row} TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION {f}()",
                e = event.to_lowercase(),
            ));
        }
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
        let postgres = manager.get_database_backend() == DatabaseBackend::Postgres;
        for table in tables() {
            for (event, _) in EVENTS {
                let on = if postgres {
                    format!(" ON {table}")
                } else {
                    String::new()
                };
                db.execute_unprepared(&format!(
                    "DROP TRIGGER IF EXISTS {table}_revision_{}{on}",
                    event.to_lowercase()
                ))
                .await?;
            }
        }
        if postgres {
            db.execute_unprepared(
                "DROP FUNCTION IF EXISTS bump_owner_revision, bump_item_owner_revision",
            )
            .await?;
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
