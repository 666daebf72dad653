//! Registration that also remembers how to restore each family (see [`super::restore`]).

use prometheus_client::registry::{Metric, Registry};

use super::restore::Restore;

/// A registry and the restorable handles of what was registered in it.
#[derive(Debug, Default)]
pub struct Registrar {
    pub registry: Registry,
    pub restorers: Vec<(String, Box<dyn Restore>)>,
}

impl Registrar {
    /// Registers `metric` under `name`, as [`Registry::register`] does.
    pub fn register<M>(&mut self, name: &str, help: &str, metric: M)
    where
        M: Metric + Restore + Clone,
    {
        self.restorers
            .push((name.to_owned(), Box::new(metric.clone())));
        self.registry.register(name, help, metric);
    }
}
