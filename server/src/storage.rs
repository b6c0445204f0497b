//! The document store: one interface (`object_store::ObjectStore`) over a local directory, the
//! default, or S3-compatible object storage when `DOCUMENTS_S3_BUCKET` is set. Objects are named
//! by the server only (`documents/<random>`), never by anything a user sent.

use std::path::Path;
use std::sync::Arc;

use object_store::ObjectStore;
use object_store::aws::AmazonS3Builder;
use object_store::local::LocalFileSystem;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot create the documents directory {path}: {source}")]
    Directory {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("document store: {0}")]
    Store(#[from] object_store::Error),
}

/// The store the settings name.
pub fn open(dir: &Path, s3_bucket: Option<&str>) -> Result<Arc<dyn ObjectStore>, StoreError> {
    if let Some(bucket) = s3_bucket {
        // Endpoint, region and keys from the standard AWS_* variables.
        let store = AmazonS3Builder::from_env()
            .with_bucket_name(bucket)
            .build()?;
        return Ok(Arc::new(store));
    }
    std::fs::create_dir_all(dir).map_err(|source| StoreError::Directory {
        path: dir.display().to_string(),
        source,
    })?;
    Ok(Arc::new(LocalFileSystem::new_with_prefix(dir)?))
}

/// A new object's name: 128 random bits, so names say nothing and cannot be guessed.
pub fn new_key() -> object_store::path::Path {
    let bits: u128 = rand::random();
    object_store::path::Path::from(format!("documents/{bits:032x}"))
}
