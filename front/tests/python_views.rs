//! The Python binding's view classes (`booking_core/_views.py`) are generated from the views'
//! schemas, so that Python hands out the very shapes every other front does. This test fails
//! when the committed file is not what the schemas give now; to write it again, run
//! `BOOKING_BLESS=1 cargo test -p booking-front --test python_views`.

use serde_json::Value;
use std::fmt::Write as _;
use std::path::PathBuf;
use utoipa::openapi::{RefOr, Schema};

/// Where the generated module lives.
fn target() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../bindings/python/python/booking_core/_views.py")
}

/// The first paragraph of a description, without the code examples meant for Rust readers.
fn summary(schema: &Value) -> String {
    let text = schema.get("description").and_then(Value::as_str).unwrap_or("");
    let text = text.split("```").next().unwrap_or("").trim();
    let text = text.replace("\n\n", "\u{0}").replace('\n', " ").replace('\u{0}', "\n\n");
    text.replace("[`", "`").replace("`]", "`").replace('\\', "\\\\").replace("\"\"\"", "'''")
}

/// A field's name in Python: a keyword gets a trailing `_` (`from` is `from_`), as PEP 8 says.
fn py_name(field: &str) -> String {
    const KEYWORDS: [&str; 6] = ["from", "class", "def", "global", "import", "type"];
    if KEYWORDS.contains(&field) { format!("{field}_") } else { field.to_string() }
}

/// A field's type as Python annotates it, and the expression that converts its JSON `v`.
struct PyType {
    annotation: String,
    convert: Box<dyn Fn(&str) -> String>,
}

fn ref_name(schema: &Value) -> Option<&str> {
    schema.get("$ref")?.as_str()?.rsplit('/').next()
}

fn py_type(schema: &Value, enums: &[String]) -> PyType {
    if let Some(name) = ref_name(schema) {
        let name = name.to_string();
        return match name.as_str() {
            "Instant" => {
                PyType { annotation: "datetime".into(), convert: Box::new(|v| format!("_instant({v})")) }
            }
            n if enums.iter().any(|e| e == n) => {
                let n = name.clone();
                PyType { annotation: name, convert: Box::new(move |v| format!("cast({n}, str({v}))")) }
            }
            _ => {
                let n = name.clone();
                PyType { annotation: name, convert: Box::new(move |v| format!("{n}.from_json({v})")) }
            }
        };
    }
    if let Some(options) = schema.get("oneOf").and_then(Value::as_array) {
        let inner = options.iter().find(|o| o.get("type") != Some(&Value::from("null")));
        return optional(py_type(inner.unwrap_or(&Value::Null), enums));
    }
    match schema.get("type") {
        Some(Value::Array(types)) if types.contains(&Value::from("null")) => {
            let one = types.iter().find(|t| *t != "null").cloned().unwrap_or(Value::Null);
            let mut plain = schema.clone();
            plain["type"] = one;
            optional(py_type(&plain, enums))
        }
        Some(Value::String(t)) => match t.as_str() {
            "integer" => PyType { annotation: "int".into(), convert: Box::new(|v| format!("int({v})")) },
            "number" => PyType { annotation: "float".into(), convert: Box::new(|v| format!("float({v})")) },
            "boolean" => PyType { annotation: "bool".into(), convert: Box::new(|v| format!("bool({v})")) },
            "string" => PyType { annotation: "str".into(), convert: Box::new(|v| format!("str({v})")) },
            "array" => {
                let item = py_type(schema.get("items").unwrap_or(&Value::Null), enums);
                let convert = item.convert;
                PyType {
                    annotation: format!("Tuple[{}, ...]", item.annotation),
                    convert: Box::new(move |v| format!("tuple({} for x in {v})", convert("x"))),
                }
            }
            _ => PyType { annotation: "Dict[str, Any]".into(), convert: Box::new(|v| format!("dict({v})")) },
        },
        _ => PyType { annotation: "Any".into(), convert: Box::new(|v| v.to_string()) },
    }
}

/// `Optional[T]`: a field read as `self._j["f"]` is tested with `self._j.get("f")`, which a
/// field left out of the JSON passes too.
fn optional(t: PyType) -> PyType {
    let convert = t.convert;
    PyType {
        annotation: format!("Optional[{}]", t.annotation),
        convert: Box::new(move |v| {
            let test = match v.strip_prefix("self._j[").and_then(|f| f.strip_suffix(']')) {
                Some(field) => format!("self._j.get({field})"),
                None => v.to_string(),
            };
            format!("None if {test} is None else {}", convert(v))
        }),
    }
}

/// The module's source, from the views' schemas.
fn generate() -> String {
    // The fields in declaration order: utoipa keeps it, a JSON value would sort them.
    let schemas: Vec<(String, Value, Vec<String>)> = booking_front::schemas()
        .into_iter()
        .map(|(name, s)| {
            let order = match &s {
                RefOr::T(Schema::Object(o)) => o.properties.keys().cloned().collect(),
                _ => Vec::new(),
            };
            (name, serde_json::to_value(s).unwrap_or(Value::Null), order)
        })
        .collect();
    let enums: Vec<String> =
        schemas.iter().filter(|(_, s, _)| s.get("enum").is_some()).map(|(n, _, _)| n.clone()).collect();
    let mut out = String::from(HEADER);
    for (name, s, order) in &schemas {
        if name == "Instant" || name == "Error" {
            continue;
        }
        if let Some(values) = s.get("enum").and_then(Value::as_array) {
            let values: Vec<String> =
                values.iter().filter_map(Value::as_str).map(|v| format!("{v:?}")).collect();
            let _ = write!(out, "\n\n{name} = Literal[{}]\n\"\"\"{}\"\"\"\n", values.join(", "), summary(s));
            continue;
        }
        let props = s.get("properties").and_then(Value::as_object).cloned().unwrap_or_default();
        let required: Vec<&str> = s
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let names: Vec<String> = order.iter().map(|f| format!("{:?}", py_name(f))).collect();
        let _ = write!(
            out,
            "\n\nclass {name}(_View):\n    \"\"\"{}\"\"\"\n\n    __slots__ = ()\n    _fields = ({},)\n",
            summary(s),
            names.join(", ")
        );
        for field in order {
            let p = props.get(field).unwrap_or(&Value::Null);
            let t = py_type(p, &enums);
            debug_assert!(required.contains(&field.as_str()) || t.annotation.starts_with("Optional["));
            let value = format!("self._j[{field:?}]");
            let _ = write!(
                out,
                "\n    @property\n    def {}(self) -> {}:\n        \"\"\"{}\"\"\"\n        return {}\n",
                py_name(field),
                t.annotation,
                summary(p),
                (t.convert)(&value)
            );
        }
        let _ = write!(
            out,
            "\n    @staticmethod\n    def from_json(j: Any) -> {name}:\n        \"\"\"The view of its JSON form (a mapping, read when a field is).\"\"\"\n        return {name}(j)\n"
        );
    }
    out
}

/// What every generated module starts with: its docstring and the base of every view.
const HEADER: &str = r#""""The views every front hands out (booking-front's one front model).

Generated from the views' schemas by `front/tests/python_views.rs`; do not edit by hand
(`BOOKING_BLESS=1 cargo test -p booking-front --test python_views` writes it again). A view reads
its JSON form (a mapping, or the engine's native view) when a field is asked for, so that a rush
that only reads a hold's id never builds its quote. Views are immutable, equal when their JSON
forms are, and hashable. Times are timezone-aware `datetime`s in UTC; money is exact integer
minor units with its currency's exponent; ids are ints; seats are labels.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any, Dict, Literal, Optional, Tuple, cast


def _instant(text: Any) -> datetime:
    """An RFC 3339 instant with its offset (`2026-11-27T21:00:00.000Z`) as an aware datetime."""
    return datetime.fromisoformat(str(text).replace("Z", "+00:00")).astimezone(timezone.utc)


class _View:
    """The base of every view: its JSON form, read field by field."""

    __slots__ = ("_j",)
    _j: Any
    _fields: Tuple[str, ...] = ()

    def __init__(self, j: Any) -> None:
        object.__setattr__(self, "_j", j)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only")

    def to_json(self) -> Dict[str, Any]:
        """The view's JSON form, as plain dicts and lists."""
        j = self._j
        return dict(j.to_dict() if hasattr(j, "to_dict") else j)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _View) and type(other) is type(self) and self.to_json() == other.to_json()

    def __hash__(self) -> int:
        return hash(json.dumps(self.to_json(), sort_keys=True))

    def __repr__(self) -> str:
        fields = ", ".join(f"{f}={getattr(self, f)!r}" for f in self._fields)
        return f"{type(self).__name__}({fields})"
"#;

#[test]
fn the_python_views_are_generated_from_the_schemas() {
    let generated = generate();
    let path = target();
    if std::env::var_os("BOOKING_BLESS").is_some() {
        std::fs::write(&path, &generated).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "{} is not what the views' schemas give: run BOOKING_BLESS=1 cargo test -p booking-front --test python_views",
        path.display()
    );
}
