//! Signed embed links: a portal's backend (or `vantage-proxy mint-embed-token`, or the
//! share dialog) mints an HS256 JWT with the shared secret, scoped to one dashboard
//! (optionally one panel) and optionally locking variable values. The proxy accepts it
//! as a read-only identity for exactly that scope.

pub mod minting;
pub mod scope;
pub mod token;

pub use scope::EmbedScope;
pub use token::{Claims, mint, verify};

/// The header the console sends an embed token in.
pub const HEADER: &str = "x-vantage-embed";
