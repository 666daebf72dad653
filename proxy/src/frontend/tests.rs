//! The layers together against a counting upstream that answers any grid the way
//! Prometheus would (each step on its own, series sorted, empty series left out), so
//! that a joined answer can be compared byte for byte with the whole one.

use super::extent_cache::ExtentLayer;
use super::matrix::SeriesOrder;
use super::metrics::FrontendMetrics;
use super::range::{Grid, RangeQuery, seconds_text};
use super::service::{Failure, RangeAnswer, RangeService, Trace};
use super::split::SplitLayer;
use super::store::Tiered;
use super::store::memory::MemoryStore;
use bytes::Bytes;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

const MIN: i64 = 60_000;
const DAY: i64 = 86_400_000;

/// Series of the fake upstream: metric text and value at a time (none: no point).
type SeriesFn = (&'static str, fn(i64) -> Option<String>);

fn series() -> Vec<SeriesFn> {
    vec![
        // Sorted as Prometheus sorts them.
        (r#"{"__name__":"up","job":"a"}"#, |t| {
            Some(format!("{}", t / MIN % 7))
        }),
        // Appears at minute 30 and disappears at minute 90 of each day.
        (r#"{"__name__":"up","job":"b"}"#, |t| {
            let m = t.rem_euclid(DAY) / MIN;
            (30..90).contains(&m).then(|| "1".to_owned())
        }),
        (r#"{"__name__":"up","job":"c"}"#, |t| {
            Some(
                match t / MIN % 4 {
                    0 => "NaN",
                    1 => "+Inf",
                    2 => "-Inf",
                    _ => "0.30000000000000004",
                }
                .to_owned(),
            )
        }),
    ]
}

/// The whole answer for a grid, as the upstream writes it.
fn whole(grid: Grid) -> String {
    let mut out = String::from(r#"{"status":"success","data":{"resultType":"matrix","result":["#);
    let mut first = true;
    for (metric, value) in series() {
        let points: Vec<String> = (0..grid.points())
            .map(|i| grid.start + i * grid.step)
            .filter_map(|t| value(t).map(|v| format!("[{},\"{v}\"]", seconds_text(t))))
            .collect();
        if points.is_empty() {
            continue;
        }
        if !std::mem::take(&mut first) {
            out.push(',');
        }
        out.push_str(&format!(
            r#"{{"metric":{metric},"values":[{}]}}"#,
            points.join(",")
        ));
    }
    out.push_str("]}}");
    out
}

/// Answers every grid with [`whole`], records what it was asked, and how many calls
/// ran at once.
#[derive(Default)]
struct Counting {
    asked: Mutex<Vec<Grid>>,
    running: AtomicUsize,
    most_at_once: AtomicUsize,
    delay: Option<Duration>,
    warnings: bool,
}

impl Counting {
    fn asked(&self) -> Vec<(i64, i64)> {
        self.asked
            .lock()
            .map(|a| a.iter().map(|g| (g.start, g.end)).collect())
            .unwrap_or_default()
    }
    fn clear(&self) {
        if let Ok(mut a) = self.asked.lock() {
            a.clear();
        }
    }
}

impl RangeService for &Counting {
    async fn call(&self, query: RangeQuery, trace: &Trace) -> Result<RangeAnswer, Failure> {
        let _turn = trace.permit().await;
        let now = self.running.fetch_add(1, Ordering::SeqCst) + 1;
        self.most_at_once.fetch_max(now, Ordering::SeqCst);
        if let Some(delay) = self.delay {
            tokio::time::sleep(delay).await;
        }
        self.running.fetch_sub(1, Ordering::SeqCst);
        if let Ok(mut asked) = self.asked.lock() {
            asked.push(query.grid);
        }
        let sent = std::time::Instant::now();
        trace.upstream(sent, sent);
        let mut body = whole(query.grid);
        if self.warnings {
            // `...]}}` becomes `...]},"warnings":["w"]}`.
            body.truncate(body.len() - 1);
            body.push_str(",\"warnings\":[\"w\"]}");
        }
        Ok(RangeAnswer {
            grid: query.grid,
            content_type: None,
            body: Bytes::from(body),
        })
    }
}

fn query(start: i64, end: i64, step: i64) -> RangeQuery {
    RangeQuery {
        query: "up".into(),
        grid: Grid::new(start, end, step).expect("grid"),
        step_text: seconds_text(step).into(),
        lookback_delta: None,
        timeout: None,
        bucket: None,
        window_ms: 60_000,
    }
}

fn store(ttl: Duration) -> Option<Tiered> {
    Some(Tiered {
        memory: MemoryStore::new(64 * 1024 * 1024, ttl),
        shared: None,
        ttl,
    })
}

fn extents(inner: &Counting) -> ExtentLayer<&Counting> {
    ExtentLayer {
        inner,
        store: store(Duration::from_secs(600)),
        freshness_ms: 5 * MIN,
        ttl_ms: 10 * MIN,
        upstream_id: "test".into(),
        metrics: FrontendMetrics::default(),
    }
}

async fn ask(layer: &impl RangeService, q: RangeQuery, now: i64) -> (String, Trace) {
    let trace = Trace::new(now, SeriesOrder::Labels, 4);
    let answer = match layer.call(q, &trace).await {
        Ok(answer) => answer,
        Err(err) => panic!("no answer: {err:?}"),
    };
    (
        String::from_utf8(answer.body.to_vec()).expect("utf-8"),
        trace,
    )
}

#[tokio::test]
async fn a_refresh_fetches_only_the_fresh_tail_and_joins_exactly() {
    let upstream = Counting::default();
    let layer = extents(&upstream);
    let now = 10 * DAY + 123 * MIN + 17_000;
    // A 6-hour panel ending now, step 1 minute (the console aligns the end up).
    let end = (now / MIN + 1) * MIN;
    let q = query(end - 360 * MIN, end, MIN);
    let (first, trace) = ask(&layer, q.clone(), now).await;
    assert_eq!(first, whole(q.grid));
    assert_eq!(trace.cost().cache_result(), "miss");
    assert_eq!(upstream.asked(), vec![(q.grid.start, q.grid.end)]);
    // 30 s later, the same panel: the kept extent ends at the settled boundary.
    upstream.clear();
    let (second, trace) = ask(&layer, q.clone(), now + 30_000).await;
    assert_eq!(second, first);
    let settled = (now - 5 * MIN) / MIN * MIN;
    assert_eq!(upstream.asked(), vec![(settled + MIN, end)]);
    assert_eq!(trace.cost().cache_result(), "partial");
    assert!(trace.cost().cached_points > 0);
    // Two minutes later the range has moved on; the tail moves with it.
    upstream.clear();
    let later = now + 2 * MIN;
    let end2 = (later / MIN + 1) * MIN;
    let q2 = query(end2 - 360 * MIN, end2, MIN);
    let (third, _) = ask(&layer, q2.clone(), later).await;
    assert_eq!(third, whole(q2.grid));
    assert_eq!(upstream.asked(), vec![(settled + MIN, end2)]);
    // What was settled then is kept now: the next refresh starts later.
    upstream.clear();
    ask(&layer, q2.clone(), later + 10_000).await;
    let settled2 = (later - 5 * MIN) / MIN * MIN;
    assert_eq!(upstream.asked(), vec![(settled2 + MIN, end2)]);
}

#[tokio::test]
async fn settled_ranges_are_whole_hits_and_extents_expire() {
    let upstream = Counting::default();
    let layer = extents(&upstream);
    let now = 20 * DAY;
    let q = query(now - 120 * MIN, now - 60 * MIN, MIN);
    ask(&layer, q.clone(), now).await;
    upstream.clear();
    let (inner, trace) = ask(&layer, query(now - 100 * MIN, now - 70 * MIN, MIN), now).await;
    assert_eq!(
        inner,
        whole(query(now - 100 * MIN, now - 70 * MIN, MIN).grid)
    );
    assert!(upstream.asked().is_empty(), "a hit inside the extent");
    assert_eq!(trace.cost().cache_result(), "hit");
    // Wider on both sides: two gaps.
    let wide = query(now - 150 * MIN, now - 40 * MIN, MIN);
    let (out, _) = ask(&layer, wide.clone(), now).await;
    assert_eq!(out, whole(wide.grid));
    assert_eq!(
        upstream.asked(),
        vec![
            (now - 150 * MIN, now - 121 * MIN),
            (now - 59 * MIN, now - 40 * MIN)
        ]
    );
    // Past cache_ttl every extent is dropped.
    upstream.clear();
    ask(&layer, q.clone(), now + 11 * MIN).await;
    assert_eq!(upstream.asked(), vec![(q.grid.start, q.grid.end)]);
}

#[tokio::test]
async fn nothing_newer_than_the_freshness_window_is_kept() {
    let upstream = Counting::default();
    let layer = extents(&upstream);
    let now = 30 * DAY;
    let q = query(now - 4 * MIN, now, MIN);
    ask(&layer, q.clone(), now).await;
    ask(&layer, q.clone(), now).await;
    assert_eq!(upstream.asked().len(), 2, "all of it is fresh");
}

#[tokio::test]
async fn answers_with_warnings_are_passed_on_but_not_kept() {
    let upstream = Counting {
        warnings: true,
        ..Counting::default()
    };
    let layer = extents(&upstream);
    let now = 30 * DAY;
    let q = query(now - 60 * MIN, now - 30 * MIN, MIN);
    let (out, _) = ask(&layer, q.clone(), now).await;
    assert!(out.ends_with(",\"warnings\":[\"w\"]}"), "{out}");
    ask(&layer, q, now).await;
    assert_eq!(upstream.asked().len(), 2);
}

#[tokio::test]
async fn split_days_are_kept_apart_and_a_repeat_fetches_only_today() {
    let upstream = Counting::default();
    let split = SplitLayer {
        inner: extents(&upstream),
        interval_ms: DAY,
        parallelism: 2,
        metrics: FrontendMetrics::default(),
    };
    let now = 40 * DAY + 600 * MIN;
    let step = 5 * MIN;
    let end = (now / step + 1) * step;
    let q = query(end - 3 * DAY, end, step);
    let (first, _) = ask(&split, q.clone(), now).await;
    assert_eq!(first, whole(q.grid));
    assert_eq!(upstream.asked().len(), 4, "four day pieces");
    upstream.clear();
    let (again, trace) = ask(&split, q.clone(), now + 30_000).await;
    assert_eq!(again, first);
    let settled = (now - 5 * MIN) / step * step;
    assert_eq!(upstream.asked(), vec![(settled + step, end)]);
    assert_eq!(trace.cost().subqueries, 1);
}

#[tokio::test]
async fn split_pieces_run_a_bounded_number_at_once() {
    let upstream = Counting {
        delay: Some(Duration::from_millis(20)),
        ..Counting::default()
    };
    let split = SplitLayer {
        inner: ExtentLayer {
            store: None,
            ..extents(&upstream)
        },
        interval_ms: DAY,
        parallelism: 3,
        metrics: FrontendMetrics::default(),
    };
    let q = query(0, 30 * DAY, 60 * MIN);
    let trace = Trace::new(31 * DAY, SeriesOrder::Labels, 3);
    let answer = split.call(q.clone(), &trace).await.expect("answer");
    assert_eq!(answer.body, whole(q.grid).into_bytes());
    assert_eq!(upstream.asked().len(), 31);
    let most = upstream.most_at_once.load(Ordering::SeqCst);
    assert!((2..=3).contains(&most), "{most} at once");
}

#[tokio::test]
async fn queries_looking_back_a_long_way_stay_whole() {
    let upstream = Counting::default();
    let split = SplitLayer {
        inner: extents(&upstream),
        interval_ms: DAY,
        parallelism: 2,
        metrics: FrontendMetrics::default(),
    };
    let q = RangeQuery {
        window_ms: 30 * DAY,
        ..query(0, 30 * DAY, 2 * 3600 * 1000)
    };
    let (out, _) = ask(&split, q.clone(), 31 * DAY).await;
    assert_eq!(out, whole(q.grid));
    assert_eq!(upstream.asked(), vec![(0, 30 * DAY)]);
}

#[tokio::test]
async fn pieces_that_cannot_be_joined_are_refused() {
    struct Spaced;
    impl RangeService for Spaced {
        async fn call(&self, query: RangeQuery, _: &Trace) -> Result<RangeAnswer, Failure> {
            Ok(RangeAnswer {
                grid: query.grid,
                content_type: None,
                body: Bytes::from(whole(query.grid).replace("\"data\":", "\"data\": ")),
            })
        }
    }
    let split = SplitLayer {
        inner: Spaced,
        interval_ms: DAY,
        parallelism: 2,
        metrics: FrontendMetrics::default(),
    };
    let trace = Trace::new(5 * DAY, SeriesOrder::Labels, 2);
    let outcome = split.call(query(0, 2 * DAY, MIN), &trace).await;
    assert!(matches!(
        outcome,
        Err(Failure::Unmergeable(super::matrix::Unmergeable::Layout))
    ));
    // One piece needs no joining: passed on as it is.
    let one = split.call(query(0, 60 * MIN, MIN), &trace).await;
    assert!(one.is_ok());
}
