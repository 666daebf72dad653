//! The cost page in headless Chromium against the demo with 15 days of history and the
//! demo's own teams and budgets (`demo/proxy.toml`): every section draws in the light
//! and the dark theme; drilling in by keyboard and by mouse, the breadcrumbs and the
//! browser's back button walk the views in the URL; a link opened in a fresh browser
//! shows the same view; a bad URL shows a message and sane defaults.

use serde_json::{Value, json};
use std::sync::Arc;
use std::time::{Duration, Instant};
use vantage_e2e::browser::Browser;
use vantage_e2e::output_dir;
use vantage_e2e::process::wait_for;
use vantage_e2e::shared::SharedStack;
use vantage_e2e::stack::{Stack, StackOptions};

static STACK: SharedStack = SharedStack::new();
/// One browser at a time: the tests share two cores with the stack.
static BROWSER: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

async fn stack() -> Arc<Stack> {
    STACK
        .get(|| async {
            let stack = Stack::start_with(
                Duration::from_secs(2),
                StackOptions {
                    history_days: Some(15),
                    proxy_config: Some(vantage_e2e::workspace_root().join("demo/proxy.toml")),
                    ..StackOptions::default()
                },
            )
            .await;
            stack.wait_for_scrapes(3).await;
            stack
        })
        .await
}

/// Every section: title, state, coloured canvas pixels, table rows, bars, movers,
/// badges.
const SECTIONS: &str = r#"
    return Array.from(document.querySelectorAll('section.panel')).map(panel => {
        let coloured = 0;
        for (const canvas of panel.querySelectorAll('canvas')) {
            if (!canvas.width || !canvas.height) continue;
            const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
            for (let i = 0; i < data.length; i += 16) {
                const max = Math.max(data[i], data[i + 1], data[i + 2]);
                const min = Math.min(data[i], data[i + 1], data[i + 2]);
                if (max - min > 40) coloured++;
            }
        }
        return {
            title: (panel.querySelector('h2') || {}).textContent || '',
            state: panel.dataset.state || '',
            error: (panel.querySelector('.panel__error') || {}).textContent || '',
            coloured,
            rows: panel.querySelectorAll('tbody tr').length,
            bars: panel.querySelectorAll('.bar-list__row').length,
            movers: panel.querySelectorAll('.cost-movers__row').length,
            badges: panel.querySelectorAll('.badge').length,
        };
    });
"#;

/// The view as shown: URL query, breadcrumbs, grouping, and the breakdown's rows
/// (group and spend as displayed).
const VIEW: &str = r#"
    const table = document.querySelector('table[aria-label="Spend by group"]');
    const rows = table ? Array.from(table.querySelectorAll('tbody tr')).map(tr =>
        Array.from(tr.querySelectorAll('td')).slice(0, 2).map(td => td.textContent).join(' ')) : [];
    const select = document.querySelector('.cost-toolbar select');
    return {
        search: location.search,
        crumbs: Array.from(document.querySelectorAll('.cost-crumbs li')).map(li => li.textContent),
        by: select ? select.value : null,
        rows,
        loading: Array.from(document.querySelectorAll('section.panel')).some(p => p.getAttribute('aria-busy') === 'true'),
        banners: Array.from(document.querySelectorAll('.banner')).map(b => b.textContent),
    };
"#;

async fn sections(browser: &Browser) -> Vec<Value> {
    browser
        .eval(SECTIONS, vec![])
        .await
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// Waits until every section has settled with something to show (or 60 s), then
/// returns them.
async fn settled(browser: &Browser) -> Vec<Value> {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let all = sections(browser).await;
        let drawn = |s: &Value| {
            s["state"] == "ready"
                && (s["coloured"].as_i64().unwrap_or(0) > 200
                    || s["rows"].as_i64().unwrap_or(0) > 0
                    || s["movers"].as_i64().unwrap_or(0) > 0)
        };
        if (all.len() >= 7 && all.iter().all(drawn)) || Instant::now() > deadline {
            return all;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// The view once it has stopped loading and shows rows.
async fn view_when(browser: &Browser, what: &str, ready: impl Fn(&Value) -> bool) -> Value {
    wait_for(what, Duration::from_secs(45), || async {
        let view = browser.eval(VIEW, vec![]).await;
        (view["loading"] == false && ready(&view)).then_some(view)
    })
    .await
}

fn rows(view: &Value) -> Vec<String> {
    view["rows"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|r| r.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

fn groups(view: &Value) -> Vec<String> {
    rows(view)
        .iter()
        .map(|r| r.split(' ').next().unwrap_or_default().to_owned())
        .collect()
}

/// Makes the window as tall as the page and saves a screenshot.
async fn full_page_screenshot(browser: &Browser, path: &std::path::Path) {
    let height = browser
        .eval("return document.documentElement.scrollHeight;", vec![])
        .await
        .as_u64()
        .unwrap_or(1000);
    let _ = browser
        .client
        .set_window_size(1400, (height as u32).clamp(600, 8000))
        .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    browser.screenshot(path).await;
    let _ = browser.client.set_window_size(1400, 1000).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn every_section_draws_in_light_and_dark() {
    let stack = stack().await;
    let _one = BROWSER.lock().await;
    let out = output_dir("cost_page");
    let browser = Browser::start(1400, 1000).await;
    for theme in ["light", "dark"] {
        let url = format!("{}/cost?from=now-7d&to=now&theme={theme}", stack.proxy_url);
        browser.client.goto(&url).await.expect("open the cost page");
        let all = settled(&browser).await;
        full_page_screenshot(&browser, &out.join(format!("cost-{theme}.png"))).await;
        let titles: Vec<&str> = all.iter().filter_map(|s| s["title"].as_str()).collect();
        assert_eq!(
            titles,
            [
                "Spend",
                "Month to date and forecast",
                "Breakdown",
                "Top movers",
                "Month-end forecast by group",
                "Budgets",
                "Cost per unit of work"
            ],
            "{theme}"
        );
        for section in &all {
            assert_eq!(section["state"], "ready", "{theme}: {section}");
            assert_eq!(section["error"], "", "{theme}: {section}");
        }
        let by_title = |t: &str| {
            all.iter()
                .find(|s| s["title"] == t)
                .cloned()
                .unwrap_or_default()
        };
        let number = |s: &Value, k: &str| s[k].as_i64().unwrap_or(0);
        let chart = by_title("Month to date and forecast");
        assert!(
            number(&chart, "coloured") > 200,
            "{theme}: chart drawn: {chart}"
        );
        // Three sources and their total; the demo's five teams and the unallocated rest.
        assert_eq!(number(&by_title("Spend"), "rows"), 3, "{theme}");
        assert_eq!(number(&by_title("Breakdown"), "rows"), 6, "{theme}");
        assert_eq!(number(&by_title("Breakdown"), "bars"), 6, "{theme}");
        assert_eq!(number(&by_title("Month-end forecast by group"), "rows"), 6);
        assert_eq!(number(&by_title("Budgets"), "rows"), 5, "{theme}");
        assert_eq!(number(&by_title("Budgets"), "badges"), 5, "{theme}");
        // Agent, workflow execution and task, plus thousands of tokens per model.
        assert!(
            number(&by_title("Cost per unit of work"), "rows") >= 5,
            "{theme}"
        );
        let background = browser
            .eval(
                "return getComputedStyle(document.body).backgroundColor;",
                vec![],
            )
            .await;
        let dark = background
            .as_str()
            .is_some_and(|c| c.contains("17, 19, 24"));
        assert_eq!(dark, theme == "dark", "{theme}: body {background}");
    }
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn drilling_in_and_going_back_follow_the_url() {
    let stack = stack().await;
    let _one = BROWSER.lock().await;
    let out = output_dir("cost_page");
    let browser = Browser::start(1400, 1000).await;
    let url = format!("{}/cost?from=now-7d&to=now", stack.proxy_url);
    browser.client.goto(&url).await.expect("open the cost page");
    let top = view_when(&browser, "the teams", |v| {
        groups(v).contains(&"payments".to_owned())
    })
    .await;
    assert_eq!(top["by"], "team");
    assert_eq!(top["crumbs"], json!(["All spend"]));

    // Enter on a focused row drills into that team, by repository.
    browser
        .eval(
            r#"const row = Array.from(document.querySelectorAll('table[aria-label="Spend by group"] tbody tr'))
                   .find(tr => tr.querySelector('td').textContent === 'payments');
               row.focus();
               row.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));"#,
            vec![],
        )
        .await;
    let team = view_when(&browser, "the team's repositories", |v| {
        v["by"] == "repository" && groups(v).contains(&"acme/payments-api".to_owned())
    })
    .await;
    assert_eq!(
        team["search"],
        "?from=now-7d&to=now&team=payments&by=repository"
    );
    assert_eq!(team["crumbs"], json!(["All spend", "team: payments"]));
    let mut repositories = groups(&team);
    repositories.sort();
    assert_eq!(
        repositories,
        [
            "acme/billing-engine",
            "acme/checkout-web",
            "acme/payments-api"
        ]
    );

    // A click on a bar drills into that repository, by user.
    browser
        .eval(
            r#"Array.from(document.querySelectorAll('.bar-list a'))
                   .find(a => a.textContent === 'acme/payments-api').click();"#,
            vec![],
        )
        .await;
    let repository = view_when(&browser, "the repository's users", |v| {
        v["by"] == "user" && !rows(v).is_empty()
    })
    .await;
    assert_eq!(
        repository["search"],
        "?from=now-7d&to=now&team=payments&repository=acme%2Fpayments-api&by=user"
    );
    assert_eq!(
        repository["crumbs"],
        json!([
            "All spend",
            "team: payments",
            "repository: acme/payments-api"
        ])
    );
    browser.screenshot(&out.join("drilled.png")).await;

    // Back walks the views again, with their data.
    browser.client.back().await.expect("back");
    let back = view_when(&browser, "the team again", |v| v["by"] == "repository").await;
    assert_eq!(back["search"], team["search"]);
    assert_eq!(groups(&back).len(), 3);
    browser.client.back().await.expect("back");
    let back = view_when(&browser, "all spend again", |v| v["by"] == "team").await;
    assert_eq!(back["search"], "?from=now-7d&to=now");
    assert_eq!(groups(&back).len(), 6);

    // Forward, then the first breadcrumb goes back to all spend by team.
    browser.client.forward().await.expect("forward");
    view_when(&browser, "the team once more", |v| v["by"] == "repository").await;
    browser
        .eval("document.querySelector('.cost-crumbs a').click();", vec![])
        .await;
    let crumb = view_when(&browser, "all spend from the breadcrumb", |v| {
        v["by"] == "team"
    })
    .await;
    assert_eq!(crumb["search"], "?from=now-7d&to=now&by=team");
    assert_eq!(groups(&crumb).len(), 6);
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_link_shows_the_same_view_in_a_fresh_browser() {
    let stack = stack().await;
    let _one = BROWSER.lock().await;
    // Absolute times an hour back: the numbers of that range do not change any more.
    let to = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or_default()
        - 3_600_000;
    let from = to - 3 * 86_400_000;
    let url = format!(
        "{}/cost?from={from}&to={to}&team=(unallocated)&by=repository&theme=dark",
        stack.proxy_url
    );
    let first = Browser::start(1400, 1000).await;
    first.client.goto(&url).await.expect("open the link");
    let seen = view_when(&first, "the shared view", |v| !rows(v).is_empty()).await;
    first.close().await;

    let fresh = Browser::start(1400, 1000).await;
    fresh.client.goto(&url).await.expect("open the link again");
    let again = view_when(&fresh, "the shared view again", |v| !rows(v).is_empty()).await;
    assert_eq!(again["search"], seen["search"]);
    assert_eq!(again["crumbs"], json!(["All spend", "team: (unallocated)"]));
    assert_eq!(again["crumbs"], seen["crumbs"]);
    assert_eq!(again["by"], "repository");
    assert_eq!(rows(&again), rows(&seen), "the same groups and amounts");
    assert!(groups(&again).contains(&"(unallocated)".to_owned()));
    fresh.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bad_url_shows_a_message_and_defaults() {
    let stack = stack().await;
    let _one = BROWSER.lock().await;
    let browser = Browser::start(1400, 1000).await;
    let url = format!("{}/cost?from=yesterday&to=now&by=planet", stack.proxy_url);
    browser.client.goto(&url).await.expect("open the cost page");
    let view = view_when(&browser, "the default view", |v| !rows(v).is_empty()).await;
    let banners = view["banners"].to_string();
    assert!(banners.contains("yesterday"), "{banners}");
    assert!(banners.contains("showing now-7d to now"), "{banners}");
    assert!(
        banners.contains("planet") && banners.contains("grouping by team"),
        "{banners}"
    );
    assert_eq!(view["by"], "team");
    assert_eq!(groups(&view).len(), 6);
    browser.close().await;
}
