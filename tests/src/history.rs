//! The demo's past for end-to-end tests, built by the same script as `scripts/demo.sh`
//! (`scripts/history.sh`): blocks cached in `target/demo-history`, so only the first
//! test of a fresh checkout pays for writing them.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The `job` label the tests' Prometheus gives the demo.
pub const JOB: &str = "demo";
/// The fixed `instance` label of the demo's series, past and live.
pub const INSTANCE: &str = "vantage-demo";

/// Loads `days` of the seed-42 demo's past into `<dir>/tsdb` and returns the snapshot
/// the live demo resumes from. Blocks until every block is built.
pub fn load(dir: &Path, days: u32) -> PathBuf {
    let root = crate::workspace_root();
    let output = Command::new("bash")
        .arg(root.join("scripts/history.sh"))
        .args(["42", &days.to_string()])
        .arg(dir.join("tsdb"))
        .args([JOB, INSTANCE])
        .env(
            "VANTAGE_DEMO_BIN",
            crate::process::workspace_binary("vantage-demo"),
        )
        .env(
            "VANTAGE_HISTORY_CACHE",
            crate::target_dir().join("demo-history"),
        )
        .output()
        .expect("run scripts/history.sh");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "scripts/history.sh failed: {stderr}"
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    let snapshot = PathBuf::from(stdout.lines().last().unwrap_or_default().trim());
    assert!(
        snapshot.is_file(),
        "scripts/history.sh printed no snapshot: {stdout}\n{stderr}"
    );
    // Kept with the stack's directory so it outlives the script's temp dir.
    let kept = dir.join("history-snapshot");
    std::fs::copy(&snapshot, &kept).expect("keep the snapshot");
    kept
}
