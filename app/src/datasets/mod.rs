//! Datasets: uploading files, their profiles, and the reports made from them.
//!
//! Everything here talks to the JSON API from the browser ([`api`]), with the session cookie;
//! pages load their data after hydration, so the server renders a skeleton. Long work (profiling,
//! report generation) runs in server jobs whose progress arrives over Server-Sent Events
//! ([`events`], [`job_progress`]).

pub mod api;
mod builder_page;
mod charts;
mod column_card;
mod correlations;
mod cover_preview;
mod dataset_page;
pub mod draft;
mod events;
mod format;
mod job_progress;
mod list_page;
mod preview_table;
mod profile_view;
mod reports_list;
mod spec_form;
mod status;
mod templates;
mod upload;
mod xhr;

pub use builder_page::ReportBuilderPage;
pub use dataset_page::DatasetPage;
pub use list_page::DatasetsPage;
