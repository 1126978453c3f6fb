//! Line quantities and their invariants: allocation, shipment and invoice
//! records on a line, and their application to a confirmed order.

use rust_decimal::Decimal;

use super::error::{invariant, OrderError};
use super::model::{Lifecycle, Order, OrderItem};
use crate::error::{index, path};
use crate::events::EventLine;
use crate::money::{self, MoneyError};

impl OrderItem {
    /// Base units per ordered unit (one when the line has no factor).
    pub fn base_factor(&self) -> Decimal {
        if self.unit_factor.is_zero() {
            Decimal::ONE
        } else {
            self.unit_factor
        }
    }

    /// ordered − cancelled.
    pub fn open(&self) -> Result<Decimal, OrderError> {
        Ok(money::sub(self.ordered, self.cancelled, "open quantity")?)
    }

    pub(super) fn check(&self, at: &str, invoice_before_ship: bool) -> Result<(), OrderError> {
        let open = self.open()?;
        for (name, v) in [
            ("allocated", self.allocated),
            ("shipped", self.shipped),
            ("invoiced", self.invoiced),
            ("cancelled", self.cancelled),
        ] {
            if v < Decimal::ZERO {
                return Err(invariant(path(at, name), "must not be negative"));
            }
        }
        if open < Decimal::ZERO {
            return Err(invariant(path(at, "cancelled"), "cancelled ≤ ordered"));
        }
        if self.allocated > open {
            return Err(invariant(
                path(at, "allocated"),
                "allocated ≤ ordered − cancelled",
            ));
        }
        if self.shipped > self.allocated {
            return Err(invariant(path(at, "shipped"), "shipped ≤ allocated"));
        }
        let cap = if invoice_before_ship {
            open.max(self.shipped)
        } else {
            self.shipped
        };
        if self.invoiced > cap {
            return Err(invariant(
                path(at, "invoiced"),
                if invoice_before_ship {
                    "invoiced ≤ ordered − cancelled"
                } else {
                    "invoiced ≤ shipped"
                },
            ));
        }
        Ok(())
    }

    fn with(
        &self,
        at: &str,
        f: impl FnOnce(&mut Self) -> Result<(), MoneyError>,
        allow: bool,
    ) -> Result<Self, OrderError> {
        let mut next = self.clone();
        f(&mut next).map_err(|e| e.at(at))?;
        next.check(at, allow)?;
        Ok(next)
    }

    /// Records `qty` more allocated (negative releases). Checked.
    pub fn record_allocation(&self, qty: Decimal) -> Result<Self, OrderError> {
        self.with(
            &self.line_id,
            |l| {
                l.allocated = money::add(l.allocated, qty, "allocated")?;
                Ok(())
            },
            false,
        )
    }

    /// Records `qty` more shipped. Checked.
    pub fn record_shipment(&self, qty: Decimal) -> Result<Self, OrderError> {
        if qty < Decimal::ZERO {
            return Err(invariant(
                path(&self.line_id, "shipped"),
                "a shipment is positive",
            ));
        }
        self.with(
            &self.line_id,
            |l| {
                l.shipped = money::add(l.shipped, qty, "shipped")?;
                Ok(())
            },
            false,
        )
    }

    /// Records `qty` more invoiced (negative for a credit note). Checked;
    /// `before_shipment` allows advance/proforma invoicing up to the open quantity.
    pub fn record_invoice(&self, qty: Decimal, before_shipment: bool) -> Result<Self, OrderError> {
        self.with(
            &self.line_id,
            |l| {
                l.invoiced = money::add(l.invoiced, qty, "invoiced")?;
                Ok(())
            },
            before_shipment,
        )
    }

    pub(super) fn event_line(&self, quantity: Decimal) -> EventLine {
        EventLine {
            line_id: self.line_id.clone(),
            sku: self.sku.clone(),
            name: self.name.clone(),
            quantity,
            unit: self.unit.clone(),
            unit_price: self.unit_price,
            amount: self.amount,
        }
    }
}

impl Order {
    /// Applies a line update (allocation, shipment, invoice) made with the
    /// [`OrderItem`] methods, after checking the order accepts it.
    pub fn update_line(&self, item: OrderItem) -> Result<Order, OrderError> {
        if self.lifecycle != Lifecycle::Confirmed {
            return Err(self.transition_error("update lines of"));
        }
        let li = self.line_index(&item.line_id, "line")?;
        let at = index("lines", li);
        let Some(cur) = self.lines.get(li) else {
            return Err(self.transition_error("update"));
        };
        if cur.ordered != item.ordered
            || cur.cancelled != item.cancelled
            || cur.unit_price != item.unit_price
        {
            return Err(OrderError::InvalidField {
                field: at,
                rule: "only allocated, shipped and invoiced quantities may change this way".into(),
            });
        }
        item.check(&at, self.settings.allow_invoice_before_shipment)?;
        let mut next = self.clone();
        if let Some(l) = next.lines.get_mut(li) {
            *l = item;
        }
        Ok(next)
    }
}
