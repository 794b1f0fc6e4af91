//! `SmtpMailer` against the loopback SMTP sink: what arrives (sender, recipient, subject and both
//! bodies through every transfer encoding lettre picks), which settings are refused, and how
//! delivery failures map onto `MailError`.

#![allow(clippy::unwrap_used, reason = "tests: a panic is a test failure")]

use std::time::{Duration, Instant};

use tseeder_core::ports::{Email, MailError, Mailer};
use tseeder_mail::testing::SmtpSink;
use tseeder_mail::{MailConfig, MailConfigError, SmtpMailer, mailer};

/// Longest wait for a message the sink should already have.
const ARRIVAL: Duration = Duration::from_secs(10);

fn config(smtp_url: String) -> MailConfig {
    MailConfig { smtp_url, from: "tseeder <noreply@tseeder.test>".to_owned(), ..MailConfig::default() }
}

fn email(to: &str, subject: &str, text: &str, html: &str) -> Email {
    Email { to: to.to_owned(), subject: subject.to_owned(), text: text.to_owned(), html: html.to_owned() }
}

/// A port on the loopback interface where nothing listens.
fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

#[tokio::test]
async fn a_message_arrives_with_sender_recipient_subject_and_both_bodies() {
    let sink = SmtpSink::start().await;
    let mailer = SmtpMailer::new(&config(sink.url())).unwrap();
    // Longer than a 76-character quoted-printable line, with `=` signs that get escaped.
    let link =
        "https://tseeder.example/reset?token=3f9a1c7e5b2d4f608a1e3c5b7d9f0a2c4e6b8d0f1a3c5e7b9d1f3a5c7e9b&lang=fr";
    let subject = "Réinitialiser — ü votre mot de passe";
    let text = format!(
        "Bonjour,\n\nRéinitialiser — ü : ouvrez ce lien pour choisir un nouveau mot de passe, il expire dans une \
         heure : {link}\n\nSi vous n'avez rien demandé, ignorez ce message.\n"
    );
    let html = format!("<p>Réinitialiser — ü : <a href=\"{link}\">choisir un nouveau mot de passe</a></p>\n");

    mailer.send(&email("User@Example.com", subject, &text, &html)).await.unwrap();

    let received = sink.wait_for(1, ARRIVAL).await;
    assert_eq!(received.len(), 1);
    let message = &received[0];
    assert_eq!(message.from, "noreply@tseeder.test");
    assert_eq!(message.to, vec!["User@Example.com".to_owned()]);
    assert_eq!(message.subject().as_deref(), Some(subject));
    assert_eq!(message.text_body().as_deref(), Some(text.as_str()), "{}", message.data);
    assert_eq!(message.html_body().as_deref(), Some(html.as_str()), "{}", message.data);
    assert_eq!(message.first_link("https://tseeder.example/reset").as_deref(), Some(link), "{}", message.data);
    assert!(message.data.contains("multipart/alternative"), "{}", message.data);
    assert!(message.data.contains("From: tseeder <noreply@tseeder.test>"), "{}", message.data);
}

#[tokio::test]
async fn plain_ascii_and_mostly_non_ascii_bodies_both_survive() {
    let sink = SmtpSink::start().await;
    let mailer = SmtpMailer::new(&config(sink.url())).unwrap();
    // Short ASCII lines go as 7bit; mostly Cyrillic text goes as base64.
    let ascii = "Hello,\n\nyour download is ready.\n";
    let cyrillic = "Сброс пароля: откройте ссылку ниже, чтобы выбрать новый пароль для вашей учётной записи.\n";

    mailer.send(&email("a@example.com", "Ready", ascii, "<p>Ready</p>")).await.unwrap();
    mailer.send(&email("b@example.com", "Сброс пароля", cyrillic, "<p>Сброс пароля</p>")).await.unwrap();

    let received = sink.wait_for(2, ARRIVAL).await;
    assert_eq!(received.len(), 2);
    assert_eq!(received[0].subject().as_deref(), Some("Ready"));
    assert_eq!(received[0].text_body().as_deref(), Some(ascii), "{}", received[0].data);
    assert_eq!(received[0].html_body().as_deref(), Some("<p>Ready</p>"), "{}", received[0].data);
    assert_eq!(received[1].to, vec!["b@example.com".to_owned()]);
    assert_eq!(received[1].subject().as_deref(), Some("Сброс пароля"));
    assert_eq!(received[1].text_body().as_deref(), Some(cyrillic), "{}", received[1].data);
    assert_eq!(received[1].html_body().as_deref(), Some("<p>Сброс пароля</p>"), "{}", received[1].data);
}

#[tokio::test]
async fn credentials_in_the_url_log_in_and_never_print() {
    let sink = SmtpSink::start().await;
    let url = format!("smtp://tseeder%40example.com:s3cret%2Fpw@127.0.0.1:{}", sink.port());
    let config = config(url);
    let mailer = SmtpMailer::new(&config).unwrap();

    mailer.send(&email("user@example.com", "Hi", "Hi", "<p>Hi</p>")).await.unwrap();

    assert_eq!(sink.wait_for(1, ARRIVAL).await.len(), 1);
    for printed in [format!("{mailer:?}"), format!("{config:?}")] {
        assert!(!printed.contains("s3cret"), "{printed}");
        assert!(printed.contains("127.0.0.1"), "{printed}");
    }
}

#[tokio::test]
async fn without_an_smtp_url_messages_go_to_the_log() {
    let log_only = mailer(&MailConfig::default()).unwrap();
    assert!(!log_only.delivers());
    log_only.send(&email("user@example.com", "Hi", "Hi", "<p>Hi</p>")).await.unwrap();

    let sink = SmtpSink::start().await;
    assert!(mailer(&config(sink.url())).unwrap().delivers());
}

#[test]
fn unusable_settings_are_config_errors() {
    for url in ["not a url", "http://smtp.example.com", "smtp://smtp.example.com?tls=none", "smtp:relay"] {
        let error = SmtpMailer::new(&config(url.to_owned())).unwrap_err();
        assert!(matches!(error, MailConfigError::InvalidUrl { .. }), "{url}: {error}");
    }
    let bad_from = MailConfig { from: "not an address".to_owned(), ..config("smtp://127.0.0.1:2525".to_owned()) };
    assert!(matches!(SmtpMailer::new(&bad_from).unwrap_err(), MailConfigError::InvalidFrom { .. }));
    let no_time = MailConfig { timeout_secs: 0, ..config("smtp://127.0.0.1:2525".to_owned()) };
    assert_eq!(SmtpMailer::new(&no_time).unwrap_err(), MailConfigError::ZeroTimeout);
    assert!(matches!(mailer(&bad_from), Err(MailConfigError::InvalidFrom { .. })));
}

#[test]
fn a_password_is_never_sent_in_clear_text_to_another_host() {
    let error = SmtpMailer::new(&config("smtp://me:s3cret@smtp.example.com:587".to_owned())).unwrap_err();
    assert!(matches!(error, MailConfigError::InvalidUrl { .. }), "{error}");
    assert!(!error.to_string().contains("s3cret"), "{error}");
    assert!(!format!("{error:?}").contains("s3cret"), "{error:?}");

    for url in ["smtp://me:s3cret@smtp.example.com:587?tls=required", "smtps://me:s3cret@smtp.example.com"] {
        SmtpMailer::new(&config(url.to_owned())).unwrap();
    }
}

#[tokio::test]
async fn a_closed_port_is_unavailable_within_the_timeout() {
    let config = MailConfig { timeout_secs: 2, ..config(format!("smtp://127.0.0.1:{}", closed_port())) };
    let mailer = SmtpMailer::new(&config).unwrap();

    let started = Instant::now();
    let result = mailer.send(&email("user@example.com", "Hi", "Hi", "<p>Hi</p>")).await;

    assert!(matches!(result, Err(MailError::Unavailable(_))), "{result:?}");
    assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
}

#[tokio::test]
async fn a_server_that_never_answers_is_unavailable_after_the_timeout() {
    // The kernel completes the handshake for a listener nobody accepts from, and no greeting comes.
    let silent = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("smtp://{}", silent.local_addr().unwrap());
    let mailer = SmtpMailer::new(&MailConfig { timeout_secs: 1, ..config(url) }).unwrap();

    let started = Instant::now();
    let result = mailer.send(&email("user@example.com", "Hi", "Hi", "<p>Hi</p>")).await;

    assert!(matches!(result, Err(MailError::Unavailable(_))), "{result:?}");
    assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
}

#[tokio::test]
async fn a_recipient_the_server_refuses_is_refused() {
    let sink = SmtpSink::start_refusing("nobody@example.com").await;
    let mailer = SmtpMailer::new(&config(sink.url())).unwrap();

    let result = mailer.send(&email("nobody@example.com", "Hi", "Hi", "<p>Hi</p>")).await;

    match result {
        Err(MailError::Refused(reason)) => assert!(reason.contains("550"), "{reason}"),
        other => panic!("expected a refusal, got {other:?}"),
    }
    // The sink still takes other recipients, on a new connection.
    mailer.send(&email("somebody@example.com", "Hi", "Hi", "<p>Hi</p>")).await.unwrap();
    let received = sink.wait_for(1, ARRIVAL).await;
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].to, vec!["somebody@example.com".to_owned()]);
}

#[tokio::test]
async fn an_invalid_recipient_address_is_refused_without_connecting() {
    let sink = SmtpSink::start().await;
    let mailer = SmtpMailer::new(&config(sink.url())).unwrap();

    for to in ["not an address", "a@example.com, b@example.com", ""] {
        let result = mailer.send(&email(to, "Hi", "Hi", "<p>Hi</p>")).await;
        assert!(matches!(result, Err(MailError::Refused(_))), "{to:?}: {result:?}");
    }
    assert!(sink.messages().is_empty());
}
