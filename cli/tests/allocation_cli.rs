//! `allocate`, `ship`, `shipment transition` and `shipment documents` end
//! to end through the binary: JSON in, JSON out, exact fields asserted.

mod common;
use common::bin;
use std::io::Write;
use std::process::{Output, Stdio};

use serde_json::{json, Value};

/// Runs `args` with `input` on stdin.
fn run(args: &[&str], input: &Value) -> Output {
    let mut child = bin()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(serde_json::to_string(input).unwrap().as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn ok(args: &[&str], input: &Value) -> Value {
    let out = run(args, input);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Two warehouses: BLR (state 29, ₹150 a shipment, 4 km from the buyer)
/// holds both lines; MUM (₹400, better priority) holds only A.
fn allocation_input() -> Value {
    json!({
      "request": {"order_id": "SO-1", "customer_id": "C-1",
        "destination": {"state_code": "29", "pincode": "560001", "location": {"lat": 12.9716, "lon": 77.5946}},
        "lines": [{"line_id": "1", "sku": "A", "quantity": "8", "weight_per_unit_kg": "2"},
                  {"line_id": "2", "sku": "B", "quantity": "2", "weight_per_unit_kg": "1"}]},
      "warehouses": [
        {"id": "BLR", "name": "Bengaluru", "address": {"state_code": "29", "pincode": "560100", "gstin": "29AAAAA0000A1Z5"},
         "location": {"lat": 12.9716, "lon": 77.6300}, "priority": 2, "shipping_rates": [{"fixed": "150"}]},
        {"id": "MUM", "name": "Mumbai", "address": {"state_code": "27", "pincode": "400001"},
         "location": {"lat": 19.076, "lon": 72.8777}, "priority": 1, "shipping_rates": [{"fixed": "400"}]}],
      "stock": {"items": [
        {"warehouse_id": "BLR", "sku": "A", "batches": [
            {"batch_id": "a1", "on_hand": "5", "expiry_date": "2026-06-30", "bin": "R2-01"},
            {"batch_id": "a2", "on_hand": "10", "expiry_date": "2026-12-31", "bin": "R1-04"}]},
        {"warehouse_id": "BLR", "sku": "B", "batches": [{"batch_id": "b1", "on_hand": "5", "bin": "R3-02"}]},
        {"warehouse_id": "MUM", "sku": "A", "batches": [{"batch_id": "a9", "on_hand": "50"}]}]},
      "today": "2026-03-01", "planned_at": "2026-03-01T09:00:00Z"
    })
}

fn plan() -> Value {
    ok(&["allocate"], &allocation_input())["plan"].clone()
}

fn ship_input(plan: &Value) -> Value {
    json!({
      "plan": plan, "warehouses": allocation_input()["warehouses"],
      "ship_to": {"name": "Buyer Traders", "address": {"state_code": "29", "pincode": "560001", "gstin": "29BBBBB1111B1Z5"}},
      "lines": [
        {"line_id": "1", "description": "Widget A", "hsn": "8479", "uqc": "NOS", "unit_value": "7000", "gst_rate_percent": "18", "weight_per_unit_kg": "2"},
        {"line_id": "2", "description": "Widget B", "hsn": "8479", "uqc": "NOS", "unit_value": "500", "gst_rate_percent": "18", "weight_per_unit_kg": "1"}],
      "shipment_ids": ["SH-1"]
    })
}

#[test]
fn allocate_prints_the_plan_and_event() {
    let out = ok(&["allocate"], &allocation_input());
    let p = &out["plan"];
    assert_eq!(p["order_id"], "SO-1");
    assert_eq!(p["fully_allocated"], true);
    assert_eq!(p["estimated_cost"], "150.00");
    assert_eq!(p["optimality"], "optimal");
    assert_eq!(p["explanation"]["method"], "exact");
    assert_eq!(p["explanation"]["cost_basis"], "cost");
    assert_eq!(p["explanation"]["chosen"], json!(["BLR"]));
    let s = &p["shipments"][0];
    assert_eq!(s["warehouse_id"], "BLR");
    assert_eq!(s["weight_kg"], "18");
    // FEFO: a1 (June) before a2 (December).
    assert_eq!(
        s["lines"][0]["batches"],
        json!([
            {"batch_id": "a1", "quantity": "5", "bin": "R2-01", "expiry_date": "2026-06-30"},
            {"batch_id": "a2", "quantity": "3", "bin": "R1-04", "expiry_date": "2026-12-31"}
        ])
    );
    assert_eq!(
        s["lines"][1],
        json!({"line_id": "2", "sku": "B", "quantity": "2", "batches": [{"batch_id": "b1", "quantity": "2", "bin": "R3-02"}]})
    );
    assert_eq!(p["backorders"], json!([]));
    let ev = &out["events"][0];
    assert_eq!(ev["sequence"], 1);
    assert_eq!(
        ev["payload"],
        json!({"type": "allocation_planned", "order_id": "SO-1", "warehouses": ["BLR"], "backordered_lines": [], "fully_allocated": true})
    );
    // Ship complete with B short everywhere: nothing allocated, all backordered.
    let mut short = allocation_input();
    short["request"]["lines"][1]["quantity"] = json!("9");
    short["request"]["delivery"] = json!({"ship_complete": true});
    let p = &ok(&["allocate"], &short)["plan"];
    assert_eq!(p["shipments"], json!([]));
    assert_eq!(p["backorders"][0]["quantity"], "8");
    assert_eq!(p["backorders"][1]["quantity"], "9");
    // A bad quantity: exit 2 and the field path.
    let mut bad = allocation_input();
    bad["request"]["lines"][0]["quantity"] = json!("0");
    let out = run(&["allocate"], &bad);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("request.lines[0].quantity"), "{err}");
    assert!(err.contains("INVALID_QUANTITY"), "{err}");
}

#[test]
fn ship_builds_shipments_with_picking_list_and_eway_bill() {
    let out = ok(&["ship"], &ship_input(&plan()));
    let b = &out["shipments"][0];
    let s = &b["shipment"];
    assert_eq!(s["id"], "SH-1");
    assert_eq!(s["status"], "planned");
    assert_eq!(s["from"]["name"], "Bengaluru");
    // The plan's haversine distance (about 4 km) is the e-way bill default.
    assert_eq!(s["distance_km"], 4);
    let bins: Vec<&str> = b["picking_list"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["bin"].as_str().unwrap())
        .collect();
    assert_eq!(bins, vec!["R1-04", "R2-01", "R3-02"]);
    let e = &b["documents"]["eway_bill"];
    // 8 × 7,000 + 2 × 500 = 57,000 taxable + 18% = 67,260.00.
    assert_eq!(e["consignment_value"], "67260.00");
    assert_eq!(e["required"], true);
    assert_eq!(e["threshold"], "50000");
    assert_eq!(e["data"]["distance_km"], 4);
    assert_eq!(e["data"]["from_gstin"], "29AAAAA0000A1Z5");
    assert_eq!(
        e["missing"],
        json!(["transport (dispatch details)"]),
        "only the transport is missing before dispatch"
    );
    assert_eq!(b["documents"]["shipping_label"]["package_count"], 0);
    assert_eq!(b["documents"]["delivery_challan"], Value::Null);
    // Wrong number of ids: exit 2, field path.
    let mut bad = ship_input(&plan());
    bad["shipment_ids"] = json!(["A", "B"]);
    let out = run(&["ship"], &bad);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("shipment_ids"));
}

#[test]
fn shipment_transition_and_documents_through_dispatch() {
    let shipped = ok(&["ship"], &ship_input(&plan()));
    let mut s = shipped["shipments"][0]["shipment"].clone();
    let step = |s: &Value, command: Value| {
        ok(
            &["shipment", "transition"],
            &json!({"shipment": s, "command": command}),
        )
    };

    let t = step(
        &s,
        json!({"type": "confirm_picked", "at": "2026-03-01T10:00:00Z"}),
    );
    assert_eq!(t["shipment"]["status"], "picked");
    assert_eq!(t["events"][0]["payload"]["type"], "shipment_picked");
    s = t["shipment"].clone();

    // One unit of a2 fails QC: it is quarantined, and returns to allocation.
    let t = step(
        &s,
        json!({"type": "record_qc", "at": "2026-03-01T10:30:00Z",
               "results": [{"line_id": "1", "batch_id": "a2", "failed_quantity": "1", "note": "dented"}]}),
    );
    assert_eq!(
        t["quarantine"],
        json!([{"line_id": "1", "warehouse_id": "BLR", "sku": "A", "batch_id": "a2", "quantity": "1"}])
    );
    assert_eq!(t["release"], json!([]));
    assert_eq!(
        t["returned_to_allocation"],
        json!([{"line_id": "1", "sku": "A", "batch_id": "a2", "quantity": "1"}])
    );
    assert_eq!(t["shipment"]["lines"][0]["quantity"], "7");
    s = t["shipment"].clone();

    let t = step(
        &s,
        json!({"type": "pack", "at": "2026-03-01T11:00:00Z", "packages": [
            {"package_id": "P1", "contents": [{"line_id": "1", "quantity": "7"}, {"line_id": "2", "quantity": "2"}]}]}),
    );
    assert_eq!(t["shipment"]["status"], "packed");
    assert_eq!(t["shipment"]["packages"][0]["weight_kg"], "16");
    s = t["shipment"].clone();

    // Deliver before dispatch: an illegal transition, exit 2.
    let out = run(
        &["shipment", "transition"],
        &json!({"shipment": s, "command": {"type": "deliver", "at": "2026-03-01T12:00:00Z"}}),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("ILLEGAL_TRANSITION"));

    let t = step(
        &s,
        json!({"type": "dispatch", "at": "2026-03-01T12:00:00Z", "carrier": "BlueLine",
               "tracking_number": "AWB-77", "vehicle_number": "KA01AB1234"}),
    );
    assert_eq!(t["shipment"]["status"], "dispatched");
    assert_eq!(t["shipment"]["dispatch"]["distance_km"], 4);
    assert_eq!(
        t["consume"],
        json!([
            {"line_id": "1", "warehouse_id": "BLR", "sku": "A", "batch_id": "a1", "quantity": "5"},
            {"line_id": "1", "warehouse_id": "BLR", "sku": "A", "batch_id": "a2", "quantity": "2"},
            {"line_id": "2", "warehouse_id": "BLR", "sku": "B", "batch_id": "b1", "quantity": "2"}
        ])
    );
    assert_eq!(t["events"][0]["sequence"], 4);
    s = t["shipment"].clone();

    let docs = ok(&["shipment", "documents"], &json!({"shipment": s}));
    assert_eq!(docs["consignment_note"]["consignment_number"], "AWB-77");
    assert_eq!(docs["consignment_note"]["vehicle_number"], "KA01AB1234");
    assert_eq!(docs["shipping_label"]["awb"], "AWB-77");
    assert_eq!(docs["shipping_label"]["package_count"], 1);
    // 7 × 7,000 + 2 × 500 = 50,000 taxable + 18% = 59,000.00
    assert_eq!(docs["eway_bill"]["consignment_value"], "59000.00");
    assert_eq!(docs["eway_bill"]["required"], true);
    assert_eq!(docs["eway_bill"]["missing"], json!([]));
    assert_eq!(docs["eway_bill"]["data"]["vehicle_number"], "KA01AB1234");
    assert_eq!(docs["packing_slip"]["lines"][0]["quantity"], "7");
    // A higher intra-state threshold for Karnataka: not required.
    let docs = ok(
        &["shipment", "documents"],
        &json!({"shipment": s, "eway_bill": {"intra_state_thresholds": [{"state_code": "29", "threshold": "100000"}]}}),
    );
    assert_eq!(docs["eway_bill"]["required"], false);
    assert_eq!(docs["eway_bill"]["threshold"], "100000");
}

#[test]
fn each_command_has_help() {
    for (args, words) in [
        (
            vec!["allocate", "--help"],
            "Allocate an order to warehouses",
        ),
        (
            vec!["ship", "--help"],
            "Turn an allocation plan into shipments",
        ),
        (vec!["shipment", "--help"], "Shipment commands"),
        (vec!["shipment", "transition", "--help"], "Apply a command"),
        (
            vec!["shipment", "documents", "--help"],
            "Packing slip, delivery challan",
        ),
    ] {
        let out = bin().args(&args).output().unwrap();
        assert!(out.status.success(), "{args:?}");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains(words), "{args:?}: {text}");
        assert!(text.contains("Usage: b2b-oms"), "{args:?}: {text}");
    }
}
