//! Live streams in the console: the connection ([`feed`]), its reconnection policy
//! ([`backoff`]) and the columns of the live tables ([`columns`]).

pub mod backoff;
pub mod columns;
pub mod feed;
