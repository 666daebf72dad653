//! Headless Chromium over chromedriver, as `vantage_e2e::browser::Browser` starts it,
//! plus what the benchmarks need on top: a device pixel ratio, a long script timeout and
//! DevTools commands (to run a script in every new document before the page's own).

use fantoccini::Client;
use fantoccini::wd::{TimeoutConfiguration, WebDriverCompatibleCommand};
use serde_json::{Value, json};
use std::time::Duration;
use vantage_e2e::browser::Browser;

/// One chromedriver and one browser session with a fresh profile; both stop (by pid)
/// when dropped.
pub struct Chrome {
    pub client: Client,
    _browser: Browser,
}

impl Chrome {
    pub async fn start(width: u32, height: u32, device_scale: f64) -> Chrome {
        let browser = Browser::start_with(
            width,
            height,
            &[format!("--force-device-scale-factor={device_scale}")],
        )
        .await;
        let client = browser.client.clone();
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
            _browser: browser,
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
