//! Where written samples go: one OpenMetrics file, or one file per block window so that
//! `promtool` can turn them into blocks in parallel, each file read once. (`promtool
//! tsdb create-blocks-from openmetrics` reads its whole input once per block window it
//! spans, so a month in one file would be read hundreds of times.)

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// Hours of one block window for data `age_s` old: 2 h (Prometheus' own block size) for
/// the dense recent past, 18 h (a size `--max-block-duration` accepts) for the rest.
pub fn block_hours(age_s: i64) -> i64 {
    if age_s > 2 * 86_400 { 18 } else { 2 }
}

/// Receives the samples of one time at a time, in time order.
pub trait Sink {
    /// Writes the lines of the samples at `t` (their age is `age_s`).
    fn write(&mut self, t: i64, age_s: i64, lines: &str) -> io::Result<()>;
    /// Ends the last file.
    fn finish(&mut self) -> io::Result<()>;
}

/// Everything in one file, ended with `# EOF`.
pub struct OneFile {
    out: Option<BufWriter<File>>,
}

impl OneFile {
    pub fn create(path: &Path) -> io::Result<Self> {
        Ok(Self {
            out: Some(BufWriter::with_capacity(1 << 20, File::create(path)?)),
        })
    }
}

impl Sink for OneFile {
    fn write(&mut self, _t: i64, _age_s: i64, lines: &str) -> io::Result<()> {
        match &mut self.out {
            Some(out) => out.write_all(lines.as_bytes()),
            None => Err(io::Error::other("the history file is already finished")),
        }
    }

    fn finish(&mut self) -> io::Result<()> {
        if let Some(mut out) = self.out.take() {
            out.write_all(b"# EOF\n")?;
            out.into_inner()
                .map_err(io::IntoInnerError::into_error)?
                .sync_all()?;
        }
        Ok(())
    }
}

/// A finished window file: its path and the block size to build it with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chunk {
    pub path: PathBuf,
    pub block_hours: i64,
}

/// One file per block window, `<window start>-<hours>h.om` in a directory; a file is
/// written as `.part` and renamed once its window is complete, then announced.
pub struct Chunks<F: FnMut(&Chunk)> {
    dir: PathBuf,
    current: Option<(i64, i64, BufWriter<File>)>,
    on_done: F,
}

impl<F: FnMut(&Chunk)> Chunks<F> {
    pub fn new(dir: &Path, on_done: F) -> io::Result<Self> {
        std::fs::create_dir_all(dir)?;
        Ok(Self {
            dir: dir.to_owned(),
            current: None,
            on_done,
        })
    }

    fn path(&self, start: i64, hours: i64) -> PathBuf {
        self.dir.join(format!("{start}-{hours}h.om"))
    }

    fn close(&mut self) -> io::Result<()> {
        if let Some((start, hours, mut out)) = self.current.take() {
            out.write_all(b"# EOF\n")?;
            out.flush()?;
            drop(out);
            let done = self.path(start, hours);
            std::fs::rename(done.with_extension("om.part"), &done)?;
            (self.on_done)(&Chunk {
                path: done,
                block_hours: hours,
            });
        }
        Ok(())
    }
}

impl<F: FnMut(&Chunk)> Sink for Chunks<F> {
    fn write(&mut self, t: i64, age_s: i64, lines: &str) -> io::Result<()> {
        let hours = block_hours(age_s);
        let len = hours * 3_600;
        let start = t.div_euclid(len) * len;
        if self
            .current
            .as_ref()
            .is_none_or(|(s, h, _)| (*s, *h) != (start, hours))
        {
            self.close()?;
            let file = File::create(self.path(start, hours).with_extension("om.part"))?;
            self.current = Some((start, hours, BufWriter::with_capacity(1 << 20, file)));
        }
        match &mut self.current {
            Some((_, _, out)) => out.write_all(lines.as_bytes()),
            None => Err(io::Error::other("no open window")),
        }
    }

    fn finish(&mut self) -> io::Result<()> {
        self.close()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_file_per_window_announced_when_complete() {
        let dir = std::env::temp_dir().join(format!("vantage-chunks-{}", std::process::id()));
        let mut done = Vec::new();
        {
            let mut chunks = Chunks::new(&dir, |c: &Chunk| done.push(c.clone())).expect("dir");
            let day = 86_400;
            chunks.write(3 * day, 3 * day, "a 1 1\n").expect("write");
            chunks
                .write(3 * day + 60, 3 * day, "a 1 2\n")
                .expect("write");
            chunks.write(7_200 * 40, day, "a 1 3\n").expect("write");
            chunks.finish().expect("finish");
        }
        let names: Vec<String> = done
            .iter()
            .map(|c| {
                c.path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default()
            })
            .collect();
        assert_eq!(names, ["259200-18h.om", "288000-2h.om"]);
        let first = std::fs::read_to_string(&done[0].path).expect("read");
        assert_eq!(first, "a 1 1\na 1 2\n# EOF\n");
        assert_eq!(done[1].block_hours, 2);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
