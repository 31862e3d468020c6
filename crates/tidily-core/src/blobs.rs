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
    prefix: String,
}

impl Blobs {
    /// Files under `prefix` of `store` (S3, or any other `object_store` backend).
    pub fn new(store: Arc<dyn ObjectStore>, prefix: &str) -> Blobs {
        Blobs {
            store,
            prefix: prefix.trim_matches('/').to_owned(),
        }
    }

    /// Files in a local directory, created if missing. Each put writes a temporary file and
    /// renames it, so a reader never sees half a file.
    pub fn local(dir: &Path) -> std::io::Result<Blobs> {
        std::fs::create_dir_all(dir)?;
        let store = LocalFileSystem::new_with_prefix(dir).map_err(std::io::Error::other)?;
        Ok(Blobs::new(Arc::new(store), ""))
    }

    /// `ab/cd/abcd…`: two levels of fan-out keep any one directory small.
    fn key(&self, digest: &Digest) -> Key {
        let d = digest.as_str();
        let name = format!("{}/{}/{d}", &d[..2], &d[2..4]);
        if self.prefix.is_empty() {
            Key::from(name)
        } else {
            Key::from(format!("{}/{name}", self.prefix))
        }
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
}
