//! Sharing and embedding in a real browser against real servers: a shared link
//! reproduces the view in a fresh browser; panels embed across origins only where the
//! allowlist says; signed embed links work without a login and refuse what they should,
//! with a readable message in the iframe; malformed URLs open to a clear message.

use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use vantage_e2e::browser::Browser;
use vantage_e2e::output_dir;
use vantage_e2e::process::free_port;
use vantage_e2e::proxy::ProxyProcess;
use vantage_e2e::stack::Stack;
use vantage_e2e::static_site::StaticSite;
use vantage_proxy::embed::{Claims, mint};

const SECRET: &str = "an-embed-secret-of-at-least-32-bytes!";
const VIEWER_TOKEN: &str = "viewer-token-for-the-portal-test";

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

fn token(dashboard: &str, panel: Option<&str>, vars: &[(&str, &str)], exp: u64) -> String {
    let claims = Claims {
        dashboard: dashboard.into(),
        panel: panel.map(str::to_owned),
        vars: vars.iter().fold(BTreeMap::new(), |mut m, (k, v)| {
            m.entry((*k).to_owned())
                .or_insert_with(Vec::new)
                .push((*v).to_owned());
            m
        }),
        exp,
        iat: now(),
    };
    mint(&claims, SECRET.as_bytes()).expect("mint")
}

/// Polls `script` until it returns something truthy (or 20 s), returning it.
async fn wait_js(browser: &Browser, script: &str) -> Value {
    for _ in 0..80 {
        let value = browser.eval(script, vec![]).await;
        let done = match &value {
            Value::Bool(b) => *b,
            Value::Null => false,
            Value::String(s) => !s.is_empty(),
            Value::Number(n) => n.as_f64().unwrap_or(0.0) > 0.0,
            Value::Array(a) => !a.is_empty(),
            Value::Object(_) => true,
        };
        if done {
            return value;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    browser.eval(script, vec![]).await
}

const VIEW_SUMMARY: &str = r#"
    const panels = Array.from(document.querySelectorAll('section.panel h2')).map(h => h.textContent);
    const range = (document.querySelector('.time-range-picker__toggle') || {}).textContent || '';
    const vars = Array.from(document.querySelectorAll('.variable-picker')).map(v => v.textContent.trim());
    const ready = Array.from(document.querySelectorAll('section.panel')).every(p => p.dataset.state === 'ready');
    return ready && panels.length ? { panels, range, vars, theme: document.documentElement.dataset.theme } : null;
"#;

const COLOURED: &str = r#"
    let coloured = 0;
    for (const canvas of document.querySelectorAll('canvas')) {
        if (!canvas.width) continue;
        const d = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        for (let i = 0; i < d.length; i += 16) {
            if (Math.max(d[i], d[i+1], d[i+2]) - Math.min(d[i], d[i+1], d[i+2]) > 40) coloured++;
        }
    }
    return coloured + document.querySelectorAll('.bar-list__row').length;
"#;

const ALERTS: &str = r#"
    return Array.from(document.querySelectorAll('[role=alert]')).map(a => a.textContent).join(' | ');
"#;

#[tokio::test(flavor = "multi_thread")]
async fn share_embed_and_malformed_urls() {
    let out = output_dir("sharing");
    let stack = Stack::start(Duration::from_secs(1)).await;
    stack.wait_for_scrapes(15).await;
    let repositories: Vec<String> = stack
        .label_values(
            "group by (repository) (orchestrator_cost_attribution)",
            "repository",
        )
        .await;
    assert!(repositories.len() >= 2);

    // ---- Share round trip: view state set, link taken from the dialog, opened fresh.
    let browser = Browser::start(1400, 1000).await;
    let url = format!(
        "{}/d/cost-attribution?from=now-10m&to=now&var-repository={}&var-repository={}&tz=utc&theme=dark&refresh=off",
        stack.proxy_url, repositories[0], repositories[1]
    );
    browser.client.goto(&url).await.expect("open");
    wait_js(&browser, VIEW_SUMMARY).await;
    // Focus a panel through the UI, then open the share dialog.
    browser
        .eval(
            r#"const panel = document.querySelector('[data-panel="cost-over-time"]');
               panel.querySelector('.panel__actions button[aria-haspopup="menu"]').click();
               panel.querySelector('.panel__actions [role="menuitem"]').click();"#,
            vec![],
        )
        .await;
    wait_js(
        &browser,
        "return document.querySelectorAll('section.panel').length === 1;",
    )
    .await;
    let before = wait_js(&browser, VIEW_SUMMARY).await;
    assert_eq!(
        before["panels"],
        json!(["Cost per hour by repository"]),
        "the focused panel alone: {before}"
    );
    browser
        .eval(
            "document.querySelector('.toolbar__time button.primary').click();",
            vec![],
        )
        .await;
    let link = wait_js(
        &browser,
        r#"const i = document.querySelector('input[aria-label="Link"]'); return i ? i.value : '';"#,
    )
    .await;
    let link = link.as_str().expect("link").to_owned();
    assert!(
        link.contains("panel=cost-over-time") && link.contains("from=now-10m"),
        "{link}"
    );
    let frozen = browser.eval(r#"return document.querySelector('input[aria-label="Link with this time range"]').value;"#, vec![]).await;
    assert!(
        !frozen.as_str().unwrap_or("").contains("now-10m"),
        "the frozen link has absolute times: {frozen}"
    );
    browser.screenshot(&out.join("share-dialog.png")).await;
    browser.close().await;

    let fresh = Browser::start(1400, 1000).await;
    fresh.client.goto(&link).await.expect("open shared link");
    let after = wait_js(&fresh, VIEW_SUMMARY).await;
    assert_eq!(after, before, "the shared link reproduces the view");
    // Back and forward walk through view changes.
    fresh
        .eval(
            "document.querySelector('.panel__actions [role=\"menuitem\"]').click();",
            vec![],
        )
        .await;
    let all_panels = wait_js(
        &fresh,
        r#"return document.querySelectorAll('section.panel').length > 1;"#,
    )
    .await;
    assert_eq!(all_panels, json!(true));
    fresh.client.back().await.expect("back");
    wait_js(
        &fresh,
        "return document.querySelectorAll('section.panel').length === 1;",
    )
    .await;
    let back = wait_js(&fresh, VIEW_SUMMARY).await;
    assert_eq!(
        back["panels"],
        json!(["Cost per hour by repository"]),
        "back returns to the focused view"
    );
    fresh.close().await;

    // ---- Embeds: a proxy that requires a login, signs embed links, allows one portal.
    let allowed_port = free_port();
    let embed_proxy = ProxyProcess::start(
        &stack.prometheus_url,
        Some(&stack.demo_url),
        &format!(
            "[auth]\nmode = \"tokens\"\ntokens = [{{ name = \"viewer\", token = \"{VIEWER_TOKEN}\", role = \"viewer\" }}]\n\
             [embed]\nsecret = \"{SECRET}\"\nframe_ancestors = [\"http://127.0.0.1:{allowed_port}\"]\n"
        ),
    )
    .await;
    let console = embed_proxy.url.clone();
    let csp = reqwest::get(format!("{console}/embed/cost-attribution/cost-over-time"))
        .await
        .expect("embed page");
    assert_eq!(
        csp.headers()
            .get("content-security-policy")
            .and_then(|v| v.to_str().ok()),
        Some(format!("frame-ancestors 'self' http://127.0.0.1:{allowed_port}").as_str())
    );
    assert!(csp.headers().get("x-frame-options").is_none());
    // Without the embed link, the API wants a login.
    let anonymous = reqwest::get(format!("{console}/api/dashboards/cost-attribution"))
        .await
        .expect("api");
    assert_eq!(anonymous.status(), 401);

    let good = token(
        "cost-attribution",
        Some("cost-over-time"),
        &[],
        now() + 3600,
    );
    let iframe = |src: &str, title: &str| {
        format!(
            r#"<iframe title="{title}" src="{src}" style="width:900px;height:360px;border:0"></iframe>"#
        )
    };
    let embed_src = |theme: &str, token: &str| {
        format!(
            "{console}/embed/cost-attribution/cost-over-time?from=now-10m&to=now&theme={theme}&token={token}"
        )
    };
    let allowed = StaticSite::start(
        allowed_port,
        format!(
            "<!DOCTYPE html><body style='margin:0;background:#eef1f5'>{}{}</body>",
            iframe(&embed_src("light", &good), "light"),
            iframe(&embed_src("dark", &good), "dark")
        ),
    )
    .await;
    let other = StaticSite::start(
        0,
        format!(
            "<!DOCTYPE html><body>{}</body>",
            iframe(&embed_src("light", &good), "refused")
        ),
    )
    .await;

    let browser = Browser::start(1000, 800).await;
    browser
        .client
        .goto(&format!("{}/", allowed.origin))
        .await
        .expect("portal");
    for frame in 0..2 {
        browser
            .client
            .enter_frame(frame)
            .await
            .expect("enter iframe");
        let drawn = wait_js(&browser, COLOURED).await;
        assert!(
            drawn.as_i64().unwrap_or(0) > 50,
            "frame {frame} draws its panel: {drawn}"
        );
        browser
            .client
            .enter_parent_frame()
            .await
            .expect("leave iframe");
    }
    browser
        .screenshot(&out.join("portal-light-and-dark.png"))
        .await;

    browser
        .client
        .goto(&format!("{}/", other.origin))
        .await
        .expect("other portal");
    tokio::time::sleep(Duration::from_secs(2)).await;
    browser
        .client
        .enter_frame(0)
        .await
        .expect("enter refused iframe");
    let inside = browser
        .eval(
            "return { url: document.URL, embed: !!document.querySelector('.embed') };",
            vec![],
        )
        .await;
    assert_eq!(
        inside["embed"],
        json!(false),
        "a portal not in the allowlist gets no console: {inside}"
    );
    browser
        .client
        .enter_parent_frame()
        .await
        .expect("leave iframe");
    browser
        .screenshot(&out.join("portal-not-allowed.png"))
        .await;

    // ---- Signed links that must be refused, each with a readable message in the frame.
    let base = format!("{console}/embed/cost-attribution/cost-over-time?from=now-10m&to=now");
    let expired = token("cost-attribution", Some("cost-over-time"), &[], now() - 10);
    // The signature's first character altered: every bit of it counts, where the last
    // character's low bits must stay zero (changing those makes the token malformed
    // rather than wrongly signed).
    let mut tampered = good.clone();
    let at = tampered.rfind('.').map_or(0, |dot| dot + 1);
    let first = if tampered[at..].starts_with('A') {
        "B"
    } else {
        "A"
    };
    tampered.replace_range(at..at + 1, first);
    let other_dashboard = token("orchestrator-security", None, &[], now() + 3600);
    let locked = token(
        "cost-attribution",
        Some("top-repositories"),
        &[("repository", &repositories[0])],
        now() + 3600,
    );
    let refusals = [
        (format!("{base}&token={expired}"), "expired"),
        (format!("{base}&token={tampered}"), "signature"),
        (format!("{base}&token={other_dashboard}"), "only shows"),
        (
            format!(
                "{console}/embed/cost-attribution/top-repositories?from=now-10m&to=now&var-repository={}&token={locked}",
                repositories[1]
            ),
            "locked",
        ),
        (
            format!("{base}&token=not-a-token"),
            "not a valid signed token",
        ),
    ];
    for (url, expected) in &refusals {
        browser.client.goto(url).await.expect("open refused embed");
        let message = wait_js(&browser, ALERTS).await;
        assert!(
            message.as_str().unwrap_or("").contains(expected),
            "{url}: expected a message with {expected:?}, got {message}"
        );
    }
    // The locked link works with its own value, and the token cannot run other PromQL.
    browser
        .client
        .goto(&format!(
            "{console}/embed/cost-attribution/top-repositories?from=now-10m&to=now&token={locked}"
        ))
        .await
        .expect("locked embed");
    let bars = wait_js(
        &browser,
        "return document.querySelectorAll('.bar-list__row').length;",
    )
    .await;
    assert_eq!(bars, json!(1), "the locked repository alone");
    let client = reqwest::Client::new();
    for path in [
        "/api/v1/query?query=up",
        "/api/dashboards/orchestrator-security",
        "/api/metrics/circuit-breakers",
    ] {
        let status = client
            .get(format!("{console}{path}"))
            .header("x-vantage-embed", &good)
            .send()
            .await
            .expect("call")
            .status();
        assert_eq!(status, 403, "{path} with an embed token");
    }
    browser.close().await;
    drop(allowed);
    drop(other);
    drop(embed_proxy);

    // ---- Malformed and stale URLs: each opens to a clear message, never a blank page.
    let p = &stack.proxy_url;
    let cases: Vec<(String, &str)> = vec![
        (format!("{p}/d/nope"), "no dashboard"),
        (
            format!("{p}/d/cost-attribution?from=yesterday"),
            "is not a time",
        ),
        (
            format!("{p}/d/cost-attribution?from=now-6x"),
            "is not a time",
        ),
        (
            format!("{p}/d/cost-attribution?to=garbage"),
            "is not a time",
        ),
        (
            format!("{p}/d/cost-attribution?from=now&to=now-1h"),
            "is empty",
        ),
        (
            format!("{p}/d/cost-attribution?from=1700000000000&to=1600000000000"),
            "is empty",
        ),
        (
            format!("{p}/d/cost-attribution?from=2023-13-45T00:00:00Z"),
            "is not a time",
        ),
        (
            format!("{p}/d/cost-attribution?from=now-99999999999999999999d"),
            "is not a time",
        ),
        (
            format!("{p}/d/cost-attribution?from=%E0%A4%A"),
            "is not a time",
        ),
        (
            format!("{p}/d/cost-attribution?var-repository=no%2Fsuch-repo"),
            "has no value",
        ),
        (
            format!("{p}/d/cost-attribution?var-colour=red"),
            "has no variable",
        ),
        (
            format!("{p}/d/cost-attribution?refresh=fast"),
            "not an interval",
        ),
        (
            format!("{p}/d/cost-attribution?refresh=0s"),
            "not an interval",
        ),
        (format!("{p}/d/cost-attribution?tz=mars"), "not a time zone"),
        (format!("{p}/d/cost-attribution?panel=nope"), "has no panel"),
        (
            format!("{p}/d/cost-attribution?theme=purple"),
            "not light or dark",
        ),
        (format!("{p}/embed/cost-attribution/nope"), "has no panel"),
        (format!("{p}/embed/nope/x"), "no dashboard"),
        (
            format!("{p}/embed/cost-attribution/top-repositories?token=garbage"),
            "not enabled",
        ),
        (format!("{p}/explore?from=garbage&expr=up"), "is not a time"),
        (format!("{p}/circuit-breakers?from=now-"), "is not a time"),
        (format!("{p}/no/such/page"), "There is no page"),
        (
            format!("{p}/d/orchestrator-agents?var-agent_type=NOBODY&var-agent_type=PM"),
            "has no value",
        ),
    ];
    assert!(cases.len() >= 20);
    let browser = Browser::start(1200, 800).await;
    let mut failures = Vec::new();
    for (url, expected) in &cases {
        browser.client.goto(url).await.expect("open malformed url");
        let message = wait_js(&browser, ALERTS).await;
        let text = message.as_str().unwrap_or("");
        if !text.contains(expected) {
            failures.push(format!("{url}: expected {expected:?}, saw {text:?}"));
        }
    }
    browser.close().await;
    drop(stack);
    assert!(
        failures.is_empty(),
        "URLs without a clear message:\n{}",
        failures.join("\n")
    );
}
