//! Fetching for panels and pages: re-run when the question changes, cancel the request
//! in flight, and keep the last good answer (marked stale) when a new one fails.

use crate::api_client::ApiError;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::future::Future;
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
    let in_flight = StoredValue::new_local(None::<AbortController>);
    let abort = move || {
        if let Some(controller) = in_flight.try_update_value(Option::take).flatten() {
            controller.abort();
        }
    };
    let key = Memo::new(move |_| key());
    Effect::new(move |_| {
        let Some(key) = key.get() else { return };
        abort();
        let Ok(controller) = AbortController::new() else {
            return;
        };
        let signal = controller.signal();
        in_flight.set_value(Some(controller));
        fetched.loading.set(true);
        let request = fetch(key, signal);
        spawn_local(async move {
            match request.await {
                Ok(data) => {
                    fetched.data.set(Some(data));
                    fetched.error.set(None);
                }
                Err(ApiError::Aborted) => return,
                Err(err) => fetched.error.set(Some(err)),
            }
            fetched.loading.set(false);
        });
    });
    on_cleanup(abort);
    fetched
}
