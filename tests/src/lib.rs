//! Harness for end-to-end tests: starts the real demo backend, a real Prometheus, the
//! real proxy and headless Chromium on free loopback ports, and stops each process it
//! started by its own process id when the test ends (pass or fail).

pub mod axe;
pub mod balancer;
pub mod browser;
pub mod dashboard_load;
pub mod fault;
pub mod history;
pub mod node_stack;
pub mod process;
pub mod proxy;
pub mod recorder;
pub mod redis;
pub mod shared;
pub mod stack;
pub mod static_site;

use std::path::PathBuf;

/// The workspace root.
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(PathBuf::from)
        .unwrap_or_default()
}

/// Cargo's target directory.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target"))
}

/// Where a test writes what a person may want to look at: `target/e2e-output/<test>/`.
pub fn output_dir(test: &str) -> PathBuf {
    let dir = target_dir().join("e2e-output").join(test);
    let _ = std::fs::create_dir_all(&dir);
    dir
}
