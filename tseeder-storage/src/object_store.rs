//! File blobs in object storage: [`ObjectStoreFileStore`] implements the core's [`FileStore`] over
//! [`object_store`], on a local directory, an S3-compatible bucket (feature `s3`) or memory, as
//! chosen by a [`FileStoreConfig`].
//!
//! - **Uploads stream.** `put` copies the reader into object_store's buffered writer: objects
//!   under one part ([`PART_SIZE`]) go up in a single request, larger ones as a multipart upload
//!   of `PART_SIZE` parts with at most [`UPLOAD_CONCURRENCY`] parts in flight, so an upload holds
//!   at most about `PART_SIZE × (UPLOAD_CONCURRENCY + 1)` bytes in memory whatever its size. An
//!   object appears only when the upload completes (local files are written aside and renamed;
//!   S3 shows a multipart object only once it is completed); a failed upload is aborted.
//! - **Downloads stream** too, in chunks of at most [`READ_CHUNK`] bytes.
//! - **Keys** are the core's blob keys (`blobs/<infohash>/<path>`). They are mapped with
//!   [`object_store::path::Path::parse`], and a key it rejects or would rewrite (a leading or
//!   trailing `/`, an empty or `.`/`..` segment, a control character) is refused.

use std::fmt;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use futures::{StreamExt, TryStreamExt};
use object_store::buffered::BufWriter;
use object_store::local::LocalFileSystem;
use object_store::memory::InMemory;
use object_store::path::Path;
use object_store::{GetOptions, GetResultPayload, ObjectStore, ObjectStoreExt};
use serde::Deserialize;
use tokio::io::{AsyncReadExt, AsyncSeekExt, AsyncWriteExt};
use tseeder_core::error::BoxError;
use tseeder_core::ports::{ByteStream, FileStore, FileStoreError, ObjectStream, StoredObject, UploadReader};

/// Size of one part of a multipart upload, and the largest object uploaded in one request.
///
/// S3 allows at most 10,000 parts, so with this size the largest object is about 97 GiB.
pub const PART_SIZE: usize = 10 * 1024 * 1024;

/// Parts of one upload in flight at once.
pub const UPLOAD_CONCURRENCY: usize = 4;

/// Largest chunk a download stream yields from a local file.
pub const READ_CHUNK: usize = 256 * 1024;

/// The reader is read in chunks of this size.
const COPY_BUFFER: usize = 256 * 1024;

/// The local directory used when [`FileStoreConfig::url`] is empty: `files` under the default data
/// directory. Binaries with another data directory set the URL instead (see
/// [`FileStoreConfig::with_default_dir`]).
pub const DEFAULT_LOCAL_DIR: &str = "data/files";

/// Where file blobs are stored.
///
/// ```toml
/// [files]                       # a local directory (the default is `data/files`)
/// url = "/var/lib/tseeder/files"
///
/// [files]                       # S3 or an S3-compatible service (feature `s3`)
/// url = "s3://my-bucket/tseeder"
/// endpoint = "https://<account>.r2.cloudflarestorage.com"
/// region = "auto"
/// access_key_id = "..."
/// secret_access_key = "..."
/// ```
#[derive(Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct FileStoreConfig {
    /// Where blobs go:
    /// - a directory, as a plain path (`data/files`, `/srv/files`) or a `file:///abs/path` URL; it
    ///   is created if missing. Empty: [`DEFAULT_LOCAL_DIR`];
    /// - `s3://bucket` or `s3://bucket/prefix`: an S3 bucket, optionally under a key prefix
    ///   (needs the `s3` feature);
    /// - `memory://`: in memory, lost at exit (tests and demos only).
    pub url: String,
    /// S3 only: the service's base URL for S3-compatible services (MinIO, R2, moto, ...), for
    /// example `http://127.0.0.1:9000`. Unset: AWS itself. Requests use path-style addressing
    /// (`<endpoint>/<bucket>/<key>`).
    pub endpoint: Option<String>,
    /// S3 only: the region (`auto` for R2). Unset: `us-east-1`.
    pub region: Option<String>,
    /// S3 only: the access key id. Set both keys or neither; with neither, credentials come from
    /// the instance or container metadata service.
    pub access_key_id: Option<String>,
    /// S3 only: the secret access key (never printed by `Debug`).
    pub secret_access_key: Option<String>,
    /// S3 only: allow a plain `http://` endpoint (a local MinIO or moto). Off by default:
    /// credentials and data would cross the network unencrypted.
    pub allow_http: bool,
    /// Upload each file only once it has finished downloading. Off by default: a remote store
    /// (S3) gets a large file's parts while it downloads, so that only the last one is left when
    /// the download ends. A local directory always takes finished files (as hard links).
    pub upload_when_finished: bool,
}

impl fmt::Debug for FileStoreConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FileStoreConfig")
            .field("url", &self.url)
            .field("endpoint", &self.endpoint)
            .field("region", &self.region)
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &self.secret_access_key.as_ref().map(|_| "***"))
            .field("allow_http", &self.allow_http)
            .field("upload_when_finished", &self.upload_when_finished)
            .finish()
    }
}

impl FileStoreConfig {
    /// A local directory.
    pub fn local(dir: impl Into<PathBuf>) -> Self {
        Self { url: dir.into().to_string_lossy().into_owned(), ..Self::default() }
    }

    /// In memory (tests).
    pub fn in_memory() -> Self {
        Self { url: MEMORY_URL.to_owned(), ..Self::default() }
    }

    /// This config with an empty `url` replaced by the directory `dir` (for binaries whose data
    /// directory is not the default one).
    pub fn with_default_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        if self.url.trim().is_empty() {
            self.url = dir.into().to_string_lossy().into_owned();
        }
        self
    }

    /// Which backend the config names, checked without touching it.
    pub fn backend(&self) -> Result<FileStoreBackend, FileStoreSetupError> {
        let url = self.url.trim();
        let invalid = |reason: &str| FileStoreSetupError::InvalidUrl { url: url.to_owned(), reason: reason.to_owned() };
        if url.is_empty() {
            return Ok(FileStoreBackend::Local { root: PathBuf::from(DEFAULT_LOCAL_DIR) });
        }
        if url == MEMORY_URL || url == "memory:" {
            return Ok(FileStoreBackend::InMemory);
        }
        if !url.contains("://") {
            return Ok(FileStoreBackend::Local { root: PathBuf::from(url) });
        }
        let parsed = url::Url::parse(url).map_err(|e| invalid(&e.to_string()))?;
        match parsed.scheme() {
            "file" => {
                let root = parsed.to_file_path().map_err(|()| invalid("not an absolute local path"))?;
                Ok(FileStoreBackend::Local { root })
            }
            "s3" => {
                let bucket = parsed.host_str().filter(|b| !b.is_empty()).ok_or_else(|| invalid("no bucket name"))?;
                if parsed.query().is_some() || parsed.fragment().is_some() || !parsed.username().is_empty() {
                    return Err(invalid("only s3://bucket or s3://bucket/prefix is accepted"));
                }
                let prefix = parsed.path().trim_matches('/');
                let prefix = if prefix.is_empty() {
                    None
                } else {
                    let decoded = percent_decode(prefix).ok_or_else(|| invalid("the prefix is not UTF-8"))?;
                    match Path::parse(&decoded) {
                        Ok(path) if path.as_ref() == decoded => Some(decoded),
                        _ => return Err(invalid("the prefix is not a valid object key")),
                    }
                };
                Ok(FileStoreBackend::S3 { bucket: bucket.to_owned(), prefix })
            }
            other => Err(invalid(&format!("unsupported scheme {other:?} (use a path, file://, s3:// or memory://)"))),
        }
    }
}

const MEMORY_URL: &str = "memory://";

/// Decodes `%XX` escapes (URL paths arrive escaped).
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = s.get(i + 1..i + 3)
            && let Ok(b) = u8::from_str_radix(hex, 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).ok()
}

/// The backend a [`FileStoreConfig`] names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileStoreBackend {
    /// A local directory.
    Local {
        /// The directory (relative paths are taken from the working directory).
        root: PathBuf,
    },
    /// An S3 bucket.
    S3 {
        /// The bucket.
        bucket: String,
        /// A key prefix every blob goes under (no leading or trailing `/`).
        prefix: Option<String>,
    },
    /// Process memory.
    InMemory,
}

/// Why a file store could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum FileStoreSetupError {
    /// `url` is not a usable store URL.
    #[error("file store url {url:?}: {reason}")]
    InvalidUrl {
        /// The URL.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A setting does not fit the backend.
    #[error("file store setting `{key}`: {reason}")]
    InvalidSetting {
        /// The setting's name in [`FileStoreConfig`].
        key: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// `s3://` without the `s3` feature.
    #[error("file store url {0:?} needs tseeder-storage's `s3` feature")]
    S3NotBuilt(String),
    /// The local directory could not be created or opened.
    #[error("file store directory {}", path.display())]
    Directory {
        /// The directory.
        path: PathBuf,
        /// The cause.
        #[source]
        source: BoxError,
    },
    /// The backend refused its configuration.
    #[error("file store backend")]
    Backend(#[source] BoxError),
}

/// The [`FileStore`] a config names, created and ready: see [`ObjectStoreFileStore::from_config`].
pub async fn file_store(config: &FileStoreConfig) -> Result<Arc<dyn FileStore>, FileStoreSetupError> {
    Ok(Arc::new(ObjectStoreFileStore::from_config(config).await?))
}

/// A key the store refuses.
#[derive(Debug, thiserror::Error)]
#[error("invalid object key {key:?}: {reason}")]
struct InvalidKey {
    key: String,
    reason: String,
}

fn backend(e: impl Into<BoxError>) -> FileStoreError {
    FileStoreError::Backend(e.into())
}

fn store_err(e: object_store::Error) -> FileStoreError {
    match e {
        object_store::Error::NotFound { .. } => FileStoreError::NotFound,
        e => backend(e),
    }
}

/// [`FileStore`] over any [`ObjectStore`]: a local directory, S3, memory.
#[derive(Clone)]
pub struct ObjectStoreFileStore {
    store: Arc<dyn ObjectStore>,
    /// The same store as a local directory, when it is one: finished files are linked into it.
    local: Option<Arc<LocalFileSystem>>,
    /// Presigns URLs (S3); `None` when the backend cannot.
    #[cfg(feature = "s3")]
    signer: Option<Arc<dyn object_store::signer::Signer>>,
    /// Every key goes under this prefix.
    prefix: Option<Path>,
    /// [`FileStoreConfig::upload_when_finished`].
    upload_when_finished: bool,
}

impl fmt::Debug for ObjectStoreFileStore {
    // The stores' own `Debug` output can be long (clients, retry settings); their `Display`
    // names the backend and bucket or directory without credentials.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ObjectStoreFileStore")
            .field("store", &format_args!("{}", self.store))
            .field("prefix", &self.prefix.as_ref().map(Path::as_ref))
            .field("presigns", &self.presigns())
            .finish()
    }
}

impl ObjectStoreFileStore {
    /// A file store over `store`, with keys used as they are and no presigned URLs.
    pub fn new(store: Arc<dyn ObjectStore>) -> Self {
        Self {
            store,
            local: None,
            #[cfg(feature = "s3")]
            signer: None,
            prefix: None,
            upload_when_finished: false,
        }
    }

    /// Takes files only once they finished downloading, when `yes` (see
    /// [`FileStoreConfig::upload_when_finished`]).
    #[must_use]
    pub fn with_upload_when_finished(mut self, yes: bool) -> Self {
        self.upload_when_finished = yes;
        self
    }

    /// Presigns download URLs with `signer`, which must sign for the same store (feature `s3`).
    #[cfg(feature = "s3")]
    pub fn with_signer(mut self, signer: Arc<dyn object_store::signer::Signer>) -> Self {
        self.signer = Some(signer);
        self
    }

    /// Whether [`FileStore::presigned_get`] returns URLs.
    pub fn presigns(&self) -> bool {
        #[cfg(feature = "s3")]
        {
            self.signer.is_some()
        }
        #[cfg(not(feature = "s3"))]
        {
            false
        }
    }

    /// Puts every key under `prefix` (an object key without leading or trailing `/`).
    pub fn with_prefix(mut self, prefix: &str) -> Result<Self, FileStoreSetupError> {
        let path =
            Path::parse(prefix).ok().filter(|p| p.as_ref() == prefix && !prefix.is_empty()).ok_or_else(|| {
                FileStoreSetupError::InvalidSetting {
                    key: "url",
                    reason: format!("prefix {prefix:?} is not a valid object key"),
                }
            })?;
        self.prefix = Some(path);
        Ok(self)
    }

    /// An empty store in memory.
    pub fn in_memory() -> Self {
        Self::new(Arc::new(InMemory::new()))
    }

    /// A store in the local directory `root`, created if missing. Empty directories left by
    /// deletes are removed.
    pub async fn local(root: impl Into<PathBuf>) -> Result<Self, FileStoreSetupError> {
        let root = root.into();
        let dir_err = |path: &PathBuf, e: BoxError| FileStoreSetupError::Directory { path: path.clone(), source: e };
        tokio::fs::create_dir_all(&root).await.map_err(|e| dir_err(&root, e.into()))?;
        let store = Arc::new(
            LocalFileSystem::new_with_prefix(&root).map_err(|e| dir_err(&root, e.into()))?.with_automatic_cleanup(true),
        );
        Ok(Self { local: Some(Arc::clone(&store)), ..Self::new(store) })
    }

    /// The store `config` names (see [`FileStoreConfig::url`]); a local directory is created.
    pub async fn from_config(config: &FileStoreConfig) -> Result<Self, FileStoreSetupError> {
        let store = match config.backend()? {
            FileStoreBackend::Local { root } => Self::local(root).await?,
            FileStoreBackend::InMemory => Self::in_memory(),
            FileStoreBackend::S3 { bucket, prefix } => Self::s3(config, &bucket, prefix.as_deref())?,
        };
        Ok(store.with_upload_when_finished(config.upload_when_finished))
    }

    #[cfg(feature = "s3")]
    fn s3(config: &FileStoreConfig, bucket: &str, prefix: Option<&str>) -> Result<Self, FileStoreSetupError> {
        use object_store::aws::AmazonS3Builder;

        let mut builder = AmazonS3Builder::new()
            .with_bucket_name(bucket)
            .with_region(config.region.as_deref().unwrap_or("us-east-1"))
            .with_allow_http(config.allow_http)
            .with_virtual_hosted_style_request(false);
        if let Some(endpoint) = config.endpoint.as_deref().map(str::trim).filter(|e| !e.is_empty()) {
            let parsed = url::Url::parse(endpoint).map_err(|e| FileStoreSetupError::InvalidSetting {
                key: "endpoint",
                reason: format!("{endpoint:?} is not a URL: {e}"),
            })?;
            match parsed.scheme() {
                "https" => {}
                "http" if config.allow_http => {}
                "http" => {
                    return Err(FileStoreSetupError::InvalidSetting {
                        key: "endpoint",
                        reason: "a plain http:// endpoint needs `allow_http = true`".into(),
                    });
                }
                other => {
                    return Err(FileStoreSetupError::InvalidSetting {
                        key: "endpoint",
                        reason: format!("unsupported scheme {other:?}"),
                    });
                }
            }
            builder = builder.with_endpoint(endpoint);
        }
        match (&config.access_key_id, &config.secret_access_key) {
            (Some(id), Some(secret)) => builder = builder.with_access_key_id(id).with_secret_access_key(secret),
            (None, None) => {}
            (Some(_), None) => {
                return Err(FileStoreSetupError::InvalidSetting {
                    key: "secret_access_key",
                    reason: "required with access_key_id".into(),
                });
            }
            (None, Some(_)) => {
                return Err(FileStoreSetupError::InvalidSetting {
                    key: "access_key_id",
                    reason: "required with secret_access_key".into(),
                });
            }
        }
        let s3 = Arc::new(builder.build().map_err(|e| FileStoreSetupError::Backend(e.into()))?);
        let store = Self::new(Arc::clone(&s3) as Arc<dyn ObjectStore>).with_signer(s3);
        match prefix {
            Some(prefix) => store.with_prefix(prefix),
            None => Ok(store),
        }
    }

    #[cfg(not(feature = "s3"))]
    fn s3(config: &FileStoreConfig, _bucket: &str, _prefix: Option<&str>) -> Result<Self, FileStoreSetupError> {
        Err(FileStoreSetupError::S3NotBuilt(config.url.clone()))
    }

    /// The object store underneath, and the path `key` has in it (under the prefix), for
    /// callers that need object_store's own API (a benchmark timing a multipart upload's parts
    /// and its completion apart).
    ///
    /// # Errors
    /// When `key` is not a valid object key.
    pub fn object(&self, key: &str) -> Result<(Arc<dyn ObjectStore>, Path), FileStoreError> {
        Ok((Arc::clone(&self.store), self.location(key)?))
    }

    /// The object path of `key`, under the prefix.
    fn location(&self, key: &str) -> Result<Path, FileStoreError> {
        let refuse = |reason: String| backend(InvalidKey { key: key.chars().take(300).collect(), reason });
        let path = Path::parse(key).map_err(|e| refuse(e.to_string()))?;
        if key.is_empty() || path.as_ref() != key {
            return Err(refuse("empty, or with a leading or trailing `/`".into()));
        }
        Ok(match &self.prefix {
            Some(prefix) => prefix.parts().chain(path.parts()).collect(),
            None => path,
        })
    }

    /// After a ranged read failed: `InvalidRange` if the object is shorter than `range.start`,
    /// `NotFound` if it is gone, otherwise the original error.
    async fn explain_range_failure(
        &self,
        location: &Path,
        range: &Range<u64>,
        error: FileStoreError,
    ) -> FileStoreError {
        match self.store.head(location).await {
            Ok(meta) if range.start >= meta.size => FileStoreError::InvalidRange,
            Err(object_store::Error::NotFound { .. }) => FileStoreError::NotFound,
            _ => error,
        }
    }
}

/// A local file's bytes `range` as a stream of chunks of at most [`READ_CHUNK`] bytes.
///
/// object_store's own file stream reads 8 KiB per blocking task, far too slow for multi-gigabyte
/// files; tokio's `File` reads up to the buffer size per blocking call.
fn file_stream(file: std::fs::File, range: Range<u64>) -> ByteStream {
    let open = async move {
        let mut file = tokio::fs::File::from_std(file);
        file.seek(std::io::SeekFrom::Start(range.start)).await?;
        let reader = file.take(range.end - range.start);
        Ok::<_, std::io::Error>(tokio_util::io::ReaderStream::with_capacity(reader, READ_CHUNK))
    };
    futures::stream::once(open).try_flatten().map_err(backend).boxed()
}

#[async_trait]
impl FileStore for ObjectStoreFileStore {
    async fn put(&self, key: &str, data: UploadReader) -> Result<u64, FileStoreError> {
        let location = self.location(key)?;
        let mut reader = tokio::io::BufReader::with_capacity(COPY_BUFFER, data);
        let mut writer = BufWriter::with_capacity(Arc::clone(&self.store), location, PART_SIZE)
            .with_max_concurrency(UPLOAD_CONCURRENCY);
        match tokio::io::copy_buf(&mut reader, &mut writer).await {
            // `shutdown` sends what is buffered (one PUT, or the last part and the completion).
            Ok(written) => {
                writer.shutdown().await.map_err(backend)?;
                Ok(written)
            }
            Err(e) => {
                // Nothing becomes visible: drop the parts uploaded so far.
                if let Err(abort) = writer.abort().await {
                    tracing::warn!(error = %abort, "aborting a failed upload failed");
                }
                Err(backend(e))
            }
        }
    }

    async fn get(&self, key: &str, range: Option<Range<u64>>) -> Result<ByteStream, FileStoreError> {
        let location = self.location(key)?;
        let options = match &range {
            None => GetOptions::default(),
            // object_store refuses empty ranges; still say NotFound for a missing object.
            Some(r) if r.start >= r.end => {
                return Err(self.explain_range_failure(&location, r, FileStoreError::InvalidRange).await);
            }
            Some(r) => GetOptions::default().with_range(Some(r.clone())),
        };
        let result = match self.store.get_opts(&location, options).await {
            Ok(result) => result,
            Err(object_store::Error::NotFound { .. }) => return Err(FileStoreError::NotFound),
            // Each backend words "starts past the end" differently (a local range error, an
            // HTTP 416, ...); ask for the size instead of parsing them.
            Err(e) => {
                return Err(match &range {
                    Some(r) => self.explain_range_failure(&location, r, backend(e)).await,
                    None => backend(e),
                });
            }
        };
        let served = result.range.clone();
        Ok(match result.payload {
            GetResultPayload::File(file, _) => file_stream(file, served),
            GetResultPayload::Stream(stream) => stream.map_err(backend).boxed(),
        })
    }

    async fn size(&self, key: &str) -> Result<u64, FileStoreError> {
        let location = self.location(key)?;
        Ok(self.store.head(&location).await.map_err(store_err)?.size)
    }

    fn list(&self) -> ObjectStream {
        // Keys are the paths below the prefix; object_store lists below it (not just
        // string-prefixed keys) and skips unfinished local uploads.
        let depth = self.prefix.as_ref().map_or(0, |p| p.parts().count());
        self.store
            .list(self.prefix.as_ref())
            .map_err(backend)
            .map_ok(move |meta| StoredObject {
                key: meta.location.parts().skip(depth).map(|p| p.as_ref().to_owned()).collect::<Vec<_>>().join("/"),
                size: meta.size,
                last_modified: meta.last_modified,
            })
            .boxed()
    }

    async fn delete(&self, key: &str) -> Result<(), FileStoreError> {
        let location = self.location(key)?;
        match self.store.delete(&location).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(backend(e)),
        }
    }

    async fn presigned_get(&self, key: &str, expires_in: Duration) -> Result<Option<String>, FileStoreError> {
        let location = self.location(key)?;
        #[cfg(feature = "s3")]
        if let Some(signer) = &self.signer {
            let url =
                signer.signed_url(object_store::signer::Method::GET, &location, expires_in).await.map_err(backend)?;
            return Ok(Some(url.to_string()));
        }
        // Without a signer (or the `s3` feature) the key is still checked, then nothing is signed.
        let _ = (location, expires_in);
        Ok(None)
    }

    /// A local store takes the file as a hard link: a second name for the same bytes, made under
    /// a staging name (`#` marks unfinished files, which listing skips) and renamed over the
    /// key, so the object appears whole or not at all. Another filesystem, or one without hard
    /// links, answers `None` and the caller copies.
    async fn put_local(&self, key: &str, path: &std::path::Path) -> Result<Option<u64>, FileStoreError> {
        let location = self.location(key)?;
        let Some(local) = &self.local else { return Ok(None) };
        let target = local.path_to_filesystem(&location).map_err(backend)?;
        if let Some(parent) = target.parent() {
            tokio::fs::create_dir_all(parent).await.map_err(backend)?;
        }
        let mut staging = target.clone().into_os_string();
        staging.push(format!("#link-{}", uuid::Uuid::new_v4().simple()));
        let staging = PathBuf::from(staging);
        match tokio::fs::hard_link(path, &staging).await {
            Ok(()) => {}
            Err(e) if cannot_link(&e) => {
                tracing::debug!(error = %e, "cannot link a finished file into the store; copying it");
                return Ok(None);
            }
            Err(e) => return Err(backend(e)),
        }
        let linked = async {
            tokio::fs::rename(&staging, &target).await?;
            Ok::<_, std::io::Error>(tokio::fs::metadata(&target).await?.len())
        };
        match linked.await {
            Ok(size) => Ok(Some(size)),
            Err(e) => {
                let _ = tokio::fs::remove_file(&staging).await;
                Err(backend(e))
            }
        }
    }

    /// A local directory takes finished files as hard links, so it never wants them earlier.
    fn streams_while_downloading(&self) -> bool {
        self.local.is_none() && !self.upload_when_finished
    }

    /// A local store links the object's file out as a hard link; another filesystem, or one
    /// without hard links, answers `false` and the caller copies.
    async fn link_out(&self, key: &str, path: &std::path::Path) -> Result<bool, FileStoreError> {
        let location = self.location(key)?;
        let Some(local) = &self.local else { return Ok(false) };
        let source = local.path_to_filesystem(&location).map_err(backend)?;
        match tokio::fs::hard_link(&source, path).await {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && tokio::fs::metadata(&source).await.is_err() => {
                Err(FileStoreError::NotFound)
            }
            Err(e) if cannot_link(&e) => {
                tracing::debug!(error = %e, "cannot link an object out of the store; copying it");
                Ok(false)
            }
            Err(e) => Err(backend(e)),
        }
    }
}

/// A hard link failed because it cannot be made here (another filesystem, or one without hard
/// links): the caller copies instead.
fn cannot_link(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::CrossesDevices | std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::Unsupported
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(url: &str) -> FileStoreConfig {
        FileStoreConfig { url: url.into(), ..FileStoreConfig::default() }
    }

    #[test]
    fn urls_name_their_backend() {
        let local = |p: &str| Ok(FileStoreBackend::Local { root: PathBuf::from(p) });
        assert_eq!(config("").backend(), local(DEFAULT_LOCAL_DIR));
        assert_eq!(config("data/x").backend(), local("data/x"));
        assert_eq!(config("/srv/files").backend(), local("/srv/files"));
        assert_eq!(config("file:///srv/my%20files").backend(), local("/srv/my files"));
        assert_eq!(config("memory://").backend(), Ok(FileStoreBackend::InMemory));
        assert_eq!(config("s3://bucket").backend(), Ok(FileStoreBackend::S3 { bucket: "bucket".into(), prefix: None }));
        assert_eq!(
            config("s3://bucket/a/b%20c/").backend(),
            Ok(FileStoreBackend::S3 { bucket: "bucket".into(), prefix: Some("a/b c".into()) })
        );
    }

    #[test]
    fn bad_urls_are_refused_naming_the_url() {
        for url in ["gs://bucket", "s3://", "s3://b/a//c", "s3://b/x?y=1", "file://relative/x"] {
            let err = config(url).backend().unwrap_err();
            assert!(matches!(err, FileStoreSetupError::InvalidUrl { .. }), "{url}: {err:?}");
        }
    }

    impl PartialEq for FileStoreSetupError {
        fn eq(&self, other: &Self) -> bool {
            self.to_string() == other.to_string()
        }
    }

    #[test]
    fn debug_hides_the_secret_key() {
        let config = FileStoreConfig {
            url: "s3://b".into(),
            access_key_id: Some("AKIDEXAMPLE".into()),
            secret_access_key: Some("wJalrXUtnFEMI".into()),
            ..FileStoreConfig::default()
        };
        let text = format!("{config:?}");
        assert!(text.contains("AKIDEXAMPLE") && !text.contains("wJalrXUtnFEMI"), "{text}");
    }

    #[test]
    fn config_rejects_unknown_fields() {
        let err = serde_json::from_str::<FileStoreConfig>(r#"{"url":"x","bucket":"y"}"#).unwrap_err();
        assert!(err.to_string().contains("bucket"), "{err}");
        let parsed: FileStoreConfig = serde_json::from_str(r#"{"url":"s3://b","allow_http":true}"#).unwrap();
        assert_eq!((parsed.url.as_str(), parsed.allow_http, parsed.region), ("s3://b", true, None));
    }

    #[test]
    fn keys_are_refused_unless_canonical() {
        let store = ObjectStoreFileStore::in_memory();
        assert_eq!(store.location("blobs/ab/Season 1/e 1.mkv").unwrap().as_ref(), "blobs/ab/Season 1/e 1.mkv");
        for key in ["", "/a", "a/", "a//b", "a/../b", "./a", "a/\u{1}b"] {
            assert!(store.location(key).is_err(), "{key:?} must be refused");
        }
        let prefixed = ObjectStoreFileStore::in_memory().with_prefix("p/q").unwrap();
        assert_eq!(prefixed.location("blobs/x").unwrap().as_ref(), "p/q/blobs/x");
        assert!(ObjectStoreFileStore::in_memory().with_prefix("/p").is_err());
    }

    #[tokio::test]
    async fn only_a_store_without_a_local_directory_takes_files_while_they_download() {
        let dir = tempfile::tempdir().unwrap();
        let local = ObjectStoreFileStore::from_config(&config(&dir.path().to_string_lossy())).await.unwrap();
        assert!(!local.streams_while_downloading(), "a local directory links finished files");
        let memory = ObjectStoreFileStore::from_config(&config("memory://")).await.unwrap();
        assert!(memory.streams_while_downloading());
        let finished = FileStoreConfig { upload_when_finished: true, ..config("memory://") };
        assert!(!ObjectStoreFileStore::from_config(&finished).await.unwrap().streams_while_downloading());
    }

    #[cfg(feature = "s3")]
    #[tokio::test]
    async fn s3_settings_are_checked_naming_the_key() {
        let base = FileStoreConfig { url: "s3://b".into(), ..FileStoreConfig::default() };
        let plain_http = FileStoreConfig { endpoint: Some("http://127.0.0.1:9".into()), ..base.clone() };
        let err = ObjectStoreFileStore::from_config(&plain_http).await.unwrap_err();
        assert!(err.to_string().contains("`endpoint`"), "{err}");
        let half_keys = FileStoreConfig { access_key_id: Some("id".into()), ..base.clone() };
        let err = ObjectStoreFileStore::from_config(&half_keys).await.unwrap_err();
        assert!(err.to_string().contains("`secret_access_key`"), "{err}");
        let ok = FileStoreConfig {
            endpoint: Some("http://127.0.0.1:9".into()),
            allow_http: true,
            access_key_id: Some("id".into()),
            secret_access_key: Some("secret".into()),
            url: "s3://b/pre".into(),
            ..base
        };
        let store = ObjectStoreFileStore::from_config(&ok).await.unwrap();
        let url = store.presigned_get("blobs/k", Duration::from_secs(60)).await.unwrap().unwrap();
        assert!(url.starts_with("http://127.0.0.1:9/b/pre/blobs/k?"), "{url}");
        assert!(url.contains("X-Amz-Expires=60"), "{url}");
        assert!(!format!("{store:?}").contains("secret"));
    }
}
