//! Pieces shared by several pages.

mod action_error;
mod header;
mod password_field;
mod protected;

pub use action_error::ActionError;
pub use header::Header;
pub use password_field::PasswordField;
pub use protected::Protected;
