//! [`RecordingMailer`]: a [`Mailer`] that keeps what it is given, for tests that follow the
//! links in emails without a mail server.

use std::sync::Mutex;
use std::time::Duration;

use async_trait::async_trait;

use crate::ports::{Email, MailError, Mailer};

/// Keeps every message it is asked to send, and says it delivers (so services report the email
/// as sent). Tests of the whole system use a real SMTP server on loopback instead.
#[derive(Debug, Default)]
pub struct RecordingMailer {
    sent: Mutex<Vec<Email>>,
}

impl RecordingMailer {
    /// Every message so far, oldest first.
    pub fn sent(&self) -> Vec<Email> {
        self.sent.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone()
    }

    /// Waits (up to 5 s) until a message to `to` was sent: services send some in the background.
    ///
    /// # Panics
    /// When none arrives in time.
    pub async fn wait_for(&self, to: &str) {
        self.wait_for_count(to, 1).await;
    }

    /// Waits (up to 5 s) until `count` messages to `to` were sent.
    ///
    /// # Panics
    /// When they do not arrive in time.
    pub async fn wait_for_count(&self, to: &str, count: usize) {
        for _ in 0..500 {
            if self.sent().iter().filter(|e| e.to == to).count() >= count {
                return;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("{count} emails to {to} were not sent within 5 s");
    }
}

#[async_trait]
impl Mailer for RecordingMailer {
    async fn send(&self, email: &Email) -> Result<(), MailError> {
        self.sent.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(email.clone());
        Ok(())
    }

    fn delivers(&self) -> bool {
        true
    }
}
