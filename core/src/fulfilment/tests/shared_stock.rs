//! Same-sku lines share stock in every strategy (issue 17 item 2).

use super::properties::check_invariants;
use super::*;

// ------------------------------------------- same-sku lines share stock

/// Issue 17 item 2: two lines of one sku that differ in weight are two
/// demand groups but draw on the same stock.
#[test]
fn same_sku_groups_share_stock_in_every_strategy() {
    let mut l2 = line("L2", "A", 8);
    l2.weight_per_unit_kg = Decimal::ONE;
    let mut l1 = line("L1", "A", 8);
    l1.weight_per_unit_kg = Decimal::ZERO;
    let mut i = input(
        vec![l1, l2],
        vec![wh("W1", 1, Some(100)), wh("W2", 2, Some(100))],
        vec![
            item("W1", "A", vec![batch("x", 10)]),
            item("W2", "A", vec![batch("y", 6)]),
        ],
    );
    let p = run(&i);
    assert_eq!(whs_of(&p), vec!["W1", "W2"]);
    assert!(p.fully_allocated, "{:?}", p.backorders);
    assert_eq!(p.estimated_cost, Some(d(200)));
    let allocated: Decimal = p.lines.iter().map(|l| l.allocated).sum();
    assert_eq!(allocated, d(16));
    assert_eq!(p.optimality, Optimality::Optimal);
    for s in [Strategy::Priority, Strategy::Nearest] {
        i.strategy = s;
        let p = run(&i);
        assert!(p.fully_allocated, "{s:?}: {:?}", p.backorders);
        assert_eq!(whs_of(&p), vec!["W1", "W2"], "{s:?}");
    }
    // One warehouse: W1 gives its 10 to both lines, never 10 to each.
    i.strategy = Strategy::SingleWarehouse;
    let p = run(&i);
    let allocated: Decimal = p.lines.iter().map(|l| l.allocated).sum();
    assert_eq!(allocated, d(10));
    assert_eq!(whs_of(&p), vec!["W1"]);
}

/// A line that only one warehouse may serve keeps that warehouse's stock
/// when the other line of the sku can go elsewhere.
#[test]
fn same_sku_eligibility_is_respected_when_sharing() {
    let mut l1 = line("L1", "A", 8);
    l1.required_capabilities = vec!["cold".into()];
    let l2 = line("L2", "A", 8);
    let mut w1 = wh("W1", 1, Some(100));
    w1.capabilities = vec!["cold".into()];
    let i = input(
        vec![l2, l1],
        vec![w1, wh("W2", 2, Some(100))],
        vec![
            item("W1", "A", vec![batch("x", 10)]),
            item("W2", "A", vec![batch("y", 6)]),
        ],
    );
    let p = run(&i);
    assert!(p.fully_allocated, "{:?}", p.backorders);
    let w2: Decimal = p
        .shipments
        .iter()
        .filter(|s| s.warehouse_id == "W2")
        .flat_map(|s| s.lines.iter())
        .inspect(|l| assert_eq!(l.line_id, "L2"))
        .map(|l| l.quantity)
        .sum();
    assert_eq!(w2, d(6));
}

/// Random instances whose lines repeat skus with different weights,
/// shelf lives and eligible warehouses.
fn arb_shared() -> impl PropStrategy<Value = AllocationInput> {
    let nw = 1usize..5;
    let nl = 2usize..6;
    (nw, nl).prop_flat_map(|(nw, nl)| {
        (
            proptest::collection::vec((0usize..2, 1i64..12, 0u8..2, 0u8..3, 0u8..3), nl),
            proptest::collection::vec((0u32..3, 1i64..30, any::<bool>()), nw),
            proptest::collection::vec(proptest::collection::vec((0i64..10, 0u8..4), 0..3), nw * 2),
        )
            .prop_map(move |(ls, whp, stock)| {
                let lines = ls
                    .iter()
                    .enumerate()
                    .map(|(k, &(sku, q, w, shelf, cap))| {
                        let mut l = line(&format!("L{k}"), &format!("S{sku}"), q);
                        l.weight_per_unit_kg = d(i64::from(w));
                        l.min_remaining_shelf_life_days =
                            [None, Some(30), Some(90)][shelf as usize];
                        if cap == 0 {
                            l.required_capabilities = vec!["cold".into()];
                        }
                        l
                    })
                    .collect();
                let whs = whp
                    .iter()
                    .enumerate()
                    .map(|(k, &(prio, fixed, cold))| {
                        let mut w = wh(&format!("W{k}"), prio, Some(fixed));
                        if cold {
                            w.capabilities = vec!["cold".into()];
                        }
                        w
                    })
                    .collect();
                let mut items = Vec::new();
                for w in 0..nw {
                    for sku in 0..2 {
                        let bs = &stock[w * 2 + sku];
                        if bs.is_empty() {
                            continue;
                        }
                        let batches = bs
                            .iter()
                            .enumerate()
                            .map(|(k, &(q, exp))| {
                                let mut b = batch(&format!("B{k}"), q);
                                b.expiry_date = [
                                    None,
                                    Some("2026-03-20"),
                                    Some("2026-05-01"),
                                    Some("2026-09-01"),
                                ][exp as usize]
                                    .map(date);
                                b
                            })
                            .collect();
                        items.push(item(&format!("W{w}"), &format!("S{sku}"), batches));
                    }
                }
                input(lines, whs, items)
            })
    })
}

/// Brute force by Hall's theorem: what a set of warehouses can ship of a
/// sku is Σ demand − max over subsets T of its lines of (demand of T −
/// the set's stock some line of T may use); then the fewest warehouses
/// shipping the most, the cheapest of those.
fn brute_force_shared(i: &AllocationInput) -> (Decimal, usize, Decimal) {
    let nw = i.warehouses.len();
    let lines = &i.request.lines;
    let may_use = |l: &AllocationLine, w: &Warehouse, b: &StockBatch| -> bool {
        let caps_ok = l
            .required_capabilities
            .iter()
            .all(|c| w.capabilities.contains(c));
        let exp_ok = match (b.expiry_date, l.min_remaining_shelf_life_days) {
            (None, _) => true,
            (Some(e), days) => {
                e >= i.today && (e - i.today).num_days() >= i64::from(days.unwrap_or(0))
            }
        };
        caps_ok && exp_ok && b.quality == QualityStatus::Released
    };
    let flow = |mask: u32| -> Decimal {
        let mut total = Decimal::ZERO;
        for sku in ["S0", "S1"] {
            let ls: Vec<&AllocationLine> = lines.iter().filter(|l| l.sku == sku).collect();
            let demand: Decimal = ls.iter().map(|l| l.quantity).sum();
            let mut worst = Decimal::ZERO;
            for t in 1u32..(1 << ls.len()) {
                let d_t: Decimal = (0..ls.len())
                    .filter(|k| t & (1 << k) != 0)
                    .map(|k| ls[k].quantity)
                    .sum();
                let mut supply = Decimal::ZERO;
                for (wi, w) in i.warehouses.iter().enumerate() {
                    if mask & (1 << wi) == 0 {
                        continue;
                    }
                    for it in i
                        .stock
                        .items
                        .iter()
                        .filter(|it| it.warehouse_id == w.id && it.sku == sku)
                    {
                        for b in &it.batches {
                            if (0..ls.len()).any(|k| t & (1 << k) != 0 && may_use(ls[k], w, b)) {
                                supply += b.available();
                            }
                        }
                    }
                }
                worst = worst.max(d_t - supply);
            }
            total += demand - worst;
        }
        total
    };
    let all = flow((1 << nw) - 1);
    let mut best: Option<(usize, Decimal)> = None;
    for mask in 0u32..(1 << nw) {
        if flow(mask) != all {
            continue;
        }
        let k = mask.count_ones() as usize;
        let cost: Decimal = (0..nw)
            .filter(|w| mask & (1 << w) != 0)
            .map(|w| i.warehouses[w].shipping_rates[0].fixed)
            .sum();
        if best.is_none_or(|(bk, bc)| (k, cost) < (bk, bc)) {
            best = Some((k, cost));
        }
    }
    let (k, c) = best.unwrap_or((0, Decimal::ZERO));
    (
        all,
        if all.is_zero() { 0 } else { k },
        if all.is_zero() { Decimal::ZERO } else { c },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn shared_skus_equal_brute_force(i in arb_shared(), s in 0u8..3) {
        let mut i = i;
        i.strategy = [Strategy::FewestShipments, Strategy::Priority, Strategy::Nearest][s as usize];
        let p = allocate(&i).unwrap().plan;
        check_invariants(&i, &p)?;
        let (most, k, cost) = brute_force_shared(&i);
        let allocated: Decimal = p.lines.iter().map(|l| l.allocated).sum();
        prop_assert_eq!(allocated, most);
        let nl = i.request.lines.len();
        if !p.backorders.is_empty() {
            let claim = format!("can ship {nl} of {nl} line(s) in full");
            prop_assert!(!p.explanation.reasons.iter().any(|r| r.contains(&claim)));
        }
        if i.strategy == Strategy::FewestShipments {
            prop_assert_eq!(p.shipments.len(), k);
            if k > 0 {
                prop_assert_eq!(p.optimality, Optimality::Optimal);
                prop_assert_eq!(p.estimated_cost, Some(cost));
            }
        }
    }
}
