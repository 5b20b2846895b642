use leptos::prelude::*;

use crate::error::AppError;

/// The error of the last run of an action, if it failed, in words a person can act on.
#[component]
pub fn ActionError<T, S>(result: S) -> impl IntoView
where
    S: With<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
    T: Send + Sync + 'static,
{
    move || {
        result.with(|r| match r {
            Some(Err(error)) => {
                Some(view! { <p class="error" role="alert">{error.to_string()}</p> })
            }
            _ => None,
        })
    }
}
