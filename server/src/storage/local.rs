//! Objects as files under a folder. Writes go to a temporary file that is renamed into place,
//! so a reader never sees half an object and a failed upload leaves nothing behind.

use std::io::Read;
use std::path::{Path, PathBuf};

use futures_util::{StreamExt, TryStreamExt};
use tokio::io::AsyncWriteExt;
use tokio_util::io::ReaderStream;

use super::{ByteStream, Storage, StorageError};

pub struct LocalStorage {
    root: PathBuf,
}

impl LocalStorage {
    pub fn new(root: impl Into<PathBuf>) -> std::io::Result<Self> {
        let root = root.into();
        std::fs::create_dir_all(root.join("tmp"))?;
        Ok(LocalStorage { root })
    }

    /// Keys are made by the server from ids, but refuse anything that could leave the root.
    fn path(&self, key: &str) -> Result<PathBuf, StorageError> {
        let safe = !key.is_empty()
            && key.split('/').all(|part| {
                !part.is_empty() && part != "." && part != ".." && !part.contains('\\')
            });
        if !safe {
            return Err(StorageError::NotFound(key.to_owned()));
        }
        Ok(self.root.join(key))
    }

    fn temp_path(&self) -> PathBuf {
        self.root.join("tmp").join(uuid::Uuid::new_v4().to_string())
    }
}

async fn place(temp: &Path, target: &Path) -> Result<(), StorageError> {
    if let Some(parent) = target.parent() {
        tokio::fs::create_dir_all(parent).await?;
    }
    tokio::fs::rename(temp, target).await?;
    Ok(())
}

#[async_trait::async_trait]
impl Storage for LocalStorage {
    async fn put_stream(
        &self,
        key: &str,
        mut body: ByteStream<'_>,
        limit: u64,
    ) -> Result<u64, StorageError> {
        let target = self.path(key)?;
        let temp = self.temp_path();
        let mut file = tokio::fs::File::create(&temp).await?;
        let mut written = 0u64;
        let result: Result<(), StorageError> = async {
            while let Some(chunk) = body.next().await {
                let chunk = chunk?;
                written += chunk.len() as u64;
                if written > limit {
                    return Err(StorageError::TooLarge { limit });
                }
                file.write_all(&chunk).await?;
            }
            file.flush().await?;
            file.sync_all().await?;
            Ok(())
        }
        .await;
        drop(file);
        if let Err(error) = result {
            let _ = tokio::fs::remove_file(&temp).await;
            return Err(error);
        }
        place(&temp, &target).await?;
        Ok(written)
    }

    async fn put_bytes(&self, key: &str, bytes: Vec<u8>) -> Result<(), StorageError> {
        let target = self.path(key)?;
        let temp = self.temp_path();
        tokio::fs::write(&temp, bytes).await?;
        place(&temp, &target).await
    }

    async fn reader(&self, key: &str) -> Result<Box<dyn Read + Send>, StorageError> {
        let path = self.path(key)?;
        match std::fs::File::open(&path) {
            Ok(file) => Ok(Box::new(file)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                Err(StorageError::NotFound(key.to_owned()))
            }
            Err(e) => Err(e.into()),
        }
    }

    async fn download(&self, key: &str) -> Result<(u64, ByteStream<'static>), StorageError> {
        let path = self.path(key)?;
        let file = match tokio::fs::File::open(&path).await {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(StorageError::NotFound(key.to_owned()))
            }
            Err(e) => return Err(e.into()),
        };
        let size = file.metadata().await?.len();
        let stream = ReaderStream::new(file).map_err(StorageError::from).boxed();
        Ok((size, stream))
    }

    async fn delete(&self, key: &str) -> Result<(), StorageError> {
        match tokio::fs::remove_file(self.path(key)?).await {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(e.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;
    use futures_util::stream;

    fn chunks(parts: &[&'static str]) -> ByteStream<'static> {
        let parts = parts.to_vec();
        stream::iter(
            parts
                .into_iter()
                .map(|p| Ok(Bytes::from_static(p.as_bytes()))),
        )
        .boxed()
    }

    #[tokio::test]
    async fn a_stored_stream_reads_back_whole() {
        let dir = tempfile::tempdir().unwrap();
        let storage = LocalStorage::new(dir.path()).unwrap();
        let n = storage
            .put_stream("datasets/a", chunks(&["a,b\n", "1,2\n"]), 100)
            .await
            .unwrap();
        assert_eq!(n, 8);
        let mut text = String::new();
        storage
            .reader("datasets/a")
            .await
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        assert_eq!(text, "a,b\n1,2\n");
    }

    #[tokio::test]
    async fn an_upload_over_the_limit_keeps_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let storage = LocalStorage::new(dir.path()).unwrap();
        let error = storage
            .put_stream("datasets/b", chunks(&["12345", "67890"]), 7)
            .await
            .unwrap_err();
        assert!(matches!(error, StorageError::TooLarge { limit: 7 }));
        assert!(matches!(
            storage.reader("datasets/b").await,
            Err(StorageError::NotFound(_))
        ));
        assert_eq!(
            std::fs::read_dir(dir.path().join("tmp")).unwrap().count(),
            0
        );
    }

    #[tokio::test]
    async fn keys_cannot_climb_out_of_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        let storage = LocalStorage::new(dir.path().join("files")).unwrap();
        assert!(storage.reader("../secret").await.is_err());
        assert!(storage.put_bytes("a/../../x", vec![1]).await.is_err());
    }
}
