"""An idiomatic pure-Python implementation of the same pricing rules, as an
ERP plugin author would write it: dicts for the indexes, `decimal.Decimal`
for every amount, one function per step.

Covers what the benchmark's world uses: the price-list chain (customer's
contract lists, then its segment's, then the default list; a list whose
lowest tier the quantity does not reach falls back to the next), all-units
and graduated tiers, line rules (scope by sku / category with descendants /
segment / customer, quantity and validity windows; priority, `stop`,
exclusive groups that keep the member giving the lowest price), MOQ errors,
rounding half-up (unit price to 2 places, then the amount), and order
discount rules. Every line records its waterfall (the rules applied with
the price before and after), as the core's full explanation does.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, getcontext
from typing import Any, Dict, List, Optional, Tuple

getcontext().prec = 50
CENT = Decimal("0.01")
ZERO = Decimal(0)
HUNDRED = Decimal(100)


def round2(x: Decimal) -> Decimal:
    return x.quantize(CENT, rounding=ROUND_HALF_UP)


def instant(text: Optional[str]) -> Optional[dt.datetime]:
    return dt.datetime.fromisoformat(text) if text else None


class PurePriceBook:
    """A price book compiled into dict indexes."""

    def __init__(self, catalog: List[Dict[str, Any]], book: Dict[str, Any], indexed: bool = True) -> None:
        """`indexed`: rules looked up by sku and category (a careful author);
        else every rule is checked on every line (the straightforward loop)."""
        self.indexed = indexed
        self.products = {p["sku"]: p for p in catalog}
        self.lists: Dict[str, Dict[str, Dict[str, Any]]] = {}
        for pl in book["price_lists"]:
            self.lists[pl["id"]] = {e["sku"]: e for e in pl.get("entries", [])}
        self.default_lists = book.get("default_price_lists", [])
        self.segment_lists = book.get("segment_price_lists", {})
        # Rules indexed by what they are scoped to; a line looks up only its own.
        self.rules_by_sku: Dict[str, List[Dict[str, Any]]] = {}
        self.rules_by_category: Dict[str, List[Dict[str, Any]]] = {}
        self.rules_any: List[Dict[str, Any]] = []
        for r in book.get("rules", []):
            when = r.get("when", {})
            r = dict(r)
            r["_from"] = instant(when.get("valid_from"))
            r["_until"] = instant(when.get("valid_until"))
            if when.get("skus"):
                for s in when["skus"]:
                    self.rules_by_sku.setdefault(s, []).append(r)
            elif when.get("categories"):
                for c in when["categories"]:
                    self.rules_by_category.setdefault(c, []).append(r)
            else:
                self.rules_any.append(r)
        self.all_rules = [r for rs in self.rules_by_sku.values() for r in rs]
        self.all_rules += [r for rs in self.rules_by_category.values() for r in rs] + self.rules_any
        self.order_rules = sorted(book.get("order_rules", []), key=lambda r: (-r.get("priority", 0), r["id"]))

    def chain(self, customer: Dict[str, Any]) -> List[str]:
        ids = list(customer.get("price_lists", []))
        ids += self.segment_lists.get(customer["segment"], [])
        ids += self.default_lists
        return ids

    def base_price(self, chain: List[str], sku: str, qty: Decimal) -> Optional[Tuple[Decimal, str, str, Optional[Decimal]]]:
        """(price per unit, list id, tier mode, band sum) from the first list that prices qty."""
        for list_id in chain:
            entry = self.lists[list_id].get(sku)
            if entry is None:
                continue
            tiers = entry.get("tiers") or [{"min_qty": Decimal(0), "price": entry["price"]}]
            if qty < Decimal(tiers[0]["min_qty"]):
                continue  # below the lowest tier: the next list in the chain
            mode = entry.get("tier_mode", "all_units")
            if mode == "all_units":
                price = tiers[0]["price"]
                for t in tiers:
                    if qty >= Decimal(t["min_qty"]):
                        price = t["price"]
                return Decimal(price), list_id, mode, None
            band_sum = ZERO
            for k, t in enumerate(tiers):
                start = ZERO if k == 0 else max(Decimal(t["min_qty"]) - 1, ZERO)
                end = max(Decimal(tiers[k + 1]["min_qty"]) - 1, ZERO) if k + 1 < len(tiers) else None
                upper = qty if end is None else min(end, qty)
                band = max(upper - start, ZERO)
                if band:
                    band_sum += Decimal(t["price"]) * band
            return band_sum / qty, list_id, mode, band_sum
        return None

    def applicable(self, rule: Dict[str, Any], product: Dict[str, Any], customer: Dict[str, Any],
                   qty: Decimal, at: dt.datetime, channel: str) -> bool:
        when = rule.get("when", {})
        if when.get("segments") and customer["segment"] not in when["segments"]:
            return False
        if when.get("customers") and customer["id"] not in when["customers"]:
            return False
        if when.get("channels") and channel not in when["channels"]:
            return False
        if when.get("min_qty") is not None and qty < Decimal(when["min_qty"]):
            return False
        if when.get("max_qty") is not None and qty > Decimal(when["max_qty"]):
            return False
        if rule["_from"] and at < rule["_from"]:
            return False
        if rule["_until"] and at >= rule["_until"]:
            return False
        return True

    def candidates(self, product: Dict[str, Any]) -> List[Dict[str, Any]]:
        if not self.indexed:
            return [r for r in self.all_rules if self.in_scope(r, product)]
        found = list(self.rules_by_sku.get(product["sku"], []))
        parts = product.get("category", "").split("/")
        for i in range(1, len(parts) + 1):
            found += self.rules_by_category.get("/".join(parts[:i]), [])
        return found + self.rules_any

    @staticmethod
    def in_scope(rule: Dict[str, Any], product: Dict[str, Any]) -> bool:
        when = rule.get("when", {})
        if when.get("skus") and product["sku"] not in when["skus"]:
            return False
        if when.get("categories"):
            cat = product.get("category", "")
            if not any(cat == c or cat.startswith(c + "/") for c in when["categories"]):
                return False
        return True

    @staticmethod
    def apply(action: Dict[str, Any], price: Decimal) -> Decimal:
        kind = action["type"]
        if kind == "percent_off":
            return price * (1 - Decimal(action["percent"]) / HUNDRED)
        if kind == "amount_off":
            return max(price - Decimal(action["amount"]), ZERO)
        if kind == "fixed_price":
            return Decimal(action["price"])
        raise ValueError(f"unsupported action {kind}")

    def price_order(self, customer: Dict[str, Any], request: Dict[str, Any]) -> Dict[str, Any]:
        at = instant(request["priced_at"])
        assert at is not None
        channel = request["channel"]
        chain = self.chain(customer)
        lines: List[Dict[str, Any]] = []
        errors: List[Dict[str, Any]] = []
        for index, line in enumerate(request["lines"]):
            sku = line["sku"]
            qty = Decimal(line["quantity"])
            product = self.products.get(sku)
            if product is None:
                errors.append({"line_index": index, "sku": sku, "code": "UNKNOWN_SKU"})
                continue
            moq = product.get("constraints", {}).get("moq")
            if moq is not None and qty < Decimal(moq):
                errors.append({"line_index": index, "sku": sku, "code": "BELOW_MOQ", "suggested": Decimal(moq)})
                continue
            based = self.base_price(chain, sku, qty)
            if based is None:
                errors.append({"line_index": index, "sku": sku, "code": "NO_PRICE"})
                continue
            price, list_id, mode, band_sum = based
            # Order the applicable rules; an exclusive group takes one place.
            singles: List[Tuple[int, str, Any]] = []
            groups: Dict[str, List[Dict[str, Any]]] = {}
            for rule in self.candidates(product):
                if not self.applicable(rule, product, customer, qty, at, channel):
                    continue
                group = rule.get("exclusive_group")
                if group:
                    groups.setdefault(group, []).append(rule)
                else:
                    singles.append((-rule.get("priority", 0), rule["id"], rule))
            for members in groups.values():
                top = max(m.get("priority", 0) for m in members)
                first = min(m["id"] for m in members)
                singles.append((-top, first, members))
            singles.sort(key=lambda s: (s[0], s[1]))
            waterfall = []
            for _, _, step in singles:
                if isinstance(step, list):
                    best = min(step, key=lambda m: (self.apply(m["action"], price), m["id"]))
                    after = self.apply(best["action"], price)
                    waterfall.append({"rule_id": best["id"], "before": price, "after": after,
                                      "lost": [m["id"] for m in step if m is not best]})
                    price = after
                    if best.get("stop"):
                        break
                else:
                    after = self.apply(step["action"], price)
                    waterfall.append({"rule_id": step["id"], "before": price, "after": after})
                    price = after
                    if step.get("stop"):
                        break
            net_unit = round2(price)
            amount = round2(price * qty) if mode == "graduated" else round2(net_unit * qty)
            lines.append({
                "line_index": index, "line_id": line.get("line_id"), "sku": sku, "quantity": qty,
                "price_list": list_id, "tier_mode": mode, "band_sum": band_sum,
                "adjustments": waterfall, "net_unit_price": net_unit, "amount": amount,
            })
        subtotal = sum((l["amount"] for l in lines), ZERO)
        running = subtotal
        discounts = []
        for r in self.order_rules:
            when = r.get("when", {})
            if when.get("min_amount") is not None and subtotal < Decimal(when["min_amount"]):
                continue
            if when.get("max_amount") is not None and subtotal > Decimal(when["max_amount"]):
                continue
            action = r["action"]
            if action["type"] == "percent_off":
                discount = round2(running * Decimal(action["percent"]) / HUNDRED)
            else:
                discount = round2(min(Decimal(action["amount"]), running))
            discounts.append({"rule_id": r["id"], "amount": discount})
            running -= discount
            if r.get("stop"):
                break
        discount_total = sum((d["amount"] for d in discounts), ZERO)
        return {
            "lines": lines, "errors": errors, "subtotal": subtotal,
            "order_discounts": discounts, "order_discount_total": discount_total,
            "total_before_tax": subtotal - discount_total,
        }
