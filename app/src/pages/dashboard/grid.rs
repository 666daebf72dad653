//! The dashboard's grid: panels in reading order, grouped under their rows. A row owns
//! the panels up to the next row and folds them away on click (or Enter/Space on its
//! header); a folded row's panels are not even created, so they query nothing until
//! it opens. A panel or row with `repeat` is shown once per selected value of that
//! variable, each copy with the variable set to its value.

use super::env::DashboardEnv;
use super::panel_view::{PanelView, span_class};
use super::variables::VariableState;
use leptos::prelude::*;
use std::collections::BTreeMap;
use std::sync::Arc;
use vantage_api::dashboard::expand::{Selection, display_text};
use vantage_api::dashboard::sections::{Section, sections};
use vantage_api::dashboard::{Panel, PanelKind, RepeatDirection};
use vantage_components::panel_menu::MenuItem;

/// Builds a panel's header menu (View, Explore, Share; the panel adds Inspect).
pub type Actions = Arc<dyn Fn(&Panel) -> Vec<MenuItem> + Send + Sync>;

/// What the grid needs besides the panels.
#[derive(Clone)]
pub struct GridCtx {
    /// Every variable's state by name, for the values a repeat runs over.
    pub variables: Arc<BTreeMap<String, VariableState>>,
    pub actions: Actions,
}

/// The values a repeat over `name` runs over: the selected ones, or every option for
/// "All".
fn repeat_values(ctx: &GridCtx, env: DashboardEnv, name: &str) -> Memo<Vec<String>> {
    let state = ctx.variables.get(name).copied();
    let name = name.to_owned();
    Memo::new(move |_| {
        let chosen = env
            .selections
            .with(|s| s.as_ref().and_then(|s| s.get(&name).cloned()));
        match chosen {
            Some(Selection::Values(values)) => values,
            Some(Selection::All) => state
                .and_then(|s| s.options.get())
                .unwrap_or_default()
                .into_iter()
                .map(|o| o.value)
                .collect(),
            None => Vec::new(),
        }
    })
}

/// The dashboard's panels (or only the focused one).
#[component]
pub fn DashboardGrid(
    panels: Arc<Vec<Panel>>,
    ctx: GridCtx,
    /// The panel shown alone, if any.
    #[prop(into)]
    focused: Signal<Option<String>>,
) -> impl IntoView {
    let all = sections(&panels);
    move || match focused.get() {
        Some(id) => panels
            .iter()
            .find(|p| p.id == id && p.kind != PanelKind::Row)
            .map(|p| view! { <PanelView panel=p.clone() menu=(ctx.actions)(p)/> })
            .into_any(),
        None => all
            .iter()
            .map(|section| section_view(section.clone(), ctx.clone()))
            .collect_view()
            .into_any(),
    }
}

fn section_view(section: Section, ctx: GridCtx) -> AnyView {
    let env = expect_context::<DashboardEnv>();
    match section.row.clone() {
        Some(row) if row.repeat.is_some() => {
            let name = row.repeat.clone().unwrap_or_default();
            let values = repeat_values(&ctx, env, &name);
            let copy = move |value: String| {
                let (section, ctx) = (section.clone(), ctx.clone());
                view! { <Scoped name=name.clone() value=value>{row_view(section, ctx)}</Scoped> }
            };
            view! { <For each=move || values.get() key=|v| v.clone() children=copy/> }.into_any()
        }
        Some(_) => row_view(section, ctx),
        None => panels_view(section.panels, ctx),
    }
}

/// A row's header and, while it is open, its panels.
fn row_view(section: Section, ctx: GridCtx) -> AnyView {
    let Some(row) = section.row else {
        return ().into_any();
    };
    let env = expect_context::<DashboardEnv>();
    let open = RwSignal::new(!row.collapsed);
    let count = section.panels.len();
    let title = {
        let title = row.title.clone();
        move || match env.selections.get() {
            Some(chosen) => display_text(&title, &chosen),
            None => title.clone(),
        }
    };
    let panels = section.panels;
    view! {
        <div class="grid-row span-12" id=format!("row-{}", row.id) data-panel=row.id.clone()>
            <h2>
                <button type="button" class="grid-row__toggle"
                    aria-expanded=move || open.get().to_string()
                    on:click=move |_| open.update(|o| *o = !*o)>
                    <span class="grid-row__chevron" aria-hidden="true">{move || if open.get() { "▾" } else { "▸" }}</span>
                    {title}
                </button>
                {move || (!open.get()).then(|| view! {
                    <span class="grid-row__count">{format!("{count} panel{}", if count == 1 { "" } else { "s" })}</span>
                })}
            </h2>
        </div>
        <Show when=move || open.get()>
            {panels_view(panels.clone(), ctx.clone())}
        </Show>
    }
    .into_any()
}

fn panels_view(panels: Vec<Panel>, ctx: GridCtx) -> AnyView {
    panels
        .into_iter()
        .map(|panel| match panel.repeat.clone() {
            Some(name) => repeated_view(panel, name, ctx.clone()),
            None => {
                view! { <PanelView panel=panel.clone() menu=(ctx.actions)(&panel)/> }.into_any()
            }
        })
        .collect_view()
        .into_any()
}

/// A repeated panel: one copy per value, side by side (as wide as fits `max_per_row`,
/// four by default) or one under another at the panel's width.
fn repeated_view(panel: Panel, name: String, ctx: GridCtx) -> AnyView {
    let env = expect_context::<DashboardEnv>();
    let values = repeat_values(&ctx, env, &name);
    let vertical = panel.repeat_direction == Some(RepeatDirection::Vertical);
    let per_row = u32::from(panel.max_per_row.unwrap_or(4).max(1));
    let width = panel.width;
    let copies = move || {
        let values = values.get();
        let n = values.len().max(1) as u32;
        let copy_width = if vertical {
            12
        } else {
            (12 / n).max(12 / per_row).clamp(1, 12) as u8
        };
        values
            .into_iter()
            .map(|value| {
                let copy = Panel {
                    width: copy_width,
                    ..panel.clone()
                };
                let actions = (ctx.actions)(&copy);
                view! {
                    <Scoped name=name.clone() value=value>
                        <PanelView panel=copy.clone() menu=actions.clone()/>
                    </Scoped>
                }
            })
            .collect_view()
    };
    if vertical {
        view! { <div class=format!("{} repeat--vertical", span_class(width))>{copies}</div> }
            .into_any()
    } else {
        copies.into_any()
    }
}

/// Its children see the dashboard with variable `name` set to `value`.
#[component]
fn Scoped(name: String, value: String, children: Children) -> impl IntoView {
    let env = expect_context::<DashboardEnv>();
    let selections = Memo::new(move |_| {
        env.selections.get().map(|mut chosen| {
            chosen.insert(name.clone(), Selection::Values(vec![value.clone()]));
            chosen
        })
    });
    provide_context(DashboardEnv { selections, ..env });
    children()
}
