//! Converts every `*.json` under a directory and measures the result: whether each file
//! converts, how many panels became a real kind (not a placeholder), and whether every
//! output validates and reads back the same from its TOML.
//!
//! `cargo run -p vantage-import --example measure -- DIR [--show NAME]`

#![allow(clippy::print_stdout)]

use std::path::PathBuf;
use vantage_api::dashboard::validate::validate;
use vantage_api::dashboard::{Dashboard, PanelKind};

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().unwrap_or_else(|| ".".to_owned()));
    let show = match (args.next().as_deref(), args.next()) {
        (Some("--show"), Some(name)) => Some(name),
        _ => None,
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|entries| entries.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == "json"));
    files.sort();
    let (mut all_panels, mut all_real, mut failures) = (0, 0, 0);
    println!(
        "| dashboard | panels | real kind | carried | approximately | dropped | valid | round trip |"
    );
    println!("|---|---:|---:|---:|---:|---:|---|---|");
    for path in files {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let result = std::panic::catch_unwind(|| vantage_import::convert_grafana(&text, &name));
        let conversion = match result {
            Ok(Ok(c)) => c,
            Ok(Err(e)) => {
                println!("| {name} | error: {e} | | | | | | |");
                failures += 1;
                continue;
            }
            Err(_) => {
                println!("| {name} | PANIC | | | | | | |");
                failures += 1;
                continue;
            }
        };
        let d = &conversion.dashboard;
        let panels = d.panels.iter().filter(|p| p.kind != PanelKind::Row).count();
        let real = d
            .panels
            .iter()
            .filter(|p| !matches!(p.kind, PanelKind::Row | PanelKind::Placeholder))
            .count();
        let valid = validate(d).is_empty();
        let round_trip = toml::from_str::<Dashboard>(&conversion.toml)
            .map(|mut back| {
                back.id = d.id.clone();
                back == *d
            })
            .unwrap_or(false);
        if !valid || !round_trip {
            failures += 1;
        }
        all_panels += panels;
        all_real += real;
        let r = &conversion.report;
        println!(
            "| {name} | {panels} | {real} | {} | {} | {} | {} | {} |",
            r.carried.len(),
            r.approximate.len(),
            r.dropped.len(),
            if valid { "yes" } else { "NO" },
            if round_trip { "yes" } else { "NO" }
        );
        if show.as_deref() == Some(name.as_str()) {
            println!(
                "{}",
                vantage_import::format_report(&name, &conversion.file_name(), r)
            );
            println!("{}", conversion.toml);
            for p in validate(d) {
                println!("problem: {p}");
            }
        }
    }
    let share = if all_panels == 0 {
        100.0
    } else {
        all_real as f64 * 100.0 / all_panels as f64
    };
    println!(
        "\n{all_real} of {all_panels} panels a real kind ({share:.1} %); {failures} files failed"
    );
}
