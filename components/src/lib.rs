//! Widgets with no knowledge of routes: charts, tables, stats, pickers. Each widget's
//! CSS sits beside it and is linked from the app's `index.html`.

pub mod annotation_bands;
pub mod annotation_layer;
pub mod bar_list;
pub mod canvas_redraw;
pub mod chart_keys;
pub mod chart_table;
pub mod chart_theme;
pub mod colour;
pub mod data_table;
pub mod decimate;
pub mod dialog_focus;
pub mod download;
pub mod explain_tree;
mod filter_input;
pub mod forecast_chart;
pub mod gauge;
pub mod heatmap;
pub mod inspector;
pub mod live_rows;
pub mod live_table;
pub mod markdown;
pub mod markdown_text;
pub mod palette;
pub mod panel_menu;
pub mod promql;
pub mod promql_editor;
pub mod refresh_picker;
mod row_chart;
pub mod series;
pub mod share_dialog;
mod sort_header;
pub mod sparkline;
pub mod stat_value;
pub mod state_grid;
pub mod time_axis;
mod time_coord;
pub mod time_range_picker;
pub mod time_series_chart;
mod time_series_draw;
pub mod value_text;
/// The chart drawing without the widget around it: sizes a canvas to its CSS box and draws
/// series on it (M4 decimation, plotters). Used by the console benchmarks.
pub use time_coord::FixedTicks;
pub use time_series_draw::{DrawInput, PlotArea, draw as draw_time_series, y_range};
pub mod variable_picker;
pub mod variable_textbox;
