//! One module per route.

pub mod alerts;
pub mod catalog;
pub mod circuit_breakers;
pub mod cost;
pub mod dashboard;
pub mod dashboard_list;
pub mod embed;
pub mod explore;
pub mod import;
pub mod live;
pub mod not_found;
pub mod status;
pub mod time_context;
