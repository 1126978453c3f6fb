//! A shipment's transitions: picking list, reservations, weight, and
//! [`Shipment::apply`] with one phase per command.

use super::*;
use crate::events::{AggregateKind, DomainEvent, EventPayload};

/// What a command's phase decided: when it happened, the event's payload,
/// and the status it moves to (none for a command that only records).
struct Step {
    at: DateTime<Utc>,
    payload: EventPayload,
    status: Option<ShipmentStatus>,
}

/// The ledger effects of a command and the quantities it gives back to
/// allocation.
#[derive(Default)]
struct Effects {
    consume: Vec<ReservationRequest>,
    release: Vec<ReservationRequest>,
    quarantine: Vec<ReservationRequest>,
    returned: Vec<ReturnedQuantity>,
}

impl Shipment {
    /// The picking list: one entry per line and batch, sorted by bin (then
    /// sku, batch, line) for one walk through the warehouse.
    pub fn picking_list(&self) -> Vec<PickEntry> {
        let mut out: Vec<PickEntry> = self
            .lines
            .iter()
            .flat_map(|l| {
                l.batches.iter().map(move |b| PickEntry {
                    bin: b.bin.clone(),
                    sku: l.sku.clone(),
                    batch_id: b.batch_id.clone(),
                    line_id: l.line_id.clone(),
                    quantity: b.quantity,
                })
            })
            .filter(|e| e.quantity > Decimal::ZERO)
            .collect();
        out.sort_by(|a, b| {
            let bin = match (&a.bin, &b.bin) {
                (Some(x), Some(y)) => x.cmp(y),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            };
            bin.then_with(|| a.sku.cmp(&b.sku))
                .then_with(|| a.batch_id.cmp(&b.batch_id))
                .then_with(|| a.line_id.cmp(&b.line_id))
        });
        out
    }

    /// Reservations this shipment holds (what dispatch consumes).
    pub fn reservation_requests(&self) -> Vec<ReservationRequest> {
        self.lines
            .iter()
            .flat_map(|l| {
                l.batches
                    .iter()
                    .filter(|b| b.quantity > Decimal::ZERO)
                    .map(move |b| ReservationRequest {
                        line_id: l.line_id.clone(),
                        warehouse_id: self.warehouse_id.clone(),
                        sku: l.sku.clone(),
                        batch_id: b.batch_id.clone(),
                        quantity: b.quantity,
                    })
            })
            .collect()
    }

    /// Total gross weight of the packages (or of the lines before packing).
    pub fn weight_kg(&self) -> Decimal {
        if self.packages.is_empty() {
            self.lines
                .iter()
                .filter_map(|l| l.quantity.checked_mul(l.info.weight_per_unit_kg))
                .fold(Decimal::ZERO, |a, x| a.checked_add(x).unwrap_or(a))
        } else {
            self.packages.iter().fold(Decimal::ZERO, |a, p| {
                a.checked_add(p.weight_kg).unwrap_or(a)
            })
        }
    }

    /// Applies `command`: the new value and its events, or an error (the
    /// current value stays valid). The phases: the command must be legal in
    /// the current status; the command's own phase changes a copy and says
    /// what happened; the copy takes the new status and the event.
    pub fn apply(&self, command: &ShipmentCommand) -> Result<ShipmentTransition, FulfilmentError> {
        self.check_legal(command)?;
        let mut next = self.clone();
        let mut effects = Effects::default();
        let step = match command {
            ShipmentCommand::ConfirmPicked { at } => self.picked(*at),
            ShipmentCommand::RecordQc { at, results } => {
                self.record_qc(*at, results, &mut next, &mut effects)?
            }
            ShipmentCommand::Pack { at, packages } => self.packed(*at, packages, &mut next)?,
            ShipmentCommand::Dispatch {
                at,
                carrier,
                tracking_number,
                vehicle_number,
                transporter_id,
                transport_mode,
                distance_km,
            } => {
                let info = DispatchInfo {
                    carrier: carrier.clone(),
                    tracking_number: tracking_number.clone(),
                    vehicle_number: vehicle_number.clone(),
                    transporter_id: transporter_id.clone(),
                    transport_mode: *transport_mode,
                    distance_km: distance_km.or(self.distance_km),
                    dispatched_at: *at,
                };
                self.dispatched(info, &mut next, &mut effects)?
            }
            ShipmentCommand::CarrierStatus { update } => self.carrier_status(update, &mut next)?,
            ShipmentCommand::Deliver { at } => self.delivered(*at),
            ShipmentCommand::Return { at, reason } => self.came_back(*at, reason, &mut next),
            ShipmentCommand::Cancel { at, reason } => {
                self.cancelled(*at, reason, &mut next, &mut effects)
            }
        };
        Ok(self.finish(next, step, effects))
    }

    /// Phase 1 of [`Shipment::apply`]: the command is legal in the current
    /// status (`IllegalTransition` otherwise). Guarantees the command phases
    /// a status they may act on; nothing else is checked yet.
    fn check_legal(&self, command: &ShipmentCommand) -> Result<(), FulfilmentError> {
        use ShipmentStatus as S;
        let legal = match command {
            ShipmentCommand::ConfirmPicked { .. } => self.status == S::Planned,
            ShipmentCommand::RecordQc { .. } | ShipmentCommand::Pack { .. } => {
                self.status == S::Picked
            }
            ShipmentCommand::Dispatch { .. } => self.status == S::Packed,
            ShipmentCommand::CarrierStatus { .. } => {
                matches!(self.status, S::Dispatched | S::Delivered | S::Returned)
            }
            ShipmentCommand::Deliver { .. } => self.status == S::Dispatched,
            ShipmentCommand::Return { .. } => {
                matches!(self.status, S::Dispatched | S::Delivered)
            }
            ShipmentCommand::Cancel { .. } => {
                matches!(self.status, S::Planned | S::Picked | S::Packed)
            }
        };
        if legal {
            Ok(())
        } else {
            Err(FulfilmentError::IllegalTransition {
                field: "command".to_owned(),
                from: self.status,
                command: command.name().to_owned(),
            })
        }
    }

    /// Phase 2, confirm picked: the shipment becomes `picked`.
    fn picked(&self, at: DateTime<Utc>) -> Step {
        Step {
            at,
            payload: EventPayload::ShipmentPicked {
                order_id: self.order_id.clone(),
            },
            status: Some(ShipmentStatus::Picked),
        }
    }

    /// Phase 2, record QC: each result is checked and applied to `next`
    /// (failed quantities off their batch, to quarantine and back to
    /// allocation); emptied batches are dropped. The status stays `picked`.
    fn record_qc(
        &self,
        at: DateTime<Utc>,
        results: &[QcResult],
        next: &mut Shipment,
        effects: &mut Effects,
    ) -> Result<Step, FulfilmentError> {
        for (i, r) in results.iter().enumerate() {
            self.qc_result(&index("command.results", i), r, next, effects)?;
        }
        for l in &mut next.lines {
            l.batches.retain(|b| b.quantity > Decimal::ZERO);
        }
        Ok(Step {
            at,
            payload: EventPayload::QcRecorded {
                order_id: self.order_id.clone(),
                returned: effects.returned.clone(),
            },
            status: None,
        })
    }

    /// One QC result (at `rat`): its line and batch exist (the batch named
    /// when the line has several and some failed), the failed quantity is
    /// at most the batch's; the line's QC outcome is updated in `next`.
    fn qc_result(
        &self,
        rat: &str,
        r: &QcResult,
        next: &mut Shipment,
        effects: &mut Effects,
    ) -> Result<(), FulfilmentError> {
        check_qty(r.failed_quantity, false, &path(rat, "failed_quantity"))?;
        let li = next
            .lines
            .iter()
            .position(|l| l.line_id == r.line_id)
            .ok_or_else(|| FulfilmentError::UnknownLine {
                field: path(rat, "line_id"),
                id: r.line_id.clone(),
            })?;
        let Some(line) = next.lines.get_mut(li) else {
            return Ok(());
        };
        let bi = match &r.batch_id {
            Some(b) => line
                .batches
                .iter()
                .position(|x| &x.batch_id == b)
                .ok_or_else(|| FulfilmentError::UnknownLine {
                    field: path(rat, "batch_id"),
                    id: b.clone(),
                })?,
            None if line.batches.len() == 1 => 0,
            None if r.failed_quantity.is_zero() => 0,
            None => {
                return Err(FulfilmentError::MissingField {
                    field: path(rat, "batch_id"),
                    rule: "the line has several batches".to_owned(),
                })
            }
        };
        let qc = line.qc.get_or_insert(QcOutcome {
            passed: Decimal::ZERO,
            failed: Decimal::ZERO,
            notes: Vec::new(),
        });
        if let Some(n) = &r.note {
            qc.notes.push(n.clone());
        }
        if r.failed_quantity.is_zero() {
            qc.passed = line.quantity;
            return Ok(());
        }
        let Some(batch) = line.batches.get_mut(bi) else {
            return Ok(());
        };
        if r.failed_quantity > batch.quantity {
            return Err(crate::fulfilment::bad_qty(
                &path(rat, "failed_quantity"),
                r.failed_quantity,
                &format!("more than the {} picked from the batch", batch.quantity),
            ));
        }
        batch.quantity -= r.failed_quantity;
        let batch_id = batch.batch_id.clone();
        line.quantity -= r.failed_quantity;
        qc.failed += r.failed_quantity;
        qc.passed = line.quantity;
        effects.quarantine.push(ReservationRequest {
            line_id: line.line_id.clone(),
            warehouse_id: self.warehouse_id.clone(),
            sku: line.sku.clone(),
            batch_id: batch_id.clone(),
            quantity: r.failed_quantity,
        });
        effects.returned.push(ReturnedQuantity {
            line_id: line.line_id.clone(),
            sku: line.sku.clone(),
            batch_id,
            quantity: r.failed_quantity,
        });
        Ok(())
    }

    /// Phase 2, pack: the packages are checked against the lines and set
    /// on `next`; the shipment becomes `packed`.
    fn packed(
        &self,
        at: DateTime<Utc>,
        packages: &[PackageSpec],
        next: &mut Shipment,
    ) -> Result<Step, FulfilmentError> {
        next.packages = self.pack(packages)?;
        Ok(Step {
            at,
            payload: EventPayload::ShipmentPacked {
                order_id: self.order_id.clone(),
                packages: packages.len(),
            },
            status: Some(ShipmentStatus::Packed),
        })
    }

    /// Phase 2, dispatch: carrier and tracking number named; the dispatch
    /// details are set on `next` and the reservations are to be consumed;
    /// the shipment becomes `dispatched`.
    fn dispatched(
        &self,
        info: DispatchInfo,
        next: &mut Shipment,
        effects: &mut Effects,
    ) -> Result<Step, FulfilmentError> {
        check_id(&info.carrier, "command.carrier")?;
        check_id(&info.tracking_number, "command.tracking_number")?;
        let step = Step {
            at: info.dispatched_at,
            payload: EventPayload::ShipmentDispatched {
                order_id: self.order_id.clone(),
                customer_id: self.customer_id.clone(),
                lines: self.dispatched_lines(),
                carrier: info.carrier.clone(),
                tracking_number: info.tracking_number.clone(),
                vehicle_number: info.vehicle_number.clone(),
            },
            status: Some(ShipmentStatus::Dispatched),
        };
        next.dispatch = Some(info);
        effects.consume = self.reservation_requests();
        Ok(step)
    }

    /// The lines as the dispatch event shows them: quantities in base
    /// units with their batches.
    fn dispatched_lines(&self) -> Vec<DispatchedLine> {
        self.lines
            .iter()
            .map(|l| DispatchedLine {
                line_id: l.line_id.clone(),
                sku: l.sku.clone(),
                description: l.info.description.clone(),
                quantity: l.quantity,
                unit: l.info.uqc.clone(),
                batches: l
                    .batches
                    .iter()
                    .map(|b| DispatchedBatch {
                        batch_id: b.batch_id.clone(),
                        quantity: b.quantity,
                        expiry_date: b.expiry_date,
                    })
                    .collect(),
            })
            .collect()
    }

    /// Phase 2, carrier status: the update (with a status) is appended to
    /// the tracking; the status does not change.
    fn carrier_status(
        &self,
        update: &CarrierUpdate,
        next: &mut Shipment,
    ) -> Result<Step, FulfilmentError> {
        check_id(&update.status, "command.update.status")?;
        next.tracking.push(update.clone());
        Ok(Step {
            at: update.at,
            payload: EventPayload::CarrierStatusUpdated {
                order_id: self.order_id.clone(),
                status: update.status.clone(),
            },
            status: None,
        })
    }

    /// Phase 2, deliver: the shipment becomes `delivered`.
    fn delivered(&self, at: DateTime<Utc>) -> Step {
        Step {
            at,
            payload: EventPayload::ShipmentDelivered {
                order_id: self.order_id.clone(),
            },
            status: Some(ShipmentStatus::Delivered),
        }
    }

    /// Phase 2, return: the reason is recorded; the shipment becomes
    /// `returned`.
    fn came_back(&self, at: DateTime<Utc>, reason: &str, next: &mut Shipment) -> Step {
        next.closing_reason = Some(reason.to_owned());
        Step {
            at,
            payload: EventPayload::ShipmentReturned {
                order_id: self.order_id.clone(),
                reason: reason.to_owned(),
            },
            status: Some(ShipmentStatus::Returned),
        }
    }

    /// Phase 2, cancel: the reason is recorded, every reservation is to be
    /// released and its quantity goes back to allocation; the shipment
    /// becomes `cancelled`.
    fn cancelled(
        &self,
        at: DateTime<Utc>,
        reason: &str,
        next: &mut Shipment,
        effects: &mut Effects,
    ) -> Step {
        next.closing_reason = Some(reason.to_owned());
        effects.release = self.reservation_requests();
        effects.returned = effects
            .release
            .iter()
            .map(|r| ReturnedQuantity {
                line_id: r.line_id.clone(),
                sku: r.sku.clone(),
                batch_id: r.batch_id.clone(),
                quantity: r.quantity,
            })
            .collect();
        Step {
            at,
            payload: EventPayload::ShipmentCancelled {
                order_id: self.order_id.clone(),
                reason: reason.to_owned(),
            },
            status: Some(ShipmentStatus::Cancelled),
        }
    }

    /// Phase 3 of [`Shipment::apply`]: `next` takes the step's status (and
    /// a history entry) and the next sequence number; the transition holds
    /// the one event and the effects.
    fn finish(&self, mut next: Shipment, step: Step, effects: Effects) -> ShipmentTransition {
        if let Some(s) = step.status {
            next.status = s;
            next.history.push(StatusChange {
                status: s,
                at: step.at,
            });
        }
        next.last_sequence = self.last_sequence.saturating_add(1);
        let event = DomainEvent {
            aggregate_kind: AggregateKind::Shipment,
            aggregate_id: self.id.clone(),
            sequence: next.last_sequence,
            at: step.at.fixed_offset(),
            payload: step.payload,
        };
        ShipmentTransition {
            shipment: next,
            events: vec![event],
            consume: effects.consume,
            release: effects.release,
            quarantine: effects.quarantine,
            returned_to_allocation: effects.returned,
        }
    }

    /// Applies `command` and its ledger effects (consume at dispatch,
    /// quarantine on QC failure, release on cancel). If the ledger refuses,
    /// nothing changes (each command has at most one ledger effect).
    pub fn apply_with_ledger(
        &self,
        command: &ShipmentCommand,
        ledger: &ReservationLedger,
    ) -> Result<ShipmentTransition, FulfilmentError> {
        let t = self.apply(command)?;
        if !t.consume.is_empty() {
            ledger.consume(&self.order_id, &t.consume)?;
        }
        if !t.release.is_empty() {
            ledger.release(&self.order_id, &t.release)?;
        }
        if !t.quarantine.is_empty() {
            ledger.quarantine(&self.order_id, &t.quarantine)?;
        }
        Ok(t)
    }

    fn pack(&self, specs: &[PackageSpec]) -> Result<Vec<Package>, FulfilmentError> {
        if specs.is_empty() {
            return Err(FulfilmentError::MissingField {
                field: "command.packages".to_owned(),
                rule: "at least one package".to_owned(),
            });
        }
        let mut ids = FxHashSet::default();
        let mut packed: Vec<Decimal> = vec![Decimal::ZERO; self.lines.len()];
        let mut out = Vec::with_capacity(specs.len());
        for (i, p) in specs.iter().enumerate() {
            let at = index("command.packages", i);
            check_id(&p.package_id, &path(&at, "package_id"))?;
            if !ids.insert(p.package_id.as_str()) {
                return Err(FulfilmentError::DuplicateId {
                    field: path(&at, "package_id"),
                    id: p.package_id.clone(),
                });
            }
            if let Some(w) = p.weight_kg {
                check_qty(w, true, &path(&at, "weight_kg"))?;
            }
            if let Some(d) = &p.dimensions {
                check_qty(d.length_cm, true, &path(&at, "dimensions.length_cm"))?;
                check_qty(d.width_cm, true, &path(&at, "dimensions.width_cm"))?;
                check_qty(d.height_cm, true, &path(&at, "dimensions.height_cm"))?;
            }
            let mut weight = Decimal::ZERO;
            let mut instructions: Vec<String> = self.packaging_instructions.clone();
            for (j, c) in p.contents.iter().enumerate() {
                let cat = index(&path(&at, "contents"), j);
                check_qty(c.quantity, true, &path(&cat, "quantity"))?;
                let li = self
                    .lines
                    .iter()
                    .position(|l| l.line_id == c.line_id)
                    .ok_or_else(|| FulfilmentError::UnknownLine {
                        field: path(&cat, "line_id"),
                        id: c.line_id.clone(),
                    })?;
                let overflow = || FulfilmentError::Overflow {
                    field: path(&cat, "quantity"),
                };
                if let (Some(x), Some(line)) = (packed.get_mut(li), self.lines.get(li)) {
                    *x = x.checked_add(c.quantity).ok_or_else(overflow)?;
                    weight = c
                        .quantity
                        .checked_mul(line.info.weight_per_unit_kg)
                        .and_then(|w| weight.checked_add(w))
                        .ok_or_else(overflow)?;
                    for ins in &line.info.packaging_instructions {
                        if !instructions.contains(ins) {
                            instructions.push(ins.clone());
                        }
                    }
                }
            }
            out.push(Package {
                package_id: p.package_id.clone(),
                weight_kg: p.weight_kg.unwrap_or(weight.normalize()),
                dimensions: p.dimensions.clone(),
                contents: p.contents.clone(),
                instructions,
            });
        }
        for (li, l) in self.lines.iter().enumerate() {
            let got = packed.get(li).copied().unwrap_or(Decimal::ZERO);
            if got != l.quantity {
                return Err(FulfilmentError::PackingMismatch {
                    field: "command.packages".to_owned(),
                    line_id: l.line_id.clone(),
                    packed: got,
                    expected: l.quantity,
                });
            }
        }
        Ok(out)
    }
}
