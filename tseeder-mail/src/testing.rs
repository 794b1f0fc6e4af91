//! [`SmtpSink`]: a real, minimal SMTP server on the loopback interface that accepts every
//! message and keeps it, so tests can send through [`SmtpMailer`](crate::SmtpMailer) (or anything
//! else that speaks SMTP) and read what arrived: sender, recipients, subject, bodies, links.
//!
//! It speaks just enough ESMTP for a client such as lettre: `EHLO`/`HELO` (advertising
//! `8BITMIME`, `SMTPUTF8` and `AUTH PLAIN LOGIN`, no `STARTTLS`), `AUTH` (any credentials pass),
//! `MAIL FROM`, `RCPT TO`, `DATA` (dot-stuffing undone), `RSET`, `NOOP` and `QUIT`.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use data_encoding::BASE64_NOPAD;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::tcp::OwnedReadHalf;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;
use tokio::task::{JoinHandle, JoinSet};

/// A loopback SMTP server that accepts every message. It stops when dropped.
#[derive(Debug)]
pub struct SmtpSink {
    addr: SocketAddr,
    shared: Arc<Shared>,
    server: JoinHandle<()>,
}

#[derive(Debug, Default)]
struct Shared {
    messages: Mutex<Vec<Received>>,
    arrived: Notify,
    /// A recipient answered with `550`.
    refused: Option<String>,
}

/// One message as the sink received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    /// The envelope sender (`MAIL FROM`).
    pub from: String,
    /// The envelope recipients (`RCPT TO`), in order.
    pub to: Vec<String>,
    /// The message as sent after `DATA` (headers and body, CRLF line ends, dot-stuffing undone).
    pub data: String,
}

impl SmtpSink {
    /// Starts a sink on `127.0.0.1` on a free port.
    pub async fn start() -> Self {
        Self::start_with(None).await
    }

    /// Starts a sink that answers `550 no such user` to `RCPT TO` of `address` (any case).
    pub async fn start_refusing(address: &str) -> Self {
        Self::start_with(Some(address.to_owned())).await
    }

    async fn start_with(refused: Option<String>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind a loopback port for the SMTP sink");
        let addr = listener.local_addr().expect("the SMTP sink's address");
        let shared = Arc::new(Shared { refused, ..Shared::default() });
        let state = Arc::clone(&shared);
        let server = tokio::spawn(async move {
            // Dropping the set (when the sink aborts this task) ends every open conversation.
            let mut conversations = JoinSet::new();
            while let Ok((stream, _)) = listener.accept().await {
                while conversations.try_join_next().is_some() {}
                conversations.spawn(converse(stream, Arc::clone(&state)));
            }
        });
        Self { addr, shared, server }
    }

    /// The URL to give [`MailConfig::smtp_url`](crate::MailConfig::smtp_url):
    /// `smtp://127.0.0.1:PORT` (plain SMTP, no TLS).
    pub fn url(&self) -> String {
        format!("smtp://{}", self.addr)
    }

    /// The port the sink listens on (for URLs with credentials: `smtp://user:pw@127.0.0.1:PORT`).
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// The messages received so far, oldest first.
    pub fn messages(&self) -> Vec<Received> {
        self.shared.messages.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// Waits until at least `count` messages have arrived or `timeout` has passed, and returns
    /// the messages received by then (fewer than `count` on timeout).
    pub async fn wait_for(&self, count: usize, timeout: Duration) -> Vec<Received> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            // Registered before looking, so an arrival in between is not missed.
            let arrived = self.shared.arrived.notified();
            let messages = self.messages();
            if messages.len() >= count || tokio::time::timeout_at(deadline, arrived).await.is_err() {
                return messages;
            }
        }
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.server.abort();
    }
}

/// One SMTP conversation; ends at `QUIT`, at end of stream or on an I/O error.
async fn converse(stream: TcpStream, shared: Arc<Shared>) -> std::io::Result<()> {
    let (reader, mut writer) = stream.into_split();
    let mut reader = BufReader::new(reader);
    writer.write_all(b"220 tseeder-sink ESMTP ready\r\n").await?;
    let (mut from, mut to) = (String::new(), Vec::new());
    while let Some(line) = read_line(&mut reader).await? {
        let verb = line.split(' ').next().unwrap_or_default().to_ascii_uppercase();
        let reply = match verb.as_str() {
            "EHLO" => "250-tseeder-sink\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250 AUTH PLAIN LOGIN\r\n",
            "HELO" => "250 tseeder-sink\r\n",
            "AUTH" => match auth_challenges(&line) {
                Some(challenges) => {
                    for challenge in challenges {
                        writer.write_all(challenge.as_bytes()).await?;
                        read_line(&mut reader).await?;
                    }
                    "235 2.7.0 accepted\r\n"
                }
                None => "504 5.5.4 unrecognized authentication type\r\n",
            },
            "MAIL" => {
                from = path(&line);
                to.clear();
                "250 2.1.0 ok\r\n"
            }
            "RCPT" => {
                let address = path(&line);
                if shared.refused.as_deref().is_some_and(|refused| refused.eq_ignore_ascii_case(&address)) {
                    "550 5.1.1 no such user\r\n"
                } else {
                    to.push(address);
                    "250 2.1.5 ok\r\n"
                }
            }
            "DATA" => {
                writer.write_all(b"354 end data with <CR><LF>.<CR><LF>\r\n").await?;
                let mut data = String::new();
                loop {
                    match read_line(&mut reader).await? {
                        Some(data_line) if data_line == "." => break,
                        Some(data_line) => {
                            data.push_str(data_line.strip_prefix('.').unwrap_or(&data_line));
                            data.push_str("\r\n");
                        }
                        None => return Ok(()),
                    }
                }
                let message = Received { from: std::mem::take(&mut from), to: std::mem::take(&mut to), data };
                shared.messages.lock().unwrap_or_else(PoisonError::into_inner).push(message);
                shared.arrived.notify_waiters();
                "250 2.0.0 queued\r\n"
            }
            "RSET" => {
                from.clear();
                to.clear();
                "250 2.0.0 ok\r\n"
            }
            "NOOP" => "250 2.0.0 ok\r\n",
            "QUIT" => {
                writer.write_all(b"221 2.0.0 bye\r\n").await?;
                return Ok(());
            }
            _ => "502 5.5.2 command not recognized\r\n",
        };
        writer.write_all(reply.as_bytes()).await?;
    }
    Ok(())
}

/// The challenges the sink sends for `AUTH <mechanism> [initial-response]` before accepting any
/// answer: none for `PLAIN` with its initial response, one empty challenge for `PLAIN` without,
/// `Username:` then `Password:` (base64) for `LOGIN`. `None`: an unknown mechanism.
fn auth_challenges(command: &str) -> Option<&'static [&'static str]> {
    const NONE: &[&str] = &[];
    const PLAIN: &[&str] = &["334 \r\n"];
    const LOGIN: &[&str] = &["334 VXNlcm5hbWU6\r\n", "334 UGFzc3dvcmQ6\r\n"];
    let mut words = command.split(' ').skip(1);
    match (words.next()?.to_ascii_uppercase().as_str(), words.next()) {
        ("PLAIN", Some(_)) => Some(NONE),
        ("PLAIN", None) => Some(PLAIN),
        ("LOGIN", _) => Some(LOGIN),
        _ => None,
    }
}

/// The next line without its line end; `None` at end of stream. Bytes that are not UTF-8 become
/// U+FFFD.
async fn read_line(reader: &mut BufReader<OwnedReadHalf>) -> std::io::Result<Option<String>> {
    let mut line = Vec::new();
    if reader.read_until(b'\n', &mut line).await? == 0 {
        return Ok(None);
    }
    let line = String::from_utf8_lossy(&line);
    Ok(Some(line.trim_end_matches(['\r', '\n']).to_owned()))
}

/// The address in `MAIL FROM:<a@b> BODY=8BITMIME` or `RCPT TO:<a@b>`.
fn path(command: &str) -> String {
    let after_colon = command.split_once(':').map_or("", |(_, rest)| rest.trim_start());
    match after_colon.strip_prefix('<').and_then(|rest| rest.split_once('>')) {
        Some((address, _)) => address.to_owned(),
        None => after_colon.split(' ').next().unwrap_or_default().to_owned(),
    }
}

impl Received {
    /// The `Subject` header, unfolded, with RFC 2047 encoded words (`=?utf-8?b?…?=`,
    /// `=?utf-8?q?…?=`) decoded.
    pub fn subject(&self) -> Option<String> {
        header(split_entity(&self.data).0, "Subject").map(|value| decode_words(&value))
    }

    /// The decoded `text/plain` body (the first one, nested multiparts included), with `\n`
    /// line ends.
    pub fn text_body(&self) -> Option<String> {
        find_part(&self.data, "text/plain")
    }

    /// The decoded `text/html` body, with `\n` line ends.
    pub fn html_body(&self) -> Option<String> {
        find_part(&self.data, "text/html")
    }

    /// The first URL in the text body that starts with `prefix`: it runs to the first space,
    /// quote or angle bracket, without trailing punctuation.
    pub fn first_link(&self, prefix: &str) -> Option<String> {
        let text = self.text_body()?;
        let start = text.find(prefix)?;
        let link = text[start..].split(|c: char| c.is_whitespace() || "<>\"'".contains(c)).next()?;
        Some(link.trim_end_matches(['.', ',', ';', ':', '!', '?', ')']).to_owned())
    }
}

/// An entity's header block and its body (split at the first empty line).
fn split_entity(entity: &str) -> (&str, &str) {
    match entity.strip_prefix("\r\n") {
        Some(body) => ("", body),
        None => entity.split_once("\r\n\r\n").unwrap_or((entity, "")),
    }
}

/// The unfolded value of the first header called `name` (any case).
fn header(headers: &str, name: &str) -> Option<String> {
    let unfolded = headers.replace("\r\n ", " ").replace("\r\n\t", "\t");
    unfolded.split("\r\n").find_map(|line| {
        let (key, value) = line.split_once(':')?;
        key.trim().eq_ignore_ascii_case(name).then(|| value.trim().to_owned())
    })
}

/// The decoded body of the first part of type `mime` in `entity`, looking inside multiparts.
fn find_part(entity: &str, mime: &str) -> Option<String> {
    let (headers, body) = split_entity(entity);
    let content_type = header(headers, "Content-Type").unwrap_or_else(|| "text/plain".to_owned());
    if let Some(boundary) = content_type.split(';').find_map(|param| param.trim().strip_prefix("boundary=")) {
        let delimiter = format!("--{}", boundary.trim_matches('"'));
        return body.split(delimiter.as_str()).skip(1).take_while(|part| !part.starts_with("--")).find_map(|part| {
            let part = part.strip_prefix("\r\n").unwrap_or(part);
            find_part(part.strip_suffix("\r\n").unwrap_or(part), mime)
        });
    }
    if !content_type.to_ascii_lowercase().starts_with(mime) {
        return None;
    }
    let encoding = header(headers, "Content-Transfer-Encoding").unwrap_or_default().to_ascii_lowercase();
    let bytes = match encoding.as_str() {
        "quoted-printable" => decode_quoted_printable(body.replace("=\r\n", "").as_bytes(), false),
        "base64" => decode_base64(body),
        _ => body.as_bytes().to_vec(),
    };
    Some(String::from_utf8_lossy(&bytes).replace("\r\n", "\n"))
}

/// `=XX` escapes (and, in encoded words, `_` for a space); a stray `=` stays as it is.
fn decode_quoted_printable(input: &[u8], underscore_is_space: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len());
    let mut rest = input;
    while let Some((&byte, tail)) = rest.split_first() {
        let hex = tail.get(..2).filter(|hex| hex.iter().all(u8::is_ascii_hexdigit));
        match (byte, hex.and_then(|hex| u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok())) {
            (b'=', Some(decoded)) => {
                out.push(decoded);
                rest = &tail[2..];
            }
            (b'_', _) if underscore_is_space => {
                out.push(b' ');
                rest = tail;
            }
            _ => {
                out.push(byte);
                rest = tail;
            }
        }
    }
    out
}

/// Base64 with line breaks and padding ignored; garbage decodes to nothing.
fn decode_base64(input: &str) -> Vec<u8> {
    let clean: String = input.chars().filter(|c| !c.is_whitespace() && *c != '=').collect();
    BASE64_NOPAD.decode(clean.as_bytes()).unwrap_or_default()
}

/// An unfolded header value with its encoded words decoded. Whitespace between two encoded words
/// is dropped (RFC 2047 §6.2), and the bytes of adjacent words are joined before decoding UTF-8,
/// so a character split across two words survives.
fn decode_words(value: &str) -> String {
    let mut out = String::new();
    // The bytes of the current run of adjacent encoded words.
    let mut run = Vec::new();
    // The whitespace before the current token.
    let mut space = "";
    let mut rest = value;
    while !rest.is_empty() {
        let (token, tail) = rest.split_at(rest.find(char::is_whitespace).unwrap_or(rest.len()));
        let (next_space, next) = tail.split_at(tail.find(|c: char| !c.is_whitespace()).unwrap_or(tail.len()));
        match decode_word(token) {
            Some(bytes) => {
                if run.is_empty() {
                    out.push_str(space);
                }
                run.extend(bytes);
            }
            None => {
                out.push_str(&String::from_utf8_lossy(&std::mem::take(&mut run)));
                out.push_str(space);
                out.push_str(token);
            }
        }
        (space, rest) = (next_space, next);
    }
    out.push_str(&String::from_utf8_lossy(&run));
    out.push_str(space);
    out
}

/// The bytes of one `=?charset?b|q?text?=` encoded word in UTF-8 or US-ASCII.
fn decode_word(word: &str) -> Option<Vec<u8>> {
    let inner = word.strip_prefix("=?")?.strip_suffix("?=")?;
    let mut fields = inner.splitn(3, '?');
    let (charset, encoding, text) = (fields.next()?, fields.next()?, fields.next()?);
    let charset = charset.split('*').next()?.to_ascii_lowercase();
    if !matches!(charset.as_str(), "utf-8" | "us-ascii") {
        return None;
    }
    match encoding {
        "b" | "B" => Some(decode_base64(text)),
        "q" | "Q" => Some(decode_quoted_printable(text.as_bytes(), true)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoded_words_decode_and_join() {
        let subject = "=?utf-8?b?UsOpaW5pdGlhbGlzZXI=?= =?UTF-8?Q?_=E2=80=94_=C3=BC?= now";
        assert_eq!(decode_words(subject), "Réinitialiser — ü now");
        assert_eq!(decode_words("Hello =?utf-8?q?w=C3=B6rld?= !"), "Hello wörld !");
        assert_eq!(decode_words("plain  words =?x?y?z?="), "plain  words =?x?y?z?=");
        // "ü" (C3 BC) split across two words.
        assert_eq!(decode_words("=?utf-8?q?=C3?=\t =?utf-8?q?=BC?="), "ü");
    }

    #[test]
    fn quoted_printable_soft_breaks_and_escapes() {
        let body = "Content-Transfer-Encoding: quoted-printable\r\n\r\nR=C3=A9initialiser: https://x.test/r?t=3D=\r\nabc=\r\n\
                    def\r\n";
        let expected = "Réinitialiser: https://x.test/r?t=abcdef\n";
        assert_eq!(find_part(body, "text/plain").as_deref(), Some(expected));
    }

    #[test]
    fn paths_come_out_of_commands() {
        assert_eq!(path("MAIL FROM:<a@b.test> BODY=8BITMIME"), "a@b.test");
        assert_eq!(path("RCPT TO: <c@d.test>"), "c@d.test");
        assert_eq!(path("MAIL FROM:<>"), "");
    }
}
