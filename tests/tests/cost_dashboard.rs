//! The foundation slice end to end: demo → Prometheus → proxy → console in Chromium.

use serde_json::json;
use std::collections::BTreeSet;
use std::time::Duration;
use vantage_e2e::browser::Browser;
use vantage_e2e::output_dir;
use vantage_e2e::process::wait_for;
use vantage_e2e::stack::Stack;

/// Counts saturated (coloured, not grey) pixels of the canvas with this accessible name:
/// the series lines are coloured, while background, grid and text are greys.
const COLOURED_PIXELS: &str = r#"
    const canvas = document.querySelector(`canvas[aria-label="${arguments[0]}"]`);
    if (!canvas || canvas.width === 0) return -1;
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let coloured = 0;
    for (let i = 0; i < data.length; i += 4) {
        const max = Math.max(data[i], data[i + 1], data[i + 2]);
        const min = Math.min(data[i], data[i + 1], data[i + 2]);
        if (max - min > 60) coloured++;
    }
    return coloured;
"#;

const TABLE_FIRST_COLUMN: &str = r#"
    const table = document.querySelector(`table[aria-label="${arguments[0]}"]`);
    if (!table) return [];
    return Array.from(table.querySelectorAll('tbody tr td:first-child')).map(td => td.textContent);
"#;

#[tokio::test(flavor = "multi_thread")]
async fn cost_dashboard_shows_the_demo_data() {
    let out = output_dir("cost_dashboard");
    let mut stack = Stack::start(Duration::from_secs(1)).await;
    stack.wait_for_scrapes(30).await;
    stack.demo.assert_running();
    stack.proxy.assert_running();

    let expected: BTreeSet<String> = stack
        .label_values(
            "group by (repository) (orchestrator_cost_attribution)",
            "repository",
        )
        .await
        .into_iter()
        .collect();
    assert!(
        expected.len() >= 5,
        "the demo exposes repositories: {expected:?}"
    );

    let browser = Browser::start(1400, 1100).await;
    let url = format!("{}/d/cost-attribution?from=now-2m&to=now", stack.proxy_url);
    browser.client.goto(&url).await.expect("open console");

    let shown: BTreeSet<String> =
        wait_for("the repository table", Duration::from_secs(30), || async {
            let rows = browser
                .eval(TABLE_FIRST_COLUMN, vec![json!("Cost by repository")])
                .await;
            let rows: BTreeSet<String> = rows
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|v| v.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default();
            (rows.len() >= expected.len()).then_some(rows)
        })
        .await;
    assert_eq!(
        shown, expected,
        "the table lists exactly the demo's repositories"
    );

    // Poll a while (the chart redraws as answers arrive), then record what it shows.
    let mut coloured = -1;
    for _ in 0..50 {
        let n = browser
            .eval(COLOURED_PIXELS, vec![json!("Cost per hour by repository")])
            .await;
        coloured = n.as_i64().unwrap_or(-1);
        if coloured > 200 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    browser.screenshot(&out.join("cost-attribution.png")).await;
    assert!(
        coloured > 200,
        "series lines drawn: {coloured} coloured pixels"
    );
    browser.close().await;
    drop(stack);
}
