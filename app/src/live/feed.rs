//! The console's end of a live stream (`/api/live/<source>`): one WebSocket, a snapshot
//! then diffs applied to keyed rows, a resync when a sequence number is missing, and
//! reconnection with backoff and jitter. Where a WebSocket cannot be opened although the
//! proxy answers over HTTP, it polls the same stream over HTTP (with ETags) and tries
//! a WebSocket again now and then. While the tab is hidden it lets go of the stream, so
//! a screen nobody looks at costs the backend nothing.

use super::backoff::delay_ms;
use crate::api_client::embed_token;
use gloo_net::http::Request;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::de::DeserializeOwned;
use std::cell::RefCell;
use std::rc::{Rc, Weak};
use std::time::Duration;
use vantage_api::envelope::ErrorBody;
use vantage_api::live::{
    EMBED_PROTOCOL_PREFIX, LiveMessage, LiveRow, LiveStatus, Next, PROTOCOL, SeqTracker,
};
use vantage_components::live_rows::LiveRows;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{CloseEvent, MessageEvent, WebSocket};

/// How long polling mode waits before trying a WebSocket again.
const WEBSOCKET_RETRY_MS: f64 = 30_000.0;
/// Until the first snapshot says otherwise.
const DEFAULT_INTERVAL_MS: u64 = 2_000;
const DEFAULT_HEARTBEAT_MS: u64 = 15_000;
/// A connection silent for this many heartbeats is taken for dead.
const SILENT_HEARTBEATS: f64 = 2.5;

/// How the feed gets its rows right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedMode {
    /// Opening the first connection.
    Connecting,
    /// Streaming over a WebSocket.
    WebSocket,
    /// Polling over HTTP: a WebSocket could not be opened.
    Polling,
    /// The connection was lost; the next attempt is in `delay_ms`.
    Reconnecting { delay_ms: u64 },
    /// The tab is hidden.
    Paused,
}

impl FeedMode {
    /// For people.
    pub fn label(self) -> String {
        match self {
            FeedMode::Connecting => "Connecting…".to_owned(),
            FeedMode::WebSocket => "Live · WebSocket".to_owned(),
            FeedMode::Polling => "Live · HTTP polling".to_owned(),
            FeedMode::Reconnecting { delay_ms } => {
                format!("Reconnecting in {} s", delay_ms.div_ceil(1000))
            }
            FeedMode::Paused => "Paused · tab hidden".to_owned(),
        }
    }

    /// For styles and tests.
    pub fn key(self) -> &'static str {
        match self {
            FeedMode::Connecting => "connecting",
            FeedMode::WebSocket => "websocket",
            FeedMode::Polling => "polling",
            FeedMode::Reconnecting { .. } => "reconnecting",
            FeedMode::Paused => "paused",
        }
    }
}

/// What a live view shows.
pub struct LiveFeed<R: Send + Sync + 'static> {
    pub rows: LiveRows<R>,
    pub mode: RwSignal<FeedMode>,
    /// The backend's health as the hub reports it.
    pub status: RwSignal<LiveStatus>,
    /// Why the stream itself is not flowing (proxy unreachable, link refused).
    pub problem: RwSignal<Option<String>>,
    /// A first snapshot arrived.
    pub loaded: RwSignal<bool>,
    /// When the hub last polled the backend successfully, Unix ms.
    pub polled_at: RwSignal<Option<i64>>,
    /// Snapshots applied so far (the first, and one per resync or reconnection).
    pub snapshots: RwSignal<u32>,
}

impl<R: Send + Sync + 'static> Clone for LiveFeed<R> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<R: Send + Sync + 'static> Copy for LiveFeed<R> {}

/// Rows of a live row type.
pub trait FeedRow: LiveRow + DeserializeOwned + PartialEq + Send + Sync + 'static {}
impl<R: LiveRow + DeserializeOwned + PartialEq + Send + Sync + 'static> FeedRow for R {}

struct Socket {
    ws: WebSocket,
    _on_open: Closure<dyn FnMut()>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_close: Closure<dyn FnMut(CloseEvent)>,
}

impl Socket {
    /// Detaches the handlers and closes the socket if it is still open.
    fn retire(&self) {
        self.ws.set_onopen(None);
        self.ws.set_onmessage(None);
        self.ws.set_onclose(None);
        if self.ws.ready_state() <= WebSocket::OPEN {
            let _ = self.ws.close_with_code_and_reason(1000, "done");
        }
    }
}

struct Driver<R: Send + Sync + 'static> {
    source: &'static str,
    feed: LiveFeed<R>,
    socket: Option<Socket>,
    /// Sockets whose handlers may still be running: dropped later, never inside them.
    retired: Vec<Socket>,
    opened: bool,
    attempt: u32,
    seq: SeqTracker,
    interval_ms: u64,
    heartbeat_ms: u64,
    last_message: f64,
    timer: Option<TimeoutHandle>,
    polling: bool,
    etag: Option<String>,
    websocket_retry_at: f64,
    paused: bool,
    disposed: bool,
    /// A snapshot arriving in parts, until its last part.
    partial: Option<Partial<R>>,
}

/// The parts of one snapshot received so far.
struct Partial<R> {
    seq: u64,
    polled_at: Option<i64>,
    status: LiveStatus,
    rows: Vec<R>,
}

type Shared<R> = Rc<RefCell<Driver<R>>>;

fn now() -> f64 {
    js_sys::Date::now()
}

fn tab_hidden() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .is_some_and(|d| d.hidden())
}

/// `ws(s)://host/api/live/<source>` or `http(s)://...`.
fn live_url(source: &str, websocket: bool) -> String {
    let location = web_sys::window().map(|w| w.location());
    let secure = location
        .as_ref()
        .and_then(|l| l.protocol().ok())
        .is_some_and(|p| p == "https:");
    let host = location.and_then(|l| l.host().ok()).unwrap_or_default();
    let scheme = match (websocket, secure) {
        (true, true) => "wss",
        (true, false) => "ws",
        (false, true) => "https",
        (false, false) => "http",
    };
    format!("{scheme}://{host}/api/live/{source}")
}

/// Streams `source` into keyed rows for as long as the calling component lives.
pub fn use_live_feed<R: FeedRow>(source: &'static str) -> LiveFeed<R> {
    let feed = LiveFeed {
        rows: LiveRows::new(),
        mode: RwSignal::new(FeedMode::Connecting),
        status: RwSignal::new(LiveStatus::default()),
        problem: RwSignal::new(None),
        loaded: RwSignal::new(false),
        polled_at: RwSignal::new(None),
        snapshots: RwSignal::new(0),
    };
    let driver: Shared<R> = Rc::new(RefCell::new(Driver {
        source,
        feed,
        socket: None,
        retired: Vec::new(),
        opened: false,
        attempt: 0,
        seq: SeqTracker::default(),
        interval_ms: DEFAULT_INTERVAL_MS,
        heartbeat_ms: DEFAULT_HEARTBEAT_MS,
        last_message: now(),
        timer: None,
        polling: false,
        etag: None,
        websocket_retry_at: 0.0,
        paused: tab_hidden(),
        disposed: false,
        partial: None,
    }));
    if driver.borrow().paused {
        feed.mode.set(FeedMode::Paused);
    } else {
        connect(&driver);
    }
    let held = StoredValue::new_local(Some(Rc::clone(&driver)));
    let visibility = {
        let driver = Rc::downgrade(&driver);
        window_event_listener(leptos::ev::visibilitychange, move |_| {
            if let Some(driver) = driver.upgrade() {
                if tab_hidden() {
                    pause(&driver);
                } else {
                    resume(&driver);
                }
            }
        })
    };
    let watchdog = {
        let driver = Rc::downgrade(&driver);
        set_interval_with_handle(
            move || {
                if let Some(driver) = driver.upgrade() {
                    check_silence(&driver);
                }
            },
            Duration::from_secs(5),
        )
    };
    on_cleanup(move || {
        visibility.remove();
        if let Ok(watchdog) = watchdog {
            watchdog.clear();
        }
        if let Some(driver) = held.try_update_value(Option::take).flatten() {
            dispose(&driver);
        }
    });
    feed
}

fn clear_timer<R: Send + Sync + 'static>(this: &mut Driver<R>) {
    if let Some(timer) = this.timer.take() {
        timer.clear();
    }
}

fn after<R: FeedRow>(
    driver: &Shared<R>,
    delay_ms: u64,
    then: fn(&Shared<R>),
) -> Option<TimeoutHandle> {
    let weak: Weak<RefCell<Driver<R>>> = Rc::downgrade(driver);
    set_timeout_with_handle(
        move || {
            if let Some(driver) = weak.upgrade() {
                then(&driver);
            }
        },
        Duration::from_millis(delay_ms),
    )
    .ok()
}

/// Opens a WebSocket (in polling mode: a trial one, while polling goes on).
fn connect<R: FeedRow>(driver: &Shared<R>) {
    let mut this = driver.borrow_mut();
    if this.disposed || this.paused {
        return;
    }
    // Handlers of earlier sockets are not running now: their closures may go.
    this.retired.clear();
    if let Some(old) = this.socket.take() {
        old.retire();
    }
    if !this.polling {
        clear_timer(&mut this);
        if this.attempt == 0 && !this.feed.loaded.get_untracked() {
            this.feed.mode.set(FeedMode::Connecting);
        }
    }
    this.opened = false;
    let protocols = js_sys::Array::new();
    protocols.push(&PROTOCOL.into());
    if let Some(token) = embed_token() {
        protocols.push(&format!("{EMBED_PROTOCOL_PREFIX}{token}").into());
    }
    let ws = match WebSocket::new_with_str_sequence(&live_url(this.source, true), &protocols) {
        Ok(ws) => ws,
        Err(_) => {
            drop(this);
            could_not_open(driver);
            return;
        }
    };
    let weak = Rc::downgrade(driver);
    let on_open = Closure::<dyn FnMut()>::new({
        let weak = weak.clone();
        move || {
            if let Some(driver) = weak.upgrade() {
                opened(&driver);
            }
        }
    });
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new({
        let weak = weak.clone();
        move |event: MessageEvent| {
            if let (Some(driver), Some(text)) = (weak.upgrade(), event.data().as_string()) {
                received(&driver, &text);
            }
        }
    });
    let on_close = Closure::<dyn FnMut(CloseEvent)>::new(move |event: CloseEvent| {
        if let Some(driver) = weak.upgrade() {
            closed(&driver, event.code(), &event.reason());
        }
    });
    ws.set_onopen(Some(on_open.as_ref().unchecked_ref()));
    ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    ws.set_onclose(Some(on_close.as_ref().unchecked_ref()));
    this.socket = Some(Socket {
        ws,
        _on_open: on_open,
        _on_message: on_message,
        _on_close: on_close,
    });
}

fn opened<R: FeedRow>(driver: &Shared<R>) {
    let mut this = driver.borrow_mut();
    this.opened = true;
    this.attempt = 0;
    this.seq.reset();
    this.last_message = now();
    if this.polling {
        // The trial worked: back to streaming.
        this.polling = false;
        this.etag = None;
        clear_timer(&mut this);
    }
    this.feed.mode.set(FeedMode::WebSocket);
    this.feed.problem.set(None);
}

fn received<R: FeedRow>(driver: &Shared<R>, text: &str) {
    let mut this = driver.borrow_mut();
    this.last_message = now();
    let message: LiveMessage<R> = match serde_json::from_str(text) {
        Ok(message) => message,
        Err(err) => {
            leptos::logging::warn!("live {}: unreadable message: {err}", this.source);
            return;
        }
    };
    let feed = this.feed;
    let resync = match message {
        LiveMessage::Snapshot {
            seq,
            polled_at,
            interval_ms,
            heartbeat_ms,
            status,
            rows,
            more,
        } => {
            this.interval_ms = interval_ms.max(100);
            this.heartbeat_ms = heartbeat_ms.max(1_000);
            this.partial = None;
            if more {
                // Diffs wait for the whole snapshot.
                this.seq.reset();
                this.partial = Some(Partial {
                    seq,
                    polled_at,
                    status,
                    rows,
                });
            } else {
                this.seq.snapshot(seq);
                apply_snapshot(feed, rows, status, polled_at);
            }
            false
        }
        LiveMessage::Rows { seq, rows, more } => match this.partial.take() {
            Some(mut partial) if partial.seq == seq => {
                partial.rows.extend(rows);
                if more {
                    this.partial = Some(partial);
                } else {
                    this.seq.snapshot(seq);
                    apply_snapshot(feed, partial.rows, partial.status, partial.polled_at);
                }
                false
            }
            // A part without its beginning: start over.
            _ => true,
        },
        LiveMessage::Diff {
            seq,
            polled_at,
            added,
            changed,
            removed,
        } => match this.seq.diff(seq) {
            Next::Apply => {
                feed.rows.apply(added, changed, &removed, now());
                feed.polled_at.set(Some(polled_at));
                false
            }
            Next::Ignore => false,
            Next::Resync => true,
        },
        LiveMessage::Status { seq, status } => {
            feed.status.set(status);
            this.seq.check(seq) == Next::Resync
        }
        LiveMessage::Heartbeat { seq, polled_at, .. } => {
            if polled_at.is_some() {
                feed.polled_at.set(polled_at);
            }
            this.seq.check(seq) == Next::Resync
        }
    };
    if resync {
        // Forget the position until the snapshot comes, so later diffs wait for it.
        this.seq.reset();
        if let Some(socket) = &this.socket {
            let _ = socket.ws.send_with_str(r#"{"type":"resync"}"#);
        }
    }
}

fn apply_snapshot<R: FeedRow>(
    feed: LiveFeed<R>,
    rows: Vec<R>,
    status: LiveStatus,
    polled_at: Option<i64>,
) {
    feed.rows.replace_all(rows, now());
    feed.status.set(status);
    if polled_at.is_some() {
        feed.polled_at.set(polled_at);
    }
    feed.loaded.set(true);
    feed.snapshots.update(|n| *n += 1);
}

fn closed<R: FeedRow>(driver: &Shared<R>, code: u16, reason: &str) {
    let mut this = driver.borrow_mut();
    if let Some(socket) = this.socket.take() {
        // This runs inside the socket's own handler: keep its closures alive for now.
        socket.retire();
        this.retired.push(socket);
    }
    if this.disposed || this.paused {
        return;
    }
    let was_open = std::mem::take(&mut this.opened);
    if this.polling {
        // A trial socket failed; polling goes on.
        return;
    }
    if was_open {
        let why = if reason.is_empty() {
            format!("the live connection closed (code {code})")
        } else {
            format!("the live connection closed: {reason}")
        };
        this.feed.problem.set(Some(why));
        drop(this);
        schedule_reconnect(driver);
    } else {
        drop(this);
        could_not_open(driver);
    }
}

/// A WebSocket could not be opened: if the proxy answers over HTTP, WebSockets are
/// blocked on the way and polling takes over; otherwise the proxy is away, retry.
fn could_not_open<R: FeedRow>(driver: &Shared<R>) {
    let driver = Rc::clone(driver);
    spawn_local(async move {
        let (source, etag) = {
            let this = driver.borrow();
            (this.source, this.etag.clone())
        };
        let answer = fetch_snapshot::<R>(source, etag).await;
        let mut this = driver.borrow_mut();
        if this.disposed || this.paused {
            return;
        }
        match answer {
            Ok(fetched) => {
                this.polling = true;
                this.websocket_retry_at = now() + WEBSOCKET_RETRY_MS;
                this.feed.mode.set(FeedMode::Polling);
                this.feed.problem.set(None);
                accept_fetched(&mut this, fetched);
                let interval = this.interval_ms;
                drop(this);
                let timer = after(&driver, interval, poll);
                driver.borrow_mut().timer = timer;
            }
            Err(problem) => {
                this.feed.problem.set(Some(problem));
                drop(this);
                schedule_reconnect(&driver);
            }
        }
    });
}

fn schedule_reconnect<R: FeedRow>(driver: &Shared<R>) {
    let delay = {
        let mut this = driver.borrow_mut();
        let delay = delay_ms(this.attempt, js_sys::Math::random());
        this.attempt = this.attempt.saturating_add(1);
        this.feed
            .mode
            .set(FeedMode::Reconnecting { delay_ms: delay });
        clear_timer(&mut this);
        delay
    };
    let timer = after(driver, delay, connect);
    driver.borrow_mut().timer = timer;
}

/// One HTTP poll, then the next one an interval later (and now and then a WebSocket).
fn poll<R: FeedRow>(driver: &Shared<R>) {
    let driver = Rc::clone(driver);
    spawn_local(async move {
        let (source, etag) = {
            let this = driver.borrow();
            if this.disposed || this.paused || !this.polling {
                return;
            }
            (this.source, this.etag.clone())
        };
        let answer = fetch_snapshot::<R>(source, etag).await;
        let try_websocket = {
            let mut this = driver.borrow_mut();
            if this.disposed || this.paused || !this.polling {
                return;
            }
            match answer {
                Ok(fetched) => {
                    this.feed.problem.set(None);
                    accept_fetched(&mut this, fetched);
                }
                Err(problem) => this.feed.problem.set(Some(problem)),
            }
            let due = now() >= this.websocket_retry_at;
            if due {
                this.websocket_retry_at = now() + WEBSOCKET_RETRY_MS;
            }
            due
        };
        let interval = driver.borrow().interval_ms;
        let timer = after(&driver, interval, poll);
        driver.borrow_mut().timer = timer;
        if try_websocket {
            connect(&driver);
        }
    });
}

/// What an HTTP poll brought: a message and its ETag, or nothing new (304).
type Fetched<R> = Option<(LiveMessage<R>, Option<String>)>;

fn accept_fetched<R: FeedRow>(this: &mut Driver<R>, fetched: Fetched<R>) {
    let Some((message, etag)) = fetched else {
        return;
    };
    this.etag = etag;
    match message {
        LiveMessage::Snapshot {
            interval_ms,
            status,
            rows,
            polled_at,
            ..
        } => {
            this.interval_ms = interval_ms.max(100);
            apply_snapshot(this.feed, rows, status, polled_at);
        }
        LiveMessage::Status { status, .. } => this.feed.status.set(status),
        LiveMessage::Rows { .. } | LiveMessage::Diff { .. } | LiveMessage::Heartbeat { .. } => {}
    }
}

/// `GET /api/live/<source>` with the ETag of what the feed shows.
async fn fetch_snapshot<R: FeedRow>(
    source: &str,
    etag: Option<String>,
) -> Result<Fetched<R>, String> {
    let mut request = Request::get(&live_url(source, false));
    if let Some(token) = embed_token() {
        request = request.header("X-Vantage-Embed", token);
    }
    if let Some(etag) = &etag {
        request = request.header("If-None-Match", etag);
    }
    let response = request
        .send()
        .await
        .map_err(|e| format!("cannot reach the proxy: {e}"))?;
    let status = response.status();
    if status == 304 {
        return Ok(None);
    }
    let etag = response.headers().get("etag");
    let text = response
        .text()
        .await
        .map_err(|e| format!("cannot read the live snapshot: {e}"))?;
    if !(200..300).contains(&status) {
        let message = serde_json::from_str::<ErrorBody>(&text)
            .map(|body| body.error)
            .unwrap_or_else(|_| format!("HTTP {status}"));
        return Err(message);
    }
    serde_json::from_str(&text)
        .map(|message| Some((message, etag)))
        .map_err(|e| format!("unexpected live snapshot: {e}"))
}

fn pause<R: FeedRow>(driver: &Shared<R>) {
    let mut this = driver.borrow_mut();
    if this.paused {
        return;
    }
    this.paused = true;
    clear_timer(&mut this);
    if let Some(socket) = this.socket.take() {
        socket.retire();
        this.retired.push(socket);
    }
    this.opened = false;
    this.feed.mode.set(FeedMode::Paused);
}

fn resume<R: FeedRow>(driver: &Shared<R>) {
    let polling = {
        let mut this = driver.borrow_mut();
        if !this.paused || this.disposed {
            return;
        }
        this.paused = false;
        this.attempt = 0;
        this.polling
    };
    if polling {
        driver.borrow().feed.mode.set(FeedMode::Polling);
        poll(driver);
    } else {
        connect(driver);
    }
}

/// A connection that has said nothing for a few heartbeats is dead without knowing it
/// (a laptop that slept, a proxy that vanished without closing): reconnect.
fn check_silence<R: FeedRow>(driver: &Shared<R>) {
    let this = driver.borrow();
    let silent = now() - this.last_message > this.heartbeat_ms as f64 * SILENT_HEARTBEATS;
    if this.opened
        && silent
        && let Some(socket) = &this.socket
    {
        let _ = socket.ws.close_with_code_and_reason(4000, "no heartbeat");
    }
}

fn dispose<R: FeedRow>(driver: &Shared<R>) {
    let mut this = driver.borrow_mut();
    this.disposed = true;
    clear_timer(&mut this);
    if let Some(socket) = this.socket.take() {
        socket.retire();
    }
    this.retired.clear();
}
