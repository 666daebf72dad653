//! One module per route.

pub mod cost_attribution;
pub mod not_found;
