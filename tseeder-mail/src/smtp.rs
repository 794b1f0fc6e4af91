//! [`SmtpMailer`]: the core's `Mailer` over SMTP, with lettre.
//!
//! One connection per message (lettre's connection pool is off): tseeder sends a few messages an
//! hour, and a fresh connection never meets one the server has timed out.

use std::fmt;
use std::time::Duration;

use async_trait::async_trait;
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::Error as SmtpError;
use lettre::{Address, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use tracing::debug;
use tseeder_core::ports::{Email, MailError, Mailer};
use url::Url;

use crate::config::{MailConfig, MailConfigError, check_credentials_encrypted, redact};

/// Sends tseeder's email through an SMTP server (see [`MailConfig::smtp_url`]).
///
/// Each message goes out as `multipart/alternative` (the plain text, then the HTML), from the
/// configured sender to the one recipient. Bodies are never logged.
pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    timeout: Duration,
    /// `smtp_url` with the password redacted, for `Debug`.
    server: String,
}

impl fmt::Debug for SmtpMailer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpMailer")
            .field("server", &self.server)
            .field("from", &self.from.to_string())
            .field("timeout", &self.timeout)
            .finish()
    }
}

impl SmtpMailer {
    /// A mailer for `config`. Nothing is sent and no connection is opened until the first message.
    ///
    /// # Errors
    /// [`MailConfigError`] when `smtp_url` is empty or not an SMTP URL (or would send a password
    /// unencrypted), when `from` is not an address, or when `timeout_secs` is 0.
    pub fn new(config: &MailConfig) -> Result<Self, MailConfigError> {
        let url = config.smtp_url.trim();
        if url.is_empty() {
            return Err(MailConfigError::invalid_url(url, "empty: no SMTP server to send through"));
        }
        let parsed = Url::parse(url).map_err(|e| MailConfigError::invalid_url(url, e))?;
        check_credentials_encrypted(&parsed).map_err(|reason| MailConfigError::invalid_url(url, reason))?;
        let from = config
            .from
            .trim()
            .parse::<Mailbox>()
            .map_err(|e| MailConfigError::InvalidFrom { from: config.from.clone(), reason: e.to_string() })?;
        if config.timeout_secs == 0 {
            return Err(MailConfigError::ZeroTimeout);
        }
        let timeout = Duration::from_secs(config.timeout_secs);
        // lettre's timeout bounds connecting only; `send` bounds the whole delivery.
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| MailConfigError::invalid_url(url, e))?
            .timeout(Some(timeout))
            .build();
        Ok(Self { transport, from, timeout, server: redact(url) })
    }

    fn message(&self, email: &Email) -> Result<Message, MailError> {
        let to = email
            .to
            .trim()
            .parse::<Address>()
            .map_err(|e| MailError::Refused(format!("invalid recipient address {:?}: {e}", email.to)))?;
        Message::builder()
            .from(self.from.clone())
            .to(Mailbox::new(None, to))
            .subject(email.subject.clone())
            .message_id(None)
            .multipart(MultiPart::alternative_plain_html(email.text.clone(), email.html.clone()))
            .map_err(|e| MailError::Refused(format!("the message cannot be built: {e}")))
    }
}

#[async_trait]
impl Mailer for SmtpMailer {
    async fn send(&self, email: &Email) -> Result<(), MailError> {
        let message = self.message(email)?;
        let result = match tokio::time::timeout(self.timeout, self.transport.send(message)).await {
            Ok(Ok(_response)) => Ok(()),
            Ok(Err(error)) => Err(delivery_error(&error)),
            Err(_elapsed) => Err(MailError::Unavailable(format!(
                "the SMTP server did not accept the message within {} s",
                self.timeout.as_secs()
            ))),
        };
        match &result {
            Ok(()) => debug!(target: "tseeder::mail", to = %email.to, "email sent"),
            Err(error) => debug!(target: "tseeder::mail", to = %email.to, %error, "email not sent"),
        }
        result
    }

    fn delivers(&self) -> bool {
        true
    }
}

/// A permanent refusal (a 5xx reply: no such mailbox, message rejected, authentication refused)
/// is [`MailError::Refused`]; anything else (no connection, TLS failure, a 4xx reply, a broken
/// conversation) may pass on a later try and is [`MailError::Unavailable`].
fn delivery_error(error: &SmtpError) -> MailError {
    if error.is_permanent() { MailError::Refused(error.to_string()) } else { MailError::Unavailable(error.to_string()) }
}
