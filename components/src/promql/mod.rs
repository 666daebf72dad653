//! PromQL in the browser: a tokenizer that classifies what it reads, the completion
//! context at a cursor, ranked suggestions, the function table and highlighting.
//! Pure functions over text, tested natively.

pub mod complete;
pub mod context;
pub mod functions;
pub mod highlight;
pub mod lexer;
pub mod text;
