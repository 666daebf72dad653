//! Headless Chromium over chromedriver, as `vantage_e2e::browser::Browser` starts it,
//! plus what the benchmarks need on top: a device pixel ratio, a long script timeout and
//! DevTools commands (to run a script in every new document before the page's own).

use fantoccini::wd::{TimeoutConfiguration, WebDriverCompatibleCommand};
use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{Value, json};
use std::process::Command;
use std::time::Duration;
use tempfile::TempDir;
use vantage_e2e::process::{Process, free_port, wait_http_ok};

/// One chromedriver and one browser session with a fresh profile; both stop (by pid)
/// when dropped.
pub struct Chrome {
    pub client: Client,
    _driver: Process,
    _profile: TempDir,
}

impl Chrome {
    pub async fn start(width: u32, height: u32, device_scale: f64) -> Chrome {
        let profile = tempfile::tempdir().expect("profile dir");
        let port = free_port();
        let mut command = Command::new("chromedriver");
        command
            .arg(format!("--port={port}"))
            .arg("--allowed-ips=127.0.0.1");
        let driver = Process::start("chromedriver", command, profile.path());
        let url = format!("http://127.0.0.1:{port}");
        wait_http_ok(&format!("{url}/status"), Duration::from_secs(30)).await;
        // The flags of vantage_e2e's Browser, plus the device pixel ratio.
        let args = [
            "--headless=new".to_owned(),
            "--no-sandbox".to_owned(),
            "--disable-gpu".to_owned(),
            "--disable-dev-shm-usage".to_owned(),
            "--disable-quic".to_owned(),
            "--no-first-run".to_owned(),
            "--disable-background-networking".to_owned(),
            "--disable-component-update".to_owned(),
            "--disable-sync".to_owned(),
            "--disable-extensions".to_owned(),
            format!("--force-device-scale-factor={device_scale}"),
            format!("--window-size={width},{height}"),
            format!(
                "--user-data-dir={}",
                profile.path().join("chrome").display()
            ),
        ];
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".to_owned(),
            json!({ "binary": "/usr/bin/chromium", "args": args }),
        );
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(caps)
            .connect(&url)
            .await
            .expect("WebDriver session");
        client
            .update_timeouts(TimeoutConfiguration::new(
                Some(Duration::from_secs(900)),
                Some(Duration::from_secs(120)),
                Some(Duration::from_secs(0)),
            ))
            .await
            .expect("timeouts");
        Chrome {
            client,
            _driver: driver,
            _profile: profile,
        }
    }

    /// Runs `script` (a function body; `arguments` holds `args`) and returns its value.
    pub async fn eval(&self, script: &str, args: Vec<Value>) -> Value {
        self.client
            .execute(script, args)
            .await
            .unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
    }

    /// Awaits the promise `script` returns (a function body; `arguments` holds `args`).
    pub async fn eval_promise(&self, script: &str, args: Vec<Value>) -> Value {
        let body = format!(
            "const done = arguments[arguments.length - 1];\n\
             Promise.resolve((() => {{ {script} }})()).then(done, e => done({{ error: String(e && e.stack || e) }}));"
        );
        self.client
            .execute_async(&body, args)
            .await
            .unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
    }

    /// Sends a DevTools protocol command through chromedriver.
    pub async fn cdp(&self, cmd: &str, params: Value) -> Value {
        self.client
            .issue_cmd(Cdp {
                cmd: cmd.to_owned(),
                params,
            })
            .await
            .unwrap_or_else(|e| panic!("DevTools {cmd}: {e}"))
    }

    pub async fn close(self) {
        let _ = self.client.close().await;
    }
}

/// chromedriver's `POST /session/{id}/goog/cdp/execute`.
#[derive(Debug)]
struct Cdp {
    cmd: String,
    params: Value,
}

impl WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/goog/cdp/execute",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        let body = json!({ "cmd": self.cmd, "params": self.params });
        (http::Method::POST, Some(body.to_string()))
    }
}
