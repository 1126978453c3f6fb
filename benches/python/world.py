"""A seeded world for the pricing comparison, as JSON-format documents.

Sizes default to the issue's "world Python can hold": 5,000 skus, 2,000
line rules, 1,000-line orders. Features: a default list for every sku
(all-units and graduated tiers), segment lists and customer contract lists
whose tiers start higher (so lines fall back along the chain), line rules
scoped by sku, category (with descendants) or segment / customer, with
quantity windows, validity windows, priorities, `stop` and exclusive
groups (percent off, amount off, fixed price), MOQs, and order discount
rules. Amounts are `Decimal`, never float.
"""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any, Dict, List

SEGMENTS = ["distributor", "wholesaler", "retail_chain", "manufacturer", "exporter", "d2c_brand", "institutional"]
PRICED_AT = "2026-11-26T11:30:00+05:30"


def money(rng: random.Random, lo: int, hi: int) -> Decimal:
    return Decimal(rng.randint(lo * 100, hi * 100)) / 100


def tiers(rng: random.Random, base: Decimal, first: int) -> List[Dict[str, Any]]:
    out = [{"min_qty": Decimal(first), "price": base}]
    qty, price = first, base
    for _ in range(rng.randint(0, 3)):
        qty = qty * rng.choice([2, 3, 5]) + rng.randint(0, 20)
        price = (price * Decimal(rng.choice([90, 93, 95, 97])) / 100).quantize(Decimal("0.01"))
        out.append({"min_qty": Decimal(qty), "price": price})
    return out


def world(skus: int = 5000, rules: int = 2000, customers: int = 200, seed: int = 7) -> Dict[str, Any]:
    rng = random.Random(seed)
    catalog = []
    for i in range(skus):
        p: Dict[str, Any] = {
            "sku": f"SKU{i:06d}",
            "name": f"Product {i}",
            "hsn": "61091000",
            "gst_rate_class": "GST12",
            "base_unit": "NOS",
            "category": f"cat{rng.randrange(20):02d}/sub{rng.randrange(10):02d}",
        }
        if rng.random() < 0.2:
            p["constraints"] = {"moq": Decimal(rng.choice([5, 10, 24, 50]))}
        catalog.append(p)
    base = {p["sku"]: money(rng, 20, 2000) for p in catalog}
    default_entries = []
    for p in catalog:
        entry: Dict[str, Any] = {"sku": p["sku"], "tiers": tiers(rng, base[p["sku"]], 1)}
        if rng.random() < 0.3:
            entry["tier_mode"] = "graduated"
        default_entries.append(entry)
    price_lists: List[Dict[str, Any]] = [{"id": "default", "currency": "INR", "entries": default_entries}]
    segment_lists: Dict[str, List[str]] = {}
    for seg in SEGMENTS:
        entries = []
        for p in rng.sample(catalog, skus // 5):
            price = (base[p["sku"]] * Decimal(rng.choice([85, 88, 90, 92])) / 100).quantize(Decimal("0.01"))
            entries.append({"sku": p["sku"], "tiers": tiers(rng, price, rng.choice([10, 50, 100]))})
        price_lists.append({"id": f"seg-{seg}", "currency": "INR", "entries": entries})
        segment_lists[seg] = [f"seg-{seg}"]
    people = []
    for c in range(customers):
        cust: Dict[str, Any] = {
            "id": f"CUST{c:04d}",
            "legal_name": f"Customer {c}",
            "billing_address": {"lines": ["1 Road"], "city": "Pune", "state_code": "27", "pincode": "411001"},
            "segment": rng.choice(SEGMENTS),
            "channels": ["portal", "sales_rep"],
        }
        if c % 10 == 0:
            entries = []
            for p in rng.sample(catalog, 200):
                price = (base[p["sku"]] * Decimal(rng.choice([80, 84, 87])) / 100).quantize(Decimal("0.01"))
                entries.append({"sku": p["sku"], "tiers": tiers(rng, price, rng.choice([1, 20, 200]))})
            price_lists.append({"id": f"contract-{c}", "currency": "INR", "entries": entries})
            cust["price_lists"] = [f"contract-{c}"]
        people.append(cust)
    used = sorted({p["category"] for p in catalog})
    tops = sorted({c.split("/")[0] for c in used})
    line_rules = []
    for r in range(rules):
        when: Dict[str, Any] = {}
        kind = rng.random()
        if kind < 0.6:
            when["skus"] = [f"SKU{rng.randrange(skus):06d}"]
        elif kind < 0.9:
            when["categories"] = [rng.choice(used)]
            when["segments"] = [rng.choice(SEGMENTS)]
        else:
            when["categories"] = [rng.choice(tops)]
            when["customers"] = [f"CUST{rng.randrange(customers):04d}"]
        if rng.random() < 0.2:
            when["min_qty"] = Decimal(rng.randint(5, 200))
        if rng.random() < 0.05:
            when["max_qty"] = Decimal(rng.randint(200, 500))
        if rng.random() < 0.1:
            when["valid_from"] = "2026-11-01T00:00:00+05:30"
            when["valid_until"] = rng.choice(["2026-12-01T00:00:00+05:30", "2026-11-15T00:00:00+05:30"])
        a = rng.random()
        if a < 0.65:
            action: Dict[str, Any] = {"type": "percent_off", "percent": Decimal(rng.randint(1, 15))}
        elif a < 0.9:
            action = {"type": "amount_off", "amount": money(rng, 1, 20)}
        else:
            action = {"type": "fixed_price", "price": money(rng, 20, 1500)}
        rule: Dict[str, Any] = {"id": f"R{r:05d}", "priority": rng.randrange(20), "when": when, "action": action}
        if rng.random() < 0.05:
            rule["stop"] = True
        if rng.random() < 0.1:
            rule["exclusive_group"] = f"grp{rng.randrange(30)}"
        line_rules.append(rule)
    order_rules = [
        {"id": "ORDER-5L-3PCT", "priority": 10, "when": {"min_amount": Decimal(500000)},
         "action": {"type": "percent_off", "percent": Decimal(3)}, "stop": True},
        {"id": "ORDER-1L-1PCT", "priority": 5, "when": {"min_amount": Decimal(100000)},
         "action": {"type": "percent_off", "percent": Decimal(1)}},
    ]
    book = {
        "id": "bench", "version": "1", "currency": "INR",
        "price_lists": price_lists, "default_price_lists": ["default"], "segment_price_lists": segment_lists,
        "rules": line_rules, "order_rules": order_rules,
    }
    return {"catalog": catalog, "price_book": book, "customers": people}


def order(w: Dict[str, Any], lines: int = 1000, seed: int = 11, customer: int = 0) -> Dict[str, Any]:
    rng = random.Random(seed)
    skus = [p["sku"] for p in w["catalog"]]
    chosen = rng.sample(skus, lines)
    return {
        "customer": w["customers"][customer],
        "request": {
            "order_id": f"BENCH-{seed}", "currency": "INR", "channel": "portal", "priced_at": PRICED_AT,
            "lines": [
                {"line_id": str(i + 1), "sku": s, "quantity": Decimal(rng.choice([1, 3, 8, 12, 25, 60, 120, 250, 600]))}
                for i, s in enumerate(chosen)
            ],
        },
    }
