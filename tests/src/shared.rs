//! One stack for the tests of a file: the first test to ask starts it, later ones
//! reuse it, and it stops (every process by its pid) when the last test holding it
//! ends. Tests of one file run on several threads, each with its own runtime; the
//! stack's processes belong to none of them.

use crate::stack::Stack;
use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError, Weak};

/// A lazily started stack shared by the tests of one file (a `static`).
pub struct SharedStack {
    stack: Mutex<Weak<Stack>>,
    starting: tokio::sync::Mutex<()>,
}

impl Default for SharedStack {
    fn default() -> Self {
        Self::new()
    }
}

impl SharedStack {
    pub const fn new() -> SharedStack {
        SharedStack {
            stack: Mutex::new(Weak::new()),
            starting: tokio::sync::Mutex::const_new(()),
        }
    }

    /// The running stack, or one started by `start`. Keep the handle for the whole
    /// test: the stack stops when no test holds one.
    pub async fn get<F, Fut>(&self, start: F) -> Arc<Stack>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Stack>,
    {
        let _one_start_at_a_time = self.starting.lock().await;
        if let Some(stack) = self.running() {
            return stack;
        }
        let stack = Arc::new(start().await);
        *self.stack.lock().unwrap_or_else(PoisonError::into_inner) = Arc::downgrade(&stack);
        stack
    }

    fn running(&self) -> Option<Arc<Stack>> {
        self.stack
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .upgrade()
    }
}
