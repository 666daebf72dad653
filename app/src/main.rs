//! Entry point of the console in the browser.

fn main() {
    vantage_app::mark("vantage:start");
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(vantage_app::App);
}
