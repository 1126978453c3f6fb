//! Phases 2 and 3 of allocation: the warehouses' view of the order and which
//! of them may ship the order and each line (routing rules and exclusions).

use super::super::model::*;
use super::super::routing::{RoutingRule, RuleAction};
use super::Wh;
use crate::inventory::Warehouse;

/// Phase 2: each warehouse as the order sees it — preferred or not, its
/// distance to the destination and its shipping rate there. Guarantees one
/// [`Wh`] per input warehouse, in input order (indices are shared).
pub(super) fn warehouse_views(input: &AllocationInput) -> Vec<Wh<'_>> {
    let req = &input.request;
    let preferred = input.rules.preferred_for(req);
    input
        .warehouses
        .iter()
        .map(|w| Wh {
            w,
            preferred: preferred == Some(w.id.as_str()),
            distance: match (&req.destination.location, &w.location) {
                (Some(d), Some(l)) => Some(l.distance_m(d)),
                _ => None,
            },
            rate: w.rate_for(&req.destination.state_code, req.destination.zone.as_deref()),
        })
        .collect()
}

/// Which warehouses may ship the order and each line, and why the others
/// may not (in the order the exclusions were found).
pub(super) struct Eligibility {
    /// Per warehouse: eligible for the order as a whole.
    pub(super) order_ok: Vec<bool>,
    /// Per line, per warehouse: eligible for that line.
    pub(super) line_ok: Vec<Vec<bool>>,
    pub(super) exclusions: Vec<Exclusion>,
}

/// Phase 3: order-level eligibility (inactive, missing capability, routing
/// rules without categories), then line-level eligibility (line
/// capabilities, category rules). Guarantees `order_ok` has one flag per
/// warehouse, `line_ok` one mask per line that is a subset of `order_ok`,
/// and each excluded (warehouse, line-or-order) is reported once.
pub(super) fn eligibility(input: &AllocationInput) -> Eligibility {
    let req = &input.request;
    let mut exclusions: Vec<Exclusion> = Vec::new();
    let mut order_ok = vec![true; input.warehouses.len()];
    for (wi, w) in input.warehouses.iter().enumerate() {
        if !w.active {
            exclude(
                &input.warehouses,
                &mut order_ok,
                &mut exclusions,
                wi,
                None,
                ExclusionReason::Inactive,
                "inactive".to_owned(),
            );
        } else if !w.has_all(&req.required_capabilities) {
            exclude(
                &input.warehouses,
                &mut order_ok,
                &mut exclusions,
                wi,
                None,
                ExclusionReason::MissingCapability,
                format!("order requires {:?}", req.required_capabilities),
            );
        }
    }
    let matching_rules: Vec<&RoutingRule> = input
        .rules
        .rules
        .iter()
        .filter(|r| r.when.order_matches(req))
        .collect();
    for r in matching_rules
        .iter()
        .filter(|r| r.when.categories.is_empty())
    {
        for (wi, w) in input.warehouses.iter().enumerate() {
            if let Some(reason) = rule_excludes(&r.action, w) {
                exclude(
                    &input.warehouses,
                    &mut order_ok,
                    &mut exclusions,
                    wi,
                    None,
                    reason,
                    format!("rule {}", r.id),
                );
            }
        }
    }
    let line_ok = line_eligibility(input, &order_ok, &matching_rules, &mut exclusions);
    Eligibility {
        order_ok,
        line_ok,
        exclusions,
    }
}

/// Phase 3, second half: narrows the order-level mask per line by the
/// line's required capabilities and the first matching category rule that
/// excludes the warehouse.
fn line_eligibility(
    input: &AllocationInput,
    order_ok: &[bool],
    matching_rules: &[&RoutingRule],
    exclusions: &mut Vec<Exclusion>,
) -> Vec<Vec<bool>> {
    let req = &input.request;
    let mut line_ok: Vec<Vec<bool>> = Vec::with_capacity(req.lines.len());
    for line in &req.lines {
        let mut ok = order_ok.to_vec();
        for (wi, w) in input.warehouses.iter().enumerate() {
            if !ok.get(wi).copied().unwrap_or(false) {
                continue;
            }
            if !w.has_all(&line.required_capabilities) {
                exclude(
                    &input.warehouses,
                    &mut ok,
                    exclusions,
                    wi,
                    Some(&line.line_id),
                    ExclusionReason::MissingCapability,
                    format!("line requires {:?}", line.required_capabilities),
                );
                continue;
            }
            for r in matching_rules
                .iter()
                .filter(|r| !r.when.categories.is_empty() && r.when.line_matches(line))
            {
                if let Some(reason) = rule_excludes(&r.action, w) {
                    exclude(
                        &input.warehouses,
                        &mut ok,
                        exclusions,
                        wi,
                        Some(&line.line_id),
                        reason,
                        format!("rule {}", r.id),
                    );
                    break;
                }
            }
        }
        line_ok.push(ok);
    }
    line_ok
}

/// Clears `ok[wi]` and records the exclusion, unless it was already clear.
fn exclude(
    warehouses: &[Warehouse],
    ok: &mut [bool],
    ex: &mut Vec<Exclusion>,
    wi: usize,
    line: Option<&str>,
    reason: ExclusionReason,
    detail: String,
) {
    if let Some(slot) = ok.get_mut(wi) {
        if *slot {
            *slot = false;
            if let Some(w) = warehouses.get(wi) {
                ex.push(Exclusion {
                    warehouse_id: w.id.clone(),
                    line_id: line.map(str::to_owned),
                    reason,
                    detail,
                });
            }
        }
    }
}

fn rule_excludes(action: &RuleAction, w: &Warehouse) -> Option<ExclusionReason> {
    match action {
        RuleAction::Exclude { warehouses } if warehouses.contains(&w.id) => {
            Some(ExclusionReason::RoutingRule)
        }
        RuleAction::RestrictTo { warehouses } if !warehouses.contains(&w.id) => {
            Some(ExclusionReason::RoutingRule)
        }
        RuleAction::RequireCapability { capability }
            if !w.capabilities.iter().any(|c| c == capability) =>
        {
            Some(ExclusionReason::MissingCapability)
        }
        _ => None,
    }
}
