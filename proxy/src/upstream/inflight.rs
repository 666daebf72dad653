//! Identical requests in flight share one upstream exchange.

use super::flight::{Flight, Reader};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// The exchanges currently in flight, by request key.
#[derive(Default)]
pub struct InFlight {
    map: Mutex<HashMap<String, Arc<Flight>>>,
}

/// Whether this caller starts the exchange or joins one.
pub enum Joined {
    /// Nobody asked this yet: the caller must start the driver for this flight.
    Leader(Arc<Flight>, Reader),
    /// Somebody already asked: read their answer.
    Follower(Reader),
}

impl InFlight {
    /// Joins the exchange for `key`, or registers a new one.
    pub fn join_or_start(&self, key: &str) -> Joined {
        let mut map = self.map.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(flight) = map.get(key) {
            // Subscribing under the lock: the driver cannot finish and be removed
            // between the lookup and the subscription.
            return Joined::Follower(flight.subscribe());
        }
        let (flight, reader) = Flight::new();
        map.insert(key.to_owned(), Arc::clone(&flight));
        Joined::Leader(flight, reader)
    }

    /// Forgets the exchange for `key` if it is still this one.
    pub fn finish(&self, key: &str, flight: &Arc<Flight>) {
        let mut map = self.map.lock().unwrap_or_else(|p| p.into_inner());
        if map.get(key).is_some_and(|f| Arc::ptr_eq(f, flight)) {
            map.remove(key);
        }
    }

    /// Exchanges currently in flight.
    pub fn len(&self) -> usize {
        self.map.lock().map(|m| m.len()).unwrap_or(0)
    }

    /// Whether nothing is in flight.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
