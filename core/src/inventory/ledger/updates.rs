//! Host stock updates, applied all or nothing: every update is checked and
//! staged against the ledger's state (each seeing the ones before it), then
//! the staged data is written at once and the reservations that no longer
//! fit are reported.

use super::*;

/// A stock key by names: warehouse, sku, batch.
type Names = (String, String, String);

/// What the updates change before anything is written: existing slots'
/// new data, and batches not yet in the ledger (in first-seen order).
#[derive(Default)]
struct Staged {
    changed: FxHashMap<u32, SlotData>,
    added: Vec<(Names, SlotData)>,
    added_ix: FxHashMap<Names, usize>,
}

impl ReservationLedger {
    /// Applies host stock updates all or nothing and reports the
    /// reservations that no longer fit. The phases: stage every update
    /// (the first error leaves the ledger untouched), write the staged
    /// data, report the conflicts of the slots written.
    pub fn apply_updates(
        &self,
        updates: &[StockUpdate],
    ) -> Result<StockUpdateReport, InventoryError> {
        let mut st = self.lock();
        let mut staged = Staged::default();
        for (i, u) in updates.iter().enumerate() {
            staged.update(&st, u, &index("updates", i))?;
        }
        let (batches_changed, touched) = staged.write(&mut st);
        Ok(StockUpdateReport {
            batches_changed,
            conflicts: conflicts(&st, touched),
        })
    }
}

impl Staged {
    /// Phase 1: one update (at `at`) checked and staged. Guarantees that
    /// what is staged is valid data for the slot, as of the updates so far.
    fn update(&mut self, st: &State, u: &StockUpdate, at: &str) -> Result<(), InventoryError> {
        match u {
            StockUpdate::Adjust {
                warehouse_id,
                sku,
                batch_id,
                delta,
            } => self.adjust(st, (warehouse_id, sku, batch_id), *delta, at),
            StockUpdate::Receive {
                warehouse_id,
                sku,
                batch,
            } => self.set_batch(st, warehouse_id, sku, batch, true, at),
            StockUpdate::SetBatch {
                warehouse_id,
                sku,
                batch,
            } => self.set_batch(st, warehouse_id, sku, batch, false, at),
            StockUpdate::ReplaceWarehouses { snapshot } => self.replace(st, snapshot, false, at),
            StockUpdate::ReplaceAll { snapshot } => self.replace(st, snapshot, true, at),
        }
    }

    /// The staged data of a slot (or of a batch added earlier), else the
    /// ledger's.
    fn current(&self, st: &State, slot: Option<u32>, names: &Names) -> Option<SlotData> {
        match slot {
            Some(s) => self
                .changed
                .get(&s)
                .cloned()
                .or_else(|| st.slots.get(s as usize).map(|x| x.data.clone())),
            None => self
                .added_ix
                .get(names)
                .and_then(|&p| self.added.get(p))
                .map(|(_, d)| d.clone()),
        }
    }

    /// An adjustment: the batch exists (in the ledger or added earlier),
    /// the delta has at most 6 decimals and leaves on-hand at least zero.
    fn adjust(
        &mut self,
        st: &State,
        (warehouse_id, sku, batch_id): (&str, &str, &str),
        delta: Decimal,
        at: &str,
    ) -> Result<(), InventoryError> {
        if delta.normalize().scale() > crate::inventory::MAX_QUANTITY_SCALE {
            return Err(InventoryError::InvalidQuantity {
                field: path(at, "delta"),
                value: delta.to_string(),
                rule: "at most 6 decimal places".to_owned(),
            });
        }
        let names = (warehouse_id.to_owned(), sku.to_owned(), batch_id.to_owned());
        let slot = st.slot_of(warehouse_id, sku, batch_id);
        let Some(mut data) = self.current(st, slot, &names) else {
            return Err(InventoryError::UnknownStock {
                field: path(at, "batch_id"),
                stock: stock_key(warehouse_id, sku, batch_id),
            });
        };
        let result = data
            .on_hand
            .checked_add(delta)
            .ok_or_else(|| InventoryError::Overflow {
                field: path(at, "delta"),
            })?;
        if result < Decimal::ZERO {
            return Err(InventoryError::NegativeStock {
                field: path(at, "delta"),
                stock: stock_key(warehouse_id, sku, batch_id),
                result,
            });
        }
        data.on_hand = result;
        self.stage(slot, names, data);
        Ok(())
    }

    /// A receipt (`receive`: added to an existing batch's on-hand) or a
    /// batch set as given (keeping its reservations).
    fn set_batch(
        &mut self,
        st: &State,
        warehouse_id: &str,
        sku: &str,
        batch: &StockBatch,
        receive: bool,
        at: &str,
    ) -> Result<(), InventoryError> {
        check_id(warehouse_id, &path(at, "warehouse_id"))?;
        check_id(sku, &path(at, "sku"))?;
        check_id(&batch.batch_id, &path(at, "batch.batch_id"))?;
        check_quantity(batch.on_hand, false, &path(at, "batch.on_hand"))?;
        let names = (
            warehouse_id.to_owned(),
            sku.to_owned(),
            batch.batch_id.clone(),
        );
        let slot = st.slot_of(warehouse_id, sku, &batch.batch_id);
        let data = match (receive, self.current(st, slot, &names)) {
            (true, Some(mut d)) => {
                d.on_hand = d.on_hand.checked_add(batch.on_hand).ok_or_else(|| {
                    InventoryError::Overflow {
                        field: path(at, "batch.on_hand"),
                    }
                })?;
                d
            }
            (_, current) => {
                let reserved = current.map(|d| d.reserved).unwrap_or(Decimal::ZERO);
                SlotData::from_batch(batch, reserved)
            }
        };
        self.stage(slot, names, data);
        Ok(())
    }

    /// A count replacing the stock of its warehouses (or of all, `all`):
    /// everything in scope is zeroed, then the counted batches are set
    /// (keeping their reservations).
    fn replace(
        &mut self,
        st: &State,
        snapshot: &StockSnapshot,
        all: bool,
        at: &str,
    ) -> Result<(), InventoryError> {
        validate_snapshot(snapshot, &path(at, "snapshot"))?;
        let scope: Option<FxHashSet<u32>> = (!all).then(|| {
            snapshot
                .items
                .iter()
                .filter_map(|it| st.whs.get(&it.warehouse_id))
                .collect()
        });
        for (s, slot) in st.slots.iter().enumerate() {
            let in_scope = scope
                .as_ref()
                .map(|sc| sc.contains(&slot.wh))
                .unwrap_or(true);
            if in_scope {
                let s = u32::try_from(s).unwrap_or(u32::MAX);
                let mut d = self
                    .changed
                    .get(&s)
                    .cloned()
                    .unwrap_or_else(|| slot.data.clone());
                d.on_hand = Decimal::ZERO;
                self.changed.insert(s, d);
            }
        }
        for p in self.added.iter_mut() {
            let in_scope =
                scope.is_none() || snapshot.items.iter().any(|it| it.warehouse_id == p.0 .0);
            if in_scope {
                p.1.on_hand = Decimal::ZERO;
            }
        }
        for item in &snapshot.items {
            for b in &item.batches {
                let names = (
                    item.warehouse_id.clone(),
                    item.sku.clone(),
                    b.batch_id.clone(),
                );
                let slot = st.slot_of(&item.warehouse_id, &item.sku, &b.batch_id);
                let reserved = slot
                    .and_then(|s| st.slots.get(s as usize))
                    .map(|x| x.data.reserved)
                    .unwrap_or(Decimal::ZERO);
                self.stage(slot, names, SlotData::from_batch(b, reserved));
            }
        }
        Ok(())
    }

    /// Stages `data` for an existing slot or for a batch by its names.
    fn stage(&mut self, slot: Option<u32>, names: Names, data: SlotData) {
        match slot {
            Some(s) => {
                self.changed.insert(s, data);
            }
            None => match self.added_ix.get(&names) {
                Some(&p) => {
                    if let Some(e) = self.added.get_mut(p) {
                        e.1 = data;
                    }
                }
                None => {
                    self.added_ix.insert(names.clone(), self.added.len());
                    self.added.push((names, data));
                }
            },
        }
    }

    /// Phase 2: every update staged, the data is written. Returns how many
    /// batches changed (existing ones whose data differs, plus new ones)
    /// and the existing slots written, sorted, for phase 3.
    fn write(self, st: &mut State) -> (usize, Vec<u32>) {
        let batches_changed = self
            .changed
            .iter()
            .filter(|(s, d)| {
                st.slots
                    .get(**s as usize)
                    .map(|x| &x.data != *d)
                    .unwrap_or(false)
            })
            .count()
            + self.added.len();
        let mut touched: Vec<u32> = self.changed.keys().copied().collect();
        touched.sort_unstable();
        for (s, d) in self.changed {
            if let Some(slot) = st.slots.get_mut(s as usize) {
                slot.data = d;
            }
        }
        for ((w, k, b), d) in self.added {
            st.insert_slot(&w, &k, &b, d);
        }
        (batches_changed, touched)
    }
}

/// Phase 3: the written slots whose reservations exceed their allocatable
/// stock, each with its reservations sorted by order and line.
fn conflicts(st: &State, touched: Vec<u32>) -> Vec<ReservationConflict> {
    let mut conflicts = Vec::new();
    for s in touched {
        let Some(slot) = st.slots.get(s as usize) else {
            continue;
        };
        if slot.data.reserved > slot.data.allocatable() {
            let mut reservations: Vec<Reservation> = st
                .holds
                .iter()
                .flat_map(|(order, h)| {
                    h.iter()
                        .filter(|(_, hs, _)| *hs == s)
                        .map(|(line, hs, q)| st.reservation(order, line, hs, q))
                        .collect::<Vec<_>>()
                })
                .collect();
            reservations.sort_by(|a, b| (&a.order_id, &a.line_id).cmp(&(&b.order_id, &b.line_id)));
            let (w, k, b) = st.names(s);
            conflicts.push(ReservationConflict {
                warehouse_id: w.to_owned(),
                sku: k.to_owned(),
                batch_id: b.to_owned(),
                allocatable: slot.data.allocatable(),
                reserved: slot.data.reserved,
                reservations,
            });
        }
    }
    conflicts
}
