//! Rebuild when the app bundle in `dist/` or the dashboards change: both are embedded,
//! and a new hashed file name would otherwise go unnoticed.
fn main() {
    println!("cargo:rerun-if-changed=../dist");
    println!("cargo:rerun-if-changed=../dashboards");
}
