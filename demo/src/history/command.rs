//! `vantage-demo history`: the flags turned into a [`HistorySpec`], written to one file
//! or to window files announced on standard output as they complete.

use std::io::Write;
use std::time::Instant;

use time::OffsetDateTime;

use super::TICK_S;
use super::chunks::{Chunk, Chunks, OneFile, Sink};
use super::samples::TargetLabels;
use super::snapshot::Snapshot;
use super::writer::{HistorySpec, Start, Written, write_history};
use crate::catalog::orchestrator::Cardinality;
use crate::cli::HistoryArgs;

const DAY: i64 = 86_400;

/// The default origin: midnight UTC, `days` before `until`.
pub fn default_origin(until: i64, days: u32) -> i64 {
    (until - i64::from(days) * DAY).div_euclid(DAY) * DAY
}

/// Now, rounded down to a history tick.
pub fn now_on_tick() -> i64 {
    let now = OffsetDateTime::now_utc().unix_timestamp();
    now - now.rem_euclid(TICK_S)
}

/// What identifies the exposed series: every family's name and type and the label
/// names of its samples, and the repositories and users when they are not the
/// catalog's, hashed (FNV-1a, stable across builds and platforms).
pub fn fingerprint(cardinality: Cardinality) -> Result<String, String> {
    let text = crate::metrics::Metrics::new()
        .encode()
        .map_err(|e| format!("encoding the metrics: {e}"))?;
    let mut shape: Vec<String> = text
        .lines()
        .filter_map(|line| {
            if let Some(kind) = line.strip_prefix("# TYPE ") {
                return Some(kind.to_owned());
            }
            if line.starts_with('#') {
                return None;
            }
            let (name, rest) = line
                .split_once('{')
                .unwrap_or((line.split(' ').next()?, ""));
            let labels: Vec<&str> = rest
                .split(',')
                .filter_map(|pair| pair.split_once('=').map(|(k, _)| k))
                .collect();
            Some(format!("{name}{{{}}}", labels.join(",")))
        })
        .collect();
    shape.sort();
    shape.dedup();
    if !cardinality.is_catalog() {
        shape.push(format!(
            "repositories={} users={}",
            cardinality.repositories, cardinality.users
        ));
    }
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in shape.join("\n").bytes() {
        hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
    }
    Ok(format!("{hash:016x}"))
}

/// Runs `vantage-demo history`.
pub fn run(args: &HistoryArgs) -> Result<(), String> {
    if args.fingerprint {
        let mut stdout = std::io::stdout();
        let cardinality = args.cardinality.cardinality();
        return writeln!(stdout, "{}", fingerprint(cardinality)?).map_err(|e| e.to_string());
    }
    let seed = args.seed.ok_or("give --seed")?;
    let until = args.until.unwrap_or_else(now_on_tick);
    let until = until - until.rem_euclid(TICK_S);
    let spec = HistorySpec {
        catch_up: args.catch_up,
        seed,
        sessions: args
            .sessions
            .map(|n| usize::try_from(n).unwrap_or(usize::MAX)),
        cardinality: args.cardinality.cardinality(),
        start: match &args.resume {
            Some(path) => Start::Resume(Snapshot::read(path)?),
            None => Start::Origin(
                args.origin
                    .unwrap_or_else(|| default_origin(until, args.days)),
            ),
        },
        until,
        target: TargetLabels::new(&args.job, &args.instance),
    };
    let started = Instant::now();
    let mut last_day = None;
    let mut progress = |t: i64, written: &Written| {
        let day = t.div_euclid(DAY);
        if last_day != Some(day) {
            last_day = Some(day);
            if let Ok(at) = OffsetDateTime::from_unix_timestamp(t) {
                tracing::info!(
                    day = %at.date(),
                    samples = written.samples,
                    "writing the history"
                );
            }
        }
    };
    let (written, replay) = match (&args.out, &args.out_dir) {
        (Some(path), _) => {
            let mut sink = OneFile::create(path)
                .map_err(|e| format!("cannot create {}: {e}", path.display()))?;
            write_history(&spec, &mut sink, &mut progress)?
        }
        (None, Some(dir)) => {
            let mut stdout = std::io::stdout();
            let mut announce = |chunk: &Chunk| {
                // The reader (the demo script) starts promtool on each line at once.
                let _ = writeln!(stdout, "{} {}", chunk.path.display(), chunk.block_hours);
                let _ = stdout.flush();
            };
            let mut sink: Box<dyn Sink> = Box::new(
                Chunks::new(dir, &mut announce)
                    .map_err(|e| format!("cannot create {}: {e}", dir.display()))?,
            );
            write_history(&spec, sink.as_mut(), &mut progress)?
        }
        (None, None) => return Err("give --out FILE or --out-dir DIR".to_owned()),
    };
    if let Some(path) = &args.snapshot_out {
        replay.snapshot(spec.seed)?.write(path)?;
    }
    tracing::info!(
        until = spec.until,
        snapshots = written.snapshots,
        samples = written.samples,
        megabytes = written.bytes / 1_000_000,
        seconds = format!("{:.1}", started.elapsed().as_secs_f64()),
        "history written"
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_origin_is_a_midnight() {
        let until = 1_700_000_000;
        let origin = default_origin(until, 30);
        assert_eq!(origin % DAY, 0);
        assert!(until - origin >= 30 * DAY && until - origin < 31 * DAY);
    }

    #[test]
    fn more_repositories_and_users_are_another_history() {
        let catalog = fingerprint(Cardinality::default()).expect("fingerprint");
        let wide = fingerprint(Cardinality::new(Some(500), Some(1000))).expect("fingerprint");
        assert_ne!(catalog, wide);
        assert_eq!(
            catalog,
            fingerprint(Cardinality::new(None, None)).expect("again")
        );
    }
}
