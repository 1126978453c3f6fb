//! Routing rules: which warehouses may ship which lines, evaluated before
//! any strategy, and preferred warehouses per destination region.

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{AllocationLine, AllocationRequest, FulfilmentError};
use crate::error::{index, path};

/// Routing rules and regional preferences.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RoutingRules {
    /// Rules, all applied (their effects combine).
    #[serde(default)]
    pub rules: Vec<RoutingRule>,
    /// Preferred warehouses per destination region; the first match wins.
    #[serde(default)]
    pub preferred: Vec<PreferredWarehouse>,
}

/// One rule: when the conditions hold, apply the action.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RoutingRule {
    /// Rule id, quoted in the explanation.
    pub id: String,
    /// Conditions (all must hold; an empty list matches anything).
    #[serde(default)]
    pub when: RuleCondition,
    /// What it does.
    pub action: RuleAction,
}

/// Conditions of a routing rule.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleCondition {
    /// Customer segment is one of these.
    #[serde(default)]
    pub segments: Vec<String>,
    /// Destination state code is one of these.
    #[serde(default)]
    pub destination_states: Vec<String>,
    /// Destination zone is one of these.
    #[serde(default)]
    pub destination_zones: Vec<String>,
    /// Order value at least this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_order_value: Option<Decimal>,
    /// Order value at most this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_order_value: Option<Decimal>,
    /// At least this many lines.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_lines: Option<usize>,
    /// Applies only to lines whose category path contains one of these
    /// (empty: every line).
    #[serde(default)]
    pub categories: Vec<String>,
}

/// Effect of a routing rule on the lines it applies to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case", tag = "type")]
#[schemars(rename = "RoutingRuleAction")]
pub enum RuleAction {
    /// These warehouses may not ship.
    Exclude {
        /// Warehouse ids.
        warehouses: Vec<String>,
    },
    /// Only these warehouses may ship.
    RestrictTo {
        /// Warehouse ids.
        warehouses: Vec<String>,
    },
    /// Only warehouses with this capability may ship.
    RequireCapability {
        /// Capability, e.g. `export`.
        capability: String,
    },
}

/// A preferred warehouse for a destination region (states or zones).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PreferredWarehouse {
    /// Destination state codes (any).
    #[serde(default)]
    pub states: Vec<String>,
    /// Destination zones (any).
    #[serde(default)]
    pub zones: Vec<String>,
    /// The preferred warehouse.
    pub warehouse_id: String,
}

impl RoutingRules {
    /// Checks ids and warehouse references against `known`.
    pub(crate) fn validate(
        &self,
        field: &str,
        known: &dyn Fn(&str) -> bool,
    ) -> Result<(), FulfilmentError> {
        let unknown = |f: String, id: &str| FulfilmentError::UnknownWarehouse {
            field: f,
            id: id.to_owned(),
        };
        for (i, r) in self.rules.iter().enumerate() {
            let at = index(&path(field, "rules"), i);
            super::check_id(&r.id, &path(&at, "id"))?;
            if let RuleAction::Exclude { warehouses } | RuleAction::RestrictTo { warehouses } =
                &r.action
            {
                for (j, w) in warehouses.iter().enumerate() {
                    if !known(w) {
                        return Err(unknown(index(&path(&at, "action.warehouses"), j), w));
                    }
                }
            }
        }
        for (i, p) in self.preferred.iter().enumerate() {
            if !known(&p.warehouse_id) {
                let at = index(&path(field, "preferred"), i);
                return Err(unknown(path(&at, "warehouse_id"), &p.warehouse_id));
            }
        }
        Ok(())
    }

    /// The preferred warehouse for the destination, if any.
    pub(crate) fn preferred_for(&self, req: &AllocationRequest) -> Option<&str> {
        let d = &req.destination;
        self.preferred
            .iter()
            .find(|p| {
                p.states.contains(&d.state_code)
                    || d.zone
                        .as_ref()
                        .is_some_and(|z| p.zones.iter().any(|x| x == z))
            })
            .map(|p| p.warehouse_id.as_str())
    }
}

impl RuleCondition {
    /// Whether the order-level conditions hold.
    pub(crate) fn order_matches(&self, req: &AllocationRequest) -> bool {
        let d = &req.destination;
        (self.segments.is_empty()
            || req
                .segment
                .as_ref()
                .is_some_and(|s| self.segments.contains(s)))
            && (self.destination_states.is_empty()
                || self.destination_states.contains(&d.state_code))
            && (self.destination_zones.is_empty()
                || d.zone
                    .as_ref()
                    .is_some_and(|z| self.destination_zones.contains(z)))
            && self.min_order_value.is_none_or(|m| req.order_value >= m)
            && self.max_order_value.is_none_or(|m| req.order_value <= m)
            && self.min_lines.is_none_or(|m| req.lines.len() >= m)
    }

    /// Whether the rule applies to `line` (category condition).
    pub(crate) fn line_matches(&self, line: &AllocationLine) -> bool {
        self.categories.is_empty()
            || line
                .category_path
                .iter()
                .any(|c| self.categories.contains(c))
    }
}
