//! The database: SQLite by default, PostgreSQL when the URL says so, chosen at run time.
//!
//! [`Db`] holds one typed pool; [`on_db!`] runs the same portable SQL (`$N` placeholders) on
//! whichever it is, so dates and booleans keep their real types on both. Each table has its own
//! module of small named query functions.

pub mod datasets;
pub mod identities;
pub mod jobs;
mod list;
pub mod reports;
pub mod sessions;
pub mod templates;
pub mod tokens;
pub mod users;

pub use list::{ListParams, ListQuery};

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions};
use sqlx::{Connection, PgPool, SqliteConnection, SqlitePool};

#[derive(Debug, Clone)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Runs `$body` with `$pool` bound to the typed pool of either backend.
#[macro_export]
macro_rules! on_db {
    ($db:expr, $pool:ident => $body:expr) => {
        match $db {
            $crate::db::Db::Sqlite($pool) => $body,
            $crate::db::Db::Postgres($pool) => $body,
        }
    };
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/postgres");

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("unsupported database URL (use sqlite:// or postgres://)")]
    UnsupportedUrl,
    #[error("cannot connect to the database: {0}")]
    Connect(#[source] sqlx::Error),
    #[error("database migrations failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("database migrations left broken references in table {0}")]
    ForeignKeys(String),
}

impl Db {
    /// Connects and applies the migrations; any failure stops start-up.
    pub async fn connect(url: &str) -> Result<Db, DbError> {
        if url.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(url)
                .map_err(DbError::Connect)?
                .create_if_missing(true)
                .foreign_keys(true)
                // WAL lets readers proceed while a writer commits.
                .journal_mode(SqliteJournalMode::Wal)
                .busy_timeout(Duration::from_secs(5));
            migrate_sqlite(&options).await?;
            let pool = SqlitePoolOptions::new()
                .max_connections(8)
                .connect_with(options)
                .await
                .map_err(DbError::Connect)?;
            Ok(Db::Sqlite(pool))
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let options = PgConnectOptions::from_str(url).map_err(DbError::Connect)?;
            let pool = PgPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(Duration::from_secs(5))
                .connect_with(options)
                .await
                .map_err(DbError::Connect)?;
            POSTGRES_MIGRATIONS.run(&pool).await?;
            Ok(Db::Postgres(pool))
        } else {
            Err(DbError::UnsupportedUrl)
        }
    }

    /// Answers whether the database takes queries (readiness probe).
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        on_db!(self, pool => sqlx::query("select 1").execute(pool).await.map(|_| ()))
    }

    pub async fn close(&self) {
        on_db!(self, pool => pool.close().await)
    }

    pub fn backend_name(&self) -> &'static str {
        match self {
            Db::Sqlite(_) => "sqlite",
            Db::Postgres(_) => "postgres",
        }
    }
}

/// Applies the SQLite migrations on a connection of its own with foreign keys off: SQLite can
/// change a table's constraints only by rebuilding it, and its documented procedure for that
/// needs them off (dropping the old table would otherwise cascade). The references are checked
/// afterwards, and any that the migrations broke stop start-up.
async fn migrate_sqlite(options: &SqliteConnectOptions) -> Result<(), DbError> {
    let mut conn = SqliteConnection::connect_with(&options.clone().foreign_keys(false))
        .await
        .map_err(DbError::Connect)?;
    // `run_direct`, not `run`: the future stays Send (a worker spawns it on a runtime).
    SQLITE_MIGRATIONS.run_direct(&mut conn).await?;
    let broken: Option<String> =
        sqlx::query_scalar("select \"table\" from pragma_foreign_key_check")
            .fetch_optional(&mut conn)
            .await
            .map_err(DbError::Connect)?;
    conn.close().await.map_err(DbError::Connect)?;
    match broken {
        Some(table) => Err(DbError::ForeignKeys(table)),
        None => Ok(()),
    }
}

/// True when the error is a unique-constraint violation (e.g. an email already taken).
pub fn is_unique_violation(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(e) if e.is_unique_violation())
}
