//! The proxy under test: the real binary, started with a configuration that points it
//! at the bench's backend, watched through /proc, stopped by its pid.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running `vantage-proxy`.
pub struct Proxy {
    child: Child,
    pub addr: String,
}

impl Proxy {
    /// Starts `binary` on `port` with the live hub polling `backend` every `interval`.
    pub fn start(
        binary: &Path,
        dir: &Path,
        port: u16,
        backend: &str,
        interval: &str,
    ) -> Result<Proxy, String> {
        let config = dir.join("proxy.toml");
        // The upstream is never queried here; only the backend is.
        std::fs::write(
            &config,
            format!(
                "listen = \"127.0.0.1:{port}\"\nupstream = \"{backend}\"\nbackend = \"{backend}\"\n\
                 [live]\ninterval = \"{interval}\"\n"
            ),
        )
        .map_err(|e| format!("write {}: {e}", config.display()))?;
        let log = std::fs::File::create(dir.join("proxy.log")).map_err(|e| e.to_string())?;
        let child = Command::new(binary)
            .arg("--config")
            .arg(&config)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .map_err(|e| format!("start {}: {e}", binary.display()))?;
        Ok(Proxy {
            child,
            addr: format!("127.0.0.1:{port}"),
        })
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Waits until the proxy accepts connections.
    pub async fn ready(&mut self, timeout: Duration) -> Result<(), String> {
        let deadline = Instant::now() + timeout;
        loop {
            if tokio::net::TcpStream::connect(&self.addr).await.is_ok() {
                return Ok(());
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!("the proxy exited: {status}"));
            }
            if Instant::now() > deadline {
                return Err("the proxy did not start listening".to_owned());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// CPU seconds used so far (user and system).
    pub fn cpu_seconds(&self) -> f64 {
        let stat =
            std::fs::read_to_string(format!("/proc/{}/stat", self.pid())).unwrap_or_default();
        // Fields after the command name (which may hold spaces) start at field 3.
        let fields: Vec<&str> = stat
            .rsplit_once(')')
            .map(|(_, rest)| rest.split_whitespace().collect())
            .unwrap_or_default();
        let ticks = |i: usize| {
            fields
                .get(i)
                .and_then(|v| v.parse::<f64>().ok())
                .unwrap_or(0.0)
        };
        // utime and stime are fields 14 and 15; the kernel counts in 100 Hz ticks (USER_HZ).
        (ticks(11) + ticks(12)) / 100.0
    }

    /// Resident memory now and at its peak, kB.
    pub fn memory_kb(&self) -> (u64, u64) {
        let status =
            std::fs::read_to_string(format!("/proc/{}/status", self.pid())).unwrap_or_default();
        let field = |name: &str| {
            status
                .lines()
                .find_map(|l| l.strip_prefix(name))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
                .unwrap_or(0)
        };
        (field("VmRSS:"), field("VmHWM:"))
    }

    /// SIGTERM by pid, then waits for the exit (SIGKILL after 10 s).
    pub fn stop(mut self) {
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(self.pid().to_string())
            .status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
