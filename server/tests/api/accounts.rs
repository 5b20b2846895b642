use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{
    browser_client, error_code, json_body, session_cookie, set_cookies, spawn_app, spawn_app_with,
    Backend, Creds,
};
use crate::on_both_databases;

on_both_databases!(
    a_new_user_signs_up_signs_out_and_signs_back_in,
    a_wrong_password_gets_401_without_saying_which_part_was_wrong,
    repeated_failed_sign_ins_get_429_with_retry_after_and_spare_other_accounts,
    sign_out_by_get_is_refused_with_405,
    the_session_cookie_is_http_only_lax_and_not_secure_on_http,
    signing_in_issues_a_new_session_id_and_the_old_one_is_dead,
    weak_or_malformed_sign_ups_are_refused_with_reasons,
    an_email_can_only_be_registered_once,
    long_and_non_ascii_passwords_round_trip,
    behind_https_the_cookie_is_secure_host_prefixed_and_hsts_is_sent,
    signing_in_over_another_account_renews_the_session,
);

async fn a_new_user_signs_up_signs_out_and_signs_back_in(backend: Backend) {
    let app = spawn_app(backend).await;
    let creds = Creds::new();

    let user = json_body(app.sign_up(&creds).await, StatusCode::CREATED).await;
    assert_eq!(user["success"], json!(true));
    assert_eq!(user["data"]["email"], json!(creds.email));

    let me = json_body(app.get("/api/v1/me").await, StatusCode::OK).await;
    assert_eq!(me["data"]["email"], json!(creds.email));
    assert_eq!(me["data"]["id"], user["data"]["id"]);

    json_body(app.sign_out().await, StatusCode::OK).await;
    assert_eq!(
        error_code(app.get("/api/v1/me").await, StatusCode::UNAUTHORIZED).await,
        "unauthorized"
    );

    let again = json_body(app.sign_in(&creds).await, StatusCode::OK).await;
    assert_eq!(again["data"]["id"], user["data"]["id"]);
    json_body(app.get("/api/v1/me").await, StatusCode::OK).await;
}

async fn a_wrong_password_gets_401_without_saying_which_part_was_wrong(backend: Backend) {
    let app = spawn_app(backend).await;
    let creds = app.signed_in_user().await;
    app.sign_out().await;

    let wrong_password = Creds {
        email: creds.email.clone(),
        password: "not the password at all".into(),
    };
    let unknown_email = Creds {
        email: "nobody@example.org".into(),
        password: creds.password.clone(),
    };
    let a = json_body(app.sign_in(&wrong_password).await, StatusCode::UNAUTHORIZED).await;
    let b = json_body(app.sign_in(&unknown_email).await, StatusCode::UNAUTHORIZED).await;
    assert_eq!(a, b, "both failures must read the same");
    assert_eq!(a["code"], json!("invalid_credentials"));
    assert_eq!(a["error"], json!("wrong email or password"));
    error_code(app.get("/api/v1/me").await, StatusCode::UNAUTHORIZED).await;
}

async fn repeated_failed_sign_ins_get_429_with_retry_after_and_spare_other_accounts(
    backend: Backend,
) {
    let app = spawn_app_with(backend, &[("login_failures_per_account", "3")]).await;
    let victim = app.signed_in_user().await;
    app.sign_out().await;
    let other = Creds::new();
    let other_client = browser_client();
    let signup = app.sign_up_as(&other_client, &other).await;
    assert_eq!(signup.status(), StatusCode::CREATED);

    let guess = Creds {
        email: victim.email.clone(),
        password: "guessing the password".into(),
    };
    for _ in 0..3 {
        error_code(app.sign_in(&guess).await, StatusCode::UNAUTHORIZED).await;
    }
    let throttled = app.sign_in(&guess).await;
    let retry_after: u64 = throttled
        .headers()
        .get("retry-after")
        .expect("Retry-After on 429")
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry_after), "{retry_after}");
    assert_eq!(
        error_code(throttled, StatusCode::TOO_MANY_REQUESTS).await,
        "rate_limited"
    );
    // Even the right password waits out the lockout…
    error_code(app.sign_in(&victim).await, StatusCode::TOO_MANY_REQUESTS).await;
    // …but another account is unaffected.
    let other_in = app.sign_in_as(&other_client, &other).await;
    assert_eq!(other_in.status(), StatusCode::OK);
}

async fn sign_out_by_get_is_refused_with_405(backend: Backend) {
    let app = spawn_app(backend).await;
    app.signed_in_user().await;
    let response = app.get("/api/v1/auth/logout").await;
    assert_eq!(
        error_code(response, StatusCode::METHOD_NOT_ALLOWED).await,
        "method_not_allowed"
    );
    // Still signed in.
    json_body(app.get("/api/v1/me").await, StatusCode::OK).await;
}

async fn the_session_cookie_is_http_only_lax_and_not_secure_on_http(backend: Backend) {
    let app = spawn_app(backend).await;
    let response = app.sign_up(&Creds::new()).await;
    let cookies = set_cookies(response.headers());
    let session = cookies
        .iter()
        .find(|c| c.starts_with("quire_session="))
        .expect("a session cookie");
    let attributes: Vec<String> = session
        .split(';')
        .map(|a| a.trim().to_lowercase())
        .collect();
    assert!(attributes.contains(&"httponly".to_string()), "{session}");
    assert!(
        attributes.contains(&"samesite=lax".to_string()),
        "{session}"
    );
    assert!(attributes.contains(&"path=/".to_string()), "{session}");
    assert!(
        !attributes.contains(&"secure".to_string()),
        "plain http: {session}"
    );
}

async fn signing_in_issues_a_new_session_id_and_the_old_one_is_dead(backend: Backend) {
    let app = spawn_app(backend).await;
    let creds = Creds::new();
    let first = session_cookie(app.sign_up(&creds).await.headers()).expect("cookie at sign-up");
    app.sign_out().await;
    let second = session_cookie(app.sign_in(&creds).await.headers()).expect("cookie at sign-in");
    assert_ne!(first, second);

    // Replaying the signed-out session is refused.
    let replay = reqwest::Client::new()
        .get(app.url("/api/v1/me"))
        .header("cookie", &first)
        .send()
        .await
        .unwrap();
    error_code(replay, StatusCode::UNAUTHORIZED).await;
    // A forged cookie is ignored.
    let forged = reqwest::Client::new()
        .get(app.url("/api/v1/me"))
        .header("cookie", "quire_session=AAAAAAAAAAAAAAAAAAAAAA")
        .send()
        .await
        .unwrap();
    error_code(forged, StatusCode::UNAUTHORIZED).await;
    // The live one works.
    let live = reqwest::Client::new()
        .get(app.url("/api/v1/me"))
        .header("cookie", &second)
        .send()
        .await
        .unwrap();
    json_body(live, StatusCode::OK).await;
}

async fn weak_or_malformed_sign_ups_are_refused_with_reasons(backend: Backend) {
    let app = spawn_app(backend).await;
    let cases = [
        ("short@example.org", "short", "at least 8"),
        ("common@example.org", "password123", "too common"),
        ("not-an-email", "correct horse battery", "valid email"),
    ];
    for (email, password, reason) in cases {
        let response = app
            .post_json(
                "/api/v1/auth/signup",
                &json!({"email": email, "password": password}),
            )
            .await;
        let body = json_body(response, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(body["code"], json!("validation_failed"));
        assert!(body["error"].as_str().unwrap().contains(reason), "{body}");
    }
    let missing_field = app
        .post_json("/api/v1/auth/signup", &json!({"email": "a@example.org"}))
        .await;
    error_code(missing_field, StatusCode::UNPROCESSABLE_ENTITY).await;
}

async fn an_email_can_only_be_registered_once(backend: Backend) {
    let app = spawn_app(backend).await;
    let creds = app.signed_in_user().await;
    let again = Creds {
        email: creds.email.to_uppercase(),
        password: "another fine passphrase".into(),
    };
    let response = app.sign_up_as(&browser_client(), &again).await;
    assert_eq!(error_code(response, StatusCode::CONFLICT).await, "conflict");
}

async fn long_and_non_ascii_passwords_round_trip(backend: Backend) {
    let app = spawn_app(backend).await;
    for password in ["x".repeat(128), "пароль-密码-🦀🦀🦀".to_string()] {
        let creds = Creds {
            email: format!("u{}@example.org", uuid::Uuid::new_v4().simple()),
            password,
        };
        assert_eq!(app.sign_up(&creds).await.status(), StatusCode::CREATED);
        app.sign_out().await;
        json_body(app.sign_in(&creds).await, StatusCode::OK).await;
        app.sign_out().await;
    }
}

async fn behind_https_the_cookie_is_secure_host_prefixed_and_hsts_is_sent(backend: Backend) {
    let app = spawn_app_with(backend, &[("public_url", "\"https://quire.example\"")]).await;
    let response = app.sign_up(&Creds::new()).await;
    assert!(response.headers()["strict-transport-security"]
        .to_str()
        .unwrap()
        .contains("max-age=31536000"));
    let cookies = set_cookies(response.headers());
    let session = cookies
        .iter()
        .find(|c| c.starts_with("__Host-quire_session="))
        .unwrap_or_else(|| panic!("a __Host- session cookie in {cookies:?}"));
    let attributes: Vec<String> = session
        .split(';')
        .map(|a| a.trim().to_lowercase())
        .collect();
    assert!(attributes.contains(&"secure".to_string()), "{session}");
    assert!(
        !attributes.iter().any(|a| a.starts_with("domain=")),
        "{session}"
    );
}

async fn signing_in_over_another_account_renews_the_session(backend: Backend) {
    let app = spawn_app(backend).await;
    let first = Creds::new();
    let first_cookie = session_cookie(app.sign_up(&first).await.headers()).expect("cookie");
    let second = Creds::new();
    app.sign_up_as(&browser_client(), &second).await;

    let response = app.sign_in(&second).await;
    let second_cookie = session_cookie(response.headers()).expect("a new cookie");
    assert_ne!(first_cookie, second_cookie);
    let me = json_body(app.get("/api/v1/me").await, StatusCode::OK).await;
    assert_eq!(me["data"]["email"], json!(second.email));
    let replay = reqwest::Client::new()
        .get(app.url("/api/v1/me"))
        .header("cookie", &first_cookie)
        .send()
        .await
        .unwrap();
    error_code(replay, StatusCode::UNAUTHORIZED).await;
}
