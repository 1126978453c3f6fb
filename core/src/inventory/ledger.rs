//! The reservation ledger: on hand and reserved per warehouse × sku × batch,
//! behind one mutex, with integer-interned keys on the hot path.

use std::collections::BTreeMap;
use std::sync::{Mutex, MutexGuard, PoisonError};

use chrono::NaiveDate;
use rust_decimal::Decimal;
use rustc_hash::{FxHashMap, FxHashSet};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{
    check_id, check_quantity, stock_key, validate_snapshot, InventoryError, QualityStatus,
    Shortfall, StockBatch, StockItem, StockSnapshot,
};
use crate::error::{index, path};

mod updates;

/// One quantity to reserve, release or consume for an order line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReservationRequest {
    /// Order line id.
    pub line_id: String,
    /// Warehouse.
    pub warehouse_id: String,
    /// Sku.
    pub sku: String,
    /// Batch.
    pub batch_id: String,
    /// Quantity in base units, greater than zero.
    pub quantity: Decimal,
}

/// A reservation held by an order line on a batch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Reservation {
    /// Order id.
    pub order_id: String,
    /// Order line id.
    pub line_id: String,
    /// Warehouse.
    pub warehouse_id: String,
    /// Sku.
    pub sku: String,
    /// Batch.
    pub batch_id: String,
    /// Quantity reserved.
    pub quantity: Decimal,
}

/// A stock change from the host.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum StockUpdate {
    /// Adds (receipt) or removes (adjustment, write-off) quantity on an existing batch.
    Adjust {
        /// Warehouse.
        warehouse_id: String,
        /// Sku.
        sku: String,
        /// Batch.
        batch_id: String,
        /// Signed change of on hand.
        delta: Decimal,
    },
    /// Receives a batch: adds its on hand to an existing batch (keeping the
    /// existing dates and status) or creates it with the attributes given.
    Receive {
        /// Warehouse.
        warehouse_id: String,
        /// Sku.
        sku: String,
        /// The batch received (`reserved` is ignored).
        batch: StockBatch,
    },
    /// Replaces one batch's on hand and attributes (creating it if absent).
    SetBatch {
        /// Warehouse.
        warehouse_id: String,
        /// Sku.
        sku: String,
        /// The batch (`reserved` is ignored).
        batch: StockBatch,
    },
    /// A fresh count of the warehouses that appear in `snapshot`: their
    /// batches missing from it drop to zero on hand.
    ReplaceWarehouses {
        /// The count (`reserved` is ignored).
        snapshot: StockSnapshot,
    },
    /// A fresh count of everything: every batch missing from it drops to zero.
    ReplaceAll {
        /// The count (`reserved` is ignored).
        snapshot: StockSnapshot,
    },
}

/// Reservations that no longer fit a batch after a stock update.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReservationConflict {
    /// Warehouse.
    pub warehouse_id: String,
    /// Sku.
    pub sku: String,
    /// Batch.
    pub batch_id: String,
    /// What can back reservations now (on hand if released, else zero).
    pub allocatable: Decimal,
    /// Total reserved on the batch.
    pub reserved: Decimal,
    /// The reservations on the batch, sorted by order and line.
    pub reservations: Vec<Reservation>,
}

/// Outcome of [`ReservationLedger::apply_updates`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StockUpdateReport {
    /// Number of batches changed or created.
    pub batches_changed: usize,
    /// Batches whose reservations no longer fit, for the host to re-allocate.
    pub conflicts: Vec<ReservationConflict>,
}

#[derive(Debug, Clone, PartialEq)]
struct SlotData {
    on_hand: Decimal,
    reserved: Decimal,
    mfg_date: Option<NaiveDate>,
    expiry_date: Option<NaiveDate>,
    bin: Option<String>,
    quality: QualityStatus,
}

impl SlotData {
    fn from_batch(b: &StockBatch, reserved: Decimal) -> Self {
        Self {
            on_hand: b.on_hand,
            reserved,
            mfg_date: b.mfg_date,
            expiry_date: b.expiry_date,
            bin: b.bin.clone(),
            quality: b.quality,
        }
    }

    fn allocatable(&self) -> Decimal {
        if self.quality == QualityStatus::Released {
            self.on_hand
        } else {
            Decimal::ZERO
        }
    }
}

#[derive(Debug, Clone)]
struct Slot {
    wh: u32,
    sku: u32,
    batch: u32,
    data: SlotData,
}

#[derive(Debug, Default)]
struct Interner {
    ids: FxHashMap<String, u32>,
    names: Vec<String>,
}

impl Interner {
    fn get(&self, s: &str) -> Option<u32> {
        self.ids.get(s).copied()
    }

    fn intern(&mut self, s: &str) -> u32 {
        if let Some(i) = self.ids.get(s) {
            return *i;
        }
        let i = u32::try_from(self.names.len()).unwrap_or(u32::MAX);
        self.ids.insert(s.to_owned(), i);
        self.names.push(s.to_owned());
        i
    }

    fn name(&self, i: u32) -> &str {
        self.names.get(i as usize).map(String::as_str).unwrap_or("")
    }
}

/// Holds of one order: line id → slot → quantity, ordered for stable output;
/// nested so that adding to an existing line allocates nothing.
#[derive(Debug, Default)]
struct OrderHolds(BTreeMap<String, BTreeMap<u32, Decimal>>);

impl OrderHolds {
    fn add(&mut self, line: &str, s: u32, q: Decimal) {
        match self.0.get_mut(line) {
            Some(m) => *m.entry(s).or_insert(Decimal::ZERO) += q,
            None => {
                self.0.insert(line.to_owned(), BTreeMap::from([(s, q)]));
            }
        }
    }

    fn get(&self, line: &str, s: u32) -> Decimal {
        self.0
            .get(line)
            .and_then(|m| m.get(&s))
            .copied()
            .unwrap_or(Decimal::ZERO)
    }

    fn sub(&mut self, line: &str, s: u32, q: Decimal) {
        if let Some(m) = self.0.get_mut(line) {
            if let Some(v) = m.get_mut(&s) {
                *v -= q;
                if v.is_zero() {
                    m.remove(&s);
                }
            }
            if m.is_empty() {
                self.0.remove(line);
            }
        }
    }

    fn iter(&self) -> impl Iterator<Item = (&str, u32, Decimal)> {
        self.0
            .iter()
            .flat_map(|(l, m)| m.iter().map(move |(s, q)| (l.as_str(), *s, *q)))
    }
}

#[derive(Debug, Default)]
struct State {
    whs: Interner,
    skus: Interner,
    batches: Interner,
    index: FxHashMap<(u32, u32, u32), u32>,
    slots: Vec<Slot>,
    holds: FxHashMap<String, OrderHolds>,
}

impl State {
    fn slot_of(&self, wh: &str, sku: &str, batch: &str) -> Option<u32> {
        let key = (
            self.whs.get(wh)?,
            self.skus.get(sku)?,
            self.batches.get(batch)?,
        );
        self.index.get(&key).copied()
    }

    fn insert_slot(&mut self, wh: &str, sku: &str, batch: &str, data: SlotData) -> u32 {
        let key = (
            self.whs.intern(wh),
            self.skus.intern(sku),
            self.batches.intern(batch),
        );
        if let Some(&s) = self.index.get(&key) {
            if let Some(slot) = self.slots.get_mut(s as usize) {
                slot.data = data;
            }
            return s;
        }
        let s = u32::try_from(self.slots.len()).unwrap_or(u32::MAX);
        self.slots.push(Slot {
            wh: key.0,
            sku: key.1,
            batch: key.2,
            data,
        });
        self.index.insert(key, s);
        s
    }

    fn names(&self, s: u32) -> (&str, &str, &str) {
        match self.slots.get(s as usize) {
            Some(slot) => (
                self.whs.name(slot.wh),
                self.skus.name(slot.sku),
                self.batches.name(slot.batch),
            ),
            None => ("", "", ""),
        }
    }

    fn reservation(&self, order: &str, line: &str, s: u32, q: Decimal) -> Reservation {
        let (w, k, b) = self.names(s);
        Reservation {
            order_id: order.to_owned(),
            line_id: line.to_owned(),
            warehouse_id: w.to_owned(),
            sku: k.to_owned(),
            batch_id: b.to_owned(),
            quantity: q,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Take {
    Release,
    Consume,
    Quarantine,
}

/// Id of the batch that holds a batch's QC-failed units
/// (`{batch_id}~qc-hold`); see [`ReservationLedger::quarantine`].
pub fn hold_batch_id(batch_id: &str) -> String {
    format!("{batch_id}~qc-hold")
}

/// The reservation ledger: `Send + Sync`, share it with an `Arc`.
///
/// Every operation is atomic: it either applies fully or returns an error
/// and changes nothing. The sum reserved on a batch never exceeds its on hand
/// through reservations (only a host stock update can make it so, and that
/// is reported).
#[derive(Debug, Default)]
pub struct ReservationLedger {
    state: Mutex<State>,
}

fn resolve<'a>(
    st: &State,
    requests: &'a [ReservationRequest],
    field: &str,
) -> Result<Vec<(u32, &'a ReservationRequest)>, InventoryError> {
    let mut out = Vec::with_capacity(requests.len());
    for (i, r) in requests.iter().enumerate() {
        match st.slot_of(&r.warehouse_id, &r.sku, &r.batch_id) {
            Some(s) => out.push((s, r)),
            None => {
                return Err(InventoryError::UnknownStock {
                    field: path(&index(field, i), "batch_id"),
                    stock: stock_key(&r.warehouse_id, &r.sku, &r.batch_id),
                })
            }
        }
    }
    Ok(out)
}

fn check_requests(requests: &[ReservationRequest], field: &str) -> Result<(), InventoryError> {
    for (i, r) in requests.iter().enumerate() {
        let at = index(field, i);
        check_id(&r.line_id, &path(&at, "line_id"))?;
        check_quantity(r.quantity, true, &path(&at, "quantity"))?;
    }
    Ok(())
}

/// Sums quantities per key, keeping the first index of each key.
fn totals<K: Copy + Eq + std::hash::Hash>(
    items: impl Iterator<Item = (usize, K, Decimal)>,
    field: &str,
) -> Result<Vec<(usize, K, Decimal)>, InventoryError> {
    let mut out: Vec<(usize, K, Decimal)> = Vec::new();
    let mut pos: FxHashMap<K, usize> = FxHashMap::default();
    for (i, k, q) in items {
        match pos.get(&k) {
            Some(&p) => {
                if let Some(e) = out.get_mut(p) {
                    e.2 = e.2.checked_add(q).ok_or_else(|| InventoryError::Overflow {
                        field: path(&index(field, i), "quantity"),
                    })?;
                }
            }
            None => {
                pos.insert(k, out.len());
                out.push((i, k, q));
            }
        }
    }
    Ok(out)
}

impl ReservationLedger {
    /// A ledger holding `snapshot`'s stock and no reservations (the
    /// snapshot's `reserved` fields are ignored).
    pub fn new(snapshot: &StockSnapshot) -> Result<Self, InventoryError> {
        validate_snapshot(snapshot, "snapshot")?;
        let mut st = State::default();
        for item in &snapshot.items {
            for b in &item.batches {
                st.insert_slot(
                    &item.warehouse_id,
                    &item.sku,
                    &b.batch_id,
                    SlotData::from_batch(b, Decimal::ZERO),
                );
            }
        }
        Ok(Self {
            state: Mutex::new(st),
        })
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // Mutations validate before writing and write infallibly, so a
        // poisoned lock still guards a consistent state.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Reserves every request for `order_id`, or nothing: if any batch lacks
    /// the quantity (or is not released), fails with every request that does
    /// not fit (`INSUFFICIENT_STOCK`, field `requests[i].quantity`).
    pub fn reserve(
        &self,
        order_id: &str,
        requests: &[ReservationRequest],
    ) -> Result<(), InventoryError> {
        check_id(order_id, "order_id")?;
        check_requests(requests, "requests")?;
        let mut st = self.lock();
        // Fast path for the common single-request call: no allocation unless
        // the order or line is new.
        if let [r] = requests {
            let Some(s) = st.slot_of(&r.warehouse_id, &r.sku, &r.batch_id) else {
                return Err(InventoryError::UnknownStock {
                    field: "requests[0].batch_id".to_owned(),
                    stock: stock_key(&r.warehouse_id, &r.sku, &r.batch_id),
                });
            };
            let Some(slot) = st.slots.get_mut(s as usize) else {
                return Err(InventoryError::UnknownStock {
                    field: "requests[0].batch_id".to_owned(),
                    stock: stock_key(&r.warehouse_id, &r.sku, &r.batch_id),
                });
            };
            let available = (slot.data.allocatable() - slot.data.reserved).max(Decimal::ZERO);
            if r.quantity > available {
                return Err(InventoryError::InsufficientStock {
                    field: "requests[0].quantity".to_owned(),
                    shortfalls: vec![Shortfall {
                        index: 0,
                        line_id: r.line_id.clone(),
                        warehouse_id: r.warehouse_id.clone(),
                        sku: r.sku.clone(),
                        batch_id: r.batch_id.clone(),
                        requested: r.quantity,
                        available,
                    }],
                });
            }
            slot.data.reserved += r.quantity;
            match st.holds.get_mut(order_id) {
                Some(h) => h.add(&r.line_id, s, r.quantity),
                None => st
                    .holds
                    .entry(order_id.to_owned())
                    .or_default()
                    .add(&r.line_id, s, r.quantity),
            }
            return Ok(());
        }
        let resolved = resolve(&st, requests, "requests")?;
        let per_slot = {
            totals(
                resolved
                    .iter()
                    .enumerate()
                    .map(|(i, (s, r))| (i, *s, r.quantity)),
                "requests",
            )?
        };
        let mut shortfalls = Vec::new();
        for &(i, s, q) in &per_slot {
            let Some(slot) = st.slots.get(s as usize) else {
                continue;
            };
            let available = (slot.data.allocatable() - slot.data.reserved).max(Decimal::ZERO);
            if q > available {
                // Every request on the batch no longer fits: name each line.
                let (w, k, b) = st.names(s);
                for (j, (rs, r)) in resolved.iter().enumerate().skip(i) {
                    if *rs != s {
                        continue;
                    }
                    shortfalls.push(Shortfall {
                        index: j,
                        line_id: r.line_id.clone(),
                        warehouse_id: w.to_owned(),
                        sku: k.to_owned(),
                        batch_id: b.to_owned(),
                        requested: q,
                        available,
                    });
                }
            }
        }
        shortfalls.sort_by_key(|x| x.index);
        if let Some(first) = shortfalls.first() {
            return Err(InventoryError::InsufficientStock {
                field: path(&index("requests", first.index), "quantity"),
                shortfalls,
            });
        }
        // Every check passed: write (no fallible step from here on).
        for &(_, s, q) in &per_slot {
            if let Some(slot) = st.slots.get_mut(s as usize) {
                slot.data.reserved += q;
            }
        }
        let holds = match st.holds.get_mut(order_id) {
            Some(h) => h,
            None => st.holds.entry(order_id.to_owned()).or_default(),
        };
        for (s, r) in resolved {
            holds.add(&r.line_id, s, r.quantity);
        }
        Ok(())
    }

    /// Releases every reservation of `order_id` and returns them (empty when
    /// the order holds nothing: releasing is idempotent).
    pub fn release_order(&self, order_id: &str) -> Result<Vec<Reservation>, InventoryError> {
        let mut st = self.lock();
        let Some(holds) = st.holds.remove(order_id) else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        for (line, s, q) in holds.iter() {
            if let Some(slot) = st.slots.get_mut(s as usize) {
                slot.data.reserved = (slot.data.reserved - q).max(Decimal::ZERO);
            }
            out.push(st.reservation(order_id, line, s, q));
        }
        Ok(out)
    }

    /// Releases exactly the quantities given (fails with `NOT_RESERVED` if
    /// any exceeds what the order line holds on that batch).
    pub fn release(
        &self,
        order_id: &str,
        requests: &[ReservationRequest],
    ) -> Result<(), InventoryError> {
        self.take(order_id, requests, Take::Release)
    }

    /// Takes reserved quantities that failed QC out of released stock: the
    /// reservation ends, the quantity leaves the batch's on hand and goes to
    /// its hold batch ([`hold_batch_id`], same dates and bin, status on
    /// hold), which is never allocated until the host releases it (e.g. with
    /// [`StockUpdate::SetBatch`]). Fails with `NOT_RESERVED` if more than is
    /// held; all or nothing.
    pub fn quarantine(
        &self,
        order_id: &str,
        requests: &[ReservationRequest],
    ) -> Result<(), InventoryError> {
        self.take(order_id, requests, Take::Quarantine)
    }

    /// Consumes reservations at dispatch: the quantities leave both reserved
    /// and on hand. Fails with `NOT_RESERVED` if more than is held.
    pub fn consume(
        &self,
        order_id: &str,
        requests: &[ReservationRequest],
    ) -> Result<(), InventoryError> {
        self.take(order_id, requests, Take::Consume)
    }

    fn take(
        &self,
        order_id: &str,
        requests: &[ReservationRequest],
        mode: Take,
    ) -> Result<(), InventoryError> {
        check_requests(requests, "requests")?;
        let mut st = self.lock();
        let resolved = resolve(&st, requests, "requests")?;
        let mut per_hold: Vec<(usize, (String, u32), Decimal)> = Vec::new();
        for (i, (s, r)) in resolved.iter().enumerate() {
            match per_hold
                .iter_mut()
                .find(|(_, k, _)| k.1 == *s && k.0 == r.line_id)
            {
                Some(e) => {
                    e.2 =
                        e.2.checked_add(r.quantity)
                            .ok_or_else(|| InventoryError::Overflow {
                                field: path(&index("requests", i), "quantity"),
                            })?
                }
                None => per_hold.push((i, (r.line_id.clone(), *s), r.quantity)),
            }
        }
        let empty = OrderHolds::default();
        let holds = st.holds.get(order_id).unwrap_or(&empty);
        for (i, key, q) in &per_hold {
            let held = holds.get(&key.0, key.1);
            if *q > held {
                let (w, k, b) = st.names(key.1);
                return Err(InventoryError::NotReserved {
                    field: path(&index("requests", *i), "quantity"),
                    line_id: key.0.clone(),
                    stock: stock_key(w, k, b),
                    held,
                    requested: *q,
                });
            }
        }
        let mut held: Vec<(u32, Decimal)> = Vec::new();
        for (_, key, q) in per_hold {
            if let Some(slot) = st.slots.get_mut(key.1 as usize) {
                slot.data.reserved = (slot.data.reserved - q).max(Decimal::ZERO);
                if mode != Take::Release {
                    slot.data.on_hand = (slot.data.on_hand - q).max(Decimal::ZERO);
                }
            }
            if mode == Take::Quarantine {
                match held.iter_mut().find(|h| h.0 == key.1) {
                    Some(h) => h.1 += q,
                    None => held.push((key.1, q)),
                }
            }
            if let Some(h) = st.holds.get_mut(order_id) {
                h.sub(&key.0, key.1, q);
                if h.0.is_empty() {
                    st.holds.remove(order_id);
                }
            }
        }
        for (s, q) in held {
            let Some(src) = st.slots.get(s as usize) else {
                continue;
            };
            let (w, k, b) = st.names(s);
            let (w, k, hold) = (w.to_owned(), k.to_owned(), hold_batch_id(b));
            let mut data = src.data.clone();
            data.quality = QualityStatus::OnHold;
            data.reserved = Decimal::ZERO;
            data.on_hand = match st.slot_of(&w, &k, &hold) {
                Some(h) => st
                    .slots
                    .get(h as usize)
                    .map(|x| x.data.on_hand)
                    .unwrap_or(Decimal::ZERO)
                    .saturating_add(q),
                None => q,
            };
            st.insert_slot(&w, &k, &hold, data);
        }
        Ok(())
    }

    /// The reservations `order_id` holds, sorted by line then batch key.
    pub fn reservations(&self, order_id: &str) -> Result<Vec<Reservation>, InventoryError> {
        let st = self.lock();
        Ok(st
            .holds
            .get(order_id)
            .map(|h| {
                h.iter()
                    .map(|(line, s, q)| st.reservation(order_id, line, s, q))
                    .collect()
            })
            .unwrap_or_default())
    }

    /// Available (on hand − reserved, zero unless released) of one batch.
    pub fn available(
        &self,
        warehouse_id: &str,
        sku: &str,
        batch_id: &str,
    ) -> Result<Decimal, InventoryError> {
        let st = self.lock();
        let s = st.slot_of(warehouse_id, sku, batch_id).ok_or_else(|| {
            InventoryError::UnknownStock {
                field: "batch_id".to_owned(),
                stock: stock_key(warehouse_id, sku, batch_id),
            }
        })?;
        Ok(st
            .slots
            .get(s as usize)
            .map(|slot| (slot.data.allocatable() - slot.data.reserved).max(Decimal::ZERO))
            .unwrap_or(Decimal::ZERO))
    }

    /// The stock with current reservations in `reserved`, for allocation:
    /// only the skus listed (all when `skus` is `None`), sorted by
    /// warehouse, sku and batch id.
    pub fn snapshot(&self, skus: Option<&[String]>) -> Result<StockSnapshot, InventoryError> {
        let st = self.lock();
        let wanted: Option<FxHashSet<u32>> =
            skus.map(|list| list.iter().filter_map(|s| st.skus.get(s)).collect());
        let mut groups: BTreeMap<(&str, &str), Vec<StockBatch>> = BTreeMap::new();
        for slot in &st.slots {
            if let Some(w) = &wanted {
                if !w.contains(&slot.sku) {
                    continue;
                }
            }
            let d = &slot.data;
            groups
                .entry((st.whs.name(slot.wh), st.skus.name(slot.sku)))
                .or_default()
                .push(StockBatch {
                    batch_id: st.batches.name(slot.batch).to_owned(),
                    on_hand: d.on_hand,
                    reserved: d.reserved,
                    mfg_date: d.mfg_date,
                    expiry_date: d.expiry_date,
                    bin: d.bin.clone(),
                    quality: d.quality,
                });
        }
        let items = groups
            .into_iter()
            .map(|((w, k), mut batches)| {
                batches.sort_by(|a, b| a.batch_id.cmp(&b.batch_id));
                StockItem {
                    warehouse_id: w.to_owned(),
                    sku: k.to_owned(),
                    batches,
                }
            })
            .collect();
        Ok(StockSnapshot { items })
    }
}
