//! Cost intelligence: spend across every configured source by team, repository, user
//! and model, against the previous period, month to date and forecast, budgets, reports
//! and the cost of a unit of work. Everything here takes a [`prom::Prom`] and the
//! [`settings::CostSettings`], nothing else of the proxy.

pub mod breakdown;
pub mod budgets;
pub mod calendar;
pub mod daily;
pub mod forecast;
pub mod projection;
pub mod prom;
pub mod report;
pub mod rules;
pub mod settings;
pub mod spend;
pub mod units;

pub use settings::CostSettings;
