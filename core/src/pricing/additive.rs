//! Additive discounts (issue 21, item 11): ERPNext's default when several
//! rules apply is to add their percentages (10 % and 5 % → 15 % off, not
//! the 14.5 % compounding gives).
//!
//! A rule names its `additive_group`; the group's applicable members take
//! one place in the rule order, keyed like an exclusive group by (their
//! highest priority, their lowest id). When its turn comes the members'
//! percentages are summed and applied once to the running price; a sum
//! above 100 is capped at 100 (the price becomes zero) and the waterfall
//! says so. The step's `rule_id` is the group's name and its effect lists
//! every member with its percentage. If any member has `stop`, the chain
//! ends after the group. Members must be `percent_off` rules, and a rule is
//! in an additive group or an exclusive group, not both (compile errors
//! `ADDITIVE_NOT_PERCENT`, `ADDITIVE_AND_EXCLUSIVE`).

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use smol_str::SmolStr;

use super::compile::CompiledRule;
use super::RuleAction;
use crate::money::{self, MoneyError};

/// One member of an additive group as the waterfall shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AdditiveMember {
    /// The member rule.
    pub rule_id: SmolStr,
    /// Its percentage off.
    pub percent: Decimal,
}

/// The applied step of an additive group.
pub(crate) struct AdditiveStep {
    /// The group's name.
    pub name: SmolStr,
    /// The running price after the summed percentage.
    pub price: Decimal,
    /// The summed percentage (capped at 100).
    pub percent: Decimal,
    /// Whether the sum was above 100 and capped.
    pub capped: bool,
    /// The members, in rule order.
    pub members: Vec<AdditiveMember>,
    /// Whether a member ends the chain.
    pub stop: bool,
}

/// The step of additive group `group`: its members among the `applicable`
/// rule positions (in rule order), their percentages summed and applied
/// once to `running`. `None` when no member applies.
pub(crate) fn step(
    rules: &[CompiledRule],
    group: u32,
    applicable: &[u32],
    running: Decimal,
) -> Result<Option<AdditiveStep>, MoneyError> {
    let mut sum = Decimal::ZERO;
    let mut members = Vec::new();
    let mut stop = false;
    let mut name = None;
    for rule in applicable
        .iter()
        .filter_map(|pos| rules.get(*pos as usize))
        .filter(|r| r.additive == Some(group))
    {
        // Compilation admits only percent-off members.
        let RuleAction::PercentOff { percent } = &rule.action else {
            continue;
        };
        sum = money::add(sum, *percent, "additive percent")?;
        stop |= rule.stop;
        if name.is_none() {
            name.clone_from(&rule.additive_name);
        }
        members.push(AdditiveMember {
            rule_id: rule.id.clone(),
            percent: *percent,
        });
    }
    let Some(name) = name else {
        return Ok(None);
    };
    let capped = sum > Decimal::ONE_HUNDRED;
    let percent = sum.min(Decimal::ONE_HUNDRED);
    let factor = money::sub(
        Decimal::ONE,
        money::div(percent, Decimal::ONE_HUNDRED, "additive percent")?,
        "additive percent",
    )?;
    Ok(Some(AdditiveStep {
        name,
        price: money::mul(running, factor, "additive percent off")?,
        percent,
        capped,
        members,
        stop,
    }))
}

/// The compile-time problems of a rule's additive group: (code, field
/// under the rule, message).
pub(crate) fn check(rule: &super::PriceRule) -> Vec<(&'static str, &'static str, String)> {
    let mut out = Vec::new();
    let Some(group) = &rule.additive_group else {
        return out;
    };
    if !matches!(rule.action, RuleAction::PercentOff { .. }) {
        out.push((
            "ADDITIVE_NOT_PERCENT",
            "action",
            format!(
                "additive group {group:?} sums percentages: its members must be percent_off rules"
            ),
        ));
    }
    if rule.exclusive_group.is_some() {
        out.push((
            "ADDITIVE_AND_EXCLUSIVE",
            "additive_group",
            "a rule is in an additive group or an exclusive group, not both".into(),
        ));
    }
    out
}
