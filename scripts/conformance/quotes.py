"""Quote, approval, credit-and-terms and order cases, built as one journey:
build → revise → submit → approve → issue → accept → convert → order commands."""

import copy

from lib import call, run

QSPEC = "spec quotes-approvals-credit.md"
NOW = "2026-11-26T10:00:00+05:30"
LATER = "2026-11-27T10:00:00+05:30"
EXPIRED = "2027-01-30T10:00:00+05:30"
KEY = {"key_id": "k1", "secret": "seller-secret"}

CATALOG = [{"sku": "CAP", "name": "Cap", "hsn": "65050000", "gst_rate_class": "GST5", "base_unit": "NOS",
            "category": "apparel/caps", "constraints": {"moq": "10"}, "cost": {"amount": "70.00", "currency": "INR"}},
           {"sku": "TEE", "name": "T-shirt", "hsn": "61091000", "gst_rate_class": "GST5", "base_unit": "NOS",
            "category": "apparel/tshirts"}]
BOOK = {"id": "b", "currency": "INR",
        "price_lists": [{"id": "default", "currency": "INR",
                         "entries": [{"sku": "CAP", "price": "120.00"}, {"sku": "TEE", "price": "250.00"}]}],
        "default_price_lists": ["default"]}
CUSTOMER = {"id": "C1", "legal_name": "Buyer Traders", "segment": "distributor",
            "billing_address": {"state_code": "29"}}
NET30 = {"id": "net30", "instalments": [{"share": {"type": "balance"}, "basis": "invoice_date", "days": 30}]}
POLICY = {"id": "seller", "currency": "INR", "rules": [
    {"id": "deep", "when": "max_discount_pct > 15 and segment == \"distributor\"", "require": {"role": "sales_manager"}}]}


def build_input(lines=None, **kw):
    b = {"quote_id": "Q1",
         "request": {"id": "RFQ1", "source": {"type": "sales_rep", "rep_id": "rep"}, "customer_id": "C1",
                     "channel": "sales_rep", "currency": "INR",
                     "lines": lines or [{"line_id": "L1", "sku": "CAP", "quantity": "100"},
                                        {"line_id": "L2", "sku": "TEE", "quantity": "20"}]},
         "terms": {"payment_terms": NET30, "delivery_terms": "door delivery"},
         "author_id": "rep", "now": NOW}
    b.update(kw)
    return {"catalog": CATALOG, "price_book": BOOK, "customer": CUSTOMER, "build": b}


def accept_of(quote, **kw):
    rev = quote["revisions"][-1]
    a = {"revision": rev["number"], "digest": rev["seal"]["digest"], "seal": rev["seal"].get("hmac"),
         "presented": rev, "accepted_by": "buyer", "po_number": "PO-1", "now": LATER}
    a.update(kw)
    return a


def cases(s):
    Q = "quotes"
    draft = s.gen(Q, "build_draft", "quote_build", build_input())
    s.hand(Q, "build_totals_and_validity", "quote_build", build_input(),
           {"status": "draft", "revisions": [{"number": 1,
                                              "totals": {"subtotal": "17000.00"},
                                              "lines": [{"line_id": "L1", "unit_price": "120.00", "amount": "12000.00"},
                                                        {"line_id": "L2", "unit_price": "250.00", "amount": "5000.00"}]}]},
           f"{QSPEC}, Quotes: building prices the lines (100 × 120.00 + 20 × 250.00 = 17000.00)")
    s.gen(Q, "build_with_unquotable_line_quotes_rest", "quote_build",
          build_input([{"line_id": "L1", "sku": "CAP", "quantity": "5"}, {"line_id": "L2", "sku": "TEE", "quantity": "20"}]))
    s.gen(Q, "build_unquotable_fail_mode", "quote_build",
          build_input([{"line_id": "L1", "sku": "CAP", "quantity": "5"}],
                      settings={"unquotable": "fail"}))
    s.gen(Q, "build_explicit_validity", "quote_build", build_input(valid_until="2026-12-05T18:00:00+05:30"))
    revised = s.gen(Q, "revise_seller_discount", "quote_revise",
                    {"quote": draft, "revise": {"author": "seller", "author_id": "rep", "now": NOW,
                                                "changes": [{"line_id": "L1", "price_override": {"type": "discount_pct", "percent": "20"},
                                                             "reason": "competitor"}]}})
    quote2 = revised["quote"]
    s.hand(Q, "revise_discount_price", "quote_revise",
           {"quote": draft, "revise": {"author": "seller", "author_id": "rep", "now": NOW,
                                       "changes": [{"line_id": "L1", "price_override": {"type": "discount_pct", "percent": "20"},
                                                    "reason": "competitor"}]}},
           {"quote": {"revisions": [{"number": 1}, {"number": 2, "lines": [{"line_id": "L1", "unit_price": "96.00",
                                                                              "amount": "9600.00"}, {"line_id": "L2"}]}]}},
           f"{QSPEC}, Negotiation: a seller override creates revision 2 (20% off 120.00 = 96.00)")
    s.gen(Q, "revise_buyer_counter", "quote_revise",
          {"quote": draft, "revise": {"author": "buyer", "author_id": "buyer", "now": NOW,
                                      "changes": [{"line_id": "L2", "target_price": "230.00"}]}})
    s.gen(Q, "diff_1_2", "quote_diff", {"quote": quote2, "from": 1, "to": 2})
    s.gen_error(Q, "diff_unknown_revision", "quote_diff", {"quote": quote2, "from": 1, "to": 5})
    s.gen_error(Q, "issue_without_approval_is_refused", "quote_issue", {"quote": quote2, "seal_key": KEY, "now": NOW})
    submitted = s.gen(Q, "submit_for_approval", "quote_submit",
                      {"quote": quote2, "policy": POLICY, "request": {"instance_id": "A1", "requester": "rep", "now": NOW}})
    s.hand(Q, "submit_plan_facts", "quote_submit",
           {"quote": quote2, "policy": POLICY, "request": {"instance_id": "A1", "requester": "rep", "now": NOW}},
           {"quote": {"status": "pending_approval"},
            "instance": {"status": "pending", "plan": {"facts": {"max_discount_pct": "20"}}}},
           f"{QSPEC}, Approvals: max_discount_pct = 20 > 15 and segment distributor → sales_manager step")
    instance = submitted["instance"]
    A = "approvals"

    def decide(inst, who, roles=("sales_manager",), command="approve", **kw):
        c = {"command": command, "actor": {"id": who, "roles": list(roles)}}
        c.update(kw)
        return {"instance": inst, "now": NOW, "command": c}

    s.hand_error(A, "self_approval_refused", "approval_decide", decide(instance, "rep"), "SELF_APPROVAL", None,
                 f"{QSPEC}, Running an approval: segregation of duties, the requester cannot approve their own request")
    s.gen_error(A, "actor_without_role_refused", "approval_decide", decide(instance, "clerk", roles=["clerk"]))
    decided = s.gen(A, "approve_by_manager", "approval_decide", decide(instance, "mgr"))
    s.gen(A, "reject_with_reason", "approval_decide", decide(instance, "mgr", command="reject", reason="too deep"))
    s.gen(A, "withdraw_by_requester", "approval_decide",
          {"instance": instance, "now": NOW, "command": {"command": "withdraw", "actor": {"id": "rep"}, "reason": "changed"}})
    s.gen(A, "delegate_within_window", "approval_decide",
          decide(instance, "mgr", command="delegate", to="mgr2", role="sales_manager",
                 valid_from=NOW, valid_until="2026-11-30T10:00:00+05:30"))
    s.gen_error(A, "decision_on_finished_instance_refused", "approval_decide", decide(decided["instance"], "mgr3"))
    approved = decided["instance"]
    issued = s.gen(Q, "issue_sealed", "quote_issue",
                   {"quote": submitted["quote"], "approval": approved, "seal_key": KEY, "now": NOW})
    quote = issued["quote"]
    accepted = s.gen(Q, "accept_all", "quote_accept", {"quote": quote, "accept": accept_of(quote), "seal_key": KEY})
    s.gen(Q, "accept_partial", "quote_accept",
          {"quote": quote, "accept": accept_of(quote, lines=[{"line_id": "L1", "quantity": "40"}]), "seal_key": KEY})
    s.hand_error(Q, "accept_partial_below_moq_refused", "quote_accept",
                 {"quote": quote, "accept": accept_of(quote, lines=[{"line_id": "L1", "quantity": "5"}]), "seal_key": KEY},
                 "BELOW_MOQ", None, f"{QSPEC}, Partial acceptance: smaller quantities, never below the line's MOQ (10)")
    bad = accept_of(quote)
    bad["presented"] = copy.deepcopy(bad["presented"])
    bad["presented"]["lines"][0]["unit_price"] = "1.00"
    s.hand_error(Q, "accept_tampered_price_refused", "quote_accept", {"quote": quote, "accept": bad, "seal_key": KEY},
                 "TAMPERED_QUOTE", None, f"{QSPEC}, Sealing: any change to a price fails with TamperedQuote")
    bad = accept_of(quote, seal=None)
    s.gen_error(Q, "accept_without_seal_refused", "quote_accept", {"quote": quote, "accept": bad, "seal_key": KEY})
    bad = accept_of(quote, lines=[{"line_id": "L1", "quantity": "100", "unit_price": "90.00"}])
    s.gen_error(Q, "accept_with_other_unit_price_refused", "quote_accept", {"quote": quote, "accept": bad, "seal_key": KEY})
    s.hand_error(Q, "accept_after_expiry_refused", "quote_accept",
                 {"quote": quote, "accept": accept_of(quote, now=EXPIRED), "seal_key": KEY},
                 "QUOTE_EXPIRED", None, f"{QSPEC}, States: an expired quote cannot be accepted")
    s.gen_error(Q, "accept_old_revision_refused", "quote_accept",
                {"quote": quote, "accept": dict(accept_of(quote), revision=1), "seal_key": KEY})
    buyer_policy = {"id": "buyer-org", "side": "buyer", "currency": "INR",
                    "rules": [{"id": "big", "when": "total_before_tax > 500000 INR",
                               "require": {"role": "purchase_manager"}},
                              {"id": "any", "when": "total_before_tax > 0 INR",
                               "require": {"role": "buyer_lead"}}]}
    buyer_submitted = s.gen(Q, "buyer_submit_for_approval", "quote_buyer_submit",
                            {"quote": quote, "policy": buyer_policy,
                             "request": {"instance_id": "B1", "requester": "buyer", "now": NOW}})
    s.hand_error(Q, "accept_without_buyer_approval_refused", "quote_accept",
                 {"quote": quote, "accept": accept_of(quote), "seal_key": KEY, "buyer": {"policy": buyer_policy}},
                 "APPROVAL_REQUIRED", "buyer.approval",
                 f"{QSPEC}, Approvals: both sides use the same engine; the buyer's organisation policy approves before the order is placed")
    s.hand_error(Q, "accept_with_pending_buyer_approval_refused", "quote_accept",
                 {"quote": quote, "accept": accept_of(quote), "seal_key": KEY,
                  "buyer": {"policy": buyer_policy, "approval": buyer_submitted["instance"]}},
                 "APPROVAL_REQUIRED", "buyer.approval.status",
                 f"{QSPEC}, Approvals: the buyer's approval must be granted before acceptance")
    buyer_approved = call("approval_decide", {"instance": buyer_submitted["instance"], "now": NOW,
                                              "command": {"command": "approve",
                                                          "actor": {"id": "lead", "roles": ["buyer_lead"]}}})
    s.gen(Q, "accept_with_buyer_approval", "quote_accept",
          {"quote": quote, "accept": accept_of(quote), "seal_key": KEY,
           "buyer": {"policy": buyer_policy, "approval": buyer_approved["instance"]}})
    s.hand_error(Q, "decline_after_expiry_refused", "quote_decline",
                 {"quote": quote, "reason": {"kind": "price"}, "now": EXPIRED}, "QUOTE_EXPIRED", None,
                 f"{QSPEC}, States: expiry is computed from valid_until and now (default 15 days)")
    s.gen(Q, "decline_with_reason", "quote_decline",
          {"quote": quote, "reason": {"kind": "competitor", "competitor": "Acme"}, "now": LATER})
    s.gen(Q, "withdraw", "quote_withdraw", {"quote": quote, "reason": "stock gone", "now": LATER})
    s.gen(Q, "expire_past_validity", "quote_expire", {"quote": quote, "now": EXPIRED})
    s.gen_error(Q, "expire_before_validity_refused", "quote_expire", {"quote": quote, "now": LATER})
    converted = s.gen(Q, "convert_price_lock", "quote_convert",
                      {"quote": accepted["quote"], "seal_key": KEY,
                       "convert": {"order_id": "O1", "acceptance": 1, "now": LATER}})
    s.hand(Q, "convert_keeps_quote_prices", "quote_convert",
           {"quote": accepted["quote"], "seal_key": KEY, "convert": {"order_id": "O1", "acceptance": 1, "now": LATER}},
           {"order": {"po_number": "PO-1", "lines": [{"sku": "CAP", "unit_price": "96.00", "ordered": "100"},
                                                     {"sku": "TEE", "unit_price": "250.00", "ordered": "20"}]},
            "quote": {"status": "converted"}},
           f"{QSPEC}, Price lock: the order takes the quote's prices (96.00 after 20% off)")
    altered = copy.deepcopy(accepted["quote"])
    altered["acceptances"][0]["lines"][0]["quantity"] = "90"
    s.gen_error(Q, "convert_altered_acceptance_refused", "quote_convert",
                {"quote": altered, "seal_key": KEY, "convert": {"order_id": "O2", "acceptance": 1, "now": LATER}})
    s.gen_error(Q, "convert_taken_po_refused", "quote_convert",
                {"quote": accepted["quote"], "seal_key": KEY,
                 "convert": {"order_id": "O3", "acceptance": 1, "now": LATER, "taken_po_numbers": ["PO-1"]}})
    # --- approvals: plans, quorum, levels, carry-over ---
    subject = {"subject_id": "Q9", "channel": "portal", "currency": "INR", "segment": "distributor", "tags": [],
               "terms": NET30, "total_before_tax": "600000.00", "total_after_tax": "708000.00",
               "lines": [{"base_quantity": "100", "list_price": "100.00", "net_price": "82.00", "cost": "70.00"}]}
    policy = {"id": "p", "currency": "INR", "rules": [
        {"id": "disc", "when": "max_discount_pct > 15", "require": {"role": "sales_manager"}},
        {"id": "big", "when": "total_before_tax > 500000 INR",
         "require": {"role": "finance", "count": 2, "level": 2}},
        {"id": "disc2", "when": "max_discount_pct > 10", "require": {"role": "sales_manager", "count": 2}}]}
    plan = s.gen(A, "plan_levels_quorum_merge", "approval_plan", {"policy": policy, "subject": subject})
    s.hand(A, "plan_figures", "approval_plan", {"policy": policy, "subject": subject},
           {"facts": {"max_discount_pct": "18"}},
           f"{QSPEC}, Policy: max line discount % off list: (100.00 − 82.00) / 100.00 = 18%")
    s.gen(A, "plan_empty_when_nothing_triggers", "approval_plan",
          {"policy": policy, "subject": dict(subject, total_before_tax="1000.00", total_after_tax="1180.00",
                                             lines=[{"base_quantity": "10", "list_price": "100.00", "net_price": "95.00"}])})
    s.gen_error(A, "plan_money_literal_other_currency_refused", "approval_plan",
                {"policy": {"id": "p", "rules": [{"id": "x", "when": "total_before_tax > 5 USD",
                                                  "require": {"role": "r"}}], "currency": "INR"},
                 "subject": subject})
    started = s.gen(A, "start_instance", "approval_start",
                    {"start": {"instance_id": "I1", "plan": plan, "requester": "rep", "subject_id": "Q9", "now": NOW}})
    inst = started["instance"]
    t1 = run("approval_decide", decide(inst, "m1"))
    s.gen(A, "quorum_two_of_role", "approval_decide", decide(t1["instance"], "m2"))
    s.gen_error(A, "same_person_counts_once", "approval_decide", decide(t1["instance"], "m1"))
    s.hand_error(A, "level_2_not_open_yet", "approval_decide",
                 decide(inst, "f1", roles=["finance"], step_id="L2:finance"), "LEVEL_NOT_OPEN", "step_id",
                 f"{QSPEC}, Policy and Running an approval: levels run in sequence; a level's steps only accept decisions when it is open")
    s.gen_error(A, "no_open_step_for_actor", "approval_decide", decide(inst, "f1", roles=["finance"]))
    t2 = run("approval_decide", decide(t1["instance"], "m2"))
    t3 = run("approval_decide", decide(t2["instance"], "f1", roles=["finance"]))
    s.gen_error(A, "step_already_approved", "approval_decide", decide(t2["instance"], "m3", step_id="L1:sales_manager"))
    s.hand(A, "level_2_opens_after_level_1", "approval_decide", decide(t2["instance"], "f1", roles=["finance"], step_id="L2:finance"),
           {"instance": {"status": "pending", "steps": [{"step_id": "L1:sales_manager", "approvals": [{"approver": "m1"}, {"approver": "m2"}]},
                                                        {"step_id": "L2:finance", "approvals": [{"approver": "f1"}]}]}},
           f"{QSPEC}, Policy: level 2 opens when level 1 is satisfied; quorum 2 of finance still needs one more")
    done = run("approval_decide", decide(t3["instance"], "f2", roles=["finance"]))
    s.hand(A, "quorum_met_approves_instance", "approval_decide", decide(t3["instance"], "f2", roles=["finance"]),
           {"instance": {"status": "approved"}},
           f"{QSPEC}, Policy: 2 of sales_manager at level 1, then 2 of finance at level 2")
    s.gen(A, "carry_over_when_not_worse", "approval_start",
          {"previous": done["instance"],
           "start": {"instance_id": "I2", "plan": plan, "requester": "rep", "subject_id": "Q9", "now": LATER}})
    worse = run("approval_plan", {"policy": policy, "subject": dict(subject, lines=[
        {"base_quantity": "100", "list_price": "100.00", "net_price": "75.00", "cost": "70.00"}])})
    s.gen(A, "reapproval_when_worse", "approval_start",
          {"previous": done["instance"],
           "start": {"instance_id": "I3", "plan": worse, "requester": "rep", "subject_id": "Q9", "now": LATER}})
    dl = dict(policy, step_deadline_hours=24)
    dplan = run("approval_plan", {"policy": dl, "subject": subject})
    dinst = run("approval_start", {"start": {"instance_id": "I4", "plan": dplan, "requester": "rep",
                                             "subject_id": "Q9", "now": NOW}})["instance"]
    s.gen(A, "expire_past_deadline", "approval_decide",
          {"instance": dinst, "now": "2026-11-28T10:00:00+05:30", "command": {"command": "expire"}})
    sa = dict(policy, self_approval_roles=["sales_manager"])
    splan = run("approval_plan", {"policy": sa, "subject": subject})
    sinst = run("approval_start", {"start": {"instance_id": "I5", "plan": splan, "requester": "rep",
                                             "subject_id": "Q9", "now": NOW}})["instance"]
    s.gen(A, "self_approval_allowed_by_policy", "approval_decide", decide(sinst, "rep"))
    # --- orders ---
    order = converted["order"]
    O = "orders"
    oplan = s.gen(O, "order_approval_plan", "order_approval_plan", {"order": order, "policy": POLICY})
    snapshot = {"credit_limit": {"amount": "20000.00", "currency": "INR"},
                "outstanding": {"amount": "5000.00", "currency": "INR"},
                "open_orders": {"amount": "1000.00", "currency": "INR"},
                "advance_received": {"amount": "0", "currency": "INR"}}
    credit = s.gen(O, "order_credit_check", "order_credit_check", {"order": order, "snapshot": snapshot})
    s.gen(O, "order_credit_check_over_limit_blocks", "order_credit_check",
          {"order": order, "snapshot": dict(snapshot, credit_limit={"amount": "10000.00", "currency": "INR"},
                                            over_limit_action="block")})
    oinst = run("approval_start", {"start": {"instance_id": "OA1", "plan": oplan, "requester": "rep",
                                             "subject_id": order["id"], "now": LATER}})["instance"]
    if oinst.get("status") != "approved":
        oinst = run("approval_decide", {"instance": oinst, "now": LATER,
                                        "command": {"command": "approve", "actor": {"id": "mgr", "roles": ["sales_manager"]}}})["instance"]
    # An instance from approval_start is not bound to the order: refused.
    s.gen_error(O, "order_confirm_unbound_approval_refused", "order_confirm",
                {"order": order, "approval": oinst, "credit": credit, "now": LATER})
    # order_submit starts the instance bound to the order's version.
    submitted = s.gen(O, "order_submit_binds_the_approval", "order_submit",
                      {"order": order, "policy": POLICY,
                       "request": {"instance_id": "OA2", "requester": "rep", "now": LATER}})
    bound = submitted["instance"]
    if bound.get("status") != "approved":
        bound = run("approval_decide", {"instance": bound, "now": LATER,
                                        "command": {"command": "approve",
                                                    "actor": {"id": "mgr", "roles": ["sales_manager"]}}})["instance"]
    s.gen(O, "order_confirm_with_bound_approval", "order_confirm",
          {"order": order, "approval": bound, "credit": credit, "now": LATER})
    s.gen_error(O, "order_submit_confirmed_refused", "order_submit",
                {"order": dict(order, lifecycle="confirmed"), "policy": POLICY,
                 "request": {"instance_id": "OA3", "requester": "rep", "now": LATER}})
    s.gen(O, "order_amend_draft", "order_amend",
          {"order": order, "amend": {"lines": [{"line_id": order["lines"][0]["line_id"], "quantity": "90"}]}, "now": LATER})
    # A confirmed order as the host stores it (lifecycle set past confirmation).
    corder = dict(order, lifecycle="confirmed")
    s.gen(O, "order_amend_quantity", "order_amend",
          {"order": corder, "amend": {"lines": [{"line_id": corder["lines"][0]["line_id"], "quantity": "80"}]}, "now": LATER})
    s.gen_error(O, "order_amend_taken_po_refused", "order_amend",
                {"order": corder, "amend": {"po_number": "PO-9", "taken_po_numbers": ["PO-9"]}, "now": LATER})
    s.gen(O, "order_cancel_line_quantity", "order_cancel",
          {"order": corder, "lines": [{"line_id": corder["lines"][1]["line_id"], "quantity": "5"}],
           "reason": "buyer asked", "now": LATER})
    s.gen(O, "order_cancel_everything", "order_cancel", {"order": corder, "reason": "buyer asked", "now": LATER})
    s.gen(O, "order_close_short", "order_close", {"order": corder, "now": LATER})
    s.gen_error(O, "order_close_draft_refused", "order_close", {"order": order, "now": LATER})
    s.gen(O, "order_confirm_draft_with_bound_approval_missing", "order_confirm",
          {"order": order, "approval": approved, "credit": credit, "now": LATER})
    return corder


def credit_cases(s):
    C = "credit"
    net30 = {"id": "NET30", "instalments": [{"share": {"type": "balance"}, "basis": "invoice_date", "days": 30}]}
    s.hand(C, "net30_due_date", "terms_schedule",
           {"amount": {"amount": "118000.00", "currency": "INR"}, "terms": net30, "dates": {"invoice_date": "2026-11-26"}},
           {"instalments": [{"amount": {"amount": "118000.00", "currency": "INR"}, "due_date": "2026-12-26"}]},
           f"{QSPEC}, Credit and payment terms: Net 30 from the invoice date")
    split = {"id": "ADV30", "instalments": [{"share": {"type": "percent", "percent": "30"}, "basis": "order_date"},
                                            {"share": {"type": "balance"}, "basis": "invoice_date", "days": 45}]}
    s.hand(C, "advance_30_balance_45", "terms_schedule",
           {"amount": {"amount": "1000.01", "currency": "INR"}, "terms": split,
            "dates": {"order_date": "2026-11-20", "invoice_date": "2026-11-26"}},
           {"instalments": [{"amount": {"amount": "300.00"}, "due_date": "2026-11-20"},
                            {"amount": {"amount": "700.01"}, "due_date": "2027-01-10"}]},
           f"{QSPEC}, Credit and payment terms: 30% advance, 70% 45 days after invoice; the last instalment takes the rounding remainder")
    thirds = {"id": "3X", "instalments": [{"share": {"type": "percent", "percent": "33.33"}, "basis": "invoice_date"},
                                          {"share": {"type": "percent", "percent": "33.33"}, "basis": "invoice_date", "days": 30},
                                          {"share": {"type": "balance"}, "basis": "invoice_date", "days": 60}]}
    s.hand(C, "remainder_to_last_instalment", "terms_schedule",
           {"amount": {"amount": "100.00", "currency": "INR"}, "terms": thirds},
           {"instalments": [{"amount": {"amount": "33.33"}}, {"amount": {"amount": "33.33"}}, {"amount": {"amount": "33.34"}}]},
           f"{QSPEC}, Credit and payment terms: instalments rounded to minor units, the sum exact")
    s.hand(C, "end_of_invoice_month", "terms_schedule",
           {"amount": {"amount": "500.00", "currency": "INR"},
            "terms": {"id": "EOM15", "instalments": [{"share": {"type": "balance"}, "basis": "end_of_invoice_month", "days": 15}]},
            "dates": {"invoice_date": "2026-11-26"}},
           {"instalments": [{"due_date": "2026-12-15"}]},
           f"{QSPEC}, Credit and payment terms: basis end of invoice month (30 Nov) + 15 days")
    s.gen(C, "early_payment_2_10_net_30", "terms_schedule",
          {"amount": {"amount": "10000.00", "currency": "INR"},
           "terms": {"id": "2/10N30", "early_payment": {"percent": "2", "within_days": 10},
                     "instalments": [{"share": {"type": "balance"}, "basis": "invoice_date", "days": 30}]},
           "dates": {"invoice_date": "2026-11-26"}})
    s.gen(C, "unknown_basis_date_left_open", "terms_schedule",
          {"amount": {"amount": "10000.00", "currency": "INR"}, "terms": net30})
    s.gen(C, "fixed_share", "terms_schedule",
          {"amount": {"amount": "10000.00", "currency": "INR"},
           "terms": {"id": "FIX", "instalments": [{"share": {"type": "fixed", "amount": "2500.00"}, "basis": "order_date"},
                                                  {"share": {"type": "balance"}, "basis": "delivery", "days": 7}]},
           "dates": {"order_date": "2026-11-20", "delivery_date": "2026-11-30"}})
    s.gen_error(C, "shares_over_100_refused", "terms_schedule",
                {"amount": {"amount": "100.00", "currency": "INR"},
                 "terms": {"id": "BAD", "instalments": [{"share": {"type": "percent", "percent": "70"}, "basis": "order_date"},
                                                        {"share": {"type": "percent", "percent": "40"}, "basis": "order_date"}]}})

    def money(a):
        return {"amount": a, "currency": "INR"}

    base = {"customer_id": "C1", "credit_limit": money("500000.00"), "outstanding": money("200000.00"),
            "open_orders": money("100000.00"), "advance_received": money("0"), "this_order": money("150000.00")}
    s.hand(C, "within_limit", "credit_check", base,
           {"exposure": money("450000.00"), "status": {"status": "within_limit"}},
           f"{QSPEC}, Credit check: exposure = outstanding + open orders + this order − advance = 450000.00 ≤ 500000.00")
    s.hand(C, "over_limit_by", "credit_check", dict(base, this_order=money("250000.00")),
           {"exposure": money("550000.00"), "status": {"status": "over_limit", "over_by": money("50000.00")}},
           f"{QSPEC}, Credit check: over limit by X (550000.00 − 500000.00)")
    s.gen(C, "over_limit_full_output", "credit_check", dict(base, this_order=money("250000.00")))
    s.hand(C, "within_tolerance", "credit_check", dict(base, this_order=money("220000.00"), tolerance_pct="5"),
           {"exposure": money("520000.00"), "limit_with_tolerance": money("525000.00"), "status": {"status": "within_limit"}},
           f"{QSPEC}, Credit check: a tolerance percent may be configured (500000.00 + 5% = 525000.00 ≥ 520000.00)")
    s.gen(C, "advance_reduces_exposure", "credit_check",
          dict(base, this_order=money("250000.00"), advance_received=money("60000.00")))
    s.gen(C, "on_hold", "credit_check", dict(base, on_hold=True))
    s.gen(C, "no_limit_means_zero", "credit_check", {k: v for k, v in base.items() if k != "credit_limit"})
    s.gen(C, "block_action", "credit_check", dict(base, this_order=money("250000.00"), over_limit_action="block"))
    s.gen_error(C, "currency_mismatch_refused", "credit_check", dict(base, this_order={"amount": "1", "currency": "USD"}))


def more(s):
    """Further hand cases: validity, partial acceptance, delegation, rejects,
    early payment."""
    Q = "quotes"
    A = "approvals"
    C = "credit"
    draft = run("quote_build", build_input())
    s.hand(Q, "default_validity_end_of_day_ist", "quote_build", build_input(),
           {"revisions": [{"valid_until": "2026-12-11T23:59:59+05:30"}]},
           f"{QSPEC}, Quotes: validity = 15 default days, end of that day in the seller's time zone (+05:30)")
    issue_at = "2026-11-30T10:00:00+05:30"
    sub = run("quote_submit", {"quote": draft, "policy": POLICY,
                               "request": {"instance_id": "A7", "requester": "rep", "now": issue_at}})
    s.hand(Q, "default_validity_counts_from_issue", "quote_issue",
           {"quote": sub["quote"], "approval": sub["instance"], "seal_key": KEY, "now": issue_at},
           {"quote": {"status": "issued", "revisions": [{"valid_until": "2026-12-15T23:59:59+05:30"}]}},
           f"{QSPEC}, Quotes: valid_until = explicit, or issue instant + the default validity days (issued 30 Nov → 15 Dec)")
    s.hand(Q, "empty_plan_approved_at_once", "quote_submit",
           {"quote": draft, "policy": POLICY, "request": {"instance_id": "A8", "requester": "rep", "now": NOW}},
           {"instance": {"status": "approved"}},
           f"{QSPEC}, Policy: an empty plan means no approval is needed (no discount here)")
    issued = run("quote_issue", {"quote": sub["quote"], "approval": sub["instance"], "seal_key": KEY, "now": issue_at})["quote"]
    part = run("quote_accept", {"quote": issued, "accept": accept_of(issued, lines=[{"line_id": "L1", "quantity": "40"}], now=issue_at),
                                "seal_key": KEY})
    s.hand(Q, "partial_acceptance_records_quantities", "quote_accept",
           {"quote": issued, "accept": accept_of(issued, lines=[{"line_id": "L1", "quantity": "40"}], now=issue_at), "seal_key": KEY},
           {"quote": {"acceptances": [{"lines": [{"line_id": "L1", "quantity": "40"}]}]}},
           f"{QSPEC}, Partial acceptance: the buyer may accept a subset of lines and smaller quantities")
    s.gen(Q, "remainder_accepted_later", "quote_accept",
          {"quote": part["quote"], "accept": accept_of(part["quote"], lines=[{"line_id": "L1", "quantity": "60"},
                                                                           {"line_id": "L2", "quantity": "20"}],
                                                       now="2026-12-01T10:00:00+05:30", po_number="PO-2"), "seal_key": KEY},
          note=f"{QSPEC}, Partial acceptance: the remainder stays open on the quote until it expires")
    s.gen(Q, "convert_partial_acceptance", "quote_convert",
          {"quote": part["quote"], "seal_key": KEY, "convert": {"order_id": "O7", "acceptance": 1, "now": issue_at}})
    s.hand(Q, "convert_partial_quantities", "quote_convert",
           {"quote": part["quote"], "seal_key": KEY, "convert": {"order_id": "O7", "acceptance": 1, "now": issue_at}},
           {"order": {"lines": [{"sku": "CAP", "ordered": "40", "unit_price": "120.00"}]}},
           f"{QSPEC}, Partial acceptance: accepted quantities convert to an order")
    s.hand_error(Q, "convert_expired_refused", "quote_convert",
                 {"quote": part["quote"], "seal_key": KEY, "convert": {"order_id": "O8", "acceptance": 1, "now": EXPIRED}},
                 "QUOTE_EXPIRED", None, f"{QSPEC}, States: an expired quote cannot be converted")
    # Approvals: delegation, rejection, return for revision.
    sub2 = run("quote_submit", {"quote": run("quote_revise", {"quote": draft, "revise": {
        "author": "seller", "author_id": "rep", "now": NOW,
        "changes": [{"line_id": "L1", "price_override": {"type": "discount_pct", "percent": "20"}, "reason": "x"}]}})["quote"],
        "policy": POLICY, "request": {"instance_id": "A9", "requester": "rep", "now": NOW}})
    inst = sub2["instance"]
    dele = run("approval_decide", {"instance": inst, "now": NOW, "command": {
        "command": "delegate", "actor": {"id": "mgr", "roles": ["sales_manager"]}, "to": "mgr2", "role": "sales_manager",
        "valid_from": NOW, "valid_until": "2026-11-30T10:00:00+05:30"}})["instance"]
    s.gen(A, "delegate_approves_within_window", "approval_decide",
          {"instance": dele, "now": LATER, "command": {"command": "approve", "actor": {"id": "mgr2", "roles": []}}})
    s.gen(A, "delegate_after_window_refused", "approval_decide",
          {"instance": dele, "now": "2026-12-05T10:00:00+05:30", "command": {"command": "approve", "actor": {"id": "mgr2", "roles": []}}})
    s.hand(A, "reject_rejects_instance", "approval_decide",
           {"instance": inst, "now": NOW, "command": {"command": "reject", "actor": {"id": "mgr", "roles": ["sales_manager"]},
                                                      "reason": "too deep"}},
           {"instance": {"status": "rejected"}},
           f"{QSPEC}, Running an approval: any reject rejects the instance")
    ret_policy = dict(POLICY, on_reject="return_for_revision")
    sub3 = run("quote_submit", {"quote": sub2["quote"] if sub2["quote"]["status"] == "draft" else run("quote_revise", {
        "quote": draft, "revise": {"author": "seller", "author_id": "rep", "now": NOW,
                                   "changes": [{"line_id": "L1", "price_override": {"type": "discount_pct", "percent": "20"},
                                                "reason": "x"}]}})["quote"],
        "policy": ret_policy, "request": {"instance_id": "A10", "requester": "rep", "now": NOW}})
    s.gen(A, "reject_returns_to_requester_by_policy", "approval_decide",
          {"instance": sub3["instance"], "now": NOW, "command": {"command": "reject",
                                                                  "actor": {"id": "mgr", "roles": ["sales_manager"]},
                                                                  "reason": "revise"}})
    s.hand_error(A, "withdraw_by_other_refused", "approval_decide",
                 {"instance": inst, "now": NOW, "command": {"command": "withdraw", "actor": {"id": "mgr"}, "reason": "x"}},
                 "NOT_AUTHORIZED", None, f"{QSPEC}, Running an approval: withdraw is the requester's")
    # Credit: early payment.
    s.hand(C, "early_payment_offer", "terms_schedule",
           {"amount": {"amount": "10000.00", "currency": "INR"},
            "terms": {"id": "2/10N30", "early_payment": {"percent": "2", "within_days": 10},
                      "instalments": [{"share": {"type": "balance"}, "basis": "invoice_date", "days": 30}]},
            "dates": {"invoice_date": "2026-11-26"}},
           {"instalments": [{"due_date": "2026-12-26"}],
            "early_payment": {"discount": {"amount": "200.00"}, "pay_instead": {"amount": "9800.00"}, "pay_by": "2026-12-06"}},
           f"{QSPEC}, Credit and payment terms: 2/10 net 30, 2% if paid within 10 days")
    s.hand(C, "hundred_percent_advance", "terms_schedule",
           {"amount": {"amount": "5000.00", "currency": "INR"},
            "terms": {"id": "ADV100", "instalments": [{"share": {"type": "percent", "percent": "100"}, "basis": "order_date"}]},
            "dates": {"order_date": "2026-11-26"}},
           {"instalments": [{"amount": {"amount": "5000.00"}, "due_date": "2026-11-26"}]},
           f"{QSPEC}, Credit and payment terms: 100% advance")

    def money(a):
        return {"amount": a, "currency": "INR"}

    s.hand(C, "on_hold_regardless_of_amounts", "credit_check",
           {"customer_id": "C1", "credit_limit": money("500000.00"), "outstanding": money("0"), "open_orders": money("0"),
            "advance_received": money("0"), "this_order": money("100.00"), "on_hold": True},
           {"status": {"status": "on_hold"}}, f"{QSPEC}, Credit check: customer on credit hold")
    s.hand(C, "advance_received_reduces_exposure", "credit_check",
           {"customer_id": "C1", "credit_limit": money("500000.00"), "outstanding": money("200000.00"),
            "open_orders": money("100000.00"), "advance_received": money("60000.00"), "this_order": money("250000.00")},
           {"exposure": money("490000.00"), "status": {"status": "within_limit"}},
           f"{QSPEC}, Credit check: exposure = 200000 + 100000 + 250000 − 60000 = 490000.00")


def figures(s):
    Q = "quotes"
    O = "orders"
    draft = run("quote_build", build_input())
    s.hand(Q, "gst_estimate_inter_state", "quote_build", build_input(),
           {"revisions": [{"totals": {"total_before_tax": "17000.00", "gst": "850.00", "grand_total": "17850.00"},
                           "gst": {"supplier_state": "27", "ship_to_state": "29", "intra_state": False, "igst": "850.00",
                                   "lines": [{"line_id": "L1", "igst": "600.00"}, {"line_id": "L2", "igst": "250.00"}]}}]},
           f"{QSPEC}, Quotes: GST estimated from the ship-to state (29 ≠ supplier 27 → IGST 5% of 17000.00)")
    revised = run("quote_revise", {"quote": draft, "revise": {"author": "seller", "author_id": "rep", "now": NOW,
                                                              "changes": [{"line_id": "L1", "price_override": {"type": "discount_pct", "percent": "20"},
                                                                           "reason": "competitor"}]}})["quote"]
    s.hand(Q, "diff_lists_changed_line_and_totals", "quote_diff", {"quote": revised, "from": 1, "to": 2},
           {"from": 1, "to": 2, "added": [], "removed": [], "changed": [{"line_id": "L1"}], "terms": []},
           f"{QSPEC}, Negotiation: a diff between two revisions lists changed lines, prices, terms and totals")
    sub = run("quote_submit", {"quote": revised, "policy": POLICY, "request": {"instance_id": "A12", "requester": "rep", "now": NOW}})
    appr = run("approval_decide", {"instance": sub["instance"], "now": NOW,
                                   "command": {"command": "approve", "actor": {"id": "mgr", "roles": ["sales_manager"]}}})["instance"]
    iss = run("quote_issue", {"quote": sub["quote"], "approval": appr, "seal_key": KEY, "now": NOW})["quote"]
    acc = run("quote_accept", {"quote": iss, "accept": accept_of(iss), "seal_key": KEY})["quote"]
    order = run("quote_convert", {"quote": acc, "seal_key": KEY, "convert": {"order_id": "O1", "acceptance": 1, "now": LATER}})["order"]
    snapshot = {"credit_limit": {"amount": "20000.00", "currency": "INR"},
                "outstanding": {"amount": "5000.00", "currency": "INR"},
                "open_orders": {"amount": "1000.00", "currency": "INR"},
                "advance_received": {"amount": "0", "currency": "INR"}}
    s.hand(O, "order_credit_exposure_figures", "order_credit_check", {"order": order, "snapshot": snapshot},
           {"exposure": {"amount": "21330.00"}, "status": {"status": "over_limit", "over_by": {"amount": "1330.00"}}},
           f"{QSPEC}, Credit check: exposure = 5000 + 1000 + this order (9600 + 5000 + 5% IGST = 15330.00) = 21330.00 > 20000.00")
    s.hand(O, "order_totals_locked_from_quote", "quote_convert",
           {"quote": acc, "seal_key": KEY, "convert": {"order_id": "O1", "acceptance": 1, "now": LATER}},
           {"order": {"intra_state": False, "totals": {"grand_total": "15330.00"}}},
           f"{QSPEC}, Price lock: the order takes the quote's prices and tax rates (14600.00 + 5% = 15330.00)")
    s.hand(O, "order_plan_from_order_facts", "order_approval_plan", {"order": order, "policy": POLICY},
           {"facts": {"max_discount_pct": "20", "segment": "distributor"}, "steps": [{"role": "sales_manager", "count": 1}]},
           f"{QSPEC}, Policy: the seller's plan for an order, facts computed from it (20% off list)")
