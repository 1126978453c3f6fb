//! Running an approval: an [`ApprovalInstance`] is a value; each command
//! returns a new value and its events, or an error that leaves it valid.
//!
//! Rules enforced (each with its own error code): the actor holds the
//! step's role or a delegation valid now (`NOT_AUTHORIZED`); the requester
//! cannot approve unless the policy allows it for that role
//! (`SELF_APPROVAL`); one person counts once per instance
//! (`DUPLICATE_APPROVER`); only the open level accepts decisions
//! (`LEVEL_NOT_OPEN`); finished instances take no decisions
//! (`APPROVAL_CLOSED`).
//!
//! Decisions where the spec is silent:
//! - an `approve` without a step id goes to the first unsatisfied step of
//!   the open level the actor is authorised for;
//! - a delegation is made by someone holding the role, to another person,
//!   for `[valid_from, valid_until)`; the delegator keeps the role;
//! - a level's deadline runs from when the level opened;
//! - rejected commands are not written to the audit log (nothing changes);
//!   the host logs the error;
//! - re-approval ([`ApprovalInstance::start`] with a previous instance):
//!   approvals of a step carry over when the step (same level and role) was
//!   in the previous plan and every rule now triggering it triggered it
//!   before with none of the facts it reads worse; carried approvals keep
//!   counting towards the (possibly higher) quorum. Only an approved or
//!   pending previous instance carries anything (a rejected, returned,
//!   withdrawn or expired one carries nothing), and carried approvals obey
//!   segregation of duties again: the new requester's own approvals are
//!   dropped (unless self-approval is allowed for the role) and a person
//!   counts once;
//! - a delegate acts for the delegator: once either has approved, the other
//!   may not approve in the same instance.

use chrono::{DateTime, Duration, FixedOffset};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{ApprovalError, ApprovalPlan, Fact, OnReject};
use crate::events::DomainEvent;
use crate::events::{AggregateKind, Emitter, EventPayload, EventStep};

/// A person acting, with the roles the host authenticated them for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Actor {
    /// Person id.
    pub id: String,
    /// Roles held.
    #[serde(default)]
    pub roles: Vec<String>,
}

/// Status of an approval instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case")]
pub enum ApprovalStatus {
    /// Waiting for decisions.
    Pending,
    /// Every step has its quorum.
    Approved,
    /// Rejected.
    Rejected,
    /// Returned to the requester for revision.
    ReturnedForRevision,
    /// Withdrawn by the requester.
    Withdrawn,
    /// A deadline passed.
    Expired,
}

impl ApprovalStatus {
    fn name(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Approved => "approved",
            Self::Rejected => "rejected",
            Self::ReturnedForRevision => "returned_for_revision",
            Self::Withdrawn => "withdrawn",
            Self::Expired => "expired",
        }
    }
}

/// One approval recorded on a step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordedApproval {
    /// Who approved.
    pub approver: String,
    /// When.
    pub at: DateTime<FixedOffset>,
    /// The delegator, when acting by delegation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delegated_by: Option<String>,
    /// Carried over from a previous instance.
    #[serde(default)]
    pub carried_over: bool,
    /// Comment.
    #[serde(default)]
    pub comment: String,
}

/// A step and its approvals so far.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StepState {
    /// Step id (from the plan).
    pub step_id: String,
    /// Level.
    pub level: u32,
    /// Role.
    pub role: String,
    /// Quorum.
    pub count: u32,
    /// Approvals.
    pub approvals: Vec<RecordedApproval>,
    /// When its level opened.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opened_at: Option<DateTime<FixedOffset>>,
    /// Deadline, when the policy sets one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<DateTime<FixedOffset>>,
}

impl StepState {
    /// Whether the quorum is reached.
    pub fn satisfied(&self) -> bool {
        self.approvals.len() >= usize::try_from(self.count).unwrap_or(usize::MAX)
    }
}

/// A delegation of a role to another person for a window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Delegation {
    /// Who delegated.
    pub from: String,
    /// To whom.
    pub to: String,
    /// The role.
    pub role: String,
    /// Valid from (inclusive).
    pub valid_from: DateTime<FixedOffset>,
    /// Valid until (exclusive).
    pub valid_until: DateTime<FixedOffset>,
}

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AuditEntry {
    /// When.
    pub at: DateTime<FixedOffset>,
    /// Who (absent for system actions such as expiry or carry-over).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
    /// `requested`, `approve`, `reject`, `delegate`, `withdraw`, `expire`, `carry_over`, `level_opened`.
    pub action: String,
    /// Step concerned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step_id: Option<String>,
    /// Details.
    pub detail: String,
}

/// A command on an instance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(tag = "command", rename_all = "snake_case")]
pub enum ApprovalCommand {
    /// Approve a step (the first the actor may approve when absent).
    Approve {
        /// Who.
        actor: Actor,
        /// Step id.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        step_id: Option<String>,
        /// Comment.
        #[serde(default)]
        comment: String,
    },
    /// Reject.
    Reject {
        /// Who.
        actor: Actor,
        /// Step id.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        step_id: Option<String>,
        /// Why (required).
        reason: String,
    },
    /// Delegate a role to another person for a window.
    Delegate {
        /// Who delegates (must hold the role).
        actor: Actor,
        /// To whom.
        to: String,
        /// The role.
        role: String,
        /// From (inclusive).
        valid_from: DateTime<FixedOffset>,
        /// Until (exclusive).
        valid_until: DateTime<FixedOffset>,
    },
    /// The requester withdraws.
    Withdraw {
        /// Who (must be the requester).
        actor: Actor,
        /// Why.
        #[serde(default)]
        reason: String,
    },
    /// End the instance when an open step is past its deadline.
    Expire,
}

/// Starting an instance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StartApproval {
    /// Instance id (host-supplied).
    pub instance_id: String,
    /// Quote or order id.
    pub subject_id: String,
    /// Who asks.
    pub requester: String,
    /// The plan.
    pub plan: ApprovalPlan,
    /// "Now".
    pub now: DateTime<FixedOffset>,
}

/// What an instance approves: one revision of one quote or order, by
/// content digest. Made only by the engine operations that compute the
/// plan from the subject ([`crate::quote::Quote::request_approval`],
/// [`crate::order::Order::request_approval`]); issuing a quote or
/// confirming an order recomputes the digest and the facts and refuses an
/// instance bound to anything else.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SubjectBinding {
    /// `quote` or `order`.
    pub kind: String,
    /// Quote or order id.
    pub subject_id: String,
    /// Quote revision, or order version (1 + amendments).
    pub revision: u32,
    /// Hex SHA-256 of the subject's canonical content at that revision.
    pub digest: String,
}

/// Why an instance does not approve a subject as it is now: the field of
/// the instance that differs and what it says (see
/// [`ApprovalInstance::check_binding`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BindingMismatch {
    /// Field path inside the approval, e.g. `approval.binding.revision`.
    pub field: String,
    /// What differs.
    pub detail: String,
}

/// An approval instance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ApprovalInstance {
    /// Instance id.
    pub id: String,
    /// Quote or order id.
    pub subject_id: String,
    /// The subject revision and content approved (absent for instances
    /// started from raw facts, which cannot issue quotes or confirm orders).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub binding: Option<SubjectBinding>,
    /// Who asked.
    pub requester: String,
    /// The plan.
    pub plan: ApprovalPlan,
    /// Status.
    pub status: ApprovalStatus,
    /// Steps in plan order.
    pub steps: Vec<StepState>,
    /// Delegations made.
    #[serde(default)]
    pub delegations: Vec<Delegation>,
    /// Audit log.
    pub audit: Vec<AuditEntry>,
    /// Next event sequence number.
    pub next_event_seq: u64,
}

fn closed(status: ApprovalStatus) -> ApprovalError {
    ApprovalError::InstanceClosed {
        field: "status".into(),
        status: status.name().to_owned(),
    }
}

impl ApprovalInstance {
    /// Starts an instance for a plan. With `previous` (the instance of an
    /// earlier revision, or of the quote an order comes from), approvals of
    /// steps whose facts did not get worse carry over. An empty plan, or
    /// one fully carried over, is approved at once.
    ///
    /// This entry point trusts `start.plan` (its facts) as given: the
    /// instance it makes is unbound and serves buyer-organisation or other
    /// host-side flows. Quotes and orders need an instance made by
    /// `request_approval` on the quote or order, which computes the plan.
    pub fn start(
        start: &StartApproval,
        previous: Option<&ApprovalInstance>,
    ) -> Result<(ApprovalInstance, Vec<DomainEvent>), ApprovalError> {
        Self::start_bound(start, None, previous)
    }

    /// [`ApprovalInstance::start`] for an engine-computed plan bound to a
    /// subject revision.
    pub(crate) fn start_bound(
        start: &StartApproval,
        binding: Option<SubjectBinding>,
        previous: Option<&ApprovalInstance>,
    ) -> Result<(ApprovalInstance, Vec<DomainEvent>), ApprovalError> {
        let now = start.now;
        // Approvals carry over only from a live or approved instance.
        let previous = previous
            .filter(|p| matches!(p.status, ApprovalStatus::Approved | ApprovalStatus::Pending));
        let mut counted: Vec<String> = Vec::new();
        let mut audit = vec![AuditEntry {
            at: now,
            actor: Some(start.requester.clone()),
            action: "requested".into(),
            step_id: None,
            detail: format!(
                "policy {} with {} step(s)",
                start.plan.policy_id,
                start.plan.steps.len()
            ),
        }];
        let mut steps = Vec::with_capacity(start.plan.steps.len());
        for s in &start.plan.steps {
            let mut approvals = Vec::new();
            if let Some(prev) = previous {
                if let Some(why) = carry_over(prev, &start.plan, s.level, &s.role) {
                    if let Some(ps) = prev
                        .steps
                        .iter()
                        .find(|p| p.level == s.level && p.role == s.role)
                    {
                        // Segregation of duties again: never the new
                        // requester (unless allowed for the role), and one
                        // person counts once in the new instance.
                        let self_ok = start.plan.settings.self_approval_roles.contains(&s.role);
                        for a in &ps.approvals {
                            if (a.approver == start.requester && !self_ok)
                                || counted.contains(&a.approver)
                            {
                                continue;
                            }
                            counted.push(a.approver.clone());
                            approvals.push(RecordedApproval {
                                carried_over: true,
                                ..a.clone()
                            });
                        }
                        if !approvals.is_empty() {
                            audit.push(AuditEntry {
                                at: now,
                                actor: None,
                                action: "carry_over".into(),
                                step_id: Some(s.step_id.clone()),
                                detail: format!(
                                    "{} approval(s) from {}: {why}",
                                    approvals.len(),
                                    prev.id
                                ),
                            });
                        }
                    }
                }
            }
            steps.push(StepState {
                step_id: s.step_id.clone(),
                level: s.level,
                role: s.role.clone(),
                count: s.count,
                approvals,
                opened_at: None,
                deadline: None,
            });
        }
        let inst = ApprovalInstance {
            id: start.instance_id.clone(),
            subject_id: start.subject_id.clone(),
            binding,
            requester: start.requester.clone(),
            plan: start.plan.clone(),
            status: ApprovalStatus::Pending,
            steps,
            delegations: Vec::new(),
            audit,
            next_event_seq: 1,
        };
        let mut em = Emitter::new(AggregateKind::Approval, &inst.id, 1, now);
        let inst = inst.advance(now, &mut em);
        let mut inst = inst;
        inst.next_event_seq = em.next_seq();
        Ok((inst, em.events))
    }

    /// The open level: the lowest with an unsatisfied step.
    pub fn open_level(&self) -> Option<u32> {
        self.steps
            .iter()
            .filter(|s| !s.satisfied())
            .map(|s| s.level)
            .min()
    }

    /// Opens the next level (emitting `ApprovalRequested`) or approves.
    fn advance(mut self, now: DateTime<FixedOffset>, em: &mut Emitter) -> Self {
        match self.open_level() {
            None => {
                self.status = ApprovalStatus::Approved;
            }
            Some(level) => {
                let hours = self.plan.settings.step_deadline_hours;
                let mut newly = false;
                for s in self.steps.iter_mut().filter(|s| s.level == level) {
                    if s.opened_at.is_none() {
                        newly = true;
                        s.opened_at = Some(now);
                        s.deadline = hours
                            .and_then(|h| now.checked_add_signed(Duration::hours(i64::from(h))));
                    }
                }
                if newly {
                    let steps: Vec<EventStep> = self
                        .steps
                        .iter()
                        .filter(|s| s.level == level && !s.satisfied())
                        .map(|s| EventStep {
                            step_id: s.step_id.clone(),
                            role: s.role.clone(),
                            count: s.count,
                            deadline: s.deadline,
                        })
                        .collect();
                    self.audit.push(AuditEntry {
                        at: now,
                        actor: None,
                        action: "level_opened".into(),
                        step_id: None,
                        detail: format!("level {level}"),
                    });
                    em.emit(EventPayload::ApprovalRequested {
                        instance_id: self.id.clone(),
                        subject_id: self.subject_id.clone(),
                        requester: self.requester.clone(),
                        level,
                        steps,
                    });
                }
            }
        }
        self
    }

    fn authorised(
        &self,
        actor: &Actor,
        role: &str,
        now: DateTime<FixedOffset>,
    ) -> Option<Option<String>> {
        if actor.roles.iter().any(|r| r == role) {
            return Some(None);
        }
        self.delegations
            .iter()
            .find(|d| {
                d.to == actor.id && d.role == role && d.valid_from <= now && now < d.valid_until
            })
            .map(|d| Some(d.from.clone()))
    }

    /// Finds the step a decision is for, checking the level and authorisation.
    fn target(
        &self,
        actor: &Actor,
        step_id: Option<&str>,
        now: DateTime<FixedOffset>,
        what: &str,
    ) -> Result<(usize, Option<String>), ApprovalError> {
        let open = self.open_level().unwrap_or(0);
        match step_id {
            Some(id) => {
                let (i, s) = self
                    .steps
                    .iter()
                    .enumerate()
                    .find(|(_, s)| s.step_id == id)
                    .ok_or_else(|| ApprovalError::UnknownStep {
                        field: "step_id".into(),
                        step: id.to_owned(),
                    })?;
                if s.satisfied() {
                    return Err(ApprovalError::StepSatisfied {
                        field: "step_id".into(),
                        step: id.to_owned(),
                    });
                }
                if s.level != open {
                    return Err(ApprovalError::LevelNotOpen {
                        field: "step_id".into(),
                        step: id.to_owned(),
                        level: s.level,
                        open,
                    });
                }
                let via = self.authorised(actor, &s.role, now).ok_or_else(|| {
                    ApprovalError::NotAuthorized {
                        field: "actor.roles".into(),
                        actor: actor.id.clone(),
                        what: format!("{what} step {id} (role {})", s.role),
                    }
                })?;
                Ok((i, via))
            }
            None => self
                .steps
                .iter()
                .enumerate()
                .filter(|(_, s)| s.level == open && !s.satisfied())
                .find_map(|(i, s)| self.authorised(actor, &s.role, now).map(|via| (i, via)))
                .ok_or_else(|| ApprovalError::NotAuthorized {
                    field: "actor.roles".into(),
                    actor: actor.id.clone(),
                    what: format!("{what} any open step of level {open}"),
                }),
        }
    }

    /// Applies a command at `now`.
    pub fn decide(
        &self,
        command: &ApprovalCommand,
        now: DateTime<FixedOffset>,
    ) -> Result<(ApprovalInstance, Vec<DomainEvent>), ApprovalError> {
        // Only a pending instance takes commands.
        if self.status != ApprovalStatus::Pending {
            return Err(closed(self.status));
        }
        // Each command checks itself against `self`, then applies to `next`
        // and emits; an error leaves nothing applied.
        let mut next = self.clone();
        let mut em = Emitter::new(AggregateKind::Approval, &self.id, self.next_event_seq, now);
        match command {
            ApprovalCommand::Approve {
                actor,
                step_id,
                comment,
            } => {
                let (i, via) = self.approval_target(actor, step_id.as_deref(), now)?;
                let step_name = next.record_approval(i, actor, via, comment, now);
                (next, em) = self.grant(next, em, step_name, actor, now);
            }
            ApprovalCommand::Reject {
                actor,
                step_id,
                reason,
            } => self.reject(&mut next, &mut em, actor, step_id.as_deref(), reason, now)?,
            ApprovalCommand::Delegate {
                actor,
                to,
                role,
                valid_from,
                valid_until,
            } => {
                let delegation = self.delegation(actor, to, role, *valid_from, *valid_until)?;
                next.record_delegation(delegation, now, &mut em);
            }
            ApprovalCommand::Withdraw { actor, reason } => {
                self.withdraw(&mut next, &mut em, actor, reason, now)?;
            }
            ApprovalCommand::Expire => self.expire(&mut next, &mut em, now)?,
        }
        // The instance numbers its next events after those just emitted.
        next.next_event_seq = em.next_seq();
        Ok((next, em.events))
    }

    /// Approve, check phase: the step `actor` approves (as [`Self::target`]
    /// finds it) and the delegator they act for, if any. Guarantees to the
    /// next phase that the actor may approve that step: not their own
    /// request unless the step's role allows self-approval, and neither
    /// they nor the delegator has approved any step yet.
    fn approval_target(
        &self,
        actor: &Actor,
        step_id: Option<&str>,
        now: DateTime<FixedOffset>,
    ) -> Result<(usize, Option<String>), ApprovalError> {
        let (i, via) = self.target(actor, step_id, now, "approve")?;
        let role = self
            .steps
            .get(i)
            .map(|s| s.role.clone())
            .unwrap_or_default();
        if actor.id == self.requester && !self.plan.settings.self_approval_roles.contains(&role) {
            return Err(ApprovalError::SelfApproval {
                field: "actor.id".into(),
                actor: actor.id.clone(),
            });
        }
        let already = |who: &str| {
            self.steps.iter().any(|s| {
                s.approvals
                    .iter()
                    .any(|a| a.approver == who || a.delegated_by.as_deref() == Some(who))
            })
        };
        // A delegate acts for the delegator: neither counts twice.
        if already(&actor.id) || via.as_deref().is_some_and(already) {
            return Err(ApprovalError::DuplicateApprover {
                field: "actor.id".into(),
                actor: actor.id.clone(),
            });
        }
        Ok((i, via))
    }

    /// Approve, application phase: records the checked approval on step `i`
    /// with its audit entry; the status is not advanced yet. Returns the
    /// step's id for the event phase.
    fn record_approval(
        &mut self,
        i: usize,
        actor: &Actor,
        via: Option<String>,
        comment: &str,
        now: DateTime<FixedOffset>,
    ) -> String {
        let step_name = self
            .steps
            .get(i)
            .map(|s| s.step_id.clone())
            .unwrap_or_default();
        if let Some(s) = self.steps.get_mut(i) {
            s.approvals.push(RecordedApproval {
                approver: actor.id.clone(),
                at: now,
                delegated_by: via.clone(),
                carried_over: false,
                comment: comment.to_owned(),
            });
        }
        self.audit.push(AuditEntry {
            at: now,
            actor: Some(actor.id.clone()),
            action: "approve".into(),
            step_id: Some(step_name.clone()),
            detail: match &via {
                Some(from) => format!("as delegate of {from}; {comment}"),
                None => comment.to_owned(),
            },
        });
        step_name
    }

    /// Approve, event phase: advances `next` past the recorded approval
    /// (requesting the next level or approving the instance) and returns it
    /// with the events renumbered from `self`'s next sequence number, the
    /// grant of `step_name` first.
    fn grant(
        &self,
        next: ApprovalInstance,
        mut em: Emitter,
        step_name: String,
        actor: &Actor,
        now: DateTime<FixedOffset>,
    ) -> (ApprovalInstance, Emitter) {
        let next = next.advance(now, &mut em);
        let done = next.status == ApprovalStatus::Approved;
        // The grant precedes any request for the next level.
        let granted = EventPayload::ApprovalGranted {
            instance_id: self.id.clone(),
            subject_id: self.subject_id.clone(),
            step_id: step_name,
            approver: actor.id.clone(),
            instance_approved: done,
        };
        let mut fresh = Emitter::new(AggregateKind::Approval, &self.id, self.next_event_seq, now);
        fresh.emit(granted);
        for e in em.events.drain(..) {
            fresh.emit(e.payload);
        }
        (next, fresh)
    }

    /// Reject: checks a reason is given and finds the step (as
    /// [`Self::target`]); then closes `next` as rejected, or returned for
    /// revision when the policy says so, audits it and emits
    /// `ApprovalRejected`. A failed check leaves `next` and `em` untouched.
    fn reject(
        &self,
        next: &mut ApprovalInstance,
        em: &mut Emitter,
        actor: &Actor,
        step_id: Option<&str>,
        reason: &str,
        now: DateTime<FixedOffset>,
    ) -> Result<(), ApprovalError> {
        if reason.trim().is_empty() {
            return Err(ApprovalError::ReasonRequired {
                field: "reason".into(),
            });
        }
        let (i, _) = self.target(actor, step_id, now, "reject")?;
        let step_name = self
            .steps
            .get(i)
            .map(|s| s.step_id.clone())
            .unwrap_or_default();
        let back = self.plan.settings.on_reject == OnReject::ReturnForRevision;
        next.status = if back {
            ApprovalStatus::ReturnedForRevision
        } else {
            ApprovalStatus::Rejected
        };
        next.audit.push(AuditEntry {
            at: now,
            actor: Some(actor.id.clone()),
            action: "reject".into(),
            step_id: Some(step_name.clone()),
            detail: reason.to_owned(),
        });
        em.emit(EventPayload::ApprovalRejected {
            instance_id: self.id.clone(),
            subject_id: self.subject_id.clone(),
            step_id: step_name,
            approver: actor.id.clone(),
            reason: reason.to_owned(),
            returned_for_revision: back,
        });
        Ok(())
    }

    /// Delegate, check phase: the delegation `actor` asks for. Guarantees to
    /// the application phase that the actor holds the role, some step needs
    /// it, the delegate is someone else, and the window is not empty.
    fn delegation(
        &self,
        actor: &Actor,
        to: &str,
        role: &str,
        valid_from: DateTime<FixedOffset>,
        valid_until: DateTime<FixedOffset>,
    ) -> Result<Delegation, ApprovalError> {
        if !actor.roles.iter().any(|r| r == role) {
            return Err(ApprovalError::NotAuthorized {
                field: "actor.roles".into(),
                actor: actor.id.clone(),
                what: format!("delegate role {role} they do not hold"),
            });
        }
        if !self.steps.iter().any(|s| s.role == role) {
            return Err(ApprovalError::UnknownStep {
                field: "role".into(),
                step: role.to_owned(),
            });
        }
        if to == actor.id || to.trim().is_empty() {
            return Err(ApprovalError::NotAuthorized {
                field: "to".into(),
                actor: actor.id.clone(),
                what: "delegate to themselves or nobody".into(),
            });
        }
        if valid_from >= valid_until {
            return Err(ApprovalError::InvalidWindow {
                field: "valid_until".into(),
            });
        }
        Ok(Delegation {
            from: actor.id.clone(),
            to: to.to_owned(),
            role: role.to_owned(),
            valid_from,
            valid_until,
        })
    }

    /// Delegate, application phase: records the checked delegation with its
    /// audit entry and emits `ApprovalDelegated`.
    fn record_delegation(&mut self, d: Delegation, now: DateTime<FixedOffset>, em: &mut Emitter) {
        let event = EventPayload::ApprovalDelegated {
            instance_id: self.id.clone(),
            subject_id: self.subject_id.clone(),
            from: d.from.clone(),
            to: d.to.clone(),
            role: d.role.clone(),
            valid_from: d.valid_from,
            valid_until: d.valid_until,
        };
        let detail = format!(
            "role {} to {} from {} until {}",
            d.role, d.to, d.valid_from, d.valid_until
        );
        let actor = d.from.clone();
        self.delegations.push(d);
        self.audit.push(AuditEntry {
            at: now,
            actor: Some(actor),
            action: "delegate".into(),
            step_id: None,
            detail,
        });
        em.emit(event);
    }

    /// Withdraw: checks the actor made the request; then closes `next` as
    /// withdrawn, audits it and emits `ApprovalWithdrawn`. A failed check
    /// leaves `next` and `em` untouched.
    fn withdraw(
        &self,
        next: &mut ApprovalInstance,
        em: &mut Emitter,
        actor: &Actor,
        reason: &str,
        now: DateTime<FixedOffset>,
    ) -> Result<(), ApprovalError> {
        if actor.id != self.requester {
            return Err(ApprovalError::NotAuthorized {
                field: "actor.id".into(),
                actor: actor.id.clone(),
                what: "withdraw a request they did not make".into(),
            });
        }
        next.status = ApprovalStatus::Withdrawn;
        next.audit.push(AuditEntry {
            at: now,
            actor: Some(actor.id.clone()),
            action: "withdraw".into(),
            step_id: None,
            detail: reason.to_owned(),
        });
        em.emit(EventPayload::ApprovalWithdrawn {
            instance_id: self.id.clone(),
            subject_id: self.subject_id.clone(),
            requester: actor.id.clone(),
            reason: reason.to_owned(),
        });
        Ok(())
    }

    /// Expire: finds an unsatisfied step of the open level whose deadline
    /// has passed at `now`; then closes `next` as expired, audits it and
    /// emits `ApprovalExpired`. Without one, `next` and `em` stay untouched.
    fn expire(
        &self,
        next: &mut ApprovalInstance,
        em: &mut Emitter,
        now: DateTime<FixedOffset>,
    ) -> Result<(), ApprovalError> {
        let open = self.open_level();
        let late = self.steps.iter().find(|s| {
            Some(s.level) == open && !s.satisfied() && s.deadline.is_some_and(|d| d <= now)
        });
        let Some(late) = late else {
            return Err(ApprovalError::NotExpired {
                field: "now".into(),
            });
        };
        next.status = ApprovalStatus::Expired;
        next.audit.push(AuditEntry {
            at: now,
            actor: None,
            action: "expire".into(),
            step_id: Some(late.step_id.clone()),
            detail: "deadline passed".into(),
        });
        em.emit(EventPayload::ApprovalExpired {
            instance_id: self.id.clone(),
            subject_id: self.subject_id.clone(),
            step_id: late.step_id.clone(),
            deadline: late.deadline,
        });
        Ok(())
    }

    /// Every distinct person whose approval is recorded.
    pub fn approvers(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self
            .steps
            .iter()
            .flat_map(|s| s.approvals.iter().map(|a| a.approver.as_str()))
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }
}

/// Whether approvals of (level, role) in `prev` carry over to `plan`; the
/// reason when they do. Never across sides: a buyer's purchase manager's
/// approval is not the seller's, whatever the roles are called.
fn carry_over(
    prev: &ApprovalInstance,
    plan: &ApprovalPlan,
    level: u32,
    role: &str,
) -> Option<String> {
    if prev.plan.side != plan.side {
        return None;
    }
    let new_step = plan
        .steps
        .iter()
        .find(|s| s.level == level && s.role == role)?;
    let old_step = prev
        .plan
        .steps
        .iter()
        .find(|s| s.level == level && s.role == role)?;
    prev.steps
        .iter()
        .find(|s| s.level == level && s.role == role)
        .filter(|s| !s.approvals.is_empty())?;
    for rule in &new_step.rules {
        let old_rule = old_step.rules.iter().find(|r| r.rule_id == rule.rule_id)?;
        if old_rule.condition != rule.condition {
            return None;
        }
        for reading in &rule.readings {
            if plan.facts.is_worse(&prev.plan.facts, reading.fact) {
                return None;
            }
        }
    }
    let facts: Vec<&str> = new_step
        .rules
        .iter()
        .flat_map(|r| r.readings.iter().map(|x| Fact::name(x.fact)))
        .collect();
    Some(format!("no worse on {}", facts.join(", ")))
}

/// Input of the `approval start` operation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StartInput {
    /// The start command.
    pub start: StartApproval,
    /// The previous instance (re-approval), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous: Option<ApprovalInstance>,
}

/// Input of the `approval decide` operation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DecideInput {
    /// The instance.
    pub instance: ApprovalInstance,
    /// The command.
    pub command: ApprovalCommand,
    /// "Now".
    pub now: DateTime<FixedOffset>,
}

/// An instance plus the events of the transition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ApprovalTransition {
    /// The instance.
    pub instance: ApprovalInstance,
    /// Events.
    pub events: Vec<DomainEvent>,
}

/// The `approval start` operation.
pub fn approval_start(input: &StartInput) -> Result<ApprovalTransition, ApprovalError> {
    let (instance, events) = ApprovalInstance::start(&input.start, input.previous.as_ref())?;
    Ok(ApprovalTransition { instance, events })
}

/// The `approval decide` operation.
pub fn approval_decide(input: &DecideInput) -> Result<ApprovalTransition, ApprovalError> {
    let (instance, events) = input.instance.decide(&input.command, input.now)?;
    Ok(ApprovalTransition { instance, events })
}

impl ApprovalInstance {
    /// Checks that this instance is approved and bound to `want` (same
    /// subject, revision and content digest) and that the subject's own
    /// facts in its plan equal `computed`. `noun` names the subject in the
    /// messages ("revision", "order version"). Quotes use it before issuing,
    /// orders before confirming.
    pub fn check_binding(
        &self,
        want: &SubjectBinding,
        computed: &super::Facts,
        noun: &str,
    ) -> Result<(), BindingMismatch> {
        let miss = |field: &str, detail: String| BindingMismatch {
            field: field.to_owned(),
            detail,
        };
        if self.subject_id != want.subject_id {
            return Err(miss(
                "approval.subject_id",
                format!(
                    "the approval is for {}, not {}",
                    self.subject_id, want.subject_id
                ),
            ));
        }
        if self.status != ApprovalStatus::Approved {
            return Err(miss(
                "approval.status",
                "the approval is not approved".into(),
            ));
        }
        let Some(b) = &self.binding else {
            return Err(miss(
                "approval.binding",
                format!(
                    "the instance was started from raw facts, not from this {}",
                    want.kind
                ),
            ));
        };
        if b.kind != want.kind || b.subject_id != want.subject_id {
            return Err(miss(
                "approval.binding.subject_id",
                format!("the approval is bound to {} {}", b.kind, b.subject_id),
            ));
        }
        if b.revision != want.revision {
            return Err(miss(
                "approval.binding.revision",
                format!(
                    "the approval is for {noun} {}, the {} is at {noun} {}",
                    b.revision, want.kind, want.revision
                ),
            ));
        }
        if b.digest != want.digest {
            return Err(miss(
                "approval.binding.digest",
                format!("the {} changed since it was approved", want.kind),
            ));
        }
        if let Some(f) = super::subject_fact_mismatch(&self.plan.facts, computed) {
            return Err(miss(
                &format!("approval.plan.facts.{}", f.name()),
                format!(
                    "the plan says {} but the {} gives {}",
                    self.plan.facts.value_text(f),
                    want.kind,
                    computed.value_text(f)
                ),
            ));
        }
        Ok(())
    }
}
