//! Integration tests: each starts a real Quire on a free port with a fresh database, on SQLite
//! and on PostgreSQL, and talks to it over HTTP like a browser or a script would.

mod helpers;

mod accounts;
mod datasets;
mod errors;
mod jobs;
mod limits;
mod oauth;
mod oidc_provider;
mod openapi;
mod ownership;
mod pages;
mod templates;
mod tokens;
mod uploads;
