//! One upstream exchange shared by every caller that asked the same question while it
//! was in flight. A spawned driver reads the upstream answer into a chunk log; each
//! caller reads the log at its own pace. Small answers are checked whole before any
//! byte goes out (so a bad one becomes a clean 502); larger ones are streamed as they
//! arrive, always holding back the last chunk until the whole body has been checked, so
//! a stream only ends cleanly when it carried a valid answer.

use super::answer::AnswerKind;
use super::{Fault, FetchLimits};
use axum::body::Body;
use axum::http::{HeaderValue, StatusCode};
use bytes::{Bytes, BytesMut};
use std::sync::{Arc, Mutex, MutexGuard};
use tokio::sync::watch;

/// Status line and the headers worth keeping of an upstream answer.
#[derive(Debug, Clone)]
pub struct Head {
    pub status: StatusCode,
    pub content_type: Option<HeaderValue>,
    /// The upstream said `Cache-Control: no-store`.
    pub no_store: bool,
}

/// A checked, complete answer.
#[derive(Debug, Clone)]
pub struct Complete {
    pub head: Head,
    pub body: Bytes,
    pub kind: AnswerKind,
}

#[derive(Default)]
struct Log {
    head: Option<Head>,
    chunks: Vec<Bytes>,
    len: usize,
    /// Readers may start streaming.
    committed: bool,
    end: Option<Result<Complete, Fault>>,
}

/// The shared state of one exchange.
pub struct Flight {
    log: Mutex<Log>,
    tx: watch::Sender<()>,
}

/// How a reader's answer begins.
pub enum Start {
    /// The whole answer, checked.
    Complete(Complete),
    /// The answer is being streamed: read the body from [`Reader::into_body`].
    Streaming(Head),
    /// No answer.
    Failed(Fault),
}

impl Flight {
    /// A new exchange and its first reader (subscribe before the driver starts, or the
    /// driver would see nobody waiting and give up).
    pub fn new() -> (Arc<Flight>, Reader) {
        let (tx, _) = watch::channel(());
        let flight = Arc::new(Flight {
            log: Mutex::new(Log::default()),
            tx,
        });
        let reader = flight.subscribe();
        (flight, reader)
    }

    /// Another reader of the same exchange.
    pub fn subscribe(self: &Arc<Self>) -> Reader {
        Reader {
            flight: Arc::clone(self),
            rx: self.tx.subscribe(),
            next: 0,
        }
    }

    fn lock(&self) -> MutexGuard<'_, Log> {
        // A panic while holding the lock cannot leave the log half-updated in a way that
        // matters more than losing the answer, so a poisoned lock is used as is.
        self.log.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn update(&self, f: impl FnOnce(&mut Log)) {
        f(&mut self.lock());
        self.tx.send_replace(());
    }

    /// Ends the exchange without an answer (it could not be started).
    pub fn fail(&self, fault: Fault) {
        self.update(|log| log.end = Some(Err(fault)));
    }

    /// Reads the upstream answer into the log, unless every reader goes away first
    /// (then the upstream request is dropped, which cancels it).
    pub async fn drive(
        &self,
        request: reqwest::RequestBuilder,
        limits: FetchLimits,
    ) -> Result<Complete, Fault> {
        let outcome = tokio::select! {
            () = self.tx.closed() => Err(Fault::Abandoned),
            outcome = self.read(request, limits) => outcome,
        };
        self.update(|log| log.end = Some(outcome.clone()));
        outcome
    }

    async fn read(
        &self,
        request: reqwest::RequestBuilder,
        limits: FetchLimits,
    ) -> Result<Complete, Fault> {
        let mut answer = request.send().await.map_err(|e| Fault::from_reqwest(&e))?;
        if let Some(size) = answer.content_length()
            && size > limits.max_bytes as u64
        {
            return Err(Fault::TooLarge(Some(size)));
        }
        let head = Head {
            status: StatusCode::from_u16(answer.status().as_u16()).map_err(|_| Fault::NotHttp)?,
            content_type: answer
                .headers()
                .get(reqwest::header::CONTENT_TYPE)
                .and_then(|v| HeaderValue::from_bytes(v.as_bytes()).ok()),
            no_store: answer
                .headers()
                .get_all(reqwest::header::CACHE_CONTROL)
                .iter()
                .any(|v| {
                    v.to_str()
                        .is_ok_and(|v| v.to_ascii_lowercase().contains("no-store"))
                }),
        };
        let status = head.status;
        self.update(|log| log.head = Some(head.clone()));
        let mut prefix_ok = None;
        let mut first = BytesMut::new();
        while let Some(chunk) = answer.chunk().await.map_err(|e| Fault::from_reqwest(&e))? {
            if chunk.is_empty() {
                continue;
            }
            if prefix_ok.is_none() {
                first.extend_from_slice(&chunk);
                prefix_ok = limits.expect.plausible_start(&first);
                if prefix_ok == Some(false) {
                    return Err(not_prometheus(status, &head, &first));
                }
            }
            let mut too_large = false;
            self.update(|log| {
                log.len += chunk.len();
                too_large = log.len > limits.max_bytes;
                log.chunks.push(chunk);
                if prefix_ok == Some(true) && log.len > limits.stream_after {
                    log.committed = true;
                }
            });
            if too_large {
                return Err(Fault::TooLarge(None));
            }
        }
        let body = {
            let log = self.lock();
            if log.chunks.len() == 1 {
                log.chunks[0].clone()
            } else {
                let mut all = BytesMut::with_capacity(log.len);
                for chunk in &log.chunks {
                    all.extend_from_slice(chunk);
                }
                all.freeze()
            }
        };
        match limits.expect.check(&body) {
            Ok(kind) => Ok(Complete { head, body, kind }),
            Err(_) if prefix_ok.is_none() || body.len() < 64 => {
                Err(not_prometheus(status, &head, &body))
            }
            Err(message) => Err(Fault::NotPrometheus(message)),
        }
    }
}

fn not_prometheus(status: StatusCode, head: &Head, body: &[u8]) -> Fault {
    let content_type = head
        .content_type
        .as_ref()
        .and_then(|v| v.to_str().ok())
        .unwrap_or("no content type");
    let what = if body.is_empty() {
        "an empty body"
    } else {
        "a body that is not an API answer"
    };
    Fault::NotPrometheus(format!(
        "the upstream answer is not a Prometheus API answer: HTTP {}, {content_type}, {what}",
        status.as_u16()
    ))
}

/// One caller's view of a flight.
pub struct Reader {
    flight: Arc<Flight>,
    rx: watch::Receiver<()>,
    next: usize,
}

impl Reader {
    /// Waits until the answer is complete, streaming has begun, or the exchange failed.
    pub async fn start(&mut self) -> Start {
        loop {
            self.rx.borrow_and_update();
            {
                let log = self.flight.lock();
                match &log.end {
                    Some(Ok(complete)) => return Start::Complete(complete.clone()),
                    Some(Err(fault)) if !log.committed => return Start::Failed(fault.clone()),
                    _ => {}
                }
                if log.committed
                    && let Some(head) = &log.head
                {
                    return Start::Streaming(head.clone());
                }
            }
            if self.rx.changed().await.is_err() {
                return Start::Failed(Fault::Abandoned);
            }
        }
    }

    /// The answer's bytes as they arrive; the stream fails instead of ending when the
    /// exchange fails, so the client never mistakes a cut answer for a whole one.
    pub fn into_body(self) -> Body {
        let stream = futures_util::stream::unfold(Some(self), |reader| async move {
            let mut reader = reader?;
            loop {
                reader.rx.borrow_and_update();
                let step = {
                    let log = reader.flight.lock();
                    let releasable = match &log.end {
                        Some(Ok(_)) => log.chunks.len(),
                        _ => log.chunks.len().saturating_sub(1),
                    };
                    if reader.next < releasable {
                        reader.next += 1;
                        Some(Ok(log.chunks[reader.next - 1].clone()))
                    } else {
                        match &log.end {
                            Some(Ok(_)) => return None,
                            Some(Err(fault)) => Some(Err(std::io::Error::other(format!(
                                "upstream answer cut off: {}",
                                fault.kind()
                            )))),
                            None => None,
                        }
                    }
                };
                match step {
                    Some(Ok(chunk)) => return Some((Ok(chunk), Some(reader))),
                    Some(Err(e)) => return Some((Err(e), None)),
                    None => {
                        if reader.rx.changed().await.is_err() {
                            return Some((
                                Err(std::io::Error::other("upstream answer lost")),
                                None,
                            ));
                        }
                    }
                }
            }
        });
        Body::from_stream(stream)
    }
}
