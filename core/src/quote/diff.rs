//! Differences between two revisions: lines added, removed and changed
//! (quantity, price, override, target), terms, validity and totals.

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{QuoteLine, QuoteRevision};

/// One changed field, values as text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FieldChange {
    /// Field name.
    pub field: String,
    /// Value before.
    pub from: String,
    /// Value after.
    pub to: String,
}

/// Changes of one line present in both revisions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LineDiff {
    /// Line id.
    pub line_id: String,
    /// Changed fields.
    pub changes: Vec<FieldChange>,
}

/// Diff from one revision to another.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RevisionDiff {
    /// From revision.
    pub from: u32,
    /// To revision.
    pub to: u32,
    /// Line ids only in `to`.
    pub added: Vec<String>,
    /// Line ids only in `from`.
    pub removed: Vec<String>,
    /// Lines in both that changed.
    pub changed: Vec<LineDiff>,
    /// Terms, validity and notes that changed.
    pub terms: Vec<FieldChange>,
    /// Totals that changed.
    pub totals: Vec<FieldChange>,
}

impl RevisionDiff {
    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.removed.is_empty()
            && self.changed.is_empty()
            && self.terms.is_empty()
            && self.totals.is_empty()
    }

    /// One readable sentence per change.
    pub fn summary(&self) -> Vec<String> {
        let mut out = Vec::new();
        for a in &self.added {
            out.push(format!("line {a} added"));
        }
        for r in &self.removed {
            out.push(format!("line {r} removed"));
        }
        for l in &self.changed {
            for c in &l.changes {
                out.push(format!(
                    "line {} {}: {} → {}",
                    l.line_id, c.field, c.from, c.to
                ));
            }
        }
        for c in self.terms.iter().chain(&self.totals) {
            out.push(format!("{}: {} → {}", c.field, c.from, c.to));
        }
        out
    }
}

fn dec(d: Decimal) -> String {
    d.normalize().to_string()
}

fn opt(d: Option<Decimal>) -> String {
    d.map_or_else(|| "none".into(), dec)
}

fn push(out: &mut Vec<FieldChange>, field: &str, from: String, to: String) {
    if from != to {
        out.push(FieldChange {
            field: field.to_owned(),
            from,
            to,
        });
    }
}

fn json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

fn line_changes(a: &QuoteLine, b: &QuoteLine) -> Vec<FieldChange> {
    let mut c = Vec::new();
    push(&mut c, "sku", a.sku.clone(), b.sku.clone());
    push(&mut c, "quantity", dec(a.quantity), dec(b.quantity));
    push(&mut c, "unit", a.unit.clone(), b.unit.clone());
    push(&mut c, "unit_price", dec(a.unit_price), dec(b.unit_price));
    push(&mut c, "amount", dec(a.amount), dec(b.amount));
    push(&mut c, "gst_rate", dec(a.gst_rate), dec(b.gst_rate));
    push(
        &mut c,
        "target_price",
        opt(a.target_price),
        opt(b.target_price),
    );
    push(
        &mut c,
        "price_override",
        json(&a.price_override),
        json(&b.price_override),
    );
    push(&mut c, "free", a.free.to_string(), b.free.to_string());
    c
}

/// The diff from `a` to `b`.
pub(crate) fn diff(a: &QuoteRevision, b: &QuoteRevision) -> RevisionDiff {
    let mut added = Vec::new();
    let mut removed = Vec::new();
    let mut changed = Vec::new();
    for la in &a.lines {
        match b.lines.iter().find(|lb| lb.line_id == la.line_id) {
            None => removed.push(la.line_id.clone()),
            Some(lb) => {
                let changes = line_changes(la, lb);
                if !changes.is_empty() {
                    changed.push(LineDiff {
                        line_id: la.line_id.clone(),
                        changes,
                    });
                }
            }
        }
    }
    for lb in &b.lines {
        if !a.lines.iter().any(|la| la.line_id == lb.line_id) {
            added.push(lb.line_id.clone());
        }
    }
    let mut terms = Vec::new();
    push(
        &mut terms,
        "payment_terms",
        json(&a.terms.payment_terms),
        json(&b.terms.payment_terms),
    );
    push(
        &mut terms,
        "delivery_terms",
        a.terms.delivery_terms.clone(),
        b.terms.delivery_terms.clone(),
    );
    push(
        &mut terms,
        "lead_time_days",
        json(&a.terms.lead_time_days),
        json(&b.terms.lead_time_days),
    );
    push(
        &mut terms,
        "conditions",
        json(&a.terms.conditions),
        json(&b.terms.conditions),
    );
    push(
        &mut terms,
        "valid_until",
        a.valid_until.to_rfc3339(),
        b.valid_until.to_rfc3339(),
    );
    push(&mut terms, "notes", a.notes.clone(), b.notes.clone());
    let mut totals = Vec::new();
    let (ta, tb) = (&a.totals, &b.totals);
    push(&mut totals, "subtotal", dec(ta.subtotal), dec(tb.subtotal));
    push(
        &mut totals,
        "order_discount",
        dec(ta.order_discount),
        dec(tb.order_discount),
    );
    push(&mut totals, "shipping", dec(ta.shipping), dec(tb.shipping));
    push(
        &mut totals,
        "total_before_tax",
        dec(ta.total_before_tax),
        dec(tb.total_before_tax),
    );
    push(&mut totals, "gst", dec(ta.gst), dec(tb.gst));
    push(
        &mut totals,
        "grand_total",
        dec(ta.grand_total),
        dec(tb.grand_total),
    );
    RevisionDiff {
        from: a.number,
        to: b.number,
        added,
        removed,
        changed,
        terms,
        totals,
    }
}

/// The first difference between a stored and a presented revision, as a
/// field path and a description (for `TAMPERED_QUOTE`).
pub(crate) fn first_difference(
    stored: &QuoteRevision,
    presented: &QuoteRevision,
) -> (String, String) {
    if stored.number != presented.number {
        return ("number".into(), "revision number differs".into());
    }
    if stored.lines.len() != presented.lines.len() {
        return ("lines".into(), "line count differs".into());
    }
    for (i, (a, b)) in stored.lines.iter().zip(&presented.lines).enumerate() {
        if a.line_id != b.line_id {
            return (format!("lines[{i}].line_id"), "line id differs".into());
        }
        if let Some(c) = line_changes(a, b).into_iter().next() {
            return (
                format!("lines[{i}].{}", c.field),
                format!("{} changed from {} to {}", c.field, c.from, c.to),
            );
        }
    }
    let d = diff(stored, presented);
    if let Some(c) = d.terms.first() {
        let field = match c.field.as_str() {
            "valid_until" | "notes" => c.field.clone(),
            f => format!("terms.{f}"),
        };
        return (field, format!("{} changed", c.field));
    }
    if let Some(c) = d.totals.first() {
        return (
            format!("totals.{}", c.field),
            format!("{} changed", c.field),
        );
    }
    (
        "digest".into(),
        "content differs from the issued revision".into(),
    )
}
