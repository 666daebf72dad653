//! Widgets with no knowledge of routes: charts, tables, stats. Each widget's CSS sits
//! beside it and is linked from the app's `index.html`.

pub mod bar_list;
pub mod chart_theme;
pub mod data_table;
pub mod decimate;
pub mod palette;
pub mod stat_value;
pub mod time_axis;
pub mod time_range_picker;
pub mod time_series_chart;
mod time_coord;
mod time_series_draw;
