//! Who is calling: password accounts and OAuth / OpenID Connect providers with sessions
//! (axum-login), and personal API tokens.

pub mod api_token;
pub mod backend;
pub mod email;
pub mod oauth;
pub mod password;
pub mod throttle;

pub use backend::{AuthSession, Backend, User};
