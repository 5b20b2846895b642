//! Session storage in the same database as everything else: tower-sessions' sqlx stores, one per
//! backend, behind one type so the session layer does not care which is in use.

use async_trait::async_trait;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, ExpiredDeletion, SessionStore};
use tower_sessions_sqlx_store::{PostgresStore, SqliteStore};

use super::Db;

#[derive(Debug, Clone)]
pub enum Sessions {
    Sqlite(SqliteStore),
    Postgres(PostgresStore),
}

macro_rules! on_store {
    ($store:expr, $s:ident => $body:expr) => {
        match $store {
            Sessions::Sqlite($s) => $body,
            Sessions::Postgres($s) => $body,
        }
    };
}

impl Sessions {
    /// The store for `db`, with its table created if need be.
    pub async fn for_db(db: &Db) -> Result<Self, sqlx::Error> {
        let store = match db {
            Db::Sqlite(pool) => Sessions::Sqlite(SqliteStore::new(pool.clone())),
            Db::Postgres(pool) => Sessions::Postgres(PostgresStore::new(pool.clone())),
        };
        on_store!(&store, s => s.migrate().await)?;
        Ok(store)
    }
}

#[async_trait]
impl SessionStore for Sessions {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        on_store!(self, s => s.create(record).await)
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        on_store!(self, s => s.save(record).await)
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        on_store!(self, s => s.load(id).await)
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        on_store!(self, s => s.delete(id).await)
    }
}

#[async_trait]
impl ExpiredDeletion for Sessions {
    async fn delete_expired(&self) -> session_store::Result<()> {
        on_store!(self, s => s.delete_expired().await)
    }
}
