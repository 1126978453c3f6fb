#!/usr/bin/env python3
"""The inquiry-to-order journey of the demo, as an ERP plugin would write it.

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
   becomes an order, confirmed with the quote's approval carried over.

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
from decimal import Decimal
from pathlib import Path
from typing import Any, Dict, List

import b2b_oms
from b2b_oms.types import (
    Accept,
    ApprovalCommandApprove,
    AcceptLine,
    Customer,
    OrderLine,
    PricedOrder,
    PriceRequest,
    QuoteRequestLine,
    QuoteRevision,
    SealKey,
)

DATA = Path(__file__).resolve().parents[1] / "data" / "dataset.json"


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
    ledger = b2b_oms.ReservationLedger(data["stock"])
    documents.update(order=order, ledger=ledger)
    return documents


def main() -> int:
    run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
