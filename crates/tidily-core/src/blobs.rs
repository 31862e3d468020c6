//! The object store that holds stored files' bytes: a directory under the data directory by
//! default, an S3 bucket in AWS. Keys are content digests (`domain::file::Digest`), so a put
//! is idempotent and the same bytes are kept once; what refers to them is in the database.

use std::{path::Path, sync::Arc};

use bytes::Bytes;
use object_store::{local::LocalFileSystem, path::Path as Key, ObjectStore, PutPayload};

use crate::domain::file::Digest;

/// A handle on the object store (cheap to clone).
#[derive(Clone, Debug)]
pub struct Blobs {
    store: Arc<dyn ObjectStore>,
    prefix: Key,
}

impl Blobs {
    /// Files under `prefix` of `store` (S3, or any other `object_store` backend).
    pub fn new(store: Arc<dyn ObjectStore>, prefix: &str) -> Blobs {
        Blobs {
            store,
            prefix: Key::from(prefix.trim_matches('/')),
        }
    }

    /// Files in a local directory, made (with its parents) by the first file stored in it, so
    /// a command that stores nothing leaves nothing behind. Each put writes a temporary file
    /// and renames it, so a reader never sees half a file.
    pub fn local(dir: &Path) -> std::io::Result<Blobs> {
        let dir = std::path::absolute(dir)?;
        let prefix = Key::from_absolute_path(&dir).map_err(std::io::Error::other)?;
        Ok(Blobs {
            store: Arc::new(LocalFileSystem::new()),
            prefix,
        })
    }

    /// `ab/cd/abcd…`: two levels of fan-out keep any one directory small.
    fn key(&self, digest: &Digest) -> Key {
        let d = digest.as_str();
        self.prefix.child(&d[..2]).child(&d[2..4]).child(d)
    }

    pub async fn put(&self, digest: &Digest, bytes: Bytes) -> object_store::Result<()> {
        self.store
            .put(&self.key(digest), PutPayload::from_bytes(bytes))
            .await
            .map(drop)
    }

    /// The file's bytes, or `None` when the store has no such file.
    pub async fn get(&self, digest: &Digest) -> object_store::Result<Option<Bytes>> {
        match self.store.get(&self.key(digest)).await {
            Ok(found) => found.bytes().await.map(Some),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Deletes the file; deleting one that is not there succeeds.
    pub async fn delete(&self, digest: &Digest) -> object_store::Result<()> {
        match self.store.delete(&self.key(digest)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_local_store_keeps_deletes_and_forgets() {
        let dir = tempfile::tempdir().unwrap();
        let blobs = Blobs::local(&dir.path().join("files")).unwrap();
        assert!(
            !dir.path().join("files").exists(),
            "made by the first file, not before"
        );
        let d = Digest::of(b"png bytes");
        assert_eq!(blobs.get(&d).await.unwrap(), None);
        blobs
            .put(&d, Bytes::from_static(b"png bytes"))
            .await
            .unwrap();
        blobs
            .put(&d, Bytes::from_static(b"png bytes"))
            .await
            .unwrap();
        assert_eq!(
            blobs.get(&d).await.unwrap().as_deref(),
            Some(&b"png bytes"[..])
        );
        let on_disk = dir
            .path()
            .join("files")
            .join(&d.as_str()[..2])
            .join(&d.as_str()[2..4])
            .join(d.as_str());
        assert!(on_disk.is_file(), "{on_disk:?}");
        blobs.delete(&d).await.unwrap();
        blobs.delete(&d).await.unwrap();
        assert_eq!(blobs.get(&d).await.unwrap(), None);
    }

    #[tokio::test]
    async fn a_directory_with_spaces_and_japanese_in_its_name_is_used_as_named() {
        let dir = tempfile::tempdir().unwrap();
        let named = dir.path().join("my files").join("保存 先");
        let blobs = Blobs::local(&named).unwrap();
        let d = Digest::of(b"x");
        blobs.put(&d, Bytes::from_static(b"x")).await.unwrap();
        let on_disk = named
            .join(&d.as_str()[..2])
            .join(&d.as_str()[2..4])
            .join(d.as_str());
        assert!(on_disk.is_file(), "{on_disk:?}");
        assert_eq!(blobs.get(&d).await.unwrap().as_deref(), Some(&b"x"[..]));
    }
}
