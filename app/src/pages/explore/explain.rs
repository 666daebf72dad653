//! Explain: the syntax tree the proxy answers (`/api/v1/parse_query`, in Prometheus'
//! shape) as a tree of nodes that each say what they do, with the PromQL of every
//! sub-expression so that it can be counted and run alone.

use serde_json::Value;
use vantage_api::duration::format_duration_ms;
use vantage_components::explain_tree::ExplainNode;
use vantage_components::promql::functions::{find, keyword_doc};

/// The value type of a node: `scalar`, `string`, `vector` or `matrix`.
pub fn value_type(node: &Value) -> &str {
    match text(node, "type") {
        "numberLiteral" => "scalar",
        "stringLiteral" => "string",
        "matrixSelector" | "subquery" => "matrix",
        "call" => node["func"]["returnType"].as_str().unwrap_or("vector"),
        "parenExpr" | "unaryExpr" => value_type(&node["expr"]),
        "binaryExpr"
            if value_type(&node["lhs"]) == "scalar" && value_type(&node["rhs"]) == "scalar" =>
        {
            "scalar"
        }
        _ => "vector",
    }
}

fn text<'a>(node: &'a Value, key: &str) -> &'a str {
    node[key].as_str().unwrap_or("")
}

fn strings(node: &Value) -> Vec<String> {
    node.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// A PromQL string literal.
fn quote(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            _ => out.push(c),
        }
    }
    out.push('"');
    out
}

fn duration(ms: &Value) -> String {
    format_duration_ms(ms.as_u64().unwrap_or(0))
}

fn matchers(node: &Value) -> Vec<String> {
    let name = text(node, "name");
    node["matchers"]
        .as_array()
        .map(|list| {
            list.iter()
                .filter(|m| {
                    !(text(m, "name") == "__name__"
                        && text(m, "type") == "="
                        && text(m, "value") == name)
                })
                .map(|m| {
                    format!(
                        "{}{}{}",
                        text(m, "name"),
                        text(m, "type"),
                        quote(text(m, "value"))
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// `name{matchers}` of a selector node.
fn selector(node: &Value) -> String {
    let list = matchers(node);
    let name = text(node, "name");
    if list.is_empty() && !name.is_empty() {
        name.to_owned()
    } else {
        format!("{name}{{{}}}", list.join(", "))
    }
}

/// ` offset 5m` and ` @ ...` of a node, when set.
fn modifiers(node: &Value) -> String {
    let mut out = String::new();
    if let Some(offset) = node["offset"].as_i64().filter(|o| *o != 0) {
        let sign = if offset < 0 { "-" } else { "" };
        out.push_str(&format!(
            " offset {sign}{}",
            format_duration_ms(offset.unsigned_abs())
        ));
    }
    match (node["startOrEnd"].as_str(), node["timestamp"].as_f64()) {
        (Some(which), _) => out.push_str(&format!(" @ {which}()")),
        (None, Some(ms)) => out.push_str(&format!(" @ {}", ms / 1000.0)),
        _ => {}
    }
    out
}

fn grouping(node: &Value) -> String {
    let labels = strings(&node["grouping"]);
    let without = node["without"].as_bool().unwrap_or(false);
    if without {
        format!(" without ({})", labels.join(", "))
    } else if labels.is_empty() {
        String::new()
    } else {
        format!(" by ({})", labels.join(", "))
    }
}

/// The operator of a binary node with its modifiers: `/ on (job) group_left (team)`.
fn operator(node: &Value) -> String {
    let mut out = text(node, "op").to_owned();
    if node["bool"].as_bool().unwrap_or(false) {
        out.push_str(" bool");
    }
    let matching = &node["matching"];
    if matching.is_object() {
        let labels = strings(&matching["labels"]);
        if matching["on"].as_bool().unwrap_or(false) {
            out.push_str(&format!(" on ({})", labels.join(", ")));
        } else if !labels.is_empty() {
            out.push_str(&format!(" ignoring ({})", labels.join(", ")));
        }
        let include = strings(&matching["include"]);
        let group = match text(matching, "card") {
            "many-to-one" => Some("group_left"),
            "one-to-many" => Some("group_right"),
            _ => None,
        };
        if let Some(group) = group {
            out.push(' ');
            out.push_str(group);
            if !include.is_empty() {
                out.push_str(&format!(" ({})", include.join(", ")));
            }
        }
    }
    out
}

/// The node as PromQL.
pub fn print(node: &Value) -> String {
    match text(node, "type") {
        "vectorSelector" => format!("{}{}", selector(node), modifiers(node)),
        "matrixSelector" => format!(
            "{}[{}]{}",
            selector(node),
            duration(&node["range"]),
            modifiers(node)
        ),
        "subquery" => {
            let step = node["step"]
                .as_u64()
                .filter(|s| *s > 0)
                .map(format_duration_ms);
            format!(
                "{}[{}:{}]{}",
                print(&node["expr"]),
                duration(&node["range"]),
                step.unwrap_or_default(),
                modifiers(node)
            )
        }
        "call" => {
            let args: Vec<String> = node["args"]
                .as_array()
                .map(|a| a.iter().map(print).collect())
                .unwrap_or_default();
            format!("{}({})", text(&node["func"], "name"), args.join(", "))
        }
        "aggregation" => {
            let param = match &node["param"] {
                Value::Null => String::new(),
                p => format!("{}, ", print(p)),
            };
            let grouping = grouping(node);
            let op = text(node, "op");
            let inner = print(&node["expr"]);
            if grouping.is_empty() {
                format!("{op}({param}{inner})")
            } else {
                format!("{op}{grouping} ({param}{inner})")
            }
        }
        "binaryExpr" => format!(
            "{} {} {}",
            print(&node["lhs"]),
            operator(node),
            print(&node["rhs"])
        ),
        "parenExpr" => format!("({})", print(&node["expr"])),
        "unaryExpr" => format!("{}{}", text(node, "op"), print(&node["expr"])),
        "numberLiteral" => node["val"]
            .as_str()
            .map(str::to_owned)
            .unwrap_or_else(|| node["val"].to_string()),
        "stringLiteral" => quote(text(node, "val")),
        _ => String::new(),
    }
}

/// What the matchers of a selector require, in words.
fn matcher_words(node: &Value) -> String {
    let list: Vec<String> = node["matchers"]
        .as_array()
        .map(|l| {
            l.iter()
                .filter(|m| text(m, "name") != "__name__")
                .map(|m| {
                    let how = match text(m, "type") {
                        "=" => "is",
                        "!=" => "is not",
                        "=~" => "matches",
                        _ => "does not match",
                    };
                    format!("{} {how} {}", text(m, "name"), quote(text(m, "value")))
                })
                .collect()
        })
        .unwrap_or_default();
    let name = text(node, "name");
    let mut out = if name.is_empty() {
        "Series".to_owned()
    } else {
        format!("Series named {name}")
    };
    if !list.is_empty() {
        out.push_str(" whose ");
        out.push_str(&list.join(" and "));
    }
    if let Some(offset) = node["offset"].as_i64().filter(|o| *o != 0) {
        out.push_str(&format!(
            ", as they were {} earlier",
            format_duration_ms(offset.unsigned_abs())
        ));
    }
    out
}

fn binary_words(node: &Value) -> String {
    let op = text(node, "op");
    let boolean = node["bool"].as_bool().unwrap_or(false);
    let mut out = match op {
        "+" => "Adds the right side to the left".to_owned(),
        "-" => "Subtracts the right side from the left".to_owned(),
        "*" => "Multiplies the two sides".to_owned(),
        "/" => "Divides the left side by the right".to_owned(),
        "%" => "The remainder of left divided by right".to_owned(),
        "^" => "The left side to the power of the right".to_owned(),
        "==" | "!=" | ">" | "<" | ">=" | "<=" if boolean => {
            format!("1 where left {op} right, else 0")
        }
        "==" | "!=" | ">" | "<" | ">=" | "<=" => {
            format!("Keeps the left samples where left {op} right")
        }
        other => keyword_doc(other)
            .map(|(_, doc)| doc.to_owned())
            .unwrap_or_else(|| format!("Binary operator {other}")),
    };
    let matching = &node["matching"];
    if !matching.is_object() {
        out.push_str(", sample by sample with the number");
        return out;
    }
    let labels = strings(&matching["labels"]).join(", ");
    if matching["on"].as_bool().unwrap_or(false) {
        out.push_str(&format!(", matching series on {labels}"));
    } else if !labels.is_empty() {
        out.push_str(&format!(", matching series on all labels but {labels}"));
    } else {
        out.push_str(", matching series with the same labels");
    }
    let include = strings(&matching["include"]).join(", ");
    let copied = if include.is_empty() {
        String::new()
    } else {
        format!(", copying {include} from the other side")
    };
    match text(matching, "card") {
        "many-to-one" => out.push_str(&format!("; many left series to one right series{copied}")),
        "one-to-many" => out.push_str(&format!("; one left series to many right series{copied}")),
        _ => {}
    }
    out
}

/// The node in words.
fn describe(node: &Value) -> String {
    match text(node, "type") {
        "vectorSelector" => matcher_words(node),
        "matrixSelector" => {
            let words = matcher_words(node);
            let mut chars = words.chars();
            let lowered: String = chars
                .next()
                .map(|c| c.to_ascii_lowercase())
                .into_iter()
                .chain(chars)
                .collect();
            format!(
                "The last {} of samples at each step, of {lowered}",
                duration(&node["range"])
            )
        }
        "subquery" => {
            let step = node["step"].as_u64().filter(|s| *s > 0);
            format!(
                "Evaluates the inner expression every {} over the last {}",
                step.map_or_else(|| "evaluation interval".to_owned(), format_duration_ms),
                duration(&node["range"])
            )
        }
        "call" => {
            let name = text(&node["func"], "name");
            find(name).map_or_else(|| format!("Function {name}"), |f| f.doc.to_owned())
        }
        "aggregation" => {
            let op = text(node, "op");
            let mut out = find(op).map_or_else(|| op.to_owned(), |f| f.doc.to_owned());
            let labels = strings(&node["grouping"]).join(", ");
            if node["without"].as_bool().unwrap_or(false) {
                out.push_str(&format!(", keeping every label but {labels}"));
            } else if labels.is_empty() {
                out.push_str(", into one series");
            } else {
                out.push_str(&format!(", one result per {labels}"));
            }
            out
        }
        "binaryExpr" => binary_words(node),
        "parenExpr" => "Groups the inner expression".to_owned(),
        "unaryExpr" => "Negates every value".to_owned(),
        "numberLiteral" => format!("The number {}", print(node)),
        "stringLiteral" => format!("The string {}", print(node)),
        other => other.to_owned(),
    }
}

/// The node's heading: the whole text for a leaf, the operation for the others.
fn title(node: &Value) -> String {
    match text(node, "type") {
        "aggregation" => {
            let param = match &node["param"] {
                Value::Null => String::new(),
                p => format!("({}, …)", print(p)),
            };
            format!("{}{}{param}", text(node, "op"), grouping(node))
        }
        "call" => format!("{}(…)", text(&node["func"], "name")),
        "binaryExpr" => operator(node),
        "parenExpr" => "( … )".to_owned(),
        "unaryExpr" => text(node, "op").to_owned(),
        "subquery" => {
            let step = node["step"]
                .as_u64()
                .filter(|s| *s > 0)
                .map(format_duration_ms);
            format!(
                "[{}:{}]",
                duration(&node["range"]),
                step.unwrap_or_default()
            )
        }
        _ => print(node),
    }
}

fn kind(node: &Value) -> &'static str {
    match text(node, "type") {
        "aggregation" => "aggregation",
        "call" => "function",
        "binaryExpr" => "binary operator",
        "vectorSelector" => "instant selector",
        "matrixSelector" => "range selector",
        "subquery" => "subquery",
        "parenExpr" => "parentheses",
        "unaryExpr" => "unary",
        "numberLiteral" => "number",
        "stringLiteral" => "string",
        _ => "node",
    }
}

fn children(node: &Value) -> Vec<&Value> {
    match text(node, "type") {
        "aggregation" => {
            let mut out = Vec::new();
            if !node["param"].is_null() {
                out.push(&node["param"]);
            }
            out.push(&node["expr"]);
            out
        }
        "call" => node["args"]
            .as_array()
            .map(|a| a.iter().collect())
            .unwrap_or_default(),
        "binaryExpr" => vec![&node["lhs"], &node["rhs"]],
        "parenExpr" | "unaryExpr" | "subquery" => vec![&node["expr"]],
        _ => Vec::new(),
    }
}

/// The tree of `node`.
pub fn build(node: &Value) -> ExplainNode {
    ExplainNode {
        title: title(node),
        kind: kind(node).to_owned(),
        description: describe(node),
        expr: print(node),
        children: children(node).into_iter().map(build).collect(),
    }
}

/// The query that counts a node's series at one instant, `None` for a scalar or a string.
pub fn count_query(node: &Value) -> Option<String> {
    match value_type(node) {
        "vector" => Some(format!("count({})", print(node))),
        "matrix" => Some(format!("count(last_over_time({}))", print(node))),
        _ => None,
    }
}

/// Every node of the tree with its count query, depth first.
pub fn count_queries(node: &Value, out: &mut Vec<(String, Option<String>)>) {
    out.push((print(node), count_query(node)));
    for child in children(node) {
        count_queries(child, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn selector(name: &str, matchers: Value) -> Value {
        json!({"type": "vectorSelector", "name": name, "matchers": matchers, "offset": 0, "startOrEnd": null, "timestamp": null})
    }

    /// `sum by (repository) (rate(orchestrator_cost_attribution{user!="bot"}[5m])) / on (repository) group_left (team) teams * 3600`
    fn tree() -> Value {
        let range = json!({"type": "matrixSelector", "name": "orchestrator_cost_attribution",
            "matchers": [{"type": "!=", "name": "user", "value": "bot"}], "offset": 0,
            "startOrEnd": null, "timestamp": null, "range": 300_000});
        let rate = json!({"type": "call", "func": {"name": "rate", "returnType": "vector"}, "args": [range]});
        let sum = json!({"type": "aggregation", "op": "sum", "expr": rate, "param": null,
            "grouping": ["repository"], "without": false});
        let divided = json!({"type": "binaryExpr", "op": "/", "lhs": sum, "rhs": selector("teams", json!([])),
            "bool": false, "matching": {"card": "many-to-one", "labels": ["repository"], "on": true, "include": ["team"]}});
        json!({"type": "binaryExpr", "op": "*", "lhs": divided, "rhs": {"type": "numberLiteral", "val": "3600"},
            "bool": false, "matching": null})
    }

    #[test]
    fn prints_every_node_back_as_promql() {
        let t = tree();
        assert_eq!(
            print(&t),
            "sum by (repository) (rate(orchestrator_cost_attribution{user!=\"bot\"}[5m])) / on (repository) group_left (team) teams * 3600"
        );
        let sub = json!({"type": "subquery", "expr": selector("x", json!([])), "range": 3_600_000, "step": 60_000,
            "offset": 300_000, "startOrEnd": null, "timestamp": null});
        assert_eq!(print(&sub), "x[1h:1m] offset 5m");
        let topk = json!({"type": "aggregation", "op": "topk", "param": {"type": "numberLiteral", "val": "5"},
            "expr": {"type": "parenExpr", "expr": selector("", json!([{"type": "=~", "name": "job", "value": "a\"b"}]))},
            "grouping": [], "without": false});
        assert_eq!(print(&topk), "topk(5, ({job=~\"a\\\"b\"}))");
        let named = selector(
            "up",
            json!([{"type": "=", "name": "__name__", "value": "up"}]),
        );
        assert_eq!(print(&named), "up");
    }

    #[test]
    fn nodes_say_what_they_do() {
        let root = build(&tree());
        assert_eq!(root.title, "*");
        assert_eq!(root.kind, "binary operator");
        assert!(
            root.description.starts_with("Multiplies"),
            "{}",
            root.description
        );
        let divided = &root.children[0];
        assert_eq!(divided.title, "/ on (repository) group_left (team)");
        assert!(
            divided
                .description
                .contains("matching series on repository")
                && divided.description.contains("copying team"),
            "{}",
            divided.description
        );
        let sum = &divided.children[0];
        assert_eq!(sum.title, "sum by (repository)");
        assert_eq!(
            sum.description,
            "Sum of the values across series, one result per repository"
        );
        let rate = &sum.children[0];
        assert_eq!(
            (rate.title.as_str(), rate.kind.as_str()),
            ("rate(…)", "function")
        );
        let range = &rate.children[0];
        assert_eq!(
            range.expr,
            "orchestrator_cost_attribution{user!=\"bot\"}[5m]"
        );
        assert!(
            range.description.contains("user is not \"bot\""),
            "{}",
            range.description
        );
        assert_eq!(root.children[1].title, "3600");
    }

    #[test]
    fn counts_vectors_and_ranges_but_not_numbers() {
        let mut all = Vec::new();
        count_queries(&tree(), &mut all);
        assert_eq!(all.len(), 7);
        assert_eq!(
            all[0].1.as_deref().map(|q| q.starts_with("count(sum by")),
            Some(true)
        );
        let range = all
            .iter()
            .find(|(e, _)| e.ends_with("[5m]"))
            .expect("range");
        assert_eq!(
            range.1.as_deref(),
            Some("count(last_over_time(orchestrator_cost_attribution{user!=\"bot\"}[5m]))")
        );
        assert_eq!(
            all.last().map(|(_, q)| q.clone()),
            Some(None),
            "3600 is a scalar"
        );
    }
}
