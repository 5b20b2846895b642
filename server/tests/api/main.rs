//! Integration tests: each starts a real Quire on a free port with a fresh database, on SQLite
//! and on PostgreSQL, and talks to it over HTTP like a browser or a script would.

mod helpers;

mod accounts;
mod errors;
mod oauth;
mod oidc_provider;
mod pages;
mod tokens;
