//! Fetching for panels and pages: re-run when the question changes, cancel the request
//! in flight, and keep the last good answer (marked stale) when a new one fails.

use crate::api_client::ApiError;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::future::Future;
use std::pin::Pin;
use web_sys::{AbortController, AbortSignal};

/// What a panel shows: its data, whether it is loading, and the last error.
pub struct Fetched<T: Send + Sync + 'static> {
    pub data: RwSignal<Option<T>>,
    pub loading: RwSignal<bool>,
    /// Set when the latest request failed; `data` then holds the last good answer.
    pub error: RwSignal<Option<ApiError>>,
}

// Written out because a derive would demand `T: Copy`; the signals are Copy regardless.
impl<T: Send + Sync + 'static> Clone for Fetched<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for Fetched<T> {}

impl<T: Send + Sync + 'static> Fetched<T> {
    /// The error message, for display.
    pub fn error_message(&self) -> Signal<Option<String>> {
        let error = self.error;
        Signal::derive(move || error.get().map(|e| e.to_string()))
    }
}

/// A request that stores its own answer and reports only how it went.
type Request = Pin<Box<dyn Future<Output = Result<(), ApiError>>>>;

/// Runs `fetch` whenever `key` changes to `Some`; the request in flight is aborted when
/// the key changes again or the owner is removed.
pub fn use_fetch<K, T, F, Fut>(
    key: impl Fn() -> Option<K> + Send + Sync + 'static,
    fetch: F,
) -> Fetched<T>
where
    K: PartialEq + Clone + Send + Sync + 'static,
    T: Send + Sync + 'static,
    F: Fn(K, AbortSignal) -> Fut + 'static,
    Fut: Future<Output = Result<T, ApiError>> + 'static,
{
    let fetched = Fetched {
        data: RwSignal::new(None),
        loading: RwSignal::new(false),
        error: RwSignal::new(None),
    };
    let key = Memo::new(move |_| key());
    // Only this adapter is generic; the machinery below is shared by every panel,
    // which keeps the bundle small.
    let start = move |signal: AbortSignal| -> Option<Request> {
        let key = key.get()?;
        let request = fetch(key, signal);
        Some(Box::pin(async move {
            let data = request.await?;
            fetched.data.set(Some(data));
            Ok(())
        }))
    };
    drive(Box::new(start), fetched.loading, fetched.error);
    fetched
}

/// Re-runs `start` whenever the signals it reads change, cancelling the request in flight.
fn drive(
    start: Box<dyn Fn(AbortSignal) -> Option<Request>>,
    loading: RwSignal<bool>,
    error: RwSignal<Option<ApiError>>,
) {
    let in_flight = StoredValue::new_local(None::<AbortController>);
    let abort = move || {
        if let Some(controller) = in_flight.try_update_value(Option::take).flatten() {
            controller.abort();
        }
    };
    Effect::new(move |_| {
        let Ok(controller) = AbortController::new() else {
            return;
        };
        let Some(request) = start(controller.signal()) else {
            return;
        };
        abort();
        in_flight.set_value(Some(controller));
        loading.set(true);
        spawn_local(async move {
            match request.await {
                Ok(()) => error.set(None),
                Err(ApiError::Aborted) => return,
                Err(err) => error.set(Some(err)),
            }
            loading.set(false);
        });
    });
    on_cleanup(abort);
}
