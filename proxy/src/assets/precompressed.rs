//! Brotli (quality 11) and gzip (level 9) copies of the bundle, made once in the
//! background at start-up: the wasm ships about a fifth smaller than with on-the-fly
//! compression, and no request pays for compressing it. Until they are ready, answers
//! are compressed on the fly as before.

use bytes::Bytes;
use std::collections::HashMap;
use std::io::Write;
use std::sync::OnceLock;

/// The compressed copies of one file.
pub struct Encoded {
    pub br: Bytes,
    pub gzip: Bytes,
}

static STORE: OnceLock<HashMap<String, Encoded>> = OnceLock::new();

/// Files worth compressing: text and wasm, not images or tiny files.
fn worth_it(name: &str, size: usize) -> bool {
    size >= 1024
        && [".wasm", ".js", ".css", ".html", ".svg", ".json"]
            .iter()
            .any(|ext| name.ends_with(ext))
}

fn brotli(data: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(data.len() / 3);
    {
        let mut writer = brotli::CompressorWriter::new(&mut out, 64 * 1024, 11, 22);
        writer.write_all(data)?;
    }
    Ok(out)
}

fn gzip(data: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(
        Vec::with_capacity(data.len() / 3),
        flate2::Compression::best(),
    );
    encoder.write_all(data)?;
    encoder.finish()
}

/// Compresses every file worth it; call once, off the async threads.
pub fn prepare(files: impl Iterator<Item = (String, Vec<u8>)>) {
    let started = std::time::Instant::now();
    let mut store = HashMap::new();
    for (name, data) in files.filter(|(name, data)| worth_it(name, data.len())) {
        match (brotli(&data), gzip(&data)) {
            (Ok(br), Ok(gz)) => {
                store.insert(
                    name,
                    Encoded {
                        br: Bytes::from(br),
                        gzip: Bytes::from(gz),
                    },
                );
            }
            (Err(e), _) | (_, Err(e)) => tracing::warn!(%name, error = %e, "cannot precompress"),
        }
    }
    tracing::info!(
        files = store.len(),
        elapsed_ms = started.elapsed().as_millis() as u64,
        "bundle precompressed"
    );
    let _ = STORE.set(store);
}

/// The compressed copies of `name`, once ready.
pub fn get(name: &str) -> Option<&'static Encoded> {
    STORE.get()?.get(name)
}

/// The best encoding the client accepts: `br`, then `gzip` (honouring `q=0`).
pub fn choose(accept_encoding: &str) -> Option<&'static str> {
    let accepts = |wanted: &str| {
        accept_encoding.split(',').any(|part| {
            let mut pieces = part.split(';');
            let coding = pieces.next().unwrap_or("").trim();
            let q = pieces
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            coding.eq_ignore_ascii_case(wanted) && q > 0.0
        })
    };
    if accepts("br") {
        Some("br")
    } else if accepts("gzip") {
        Some("gzip")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chooses_brotli_then_gzip() {
        assert_eq!(choose("gzip, deflate, br, zstd"), Some("br"));
        assert_eq!(choose("gzip;q=0.5, br;q=0"), Some("gzip"));
        assert_eq!(choose("identity"), None);
        assert_eq!(choose(""), None);
    }

    #[test]
    fn round_trips_both_encodings() {
        let data = "fn main() { println!(\"hello\"); }\n"
            .repeat(200)
            .into_bytes();
        let br = brotli(&data).expect("br");
        let mut plain = Vec::new();
        brotli::BrotliDecompress(&mut &br[..], &mut plain).expect("decompress");
        assert_eq!(plain, data);
        assert!(br.len() < data.len() / 10);
        let gz = gzip(&data).expect("gzip");
        let mut plain = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&gz[..]), &mut plain)
            .expect("gunzip");
        assert_eq!(plain, data);
    }
}
