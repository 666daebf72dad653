//! A socket server the test controls, standing in for an upstream that misbehaves in
//! one precise way (hangs, resets, answers garbage, a huge body, a slow trickle) or
//! that answers well but slowly and records what it was sent. Raw tokio TCP, on a free
//! loopback port; it stops when dropped.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// What the server does with each request.
#[derive(Debug, Clone)]
pub enum Behaviour {
    /// A well-formed answer after `delay`; the connection stays open for more.
    Answer {
        delay: Duration,
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// Reads the request and never answers.
    Hang,
    /// Reads the request and resets the connection.
    Reset,
    /// Answers bytes that are not HTTP, then closes.
    Garbage,
    /// A 200 JSON head, then `total` bytes of an endless array, announced with
    /// `Content-Length` or chunked.
    Huge { total: u64, content_length: bool },
    /// A 200 head, then a valid answer one byte every `every`.
    Trickle { every: Duration },
}

impl Behaviour {
    /// A valid Prometheus answer after `delay`.
    pub fn prometheus(delay: Duration, body: &str) -> Behaviour {
        Behaviour::Answer {
            delay,
            status: 200,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: body.as_bytes().to_vec(),
        }
    }
}

/// One request as the server received it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    /// Path and query.
    pub target: String,
    /// Names in lower case.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Recorded {
    /// The first value of a header.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

struct Shared {
    behaviour: Behaviour,
    requests: Mutex<Vec<Recorded>>,
    open: AtomicUsize,
}

/// The running server.
pub struct FaultServer {
    pub url: String,
    shared: Arc<Shared>,
    task: JoinHandle<()>,
}

impl FaultServer {
    pub async fn start(behaviour: Behaviour) -> FaultServer {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1:0");
        let url = format!("http://{}", listener.local_addr().expect("local address"));
        let shared = Arc::new(Shared {
            behaviour,
            requests: Mutex::new(Vec::new()),
            open: AtomicUsize::new(0),
        });
        let accept_shared = Arc::clone(&shared);
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let shared = Arc::clone(&accept_shared);
                tokio::spawn(async move {
                    shared.open.fetch_add(1, Ordering::SeqCst);
                    let _ = serve(stream, &shared).await;
                    shared.open.fetch_sub(1, Ordering::SeqCst);
                });
            }
        });
        FaultServer { url, shared, task }
    }

    /// Every request received so far.
    pub fn requests(&self) -> Vec<Recorded> {
        self.shared
            .requests
            .lock()
            .map(|r| r.clone())
            .unwrap_or_default()
    }

    /// How many requests were received.
    pub fn count(&self) -> usize {
        self.requests().len()
    }

    /// Connections currently open (a hung request whose client went away closes).
    pub fn open_connections(&self) -> usize {
        self.shared.open.load(Ordering::SeqCst)
    }
}

impl Drop for FaultServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(mut stream: TcpStream, shared: &Shared) -> std::io::Result<()> {
    let mut buffer = Vec::new();
    loop {
        let Some(request) = read_request(&mut stream, &mut buffer).await? else {
            return Ok(());
        };
        if let Ok(mut requests) = shared.requests.lock() {
            requests.push(request);
        }
        match &shared.behaviour {
            Behaviour::Answer {
                delay,
                status,
                headers,
                body,
            } => {
                tokio::time::sleep(*delay).await;
                let mut head = format!("HTTP/1.1 {status} X\r\nContent-Length: {}\r\n", body.len());
                for (name, value) in headers {
                    head.push_str(&format!("{name}: {value}\r\n"));
                }
                head.push_str("\r\n");
                stream.write_all(head.as_bytes()).await?;
                stream.write_all(body).await?;
            }
            Behaviour::Hang => {
                // Wait for the peer to close; that is what a cancelled request looks like.
                let mut sink = [0u8; 1024];
                while stream.read(&mut sink).await? > 0 {}
                return Ok(());
            }
            Behaviour::Reset => {
                stream.set_zero_linger()?;
                return Ok(());
            }
            Behaviour::Garbage => {
                stream
                    .write_all(b"\x00\x01garbage, not HTTP at all\r\n\r\n")
                    .await?;
                return Ok(());
            }
            Behaviour::Huge {
                total,
                content_length,
            } => {
                let head = if *content_length {
                    format!(
                        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {total}\r\n\r\n"
                    )
                } else {
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n".to_owned()
                };
                stream.write_all(head.as_bytes()).await?;
                let mut sent = 0u64;
                let opening = b"{\"status\":\"success\",\"data\":[";
                let filler = vec![b'1'; 64 * 1024];
                let mut first = true;
                while sent < *total {
                    let piece: &[u8] = if first { opening } else { &filler };
                    first = false;
                    let piece = &piece[..piece.len().min((*total - sent) as usize)];
                    if *content_length {
                        stream.write_all(piece).await?;
                    } else {
                        stream
                            .write_all(format!("{:x}\r\n", piece.len()).as_bytes())
                            .await?;
                        stream.write_all(piece).await?;
                        stream.write_all(b"\r\n").await?;
                    }
                    sent += piece.len() as u64;
                }
                return Ok(());
            }
            Behaviour::Trickle { every } => {
                let body = b"{\"status\":\"success\",\"data\":[]}";
                let head = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
                    body.len()
                );
                stream.write_all(head.as_bytes()).await?;
                for byte in body {
                    tokio::time::sleep(*every).await;
                    stream.write_all(&[*byte]).await?;
                }
            }
        }
    }
}

/// Reads one request (head and `Content-Length` body); `None` when the peer closed.
pub(crate) async fn read_request(
    stream: &mut TcpStream,
    buffer: &mut Vec<u8>,
) -> std::io::Result<Option<Recorded>> {
    let head_end = loop {
        if let Some(at) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        let mut chunk = [0u8; 8192];
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(None);
        }
        buffer.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut first = lines.next().unwrap_or("").split(' ');
    let method = first.next().unwrap_or("").to_owned();
    let target = first.next().unwrap_or("").to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    while buffer.len() < head_end + length {
        let mut chunk = [0u8; 8192];
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(None);
        }
        buffer.extend_from_slice(&chunk[..n]);
    }
    let body = buffer[head_end..head_end + length].to_vec();
    buffer.drain(..head_end + length);
    Ok(Some(Recorded {
        method,
        target,
        headers,
        body,
    }))
}
