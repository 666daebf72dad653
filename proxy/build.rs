//! Rebuild when the app bundle in `dist/` changes: the bundle is embedded in the binary,
//! and a new hashed file name would otherwise go unnoticed.
fn main() {
    println!("cargo:rerun-if-changed=../dist");
}
