//! The URL's view checked against a dashboard: shared with the proxy, which plans a
//! dashboard's first queries the same way.

pub use vantage_api::dashboard::view_state::*;
