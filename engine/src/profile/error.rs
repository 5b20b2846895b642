use crate::ingest::IngestError;

#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error("could not open {path}: {source}")]
    Open {
        path: String,
        source: std::io::Error,
    },
    #[error(transparent)]
    Ingest(#[from] IngestError),
    #[error("no column named {name:?} to use for {purpose}")]
    UnknownColumn { name: String, purpose: &'static str },
    #[error("column {name:?} is {found}, but {purpose} needs a date or datetime column")]
    NotTemporal {
        name: String,
        found: &'static str,
        purpose: &'static str,
    },
}
