//! The invoice of the `invoice_gst` benchmark: a seeded 1,000-line tax
//! invoice with mixed rates, shared by the invoice and host benchmarks.

use b2b_oms::invoice::{
    Address, Charge, ChargeBilling, InvoiceInput, InvoiceSettings, LineInput, Party,
};
use b2b_oms::tax::{gstin_check_char, RecipientCategory, SupplierRegistration};
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// Tiny deterministic generator (xorshift64*).
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn party(name: &str, gstin: String, state: &str) -> Party {
    Party {
        legal_name: name.into(),
        trade_name: None,
        gstin: Some(gstin),
        address: Address {
            line1: "Plot 12, Industrial Area".into(),
            line2: None,
            city: "Pune".into(),
            state_code: state.into(),
            pin: Some("411001".into()),
            country: None,
        },
    }
}

fn gstin(state: &str) -> String {
    let first = format!("{state}AAPFU0939F1Z");
    let check = gstin_check_char(&first).unwrap_or('0');
    format!("{first}{check}")
}

/// A valid `lines`-line tax invoice with mixed HSN codes, rates, units and
/// discounts, an order discount and freight spread over the goods.
pub fn invoice_input(lines: usize, seed: u64) -> InvoiceInput {
    let mut rng = XorShift(seed);
    let classes = ["GST5", "GST18", "GST40", "GST3", "NIL", "GST0_25", "GST1_5"];
    let hsns = [
        "61149090", "84713010", "30049099", "39269099", "73181500", "85044090", "999900", "4819",
    ];
    let uqcs = ["NOS", "KGS", "BOX", "PCS", "MTR"];
    let lines = (0..lines)
        .map(|i| {
            let qty = Decimal::new(1 + rng.below(500) as i64, 0);
            let price = Decimal::new(100 + rng.below(1_000_000) as i64, 2);
            let disc = (qty * price * Decimal::from(rng.below(10)) / Decimal::ONE_HUNDRED)
                .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::ToZero);
            LineInput {
                description: format!("Item {i}"),
                hsn: hsns[rng.below(hsns.len() as u64) as usize].into(),
                quantity: qty,
                uqc: uqcs[rng.below(uqcs.len() as u64) as usize].into(),
                unit_price: price,
                discount: disc,
                rate_class: Some(classes[rng.below(classes.len() as u64) as usize].into()),
                gst_rate: None,
                cess: None,
                amount: None,
                original_line: None,
                order_ref: None,
                batch: None,
                ext: None,
            }
        })
        .collect();
    let mut buyer = party(
        "Buyer Engineering Ltd",
        gstin("27").replace("1Z", "2Z"),
        "27",
    );
    // The buyer's GSTIN needs its own check character.
    if let Some(g) = buyer.gstin.as_mut() {
        let first: String = g.chars().take(14).collect();
        *g = format!("{first}{}", gstin_check_char(&first).unwrap_or('0'));
    }
    InvoiceInput {
        document_type: Default::default(),
        number: "INV/26-27/00042".into(),
        date: NaiveDate::from_ymd_opt(2026, 11, 26).unwrap_or_default(),
        time_of_supply: None,
        issued_at: None,
        seller: party("Acme Industrial Supplies Pvt Ltd", gstin("27"), "27"),
        supplier_registration: SupplierRegistration::Regular,
        buyer,
        recipient_category: RecipientCategory::Regular,
        ship_to: None,
        dispatch_from: None,
        bill_to_ship_to: false,
        place_of_supply: None,
        zero_rated_mode: None,
        reverse_charge: false,
        ecommerce_gstin: None,
        export: None,
        lines,
        order_discount: Decimal::new(50_000, 2),
        charges: vec![Charge {
            description: "Freight".into(),
            amount: Decimal::new(250_000, 2),
            billing: ChargeBilling::SpreadOverGoods,
            sac: None,
            rate_class: None,
        }],
        original: None,
        payment_terms: vec![],
        order_terms: None,
        issued_numbers: vec![],
        eway_bill: None,
        settings: InvoiceSettings::default(),
        ext: None,
    }
}
