#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

mod config;
mod smtp;
#[cfg(any(test, feature = "test-util"))]
pub mod testing;

use std::sync::Arc;

use tseeder_core::ports::{LogMailer, Mailer};

pub use config::{MailConfig, MailConfigError};
pub use smtp::SmtpMailer;

/// The mailer `config` asks for: an [`SmtpMailer`] when `smtp_url` is set, otherwise the core's
/// [`LogMailer`], which writes each message to the log for the operator (and says that it does not
/// deliver, so callers can tell users that no email was sent).
///
/// # Errors
/// [`MailConfigError`] when `smtp_url` is set but `smtp_url`, `from` or `timeout_secs` is unusable.
pub fn mailer(config: &MailConfig) -> Result<Arc<dyn Mailer>, MailConfigError> {
    if config.smtp_url.trim().is_empty() {
        return Ok(Arc::new(LogMailer));
    }
    Ok(Arc::new(SmtpMailer::new(config)?))
}
