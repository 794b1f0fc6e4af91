//! Serving file bytes over HTTP: `Range` requests (RFC 9110 §14), `Content-Disposition`
//! (RFC 6266 with RFC 8187 for non-ASCII names) and the response types of the download, stream
//! and zip operations.
//!
//! Bodies are never buffered: the core's [`ByteStream`](tseeder_core::ports::ByteStream) becomes
//! the response body as it is. Only one range per request is served; a request for several ranges
//! gets the whole file with 200, which RFC 9110 allows (a server may ignore `Range`), so no
//! `multipart/byteranges` bodies are ever built.
//!
//! Resolving a range needs the file's size, which only the core knows. The common forms
//! (`bytes=a-b`, `bytes=a-`) are handed to the core as they are: it cuts them at the end of the
//! file and says what it served, so one lookup and one store read answer the request. Only a
//! suffix (`bytes=-n`), several ranges or an unsatisfiable range need the size first, and pay for
//! a second open.

use std::fmt::Write as _;
use std::ops::Range;

use futures::TryStreamExt as _;
use poem::http::{StatusCode, header};
use poem::{Body, IntoResponse, Response};
use poem_openapi::ApiResponse;
use poem_openapi::registry::{
    MetaHeader, MetaMediaType, MetaResponse, MetaResponses, MetaSchema, MetaSchemaRef, Registry,
};
use tseeder_core::domain::FileId;
use tseeder_core::error::{ErrorCode, ServiceError};
use tseeder_core::services::file::Download;

use crate::error::{ApiError, ApiResult};

/// At most this many ranges are looked at; a longer list is ignored (the whole file is sent).
const MAX_RANGES: usize = 64;

/// One `byte-range-spec` of a `Range: bytes=...` header, before the file's size is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RangeSpec {
    /// `a-b`: bytes `a` to `b` inclusive (`b` may pass the end of the file).
    FromTo(u64, u64),
    /// `a-`: from `a` to the end.
    From(u64),
    /// `-n`: the last `n` bytes.
    Suffix(u64),
}

impl RangeSpec {
    /// The half-open range this spec selects of a file of `size` bytes, or `None` when it is
    /// unsatisfiable (starts at or past the end; a suffix of zero bytes; any range of an empty
    /// file).
    pub(crate) fn resolve(self, size: u64) -> Option<Range<u64>> {
        match self {
            Self::FromTo(first, _) | Self::From(first) if first >= size => None,
            Self::FromTo(first, last) => Some(first..last.saturating_add(1).min(size)),
            Self::From(first) => Some(first..size),
            Self::Suffix(0) => None,
            Self::Suffix(_) if size == 0 => None,
            Self::Suffix(len) => Some(size - len.min(size)..size),
        }
    }

    /// The range to ask the core for without knowing the size (it cuts the end at the file's
    /// end), or `None` for a suffix, which needs the size.
    fn unsized_range(self) -> Option<Range<u64>> {
        match self {
            Self::FromTo(first, last) => Some(first..last.saturating_add(1)),
            Self::From(first) => Some(first..u64::MAX),
            Self::Suffix(_) => None,
        }
    }
}

/// Parses a `Range` header value. `None` means "ignore the header and send the whole file": a unit
/// other than `bytes`, a malformed list, or too many ranges (RFC 9110 §14.2 lets a server ignore
/// `Range`, and requires it for units it does not know).
pub(crate) fn parse_range_header(value: &str) -> Option<Vec<RangeSpec>> {
    let (unit, set) = value.split_once('=')?;
    if !unit.trim().eq_ignore_ascii_case("bytes") {
        return None;
    }
    let mut specs = Vec::new();
    // The list syntax allows empty elements (`bytes=0-1,,2-3`); they are skipped.
    for part in set.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        if specs.len() == MAX_RANGES {
            return None;
        }
        let (first, last) = part.split_once('-')?;
        let spec = match (first.trim(), last.trim()) {
            ("", "") => return None,
            ("", len) => RangeSpec::Suffix(number(len)?),
            (first, "") => RangeSpec::From(number(first)?),
            (first, last) => {
                let (first, last) = (number(first)?, number(last)?);
                if last < first {
                    return None;
                }
                RangeSpec::FromTo(first, last)
            }
        };
        specs.push(spec);
    }
    (!specs.is_empty()).then_some(specs)
}

/// A run of ASCII digits; values past `u64::MAX` saturate (they are past any file's end).
fn number(digits: &str) -> Option<u64> {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(digits.parse().unwrap_or(u64::MAX))
}

/// What to send for these ranges of a file of `size` bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RangeAnswer {
    /// 200 with the whole file (several ranges, at least one satisfiable).
    Full,
    /// 206 with this half-open range.
    Partial(Range<u64>),
    /// 416: no range is satisfiable.
    Unsatisfiable,
}

/// Decides the answer to a parsed `Range` header for a file of `size` bytes.
pub(crate) fn answer_ranges(specs: &[RangeSpec], size: u64) -> RangeAnswer {
    let mut satisfiable = specs.iter().filter_map(|spec| spec.resolve(size));
    match (specs, satisfiable.next()) {
        (_, None) => RangeAnswer::Unsatisfiable,
        ([_], Some(range)) => RangeAnswer::Partial(range),
        (_, Some(_)) => RangeAnswer::Full,
    }
}

/// The strong validator of a file's bytes. Stored files never change (a new download is a new
/// file with a new id), so the id is enough.
pub(crate) fn etag(id: FileId) -> String {
    format!("\"{id}\"")
}

/// The ranges to honour for a request with these `Range` and `If-Range` headers: none when there
/// is no `Range`, when it is ignored, or when `If-Range` does not name the current `ETag` (dates
/// never match: no `Last-Modified` is sent).
pub(crate) fn requested_ranges(range: Option<&str>, if_range: Option<&str>, id: FileId) -> Option<Vec<RangeSpec>> {
    if if_range.is_some_and(|validator| validator.trim() != etag(id)) {
        return None;
    }
    parse_range_header(range?)
}

/// A download opened for a request, and the range it answers.
#[derive(Debug)]
pub(crate) struct Served {
    download: Download,
    /// `Some` for a 206.
    range: Option<Range<u64>>,
}

/// Opens a file for a request, honouring its range. `open` is the core call (with or without a
/// session) that opens the file, or a range of it; it checks access on every call.
pub(crate) async fn open_ranged<F, Fut>(specs: Option<Vec<RangeSpec>>, open: F) -> ApiResult<Served>
where
    F: Fn(Option<Range<u64>>) -> Fut,
    Fut: Future<Output = Result<Download, ServiceError>>,
{
    let Some(specs) = specs else {
        return Ok(Served { download: open(None).await?, range: None });
    };
    if let [spec] = specs.as_slice()
        && let Some(range) = spec.unsized_range()
    {
        return match open(Some(range)).await {
            Ok(download) => {
                let range = download.range.clone();
                Ok(Served { download, range })
            }
            Err(e) if e.code() == ErrorCode::RangeNotSatisfiable => {
                // Open once more (rechecking access) only to learn the size for Content-Range.
                let size = open(None).await?.file.size;
                Err(ApiError::range_not_satisfiable(size))
            }
            Err(e) => Err(e.into()),
        };
    }
    let whole = open(None).await?;
    let size = whole.file.size;
    match answer_ranges(&specs, size) {
        RangeAnswer::Full => Ok(Served { download: whole, range: None }),
        RangeAnswer::Unsatisfiable => Err(ApiError::range_not_satisfiable(size)),
        RangeAnswer::Partial(range) if range == (0..size) => Ok(Served { download: whole, range: Some(range) }),
        RangeAnswer::Partial(range) => {
            drop(whole);
            let download = open(Some(range)).await.map_err(|e| {
                if e.code() == ErrorCode::RangeNotSatisfiable {
                    ApiError::range_not_satisfiable(size)
                } else {
                    e.into()
                }
            })?;
            let range = download.range.clone();
            Ok(Served { download, range })
        }
    }
}

/// How the browser should present a download.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Disposition {
    /// Save it (`/download`, `/zip`).
    Attachment,
    /// Show or play it (`/stream`, for media players).
    Inline,
}

/// Characters RFC 8187 lets through unencoded in an `ext-value` (`attr-char`).
fn is_attr_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b)
}

/// The `Content-Disposition` value for a file called `filename`: `attachment` or `inline`, an
/// ASCII `filename="..."` for old clients (anything else, quotes, backslashes and `%` become
/// `_`), and the exact name as `filename*=UTF-8''<percent-encoded>`.
pub(crate) fn content_disposition(disposition: Disposition, filename: &str) -> String {
    let filename = if filename.is_empty() { "download" } else { filename };
    let fallback: String = filename
        .chars()
        .map(|c| match c {
            '"' | '\\' | '%' => '_',
            ' '..='~' => c,
            _ => '_',
        })
        .collect();
    let mut encoded = String::with_capacity(filename.len() * 3);
    for b in filename.bytes() {
        if is_attr_char(b) {
            encoded.push(char::from(b));
        } else {
            let _ = write!(encoded, "%{b:02X}");
        }
    }
    let kind = match disposition {
        Disposition::Attachment => "attachment",
        Disposition::Inline => "inline",
    };
    format!("{kind}; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

/// The last segment of a `/`-separated path.
pub(crate) fn basename(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// Turns a link the core made on this API (`/api/v1/...`) into an absolute URL with the request's
/// scheme and host (and the configured base path in front of `/api/v1`), so a media player given the link alone can use it. Links that are already
/// absolute (presigned by the object store) pass unchanged, and so does the path when the host is
/// missing or not a plausible `host[:port]`.
pub(crate) fn absolute_link(link: &str, scheme: &str, host: Option<&str>, base_path: &str) -> String {
    match host.filter(|h| plausible_host(h)) {
        _ if !link.starts_with("/api/v1/") => link.to_owned(),
        Some(host) => format!("{scheme}://{host}{base_path}{link}"),
        None => format!("{base_path}{link}"),
    }
}

/// Whether `host` looks like `host[:port]` (and so is safe to put in a URL).
pub(crate) fn plausible_host(host: &str) -> bool {
    !host.is_empty() && host.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._:[]".contains(&b))
}

/// `https` or `http`: the first `X-Forwarded-Proto` entry when the proxy is trusted and says one
/// of those, otherwise whether this connection is TLS.
pub(crate) fn request_scheme(req: &poem::Request, trust_proxy_headers: bool) -> &'static str {
    let forwarded = trust_proxy_headers
        .then(|| req.header("x-forwarded-proto"))
        .flatten()
        .and_then(|value| value.split(',').next())
        .map(|proto| proto.trim().to_ascii_lowercase());
    match forwarded.as_deref() {
        Some("https") => "https",
        Some("http") => "http",
        _ if *req.scheme() == poem::http::uri::Scheme::HTTPS => "https",
        _ => "http",
    }
}

/// The request's `Host` (HTTP/1.1) or `:authority` (HTTP/2).
pub(crate) fn request_host(req: &poem::Request) -> Option<String> {
    req.header(header::HOST).map(str::to_owned).or_else(|| req.uri().authority().map(|a| a.to_string()))
}

fn binary_schema() -> MetaSchemaRef {
    MetaSchemaRef::Inline(Box::new(MetaSchema::new_with_format("string", "binary")))
}

fn string_header(name: &str, description: &str) -> MetaHeader {
    MetaHeader {
        name: name.to_owned(),
        description: Some(description.to_owned()),
        required: false,
        deprecated: false,
        schema: MetaSchemaRef::Inline(Box::new(MetaSchema::new("string"))),
    }
}

/// A file's bytes, streamed: the whole file (200) or one range of it (206).
#[derive(Debug)]
pub(crate) struct FileBody(Response);

impl FileBody {
    /// The response for an opened file.
    pub(crate) fn new(served: Served, disposition: Disposition) -> Self {
        let Served { download, range } = served;
        let file = &download.file;
        let content_type = file.mime_type.clone().unwrap_or_else(|| "application/octet-stream".to_owned());
        let mut builder = Response::builder()
            .content_type(content_type)
            .header(header::CONTENT_DISPOSITION, content_disposition(disposition, basename(file.path.as_str())))
            .header(header::ACCEPT_RANGES, "bytes")
            .header(header::ETAG, etag(file.id));
        let length = match &range {
            Some(range) => {
                let last = range.end.saturating_sub(1);
                builder = builder
                    .status(StatusCode::PARTIAL_CONTENT)
                    .header(header::CONTENT_RANGE, format!("bytes {}-{last}/{}", range.start, file.size));
                range.end - range.start
            }
            None => file.size,
        };
        let body = Body::from_bytes_stream(download.body.map_err(std::io::Error::other));
        Self(builder.header(header::CONTENT_LENGTH, length).body(body))
    }
}

impl IntoResponse for FileBody {
    fn into_response(self) -> Response {
        self.0
    }
}

fn file_headers() -> Vec<MetaHeader> {
    vec![
        string_header(
            "Content-Disposition",
            "`attachment` (download) or `inline` (stream), with `filename` and `filename*`.",
        ),
        string_header("Accept-Ranges", "Always `bytes`."),
        string_header("Content-Length", "Bytes in this response."),
        string_header("ETag", "The file's strong validator, for `If-Range`."),
    ]
}

impl ApiResponse for FileBody {
    fn meta() -> MetaResponses {
        let mut partial = file_headers();
        partial.push(string_header("Content-Range", "`bytes <first>-<last>/<size>`."));
        MetaResponses {
            responses: vec![
                MetaResponse {
                    description: "The whole file. `Content-Type` is the file's type (`application/octet-stream` when unknown).",
                    status: Some(200),
                    status_range: None,
                    content: vec![MetaMediaType { content_type: "application/octet-stream", schema: binary_schema() }],
                    headers: file_headers(),
                },
                MetaResponse {
                    description: "The one range asked for with `Range: bytes=a-b`, `bytes=a-` or `bytes=-n`.",
                    status: Some(206),
                    status_range: None,
                    content: vec![MetaMediaType { content_type: "application/octet-stream", schema: binary_schema() }],
                    headers: partial,
                },
            ],
        }
    }

    fn register(_registry: &mut Registry) {}
}

/// A zip archive of a job's files, streamed as it is built.
#[derive(Debug)]
pub(crate) struct ZipBody(Response);

impl ZipBody {
    /// The response for an archive named after the job.
    pub(crate) fn new(job_name: &str, body: Body) -> Self {
        let name: String = job_name.chars().map(|c| if matches!(c, '/' | '\\') { '_' } else { c }).collect();
        let disposition = content_disposition(Disposition::Attachment, &format!("{name}.zip"));
        Self(
            Response::builder()
                .content_type("application/zip")
                .header(header::CONTENT_DISPOSITION, disposition)
                .body(body),
        )
    }
}

impl IntoResponse for ZipBody {
    fn into_response(self) -> Response {
        self.0
    }
}

impl ApiResponse for ZipBody {
    fn meta() -> MetaResponses {
        MetaResponses {
            responses: vec![MetaResponse {
                description: "A zip archive (entries stored uncompressed, at their paths in the job), streamed without \
                              `Content-Length`. A transfer that breaks off means the archive could not be completed.",
                status: Some(200),
                status_range: None,
                content: vec![MetaMediaType { content_type: "application/zip", schema: binary_schema() }],
                headers: vec![string_header("Content-Disposition", "`attachment; filename=\"<job name>.zip\"`.")],
            }],
        }
    }

    fn register(_registry: &mut Registry) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    use RangeSpec::{From, FromTo, Suffix};

    fn parse(value: &str) -> Option<Vec<RangeSpec>> {
        parse_range_header(value)
    }

    /// Fuzz target (budget `TSEEDER_FUZZ_MS`, 2 s by default): any `Range` header, any file
    /// size: no panic, and every answer lies inside the file.
    #[test]
    fn range_headers_never_panic_and_answers_stay_inside_the_file() {
        arbtest::arbtest(|u| {
            let value: String = if u.arbitrary()? {
                u.arbitrary()?
            } else {
                let parts: Vec<String> = (0..u.int_in_range(0..=4)?)
                    .map(|_| {
                        let a: Option<u64> = u.arbitrary()?;
                        let b: Option<u64> = u.arbitrary()?;
                        Ok(format!(
                            "{}-{}",
                            a.map(|n| n.to_string()).unwrap_or_default(),
                            b.map(|n| n.to_string()).unwrap_or_default()
                        ))
                    })
                    .collect::<arbitrary::Result<_>>()?;
                format!("bytes={}", parts.join(","))
            };
            let size: u64 = if u.arbitrary()? { u.arbitrary()? } else { u.int_in_range(0..=100)? };
            if let Some(specs) = parse(&value) {
                assert!(!specs.is_empty() && specs.len() <= MAX_RANGES);
                match answer_ranges(&specs, size) {
                    RangeAnswer::Partial(range) => {
                        assert!(range.start < range.end && range.end <= size, "{value} {size}")
                    }
                    RangeAnswer::Full | RangeAnswer::Unsatisfiable => {}
                }
            }
            let _ = requested_ranges(Some(&value), u.arbitrary::<Option<&str>>()?, FileId::new());
            Ok(())
        })
        .budget_ms(crate::fuzz_budget_ms());
    }

    fn answer(value: &str, size: u64) -> Option<RangeAnswer> {
        parse(value).map(|specs| answer_ranges(&specs, size))
    }

    #[test]
    fn the_three_forms_parse() {
        assert_eq!(parse("bytes=0-1"), Some(vec![FromTo(0, 1)]));
        assert_eq!(parse("bytes=500-"), Some(vec![From(500)]));
        assert_eq!(parse("bytes=-20"), Some(vec![Suffix(20)]));
        assert_eq!(parse("Bytes = 1-2 , 4-"), Some(vec![FromTo(1, 2), From(4)]));
        assert_eq!(parse("bytes=0-1,,3-4"), Some(vec![FromTo(0, 1), FromTo(3, 4)]));
    }

    #[test]
    fn malformed_headers_are_ignored() {
        for value in [
            "",
            "bytes",
            "bytes=",
            "bytes=-",
            "bytes=a-b",
            "bytes=5-3",
            "bytes=1-2-3",
            "bytes=+1-2",
            "bytes=0x1-",
            "items=0-1",
            "bytes=0-1,x",
            "0-1",
        ] {
            assert_eq!(parse(value), None, "{value:?}");
        }
        let many = format!("bytes={}", vec!["0-0"; MAX_RANGES + 1].join(","));
        assert_eq!(parse(&many), None, "too many ranges");
    }

    #[test]
    fn huge_positions_saturate() {
        assert_eq!(parse("bytes=0-99999999999999999999999"), Some(vec![FromTo(0, u64::MAX)]));
        assert_eq!(answer("bytes=0-99999999999999999999999", 10), Some(RangeAnswer::Partial(0..10)));
        assert_eq!(answer("bytes=99999999999999999999999-", 10), Some(RangeAnswer::Unsatisfiable));
    }

    #[test]
    fn ranges_resolve_against_the_size() {
        assert_eq!(answer("bytes=0-1", 100), Some(RangeAnswer::Partial(0..2)), "0-1 is exactly two bytes");
        assert_eq!(answer("bytes=10-", 100), Some(RangeAnswer::Partial(10..100)));
        assert_eq!(answer("bytes=90-200", 100), Some(RangeAnswer::Partial(90..100)), "the end is cut");
        assert_eq!(answer("bytes=-10", 100), Some(RangeAnswer::Partial(90..100)));
        assert_eq!(answer("bytes=-1000", 100), Some(RangeAnswer::Partial(0..100)), "a long suffix is the file");
        assert_eq!(answer("bytes=99-99", 100), Some(RangeAnswer::Partial(99..100)));
    }

    #[test]
    fn ranges_past_the_end_are_unsatisfiable() {
        assert_eq!(answer("bytes=100-", 100), Some(RangeAnswer::Unsatisfiable));
        assert_eq!(answer("bytes=100-200", 100), Some(RangeAnswer::Unsatisfiable));
        assert_eq!(answer("bytes=-0", 100), Some(RangeAnswer::Unsatisfiable));
        assert_eq!(answer("bytes=0-", 0), Some(RangeAnswer::Unsatisfiable), "an empty file has no bytes");
        assert_eq!(answer("bytes=-5", 0), Some(RangeAnswer::Unsatisfiable));
        assert_eq!(answer("bytes=200-300,400-", 100), Some(RangeAnswer::Unsatisfiable));
    }

    #[test]
    fn several_ranges_get_the_whole_file() {
        assert_eq!(answer("bytes=0-1,5-6", 100), Some(RangeAnswer::Full));
        assert_eq!(answer("bytes=0-1,500-", 100), Some(RangeAnswer::Full), "one satisfiable range is enough");
    }

    #[test]
    fn if_range_must_name_the_current_etag() {
        let id = FileId::new();
        assert_eq!(requested_ranges(Some("bytes=0-1"), None, id), Some(vec![FromTo(0, 1)]));
        assert_eq!(requested_ranges(Some("bytes=0-1"), Some(&etag(id)), id), Some(vec![FromTo(0, 1)]));
        assert_eq!(requested_ranges(Some("bytes=0-1"), Some("\"other\""), id), None);
        assert_eq!(requested_ranges(Some("bytes=0-1"), Some("Wed, 21 Oct 2015 07:28:00 GMT"), id), None);
        assert_eq!(requested_ranges(None, None, id), None);
    }

    #[test]
    fn unsized_ranges_let_the_core_cut_the_end() {
        assert_eq!(FromTo(0, 1).unsized_range(), Some(0..2));
        assert_eq!(FromTo(5, u64::MAX).unsized_range(), Some(5..u64::MAX));
        assert_eq!(From(7).unsized_range(), Some(7..u64::MAX));
        assert_eq!(Suffix(3).unsized_range(), None);
    }

    #[test]
    fn ascii_names_are_kept() {
        assert_eq!(
            content_disposition(Disposition::Attachment, "movie (2024).mkv"),
            "attachment; filename=\"movie (2024).mkv\"; filename*=UTF-8''movie%20%282024%29.mkv"
        );
    }

    #[test]
    fn unicode_names_are_percent_encoded_with_an_ascii_fallback() {
        assert_eq!(
            content_disposition(Disposition::Inline, "Amélie ☕.mp4"),
            "inline; filename=\"Am_lie _.mp4\"; filename*=UTF-8''Am%C3%A9lie%20%E2%98%95.mp4"
        );
    }

    #[test]
    fn quotes_and_escapes_cannot_break_out_of_the_header() {
        let value = content_disposition(Disposition::Attachment, "a\"b\\c%41;d\r\ne.txt");
        assert_eq!(value, "attachment; filename=\"a_b_c_41;d__e.txt\"; filename*=UTF-8''a%22b%5Cc%2541%3Bd%0D%0Ae.txt");
        assert!(poem::http::HeaderValue::from_str(&value).is_ok());
        assert_eq!(
            content_disposition(Disposition::Attachment, ""),
            content_disposition(Disposition::Attachment, "download")
        );
    }

    #[test]
    fn basenames_are_the_last_segment() {
        assert_eq!(basename("show/s1/e1.mkv"), "e1.mkv");
        assert_eq!(basename("e1.mkv"), "e1.mkv");
    }

    #[test]
    fn links_on_this_api_become_absolute() {
        let link = "/api/v1/files/x/stream?expires=1&token=t";
        assert_eq!(
            absolute_link(link, "https", Some("media.example:8443"), ""),
            format!("https://media.example:8443{link}")
        );
        assert_eq!(absolute_link(link, "http", Some("[::1]:8080"), ""), format!("http://[::1]:8080{link}"));
        assert_eq!(
            absolute_link(link, "http", None, ""),
            link,
            "no host: the path is still usable relative to the API"
        );
        assert_eq!(absolute_link(link, "http", Some("evil.example/@x"), ""), link);
        let presigned = "https://bucket.s3.example/blob?X-Amz-Signature=1";
        assert_eq!(absolute_link(presigned, "http", Some("api.example"), ""), presigned);
    }
}
