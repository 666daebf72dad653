//! A request-counting upstream: a loopback forwarder in front of a real Prometheus or
//! VictoriaMetrics that records every request before passing it on, so a test can see
//! exactly which ranges reached the upstream.

use crate::fault::{Recorded, read_request};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// One `query_range` as the upstream received it.
#[derive(Debug, Clone, PartialEq)]
pub struct RangeAsked {
    pub query: String,
    pub start: f64,
    pub end: f64,
    pub step: String,
}

/// The running forwarder; stops when dropped.
pub struct Recorder {
    pub url: String,
    requests: Arc<Mutex<Vec<Recorded>>>,
    task: JoinHandle<()>,
}

impl Recorder {
    /// Forwards to `upstream` (a base URL such as `http://127.0.0.1:9090`).
    pub async fn start(upstream: &str) -> Recorder {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1:0");
        let url = format!("http://{}", listener.local_addr().expect("local address"));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(60))
            .build()
            .expect("client");
        let (shared, upstream) = (
            Arc::clone(&requests),
            upstream.trim_end_matches('/').to_owned(),
        );
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (shared, http, upstream) =
                    (Arc::clone(&shared), http.clone(), upstream.clone());
                tokio::spawn(async move {
                    let _ = serve(stream, &shared, &http, &upstream).await;
                });
            }
        });
        Recorder {
            url,
            requests,
            task,
        }
    }

    /// Every request so far.
    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().map(|r| r.clone()).unwrap_or_default()
    }

    /// Forgets what was recorded.
    pub fn clear(&self) {
        if let Ok(mut r) = self.requests.lock() {
            r.clear();
        }
    }

    /// The `query_range` requests so far, parameters from the URL and the form body.
    pub fn ranges(&self) -> Vec<RangeAsked> {
        self.requests()
            .iter()
            .filter(|r| r.target.starts_with("/api/v1/query_range"))
            .filter_map(|r| {
                let query = r.target.split_once('?').map(|(_, q)| q).unwrap_or("");
                let pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
                    .chain(form_urlencoded::parse(&r.body))
                    .map(|(k, v)| (k.into_owned(), v.into_owned()))
                    .collect();
                let get = |name: &str| {
                    pairs
                        .iter()
                        .find(|(k, _)| k == name)
                        .map(|(_, v)| v.clone())
                };
                Some(RangeAsked {
                    query: get("query")?,
                    start: get("start")?.parse().ok()?,
                    end: get("end")?.parse().ok()?,
                    step: get("step")?,
                })
            })
            .collect()
    }
}

impl Drop for Recorder {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(
    mut stream: TcpStream,
    shared: &Mutex<Vec<Recorded>>,
    http: &reqwest::Client,
    upstream: &str,
) -> std::io::Result<()> {
    let mut buffer = Vec::new();
    while let Some(request) = read_request(&mut stream, &mut buffer).await? {
        if let Ok(mut requests) = shared.lock() {
            requests.push(request.clone());
        }
        let method =
            reqwest::Method::from_bytes(request.method.as_bytes()).unwrap_or(reqwest::Method::GET);
        let mut forward = http.request(method, format!("{upstream}{}", request.target));
        if let Some(content_type) = request.header("content-type") {
            forward = forward.header("content-type", content_type);
        }
        let (status, content_type, body) = match forward.body(request.body).send().await {
            Ok(answer) => {
                let status = answer.status().as_u16();
                let content_type = answer
                    .headers()
                    .get("content-type")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("application/json")
                    .to_owned();
                (
                    status,
                    content_type,
                    answer.bytes().await.unwrap_or_default().to_vec(),
                )
            }
            Err(_) => (
                502,
                "text/plain".to_owned(),
                b"recorder: upstream failed".to_vec(),
            ),
        };
        let head = format!(
            "HTTP/1.1 {status} X\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
            body.len()
        );
        stream.write_all(head.as_bytes()).await?;
        stream.write_all(&body).await?;
    }
    Ok(())
}
