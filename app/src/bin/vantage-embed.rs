//! Entry point of the lean bundle the proxy serves for `/embed/*`: one panel, without the
//! console's pages, pickers, share dialog, editor or live pages.

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(vantage_app::EmbedApp);
}
