//! Runs the console benchmarks in headless Chromium and prints their tables (Markdown):
//! drawing (console vs uPlot), decoding a `query_range` answer (wasm vs JSON.parse) and
//! time to every panel painted on the cost dashboard and to every section painted on the
//! cost page against the demo stack.
//! `scripts/bench-console.sh` builds what this needs and runs it; see that script.

// A bench binary: its output is its tables.
#![allow(clippy::print_stdout)]

#[cfg(not(target_arch = "wasm32"))]
mod chrome;
#[cfg(not(target_arch = "wasm32"))]
mod cost;
#[cfg(not(target_arch = "wasm32"))]
mod dashboard;
#[cfg(not(target_arch = "wasm32"))]
mod driver;
#[cfg(not(target_arch = "wasm32"))]
mod serve;

fn main() {
    #[cfg(not(target_arch = "wasm32"))]
    driver::main();
}
