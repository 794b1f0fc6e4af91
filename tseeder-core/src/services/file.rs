//! Stored files: listing, downloading (with ranges), signed links, deletion.
//!
//! A signed link lets a media player fetch a file without a session. When the object store can
//! presign URLs (S3, R2, MinIO) the link points at the store; otherwise it points at this API with
//! an expiry and an HMAC-SHA256 tag over the file id and expiry, keyed by the server's link secret.
//!
//! Every download is metered: the bytes a body yields are added to the organization's served
//! bytes for the month when the body ends or is dropped, so a client that goes away counts what
//! it received. A presigned link is served by the store, out of sight, so signing one counts the
//! whole file. Once the month's bandwidth is used up, downloads are refused
//! ([`Plan::check_download`](crate::domain::Plan::check_download)) until the next month.

use std::ops::Range;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use chrono::{DateTime, Utc};
use futures::Stream;
use serde_json::json;

use super::{JobService, Ports, RequestMeta, audit_entry};
use crate::auth::{Principal, hmac_sha256};
use crate::domain::{FileId, Job, JobId, Month, OrgId, Scope, StoredFile, TransferKind};
use crate::error::{ErrorCode, Missing, RepoError, ServiceError};
use crate::ports::{BandwidthMeter, ByteStream, Clock, FileStoreError};

/// A time-limited download link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedLink {
    /// An absolute URL (presigned by the store) or a path on this API starting with `/api/v1/`.
    pub url: String,
    /// When it stops working.
    pub expires_at: DateTime<Utc>,
}

/// An open download.
pub struct Download {
    /// The file.
    pub file: StoredFile,
    /// The bytes (the requested range, or all).
    pub body: ByteStream,
    /// The byte range served, when a range was asked for.
    pub range: Option<Range<u64>>,
}

impl std::fmt::Debug for Download {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Download").field("file", &self.file).field("range", &self.range).finish_non_exhaustive()
    }
}

/// File operations.
#[derive(Debug, Clone)]
pub struct FileService {
    ports: Ports,
    jobs: JobService,
    link_secret: Arc<[u8]>,
}

fn file_not_found(e: RepoError) -> ServiceError {
    match e {
        RepoError::NotFound => ServiceError::NotFound { what: Missing::File },
        other => other.into(),
    }
}

fn store_err(e: FileStoreError) -> ServiceError {
    match e {
        FileStoreError::NotFound => ServiceError::NotFound { what: Missing::File },
        FileStoreError::InvalidRange => {
            ServiceError::invalid(ErrorCode::RangeNotSatisfiable, "the requested range is outside the file")
        }
        FileStoreError::Backend(e) => ServiceError::Internal(e),
    }
}

/// A download's body that counts the bytes it yields and adds them to the organization's served
/// bytes once, when it ends or is dropped.
struct Metered {
    inner: ByteStream,
    meter: Arc<dyn BandwidthMeter>,
    clock: Arc<dyn Clock>,
    org: OrgId,
    bytes: u64,
}

impl Metered {
    fn wrap(ports: &Ports, org: OrgId, inner: ByteStream) -> ByteStream {
        Box::pin(Self { inner, meter: Arc::clone(&ports.meter), clock: Arc::clone(&ports.clock), org, bytes: 0 })
    }

    /// Records what was counted so far (once: the count is taken).
    fn flush(&mut self) {
        let bytes = std::mem::take(&mut self.bytes);
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            if bytes > 0 {
                tracing::warn!(org = %self.org, bytes, "served bytes dropped outside a runtime were not metered");
            }
            return;
        };
        if bytes == 0 {
            return;
        }
        let (meter, org, month) = (Arc::clone(&self.meter), self.org, Month::of(self.clock.now()));
        runtime.spawn(async move {
            if let Err(e) = meter.record(org, month, TransferKind::Served, bytes).await {
                tracing::warn!(%org, bytes, error = %e, "could not meter served bytes");
            }
        });
    }
}

impl Stream for Metered {
    type Item = Result<bytes::Bytes, FileStoreError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let polled = self.inner.as_mut().poll_next(cx);
        match &polled {
            Poll::Ready(Some(Ok(chunk))) => self.bytes = self.bytes.saturating_add(chunk.len() as u64),
            Poll::Ready(None) => self.flush(),
            Poll::Ready(Some(Err(_))) | Poll::Pending => {}
        }
        polled
    }
}

impl Drop for Metered {
    fn drop(&mut self) {
        self.flush();
    }
}

impl FileService {
    /// Builds the service. `link_secret` keys the HMAC of signed links.
    pub fn new(ports: Ports, jobs: JobService, link_secret: &[u8]) -> Self {
        Self { ports, jobs, link_secret: Arc::from(link_secret) }
    }

    /// A job's files (owner, or staff).
    pub async fn list(&self, principal: &Principal, job: JobId) -> Result<(Job, Vec<StoredFile>), ServiceError> {
        let job = self.jobs.get(principal, job).await?;
        let files = self.ports.files.list_files(job.id).await?;
        Ok((job, files))
    }

    /// A file the caller may read, with its job.
    pub async fn get(&self, principal: &Principal, id: FileId) -> Result<(Job, StoredFile), ServiceError> {
        principal.require_scope(Scope::JobsRead)?;
        let file = self.ports.files.get_file(id).await.map_err(file_not_found)?;
        let job = self.jobs.get(principal, file.job_id).await.map_err(|e| match e {
            ServiceError::NotFound { .. } => ServiceError::NotFound { what: Missing::File },
            other => other,
        })?;
        Ok((job, file))
    }

    /// Opens a file for download, optionally a half-open byte range of it.
    pub async fn open(
        &self,
        principal: &Principal,
        id: FileId,
        range: Option<Range<u64>>,
    ) -> Result<Download, ServiceError> {
        let (job, file) = self.get(principal, id).await?;
        self.open_file(job.org_id, file, range).await
    }

    /// Refuses a download once the organization's monthly bandwidth is used up (429
    /// `quota_bandwidth` with the reset time). An organization without a plan is not refused:
    /// its files are still its own.
    async fn may_download(&self, org: OrgId) -> Result<(), ServiceError> {
        let plan = match super::job::org_plan(&self.ports, org).await {
            Err(RepoError::NotFound) => return Ok(()),
            other => other?,
        };
        if plan.bandwidth_bytes.as_option().is_none() {
            return Ok(());
        }
        let bandwidth = self.ports.meter.bandwidth(org, Month::of(self.ports.clock.now())).await?;
        Ok(plan.check_download(&bandwidth)?)
    }

    async fn open_file(
        &self,
        org: OrgId,
        file: StoredFile,
        range: Option<Range<u64>>,
    ) -> Result<Download, ServiceError> {
        let range = match range {
            None => None,
            Some(r) if r.start >= file.size || r.start >= r.end => {
                return Err(ServiceError::invalid(
                    ErrorCode::RangeNotSatisfiable,
                    format!("the file has {} bytes", file.size),
                ));
            }
            Some(r) => Some(r.start..r.end.min(file.size)),
        };
        self.may_download(org).await?;
        let body = self.ports.store.get(&file.blob_key, range.clone()).await.map_err(store_err)?;
        Ok(Download { file, body: Metered::wrap(&self.ports, org, body), range })
    }

    fn tag(&self, id: FileId, expires: i64) -> String {
        hex::encode(hmac_sha256(&self.link_secret, format!("tseeder file link v1:{id}:{expires}").as_bytes()))
    }

    /// Creates a link that downloads the file without a session until it expires
    /// (`expires_in_secs` from 60 to 86400).
    pub async fn sign(
        &self,
        principal: &Principal,
        id: FileId,
        expires_in_secs: u64,
        meta: &RequestMeta,
    ) -> Result<SignedLink, ServiceError> {
        if !(60..=86_400).contains(&expires_in_secs) {
            return Err(ServiceError::invalid(
                ErrorCode::InvalidExpiry,
                "expiresIn must be between 60 and 86400 seconds",
            ));
        }
        let (job, file) = self.get(principal, id).await?;
        self.may_download(job.org_id).await?;
        let now = self.ports.clock.now();
        let expires_at = now + chrono::Duration::seconds(expires_in_secs as i64);
        let url = match self
            .ports
            .store
            .presigned_get(&file.blob_key, Duration::from_secs(expires_in_secs))
            .await
            .map_err(store_err)?
        {
            Some(url) => {
                // The store serves it out of sight: the whole file counts now.
                super::job::record_transfer(&self.ports, job.org_id, TransferKind::Served, file.size).await;
                url
            }
            None => {
                let exp = expires_at.timestamp();
                format!("/api/v1/files/{id}/stream?expires={exp}&token={}", self.tag(id, exp))
            }
        };
        self.ports
            .audit
            .record(&audit_entry(
                &self.ports,
                Some(principal.user_id),
                "file.signed_url",
                "file",
                Some(id.to_string()),
                json!({ "expiresAt": expires_at }),
                meta,
            ))
            .await?;
        Ok(SignedLink { url, expires_at })
    }

    /// Opens a file through a signed link (no session). Expired or forged links are refused.
    pub async fn open_signed(
        &self,
        id: FileId,
        expires: i64,
        token: &str,
        range: Option<Range<u64>>,
    ) -> Result<Download, ServiceError> {
        use subtle::ConstantTimeEq;
        let valid: bool = self.tag(id, expires).as_bytes().ct_eq(token.as_bytes()).into();
        if !valid {
            return Err(ServiceError::forbidden(ErrorCode::InvalidLink, "this download link is not valid"));
        }
        if self.ports.clock.now().timestamp() > expires {
            return Err(ServiceError::forbidden(ErrorCode::LinkExpired, "this download link has expired"));
        }
        let file = self.ports.files.get_file(id).await.map_err(file_not_found)?;
        let job = self.ports.jobs.get_job(file.job_id).await.map_err(file_not_found)?;
        self.open_file(job.org_id, file, range).await
    }

    /// Deletes one file of the caller's job; its blob goes when no other job uses it.
    pub async fn delete(&self, principal: &Principal, id: FileId, meta: &RequestMeta) -> Result<(), ServiceError> {
        principal.require_scope(Scope::JobsWrite)?;
        let (job, file) = self.get(principal, id).await?;
        if !principal.can_change_job(&job) {
            return Err(ServiceError::NotFound { what: Missing::File });
        }
        if let Some(orphan) = self.ports.files.delete_file(id).await.map_err(file_not_found)? {
            self.ports.store.delete(&orphan).await.map_err(store_err)?;
        }
        self.ports
            .audit
            .record(&audit_entry(
                &self.ports,
                Some(principal.user_id),
                "file.deleted",
                "file",
                Some(id.to_string()),
                json!({ "jobId": job.id, "path": file.path }),
                meta,
            ))
            .await?;
        Ok(())
    }

    /// A job's files for a zip archive of them: [`FileService::list`], refused once the
    /// organization's monthly bandwidth is used up. Read each with [`FileService::open_listed`].
    pub async fn archive(&self, principal: &Principal, job: JobId) -> Result<(Job, Vec<StoredFile>), ServiceError> {
        let (job, files) = self.list(principal, job).await?;
        self.may_download(job.org_id).await?;
        Ok((job, files))
    }

    /// Opens a file of `job` already authorised by [`FileService::archive`], metered as served.
    pub async fn open_listed(&self, job: &Job, file: StoredFile) -> Result<ByteStream, ServiceError> {
        let body = self.ports.store.get(&file.blob_key, None).await.map_err(store_err)?;
        Ok(Metered::wrap(&self.ports, job.org_id, body))
    }
}
