//! Decoding upstream answers: any bytes must be judged (valid answer or a message),
//! never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vantage_proxy::upstream::answer::{self, Expect};

fuzz_target!(|data: &[u8]| {
    let _ = answer::check(data);
    let _ = Expect::Json.check(data);
    let _ = answer::plausible_start(data);
    let _ = Expect::Json.plausible_start(data);
    let _ = answer::vector_label_values(data, "service");
});
