//! Who is calling: password accounts with sessions (axum-login), and personal API tokens.

pub mod api_token;
pub mod backend;
pub mod email;
pub mod password;
pub mod throttle;

pub use backend::{AuthSession, Backend, User};
