//! The emails tseeder sends, as plain text and HTML. Every value put into the HTML is escaped.

use crate::ports::Email;

/// `text` with `&`, `<`, `>` and `"` escaped for HTML.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// An HTML body: one short page with a heading, paragraphs and a button to `link`.
fn html(heading: &str, before: &str, button: &str, link: &str, after: &str) -> String {
    format!(
        "<!doctype html><html><body style=\"font-family:system-ui,sans-serif;color:#1c2230;max-width:32rem;margin:2rem auto;line-height:1.5\">\
         <h1 style=\"font-size:1.3rem\">{heading}</h1><p>{before}</p>\
         <p><a href=\"{link}\" style=\"display:inline-block;background:#2f6fed;color:#fff;padding:.6rem 1.1rem;border-radius:8px;text-decoration:none;font-weight:600\">{button}</a></p>\
         <p style=\"color:#5f6b7d;font-size:.9rem\">{after}</p>\
         <p style=\"color:#5f6b7d;font-size:.8rem;word-break:break-all\">{link}</p></body></html>",
        heading = escape(heading),
        before = escape(before),
        button = escape(button),
        link = escape(link),
        after = escape(after),
    )
}

/// The link in an email: `<public_url><path>?token=<token>`, with `http://localhost` when no
/// public address is configured. Links never come from a request's `Host` header.
pub fn link(public_url: &str, path: &str, token: &str) -> String {
    page_link(public_url, &format!("{path}?token={token}"))
}

/// The address of a page of the site: `<public_url><path_and_query>`, with `http://localhost`
/// when no public address is configured.
pub fn page_link(public_url: &str, path_and_query: &str) -> String {
    let base = if public_url.is_empty() { "http://localhost" } else { public_url };
    format!("{}{path_and_query}", base.trim_end_matches('/'))
}

/// The password reset email: the link works for `minutes` minutes, once.
pub fn password_reset(to: &str, link: &str, minutes: i64) -> Email {
    let before = "Someone (we hope you) asked to reset the password of your tseeder account. \
                  Choose a new one with this link:";
    let after = format!(
        "The link works once, for {minutes} minutes. Every device logged in to your account is \
         logged out when the password changes. If you did not ask, ignore this email: your \
         password stays as it is."
    );
    Email {
        to: to.to_owned(),
        subject: "Reset your tseeder password".into(),
        text: format!("{before}\n\n{link}\n\n{after}\n"),
        html: html("Reset your password", before, "Choose a new password", link, &after),
    }
}

/// The email verification email: the link works for `hours` hours, once.
pub fn verify_email(to: &str, link: &str, hours: i64) -> Email {
    let before = "Confirm that this is your email address, so that you can join organizations you \
                  are invited to:";
    let after = format!(
        "The link works once, for {hours} hours. If you did not create a tseeder account, ignore \
         this email."
    );
    Email {
        to: to.to_owned(),
        subject: "Confirm your email address for tseeder".into(),
        text: format!("{before}\n\n{link}\n\n{after}\n"),
        html: html("Confirm your email address", before, "Confirm my address", link, &after),
    }
}

/// The invitation to an organization: who invited, to what, as which role; the link works
/// for `days` days, once, and only for an account with the address it was sent to.
pub fn invite(to: &str, org_name: &str, inviter: &str, role: &str, link: &str, days: i64) -> Email {
    let before = format!(
        "{inviter} invited you to join the organization \u{201c}{org_name}\u{201d} on tseeder as {article} {role}. \
         Accept the invitation with this link:",
        article = if role.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" },
    );
    let after = format!(
        "The link works once, for {days} days, for the tseeder account with the address {to} once it \
         is confirmed. If you do not know {inviter}, ignore this email."
    );
    Email {
        to: to.to_owned(),
        subject: format!("Join {org_name} on tseeder"),
        text: format!("{before}\n\n{link}\n\n{after}\n"),
        html: html(&format!("Join {org_name}"), &before, "See the invitation", link, &after),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reset_email_carries_the_link_in_both_bodies_escaped_in_html() {
        let email = password_reset("a@example.com", "https://t.example/reset?token=ab&x=<1>", 60);
        assert!(email.text.contains("https://t.example/reset?token=ab&x=<1>\n"));
        assert!(email.html.contains("href=\"https://t.example/reset?token=ab&amp;x=&lt;1&gt;\""));
        assert!(!email.html.contains("<1>"));
        assert!(email.text.contains("60 minutes"));
    }

    #[test]
    fn the_invite_escapes_names_it_did_not_choose() {
        let email =
            invite("b@example.com", "<b>Acme</b>", "a@example.com", "admin", "https://t.example/invite?token=x", 7);
        assert!(email.subject.contains("<b>Acme</b>"));
        assert!(email.html.contains("&lt;b&gt;Acme&lt;/b&gt;"));
        assert!(!email.html.contains("<b>Acme"));
        assert!(email.text.contains("as an admin"));
        assert!(email.text.contains("7 days"));
        let verify = verify_email("b@example.com", "https://t.example/verify?token=y", 48);
        assert!(verify.text.contains("https://t.example/verify?token=y\n"));
    }
}
