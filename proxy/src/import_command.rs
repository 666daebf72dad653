//! `vantage-proxy import-grafana [--out DIR] FILE...`: each Grafana dashboard JSON file
//! becomes one dashboard file in DIR, named from the dashboard's title or uid, with a
//! short report. A file that cannot be read or converted is an error naming it (with
//! the line and column for JSON); the others are still converted.

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Converts `files` into `out`; `true` when every file was converted and written.
pub fn run(out: &Path, files: &[PathBuf], stdout: &mut dyn Write, stderr: &mut dyn Write) -> bool {
    if let Err(err) = std::fs::create_dir_all(out) {
        let _ = writeln!(
            stderr,
            "{}: cannot create the directory: {err}",
            out.display()
        );
        return false;
    }
    let mut written: HashSet<String> = HashSet::new();
    let mut all_ok = true;
    for file in files {
        match convert_one(file, out, &mut written) {
            Ok(report) => {
                let _ = write!(stdout, "{report}");
            }
            Err(message) => {
                all_ok = false;
                let _ = writeln!(stderr, "{}: {message}", file.display());
            }
        }
    }
    all_ok
}

/// Converts one file; its report, or why it failed.
fn convert_one(file: &Path, out: &Path, written: &mut HashSet<String>) -> Result<String, String> {
    let text = std::fs::read_to_string(file).map_err(|e| format!("cannot read: {e}"))?;
    let hint = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let conversion = vantage_import::convert_grafana(&text, &hint).map_err(|e| e.to_string())?;
    // Two inputs of one run with the same name both survive: the second gets a number.
    let base = conversion.dashboard.id.clone();
    let mut name = conversion.file_name();
    let mut n = 2;
    while !written.insert(name.clone()) {
        name = format!("{base}-{n}.toml");
        n += 1;
    }
    let target = out.join(&name);
    std::fs::write(&target, &conversion.toml)
        .map_err(|e| format!("cannot write {}: {e}", target.display()))?;
    Ok(vantage_import::format_report(
        &file.display().to_string(),
        &target.display().to_string(),
        &conversion.report,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_the_good_files_and_names_the_bad_ones() {
        let dir = std::env::temp_dir().join(format!("vantage-import-cli-{}", std::process::id()));
        let out = dir.join("out");
        std::fs::create_dir_all(&dir).expect("dir");
        let good =
            r#"{"title":"Web","panels":[{"type":"stat","title":"Up","targets":[{"expr":"up"}]}]}"#;
        std::fs::write(dir.join("a.json"), good).expect("write");
        std::fs::write(dir.join("b.json"), good).expect("write");
        std::fs::write(dir.join("bad.json"), "{\n  \"title\": \"x\",\n  oops\n}").expect("write");
        std::fs::write(dir.join("list.json"), "[]").expect("write");
        let files: Vec<PathBuf> = ["a.json", "bad.json", "b.json", "list.json", "missing.json"]
            .iter()
            .map(|f| dir.join(f))
            .collect();
        let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
        let ok = run(&out, &files, &mut stdout, &mut stderr);
        let (stdout, stderr) = (
            String::from_utf8_lossy(&stdout).into_owned(),
            String::from_utf8_lossy(&stderr).into_owned(),
        );
        let mut names: Vec<String> = std::fs::read_dir(&out)
            .expect("out")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        let _ = std::fs::remove_dir_all(&dir);
        assert!(!ok);
        assert_eq!(names, ["web-2.toml", "web.toml"]);
        assert!(stdout.contains("a.json -> "), "{stdout}");
        assert!(stdout.contains("1 carried over"), "{stdout}");
        assert!(
            stderr.contains("bad.json: invalid JSON at line 3, column 3"),
            "{stderr}"
        );
        assert!(
            stderr.contains("list.json: not a Grafana dashboard"),
            "{stderr}"
        );
        assert!(stderr.contains("missing.json: cannot read"), "{stderr}");
    }
}
