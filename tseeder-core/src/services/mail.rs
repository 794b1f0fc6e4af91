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
}
