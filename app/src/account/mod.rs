//! Accounts: sign up, sign in (with a password or a provider), sign out, who is signed in, and
//! the account page where provider accounts are linked and unlinked. The server functions are thin:
//! the work happens in the server crate behind [`crate::services::Services`].

mod account_page;
mod provider_buttons;
pub mod providers;
mod sign_in_page;
mod sign_up_page;

pub use account_page::AccountPage;
pub use sign_in_page::SignInPage;
pub use sign_up_page::SignUpPage;

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::UserView;

/// Where people land after signing in or up.
pub const HOME: &str = "/datasets";

#[server(prefix = "/rpc", endpoint = "sign_up")]
pub async fn sign_up(email: String, password: String) -> Result<UserView, AppError> {
    use crate::services::{call, services};
    let user = call(services()?.sign_up(email, password)).await?;
    leptos_axum::redirect(HOME);
    Ok(user)
}

#[server(prefix = "/rpc", endpoint = "sign_in")]
pub async fn sign_in(email: String, password: String) -> Result<UserView, AppError> {
    use crate::services::{call, services};
    let user = call(services()?.sign_in(email, password)).await?;
    leptos_axum::redirect(HOME);
    Ok(user)
}

#[server(prefix = "/rpc", endpoint = "sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    use crate::services::{call, services};
    call(services()?.sign_out()).await?;
    leptos_axum::redirect("/signin");
    Ok(())
}

#[server(prefix = "/rpc", endpoint = "current_user")]
pub async fn current_user() -> Result<Option<UserView>, AppError> {
    use crate::services::{call, services};
    call(services()?.current_user()).await
}

/// The signed-in user and the actions that change it, shared by the header and the pages.
#[derive(Clone, Copy)]
pub struct Session {
    pub user: Resource<Result<Option<UserView>, AppError>>,
    pub sign_in: ServerAction<SignIn>,
    pub sign_up: ServerAction<SignUp>,
    pub sign_out: ServerAction<SignOut>,
}

impl Session {
    /// Creates the session context; the user is fetched again after each sign-in, -up or -out.
    pub fn provide() -> Self {
        let sign_in = ServerAction::<SignIn>::new();
        let sign_up = ServerAction::<SignUp>::new();
        let sign_out = ServerAction::<SignOut>::new();
        let user = Resource::new(
            move || {
                (
                    sign_in.version().get(),
                    sign_up.version().get(),
                    sign_out.version().get(),
                )
            },
            |_| current_user(),
        );
        let session = Session {
            user,
            sign_in,
            sign_up,
            sign_out,
        };
        provide_context(session);
        session
    }
}
