//! Where a document holds decimals, dates and instants, read from the JSON
//! Schema of its type: what a binding needs to turn native values into the
//! JSON format and back without a rule of its own (Python's `Decimal`,
//! `date` and `datetime`; a JS number refused where a decimal string is
//! required).
//!
//! A [`Shape`] is a tree of nodes; each node says what a JSON value at
//! that place may be: a [`Scalar`] kind for strings and numbers, the shape
//! of each property for objects, the shape of the items for arrays. The
//! branches of `anyOf` / `oneOf` (tagged enums, optional values) are
//! merged, so a binding walks a value and its shape together without
//! choosing a branch. The merge never has to guess: no document has a key
//! that is a decimal in one branch and another kind of string in another
//! (a test checks every document).

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use serde_json::Value;

use super::Operation;

/// What a JSON string or number at a place of a document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scalar {
    /// Nothing to convert: text, booleans, null, enum names.
    Plain,
    /// A whole number (`u32`, `usize`, …).
    Integer,
    /// A binary floating-point number (coordinates).
    Float,
    /// A decimal, written as a JSON string (`"1234.50"`); the format also
    /// reads exact JSON numbers, but bindings send strings.
    Decimal,
    /// A decimal written as a JSON number (INV-01's amounts).
    DecimalNumber,
    /// A calendar date (`2026-11-26`).
    Date,
    /// An instant with its offset (`2026-11-26T10:00:00+05:30`).
    DateTime,
    /// Branches disagree about the kind: treated as plain (a test keeps
    /// this from happening in any document).
    Conflict,
}

#[derive(Debug, Clone, Default)]
struct Node {
    scalar: Option<Scalar>,
    props: BTreeMap<String, usize>,
    additional: Option<usize>,
    items: Option<usize>,
}

/// The shape of one document type.
#[derive(Debug, Clone)]
pub struct Shape {
    nodes: Vec<Node>,
    root: usize,
}

/// A place in a [`Shape`].
#[derive(Debug, Clone, Copy)]
pub struct ShapeRef<'a> {
    shape: &'a Shape,
    node: usize,
}

impl<'a> ShapeRef<'a> {
    fn node(&self) -> Option<&'a Node> {
        self.shape.nodes.get(self.node)
    }

    /// The kind of a string or number here ([`Scalar::Plain`] when none).
    pub fn scalar(&self) -> Scalar {
        match self.node().and_then(|n| n.scalar) {
            Some(Scalar::Conflict) | None => Scalar::Plain,
            Some(s) => s,
        }
    }

    /// The shape of property `key` of an object here (its declared
    /// property, else the shape of a map's values).
    pub fn field(&self, key: &str) -> Option<ShapeRef<'a>> {
        let node = self.node()?;
        node.props
            .get(key)
            .or(node.additional.as_ref())
            .map(|&i| ShapeRef {
                shape: self.shape,
                node: i,
            })
    }

    /// The shape of the items of an array here.
    pub fn items(&self) -> Option<ShapeRef<'a>> {
        self.node()?.items.map(|i| ShapeRef {
            shape: self.shape,
            node: i,
        })
    }
}

impl Shape {
    /// The shape of a document described by `schema`.
    pub fn from_schema(schema: &schemars::Schema) -> Shape {
        let root_value = schema.as_value();
        let defs = root_value
            .get("$defs")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        let mut b = Builder {
            nodes: Vec::new(),
            defs,
            def_nodes: HashMap::new(),
            merged: HashMap::new(),
        };
        let root = b.build(root_value, 0);
        Shape {
            nodes: b.nodes,
            root,
        }
    }

    /// The root of the document.
    pub fn root(&self) -> ShapeRef<'_> {
        ShapeRef {
            shape: self,
            node: self.root,
        }
    }

    /// Whether some place has branches that disagree (see [`Scalar::Conflict`]).
    pub fn has_conflict(&self) -> bool {
        self.nodes
            .iter()
            .any(|n| n.scalar == Some(Scalar::Conflict))
    }
}

/// The deepest nesting of `anyOf` / `$ref` followed while building.
const MAX_DEPTH: usize = 256;

struct Builder {
    nodes: Vec<Node>,
    defs: serde_json::Map<String, Value>,
    def_nodes: HashMap<String, usize>,
    merged: HashMap<(usize, usize), usize>,
}

fn scalar_of(schema: &serde_json::Map<String, Value>) -> Option<Scalar> {
    let types: Vec<&str> = match schema.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    let has = |t: &str| types.contains(&t);
    let format = schema.get("format").and_then(Value::as_str);
    if has("string") && has("number") {
        return Some(Scalar::Decimal);
    }
    if has("number") {
        return Some(if format == Some("decimal") {
            Scalar::DecimalNumber
        } else {
            Scalar::Float
        });
    }
    if has("integer") {
        return Some(Scalar::Integer);
    }
    if has("string") {
        return Some(match format {
            Some("date") => Scalar::Date,
            Some("date-time") => Scalar::DateTime,
            _ => Scalar::Plain,
        });
    }
    None
}

fn merge_scalar(a: Option<Scalar>, b: Option<Scalar>) -> Option<Scalar> {
    match (a, b) {
        (None, x) | (x, None) => x,
        (Some(x), Some(y)) if x == y => Some(x),
        // An integer branch beside a decimal one (a count or an amount)
        // stays a decimal: the integer reads as one.
        (Some(Scalar::Integer), Some(Scalar::Decimal))
        | (Some(Scalar::Decimal), Some(Scalar::Integer)) => Some(Scalar::Decimal),
        _ => Some(Scalar::Conflict),
    }
}

impl Builder {
    fn push(&mut self, node: Node) -> usize {
        self.nodes.push(node);
        self.nodes.len() - 1
    }

    fn build(&mut self, schema: &Value, depth: usize) -> usize {
        let Some(map) = schema.as_object() else {
            return self.push(Node::default());
        };
        if depth > MAX_DEPTH {
            return self.push(Node::default());
        }
        if let Some(reference) = map.get("$ref").and_then(Value::as_str) {
            let name = reference.trim_start_matches("#/$defs/").to_owned();
            if let Some(&i) = self.def_nodes.get(&name) {
                return i;
            }
            let slot = self.push(Node::default());
            self.def_nodes.insert(name.clone(), slot);
            if let Some(def) = self.defs.get(&name).cloned() {
                let built = self.build(&def, depth + 1);
                if let Some(node) = self.nodes.get(built).cloned() {
                    if let Some(s) = self.nodes.get_mut(slot) {
                        *s = node;
                    }
                }
            }
            return slot;
        }
        let mut node = Node {
            scalar: scalar_of(map),
            ..Node::default()
        };
        if let Some(props) = map.get("properties").and_then(Value::as_object) {
            for (key, sub) in props {
                let i = self.build(sub, depth + 1);
                node.props.insert(key.clone(), i);
            }
        }
        if let Some(extra) = map.get("additionalProperties") {
            if extra.is_object() {
                node.additional = Some(self.build(extra, depth + 1));
            }
        }
        if let Some(items) = map.get("items") {
            node.items = Some(self.build(items, depth + 1));
        }
        let mut here = self.push(node);
        for key in ["anyOf", "oneOf", "allOf"] {
            if let Some(branches) = map.get(key).and_then(Value::as_array) {
                for branch in branches {
                    let b = self.build(branch, depth + 1);
                    here = self.merge(here, b);
                }
            }
        }
        here
    }

    fn merge(&mut self, a: usize, b: usize) -> usize {
        if a == b {
            return a;
        }
        if let Some(&m) = self.merged.get(&(a, b)) {
            return m;
        }
        let m = self.push(Node::default());
        self.merged.insert((a, b), m);
        let (na, nb) = match (self.nodes.get(a).cloned(), self.nodes.get(b).cloned()) {
            (Some(x), Some(y)) => (x, y),
            (Some(x), None) | (None, Some(x)) => (x, Node::default()),
            (None, None) => return m,
        };
        let mut node = Node {
            scalar: merge_scalar(na.scalar, nb.scalar),
            props: na.props.clone(),
            ..Node::default()
        };
        for (key, &ib) in &nb.props {
            let merged = match na.props.get(key) {
                Some(&ia) => self.merge(ia, ib),
                None => ib,
            };
            node.props.insert(key.clone(), merged);
        }
        node.additional = self.merge_opt(na.additional, nb.additional);
        node.items = self.merge_opt(na.items, nb.items);
        if let Some(slot) = self.nodes.get_mut(m) {
            *slot = node;
        }
        m
    }

    fn merge_opt(&mut self, a: Option<usize>, b: Option<usize>) -> Option<usize> {
        match (a, b) {
            (Some(x), Some(y)) => Some(self.merge(x, y)),
            (x, None) | (None, x) => x,
        }
    }
}

/// Shapes of every operation's input and output, built on first use.
struct OpShapes {
    input: Vec<OnceLock<Shape>>,
    output: Vec<OnceLock<Shape>>,
}

fn op_shapes() -> &'static OpShapes {
    static SHAPES: OnceLock<OpShapes> = OnceLock::new();
    SHAPES.get_or_init(|| OpShapes {
        input: Operation::ALL.iter().map(|_| OnceLock::new()).collect(),
        output: Operation::ALL.iter().map(|_| OnceLock::new()).collect(),
    })
}

fn position(op: Operation) -> Option<usize> {
    Operation::ALL.iter().position(|o| *o == op)
}

/// The shape of an operation's input document (built once, then shared).
pub fn input(op: Operation) -> Option<&'static Shape> {
    let cell = op_shapes().input.get(position(op)?)?;
    Some(cell.get_or_init(|| Shape::from_schema(&op.input_schema())))
}

/// The shape of an operation's output document (built once, then shared).
pub fn output(op: Operation) -> Option<&'static Shape> {
    let cell = op_shapes().output.get(position(op)?)?;
    Some(cell.get_or_init(|| Shape::from_schema(&op.output_schema())))
}

/// The shape of a top-level document of the JSON format by its name in
/// the schema (`customer`, `price_request`, `priced_order`, `catalog`, …),
/// for the calls on compiled handles that take documents one by one.
pub fn document(name: &str) -> Option<ShapeRef<'static>> {
    static ALL: OnceLock<Shape> = OnceLock::new();
    let shape = ALL.get_or_init(|| Shape::from_schema(&crate::schema::documents_schema()));
    shape.root().field(name)
}
