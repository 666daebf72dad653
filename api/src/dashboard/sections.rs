//! A dashboard's panels grouped under their rows: a row owns the panels up to the next
//! one. The console's grid draws them so (a folded row creates its panels only once
//! opened), and the first-view planner reads which panels the grid creates at first.

use crate::dashboard::{Panel, PanelKind};

/// A row and the panels it owns (no row for the panels before the first one).
#[derive(Debug, Clone)]
pub struct Section {
    pub row: Option<Panel>,
    pub panels: Vec<Panel>,
}

/// The sections in reading order; a row without panels is still one.
pub fn sections(panels: &[Panel]) -> Vec<Section> {
    let mut out = vec![Section {
        row: None,
        panels: Vec::new(),
    }];
    for panel in panels {
        if panel.kind == PanelKind::Row {
            out.push(Section {
                row: Some(panel.clone()),
                panels: Vec::new(),
            });
        } else if let Some(last) = out.last_mut() {
            last.panels.push(panel.clone());
        }
    }
    out.retain(|s| s.row.is_some() || !s.panels.is_empty());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_own_the_panels_up_to_the_next_row() {
        let panels: Vec<Panel> = serde_json::from_str(
            r#"[{"id":"a","title":"A","type":"stat","query":"up"},
                {"id":"r1","title":"R1","type":"row"},
                {"id":"b","title":"B","type":"stat","query":"up"},
                {"id":"c","title":"C","type":"stat","query":"up"},
                {"id":"r2","title":"R2","type":"row","collapsed":true}]"#,
        )
        .expect("panels");
        let found = sections(&panels);
        let shape: Vec<(Option<&str>, usize)> = found
            .iter()
            .map(|s| (s.row.as_ref().map(|r| r.id.as_str()), s.panels.len()))
            .collect();
        assert_eq!(shape, [(None, 1), (Some("r1"), 2), (Some("r2"), 0)]);
    }
}
