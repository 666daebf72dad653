//! The bytes of one key's extents in the shared store: a small binary frame, deflated
//! when that pays (range answers are repetitive JSON and shrink five to ten times).
//! Anything that does not decode is treated as absent, never as an error.

use super::super::extents::Extent;
use bytes::Bytes;
use flate2::Compression;
use flate2::read::DeflateDecoder;
use flate2::write::DeflateEncoder;
use std::io::{Read, Write};

/// One key's extents and the content type of their answers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExtentList {
    pub content_type: Option<String>,
    pub extents: Vec<Extent>,
}

const MAGIC: &[u8; 3] = b"VX1";
const PLAIN: u8 = 0;
const DEFLATED: u8 = 1;
/// Smaller frames are stored as they are.
const COMPRESS_FROM: usize = 1024;
/// Largest frame accepted when decoding (a corrupt or hostile value cannot make the
/// proxy allocate more).
const MAX_DECODED: u64 = 512 * 1024 * 1024;

/// The stored form of `list`.
pub fn encode(list: &ExtentList) -> Vec<u8> {
    let mut frame = Vec::with_capacity(64 + super::super::extents::size(&list.extents));
    let content_type = list.content_type.as_deref().unwrap_or("").as_bytes();
    let content_type = &content_type[..content_type.len().min(u16::MAX as usize)];
    frame.extend_from_slice(&(content_type.len() as u16).to_be_bytes());
    frame.extend_from_slice(content_type);
    let count = list.extents.len().min(u16::MAX as usize);
    frame.extend_from_slice(&(count as u16).to_be_bytes());
    for e in &list.extents[..count] {
        frame.extend_from_slice(&e.start.to_be_bytes());
        frame.extend_from_slice(&e.end.to_be_bytes());
        frame.extend_from_slice(&e.fetched_at.to_be_bytes());
        frame.extend_from_slice(&e.points.to_be_bytes());
        frame.extend_from_slice(&(e.body.len() as u32).to_be_bytes());
        frame.extend_from_slice(&e.body);
    }
    if frame.len() >= COMPRESS_FROM {
        let mut head = Vec::with_capacity(frame.len() / 4 + 8);
        head.extend_from_slice(MAGIC);
        head.push(DEFLATED);
        let mut encoder = DeflateEncoder::new(head, Compression::fast());
        if encoder.write_all(&frame).is_ok()
            && let Ok(out) = encoder.finish()
        {
            return out;
        }
    }
    let mut out = Vec::with_capacity(frame.len() + 4);
    out.extend_from_slice(MAGIC);
    out.push(PLAIN);
    out.extend_from_slice(&frame);
    out
}

/// The list stored as `bytes`, or `None` if they are not a valid frame.
pub fn decode(bytes: &[u8]) -> Option<ExtentList> {
    let rest = bytes.strip_prefix(MAGIC)?;
    let (&flag, rest) = rest.split_first()?;
    let frame = match flag {
        PLAIN => rest.to_vec(),
        DEFLATED => {
            let mut out = Vec::new();
            DeflateDecoder::new(rest)
                .take(MAX_DECODED)
                .read_to_end(&mut out)
                .ok()?;
            out
        }
        _ => return None,
    };
    let mut reader = Reader(&frame);
    let content_type_len = reader.u16()? as usize;
    let content_type = std::str::from_utf8(reader.take(content_type_len)?).ok()?;
    let count = reader.u16()? as usize;
    let mut extents = Vec::with_capacity(count.min(64));
    for _ in 0..count {
        let start = reader.i64()?;
        let end = reader.i64()?;
        let fetched_at = reader.i64()?;
        let points = reader.i64()? as u64;
        let len = reader.u32()? as usize;
        let body = Bytes::copy_from_slice(reader.take(len)?);
        extents.push(Extent {
            start,
            end,
            fetched_at,
            body,
            points,
        });
    }
    if !reader.0.is_empty() {
        return None;
    }
    Some(ExtentList {
        content_type: (!content_type.is_empty()).then(|| content_type.to_owned()),
        extents,
    })
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.0.len() < n {
            return None;
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Some(head)
    }
    fn u16(&mut self) -> Option<u16> {
        Some(u16::from_be_bytes(self.take(2)?.try_into().ok()?))
    }
    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_be_bytes(self.take(4)?.try_into().ok()?))
    }
    fn i64(&mut self) -> Option<i64> {
        Some(i64::from_be_bytes(self.take(8)?.try_into().ok()?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(body: &str) -> ExtentList {
        ExtentList {
            content_type: Some("application/json".into()),
            extents: vec![
                Extent {
                    start: 0,
                    end: 60_000,
                    fetched_at: 1_700_000_000_000,
                    body: Bytes::from(body.to_owned()),
                    points: 42,
                },
                Extent {
                    start: -5,
                    end: i64::MAX,
                    fetched_at: 1,
                    body: Bytes::new(),
                    points: u64::MAX,
                },
            ],
        }
    }

    #[test]
    fn round_trips_small_and_large() {
        let small = list("{}");
        let encoded = encode(&small);
        assert_eq!(encoded[3], PLAIN);
        assert_eq!(decode(&encoded), Some(small));
        let large = list(&"{\"metric\":{\"job\":\"demo\"},\"values\":[[1,\"1\"]]}".repeat(200));
        let encoded = encode(&large);
        assert_eq!(encoded[3], DEFLATED);
        assert!(
            encoded.len() * 5 < large.extents[0].body.len(),
            "compressed"
        );
        assert_eq!(decode(&encoded), Some(large));
        assert_eq!(
            decode(&encode(&ExtentList::default())),
            Some(ExtentList::default())
        );
    }

    #[test]
    fn garbage_is_absent() {
        let encoded = encode(&list("{}"));
        assert_eq!(decode(b""), None);
        assert_eq!(decode(b"VX1"), None);
        assert_eq!(decode(b"XX1\0"), None);
        assert_eq!(decode(&encoded[..encoded.len() - 1]), None);
        let mut extra = encoded.clone();
        extra.push(0);
        assert_eq!(decode(&extra), None);
        let mut bad_flag = encoded;
        bad_flag[3] = 7;
        assert_eq!(decode(&bad_flag), None);
        assert_eq!(decode(b"VX1\x01not deflate"), None);
    }
}
