#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets (corpus/<target>/*.json).

The seeds are valid inputs: the demo dataset (cli/src/demo/dataset.json)
recombined into each target's one-document input, plus small hand-written
documents that use the optional parts (credit notes, exports, charges,
routing rules, tree conditions) which the JSON mutator can only vary, not
invent. Run from anywhere: python3 core/fuzz/make_seeds.py
"""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
D = json.load(open(os.path.join(ROOT, "cli/src/demo/dataset.json")))


def write(target, name, doc):
    folder = os.path.join(HERE, "corpus", target)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name + ".json"), "w") as f:
        json.dump(doc, f, separators=(",", ":"), ensure_ascii=False)


customers = {c["id"]: c for c in D["customers"]}

# price_order: the whole demo catalog and book with each demo order.
for n, o in enumerate(D["orders"]):
    write("price_order", f"demo-{n}", {
        "catalog": D["catalog"], "price_book": D["price_book"],
        "customer": customers[o["customer_id"]], "request": o["request"],
    })
# ... and a one-product book (fast to mutate): tiers, MOQ, a hint.
write("price_order", "small", {
    "catalog": [{"sku": "CAP", "name": "Cap", "hsn": "6505", "gst_rate_class": "GST5",
                 "base_unit": "NOS", "category": "apparel/caps",
                 "alt_units": [{"unit": "BOX", "factor": "12"}],
                 "constraints": {"moq": "10", "order_multiple": "5"}}],
    "price_book": {"id": "b", "currency": "INR",
                   "price_lists": [{"id": "default", "currency": "INR", "entries": [
                       {"sku": "CAP", "tiers": [{"min_qty": "1", "price": "120.00"},
                                                {"min_qty": "50", "price": "110.00"}]}]}],
                   "default_price_lists": ["default"]},
    "customer": {"id": "C1", "legal_name": "Buyer", "segment": "retail_chain",
                 "billing_address": {"state_code": "27"}},
    "request": {"currency": "INR", "channel": "portal", "priced_at": "2026-11-26T10:00:00+05:30",
                "lines": [{"sku": "CAP", "quantity": "30"}, {"sku": "CAP", "quantity": "5"},
                          {"sku": "CAP", "quantity": "2", "unit": "BOX"}]},
})

# einvoice: inter-state tax invoice, intra-state with charges and terms,
# a credit note against an original, an export under LUT.
seller = {"legal_name": "Deccan Workwear & Tools Pvt Ltd", "gstin": "27AADCD4321K1ZR",
          "address": {"line1": "Gat 118, Chakan MIDC Phase II", "city": "Pune",
                      "state_code": "27", "pin": "410501"}}
sgd = {"legal_name": "Shree Ganesh Distributors", "gstin": "29AAGCB7383J1Z4",
       "address": {"line1": "Plot 14, Peenya Industrial Area", "city": "Bengaluru",
                   "state_code": "29", "pin": "560058"}}
anand = {"legal_name": "Anand Retail Chain LLP", "gstin": "27AAPFU0939F1ZV",
         "address": {"line1": "Survey 52, Chinchwad", "city": "Pune", "state_code": "27",
                     "pin": "411019"}}
lines = [
    {"description": "Cotton crew T-shirt, navy, size M", "hsn": "61091000", "quantity": "60",
     "uqc": "BOX", "unit_price": "2317.44", "rate_class": "GST5"},
    {"description": "Nitrile gloves", "hsn": "40151900", "quantity": "50", "uqc": "PAC",
     "unit_price": "412.50", "discount": "20.00", "rate_class": "GST18"},
    {"description": "Hex bolt M10", "hsn": "73181500", "quantity": "250", "uqc": "NOS",
     "unit_price": "7.35", "rate_class": "GST18"},
]
write("einvoice", "inter-state", {"invoice": {
    "number": "INV/26-27/00042", "date": "2026-11-26", "seller": seller, "buyer": sgd,
    "lines": lines}})
write("einvoice", "intra-state-charges", {"invoice": {
    "number": "INV/26-27/00043", "date": "2026-11-28", "seller": seller, "buyer": anand,
    "ship_to": anand, "lines": lines[:2] + [
        {"description": "Installation", "hsn": "998729", "quantity": "1", "uqc": "OTH",
         "unit_price": "1500", "gst_rate": "18"}],
    "order_discount": "250.00",
    "charges": [{"description": "Freight", "amount": "400.00"},
                {"description": "Packing", "amount": "120.00", "billing": "service_line",
                 "sac": "998549", "rate_class": "GST18"},
                {"description": "Insurance", "amount": "35.50", "billing": "after_tax"}],
    "payment_terms": [{"percent": "40", "days": 0}, {"percent": "60", "days": 30}],
    "eway_bill": {"transporter_id": "27AAPFU0939F1ZV", "distance_km": 38, "mode": "1",
                  "vehicle_no": "MH14GH5678", "vehicle_type": "R"},
    "settings": {"round_off": True, "prices_include_tax": False, "hsn_min_length": 6,
                 "max_lines": 1000, "advance": False}}})
write("einvoice", "credit-note", {"invoice": {
    "document_type": "credit_note", "number": "CN/26-27/00007", "date": "2026-12-03",
    "seller": seller, "buyer": sgd,
    "lines": [dict(lines[0], quantity="6", original_line=0)],
    "original": {"number": "INV/26-27/00042", "date": "2026-11-26", "lines": [
        {"hsn": "61091000", "gst_rate": "5", "taxable_value": "139046.40",
         "already_credited": "0"}]}}})
write("einvoice", "export-lut", {"invoice": {
    "number": "EXP/26-27/00003", "date": "2026-11-26", "seller": seller,
    "buyer": {"legal_name": "Nordic Workwear AB",
              "address": {"line1": "Hamngatan 12", "city": "Goteborg", "state_code": "96",
                          "pin": "999999", "country": "SE"}},
    "recipient_category": "overseas", "zero_rated_mode": "under_lut",
    "export": {"currency": "USD", "exchange_rate": "84.25", "port_code": "INNSA1",
               "shipping_bill_no": "1234567", "shipping_bill_date": "2026-11-27",
               "country_code": "SE"},
    "lines": [{"description": "Organic T-shirt", "hsn": "61091000", "quantity": "1200",
               "uqc": "NOS", "unit_price": "3.10", "rate_class": "GST5"}]}})

# allocate: the demo's distributor order against the demo stock, per strategy.
cat = {p["sku"]: p for p in D["catalog"]}
alloc_lines = []
for l in D["orders"][0]["request"]["lines"]:
    p = cat[l["sku"]]
    alloc_lines.append({"line_id": l["line_id"], "sku": l["sku"], "quantity": l["quantity"],
                        "category_path": p["category"].split("/"),
                        "weight_per_unit_kg": p.get("weight_kg", "0")})
request = {"order_id": "Q-2026-0187", "customer_id": "CUST-SGD", "segment": "distributor",
           "destination": {"state_code": "29", "pincode": "560058"},
           "delivery": {"ship_complete": False, "allow_partial_shipments": True},
           "lines": alloc_lines, "order_value": "612345.00",
           "min_remaining_shelf_life_days": 120}
for strategy in ["fewest_shipments", "nearest", "priority", "single_warehouse"]:
    write("allocate", strategy, {
        "request": request, "warehouses": D["warehouses"], "stock": D["stock"],
        "strategy": strategy, "today": "2026-11-26", "planned_at": "2026-11-26T06:30:00Z"})

# approval_policy: the demo policy, and a policy using every operator.
subject = {"subject_id": "Q-2026-0187", "currency": "INR", "segment": "distributor",
           "tags": ["key_account"], "channel": "sales_rep",
           "lines": [{"list_price": "205.90", "net_price": "170.00", "base_quantity": "720",
                      "cost": "142.00", "floor": "175.00"},
                     {"list_price": "450.00", "net_price": "412.50", "base_quantity": "600",
                      "overridden": True}],
           "total_before_tax": "369900.00", "total_after_tax": "436482.00",
           "terms": {"id": "NET45", "instalments": [
               {"share": {"type": "percent", "percent": "30"}, "basis": "order_date"},
               {"share": {"type": "balance"}, "basis": "invoice_date", "days": 45}]}}
credit = {"customer_id": "CUST-SGD", "exposure": {"amount": "1636482.00", "currency": "INR"},
          "limit": {"amount": "1500000.00", "currency": "INR"},
          "limit_with_tolerance": {"amount": "1500000.00", "currency": "INR"},
          "status": {"status": "over_limit", "over_by": {"amount": "136482.00", "currency": "INR"},
                     "blocks": False}}
write("approval_policy", "demo", {"policy": D["approval_policy"], "subject": subject,
                                  "context": {"credit": credit}})
write("approval_policy", "operators", {
    "policy": {"id": "ops", "side": "seller", "currency": "INR", "rules": [
        {"id": "r1", "when": "max_discount_pct > 15 and not (segment in [\"distributor\", \"oem\"])",
         "require": {"role": "sales_manager", "count": 1, "level": 1}},
        {"id": "r2", "when": "avg_discount_pct >= 3.5 or (min_margin_pct < 12 and lines_below_floor > 0)",
         "require": {"role": "finance", "count": 2, "level": 2}},
        {"id": "r3", "when": "total_before_tax > 100000 INR and payment_days_over_standard > 10",
         "require": {"role": "cfo", "level": 3}},
        {"id": "r4", "when": "tags == \"key_account\" or new_customer == true",
         "require": {"role": "key_account_manager"}},
        {"id": "r5", "when": {"all": [{"any": [{"not": {"compare": {"fact": "new_customer", "op": "==", "value": {"bool": True}}}}]}]},
         "require": {"role": "ops"}}],
        "self_approval_roles": ["ops"], "on_reject": "return_for_revision",
        "step_deadline_hours": 48},
    "subject": subject,
    "context": {"standard_terms": {"id": "NET30", "instalments": [
        {"share": {"type": "balance"}, "basis": "invoice_date", "days": 30}]},
                "new_customer": False}})
