//! Writes the benchmark snapshots for the Kotlin bench and measures native Rust on the same data.
//!
//! `cargo run --release -p b2b-oms-mobile --example bench_snapshot -- /tmp/b2b-oms-mobile-bench`
//! writes `<dir>/{demo,gen}/{catalog,price_book,customer,cart}.json` (the demo dataset's
//! distributor, and a seeded 5,000-sku / 2,000-rule world of `benches/`), each with a 50-line
//! cart, and prints the native figures: snapshot compile (the same JSON texts parsed and
//! compiled) and the 50-line cart's median pricing time through the typed host call.

use std::path::Path;
use std::time::Instant;

use b2b_oms::catalog::Product;
use b2b_oms::customer::Customer;
use b2b_oms::host::ops;
use b2b_oms::json::from_json;
use b2b_oms::pricing::{Explain, PriceBookDefinition, PriceRequest};
use b2b_oms_benches::{buyer, order, world, Scale};

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(0.0)
}

fn measure(name: &str, dir: &Path) -> Result<(), String> {
    let read = |f: &str| std::fs::read_to_string(dir.join(f)).map_err(|e| e.to_string());
    let (catalog, book, customer, cart) = (
        read("catalog.json")?,
        read("price_book.json")?,
        read("customer.json")?,
        read("cart.json")?,
    );
    let mut compiles = Vec::new();
    let mut parses = Vec::new();
    let mut compiled = None;
    for _ in 0..15 {
        let t = Instant::now();
        let products: Vec<Product> = from_json(&catalog).map_err(|e| e.to_string())?;
        let def: PriceBookDefinition = from_json(&book).map_err(|e| e.to_string())?;
        let c: Customer = from_json(&customer).map_err(|e| e.to_string())?;
        parses.push(t.elapsed().as_secs_f64() * 1e3);
        let cat = ops::compile_catalog(products).map_err(|e| e.to_string())?;
        let b = ops::compile_price_book(def, cat).map_err(|e| e.to_string())?;
        compiles.push(t.elapsed().as_secs_f64() * 1e3);
        compiled = Some((b, c));
    }
    let (b, c) = compiled.ok_or("no compile")?;
    let mut request: PriceRequest = from_json(&cart).map_err(|e| e.to_string())?;
    let mut parts = Vec::new();
    for (label, level) in [("none", Explain::None), ("full", Explain::Full)] {
        request.explain = level;
        let (mut runs, mut converted) = (Vec::new(), Vec::new());
        for i in 0..3000 {
            let t = Instant::now();
            let priced = ops::price_order_with(&b, &c, &request).map_err(|e| e.to_string())?;
            let core = t.elapsed().as_secs_f64() * 1e6;
            // The binding's conversion to its records (what crosses the FFI).
            let cart = b2b_oms_mobile::PricedCart::from(&priced);
            let with = t.elapsed().as_secs_f64() * 1e6;
            std::hint::black_box((&priced, &cart));
            if i >= 300 {
                runs.push(core);
                converted.push(with);
            }
        }
        parts.push(format!(
            "explain {label} {:.1} µs ({:.1} µs with the conversion to the binding's records)",
            median(runs),
            median(converted)
        ));
    }
    println!(
        "native {name}: snapshot compile median {:.2} ms (of which JSON parsing {:.2} ms); 50-line cart median: {}",
        median(compiles),
        median(parses),
        parts.join(", ")
    );
    Ok(())
}

fn write(
    dir: &Path,
    catalog: &impl serde::Serialize,
    book: &impl serde::Serialize,
    customer: &impl serde::Serialize,
    cart: &impl serde::Serialize,
) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    for (f, v) in [
        ("catalog.json", serde_json::to_string(catalog)),
        ("price_book.json", serde_json::to_string(book)),
        ("customer.json", serde_json::to_string(customer)),
        ("cart.json", serde_json::to_string(cart)),
    ] {
        std::fs::write(dir.join(f), v.map_err(|e| e.to_string())?).map_err(|e| e.to_string())?;
    }
    Ok(())
}

fn main() -> Result<(), String> {
    let out = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "/tmp/b2b-oms-mobile-bench".into());
    let out = Path::new(&out);
    let dataset = std::env::args()
        .nth(2)
        .unwrap_or_else(|| "examples/data/dataset.json".into());

    // The demo snapshot: the distributor's catalog view, a 50-line cart of its visible skus.
    let data: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&dataset).map_err(|e| e.to_string())?)
            .map_err(|e| e.to_string())?;
    let customer = data["customers"]
        .as_array()
        .and_then(|cs| cs.iter().find(|c| c["id"] == "CUST-SGD"))
        .ok_or("no CUST-SGD")?;
    let skus = [
        "TEE-COT-M",
        "TEE-COT-L",
        "GLOVE-NIT",
        "JACKET-HV",
        "HELMET-IND",
    ];
    let lines: Vec<serde_json::Value> = (0..50)
        .map(|i| serde_json::json!({"line_id": i.to_string(), "sku": skus[i % skus.len()], "quantity": "240"}))
        .collect();
    let cart = serde_json::json!({"order_id": "BENCH", "currency": "INR", "channel": "sales_rep", "priced_at": "2026-11-26T11:30:00+05:30", "lines": lines});
    write(
        &out.join("demo"),
        &data["catalog"],
        &data["price_book"],
        customer,
        &cart,
    )?;

    // The generated snapshot: 5,000 skus, 2,000 rules.
    let w = world(
        Scale {
            skus: 5_000,
            customers: 200,
            rules: 2_000,
            price_lists: 40,
        },
        7,
    );
    let products: Vec<&Product> = w.catalog.products().map(|p| &p.product).collect();
    let (_, c) = buyer(&w);
    write(&out.join("gen"), &products, &w.book, c, &order(&w, 50, 11))?;

    measure("demo", &out.join("demo"))?;
    measure("gen 5000 skus / 2000 rules", &out.join("gen"))
}
