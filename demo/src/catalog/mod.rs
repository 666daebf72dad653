//! The fixed label values of every simulated system. Everything labelled comes from
//! here, which is what keeps the series count bounded.

pub mod asdlc;
pub mod aurea;
pub mod autobot;
pub mod orchestrator;
pub mod platform;
