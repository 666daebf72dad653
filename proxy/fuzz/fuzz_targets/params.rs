//! Parameter parsing and every endpoint's checks: any bytes as URL query and form body
//! must give parameters or a clean error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vantage_proxy::params::Params;
use vantage_proxy::params::agent::agent_name;
use vantage_proxy::params::prometheus::{self, Limits};

const LIMITS: Limits = Limits {
    max_range_s: 32.0 * 86_400.0,
    freshness_s: 300.0,
    now_s: 1_700_000_000.0,
};

fuzz_target!(|data: &[u8]| {
    // The first 0xff byte (if any) splits the URL query from the body.
    let (query, body) = match data.iter().position(|b| *b == 0xff) {
        Some(at) => (&data[..at], &data[at + 1..]),
        None => (data, &[][..]),
    };
    let Ok(query) = std::str::from_utf8(query) else {
        return;
    };
    let _ = agent_name(query);
    let form = Some("application/x-www-form-urlencoded");
    let Ok(params) = Params::parse(Some(query), form, body) else {
        return;
    };
    let _ = prometheus::query_range(&params, &LIMITS);
    let _ = prometheus::query(&params, &LIMITS);
    let _ = prometheus::labels(&params);
    let _ = prometheus::series(&params);
    let _ = prometheus::metadata(&params);
    let _ = prometheus::rules(&params);
    if let Ok(Some(name)) = params.one("name") {
        let _ = prometheus::label_values(name, &params);
    }
});
