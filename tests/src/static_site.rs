//! A one-page web site on its own loopback origin, standing in for a portal that embeds
//! the console. It serves the given HTML at `/`, and stops when dropped.

use crate::process::free_port;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

pub struct StaticSite {
    pub origin: String,
    task: JoinHandle<()>,
}

impl StaticSite {
    /// Serves `html` on `127.0.0.1:<port>` (a free port when `port` is 0).
    pub async fn start(port: u16, html: String) -> StaticSite {
        let port = if port == 0 { free_port() } else { port };
        let listener = TcpListener::bind(("127.0.0.1", port))
            .await
            .expect("bind portal");
        let task = tokio::spawn(async move {
            loop {
                let Ok((mut stream, _)) = listener.accept().await else {
                    break;
                };
                let body = html.clone();
                tokio::spawn(async move {
                    let mut buffer = [0u8; 4096];
                    let _ = stream.read(&mut buffer).await;
                    let head = format!(
                        "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                        body.len()
                    );
                    let _ = stream.write_all(head.as_bytes()).await;
                    let _ = stream.write_all(body.as_bytes()).await;
                    let _ = stream.shutdown().await;
                });
            }
        });
        StaticSite {
            origin: format!("http://127.0.0.1:{port}"),
            task,
        }
    }
}

impl Drop for StaticSite {
    fn drop(&mut self) {
        self.task.abort();
    }
}
