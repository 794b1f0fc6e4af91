//! Email out: the messages tseeder sends (password resets, and later invites and address
//! checks) and the port that delivers them.

use std::fmt::Debug;

use async_trait::async_trait;

/// A message to one recipient, as plain text with an HTML alternative.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email {
    /// The recipient's address.
    pub to: String,
    /// The subject line.
    pub subject: String,
    /// The plain-text body.
    pub text: String,
    /// The HTML body.
    pub html: String,
}

/// Why a message was not delivered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MailError {
    /// The server refused the message or a recipient (permanent).
    #[error("the mail server refused the message: {0}")]
    Refused(String),
    /// The server could not be reached or failed (try again later).
    #[error("the mail server is unavailable: {0}")]
    Unavailable(String),
}

/// Delivers email.
///
/// # Contract
/// - `send` hands the message to the mail system and returns once it accepted it; the recipient
///   receives the subject, the plain-text body and the HTML body as alternatives of one message,
///   from the configured sender.
/// - `delivers` says whether messages leave the host. A mailer that does not deliver (no SMTP
///   server configured) logs each message for the operator instead, and callers tell their users
///   that no email was sent.
#[async_trait]
pub trait Mailer: Send + Sync + Debug {
    /// Sends one message.
    async fn send(&self, email: &Email) -> Result<(), MailError>;
    /// Whether messages leave the host.
    fn delivers(&self) -> bool;
}

/// The mailer of an installation with no mail server: every message goes to the log (at `info`,
/// target `tseeder::mail`), links included, for the operator to pass on.
#[derive(Debug, Clone, Copy, Default)]
pub struct LogMailer;

#[async_trait]
impl Mailer for LogMailer {
    async fn send(&self, email: &Email) -> Result<(), MailError> {
        tracing::info!(target: "tseeder::mail", to = %email.to, subject = %email.subject, body = %email.text, "email not sent (no SMTP server configured)");
        Ok(())
    }

    fn delivers(&self) -> bool {
        false
    }
}
