//! Drawing a PDF report from a profile and a report spec.
