//! A real Redis (Debian's `redis-server`) on a loopback port, without persistence;
//! stopped by its pid, and startable again on the same port.

use crate::process::{Process, free_port, wait_for};
use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;
use tempfile::TempDir;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// The running (or stopped) server.
pub struct RedisServer {
    pub port: u16,
    /// `redis://127.0.0.1:<port>/0`.
    pub url: String,
    process: Option<Process>,
    dir: TempDir,
}

impl RedisServer {
    /// Starts Redis on a free port and waits until it answers `PING`.
    pub async fn start() -> RedisServer {
        let mut server = RedisServer {
            port: free_port(),
            url: String::new(),
            process: None,
            dir: tempfile::tempdir().expect("temp dir"),
        };
        server.url = format!("redis://127.0.0.1:{}/0", server.port);
        server.restart().await;
        server
    }

    fn log_dir(&self) -> PathBuf {
        self.dir.path().to_path_buf()
    }

    /// Starts it again on the same port (empty: nothing is persisted).
    pub async fn restart(&mut self) {
        let mut command = Command::new("redis-server");
        command
            .args(["--port", &self.port.to_string()])
            .args(["--bind", "127.0.0.1"])
            .args(["--save", ""])
            .args(["--appendonly", "no"])
            .arg("--dir")
            .arg(self.dir.path());
        self.process = Some(Process::start("redis", command, &self.log_dir()));
        let port = self.port;
        wait_for(
            "Redis to answer PING",
            Duration::from_secs(20),
            || async move { ping(port).await.then_some(()) },
        )
        .await;
    }

    /// Stops it now (SIGKILL to its pid).
    pub fn stop(&mut self) {
        if let Some(mut process) = self.process.take() {
            process.stop();
        }
    }
}

/// Whether Redis on `port` answers `PING` with `PONG`.
pub async fn ping(port: u16) -> bool {
    let Ok(Ok(mut stream)) = tokio::time::timeout(
        Duration::from_secs(1),
        tokio::net::TcpStream::connect(("127.0.0.1", port)),
    )
    .await
    else {
        return false;
    };
    if stream.write_all(b"PING\r\n").await.is_err() {
        return false;
    }
    let mut answer = [0u8; 7];
    matches!(
        tokio::time::timeout(Duration::from_secs(1), stream.read_exact(&mut answer)).await,
        Ok(Ok(_)) if &answer == b"+PONG\r\n"
    )
}
