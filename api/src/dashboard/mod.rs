//! Dashboards as code: the schema of the files in `dashboards/`, their validation, and
//! turning a panel into the PromQL it runs.

pub mod annotations;
pub mod expand;
pub mod spec;
pub mod template;
pub mod timing;
pub mod validate;
pub mod variables;

pub use spec::*;
