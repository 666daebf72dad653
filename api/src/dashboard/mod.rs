//! Dashboards as code: the schema of the files in `dashboards/`, their validation, and
//! turning a panel into the PromQL it runs.

pub mod annotations;
pub mod expand;
pub mod first_view;
pub mod plan;
pub mod sections;
pub mod spec;
pub mod template;
pub mod timing;
pub mod validate;
pub mod variables;
pub mod view_state;

pub use spec::*;
