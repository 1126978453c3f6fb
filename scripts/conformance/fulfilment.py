"""Allocation, shipment, ledger and classification cases, and the order
commands that record plans and dispatches."""

import copy

from lib import run

ASPEC = "spec allocation-fulfilment.md"


def wh(wid, state, priority, fixed, **kw):
    w = {"id": wid, "name": kw.pop("name", wid), "address": {"state_code": state, "pincode": kw.pop("pin", "560100")},
         "priority": priority, "shipping_rates": [{"fixed": fixed}]}
    w.update(kw)
    return w


WAREHOUSES = [wh("BLR", "29", 2, "150", name="Bengaluru", location={"lat": 12.9716, "lon": 77.63},
                 address={"state_code": "29", "pincode": "560100", "gstin": "29AAGCB7383J1Z4"}),
              wh("MUM", "27", 1, "400", name="Mumbai", location={"lat": 19.076, "lon": 72.8777},
                 address={"state_code": "27", "pincode": "400001"})]


def stock(*items):
    return {"items": [{"warehouse_id": w, "sku": k, "batches": b} for w, k, b in items]}


STOCK = stock(("BLR", "A", [{"batch_id": "a1", "on_hand": "5", "expiry_date": "2026-06-30", "bin": "R2-01"},
                            {"batch_id": "a2", "on_hand": "10", "expiry_date": "2026-12-31", "bin": "R1-04"}]),
              ("BLR", "B", [{"batch_id": "b1", "on_hand": "5", "bin": "R3-02"}]),
              ("MUM", "A", [{"batch_id": "a9", "on_hand": "50"}]))


def alloc(lines=None, strategy=None, stock_=None, warehouses=None, **kw):
    req = {"order_id": "SO-1", "customer_id": "C-1",
           "destination": {"state_code": "29", "pincode": "560001", "location": {"lat": 12.9716, "lon": 77.5946}},
           "lines": lines or [{"line_id": "1", "sku": "A", "quantity": "8", "weight_per_unit_kg": "2"},
                              {"line_id": "2", "sku": "B", "quantity": "2", "weight_per_unit_kg": "1"}]}
    req.update(kw.pop("request", {}))
    d = {"request": req, "warehouses": warehouses or WAREHOUSES, "stock": stock_ or STOCK,
         "today": "2026-03-01", "planned_at": "2026-03-01T09:00:00Z"}
    if strategy:
        d["strategy"] = strategy
    d.update(kw)
    return d


def cases(s, order):
    A = "allocation"
    out = s.gen(A, "fewest_shipments_default", "allocate", alloc())
    plan = out["plan"]
    s.hand(A, "fewest_shipments_one_warehouse_fefo", "allocate", alloc(),
           {"plan": {"fully_allocated": True, "estimated_cost": "150.00", "backorders": [],
                     "shipments": [{"warehouse_id": "BLR", "weight_kg": "18",
                                    "lines": [{"line_id": "1", "quantity": "8",
                                               "batches": [{"batch_id": "a1", "quantity": "5"},
                                                           {"batch_id": "a2", "quantity": "3"}]},
                                              {"line_id": "2", "quantity": "2"}]}]}},
           f"{ASPEC}, Allocation: fewest_shipments — BLR holds both lines (one shipment, ₹150); FEFO: a1 (June) before a2 (December); 8×2 + 2×1 kg")
    s.hand(A, "priority_strategy", "allocate", alloc(strategy="priority"),
           {"plan": {"shipments": [{"warehouse_id": "BLR", "lines": [{"line_id": "2", "quantity": "2"}]},
                                   {"warehouse_id": "MUM", "lines": [{"line_id": "1", "quantity": "8"}]}],
                     "estimated_cost": "550.00"}},
           f"{ASPEC}, Strategies: priority fills from warehouses in priority order (MUM priority 1 holds A, not B)")
    s.gen(A, "priority_strategy_full_output", "allocate", alloc(strategy="priority"))
    s.gen(A, "nearest_strategy", "allocate", alloc(strategy="nearest"))
    s.gen(A, "single_warehouse_strategy", "allocate",
          alloc(strategy="single_warehouse", lines=[{"line_id": "1", "sku": "A", "quantity": "20"},
                                                    {"line_id": "2", "sku": "B", "quantity": "2"}]))
    s.hand(A, "ship_complete_short_backorders_everything", "allocate",
           alloc(lines=[{"line_id": "1", "sku": "A", "quantity": "8"}, {"line_id": "2", "sku": "B", "quantity": "9"}],
                 request={"delivery": {"ship_complete": True}}),
           {"plan": {"shipments": [], "fully_allocated": False,
                     "backorders": [{"line_id": "1", "quantity": "8"}, {"line_id": "2", "quantity": "9"}]}},
           f"{ASPEC}, Strategies: ship complete orders never split; B is short everywhere → nothing allocated")
    s.hand(A, "partial_backorder", "allocate",
           alloc(lines=[{"line_id": "2", "sku": "B", "quantity": "7"}]),
           {"plan": {"fully_allocated": False, "backorders": [{"line_id": "2", "sku": "B", "quantity": "2"}],
                     "shipments": [{"warehouse_id": "BLR", "lines": [{"line_id": "2", "quantity": "5"}]}]}},
           f"{ASPEC}, Allocation: backordered quantities per line (7 asked, 5 on hand)")
    s.gen(A, "no_split_allowed_one_warehouse", "allocate",
          alloc(lines=[{"line_id": "1", "sku": "A", "quantity": "20"}, {"line_id": "2", "sku": "B", "quantity": "2"}],
                request={"delivery": {"allow_partial_shipments": False}}))
    exp = stock(("BLR", "A", [{"batch_id": "old", "on_hand": "5", "expiry_date": "2026-02-01"},
                              {"batch_id": "hold", "on_hand": "5", "expiry_date": "2026-05-01", "quality": "on_hold"},
                              {"batch_id": "short", "on_hand": "5", "expiry_date": "2026-03-20"},
                              {"batch_id": "good", "on_hand": "5", "expiry_date": "2026-09-01"},
                              {"batch_id": "noexp-new", "on_hand": "5", "mfg_date": "2026-02-01"},
                              {"batch_id": "noexp-old", "on_hand": "5", "mfg_date": "2025-12-01"}]))
    s.hand(A, "fefo_skips_expired_held_and_short_shelf_life", "allocate",
           alloc(lines=[{"line_id": "1", "sku": "A", "quantity": "8", "min_remaining_shelf_life_days": 30}],
                 stock_=exp, warehouses=[WAREHOUSES[0]]),
           {"plan": {"shipments": [{"lines": [{"batches": [{"batch_id": "good", "quantity": "5"},
                                                           {"batch_id": "noexp-old", "quantity": "3"}]}]}]}},
           f"{ASPEC}, Batch picking: FEFO skipping expired, on-hold and below-shelf-life batches, then FIFO by manufacturing date")
    shared_whs = [wh("W1", "29", 1, "100"), wh("W2", "29", 2, "100")]
    shared_stock = stock(("W1", "A", [{"batch_id": "x", "on_hand": "10"}]), ("W2", "A", [{"batch_id": "y", "on_hand": "6"}]))
    shared_lines = [{"line_id": "1", "sku": "A", "quantity": "8", "weight_per_unit_kg": "0"},
                    {"line_id": "2", "sku": "A", "quantity": "8", "weight_per_unit_kg": "1"}]
    for strat in ("fewest_shipments", "priority", "nearest"):
        s.hand(A, f"same_sku_lines_share_stock_{strat}", "allocate",
               alloc(lines=shared_lines, strategy=strat, stock_=shared_stock, warehouses=shared_whs),
               {"plan": {"fully_allocated": True, "backorders": [], "estimated_cost": "200.00",
                         "shipments": [{"warehouse_id": "W1"}, {"warehouse_id": "W2"}]}},
               f"{ASPEC}, Stock: available = on hand − reserved, shared by every line of the sku (issue 17 item 2): "
               "16 of A from W1 (10) + W2 (6), two shipments at ₹100 each")
    s.gen(A, "fefo_full_output", "allocate",
          alloc(lines=[{"line_id": "1", "sku": "A", "quantity": "8", "min_remaining_shelf_life_days": 30}],
                stock_=exp, warehouses=[WAREHOUSES[0]]))
    s.gen(A, "required_capability", "allocate",
          alloc(warehouses=[dict(WAREHOUSES[0]), dict(WAREHOUSES[1], capabilities=["export"])],
                request={"required_capabilities": ["export"]}))
    s.gen(A, "inactive_warehouse_excluded", "allocate",
          alloc(warehouses=[dict(WAREHOUSES[0], active=False), WAREHOUSES[1]]))
    s.gen(A, "routing_rule_excludes_by_state", "allocate",
          alloc(rules={"rules": [{"id": "noMUM", "when": {"destination_states": ["29"]},
                                  "action": {"type": "exclude", "warehouses": ["BLR"]}}]}))
    s.gen_error(A, "zero_quantity_refused", "allocate",
                alloc(lines=[{"line_id": "1", "sku": "A", "quantity": "0"}]))
    # --- ledger ---
    L = "ledger"
    state = {"stock": STOCK, "reservations": []}
    reqs = [{"line_id": "1", "warehouse_id": "BLR", "sku": "A", "batch_id": "a1", "quantity": "5"},
            {"line_id": "1", "warehouse_id": "BLR", "sku": "A", "batch_id": "a2", "quantity": "3"},
            {"line_id": "2", "warehouse_id": "BLR", "sku": "B", "batch_id": "b1", "quantity": "2"}]
    reserved = s.gen(L, "reserve_plan", "ledger_reserve", {"ledger": state, "order_id": "SO-1", "requests": reqs})
    s.hand(L, "reserve_fills_reserved", "ledger_reserve", {"ledger": state, "order_id": "SO-1", "requests": reqs[:1]},
           {"reservations": [{"order_id": "SO-1", "line_id": "1", "warehouse_id": "BLR", "sku": "A", "batch_id": "a1",
                              "quantity": "5"}]},
           f"{ASPEC}, Stock: the ledger holds reservations (order line, warehouse, batch, quantity)")
    s.hand_error(L, "reserve_all_or_nothing", "ledger_reserve",
                 {"ledger": state, "order_id": "SO-1",
                  "requests": [reqs[0], dict(reqs[2], quantity="6")]}, "INSUFFICIENT_STOCK", None,
                 f"{ASPEC}, Stock: applying a plan reserves all or nothing (b1 has 5)")
    s.gen(L, "release_exact", "ledger_release",
          {"ledger": reserved, "order_id": "SO-1", "requests": [dict(reqs[1], quantity="1")]})
    s.gen_error(L, "release_more_than_reserved_refused", "ledger_release",
                {"ledger": reserved, "order_id": "SO-1", "requests": [dict(reqs[1], quantity="4")]})
    s.gen(L, "consume_at_dispatch", "ledger_consume", {"ledger": reserved, "order_id": "SO-1", "requests": reqs})
    s.gen(L, "quarantine_failed_qc", "ledger_quarantine",
          {"ledger": reserved, "order_id": "SO-1", "requests": [dict(reqs[1], quantity="1")]})
    s.gen_error(L, "reserve_unknown_batch_refused", "ledger_reserve",
                {"ledger": state, "order_id": "SO-1", "requests": [dict(reqs[0], batch_id="zz")]})
    # --- shipments ---
    S = "shipments"
    ship_in = {"plan": plan, "warehouses": WAREHOUSES,
               "ship_to": {"name": "Buyer Traders", "address": {"state_code": "29", "pincode": "560001",
                                                                "gstin": "29AAGCB7383J1Z4"}},
               "lines": [{"line_id": "1", "description": "Widget A", "hsn": "8479", "uqc": "NOS", "unit_value": "7000",
                          "gst_rate_percent": "18", "weight_per_unit_kg": "2"},
                         {"line_id": "2", "description": "Widget B", "hsn": "8479", "uqc": "NOS", "unit_value": "500",
                          "gst_rate_percent": "18", "weight_per_unit_kg": "1"}],
               "shipment_ids": ["SH-1"]}
    shipped = s.gen(S, "ship_plan", "ship", ship_in)
    s.hand(S, "ship_eway_bill_value_and_bins", "ship", ship_in,
           {"shipments": [{"picking_list": [{"bin": "R1-04"}, {"bin": "R2-01"}, {"bin": "R3-02"}],
                           "documents": {"eway_bill": {"consignment_value": "67260.00", "required": True}}}]},
           f"{ASPEC}, Shipments: picking sorted by bin; e-way bill above ₹50,000: 8 × 7000 + 2 × 500 = 57000 + 18% = 67260.00")
    s.gen_error(S, "ship_wrong_number_of_ids", "ship", dict(ship_in, shipment_ids=["A", "B"]))
    s.gen(S, "ship_delivery_challan_for_transfer", "ship", dict(ship_in, purpose="stock_transfer", shipment_ids=["ST-1"]))
    sh = shipped["shipments"][0]["shipment"]

    def step(sh, cmd):
        return {"shipment": sh, "command": cmd}

    t = s.gen(S, "transition_pick", "shipment_transition", step(sh, {"type": "confirm_picked", "at": "2026-03-01T10:00:00Z"}))
    picked = t["shipment"]
    t = s.gen(S, "transition_qc_failure_quarantines", "shipment_transition",
              step(picked, {"type": "record_qc", "at": "2026-03-01T10:30:00Z",
                            "results": [{"line_id": "1", "batch_id": "a2", "failed_quantity": "1", "note": "dented"}]}))
    qcd = t["shipment"]
    t = s.gen(S, "transition_pack", "shipment_transition",
              step(qcd, {"type": "pack", "at": "2026-03-01T11:00:00Z", "packages": [
                  {"package_id": "P1", "contents": [{"line_id": "1", "quantity": "7"}, {"line_id": "2", "quantity": "2"}]}]}))
    packed = t["shipment"]
    s.hand_error(S, "deliver_before_dispatch_refused", "shipment_transition",
                 step(packed, {"type": "deliver", "at": "2026-03-01T12:00:00Z"}), "ILLEGAL_TRANSITION", None,
                 f"{ASPEC}, Shipments and dispatch: planned → picked → packed → dispatched → delivered; illegal transitions are errors")
    t = s.gen(S, "transition_dispatch_consumes", "shipment_transition",
              step(packed, {"type": "dispatch", "at": "2026-03-01T12:00:00Z", "carrier": "BlueLine",
                            "tracking_number": "AWB-77", "vehicle_number": "KA01AB1234"}))
    dispatched = t["shipment"]
    s.gen(S, "transition_deliver", "shipment_transition", step(dispatched, {"type": "deliver", "at": "2026-03-02T12:00:00Z"}))
    s.gen(S, "transition_return", "shipment_transition",
          step(dispatched, {"type": "return", "at": "2026-03-02T12:00:00Z", "reason": "refused"}))
    s.gen(S, "transition_cancel_planned", "shipment_transition",
          step(sh, {"type": "cancel", "at": "2026-03-01T10:00:00Z", "reason": "order cancelled"}))
    s.hand(S, "documents_after_dispatch", "shipment_documents", {"shipment": dispatched},
           {"consignment_note": {"consignment_number": "AWB-77", "vehicle_number": "KA01AB1234"},
            "shipping_label": {"awb": "AWB-77", "package_count": 1},
            "eway_bill": {"consignment_value": "59000.00", "required": True, "missing": []}},
           f"{ASPEC}, E-way bill: after one unit failed QC, 7 × 7000 + 2 × 500 = 50000 + 18% = 59000.00 > 50000")
    s.gen(S, "documents_full_output", "shipment_documents", {"shipment": dispatched})
    s.gen(S, "documents_state_threshold", "shipment_documents",
          {"shipment": dispatched, "eway_bill": {"intra_state_thresholds": [{"state_code": "29", "threshold": "100000"}]}})
    # --- an order's plan, dispatch and close ---
    O = "orders"
    ostock = stock(("BLR", "CAP", [{"batch_id": "c1", "on_hand": "200", "bin": "C-01"}]),
                   ("BLR", "TEE", [{"batch_id": "t1", "on_hand": "50", "bin": "T-01"}]))
    olines = [{"line_id": l["line_id"], "sku": l["sku"], "quantity": l["ordered"]} for l in order["lines"]]
    oplan = run("allocate", alloc(lines=olines, stock_=ostock, request={"order_id": order["id"], "customer_id": order["customer_id"]}))["plan"]
    planned = s.gen(O, "order_apply_plan", "order_apply_plan", {"order": order, "plan": oplan})
    s.gen_error(O, "order_apply_plan_on_draft_refused", "order_apply_plan", {"order": dict(order, lifecycle="draft"), "plan": oplan})
    osh = run("ship", {"plan": oplan, "warehouses": WAREHOUSES,
                       "ship_to": {"name": "Buyer Traders", "address": {"state_code": "29", "pincode": "560001"}},
                       "lines": [{"line_id": l["line_id"], "description": l["name"], "hsn": l["hsn"], "uqc": "NOS",
                                  "unit_value": l["unit_price"], "gst_rate_percent": l["gst_rate"]} for l in order["lines"]],
                       "shipment_ids": ["SH-O1"]})["shipments"][0]["shipment"]
    # The same shipment with its lines taken from the order itself.
    from_order_ship = {"plan": oplan, "warehouses": WAREHOUSES,
                       "ship_to": {"name": "Buyer Traders", "address": {"state_code": "29", "pincode": "560001"}},
                       "from_order": {"order": planned, "products": [{"sku": l["sku"], "uqc": "NOS"} for l in order["lines"]]},
                       "shipment_ids": ["SH-O1"]}
    s.gen(O, "ship_from_order", "ship", from_order_ship)
    s.gen_error(O, "ship_from_order_with_lines_refused", "ship",
                dict(from_order_ship, lines=[{"line_id": "1", "description": "Widget"}]))
    osh = run("shipment_transition", step(osh, {"type": "confirm_picked", "at": "2026-11-28T10:00:00+05:30"}))["shipment"]
    osh = run("shipment_transition", step(osh, {"type": "pack", "at": "2026-11-28T11:00:00+05:30", "packages": [
        {"package_id": "P1", "contents": [{"line_id": l["line_id"], "quantity": l["ordered"]} for l in order["lines"]]}]}))["shipment"]
    osh = run("shipment_transition", step(osh, {"type": "dispatch", "at": "2026-11-28T12:00:00+05:30", "carrier": "BlueLine",
                                                "tracking_number": "AWB-88", "vehicle_number": "KA01AB1234"}))["shipment"]
    shipped_order = s.gen(O, "order_apply_dispatch", "order_apply_dispatch", {"order": planned, "shipment": osh})
    s.gen_error(O, "order_apply_dispatch_other_order_refused", "order_apply_dispatch", {"order": planned, "shipment": dispatched})
    s.gen(O, "order_close_shipped_not_invoiced", "order_close", {"order": shipped_order, "now": "2026-12-01T10:00:00+05:30"})
    # The invoice of the dispatched shipment, from the order itself; the
    # result's order has the invoiced quantities recorded.
    I = "notes"
    buyer = {"id": order["customer_id"], "legal_name": "Buyer Traders", "gstin": "29AAGCB7383J1Z4",
             "segment": "distributor",
             "billing_address": {"lines": ["12 MG Road"], "city": "Bengaluru", "state_code": "29", "pincode": "560001"}}
    seller = {"legal_name": "Acme Industrial Supplies Pvt Ltd", "gstin": "29AAPFU0939F1ZR",
              "address": {"line1": "Plot 4, Peenya", "city": "Bengaluru", "state_code": "29", "pin": "560058"}}
    from_order = {"order": shipped_order, "customer": buyer, "seller": seller, "shipments": [osh],
                  "number": "INV/26-27/00101", "date": "2026-11-28", "settings": {"round_off": True}}
    made = s.gen(I, "invoice_from_order_part_shipment", "invoice_from_order", from_order)
    s.gen_error(I, "invoice_from_order_twice_refused", "invoice_from_order",
                dict(from_order, order=made["order"], number="INV/26-27/00102", issued_numbers=["INV/26-27/00101"]))
    s.gen_error(I, "invoice_from_order_undispatched_refused", "invoice_from_order",
                dict(from_order, shipments=[dict(osh, dispatch=None)]))
    s.gen_error(I, "invoice_from_order_price_override_needs_reason", "invoice_from_order",
                dict(from_order, price_overrides=[{"line_id": order["lines"][0]["line_id"], "unit_price": "1.00", "reason": " "}]))
    invoiced = made["order"]
    s.gen(O, "order_close_shipped_and_invoiced", "order_close", {"order": invoiced, "now": "2026-12-01T10:00:00+05:30"})

    # --- classify ---
    C = "classify"
    policy = {"default_segment": "retail", "default_price_list": "retail-list", "rules": [
        {"id": "export", "segment": "exporter", "price_list": "export-list", "when": {"countries_not": ["IN"]}},
        {"id": "dist", "segment": "distributor", "price_list": "dist-list",
         "when": {"has_gstin": True, "business_categories": ["distributor"], "min_annual_volume": "5000000"}},
        {"id": "ka", "segment": "wholesaler", "when": {"gstin_states": ["29"]}}]}
    inq = {"id": "INQ-1", "company": "Shree Ganesh Distributors", "gstin": "29AAGCB7383J1Z4",
           "business_category": "distributor", "annual_volume": "8000000", "source": "web_form",
           "lines": [{"sku": "CAP", "quantity": "100", "target_price": "110.00"}, {"description": "blue hoodies", "quantity": "50"}]}
    s.hand(C, "first_matching_rule", "classify", {"policy": policy, "inquiry": inq},
           {"classification": {"segment": "distributor", "price_list": "dist-list", "matched_rule": "dist"}},
           "spec pricing.md, Customers, segments, inquiries: ordered rules, first match wins, the result says which rule")
    s.gen(C, "with_catalog_drafts_quote_request", "classify",
          {"policy": policy, "inquiry": inq,
           "catalog": [{"sku": "CAP", "name": "Cap", "hsn": "65050000", "gst_rate_class": "GST5", "base_unit": "NOS"}]})
    s.gen(C, "export_by_country", "classify", {"policy": policy, "inquiry": dict(inq, id="INQ-2", country="AE", gstin=None)})
    s.hand(C, "default_segment", "classify",
           {"policy": policy, "inquiry": {"id": "INQ-3", "company": "Small Shop", "source": "call"}},
           {"classification": {"segment": "retail", "price_list": "retail-list"}},
           "spec pricing.md, Customers, segments, inquiries: a default segment applies when no rule matches")
    s.gen(C, "gstin_state_rule", "classify",
          {"policy": policy, "inquiry": dict(inq, id="INQ-4", business_category="manufacturer")})
    s.gen(C, "has_gstin_false", "classify",
          {"policy": policy, "inquiry": dict(inq, id="INQ-5", gstin=None)})


def more(s):
    """Further hand cases: e-way bill threshold, nearest, single warehouse."""
    A = "allocation"
    S = "shipments"
    s.hand(A, "nearest_fills_from_the_closest", "allocate", alloc(strategy="nearest"),
           {"plan": {"shipments": [{"warehouse_id": "BLR", "lines": [{"line_id": "1", "quantity": "8"},
                                                                     {"line_id": "2", "quantity": "2"}]}],
                     "fully_allocated": True}},
           f"{ASPEC}, Strategies: nearest fills in order of distance (BLR about 4 km, MUM about 840 km)")
    s.hand(A, "single_warehouse_backorders_the_rest", "allocate",
           alloc(strategy="single_warehouse", warehouses=[WAREHOUSES[0]], stock_={"items": STOCK["items"][:2]},
                 lines=[{"line_id": "1", "sku": "A", "quantity": "20"}, {"line_id": "2", "sku": "B", "quantity": "2"}]),
           {"plan": {"shipments": [{"warehouse_id": "BLR", "lines": [{"line_id": "1", "quantity": "15"},
                                                                     {"line_id": "2", "quantity": "2"}]}],
                     "backorders": [{"line_id": "1", "quantity": "5"}]}},
           f"{ASPEC}, Strategies: single_warehouse ships from one warehouse and backorders the rest")
    s.hand(A, "fewest_shipments_split_when_needed", "allocate",
           alloc(lines=[{"line_id": "1", "sku": "A", "quantity": "40"}, {"line_id": "2", "sku": "B", "quantity": "2"}]),
           {"plan": {"fully_allocated": True, "estimated_cost": "550.00",
                     "shipments": [{"warehouse_id": "BLR", "lines": [{"line_id": "2", "quantity": "2"}]},
                                   {"warehouse_id": "MUM", "lines": [{"line_id": "1", "quantity": "40"}]}]}},
           f"{ASPEC}, Strategies: fewest_shipments — within the chosen set a line ships whole from one warehouse when one can hold it (MUM holds 40 A)")
    plan = run("allocate", alloc(lines=[{"line_id": "1", "sku": "A", "quantity": "5"}], warehouses=[WAREHOUSES[0]],
                                 stock_={"items": STOCK["items"][:2]}))["plan"]
    base = {"plan": plan, "warehouses": WAREHOUSES,
            "ship_to": {"name": "Buyer Traders", "address": {"state_code": "29", "pincode": "560001"}},
            "lines": [{"line_id": "1", "description": "Widget A", "hsn": "8479", "uqc": "NOS", "unit_value": "10000",
                       "gst_rate_percent": "0"}], "shipment_ids": ["SH-9"]}
    s.hand(S, "eway_bill_not_required_at_threshold", "ship", base,
           {"shipments": [{"documents": {"eway_bill": {"consignment_value": "50000.00", "required": False}}}]},
           f"{ASPEC}, E-way bill: required when the consignment value is above ₹50,000 (exactly 50000.00 is not above)")
    s.hand(S, "eway_bill_required_above_threshold", "ship",
           dict(base, lines=[dict(base["lines"][0], unit_value="10000.01")]),
           {"shipments": [{"documents": {"eway_bill": {"consignment_value": "50000.05", "required": True}}}]},
           f"{ASPEC}, E-way bill: above ₹50,000 by default")


def more_ledger(s):
    L = "ledger"
    state = {"stock": STOCK, "reservations": []}
    r1 = {"line_id": "1", "warehouse_id": "MUM", "sku": "A", "batch_id": "a9", "quantity": "20"}
    once = run("ledger_reserve", {"ledger": state, "order_id": "SO-1", "requests": [r1]})
    s.hand(L, "second_order_reserves_the_rest", "ledger_reserve",
           {"ledger": once, "order_id": "SO-2", "requests": [dict(r1, quantity="30")]},
           {"reservations": [{"order_id": "SO-1", "quantity": "20"}, {"order_id": "SO-2", "quantity": "30"}]},
           f"{ASPEC}, Stock: available = on hand − reserved (50 − 20 leaves 30 for SO-2)")
    s.hand_error(L, "never_oversell", "ledger_reserve",
                 {"ledger": once, "order_id": "SO-2", "requests": [dict(r1, quantity="31")]}, "INSUFFICIENT_STOCK", None,
                 f"{ASPEC}, Stock: the sum reserved per batch never exceeds on hand (50 − 20 < 31)")
    s.hand(L, "release_all_drops_reservation", "ledger_release",
           {"ledger": once, "order_id": "SO-1", "requests": [r1]}, {"reservations": []},
           f"{ASPEC}, Stock: releasing is exact")
    s.gen(L, "consume_partial", "ledger_consume", {"ledger": once, "order_id": "SO-1", "requests": [dict(r1, quantity="5")]})
    s.gen_error(L, "consume_other_order_refused", "ledger_consume",
                {"ledger": once, "order_id": "SO-9", "requests": [dict(r1, quantity="5")]})
    s.gen(L, "reserve_ignores_input_reserved_field", "ledger_reserve",
          {"ledger": {"stock": stock(("MUM", "A", [{"batch_id": "a9", "on_hand": "50", "reserved": "45"}])), "reservations": []},
           "order_id": "SO-1", "requests": [r1]},
          note="LedgerState: the stock's reserved fields are ignored on the way in and filled on the way out")


def more_routing(s):
    A = "allocation"
    st = stock(("BLR", "A", [{"batch_id": "a2", "on_hand": "10"}]), ("BLR", "B", [{"batch_id": "b1", "on_hand": "5"}]),
               ("MUM", "A", [{"batch_id": "a9", "on_hand": "50"}]), ("MUM", "C", [{"batch_id": "c9", "on_hand": "5"}]))
    lines = [{"line_id": "1", "sku": "A", "quantity": "8"}, {"line_id": "2", "sku": "B", "quantity": "2"},
             {"line_id": "3", "sku": "C", "quantity": "1"}]
    s.hand(A, "line_ships_whole_from_cheaper", "allocate", alloc(lines=lines, stock_=st),
           {"plan": {"fully_allocated": True, "estimated_cost": "550.00",
                     "shipments": [{"warehouse_id": "BLR", "lines": [{"line_id": "1", "quantity": "8"}, {"line_id": "2", "quantity": "2"}]},
                                   {"warehouse_id": "MUM", "lines": [{"line_id": "3", "quantity": "1"}]}]}},
           f"{ASPEC}, Strategies: within the chosen set a line ships whole from one warehouse, preferring the cheaper (BLR ₹150 < MUM ₹400)")
    s.gen(A, "greedy_beyond_exact_bound", "allocate", alloc(lines=lines, stock_=st, settings={"exact_max_candidates": 1}),
          note=f"{ASPEC}: beyond the bound a documented greedy fallback whose plan says it is not proven optimal")
    s.gen(A, "per_kg_rates_by_state", "allocate",
          alloc(warehouses=[dict(WAREHOUSES[0], shipping_rates=[{"state_code": "29", "fixed": "100", "per_kg": "5"}, {"fixed": "900"}]),
                            WAREHOUSES[1]]))


def ledger_figures(s):
    L = "ledger"
    state = {"stock": STOCK, "reservations": []}
    reqs = [{"line_id": "1", "warehouse_id": "BLR", "sku": "A", "batch_id": "a1", "quantity": "5"},
            {"line_id": "1", "warehouse_id": "BLR", "sku": "A", "batch_id": "a2", "quantity": "3"}]
    held = run("ledger_reserve", {"ledger": state, "order_id": "SO-1", "requests": reqs})
    s.hand(L, "consume_reduces_on_hand", "ledger_consume", {"ledger": held, "order_id": "SO-1", "requests": reqs},
           {"reservations": [],
            "stock": {"items": [{"batches": [{"batch_id": "a1", "on_hand": "0", "reserved": "0"},
                                             {"batch_id": "a2", "on_hand": "7", "reserved": "0"}]},
                                {"batches": [{"batch_id": "b1", "on_hand": "5"}]},
                                {"batches": [{"batch_id": "a9", "on_hand": "50"}]}]}},
           f"{ASPEC}, Shipments and dispatch: dispatch consumes the reservations (a1 5 − 5, a2 10 − 3)")
    s.hand(L, "quarantine_moves_units_on_hold", "ledger_quarantine",
           {"ledger": held, "order_id": "SO-1", "requests": [dict(reqs[1], quantity="1")]},
           {"stock": {"items": [{"batches": [{"batch_id": "a1", "on_hand": "5", "reserved": "5"},
                                             {"batch_id": "a2", "on_hand": "9", "reserved": "2"},
                                             {"on_hand": "1", "reserved": "0", "quality": "on_hold"}]},
                                {"batches": [{"batch_id": "b1"}]}, {"batches": [{"batch_id": "a9"}]}]}},
           f"{ASPEC}, Shipments: a unit that failed QC leaves the reservation and the released stock; on hold it is never allocated")
