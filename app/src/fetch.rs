//! Fetching for panels: re-run when the question changes, cancel the previous request,
//! and keep the last good answer (marked stale) when a new one fails.

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
    pub error: RwSignal<Option<String>>,
}

// Written out because a derive would demand `T: Copy`; the signals are Copy regardless.
impl<T: Send + Sync + 'static> Clone for Fetched<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for Fetched<T> {}

/// Runs `fetch` whenever `key` changes; the request in flight is aborted when the key
/// changes again or the panel is removed.
pub fn use_fetch<K, T, F, Fut>(key: impl Fn() -> Option<K> + 'static, fetch: F) -> Fetched<T>
where
    K: PartialEq + Clone + 'static,
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
    Effect::new(move |_| {
        let Some(key) = key() else { return };
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
                Err(err) => fetched.error.set(Some(err.to_string())),
            }
            fetched.loading.set(false);
        });
    });
    on_cleanup(abort);
    fetched
}
