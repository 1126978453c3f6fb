#!/usr/bin/env python3
"""The inquiry-to-invoice journey of the demo, as an ERP plugin would write it.

Reads ``examples/data/dataset.json`` (the fictional Deccan Workwear & Tools
Pvt Ltd), then with ``b2b_oms``:

1. classifies the two inquiries into segments (a compiled
   ``ClassificationPolicy``);
2. prices the distributor's order and the retail chain's cart in one batch
   call (a compiled ``PriceBook``, ``price_orders``, GIL released);
3. builds the distributor's quote, revises it with an 18 % discount, sends
   it for approval (the rep may not approve her own quote; the manager
   does), issues it sealed;
4. the buyer accepts part of it (a tampered acceptance is refused) and it
   becomes an order, confirmed with the quote's approval carried over;
5. the order is allocated to warehouses, its batches reserved in a
   ``ReservationLedger`` and the plan recorded (``order_apply_plan``);
6. each shipment is made (``ship``), picked, packed and dispatched
   (``shipment_transition``); each dispatch consumes its reservations and is
   recorded on the order (``order_apply_dispatch``);
7. one GST invoice per dispatched shipment is built from the order by the
   core (``invoice_from_order``); invoicing a shipment again is refused
   (``OVER_INVOICED``);
8. a credit note for returned gloves (crediting the line again is refused,
   ``OVER_CREDITED``);
9. an export order is priced in USD and invoiced zero-rated under LUT;
10. the e-invoice (INV-01) JSON of each of the four documents.

From step 5 on, the host's choices (ids, instants, commands, numbers,
settings) come from ``examples/data/journey.json``, the step documents the
Rust example (``examples/rust``) replays; the few documents a host builds
from earlier outputs (allocation request, consignee, shipment lines, seller
party, credit note, export invoice) follow that file's ``derive`` rules and
hold no business rule of their own.

It prints the same totals as the Rust demo (``cargo run -p b2b-oms-cli --
demo``). Amounts are ``decimal.Decimal`` throughout: the JSON is read with
``parse_float=Decimal`` so no amount ever passes through a float.

Run: ``python examples/python/journey.py`` (after ``pip install ./bindings-python``).
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import sys
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any, Dict, List, Tuple, cast

import b2b_oms
from b2b_oms.types import (
    Accept,
    ApprovalCommandApprove,
    AcceptLine,
    Address,
    AllocationPlan,
    AllocationRequest,
    Customer,
    Invoice,
    InvoiceFromOrder,
    InvoiceInput,
    InvoiceParty,
    Order,
    OrderLine,
    PricedOrder,
    PriceRequest,
    QuoteRequestLine,
    QuoteRevision,
    ReservationRequest,
    SealKey,
    Shipment,
    ShipProduct,
    ShipmentParty,
)

DATA = Path(__file__).resolve().parents[1] / "data" / "dataset.json"
JOURNEY = DATA.parent / "journey.json"


def inr(amount: Decimal) -> str:
    """₹ with Indian digit grouping (₹2,76,059.14), as the demo prints."""
    sign = "-" if amount < 0 else ""
    text = format(abs(amount).quantize(Decimal("0.01")), "f")
    whole, _, frac = text.partition(".")
    if len(whole) > 3:
        head, tail = whole[:-3], whole[-3:]
        groups: List[str] = []
        while len(head) > 2:
            groups.insert(0, head[-2:])
            head = head[:-2]
        if head:
            groups.insert(0, head)
        whole = ",".join(groups + [tail])
    return f"{sign}₹{whole}.{frac}"


def quote_line(line: OrderLine) -> QuoteRequestLine:
    """A quote-request line from an order line (the keys they share)."""
    out: QuoteRequestLine = {"line_id": line["line_id"], "sku": line["sku"], "quantity": line["quantity"]}
    if line.get("unit"):
        out["unit"] = line["unit"]
    if line.get("target_price") is not None:
        out["target_price"] = line["target_price"]
    return out


def section(title: str) -> None:
    print()
    print(title)
    print("-" * len(title))


def print_priced(order: PricedOrder) -> None:
    print(f"{order.get('order_id')} — {order['customer_id']} ({order['segment']}), via {order['channel']}")
    for line in order["lines"]:
        if line["kind"]["type"] == "free":
            print(f"  +  {line['sku']:<16} {line['quantity']:>5} {line['unit']:<4} free")
            continue
        print(
            f"  {line['line_id']:<2} {line['sku']:<16} {line['quantity']:>5} {line['unit']:<4}"
            f" at {inr(line['net_unit_price']):>11}/{line['unit']} = {inr(line['amount']):>14}"
        )
    for problem in order["errors"]:
        print(f"  ! line {problem.get('line_id')} {problem['sku']}: {problem['code']} — {problem['message']}")
    print(f"  Subtotal {inr(order['subtotal']):>38}")
    print(f"  Total before tax {inr(order['total_before_tax']):>30}")


# The documents a host builds from earlier outputs, each as journey.json's
# `derive` rule for its step says (examples/rust/src/documents.rs likewise).


def default_ship_to(customer: Customer) -> Address:
    """The first shipping address, else the billing address."""
    return (customer.get("shipping_addresses") or [customer["billing_address"]])[0]


def allocation_request(base: Dict[str, Any], order: Order, customer: Customer,
                       products: Dict[str, Any]) -> AllocationRequest:
    """`allocate`'s request: journey.json's choices plus the order's lines in base units."""
    ship_to = default_ship_to(customer)
    request: Dict[str, Any] = dict(base)
    request.update(
        order_id=order["id"], customer_id=customer["id"], segment=customer["segment"],
        destination={"state_code": ship_to["state_code"], "pincode": ship_to["pincode"]},
        delivery={"ship_complete": order["delivery"]["ship_complete"],
                  "allow_partial_shipments": not order["delivery"]["ship_complete"]},
        order_value=order["totals"]["total_before_tax"],
        lines=[{
            "line_id": line["line_id"], "sku": line["sku"],
            "quantity": line["ordered"] * line["unit_factor"],
            "category_path": products[line["sku"]]["category"].split("/") if line["sku"] in products else [],
            "weight_per_unit_kg": products.get(line["sku"], {}).get("weight_kg") or Decimal(0),
        } for line in order["lines"]],
    )
    return cast(AllocationRequest, request)


def reservation_requests(plan: AllocationPlan) -> List[ReservationRequest]:
    """One reservation per batch of each shipment line of the plan."""
    return [
        {"line_id": line["line_id"], "warehouse_id": planned["warehouse_id"], "sku": line["sku"],
         "batch_id": batch["batch_id"], "quantity": batch["quantity"]}
        for planned in plan["shipments"] for line in planned["lines"] for batch in line["batches"]
    ]


def ship_to(customer: Customer) -> ShipmentParty:
    """The consignee: the customer at its default ship-to, with its GSTIN."""
    a = default_ship_to(customer)
    address: Dict[str, Any] = {"lines": a["lines"], "city": a["city"], "state_code": a["state_code"],
                               "pincode": a["pincode"], "gstin": customer.get("gstin")}
    return cast(ShipmentParty, {"name": customer["legal_name"], "address": address})


def ship_products(order: Order, products: Dict[str, Any]) -> List[ShipProduct]:
    """The shipping data of the order's skus that the order does not hold
    (the base unit's UQC, the weight); ``ship`` takes the rest of each line
    (description, HSN, GST rate, value after the order discount) from the
    order itself."""
    out: List[ShipProduct] = []
    for sku in dict.fromkeys(line["sku"] for line in order["lines"]):
        product = products.get(sku, {})
        out.append(cast(ShipProduct, {
            "sku": sku, "uqc": product.get("base_unit", ""),
            "weight_per_unit_kg": product.get("weight_kg") or Decimal(0),
        }))
    return out


def invoice_address(a: Dict[str, Any]) -> Dict[str, Any]:
    """An address document (`{lines, city, state_code, pincode, country?}`) as an invoice address."""
    lines = a.get("lines") or []
    out: Dict[str, Any] = {"line1": lines[0] if lines else "", "city": a["city"],
                           "state_code": a["state_code"], "pin": a["pincode"]}
    if len(lines) > 1:
        out["line2"] = lines[1]
    if a.get("country") and a["country"] != "IN":
        out["country"] = a["country"]
    return out


def registration(seller: Dict[str, Any], state: str) -> str:
    gstin = seller["registrations"].get(state)
    if not isinstance(gstin, str):
        raise SystemExit(f"the seller has no registration in state {state}")
    return gstin


def seller_party(seller: Dict[str, Any], warehouses: List[Any], shipment: Shipment) -> InvoiceParty:
    """The seller of a shipment's invoice: registered where its warehouse is, at its address."""
    warehouse = next(w for w in warehouses if w["id"] == shipment["warehouse_id"])
    address = warehouse["address"]
    return cast(InvoiceParty, {"legal_name": seller["name"], "gstin": registration(seller, address["state_code"]),
                         "address": invoice_address(address)})


def plain(amount: Decimal) -> Decimal:
    """`amount` without trailing zeros, never in exponent form."""
    n = amount.normalize()
    return n.quantize(Decimal(1)) if int(n.as_tuple().exponent) > 0 else n


def credit_note_document(base: Dict[str, Any], original: Invoice, returned: Dict[str, Any],
                         credited: Decimal) -> InvoiceInput:
    """A credit note for `returned` goods of `original`, at the line's invoiced taxable value per unit."""
    k = int(returned["original_line"])
    line = original["lines"][k]
    quantity = Decimal(returned["quantity"])

    def per(amount: Decimal, q: Decimal) -> Decimal:
        return Decimal(0) if q == 0 else plain(amount / q)

    zero = line["quantity"] == 0
    per_unit = Decimal(0) if zero else (line["taxable_value"] / line["quantity"]).quantize(
        Decimal("0.000001"), ROUND_HALF_EVEN)
    amount = Decimal(0) if zero else (line["taxable_value"] * quantity / line["quantity"]).quantize(
        Decimal("0.01"), ROUND_HALF_UP)
    doc: Dict[str, Any] = dict(base)
    doc.update(
        seller=original["seller"], buyer=original["buyer"],
        lines=[{"description": f"Return: {line['description']}", "hsn": line["hsn"], "quantity": quantity,
                "uqc": line["uqc"], "unit_price": per_unit, "amount": amount, "original_line": k}],
        original={"number": original["number"], "date": original["date"], "lines": [{
            "hsn": o["hsn"], "gst_rate": o["notified_rate"], "kind": o["kind"],
            "taxable_value": o["taxable_value"],
            "cess": {"ad_valorem": o["cess_rate"], "per_unit": per(o["cess_non_advol"], o["quantity"]),
                     "state_ad_valorem": o["state_cess_rate"],
                     "state_per_unit": per(o["state_cess_non_advol"], o["quantity"])},
            "already_credited": credited if i == k else Decimal(0),
        } for i, o in enumerate(original["lines"])]},
    )
    return cast(InvoiceInput, doc)


def export_invoice_document(base: Dict[str, Any], seller: Dict[str, Any], state: str,
                            buyer: Customer, order: PricedOrder) -> InvoiceInput:
    """The export invoice of a priced export order: the seller registered in `state`, the overseas buyer."""
    doc: Dict[str, Any] = copy.deepcopy(base)
    doc["seller"] = {"legal_name": seller["name"], "gstin": registration(seller, state),
                     "address": invoice_address(seller["address"])}
    buyer_party: Dict[str, Any] = {"legal_name": buyer["legal_name"],
                                   "address": invoice_address(cast(Dict[str, Any], buyer["billing_address"]))}
    if buyer.get("gstin") is not None:
        buyer_party["gstin"] = buyer.get("gstin")
    doc["buyer"] = buyer_party
    doc["export"]["currency"] = order["currency"]
    doc["export"]["country_code"] = buyer["billing_address"].get("country")
    doc["lines"] = [{"description": line["name"], "hsn": line["hsn"], "quantity": line["quantity"],
                     "uqc": line["unit"], "unit_price": line["net_unit_price"],
                     "rate_class": line["gst_rate_class"]} for line in order["lines"]]
    return cast(InvoiceInput, doc)


def print_document(inv: Invoice) -> None:
    t = inv["totals"]
    print(f"{inv['title']} {inv['number']} ({inv['date']}): taxable {inr(t['taxable_value'])},"
          f" CGST {inr(t['cgst'])} + SGST {inr(t['sgst'])} + IGST {inr(t['igst'])},"
          f" round-off {t['round_off']}, total {inr(t['grand_total'])}")


def run() -> Dict[str, Any]:
    """Runs the journey, printing it; returns the documents it made."""
    documents: Dict[str, Any] = {}
    data: Dict[str, Any] = json.loads(DATA.read_text(encoding="utf-8"), parse_float=Decimal)
    customers: Dict[str, Customer] = {c["id"]: c for c in data["customers"]}

    # Compile once: an ERP keeps these for the life of the process.
    catalog = b2b_oms.Catalog(data["catalog"])
    book = b2b_oms.PriceBook(catalog, data["price_book"])
    classifier = b2b_oms.ClassificationPolicy(data["classification_policy"])
    print(f"b2b_oms {b2b_oms.__version__}: {catalog!r}, {book!r}")

    section("1. Inquiries are classified into segments")
    for inquiry in data["inquiries"]:
        out = classifier.classify(inquiry, catalog)
        c = out["classification"]
        print(f"Inquiry {inquiry['id']} from {inquiry['company']} → segment {c['segment']}"
              + (f", price list {c['price_list']}" if c.get("price_list") else ""))
        draft = out.get("quote_request")
        if draft:
            print(f"  Quote request: {len(draft['lines'])} line(s) ready to price")

    section("2. Quote-ready prices for two buyers")
    batch = book.price_orders(
        [{"customer": customers[o["customer_id"]], "request": o["request"]} for o in data["orders"]]
    )
    priced: List[PricedOrder] = []
    for result in batch:
        if "priced" not in result:
            raise SystemExit(f"an order was refused: {result}")
        priced.append(result["priced"])
        print_priced(result["priced"])

    section("3. A quote with an 18 % discount goes through approval")
    first = data["orders"][0]
    customer = customers[first["customer_id"]]
    request: PriceRequest = first["request"]
    t0: dt.datetime = request["priced_at"]  # an aware datetime, read back by the binding
    t0 = t0 if isinstance(t0, dt.datetime) else dt.datetime.fromisoformat(str(t0))
    rep = "rep.anita"
    quote_id = request.get("order_id") or "QUOTE"
    seal_key: SealKey = {"key_id": "deccan-2026", "secret": "demo-only-seal-secret"}
    quote = b2b_oms.quote_build(
        catalog=data["catalog"],
        price_book=data["price_book"],
        customer=customer,
        build={
            "quote_id": quote_id,
            "request": {
                "id": f"RFQ-{quote_id}",
                "source": {"type": "sales_rep", "rep_id": rep},
                "customer_id": customer["id"],
                "channel": "sales_rep",
                "currency": request["currency"],
                "lines": [quote_line(line) for line in request["lines"]],
                "buyer_notes": "Quarterly stock for our Karnataka dealers",
            },
            "terms": {
                "payment_terms": {
                    "id": "30-70",
                    "name": "30% advance, balance 30 days after invoice",
                    "instalments": [
                        {"share": {"type": "percent", "percent": Decimal(30)}, "basis": "order_date", "days": 0},
                        {"share": {"type": "balance"}, "basis": "invoice_date", "days": 30},
                    ],
                },
                "delivery_terms": "door delivery, freight included",
                "lead_time_days": 7,
                "conditions": ["prices in INR, GST extra"],
            },
            "author_id": rep,
            "now": t0,
        },
    )
    documents["draft_quote"] = quote
    r1 = quote["revisions"][-1]
    print(f"Quote {quote['id']} rev {r1['number']} for {quote['customer_name']}: {len(r1['lines'])} line(s),"
          f" {inr(r1['totals']['total_before_tax'])} before tax, valid until {r1['valid_until']:%d %b %Y}")
    for p in r1.get("unquoted", []):
        print(f"  not quoted: {p['sku']} {p['code']} — {p['message']}")

    revised = b2b_oms.quote_revise(
        quote=quote,
        revise={
            "author": "seller",
            "author_id": rep,
            "changes": [{
                "line_id": "1",
                "price_override": {"type": "discount_pct", "percent": Decimal(18)},
                "reason": "volume deal for the Karnataka launch",
            }],
            "now": t0 + dt.timedelta(minutes=20),
        },
    )
    quote = revised["quote"]
    r2 = quote["revisions"][-1]
    print(f"Revision {r2['number']} by the sales rep: {inr(r2['totals']['total_before_tax'])} before tax,"
          f" grand total {inr(r2['totals']['grand_total'])}")

    submitted = b2b_oms.quote_submit(
        quote=quote,
        policy=data["approval_policy"],
        request={"instance_id": f"APR-{quote_id}", "requester": rep, "now": t0 + dt.timedelta(minutes=25)},
    )
    quote, instance = submitted["quote"], submitted["instance"]
    for step in instance["plan"]["steps"]:
        print(f"Approval needed: {step['count']} × {step['role']} (level {step['level']})")

    def approve(who: str, roles: List[str]) -> ApprovalCommandApprove:
        return {"command": "approve", "actor": {"id": who, "roles": roles}, "comment": "margin still above cost"}

    try:
        b2b_oms.approval_decide(instance=instance, command=approve(rep, ["sales_rep", "sales_manager"]),
                                now=t0 + dt.timedelta(minutes=30))
        raise SystemExit("self-approval was not refused")
    except b2b_oms.ApprovalError as e:
        print(f"{rep} tries to approve her own quote: refused, {e.code}")
    decided = b2b_oms.approval_decide(instance=instance, command=approve("mgr.vikram", ["sales_manager"]),
                                      now=t0 + dt.timedelta(minutes=50))
    instance = decided["instance"]
    print(f"mgr.vikram (sales manager) approves: instance {instance['status']}")
    issued = b2b_oms.quote_issue(quote=quote, approval=instance, seal_key=seal_key, now=t0 + dt.timedelta(minutes=55))
    quote = issued["quote"]
    latest = quote["revisions"][-1]
    seal = latest["seal"]
    assert seal is not None, "an issued quote is sealed"
    print(f"Issued and sealed: digest {seal['digest'][:16]}…, HMAC by key {seal.get('key_id')}")

    section("4. The buyer accepts part of the quote; it becomes an order")
    wanted: List[AcceptLine] = [
        {"line_id": line["line_id"], "quantity": Decimal(30) if line["sku"] == "TEE-COT-L" else line["quantity"]}
        for line in latest["lines"] if not line.get("free")
    ]

    def acceptance(presented: QuoteRevision) -> Accept:
        return {
            "revision": latest["number"], "digest": seal["digest"], "seal": seal.get("hmac"),
            "presented": presented, "lines": wanted, "accepted_by": "ravi.kulkarni@sgd",
            "po_number": "SGD/PO/2026/0412", "now": t0 + dt.timedelta(days=1),
        }

    tampered: QuoteRevision = copy.deepcopy(latest)
    tampered["lines"][0]["unit_price"] = latest["lines"][0]["unit_price"] - 1
    try:
        b2b_oms.quote_accept(quote=quote, accept=acceptance(tampered), seal_key=seal_key)
        raise SystemExit("a tampered acceptance was not refused")
    except b2b_oms.QuoteError as e:
        print(f"An acceptance with a price changed by ₹1 is rejected: {e.code}")
    quote = b2b_oms.quote_accept(quote=quote, accept=acceptance(latest), seal_key=seal_key)["quote"]
    documents.update(data=data, accepted_quote=quote, approval=instance, t0=t0)
    converted = b2b_oms.quote_convert(
        quote=quote,
        convert={
            "order_id": "SO-2026-0412", "acceptance": 1,
            "taken_po_numbers": ["SGD/PO/2026/0399"],
            "delivery": {"ship_complete": False, "carrier": "Safexpress"},
            "settings": {"require_po": True, "allow_invoice_before_shipment": False},
            "now": t0 + dt.timedelta(days=1, hours=2),
        },
    )
    order = converted["order"]
    print(f"Order {order['id']} from PO {order.get('po_number')}: {len(order['lines'])} line(s),"
          f" {inr(order['totals']['total_before_tax'])} before tax, terms {order['terms']['payment_terms']['id']}")
    for line in order["lines"]:
        print(f"  line {line['line_id']:<8} {line['sku']:<12} {line['ordered']:>5} {line['unit']:<4}"
              f" at {inr(line['unit_price']):>11}{' free' if line.get('free') else ''}")

    # Re-approval on conversion: prices unchanged, so the quote's approval carries over.
    submitted_order = b2b_oms.order_submit(
        order=order,
        policy=data["approval_policy"],
        request={"instance_id": f"APR-{order['id']}", "requester": rep, "now": t0 + dt.timedelta(days=1, hours=2)},
        previous=instance,
    )
    order_approval = submitted_order["instance"]
    confirmed = b2b_oms.order_confirm(order=order, approval=order_approval, now=t0 + dt.timedelta(days=1, hours=3))
    order = confirmed["order"]
    print(f"Order {order['id']} confirmed: advance due {inr(order['advance_due'])};"
          f" the order needed no new approval ({order_approval['status']})")
    documents.update(order=order)

    # From here on every step's host-chosen fields come from journey.json; the
    # few documents the host builds follow its `derive` rules (helpers above).
    journey: Dict[str, Any] = json.loads(JOURNEY.read_text(encoding="utf-8"), parse_float=Decimal)
    steps: Dict[str, Any] = journey["steps"]
    products: Dict[str, Any] = {p["sku"]: p for p in data["catalog"]}
    warehouses: List[Any] = data["warehouses"]

    section("5. Allocation, reserved in the ledger and recorded on the order")
    step_in = steps["allocate"]["input"]
    allocation = b2b_oms.allocate(
        request=allocation_request(step_in["request"], order, customer, products),
        strategy=step_in["strategy"], today=step_in["today"], planned_at=step_in["planned_at"],
        warehouses=warehouses, stock=data["stock"],
    )
    plan = allocation["plan"]
    for planned in plan["shipments"]:
        weight = Decimal(planned["weight_kg"]).quantize(Decimal("0.1"))
        print(f"From {planned['warehouse_id']}: {len(planned['lines'])} line(s), {weight} kg")
    print(f"Backordered: {len(plan['backorders'])} line(s)")
    ledger = b2b_oms.ReservationLedger(data["stock"])
    ledger.reserve(order["id"], reservation_requests(plan))
    order = b2b_oms.order_apply_plan(order=order, plan=plan)
    print(f"{len(ledger.reservations(order['id']))} reservation(s) held")

    section("6. Shipments: picked, packed, dispatched")
    step_in = steps["ship"]["input"]
    bundles = b2b_oms.ship(
        plan=plan, warehouses=warehouses, ship_to=ship_to(customer),
        from_order={"order": order, "products": ship_products(order, products)},
        purpose=step_in["purpose"], shipment_ids=step_in["shipment_ids"],
    )
    scripted: Dict[str, List[Any]] = {
        s["shipment_id"]: s["commands"] for s in steps["shipment_transition"]["shipments"]
    }
    shipments: Dict[str, Shipment] = {}
    for bundle in bundles["shipments"]:
        shipment = bundle["shipment"]
        eway = bundle["documents"]["eway_bill"]
        print(f"{shipment['id']} from {shipment['warehouse_id']}: e-way bill"
              f" {'required' if eway['required'] else 'not required'} (value {inr(eway['consignment_value'])})")
        for command in scripted[shipment["id"]]:
            moved = b2b_oms.shipment_transition(shipment=shipment, command=command)
            if moved["consume"]:
                ledger.consume(order["id"], moved["consume"])
            shipment = moved["shipment"]
        order = b2b_oms.order_apply_dispatch(order=order, shipment=shipment)
        dispatch: Dict[str, Any] = dict(shipment.get("dispatch") or {})
        print(f"  {shipment['status']} by {dispatch.get('carrier')} ({dispatch.get('tracking_number')});"
              f" {len(ledger.reservations(order['id']))} reservation(s) still held")
        shipments[shipment["id"]] = shipment

    section("7. One GST invoice per shipment, from the order")
    billed: List[Tuple[Invoice, InvoiceInput]] = []

    def from_order(choices: Dict[str, Any], shipment: Shipment) -> InvoiceFromOrder:
        return b2b_oms.invoice_from_order(
            order=order, customer=customer,
            seller=seller_party(data["seller"], warehouses, shipment),
            shipments=[shipment], issued_numbers=[inv["number"] for inv, _ in billed],
            number=choices["number"], date=choices["date"], settings=choices["settings"],
        )

    for choice in steps["invoice"]["invoices"]:
        made = from_order(choice["input"], shipments[choice["shipment_id"]])
        order = made["order"]  # the invoiced quantities recorded: the next call's order
        print_document(made["invoice"])
        billed.append((made["invoice"], made["request"]))
    again = steps["invoice_again"]
    try:
        from_order(again["input"], shipments[again["shipment_id"]])
        raise SystemExit("invoicing a shipment twice was not refused")
    except b2b_oms.InvoiceError as e:
        if e.code != again["expect_error"]:
            raise
        print(f"Invoicing {again['shipment_id']} again: refused, {e.code}")

    section("8. A credit note for returned goods")
    rule = steps["credit_note"]
    original = next(inv for inv, _ in billed if inv["number"] == rule["original"])
    note_doc = credit_note_document(rule["input"]["invoice"], original, rule["returned"], Decimal(0))
    note = b2b_oms.credit_note(invoice=note_doc)
    print_document(note)
    rule = steps["credit_note_again"]
    try:
        b2b_oms.credit_note(invoice=credit_note_document(
            rule["input"]["invoice"], original, rule["returned"], note["totals"]["taxable_value"]))
        raise SystemExit("crediting a line twice was not refused")
    except b2b_oms.InvoiceError as e:
        if e.code != rule["expect_error"]:
            raise
        print(f"Crediting the whole line again: refused, {e.code}")
    billed.append((note, note_doc))

    section("9. An export invoice under LUT")
    exporter = customers[journey["customers"]["exporter"]]
    export_order = book.price_order(exporter, steps["export_price_order"]["input"]["request"])
    print(f"{export_order.get('order_id')}: total before tax {export_order['currency']}"
          f" {export_order['total_before_tax']}")
    rule = steps["export_invoice"]
    export_doc = export_invoice_document(rule["input"]["invoice"], data["seller"], rule["seller_state"],
                                         exporter, export_order)
    export = b2b_oms.invoice(invoice=export_doc)
    print_document(export)
    foreign = export.get("export")
    if foreign:
        print(f"  in {foreign['details']['currency']}: {foreign['total_foreign']}")
    billed.append((export, export_doc))

    section("10. E-invoices (INV-01 JSON) of each document")
    for inv, doc in billed:
        report = b2b_oms.einvoice(invoice=doc)
        payload = report["einvoice"]
        print(f"{inv['number']}: {len(payload['ItemList'])} item(s),"
              f" total value {payload['ValDtls']['TotInvVal']}")
    documents.update(ledger=ledger, shipments=shipments, invoices=[inv for inv, _ in billed])
    return documents


def main() -> int:
    run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
