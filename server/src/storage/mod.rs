//! Where uploaded files and finished PDFs live. Names are chosen by the server (`datasets/<id>`,
//! `reports/<id>.pdf`), never taken from the upload. [`LocalStorage`] keeps them under the data
//! folder; an S3-compatible store implements the same [`Storage`] trait.

mod local;

use std::io::Read;
use std::sync::Arc;

use bytes::Bytes;
use futures_util::stream::BoxStream;

pub use local::LocalStorage;

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("the upload is larger than the limit of {limit} bytes")]
    TooLarge { limit: u64 },
    #[error("no stored object {0}")]
    NotFound(String),
    #[error("storage i/o: {0}")]
    Io(#[from] std::io::Error),
    #[error("the upload was interrupted: {0}")]
    Body(String),
    /// The content is not what the upload claimed (e.g. binary data sent as CSV).
    #[error("{0}")]
    Rejected(String),
}

/// A stream of body chunks, as a request body yields them.
pub type ByteStream<'a> = BoxStream<'a, Result<Bytes, StorageError>>;

#[async_trait::async_trait]
pub trait Storage: Send + Sync + 'static {
    /// Stores `body` under `key` chunk by chunk, refusing (and keeping nothing) past `limit`
    /// bytes. Returns the number of bytes stored.
    async fn put_stream(
        &self,
        key: &str,
        body: ByteStream<'_>,
        limit: u64,
    ) -> Result<u64, StorageError>;

    async fn put_bytes(&self, key: &str, bytes: Vec<u8>) -> Result<(), StorageError>;

    /// A blocking reader of the object, for the engine (run it off the async threads).
    async fn reader(&self, key: &str) -> Result<Box<dyn Read + Send>, StorageError>;

    /// The object's size and its bytes as a stream, for downloads.
    async fn download(&self, key: &str) -> Result<(u64, ByteStream<'static>), StorageError>;

    /// Removes the object; a missing one is not an error.
    async fn delete(&self, key: &str) -> Result<(), StorageError>;
}

pub type SharedStorage = Arc<dyn Storage>;

pub fn dataset_key(id: &str) -> String {
    format!("datasets/{id}")
}

pub fn report_key(id: &str) -> String {
    format!("reports/{id}.pdf")
}
