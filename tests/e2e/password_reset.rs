//! Password reset by email, through a real SMTP server on loopback: the link arrives, sets the
//! password once, ends every session; unknown addresses get the same answer and no email;
//! used, superseded, expired and made-up tokens are refused; the token is stored only hashed.

use serde_json::{Value, json};

use crate::common::{PASSWORD, TestApp, mail_about, mail_to, on_every_backend};

const NEW_PASSWORD: &str = "a brand new one 7";

on_every_backend!(configured(|config| {
    config.mail.smtp_url = crate::common::smtp_sink().url();
    config.mail.from = "tseeder <noreply@tseeder.test>".into();
    config.auth.public_url = "https://tseeder.test/base".into();
}): a_reset_link_sets_the_password_once_and_logs_every_device_out);

async fn ask(app: &TestApp, email: &str) -> Value {
    let res = reqwest::Client::new()
        .post(app.url("/auth/password-reset"))
        .json(&json!({ "email": email }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

async fn confirm(app: &TestApp, token: &str, password: &str) -> (u16, Value) {
    let res = reqwest::Client::new()
        .post(app.url("/auth/password-reset/confirm"))
        .json(&json!({ "token": token, "password": password }))
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

fn token_of(link: &str) -> String {
    link.split("token=").nth(1).expect("a token in the link").to_owned()
}

pub(super) async fn a_reset_link_sets_the_password_once_and_logs_every_device_out(app: &TestApp) {
    let email = format!("reset-{}@example.com", uuid::Uuid::new_v4().simple());
    let phone = app.register_and_login(&email).await;
    let laptop = app.login(app.browser(), &email).await;
    assert_eq!(phone.get("/auth/me").send().await.unwrap().status(), 200);

    // An address with no account: the same answer, and no email.
    let nobody = format!("nobody-{}@example.com", uuid::Uuid::new_v4().simple());
    assert_eq!(ask(app, &nobody).await, json!({ "emailSent": true }));

    // Two requests: the second link is the one used; the first stops working with it.
    assert_eq!(ask(app, &email).await, json!({ "emailSent": true }));
    assert_eq!(ask(app, &email).await, json!({ "emailSent": true }));
    let mail = mail_about(&email, "Reset your tseeder password", 2).await;
    assert_eq!(mail.len(), 2, "both emails arrive");
    assert_eq!(mail[0].from, "noreply@tseeder.test");
    assert_eq!(mail[0].subject().as_deref(), Some("Reset your tseeder password"));
    let first =
        token_of(&mail[0].first_link("https://tseeder.test/base/reset?token=").expect("the link, from public_url"));
    let second = token_of(&mail[1].first_link("https://tseeder.test/base/reset?token=").unwrap());
    assert!(mail[1].html_body().unwrap().contains(&second), "the HTML part carries the link too");
    assert!(mail_to(&nobody, 1).await.is_empty(), "nothing was sent to an address with no account");

    // Only the hash is stored.
    let stored: Vec<String> = app.stored_reset_hashes().await;
    assert!(!stored.iter().any(|h| h == &first || h == &second), "no plaintext token in password_resets");
    assert!(stored.contains(&tseeder::core::services::account::hash_token(&second)));

    // Weak passwords and made-up tokens are refused without spending the token.
    assert_eq!(confirm(app, &second, "short").await.0, 400);
    let (status, body) = confirm(app, "0123456789abcdef", NEW_PASSWORD).await;
    assert_eq!((status, body["error"]["code"].as_str()), (400, Some("invalid_reset_token")));

    assert_eq!(confirm(app, &second, NEW_PASSWORD).await.0, 204);
    // Every device is logged out; the old password is gone, the new one works.
    assert_eq!(phone.get("/auth/me").send().await.unwrap().status(), 401);
    assert_eq!(laptop.get("/auth/me").send().await.unwrap().status(), 401);
    let old = reqwest::Client::new()
        .post(app.url("/auth/login"))
        .json(&json!({ "email": email, "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(old.status(), 401);
    let new = reqwest::Client::new()
        .post(app.url("/auth/login"))
        .json(&json!({ "email": email, "password": NEW_PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(new.status(), 200);

    // Single use, and the earlier link was spent with it.
    for token in [&second, &first] {
        let (status, body) = confirm(app, token, "yet another one 8").await;
        assert_eq!((status, body["error"]["code"].as_str()), (400, Some("invalid_reset_token")));
    }
    // The audit log keeps both steps.
    let actions = app.audit_actions().await;
    assert!(actions.iter().any(|a| a == "user.password_reset_requested"));
    assert!(actions.iter().any(|a| a == "user.password_reset"));
}
