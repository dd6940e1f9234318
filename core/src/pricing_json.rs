//! Reading the JSON form of a policy with errors that name the field, e.g. `promos[2].discount`.
//!
//! serde reports what is wrong and where in the text, not which field. On failure (only), the
//! document is searched for the culprit without knowing its schema: a field or array element is
//! the culprit when removing it makes the error go away or turns it into "missing field" for that
//! very field. The search descends from the root and stops where no single child is to blame.

use crate::PricingError;
use crate::PricingRules;
use crate::pricing_adjustment::invalid;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Largest JSON policy, in bytes: far above any real policy (256 promos fit in ~64 KiB).
pub const POLICY_JSON_BYTES_MAX: usize = 1 << 20;
/// Deepest field path the error search follows; policies nest four levels at most.
const PATH_DEPTH_MAX: usize = 8;
/// The field reported for errors of the document as a whole (syntax, size, not an object).
const ROOT_FIELD: &str = "policy";

/// One step of a field path.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Key(String),
    Index(usize),
}

/// Parses the rules, with the culprit field in any error. Does not validate values.
pub(crate) fn parse_rules(json: &str) -> Result<PricingRules, PricingError> {
    if json.len() > POLICY_JSON_BYTES_MAX {
        return Err(invalid(ROOT_FIELD, format!("JSON is over {POLICY_JSON_BYTES_MAX} bytes")));
    }
    parse::<PricingRules>(json)
}

fn parse<T: DeserializeOwned>(json: &str) -> Result<T, PricingError> {
    let err = match serde_json::from_str::<T>(json) {
        Ok(v) => return Ok(v),
        Err(e) => e,
    };
    let value = match serde_json::from_str::<Value>(json) {
        Ok(v) if !err.is_syntax() && !err.is_eof() => v,
        _ => return Err(invalid(ROOT_FIELD, err.to_string())),
    };
    let mut path = culprit_path::<T>(&value);
    name_the_field(&value, &mut path, &err.to_string());
    let field = format_path(&path);
    Err(invalid(if field.is_empty() { ROOT_FIELD.to_string() } else { field }, err.to_string()))
}

/// Completes `path` with the field serde names: an absent required field cannot be removed to
/// prove its guilt, and an unknown field beside a missing one (or inside a tagged enum) does not
/// clear the error when removed.
fn name_the_field(root: &Value, path: &mut Vec<Segment>, message: &str) {
    let holds = |path: &[Segment], name: &str| lookup(root, path).is_some_and(|v| v.get(name).is_some());
    let is_object = |path: &[Segment]| lookup(root, path).is_some_and(Value::is_object);
    if let Some(name) = quoted_after(message, "unknown field `") {
        while !path.is_empty() && !holds(path, name) {
            path.pop();
        }
        path.push(Segment::Key(name.to_string()));
    } else if let Some(name) = quoted_after(message, "missing field `") {
        while !path.is_empty() && !is_object(path) {
            path.pop();
        }
        path.push(Segment::Key(name.to_string()));
    }
}

/// The deepest path whose removal alone makes `T` parse (or only miss that field).
fn culprit_path<T: DeserializeOwned>(root: &Value) -> Vec<Segment> {
    let mut path = Vec::new();
    'descend: while path.len() < PATH_DEPTH_MAX {
        let Some(node) = lookup(root, &path) else { break };
        for child in children(node) {
            let mut candidate = root.clone();
            remove(&mut candidate, &path, &child);
            let guilty = match serde_json::from_value::<T>(candidate) {
                Ok(_) => true,
                Err(e) => {
                    let missing = quoted_after(&e.to_string(), "missing field `").map(str::to_string);
                    matches!((&child, missing), (Segment::Key(k), Some(m)) if *k == m)
                }
            };
            if guilty {
                path.push(child);
                continue 'descend;
            }
        }
        break;
    }
    path
}

fn children(node: &Value) -> Vec<Segment> {
    match node {
        Value::Object(map) => map.keys().cloned().map(Segment::Key).collect(),
        Value::Array(items) => (0..items.len()).map(Segment::Index).collect(),
        _ => Vec::new(),
    }
}

fn lookup<'v>(root: &'v Value, path: &[Segment]) -> Option<&'v Value> {
    path.iter().try_fold(root, |node, seg| match seg {
        Segment::Key(k) => node.get(k),
        Segment::Index(i) => node.get(i),
    })
}

fn remove(root: &mut Value, path: &[Segment], child: &Segment) {
    let node = path.iter().try_fold(root, |node, seg| match seg {
        Segment::Key(k) => node.get_mut(k),
        Segment::Index(i) => node.get_mut(i),
    });
    match (node, child) {
        (Some(Value::Object(map)), Segment::Key(k)) => {
            map.remove(k);
        }
        (Some(Value::Array(items)), Segment::Index(i)) if *i < items.len() => {
            items.remove(*i);
        }
        _ => {}
    }
}

/// The field name in serde messages such as "missing field `name`" (`prefix` ends in a backtick).
fn quoted_after<'m>(message: &'m str, prefix: &str) -> Option<&'m str> {
    let rest = message.strip_prefix(prefix)?;
    rest.split_once('`').map(|(name, _)| name)
}

/// `promos[2].discount` style.
fn format_path(path: &[Segment]) -> String {
    let mut out = String::new();
    for seg in path {
        match seg {
            Segment::Key(k) if out.is_empty() => out.push_str(k),
            Segment::Key(k) => {
                out.push('.');
                out.push_str(k);
            }
            Segment::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}
