//! Widgets with no knowledge of routes: charts, tables, stats, pickers. Each widget's
//! CSS sits beside it and is linked from the app's `index.html`.

pub mod bar_list;
pub mod canvas_redraw;
pub mod chart_theme;
pub mod data_table;
pub mod decimate;
pub mod heatmap;
pub mod palette;
pub mod refresh_picker;
pub mod series;
pub mod sparkline;
pub mod stat_value;
pub mod state_grid;
pub mod time_axis;
mod time_coord;
pub mod time_range_picker;
pub mod time_series_chart;
mod time_series_draw;
pub mod variable_picker;
