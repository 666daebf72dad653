//! The widgets in a real headless Chromium (wasm-bindgen-test): mounted into the page,
//! driven through the DOM as a user would, and checked by what they show.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use std::sync::Arc;
use vantage_api::dashboard::VariableOption;
use vantage_api::dashboard::expand::Selection;
use vantage_api::dashboard::{Direction, Level, Threshold};
use vantage_api::unit::Unit;
use vantage_components::bar_list::BarList;
use vantage_components::data_table::{Cell, Column, DataTable};
use vantage_components::forecast_chart::{ForecastChart, Projection};
use vantage_components::gauge::Gauge;
use vantage_components::markdown_text::MarkdownText;
use vantage_components::series::ChartSeries;
use vantage_components::stat_value::StatValue;
use vantage_components::state_grid::StateGrid;
use vantage_components::time_series_chart::TimeSeriesChart;
use vantage_components::variable_picker::VariablePicker;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// A fresh container in the page for one test.
fn container() -> web_sys::HtmlElement {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect("document");
    let div: web_sys::HtmlElement = document
        .create_element("div")
        .expect("div")
        .unchecked_into();
    div.style().set_property("width", "800px").expect("style");
    document
        .body()
        .expect("body")
        .append_child(&div)
        .expect("append");
    div
}

/// Lets effects and a frame run.
async fn settle() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 50);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

fn all(root: &web_sys::HtmlElement, selector: &str) -> Vec<web_sys::Element> {
    let list = root.query_selector_all(selector).expect("selector");
    (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into().ok())
        .collect()
}

fn click(element: &web_sys::Element) {
    element.unchecked_ref::<web_sys::HtmlElement>().click();
}

/// Saturated (coloured) pixels on a canvas: the series, not the greys of axes and text.
fn coloured_pixels(canvas: &web_sys::HtmlCanvasElement) -> usize {
    let context: web_sys::CanvasRenderingContext2d = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .expect("2d")
        .unchecked_into();
    let data = context
        .get_image_data(
            0.0,
            0.0,
            f64::from(canvas.width()),
            f64::from(canvas.height()),
        )
        .expect("pixels")
        .data();
    data.chunks(4)
        .filter(|p| p[0].max(p[1]).max(p[2]) - p[0].min(p[1]).min(p[2]) > 60)
        .count()
}

fn series(name: &str, base: f64) -> ChartSeries {
    let times: Vec<f64> = (0..200).map(|i| 1.7e9 + f64::from(i) * 15.0).collect();
    let values = (0..200)
        .map(|i| base + (f64::from(i) / 10.0).sin() * 5.0)
        .collect();
    ChartSeries {
        name: name.into(),
        times,
        values,
    }
}

#[wasm_bindgen_test]
async fn time_series_chart_draws_and_toggles_series() {
    let root = container();
    let data = Arc::new(vec![series("acme/api", 10.0), series("acme/web", 30.0)]);
    let _handle = leptos::mount::mount_to(root.clone(), move || {
        view! {
            <TimeSeriesChart
                series=Signal::derive(move || data.clone())
                range=(1.7e9, 1.7e9 + 199.0 * 15.0)
                step=15.0
                label="Cost"
                unit=Unit::Usd
            />
        }
    });
    settle().await;
    let canvas: web_sys::HtmlCanvasElement = all(&root, "canvas[aria-label=\"Cost\"]")[0]
        .clone()
        .unchecked_into();
    let both = coloured_pixels(&canvas);
    assert!(both > 500, "two series drawn: {both} coloured pixels");
    let legend = all(&root, ".ts-chart__legend-item");
    assert_eq!(legend.len(), 2);
    assert_eq!(
        legend[0].text_content().unwrap_or_default().trim(),
        "acme/api"
    );
    click(&legend[0]);
    settle().await;
    assert!(
        legend[0].class_list().contains("off"),
        "a clicked legend entry is switched off"
    );
    let one = coloured_pixels(&canvas);
    assert!(
        one < both * 3 / 4 && one > 100,
        "one series left: {one} of {both}"
    );
}

#[wasm_bindgen_test]
async fn data_table_sorts_and_filters() {
    let root = container();
    let columns = vec![
        Column {
            header: "Repository".into(),
            unit: None,
        },
        Column {
            header: "Cost".into(),
            unit: Some(Unit::Usd),
        },
    ];
    let rows = vec![
        vec![Cell::Text("acme/web".into()), Cell::Number(2.5)],
        vec![Cell::Text("acme/api".into()), Cell::Number(10.0)],
        vec![Cell::Text("beta/ml".into()), Cell::Number(7.25)],
    ];
    let _handle = leptos::mount::mount_to(root.clone(), move || {
        view! { <DataTable columns=columns.clone() rows=rows.clone() label="Costs"/> }
    });
    settle().await;
    let first_column = |root: &web_sys::HtmlElement| -> Vec<String> {
        all(root, "tbody tr td:first-child")
            .iter()
            .map(|c| c.text_content().unwrap_or_default())
            .collect()
    };
    assert_eq!(first_column(&root), ["acme/api", "acme/web", "beta/ml"]);
    click(&all(&root, "th button")[1]);
    settle().await;
    assert_eq!(
        first_column(&root),
        ["acme/api", "beta/ml", "acme/web"],
        "numbers sort descending first"
    );
    assert_eq!(
        all(&root, "th")[1].get_attribute("aria-sort").as_deref(),
        Some("descending")
    );
    assert_eq!(
        all(&root, "tbody tr td:last-child")[0]
            .text_content()
            .as_deref(),
        Some("$10.00")
    );
    let input: web_sys::HtmlInputElement =
        all(&root, "input[type=search]")[0].clone().unchecked_into();
    input.set_value("BETA");
    input
        .dispatch_event(&web_sys::Event::new("input").expect("event"))
        .expect("dispatch");
    settle().await;
    assert_eq!(first_column(&root), ["beta/ml"]);
}

#[wasm_bindgen_test]
async fn stat_value_colours_by_threshold() {
    let root = container();
    let value = RwSignal::new(Some(97.0));
    let thresholds = vec![Threshold {
        value: 95.0,
        level: Level::Critical,
        label: None,
    }];
    let _handle = leptos::mount::mount_to(root.clone(), move || {
        view! { <StatValue value=value unit=Unit::Percent thresholds=thresholds.clone() direction=Direction::BelowIsBad/> }
    });
    settle().await;
    let stat = all(&root, ".stat-value")[0].clone();
    assert_eq!(stat.text_content().as_deref(), Some("97%"));
    assert_eq!(stat.get_attribute("data-level").as_deref(), Some("ok"));
    value.set(Some(80.0));
    settle().await;
    assert_eq!(
        stat.get_attribute("data-level").as_deref(),
        Some("critical")
    );
    assert_eq!(
        stat.text_content().as_deref(),
        Some("80% (critical)"),
        "the level is in the text too, not only in the colour"
    );
    value.set(None);
    settle().await;
    assert_eq!(stat.text_content().as_deref(), Some("–"));
}

#[wasm_bindgen_test]
async fn variable_picker_selects_several_values_and_all() {
    let root = container();
    let selected = RwSignal::new(Selection::All);
    let options = vec![
        VariableOption::plain("acme/api"),
        VariableOption::plain("acme/web"),
        VariableOption {
            text: "Beta ML".into(),
            value: "beta/ml".into(),
        },
    ];
    let _handle = leptos::mount::mount_to(root.clone(), move || {
        view! {
            <VariablePicker
                label="Repository"
                options=options.clone()
                selected=selected
                multi=true
                include_all=true
                on_change=Callback::new(move |s| selected.set(s))
            />
        }
    });
    settle().await;
    click(&all(&root, ".variable-picker--multi button")[0]);
    settle().await;
    let boxes = all(&root, ".variable-picker__list input");
    assert_eq!(boxes.len(), 4, "All and three values");
    click(&boxes[1]);
    settle().await;
    assert_eq!(
        selected.get_untracked(),
        Selection::Values(vec!["acme/api".into()])
    );
    click(&all(&root, ".variable-picker__list input")[3]);
    settle().await;
    assert_eq!(
        selected.get_untracked(),
        Selection::Values(vec!["acme/api".into(), "beta/ml".into()])
    );
    assert_eq!(
        all(&root, ".variable-picker--multi button")[0]
            .text_content()
            .as_deref(),
        Some("acme/api, Beta ML")
    );
    assert_eq!(
        all(&root, ".variable-picker--multi button")[0]
            .get_attribute("aria-label")
            .as_deref(),
        Some("Repository: acme/api, Beta ML"),
        "the name holds the visible text"
    );
    click(&all(&root, ".variable-picker__list input")[0]);
    settle().await;
    assert_eq!(selected.get_untracked(), Selection::All);
}

#[wasm_bindgen_test]
async fn state_grid_draws_each_state_in_its_colour() {
    let root = container();
    let times: Vec<f64> = (0..40).map(|i| 1.7e9 + f64::from(i) * 15.0).collect();
    let open: Vec<f64> = (0..40)
        .map(|i| if (10..25).contains(&i) { 1.0 } else { 0.0 })
        .collect();
    let data = Arc::new(vec![
        ChartSeries {
            name: "architect-v1".into(),
            times: times.clone(),
            values: open,
        },
        ChartSeries {
            name: "pm-v1".into(),
            times,
            values: vec![0.0; 40],
        },
    ]);
    let states = vec![
        vantage_api::dashboard::State {
            value: 0.0,
            name: "CLOSED".into(),
            level: Level::Ok,
        },
        vantage_api::dashboard::State {
            value: 1.0,
            name: "OPEN".into(),
            level: Level::Critical,
        },
    ];
    let _handle = leptos::mount::mount_to(root.clone(), move || {
        view! {
            <StateGrid series=Signal::derive(move || data.clone()) range=(1.7e9 - 15.0, 1.7e9 + 39.0 * 15.0)
                step=15.0 states=states.clone() label="Breakers"/>
        }
    });
    settle().await;
    let canvas: web_sys::HtmlCanvasElement = all(&root, "canvas[aria-label=\"Breakers\"]")[0]
        .clone()
        .unchecked_into();
    assert!(coloured_pixels(&canvas) > 1000, "state bars drawn");
    let legend: Vec<String> = all(&root, ".state-grid__legend li")
        .iter()
        .map(|l| l.text_content().unwrap_or_default())
        .collect();
    assert_eq!(legend, ["CLOSED", "OPEN"]);
}

/// A session row for the live table tests.
fn session(id: usize, sent: u64) -> vantage_api::management::WebSocketConnection {
    vantage_api::management::WebSocketConnection {
        session_id: format!("s-{id:04}"),
        user_id: format!("user{}", id % 3),
        run_id: format!("run-{id}"),
        connected_at: "2024-01-15T10:30:00Z".into(),
        messages_sent: sent,
        messages_received: sent,
        message_failures: 0,
        reconnection_count: 0,
        average_latency: 40.0,
        max_latency: 90,
        delivery_rate: 1.0,
    }
}

#[wasm_bindgen_test]
async fn live_table_updates_only_the_rows_a_diff_names() {
    use vantage_api::management::WebSocketConnection as R;
    use vantage_components::live_rows::LiveRows;
    use vantage_components::live_table::{CountBy, LiveColumn, LiveTable};
    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect("document");
    let style = document.create_element("style").expect("style");
    style.set_text_content(Some(include_str!("../src/live_table.css")));
    document
        .body()
        .expect("body")
        .append_child(&style)
        .expect("css");
    let root = container();
    let rows = LiveRows::<R>::new();
    rows.replace_all((0..50).map(|i| session(i, 1)).collect(), 0.0);
    let columns = vec![
        LiveColumn {
            header: "Session",
            width: "8em",
            numeric: false,
            text: |r: &R, _| r.session_id.clone(),
            compare: |a: &R, b: &R| a.session_id.cmp(&b.session_id),
            title: None,
            uses_now: false,
        },
        LiveColumn {
            header: "Sent",
            width: "6em",
            numeric: true,
            text: |r: &R, _| r.messages_sent.to_string(),
            compare: |a: &R, b: &R| a.messages_sent.cmp(&b.messages_sent),
            title: None,
            uses_now: false,
        },
    ];
    let _handle = leptos::mount::mount_to(root.clone(), move || {
        view! {
            <LiveTable
                rows=rows
                columns=columns.clone()
                label="Sessions"
                matches=|r: &R, needle: &str| r.session_id.contains(needle)
                noun=("session", "sessions")
                count_by=CountBy { label: "user", of: |r: &R| r.user_id.as_str() }
                height=300
            />
        }
    });
    settle().await;
    let text = |selector: &str| {
        all(&root, selector)
            .first()
            .and_then(|e| e.text_content())
            .unwrap_or_default()
    };
    assert_eq!(text(".live-table__total"), "50");
    assert_eq!(all(&root, ".live-table__group").len(), 3, "counts by user");
    let drawn = all(&root, "tr.live-row");
    assert!(
        drawn.len() < 30,
        "only the rows on screen are drawn: {}",
        drawn.len()
    );
    let (first, second) = (drawn[0].clone(), drawn[1].clone());
    assert_eq!(first.get_attribute("data-key").as_deref(), Some("s-0000"));

    // One row changes: the same elements stay, only that row's text and class change.
    rows.apply(vec![], vec![session(0, 7)], &[], js_sys::Date::now());
    settle().await;
    let now = all(&root, "tr.live-row");
    assert!(now[0].is_same_node(Some(&first)) && now[1].is_same_node(Some(&second)));
    assert_eq!(first.text_content().unwrap_or_default(), "s-00007");
    assert!(
        first.class_name().contains("live-row--flash"),
        "the changed row is highlighted"
    );
    assert!(!second.class_name().contains("flash"), "the others are not");

    // A removed row goes; an added one counts.
    rows.apply(
        vec![session(99, 1)],
        vec![],
        &["s-0001".to_owned()],
        js_sys::Date::now(),
    );
    settle().await;
    assert_eq!(text(".live-table__total"), "50");
    assert!(all(&root, "tr[data-key=\"s-0001\"]").is_empty());

    // Filter, then sort by Sent descending.
    let input: web_sys::HtmlInputElement =
        all(&root, "input[type=search]")[0].clone().unchecked_into();
    input.set_value("s-004");
    let event = web_sys::Event::new("input").expect("event");
    input.dispatch_event(&event).expect("dispatch");
    settle().await;
    assert_eq!(all(&root, "tr.live-row").len(), 10);
    assert!(text(".live-table__counts").contains("10 shown"));
    input.set_value("");
    input.dispatch_event(&event).expect("dispatch");
    let sent_header = all(&root, "th button")[1].clone();
    click(&sent_header);
    settle().await;
    assert_eq!(
        all(&root, "th")[1].get_attribute("aria-sort").as_deref(),
        Some("descending")
    );
    assert_eq!(
        all(&root, "tr.live-row")[0]
            .get_attribute("data-key")
            .as_deref(),
        Some("s-0000"),
        "the row with the most messages first"
    );
}

#[wasm_bindgen_test]
async fn markdown_is_rendered_as_safe_nodes() {
    let root = container();
    let source = "# Notes\n\nSee [docs](https://example.com) and [x](javascript:alert(1)).\n\n<script>window.hacked = 1</script> <img src=x onerror=alert(1)>\n\n- `up`\n- **bold**";
    let _handle = leptos::mount::mount_to(root.clone(), move || {
        view! { <MarkdownText source=source/> }
    });
    settle().await;
    assert_eq!(all(&root, "h1").len(), 1);
    let links = all(&root, "a");
    assert_eq!(links.len(), 1, "only the http link is a link");
    assert_eq!(
        links[0].get_attribute("href").as_deref(),
        Some("https://example.com")
    );
    assert!(all(&root, "script").is_empty() && all(&root, "img").is_empty());
    let text = root.text_content().unwrap_or_default();
    assert!(
        text.contains("<script>window.hacked = 1</script>"),
        "{text}"
    );
    assert_eq!(all(&root, "li code").len(), 1);
    assert_eq!(all(&root, "li strong").len(), 1);
}

#[wasm_bindgen_test]
async fn gauge_draws_an_arc_and_its_value() {
    let root = container();
    let value = RwSignal::new(Some(75.0));
    let _handle = leptos::mount::mount_to(root.clone(), move || {
        view! {
            <Gauge value=value min=0.0 max=100.0 unit=vantage_api::unit::Unit::Percent
                thresholds=vec![vantage_api::dashboard::Threshold { value: 70.0, level: vantage_api::dashboard::Level::Warning, label: None }]
                label="CPU"/>
        }
    });
    settle().await;
    assert_eq!(all(&root, "path.gauge__value").len(), 1);
    assert_eq!(all(&root, "path.gauge__band").len(), 2);
    let shown = all(&root, "text.gauge__text")[0]
        .text_content()
        .unwrap_or_default();
    assert_eq!(shown, "75%");
    value.set(None);
    settle().await;
    assert!(all(&root, "path.gauge__value").is_empty());
}

/// Pixels of `canvas` within `tolerance` of `rgb` in every channel.
fn pixels_like(canvas: &web_sys::HtmlCanvasElement, rgb: (u8, u8, u8), tolerance: u8) -> usize {
    let context: web_sys::CanvasRenderingContext2d = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .expect("2d")
        .unchecked_into();
    let data = context
        .get_image_data(
            0.0,
            0.0,
            f64::from(canvas.width()),
            f64::from(canvas.height()),
        )
        .expect("pixels")
        .data();
    data.chunks(4)
        .filter(|p| {
            p[0].abs_diff(rgb.0) <= tolerance
                && p[1].abs_diff(rgb.1) <= tolerance
                && p[2].abs_diff(rgb.2) <= tolerance
        })
        .count()
}

#[wasm_bindgen_test]
async fn forecast_chart_draws_the_total_the_band_and_the_limit() {
    let root = container();
    // Half a month spent, half projected with a widening band, and a limit above.
    let day = 86_400.0;
    let data = RwSignal::new(Projection {
        actual: (0..=15)
            .map(|d| (f64::from(d) * day, f64::from(d) * 10.0))
            .collect(),
        forecast: Vec::new(),
        limit: None,
    });
    let _handle = leptos::mount::mount_to(root.clone(), move || {
        view! {
            <ForecastChart data=data range=(0.0, 30.0 * day) label="Month" unit=Unit::Usd
                band_label="80 % band" limit_label="Budget"/>
        }
    });
    settle().await;
    let canvas: web_sys::HtmlCanvasElement = all(&root, "canvas")[0].clone().unchecked_into();
    let line_only = coloured_pixels(&canvas);
    assert!(line_only > 100, "the total is drawn: {line_only}");
    assert_eq!(all(&root, ".forecast-chart__legend li").len(), 3);
    // The light theme's fallback colours: series 0 and critical.
    let critical = (197, 48, 48);
    assert_eq!(pixels_like(&canvas, critical, 10), 0);
    assert!(pixels_like(&canvas, (218, 232, 246), 6) < 50, "no band yet");

    data.set(Projection {
        actual: (0..=15)
            .map(|d| (f64::from(d) * day, f64::from(d) * 10.0))
            .collect(),
        forecast: (15..=30)
            .map(|d| {
                let k = f64::from(d - 15);
                let v = f64::from(d) * 10.0;
                (f64::from(d) * day, v, v - 3.0 * k, v + 3.0 * k)
            })
            .collect(),
        limit: Some(400.0),
    });
    settle().await;
    let with_forecast = coloured_pixels(&canvas);
    assert!(
        with_forecast > line_only + 100,
        "the dashed forecast adds colour: {line_only} -> {with_forecast}"
    );
    // Series 0 at 18 % over the white background.
    let band = pixels_like(&canvas, (218, 232, 246), 6);
    assert!(band > 500, "the band is shaded: {band} pixels");
    assert!(
        pixels_like(&canvas, critical, 10) > 20,
        "the limit is drawn"
    );
    let legend: Vec<String> = all(&root, ".forecast-chart__legend li")
        .iter()
        .map(|li| li.text_content().unwrap_or_default())
        .collect();
    assert_eq!(legend, ["Actual", "Forecast", "80 % band", "Budget"]);
}

#[wasm_bindgen_test]
async fn data_table_rows_act_on_click_and_enter_and_bars_link() {
    let root = container();
    let chosen = RwSignal::new(Vec::<String>::new());
    let columns = vec![
        Column {
            header: "Team".into(),
            unit: None,
        },
        Column {
            header: "Spend".into(),
            unit: Some(Unit::Usd),
        },
    ];
    let rows = vec![
        vec![Cell::Text("payments".into()), Cell::Number(2.5)],
        vec![Cell::Text("platform".into()), Cell::Number(10.0)],
    ];
    let on_row = Some(Callback::new(move |value: String| {
        chosen.update(|c| c.push(value));
    }));
    let href = Some(Callback::new(|value: String| format!("/cost?team={value}")));
    let bars = vec![
        ("payments".to_owned(), 2.5),
        ("platform".to_owned(), 10.0),
        ("data".to_owned(), 1.0),
    ];
    let _handle = leptos::mount::mount_to(root.clone(), move || {
        view! {
            <DataTable columns=columns.clone() rows=rows.clone() label="Teams" sort=(1, true) on_row=on_row/>
            <BarList items=bars.clone() unit=Unit::Usd label="Largest" limit=2 href=href/>
        }
    });
    settle().await;
    let table_rows = all(&root, "tbody tr");
    assert_eq!(
        table_rows[0].get_attribute("tabindex").as_deref(),
        Some("0")
    );
    click(&table_rows[0]);
    let enter = web_sys::KeyboardEventInit::new();
    enter.set_key("Enter");
    enter.set_bubbles(true);
    let event = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &enter)
        .expect("keydown");
    table_rows[1].dispatch_event(&event).expect("dispatch");
    settle().await;
    assert_eq!(chosen.get_untracked(), ["platform", "payments"]);
    assert_eq!(all(&root, "tbody tr").len(), 2);
    assert_eq!(
        all(&root, ".data-table__count")[0]
            .text_content()
            .as_deref(),
        Some("2 rows")
    );
    let links: Vec<(String, String)> = all(&root, ".bar-list a")
        .iter()
        .map(|a| {
            (
                a.text_content().unwrap_or_default(),
                a.get_attribute("href").unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        links,
        [
            ("platform".to_owned(), "/cost?team=platform".to_owned()),
            ("payments".to_owned(), "/cost?team=payments".to_owned())
        ],
        "the two largest, linked"
    );
}
