//! The `[mail]` settings, and the errors they can hold.

use std::fmt;
use std::net::IpAddr;

use serde::Deserialize;
use url::{Host, Url};

/// Where tseeder's email goes.
///
/// ```toml
/// [mail]                          # STARTTLS on the submission port, required
/// smtp_url = "smtp://tseeder%40example.com:secret@smtp.example.com:587?tls=required"
/// from = "tseeder <tseeder@example.com>"
///
/// [mail]                          # no mail server: messages go to the log
/// smtp_url = ""
/// ```
#[derive(Clone, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct MailConfig {
    /// The SMTP server, as `scheme://[user:password@]host[:port][/ehlo-name][?tls=…]`:
    /// - `smtps://host` (port 465 by default): TLS from the first byte (implicit TLS). The
    ///   recommended form;
    /// - `smtp://host?tls=required` (port 587 by default): plain connection upgraded with STARTTLS;
    ///   delivery fails if the server does not offer it;
    /// - `smtp://host?tls=opportunistic` (port 587 by default): STARTTLS when the server offers it,
    ///   plain text otherwise (open to a man in the middle);
    /// - `smtp://host` (port 25 by default): **no encryption at all**. Only for a relay on the same
    ///   host or a trusted network.
    ///
    /// `user` and `password` (percent-encoded: `@` is `%40`) log in with `AUTH PLAIN` or
    /// `AUTH LOGIN`; a URL that would send them unencrypted to a host other than the loopback
    /// interface is refused. The path, when present, is the name sent with `EHLO` (by default, this
    /// host's name). Certificates are checked against the Mozilla root store.
    ///
    /// Empty (the default): no SMTP server; each message is written to the log (at `info`, target
    /// `tseeder::mail`) for the operator to pass on. The password never appears in `Debug` output
    /// or in errors.
    pub smtp_url: String,
    /// The sender, as `address` or `Name <address>`. Default: `tseeder <tseeder@localhost>`; set an
    /// address of your domain, or many servers will refuse the messages.
    pub from: String,
    /// How long one delivery may take, from connecting to the server's acceptance of the message,
    /// in seconds (at least 1). Default: 10.
    pub timeout_secs: u64,
}

impl Default for MailConfig {
    fn default() -> Self {
        Self { smtp_url: String::new(), from: "tseeder <tseeder@localhost>".to_owned(), timeout_secs: 10 }
    }
}

impl fmt::Debug for MailConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MailConfig")
            .field("smtp_url", &redact(&self.smtp_url))
            .field("from", &self.from)
            .field("timeout_secs", &self.timeout_secs)
            .finish()
    }
}

/// A [`MailConfig`] that cannot make a mailer. The URL in it has its password replaced by `***`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MailConfigError {
    /// `smtp_url` is not a URL the SMTP client accepts.
    #[error("mail smtp_url {url:?}: {reason}")]
    InvalidUrl {
        /// The URL, password redacted.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// `from` is not an email address.
    #[error("mail from {from:?}: {reason}")]
    InvalidFrom {
        /// The configured sender.
        from: String,
        /// What is wrong with it.
        reason: String,
    },
    /// `timeout_secs` is 0.
    #[error("mail timeout_secs must be at least 1")]
    ZeroTimeout,
}

impl MailConfigError {
    pub(crate) fn invalid_url(url: &str, reason: impl fmt::Display) -> Self {
        Self::InvalidUrl { url: redact(url), reason: reason.to_string() }
    }
}

/// `url` with its password, if any, replaced by `***`; for logs, `Debug` and errors.
pub(crate) fn redact(url: &str) -> String {
    match Url::parse(url) {
        Ok(mut parsed) if parsed.has_host() => {
            if parsed.password().is_none() {
                return url.to_owned();
            }
            // Cannot fail: the URL has a host.
            let _ = parsed.set_password(Some("***"));
            parsed.to_string()
        }
        // Not a URL with a host (`smtp:me:pw@host` parses as a path): hide whatever sits between
        // the scheme and the last `@`.
        _ => match url.rfind('@') {
            Some(at) => {
                let scheme = url.find("://").filter(|&end| end < at).map_or("", |end| &url[..end + 3]);
                format!("{scheme}***{}", &url[at..])
            }
            None => url.to_owned(),
        },
    }
}

const CLEAR_TEXT_PASSWORD: &str =
    "the password would cross the network unencrypted: use smtps:// (implicit TLS) or add ?tls=required (STARTTLS)";

/// Refuses a URL that would send its password in clear text to another host: a password with
/// `smtp://` and no `?tls=required`, unless the host is the loopback interface.
pub(crate) fn check_credentials_encrypted(url: &Url) -> Result<(), String> {
    if url.password().is_none() {
        return Ok(());
    }
    let tls = url.query_pairs().find(|(key, _)| key == "tls").map(|(_, value)| value.into_owned());
    let encrypted = url.scheme() == "smtps" || tls.as_deref() == Some("required");
    // `smtp` is not a scheme the URL standard knows, so an IPv4 host comes back as a name.
    let loopback = match url.host() {
        Some(Host::Domain(name)) => {
            name.eq_ignore_ascii_case("localhost") || name.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
        }
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    };
    if encrypted || loopback { Ok(()) } else { Err(CLEAR_TEXT_PASSWORD.to_owned()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redact_hides_the_password_only() {
        assert_eq!(redact("smtps://me%40x.org:s3cret@smtp.x.org:465"), "smtps://me%40x.org:***@smtp.x.org:465");
        assert_eq!(redact("smtp://relay:25"), "smtp://relay:25");
        assert_eq!(redact("smtp:me:s3cret@host"), "***@host");
        assert_eq!(redact("bad://me:s3 cret@ho st"), "bad://***@ho st");
    }

    #[test]
    fn a_password_needs_tls_or_the_loopback_interface() {
        let check = |url: &str| check_credentials_encrypted(&Url::parse(url).unwrap()).is_ok();
        assert!(check("smtps://me:pw@smtp.example.com"));
        assert!(check("smtp://me:pw@smtp.example.com:587?tls=required"));
        assert!(check("smtp://me:pw@127.0.0.1:2525"));
        assert!(check("smtp://me:pw@[::1]:2525"));
        assert!(check("smtp://me:pw@localhost"));
        assert!(check("smtp://relay.lan:25"));
        assert!(!check("smtp://me:pw@smtp.example.com:587"));
        assert!(!check("smtp://me:pw@smtp.example.com:587?tls=opportunistic"));
    }

    #[test]
    fn debug_never_prints_the_password() {
        let config = MailConfig { smtp_url: "smtps://me:s3cret@smtp.example.com".to_owned(), ..MailConfig::default() };
        let printed = format!("{config:?}");
        assert!(!printed.contains("s3cret"), "{printed}");
        assert!(printed.contains("smtp.example.com"), "{printed}");
    }
}
