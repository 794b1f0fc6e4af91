//! What every admin action of the console shares: the confirmation (a dialog when scripts run,
//! else a page) asking for a reason of at least 10 characters and an optional ticket id, both
//! kept in the audit log, and how a refused action is answered.

use askama::Template;
use poem::Response;
use poem::http::StatusCode;
use tseeder_http::console::PublicError;

use super::AdminChrome;
use crate::page::{Chrome, FormData, render, service_error};

/// One action to confirm.
#[derive(Debug, Clone)]
pub(crate) struct Action {
    /// The question, e.g. `Replay job "x"?`.
    pub(crate) title: String,
    /// What happens.
    pub(crate) text: String,
    /// Where the confirmed form posts (with the base path).
    pub(crate) post_to: String,
    /// Fields the form carries besides the reason, ticket and CSRF token.
    pub(crate) hidden: Vec<(String, String)>,
    /// A word to type to confirm (empty: none).
    pub(crate) typed: &'static str,
    /// The button's label.
    pub(crate) verb: &'static str,
    /// Where Cancel goes.
    pub(crate) cancel: String,
}

/// What the confirmation sent: the reason, the ticket, and the typed word.
#[derive(Debug, Clone, Default)]
pub(crate) struct Justification {
    pub(crate) reason: String,
    pub(crate) ticket: String,
    pub(crate) typed: String,
}

impl Justification {
    /// The fields of a posted confirmation.
    pub(crate) fn from_form(form: &FormData) -> Self {
        let field = |name| form.get(name).unwrap_or_default().to_owned();
        Self { reason: field("reason"), ticket: field("ticket"), typed: field("confirm") }
    }

    /// The ticket, when one was given.
    pub(crate) fn ticket(&self) -> Option<&str> {
        Some(self.ticket.trim()).filter(|t| !t.is_empty())
    }

    /// Whether `word` was typed (ignoring case and spaces around it).
    pub(crate) fn typed(&self, word: &str) -> bool {
        self.typed.trim().eq_ignore_ascii_case(word)
    }
}

#[derive(Template)]
#[template(path = "admin/act.html")]
struct ActPage {
    chrome: Chrome,
    admin: AdminChrome,
    act: Action,
    given: Justification,
    error: String,
}

/// The confirmation as a page (what the dialog shows when scripts run), with `error` above the
/// form when a first try was refused.
pub(crate) fn confirm_page(
    chrome: Chrome,
    admin: AdminChrome,
    act: Action,
    given: Justification,
    error: &str,
    status: StatusCode,
) -> Response {
    render(status, &ActPage { chrome, admin, act, given, error: error.to_owned() })
}

/// The answer to a refused action: the error page when it is not allowed or its object is
/// gone, else the confirmation again with the message (a short reason, a bad ticket, a
/// conflict) and the same status the API would send.
pub(crate) fn refused(
    chrome: Chrome,
    admin: AdminChrome,
    act: Action,
    given: Justification,
    error: PublicError,
) -> Response {
    match error.status {
        StatusCode::FORBIDDEN | StatusCode::NOT_FOUND => service_error(chrome, error),
        s if s.is_server_error() => service_error(chrome, error),
        status => confirm_page(chrome, admin, act, given, &error.message, status),
    }
}
