"""GST cases: invoice, credit_note, debit_note, einvoice, einvoice_validate,
gstin, words, number."""

import copy

SPEC = "spec gst-invoicing.md"
IC = "vectors india-compliance-test_e_invoice.json"
CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def gstin(first14):
    """The GSTIN check character, computed here from the spec's algorithm
    (an implementation of our own, independent of the library's)."""
    total = 0
    for i, ch in enumerate(first14):
        p = CHARS.index(ch) * (1 if i % 2 == 0 else 2)
        total += p // 36 + p % 36
    return first14 + CHARS[(36 - total % 36) % 36]


SELLER_MH = gstin("27AAPFU0939F1Z")   # 27AAPFU0939F1ZV (spec example)
BUYER_MH = gstin("27AAGCB7383J1Z")
BUYER_KA = "29AAGCB7383J1Z4"
UT_SELLER = gstin("04AAPFU0939F1Z")
UT_BUYER = gstin("04AAGCB7383J1Z")
DL_SELLER = gstin("07AAPFU0939F1Z")
DL_BUYER = gstin("07AAGCB7383J1Z")


def party(name, gst, state, pin, **kw):
    p = {"legal_name": name, "address": {"line1": "Test Address - 1", "city": "Test City",
                                         "state_code": state, "pin": pin}}
    if gst:
        p["gstin"] = gst
    p.update(kw)
    return p


SELLER = party("Test Indian Registered Company", SELLER_MH, "27", "400001")
BUYER = party("Test Registered Customer", BUYER_MH, "27", "400002")
BUYER_INTER = party("Shree Ganesh Distributors", BUYER_KA, "29", "560058")
OVERSEAS = party("Overseas Buyer LLC", None, "96", None, address={"line1": "1 Main St", "city": "Dubai",
                                                                  "state_code": "96", "country": "AE"})


def ln(desc="Test Trading Goods 1", hsn="61149090", qty="1000", price="100.00", **kw):
    d = {"description": desc, "hsn": hsn, "quantity": qty, "uqc": kw.pop("uqc", "NOS"), "unit_price": price}
    if "gst_rate" not in kw and "rate_class" not in kw:
        d["rate_class"] = "GST18"
    d.update(kw)
    return d


def inv(lines=None, buyer=BUYER, seller=SELLER, date="2022-09-16", number="INV/22-23/00001", **kw):
    i = {"number": number, "date": date, "seller": seller, "buyer": buyer, "lines": lines or [ln()]}
    i.update(kw)
    return {"invoice": i}


def _invoice_cases(s):
    A = "gst"
    op = "invoice"
    s.hand(A, "intra_state_goods", op, inv(),
           {"kind": "tax_invoice", "regime": {"heads": "cgst_sgst", "supply_type": "B2B"},
            "totals": {"taxable_value": "100000.00", "cgst": "9000.00", "sgst": "9000.00", "igst": "0.00",
                       "grand_total": "118000.00", "round_off": "0.00"},
            "amount_in_words": "Rupees One Lakh Eighteen Thousand Only", "grand_total_display": "1,18,000.00",
            "place_of_supply": "Maharashtra (27)",
            "hsn_summary": [{"hsn": "61149090", "gst_rate": "18", "uqc": "NOS", "quantity": "1000",
                             "taxable_value": "100000.00", "cgst": "9000.00", "sgst": "9000.00"}]},
           f"{IC}, goods with e-way bill: 1000 NOS × 100.00 at 18% intra-state → 100000.00 + 9000.00 + 9000.00 = 118000.00")
    s.gen(A, "intra_state_goods_full_output", op, inv())
    s.hand(A, "inter_state_igst", op, inv(buyer=BUYER_INTER),
           {"regime": {"heads": "igst", "place_of_supply": "29"},
            "totals": {"taxable_value": "100000.00", "igst": "18000.00", "cgst": "0.00", "sgst": "0.00",
                       "grand_total": "118000.00"}, "place_of_supply": "Karnataka (29)"},
           f"{SPEC}, Which tax heads apply: different states → IGST at the full rate")
    s.hand(A, "union_territory_cgst_utgst", op,
           inv(seller=party("Chandigarh Seller", UT_SELLER, "04", "160001"),
               buyer=party("Chandigarh Buyer", UT_BUYER, "04", "160002"), lines=[ln(qty="10")]),
           {"regime": {"heads": "cgst_utgst"}, "totals": {"cgst": "90.00", "sgst": "90.00", "igst": "0.00",
                                                           "grand_total": "1180.00"}},
           f"{SPEC}, Identifiers: 04 Chandigarh is a UT without legislature → CGST + UTGST (UTGST in the SGST fields)")
    s.hand(A, "delhi_uses_sgst", op,
           inv(seller=party("Delhi Seller", DL_SELLER, "07", "110001"),
               buyer=party("Delhi Buyer", DL_BUYER, "07", "110002"), lines=[ln(qty="10")]),
           {"regime": {"heads": "cgst_sgst"}, "totals": {"cgst": "90.00", "sgst": "90.00"}},
           f"{SPEC}, Identifiers: Delhi (07) uses SGST")
    s.hand(A, "sez_with_payment_igst_on_intra", op,
           inv(recipient_category="sez", zero_rated_mode="with_payment", lines=[ln(qty="10")]),
           {"regime": {"heads": "igst", "igst_on_intra": True, "supply_type": "SEZWP"},
            "totals": {"igst": "180.00", "cgst": "0.00", "grand_total": "1180.00"}},
           f"{SPEC}, Which tax heads apply: SEZ supplies are inter-state even inside the same state; with payment → IGST")
    s.hand(A, "sez_under_lut_zero_rated", op,
           inv(recipient_category="sez", zero_rated_mode="under_lut", lines=[ln(qty="10")]),
           {"regime": {"heads": "none", "zero_rated": True, "supply_type": "SEZWOP"},
            "totals": {"taxable_value": "1000.00", "igst": "0.00", "total_tax": "0.00", "grand_total": "1000.00"}},
           f"{SPEC}, Which tax heads apply: SEZ under LUT/bond → zero tax")
    export = {"country_code": "AE", "currency": "USD", "exchange_rate": "83.50", "port_code": "INNSA1",
              "shipping_bill_no": "1234567", "shipping_bill_date": "2026-11-20"}
    s.gen(A, "export_under_lut", op,
          inv(buyer=OVERSEAS, recipient_category="overseas", zero_rated_mode="under_lut", export=export,
              date="2026-11-26", number="EXP/26-27/0001", lines=[ln(qty="100", price="10.00")]))
    s.gen(A, "export_with_igst", op,
          inv(buyer=OVERSEAS, recipient_category="overseas", zero_rated_mode="with_payment", export=export,
              date="2026-11-26", number="EXP/26-27/0002", lines=[ln(qty="100", price="10.00")]))
    s.hand(A, "export_under_lut_figures", op,
           inv(buyer=OVERSEAS, recipient_category="overseas", zero_rated_mode="under_lut", export=export,
               date="2026-11-26", number="EXP/26-27/0003", lines=[ln(qty="100", price="10.00")]),
           {"regime": {"heads": "none", "zero_rated": True, "supply_type": "EXPWOP", "place_of_supply": "96"},
            "totals": {"total_tax": "0.00", "igst": "0.00"}},
           f"{SPEC}, Which tax heads apply: exports under LUT → zero-rated, place of supply 96")
    s.hand(A, "export_with_igst_figures", op,
           inv(buyer=OVERSEAS, recipient_category="overseas", zero_rated_mode="with_payment", export=export,
               date="2026-11-26", number="EXP/26-27/0004", lines=[ln(qty="100", price="10.00")]),
           {"regime": {"heads": "igst", "supply_type": "EXPWP", "place_of_supply": "96"}},
           f"{SPEC}, Which tax heads apply: exports with payment → IGST")
    s.gen_error(A, "export_without_details_is_refused", op,
                inv(buyer=OVERSEAS, recipient_category="overseas", zero_rated_mode="under_lut", date="2026-11-26"))
    s.hand(A, "deemed_export_taxed_normally", op,
           inv(recipient_category="deemed_export", buyer=BUYER_INTER, lines=[ln(qty="10")]),
           {"regime": {"heads": "igst", "supply_type": "DEXP"}, "totals": {"igst": "180.00"}},
           f"{SPEC}, Which tax heads apply: deemed exports are taxed normally (DEXP)")
    s.hand(A, "reverse_charge_not_collected", op,
           inv(reverse_charge=True, lines=[ln("Goods transport", "996511", "1", "10000.00", uqc="", rate_class="GST5")]),
           {"reverse_charge": True, "regime": {"reverse_charge": True},
            "totals": {"taxable_value": "10000.00", "cgst": "250.00", "sgst": "250.00",
                       "tax_payable_by_recipient": "500.00", "amount_payable": "10000.00"}},
           f"{SPEC}, Which tax heads apply: reverse charge taxes are shown, payable by the recipient, not added to what the buyer pays")
    s.hand(A, "composition_bill_of_supply", op,
           inv(supplier_registration="composition", lines=[ln(qty="10")]),
           {"kind": "bill_of_supply", "regime": {"bill_of_supply": True, "heads": "none"},
            "totals": {"taxable_value": "1000.00", "total_tax": "0.00", "grand_total": "1000.00"}},
           f"{SPEC}, Which tax heads apply: composition supplier → bill of supply with no tax")
    s.gen(A, "composition_bill_of_supply_full_output", op, inv(supplier_registration="composition", lines=[ln(qty="10")]))
    s.hand(A, "all_exempt_bill_of_supply", op,
           inv(lines=[ln("Fresh vegetables", "07019000", "100", "20.00", uqc="KGS", rate_class="EXEMPT")]),
           {"kind": "bill_of_supply", "totals": {"total_tax": "0.00", "nil_exempt_value": "2000.00", "grand_total": "2000.00"}},
           f"{SPEC}, Which tax heads apply: all lines exempt/nil → bill of supply")
    s.gen(A, "mixed_taxable_and_nil", op,
          inv(lines=[ln(qty="10"), ln("Rice", "10063020", "50", "40.00", uqc="KGS", rate_class="NIL")]))
    s.hand(A, "cess_aerated_drinks_2025", op,
           inv(date="2025-06-02", number="INV/25-26/00010",
               lines=[ln("Aerated water", "22021010", "100", "50.00", uqc="BTL", rate_class="GST28_CESS12")]),
           {"totals": {"taxable_value": "5000.00", "cgst": "700.00", "sgst": "700.00", "cess": "600.00",
                       "total_tax": "2000.00", "grand_total": "7000.00"},
            "lines": [{"gst_rate": "28", "cess_rate": "12", "cess": "600.00"}]},
           f"{SPEC}, Rates, by date: compensation cess before 22 Sep 2025; 5000.00 × (14% + 14% + 12%)")
    s.hand(A, "cess_specific_per_unit", op,
           inv(date="2025-06-02", number="INV/25-26/00011",
               lines=[ln("Sample goods", "84713010", "10", "1000.00", gst_rate="28",
                         cess={"ad_valorem": "0", "per_unit": "400"})]),
           {"totals": {"taxable_value": "10000.00", "cgst": "1400.00", "sgst": "1400.00", "cess": "4000.00",
                       "grand_total": "16800.00"}, "lines": [{"cess_non_advol": "4000.00"}]},
           f"{SPEC}, Rates, by date: specific cess in rupees per unit: 10 × 400.00")
    s.hand(A, "state_cess", op,
           inv(date="2025-06-02", number="INV/25-26/00012",
               lines=[ln(qty="10", gst_rate="18", cess={"state_ad_valorem": "1"})]),
           {"totals": {"taxable_value": "1000.00", "state_cess": "10.00", "grand_total": "1190.00"}},
           f"{SPEC}, Rates, by date: state cess ad valorem, 1% of 1000.00")
    s.hand_error(A, "cess_after_its_end_is_refused", op,
                 inv(date="2026-03-02", number="INV/25-26/00013",
                     lines=[ln(qty="10", gst_rate="18", cess={"ad_valorem": "12"})]),
                 "CESS_NOT_LEVIED", "invoice.lines[0].gst_rate",
                 f"{SPEC}, Rates, by date: from 1 Feb 2026 compensation cess has ended",
                 )
    s.hand_error(A, "gst12_after_reform_is_refused", op,
                 inv(date="2025-10-01", number="INV/25-26/00014", lines=[ln(qty="10", rate_class="GST12")]),
                 "UNKNOWN_RATE_CLASS", "invoice.lines[0].rate_class",
                 f"{SPEC}, Rates, by date: from 22 Sep 2025 the slabs are 0, 0.25, 1.5, 3, 5, 18, 40; 12 is not notified")
    s.hand(A, "gst12_before_reform", op,
           inv(date="2025-09-21", number="INV/25-26/00015", lines=[ln(qty="10", rate_class="GST12")]),
           {"totals": {"cgst": "60.00", "sgst": "60.00", "grand_total": "1120.00"}},
           f"{SPEC}, Rates, by date: 12 is a slab until 21 Sep 2025")
    s.hand(A, "gst40_after_reform", op,
           inv(date="2025-10-01", number="INV/25-26/00016", lines=[ln(qty="10", rate_class="GST40")]),
           {"totals": {"cgst": "200.00", "sgst": "200.00", "grand_total": "1400.00"}},
           f"{SPEC}, Rates, by date: 40 is a slab from 22 Sep 2025")
    s.hand(A, "round_off_up", op, inv(lines=[ln(qty="1", price="99.99")]),
           {"totals": {"taxable_value": "99.99", "cgst": "9.00", "sgst": "9.00", "round_off": "0.01",
                       "grand_total": "118.00"}},
           f"{SPEC}, Computing an invoice's tax: 99.99 × 9% = 8.9991 → 9.00 per head; 117.99 rounded to the rupee, round-off +0.01")
    s.hand(A, "round_off_down", op, inv(lines=[ln(qty="1", price="15.20", rate_class="GST12")]),
           {"totals": {"taxable_value": "15.20", "cgst": "0.91", "sgst": "0.91", "round_off": "-0.02",
                       "grand_total": "17.00"}},
           f"{IC}, credit note figures on an invoice: 15.20 at 12% (2022) → 0.91 + 0.91, round-off −0.02, 17.00")
    s.hand(A, "freight_spread_and_round_off_half_up", op,
           inv(lines=[ln(qty="1", price="1000.00"), ln("Other goods", "61091000", "1", "500.00", rate_class="GST5")],
               charges=[{"description": "Freight", "amount": "150.00"}]),
           {"totals": {"taxable_value": "1650.00", "charges_in_value": "150.00", "cgst": "112.75", "sgst": "112.75",
                       "round_off": "0.50", "grand_total": "1876.00"},
            "lines": [{"taxable_value": "1100.00", "charges": "100.00", "cgst": "99.00"},
                      {"taxable_value": "550.00", "charges": "50.00", "cgst": "13.75"}]},
           f"{SPEC}, Computing an invoice's tax: freight spread over goods in proportion to taxable value "
           "(1000:500 → 100.00 + 50.00), each part at its line's rate; 1875.50 rounds half-up to 1876.00")
    s.hand(A, "per_line_per_head_rounding", op,
           inv(lines=[ln(qty="1", price="10.10", rate_class="GST5") for _ in range(3)], settings={"round_off": False}),
           {"totals": {"taxable_value": "30.30", "cgst": "0.75", "sgst": "0.75", "grand_total": "31.80"},
            "lines": [{"cgst": "0.25", "sgst": "0.25"}, {"cgst": "0.25"}, {"cgst": "0.25"}]},
           f"{SPEC}, Computing an invoice's tax: each head rounded per line (10.10 × 2.5% = 0.2525 → 0.25); totals are sums of lines (0.75, not 0.76)")
    s.hand(A, "prices_include_tax", op,
           inv(lines=[ln(qty="1", price="118.00")], settings={"prices_include_tax": True}),
           {"totals": {"taxable_value": "100.00", "cgst": "9.00", "sgst": "9.00", "grand_total": "118.00"},
            "lines": [{"taxable_value": "100.00", "total": "118.00"}]},
           f"{SPEC}, Computing an invoice's tax: taxable = inclusive ÷ (1 + rate); the line total equals the inclusive amount")
    s.hand(A, "order_discount_spread_before_tax", op,
           inv(lines=[ln(qty="1", price="1000.00"), ln(qty="1", price="500.00")], order_discount="150.00"),
           {"totals": {"gross": "1500.00", "discount": "150.00", "taxable_value": "1350.00", "cgst": "121.50",
                       "grand_total": "1593.00"},
            "lines": [{"discount": "100.00", "taxable_value": "900.00"}, {"discount": "50.00", "taxable_value": "450.00"}]},
           f"{SPEC}, Computing an invoice's tax: a discount on the invoice reduces each line's taxable value (in proportion)")
    s.gen(A, "freight_as_service_line", op,
          inv(lines=[ln(qty="10")], charges=[{"description": "Freight", "amount": "500.00", "billing": "service_line"}]))
    s.hand(A, "tcs_after_tax", op,
           inv(lines=[ln(qty="10")], charges=[{"description": "TCS", "amount": "1.18", "billing": "after_tax"}],
               settings={"round_off": False}),
           {"totals": {"taxable_value": "1000.00", "charges_after_tax": "1.18", "grand_total": "1181.18"}},
           f"{SPEC}, Computing an invoice's tax: charges after tax (TCS) are not taxable value")
    s.gen(A, "unregistered_buyer", op,
          inv(buyer=party("Walk-in Buyer", None, "27", "400003"), lines=[ln(qty="600")]))
    s.gen(A, "bill_to_ship_to_place_of_supply", op,
          inv(bill_to_ship_to=True, ship_to=party("Consignee KA", BUYER_KA, "29", "560058"), lines=[ln(qty="10")]))
    s.gen(A, "explicit_place_of_supply", op, inv(place_of_supply="29", lines=[ln(qty="10")]))
    s.gen(A, "payment_terms_due_dates", op,
          inv(lines=[ln(qty="10")], payment_terms=[{"percent": "30", "days": 0}, {"percent": "70", "days": 45}]))
    s.gen(A, "hsn_summary_groups_by_hsn_rate_uqc", op,
          inv(lines=[ln(qty="10"), ln(qty="5"), ln("Caps", "65050000", "20", "50.00", rate_class="GST5"),
                     ln(qty="2", uqc="BOX")]))
    s.gen(A, "order_refs_within_shipped", op,
          inv(lines=[ln(qty="8", order_ref={"order_id": "SO-1", "line_id": "1", "ordered": "10", "shipped": "8"})]))
    s.gen_error(A, "order_ref_beyond_shipped_is_refused", op,
                inv(lines=[ln(qty="8", order_ref={"order_id": "SO-1", "line_id": "1", "ordered": "10", "shipped": "8",
                                                  "already_invoiced": "3"})]),
                note=f"{SPEC}, Documents: an order line is never invoiced beyond its shipped quantity")
    s.hand_error(A, "invalid_buyer_gstin", op, inv(buyer=party("Bad", "27AAPFU0939F1Z0", "27", "400002")),
                 "INVALID_GSTIN", None, f"{SPEC}, Identifiers: 27AAPFU0939F1Z0 has an invalid checksum")
    s.gen_error(A, "invalid_uqc", op, inv(lines=[ln(uqc="PIECES")]))
    s.gen_error(A, "hsn_wrong_length", op, inv(lines=[ln(hsn="611")]))
    s.gen_error(A, "hsn_shorter_than_setting", op, inv(lines=[ln(hsn="6114")], settings={"hsn_min_length": 6}))
    s.hand_error(A, "duplicate_number_is_refused", op, inv(issued_numbers=["INV/22-23/00001"]),
                 "DUPLICATE_DOCUMENT_NUMBER", None,
                 f"{SPEC}, Documents, Numbering: the library rejects duplicates it is told about")
    s.gen_error(A, "number_pattern_is_checked", op, inv(number="0INV/1"))
    s.gen(A, "legacy_state_code_warning", op,
          inv(buyer=party("Old AP Buyer", gstin("28AAGCB7383J1Z"), "28", "500001"), date="2026-11-26",
              number="INV/26-27/00001", lines=[ln(qty="1")]))



def note_doc(kind, lines, original_lines, date="2022-09-20", number="CN/22-23/0001", orig_date="2022-09-16", **kw):
    d = inv(lines=lines, date=date, number=number, document_type=kind,
            original={"number": "INV/22-23/00001", "date": orig_date, "lines": original_lines}, **kw)
    return d


ORIG = [{"hsn": "61149090", "gst_rate": "12", "taxable_value": "100.00"}]


def notes(s):
    A = "notes"
    s.hand(A, "credit_note_round_off", "credit_note",
           note_doc("credit_note", [ln(qty="1", price="15.20", original_line=0)], ORIG),
           {"kind": "credit_note", "original": {"number": "INV/22-23/00001", "date": "2022-09-16"},
            "totals": {"taxable_value": "15.20", "cgst": "0.91", "sgst": "0.91", "round_off": "-0.02",
                       "grand_total": "17.00"}},
           f"{IC}, credit note: taxable 15.20 at 12% (2022) → CGST 0.91, SGST 0.91, round-off −0.02, total 17.00; {SPEC}, E-invoice worked case")
    s.gen(A, "credit_note_full_output", "credit_note",
          note_doc("credit_note", [ln(qty="1", price="15.20", original_line=0)], ORIG))
    s.hand(A, "credit_note_in_2026_uses_original_rates", "credit_note",
           note_doc("credit_note", [ln(qty="1", price="50.00", original_line=0)], ORIG, date="2026-01-10",
                    number="CN/25-26/0001"),
           {"totals": {"taxable_value": "50.00", "cgst": "3.00", "sgst": "3.00", "grand_total": "56.00"},
            "lines": [{"gst_rate": "12"}]},
           f"{SPEC}, Rates, by date: a credit note in 2026 against an earlier invoice uses the original invoice's rates (12%)")
    s.hand_error(A, "credit_beyond_creditable_is_refused", "credit_note",
                 note_doc("credit_note", [ln(qty="1", price="60.00", original_line=0)],
                          [dict(ORIG[0], already_credited="50.00")]),
                 "OVER_CREDITED", "invoice.lines[0].original_line",
                 f"{SPEC}, Invariants: a credit note never takes more than what remains creditable on the original (100 − 50 < 60)")
    s.gen(A, "credit_note_value_only", "credit_note",
          note_doc("credit_note", [ln("Post-sale discount", qty="0", price="0", amount="20.00", original_line=0)], ORIG))
    s.gen_error(A, "credit_note_without_original_is_refused", "credit_note",
                inv(document_type="credit_note", lines=[ln(qty="1", price="15.20")]))
    s.hand(A, "debit_note_inter_state", "debit_note",
           note_doc("debit_note", [ln("Price correction", qty="10", price="10.00", original_line=0)],
                    [{"hsn": "61149090", "gst_rate": "18", "taxable_value": "1000.00"}], number="DN/22-23/0001",
                    buyer=BUYER_INTER),
           {"kind": "debit_note", "totals": {"taxable_value": "100.00", "igst": "18.00", "grand_total": "118.00"}},
           f"{SPEC}, Documents: debit note (Rule 53) for a rate correction; inter-state → IGST 18% of 100.00")
    s.gen(A, "debit_note_full_output", "debit_note",
          note_doc("debit_note", [ln("Price correction", qty="10", price="10.00", original_line=0)],
                   [{"hsn": "61149090", "gst_rate": "18", "taxable_value": "1000.00"}], number="DN/22-23/0002"))
    s.gen(A, "credit_note_through_invoice_operation", "invoice",
          note_doc("credit_note", [ln(qty="1", price="15.20", original_line=0)], ORIG, number="CN/22-23/0002"))


def einvoice(s):
    A = "einvoice"
    eway = {"distance_km": 0, "mode": "1", "vehicle_no": "GJ07DL9009", "vehicle_type": "R"}
    s.hand(A, "goods_with_eway_bill", "einvoice", inv(eway_bill=eway),
           {"einvoice": {"Version": "1.1", "TranDtls": {"TaxSch": "GST", "SupTyp": "B2B", "RegRev": "N"},
                         "DocDtls": {"Typ": "INV", "No": "INV/22-23/00001", "Dt": "16/09/2022"},
                         "ItemList": [{"SlNo": "1", "IsServc": "N", "HsnCd": "61149090", "Qty": 1000, "Unit": "NOS",
                                       "UnitPrice": 100, "TotAmt": 100000, "AssAmt": 100000, "GstRt": 18,
                                       "CgstAmt": 9000, "SgstAmt": 9000, "IgstAmt": 0, "TotItemVal": 118000}],
                         "ValDtls": {"AssVal": 100000, "CgstVal": 9000, "SgstVal": 9000, "IgstVal": 0,
                                     "TotInvVal": 118000},
                         "EwbDtls": {"Distance": 0, "TransMode": "1", "VehNo": "GJ07DL9009", "VehType": "R"}}},
           f"{IC}, goods with e-way bill (request_data): AssAmt 100000, CGST 9000, SGST 9000, TotItemVal 118000, TotInvVal 118000")
    s.gen(A, "goods_with_eway_bill_full_output", "einvoice", inv(eway_bill=eway))
    s.hand(A, "service_item", "einvoice",
           inv(lines=[ln("Consulting", "998311", "1", "100000.00", uqc="")]),
           {"einvoice": {"ItemList": [{"IsServc": "Y", "HsnCd": "998311", "AssAmt": 100000, "TotItemVal": 118000}]}},
           f"{IC}, service item: IsServc Y for an HSN starting with 99; {SPEC}, E-invoice JSON")
    s.hand(A, "nil_exempt_value_in_othchrg", "einvoice",
           inv(lines=[ln(qty="10"), ln("Fresh vegetables", "07019000", "10", "20.00", uqc="KGS", rate_class="EXEMPT")]),
           {"einvoice": {"ItemList": [{"HsnCd": "61149090", "AssAmt": 1000}],
                         "ValDtls": {"AssVal": 1000, "OthChrg": 200, "TotInvVal": 1380}}},
           f"{IC}, nil/exempt item: value in OthChrg; {SPEC}: nil/exempt lines stay out of ItemList")
    s.hand(A, "credit_note_crn", "einvoice",
           note_doc("credit_note", [ln(qty="1", price="15.20", original_line=0)], ORIG),
           {"einvoice": {"DocDtls": {"Typ": "CRN", "No": "CN/22-23/0001", "Dt": "20/09/2022"},
                         "ItemList": [{"AssAmt": 15.2, "GstRt": 12, "CgstAmt": 0.91, "SgstAmt": 0.91, "TotItemVal": 17.02}],
                         "ValDtls": {"AssVal": 15.2, "CgstVal": 0.91, "SgstVal": 0.91, "RndOffAmt": -0.02, "TotInvVal": 17},
                         "RefDtls": {"PrecDocDtls": [{"InvNo": "INV/22-23/00001", "InvDt": "16/09/2022"}]}}},
           f"{IC}, credit note: 15.20 at 12% → 0.91 + 0.91, RndOffAmt −0.02, TotInvVal 17.00, with the preceding document")
    s.gen(A, "debit_note_dbn", "einvoice",
          note_doc("debit_note", [ln("Price correction", qty="10", price="10.00", original_line=0)],
                   [{"hsn": "61149090", "gst_rate": "18", "taxable_value": "1000.00"}], number="DN/22-23/0001"))
    export = {"country_code": "AE", "currency": "USD", "exchange_rate": "83.50", "port_code": "INNSA1",
              "shipping_bill_no": "1234567", "shipping_bill_date": "2026-11-20"}
    s.hand(A, "export_without_payment_urp", "einvoice",
           inv(buyer=OVERSEAS, recipient_category="overseas", zero_rated_mode="under_lut", export=export,
               date="2026-11-26", number="EXP/26-27/0001", lines=[ln(qty="100", price="10.00")]),
           {"einvoice": {"TranDtls": {"SupTyp": "EXPWOP"},
                         "BuyerDtls": {"Gstin": "URP", "Stcd": "96", "Pos": "96", "Pin": 999999},
                         "ExpDtls": {"CntCode": "AE", "ForCur": "USD", "Port": "INNSA1"}}},
           f"{IC}, export without payment: Gstin URP, Stcd/Pos 96, Pin 999999")
    s.gen(A, "export_without_payment_full_output", "einvoice",
          inv(buyer=OVERSEAS, recipient_category="overseas", zero_rated_mode="under_lut", export=export,
              date="2026-11-26", number="EXP/26-27/0001", lines=[ln(qty="100", price="10.00")]))
    s.hand(A, "sez_with_payment_igst_on_intra", "einvoice",
           inv(recipient_category="sez", zero_rated_mode="with_payment", lines=[ln(qty="10")]),
           {"einvoice": {"TranDtls": {"SupTyp": "SEZWP", "IgstOnIntra": "Y"},
                         "ValDtls": {"IgstVal": 180, "CgstVal": 0, "TotInvVal": 1180}}},
           f"{SPEC}, Which tax heads apply: SEZ → IGST, IgstOnIntra = Y")
    s.hand(A, "reverse_charge_regrev", "einvoice",
           inv(reverse_charge=True, lines=[ln("Goods transport", "996511", "1", "10000.00", uqc="", rate_class="GST5")]),
           {"einvoice": {"TranDtls": {"RegRev": "Y"}}}, f"{SPEC}, E-invoice JSON: TranDtls RegRev")
    s.hand(A, "union_territory_utgst_in_sgst_fields", "einvoice",
           inv(seller=party("Chandigarh Seller", UT_SELLER, "04", "160001"),
               buyer=party("Chandigarh Buyer", UT_BUYER, "04", "160002"), lines=[ln(qty="10")]),
           {"einvoice": {"ValDtls": {"CgstVal": 90, "SgstVal": 90, "IgstVal": 0}}},
           f"{SPEC}, Identifiers: in the e-invoice, UTGST goes in the SGST fields")
    base = run_einvoice(s, inv(eway_bill=eway))
    s.hand("einvoice", "validate_clean_payload", "einvoice_validate", {"einvoice": base}, [],
           f"{IC}, goods with e-way bill: the untouched payload has no violation")
    bad = copy.deepcopy(base)
    bad["ItemList"][0]["SgstAmt"] = 9000.5
    bad["DocDtls"]["No"] = "inv/1"
    s.gen(A, "validate_lists_every_violation", "einvoice_validate", {"einvoice": bad})
    bad2 = copy.deepcopy(base)
    bad2["ItemList"][0]["AssAmt"] = 99000
    bad2["ValDtls"]["RndOffAmt"] = 120
    bad2["ItemList"][0]["GstRt"] = 17
    s.gen(A, "validate_totals_rates_and_round_off", "einvoice_validate", {"einvoice": bad2})
    bad3 = copy.deepcopy(base)
    bad3["ItemList"][0]["Unit"] = "PIECES"
    bad3["BuyerDtls"]["Pin"] = 99999
    bad3["ItemList"][0]["IgstAmt"] = 1
    s.gen(A, "validate_uqc_pin_and_mixed_heads", "einvoice_validate", {"einvoice": bad3})


def run_einvoice(s, d):
    import lib
    return lib.run("einvoice", d)["einvoice"]


def identifiers(s):
    A = "gstin"
    for g, state, name, pan, ent, kind in [
        ("27AAPFU0939F1ZV", "27", "Maharashtra", "AAPFU0939F", "1", "Z"),
        ("29AAGCB7383J1Z4", "29", "Karnataka", "AAGCB7383J", "1", "Z"),
        ("10AABCU9355J1Z9", "10", "Bihar", "AABCU9355J", "1", "Z"),
        ("24AAQCA8719H1ZC", "24", "Gujarat", "AAQCA8719H", "1", "Z"),
        ("33AAAAR6720M1ZG", "33", "Tamil Nadu", "AAAAR6720M", "1", "Z"),
        ("29AABCF8078M1C8", "29", "Karnataka", "AABCF8078M", "1", "C"),
    ]:
        s.hand(A, f"valid_{g}", "gstin", {"gstin": g},
               {"gstin": g, "state_code": state, "state_name": name, "pan": pan, "entity_number": ent,
                "registration_kind": kind},
               f"{SPEC}, Identifiers: valid examples")
    s.hand(A, "normalizes_case_and_spaces", "gstin", {"gstin": " 27aapfu0939f1zv "},
           {"gstin": "27AAPFU0939F1ZV"}, f"{SPEC}, Identifiers: validation normalizes case and strips spaces")
    s.hand_error(A, "bad_checksum", "gstin", {"gstin": "27AAPFU0939F1Z0"}, "INVALID_GSTIN", "gstin",
                 f"{SPEC}, Identifiers: invalid checksum example")
    s.hand_error(A, "wrong_length", "gstin", {"gstin": "27AAPFU0939F1Z"}, "INVALID_GSTIN", "gstin",
                 f"{SPEC}, Identifiers: 15 characters")
    s.hand_error(A, "bad_state_code", "gstin", {"gstin": gstin("99AAPFU0939F1Z")}, "INVALID_GSTIN", "gstin",
                 f"{SPEC}, Identifiers: 99 is not a state code (checksum valid)")
    # Expectation changed by hand (issue 21.8): AAPF10939F is 4 letters, 5
    # digits, 1 letter, the TAN-like id the GSTN gives Government
    # departments, so this GSTIN is valid; a bad PAN is tested below.
    s.hand(A, "bad_pan_format", "gstin", {"gstin": gstin("27AAPF10939F1Z")},
           {"registration_type": "government_department", "pan": "AAPF10939F"},
           f"{SPEC}, Identifiers: PAN is 5 letters, 4 digits, 1 letter (checksum valid); issue 21.8: "
           "4 letters, 5 digits, 1 letter is a Government department's id, which the GSTN issues")
    s.hand_error(A, "bad_pan_or_department_id", "gstin", {"gstin": gstin("27AAP1U0939F1Z")}, "INVALID_GSTIN",
                 "gstin", f"{SPEC}, Identifiers: characters 3–12 are neither a PAN nor a department's id "
                 "(checksum valid)")
    s.hand(A, "checksum_computed_for_ut", "gstin", {"gstin": UT_SELLER},
           {"gstin": UT_SELLER, "state_code": "04", "state_name": "Chandigarh"},
           f"{SPEC}, Identifiers: check character computed by the spec's algorithm; 04 Chandigarh")
    s.gen(A, "legacy_state_code_on_recent_date", "gstin", {"gstin": gstin("28AAGCB7383J1Z"), "as_of": "2026-11-26"})
    s.gen(A, "legacy_state_code_on_old_date", "gstin", {"gstin": gstin("25AAGCB7383J1Z"), "as_of": "2019-01-01"})
    s.gen(A, "full_output", "gstin", {"gstin": "27AAPFU0939F1ZV"})

    W = "words"
    for amount, words, formatted in [
        ("12345678.90", "Rupees One Crore Twenty Three Lakh Forty Five Thousand Six Hundred Seventy Eight and Ninety Paise Only", "1,23,45,678.90"),
        ("118000.00", "Rupees One Lakh Eighteen Thousand Only", "1,18,000.00"),
        ("17.00", "Rupees Seventeen Only", "17.00"),
        ("100000", "Rupees One Lakh Only", "1,00,000.00"),
        ("1000000000", "Rupees One Hundred Crore Only", "1,00,00,00,000.00"),
    ]:
        s.hand(W, f"inr_{amount.replace('.', '_')}", "words", {"amount": amount},
               {"words": words, "formatted": formatted},
               f"{SPEC}, Documents: amount in words, Indian system (lakh, crore) and Indian digit grouping")
    s.gen(W, "usd", "words", {"amount": "1500.5", "currency": "USD"})
    s.gen(W, "paise_only", "words", {"amount": "0.75"})
    s.gen(W, "zero", "words", {"amount": "0"})
    s.gen(W, "eur_cents", "words", {"amount": "2019.09", "currency": "EUR"})
    s.gen_error(W, "unknown_currency", "words", {"amount": "12.5", "currency": "XXX"})
    s.gen_error(W, "not_a_number", "words", {"amount": "twelve"})
    s.hand_error(W, "more_digits_than_a_decimal_holds", "words", {"amount": "999999999999999999999999999.991"},
                 "EXCESS_PRECISION", "amount",
                 "bindings.md, Types: a decimal with more precision than the core can hold is an error, never silently rounded")

    N = "numbering"
    s.hand(N, "spec_template", "number", {"template": "INV/{fy}/{seq:05}", "date": "2026-11-26", "seq": 42},
           {"number": "INV/26-27/00042", "financial_year": "26-27"},
           f"{SPEC}, Documents, Numbering: INV/{{fy}}/{{seq:05}} → INV/26-27/00042")
    s.hand(N, "last_day_of_financial_year", "number", {"template": "INV/{fy}/{seq:05}", "date": "2027-03-31", "seq": 7},
           {"number": "INV/26-27/00007", "financial_year": "26-27"},
           f"{SPEC}, Documents, Numbering: series per financial year (April–March)")
    s.hand(N, "first_day_of_financial_year", "number", {"template": "INV/{fy}/{seq:05}", "date": "2027-04-01", "seq": 1},
           {"number": "INV/27-28/00001", "financial_year": "27-28"},
           f"{SPEC}, Documents, Numbering: series per financial year (April–March)")
    s.hand_error(N, "duplicate_is_refused", "number",
                 {"template": "INV/{fy}/{seq:05}", "date": "2026-03-31", "seq": 7, "issued": ["INV/25-26/00007"]},
                 "DUPLICATE_DOCUMENT_NUMBER", None, f"{SPEC}, Documents, Numbering: rejects duplicates it is told about")
    s.gen_error(N, "too_long_is_refused", "number", {"template": "INVOICE/{fy}/{seq:08}", "date": "2026-11-26", "seq": 1},
                note=f"{SPEC}: at most 16 characters")
    s.gen_error(N, "leading_zero_is_refused", "number", {"template": "{seq:05}", "date": "2026-11-26", "seq": 1},
                note=f"{SPEC}: not starting with 0, / or -")
    s.gen(N, "no_padding", "number", {"template": "CN-{fy}-{seq}", "date": "2026-11-26", "seq": 3})


def cases(s):
    invoices = globals()["_invoice_cases"]
    invoices(s)
    notes(s)
    einvoice(s)
    identifiers(s)
    paths(s)
    peer_parity(s)
    inv01_limits(s)


GJ_SELLER = party("Gujarat Seller", "24AAQCA8719H1ZC", "24", "380001")
US_BUYER = party("Overseas Buyer Inc", None, "96", None, address={"line1": "1 Main St", "city": "Austin",
                                                                   "state_code": "96", "country": "US"})


def gj(lines=None, buyer=BUYER_INTER, **kw):
    """Issue 21's reproductions: seller 24AAQCA8719H1ZC (Gujarat), one line
    HSN 61149090, 1 NOS at 100.00, 18 %."""
    return inv(lines=lines or [ln(qty="1", price="100.00")], buyer=buyer, seller=GJ_SELLER,
               date="2026-11-26", number="INV/26-27/00001", **kw)


def peer_parity(s):
    """Issue 21 items 1, 2, 3, 5, 8: where the law (and the GSTN) decide."""
    A = "gst"
    op = "invoice"
    ahmedabad = party("Ahmedabad Consignee", None, "24", "380015")
    export_inr = {"country_code": "US", "currency": "INR", "exchange_rate": "1"}
    s.hand(A, "overseas_buyer_goods_delivered_in_india_not_an_export", op,
           gj(buyer=US_BUYER, recipient_category="overseas", zero_rated_mode="under_lut",
              ship_to=ahmedabad, export=export_inr),
           {"kind": "tax_invoice", "title": "Tax Invoice", "place_of_supply": "Gujarat (24)",
            "regime": {"heads": "cgst_sgst", "supply_type": "B2C", "place_of_supply": "24", "zero_rated": False},
            "totals": {"taxable_value": "100.00", "cgst": "9.00", "sgst": "9.00", "igst": "0.00",
                       "grand_total": "118.00"},
            "warnings": [{"code": "NOT_AN_EXPORT", "field": "ship_to.address.state_code"},
                         {"code": "EXPORT_DETAILS_NOT_USED", "field": "export"}]},
           "IGST Act s.10(1)(a): the place of supply of goods is where their movement ends; goods delivered in "
           "Ahmedabad (24) do not leave India (s.2(5)), so this is a domestic intra-state supply, B2C without a GSTIN")
    s.hand(A, "overseas_buyer_goods_handed_over_at_port_stay_an_export", op,
           gj(buyer=US_BUYER, recipient_category="overseas", zero_rated_mode="under_lut", ship_to=ahmedabad,
              export=dict(export_inr, port_code="INSBI6")),
           {"regime": {"supply_type": "EXPWOP", "place_of_supply": "96"}, "totals": {"total_tax": "0.00"}},
           f"{IC}, foreign_transaction: ship-to is the port address in Gujarat (380015), supply EXPWOP; "
           "the export details name a port, so the goods leave India")
    for cls, rate in [("NIL", "28"), ("EXEMPT", "5"), ("NON_GST", "18")]:
        s.hand_error(A, f"{cls.lower()}_line_with_gst_rate_is_refused", op,
                     gj(lines=[ln(qty="1", price="100.00", rate_class=cls, gst_rate=rate)]),
                     "RATE_CONTRADICTS_CLASS", "invoice.lines[0].gst_rate",
                     f"{SPEC}, Which tax heads apply: nil-rated, exempt and non-GST lines carry no tax; "
                     "a line giving both is a contradiction")
    s.hand_error(A, "buyer_gstin_equal_to_sellers_is_refused", op,
                 gj(buyer=party("Gujarat Seller", "24AAQCA8719H1ZC", "24", "380015")),
                 "INVALID_REGIME_INPUT", "invoice.buyer.gstin",
                 "CGST Act s.7 and s.25(4): a supply is made to another person; one registration cannot supply itself")
    s.hand_error(A, "reverse_charge_to_unregistered_buyer_is_refused", op,
                 gj(buyer=party("Walk-in Buyer", None, "24", "380015"), reverse_charge=True),
                 "INVALID_REGIME_INPUT", "invoice.reverse_charge",
                 "CGST Act s.9(3) and s.24(iii): tax under reverse charge is paid by a registered recipient")
    s.hand(A, "government_department_buyer_accepted", op,
           gj(buyer=party("Department of Education", "07AAAA12345A1ZT", "07", "110001")),
           {"regime": {"heads": "igst", "supply_type": "B2B", "place_of_supply": "07"},
            "totals": {"igst": "18.00", "grand_total": "118.00"}},
           "GSTN: a Government department's GSTIN carries its TAN-like id (4 letters, 5 digits, 1 letter)")
    G = "gstin"
    for g, kind in [("07AAAA12345A1ZT", "government_department"), (gstin("0717UNO00157UN"), "un_body"),
                    (gstin("0717USA12345NR"), "non_resident"), ("9917SGP29001OST", "oidar"),
                    (gstin("07DELA12345A1D"), "tax_deductor"), ("29AABCF8078M1C8", "tax_collector"),
                    ("27AAPFU0939F1ZV", "normal")]:
        s.hand(G, f"registration_type_{kind}", "gstin", {"gstin": g},
               {"gstin": g, "registration_type": kind},
               f"{SPEC}, Identifiers: the 14th character and characters 3–12 tell the form (GSTN formats; "
               "check character verified by this suite's own implementation)")
    s.hand_error(G, "government_department_bad_checksum", "gstin", {"gstin": "07AAAA12345A1ZU"},
                 "INVALID_GSTIN", "gstin", f"{SPEC}, Identifiers: the check character is verified for every form")


INV01 = "INV-01 v1.1 (GSTN/NIC e-invoice schema)"


def inv01_limits(s):
    """The limits the IRP enforces (issue 17 items 4 and 5, issue 21 items 3,
    6 and 7): one violation per case, each from the schema or the law."""
    A = "einvoice"
    eway = {"distance_km": 0, "mode": "1", "vehicle_no": "GJ07DL9009", "vehicle_type": "R"}
    base = run_einvoice(s, inv(eway_bill=eway))

    def one(name, change, code, field, reference):
        bad = copy.deepcopy(base)
        change(bad)
        s.hand(A, name, "einvoice_validate", {"einvoice": bad}, [{"code": code, "field": field}], reference)

    one("validate_unit_price_above_maximum", lambda e: e["ItemList"][0].update(UnitPrice=1000000000000),
        "ABOVE_MAXIMUM", "ItemList[0].UnitPrice", f"{INV01}: UnitPrice at most 999999999999.999")
    one("validate_distance_over_4000", lambda e: e["EwbDtls"].update(Distance=5000),
        "DISTANCE_RANGE", "EwbDtls.Distance", f"{INV01}: EwbDtls.Distance 0-4000")
    one("validate_transport_mode_5", lambda e: e["EwbDtls"].update(TransMode="5"),
        "INVALID_TRANSPORT_MODE", "EwbDtls.TransMode", f"{INV01}: TransMode 1 road, 2 rail, 3 air, 4 ship")
    one("validate_vehicle_no_too_short", lambda e: e["EwbDtls"].update(VehNo="AB"),
        "INVALID_VEHICLE_NO", "EwbDtls.VehNo", f"{INV01}: VehNo 4-20 characters")
    one("validate_vehicle_type_x", lambda e: e["EwbDtls"].update(VehType="X"),
        "INVALID_VEHICLE_TYPE", "EwbDtls.VehType", f"{INV01}: VehType R or O")
    one("validate_transporter_id_abc", lambda e: e["EwbDtls"].update(TransId="ABC"),
        "INVALID_TRANSPORTER_ID", "EwbDtls.TransId", f"{INV01}: TransId is a 15-character GSTIN or TRANSIN")
    one("validate_road_without_vehicle", lambda e: [e["EwbDtls"].pop("VehNo"), e["EwbDtls"].pop("VehType")],
        "MISSING_VEHICLE_NO", "EwbDtls.VehNo", "e-way bill rules: transport by road names the vehicle")
    one("validate_rail_without_document", lambda e: e["EwbDtls"].update(TransMode="2"),
        "MISSING_TRANSPORT_DOC", "EwbDtls.TransDocNo",
        "e-way bill rules: rail, air and ship name the transport document")
    one("validate_short_description", lambda e: e["ItemList"][0].update(PrdDesc="AB"),
        "INVALID_LENGTH", "ItemList[0].PrdDesc", f"{INV01}: PrdDesc 3-300 characters")
    one("validate_short_trade_name", lambda e: e["SellerDtls"].update(TrdNm="AB"),
        "INVALID_LENGTH", "SellerDtls.TrdNm", f"{INV01}: TrdNm 3-100 characters")
    one("validate_buyer_pin_not_in_state", lambda e: e["BuyerDtls"].update(Pin=560001),
        "PIN_STATE_MISMATCH", "BuyerDtls.Pin", "India Post: PIN codes 560xxx are Karnataka's, not Maharashtra's (400-445)")
    one("validate_buyer_is_seller", lambda e: e["BuyerDtls"].update(Gstin=e["SellerDtls"]["Gstin"]),
        "BUYER_IS_SELLER", "BuyerDtls.Gstin", "CGST Act s.7: a supply is to another person; one GSTIN cannot supply itself")
    s.gen_error(A, "validate_amount_as_string_refused", "einvoice_validate",
                {"einvoice": dict(base, ValDtls=dict(base["ValDtls"], AssVal="100000"))})
    W = "words"
    s.hand_error(W, "more_decimals_than_paise_refused", "words", {"amount": "1.005"}, "INVALID_VALUE", "amount",
                 f"{SPEC}, Documents: amount in words states the document's figure; 1.005 has no exact paise")
    s.hand_error(W, "yen_with_decimals_refused", "words", {"amount": "12.5", "currency": "JPY"}, "INVALID_VALUE",
                 "amount", "ISO 4217: JPY has no minor unit")


def more(s):
    """Further hand cases: paise rounding, export conversion, endorsements,
    place of supply, HSN summary, due dates, e-invoice precision."""
    A = "gst"
    op = "invoice"
    s.hand(A, "tax_rounded_half_up_per_head", op,
           inv(lines=[ln(qty="1", price="1.00", rate_class="GST5")], settings={"round_off": False}),
           {"totals": {"cgst": "0.03", "sgst": "0.03", "grand_total": "1.06"}},
           f"{SPEC}, Computing an invoice's tax: each head = taxable × head rate rounded half-up to paise (1.00 × 2.5% = 0.025 → 0.03)")
    export = {"country_code": "AE", "currency": "USD", "exchange_rate": "83.50", "port_code": "INNSA1",
              "shipping_bill_no": "1234567", "shipping_bill_date": "2026-11-20"}
    s.hand(A, "export_with_igst_in_rupees", op,
           inv(buyer=OVERSEAS, recipient_category="overseas", zero_rated_mode="with_payment", export=export,
               date="2026-11-26", number="EXP/26-27/0005", lines=[ln(qty="100", price="10.00")]),
           {"totals": {"taxable_value": "83500.00", "igst": "15030.00", "grand_total": "98530.00"},
            "export": {"total_foreign": "1180.00"}},
           f"{SPEC}, Documents: export invoice in foreign currency with the exchange rate as input: USD 1000 × 83.50 = ₹83500.00; IGST 18%")
    s.hand(A, "export_under_lut_endorsement", op,
           inv(buyer=OVERSEAS, recipient_category="overseas", zero_rated_mode="under_lut", export=export,
               date="2026-11-26", number="EXP/26-27/0006", lines=[ln(qty="100", price="10.00")]),
           {"endorsements": ["SUPPLY MEANT FOR EXPORT UNDER BOND OR LETTER OF UNDERTAKING WITHOUT PAYMENT OF INTEGRATED TAX"],
            "totals": {"taxable_value": "83500.00", "grand_total": "83500.00"}},
           f"{SPEC}, Which tax heads apply: under LUT/bond → zero tax and the LUT endorsement on the invoice (Rule 46 wording)")
    s.hand(A, "composition_wording", op, inv(supplier_registration="composition", lines=[ln(qty="10")]),
           {"title": "Bill of Supply",
            "endorsements": ["composition taxable person, not eligible to collect tax on supplies"]},
           f"{SPEC}, Which tax heads apply: the mandated wording for composition suppliers (Rule 46(f))")
    s.hand(A, "ship_to_state_is_place_of_supply", op,
           inv(ship_to=party("Consignee KA", BUYER_KA, "29", "560058"), lines=[ln(qty="10")]),
           {"regime": {"heads": "igst", "place_of_supply": "29"}, "totals": {"igst": "180.00"}},
           f"{SPEC}, Which tax heads apply: for goods the place of supply is where delivery ends (the ship-to state)")
    s.hand(A, "bill_to_ship_to_uses_bill_to_state", op,
           inv(bill_to_ship_to=True, ship_to=party("Consignee KA", BUYER_KA, "29", "560058"), lines=[ln(qty="10")]),
           {"regime": {"heads": "cgst_sgst", "place_of_supply": "27"}, "totals": {"cgst": "90.00"}},
           f"{SPEC}, Which tax heads apply: the bill-to third party's state for bill-to/ship-to")
    s.hand(A, "hsn_summary_grouped", op,
           inv(lines=[ln(qty="10"), ln(qty="5"), ln("Caps", "65050000", "20", "50.00", rate_class="GST5"),
                      ln(qty="2", uqc="BOX")]),
           {"hsn_summary": [{"hsn": "61149090", "gst_rate": "18", "uqc": "BOX", "quantity": "2", "taxable_value": "200.00",
                             "cgst": "18.00"},
                            {"hsn": "61149090", "gst_rate": "18", "uqc": "NOS", "quantity": "15", "taxable_value": "1500.00",
                             "cgst": "135.00", "sgst": "135.00"},
                            {"hsn": "65050000", "gst_rate": "5", "uqc": "NOS", "quantity": "20", "taxable_value": "1000.00",
                             "cgst": "25.00"}]},
           f"{SPEC}, Documents: HSN summary grouped by (HSN, rate, UQC)")
    s.hand(A, "due_dates_from_terms", op,
           inv(lines=[ln(qty="10")], payment_terms=[{"percent": "30", "days": 0}, {"percent": "70", "days": 45}]),
           {"due_dates": [{"date": "2022-09-16", "amount": "354.00"}, {"date": "2022-10-31", "amount": "826.00"}]},
           f"{QSPEC_REF}: 30% on the invoice date, 70% 45 days after (16 Sep 2022 + 45 = 31 Oct); of 1180.00")
    s.hand_error(A, "hsn_of_five_digits_refused", op, inv(lines=[ln(hsn="61149")]), "INVALID_HSN", "invoice.lines[0].hsn",
                 f"{SPEC}, Identifiers: HSN/SAC digits only, length 4, 6 or 8")
    s.hand_error(A, "hsn_with_letters_refused", op, inv(lines=[ln(hsn="6114AB90")]), "INVALID_HSN", "invoice.lines[0].hsn",
                 f"{SPEC}, Identifiers: HSN/SAC digits only")
    s.hand(A, "sac_line_is_service", op, inv(lines=[ln("Consulting", "998311", "1", "5000.00", uqc="")]),
           {"lines": [{"is_service": True, "cgst": "450.00"}]}, f"{SPEC}, Identifiers: services (SAC) start with 99")
    s.hand(A, "financial_year_of_invoice", op, inv(date="2027-03-31", number="INV/26-27/00099", lines=[ln(qty="1")]),
           {"financial_year": "26-27"}, f"{SPEC}, Numbering: financial year April–March")
    E = "einvoice"
    s.hand(E, "unit_price_three_decimals", "einvoice",
           inv(lines=[ln(qty="8", price="10.125")], settings={"round_off": False}),
           {"einvoice": {"ItemList": [{"Qty": 8, "UnitPrice": 10.125, "TotAmt": 81, "AssAmt": 81, "CgstAmt": 7.29,
                                       "SgstAmt": 7.29, "TotItemVal": 95.58}]}},
           f"{SPEC}, E-invoice JSON: amounts with at most 2 decimals (3 for quantity and unit price): 8 × 10.125 = 81.00, 9% = 7.29")
    s.hand(E, "service_and_goods_intra", "einvoice",
           inv(lines=[ln(qty="10"), ln("Installation", "998719", "1", "500.00", uqc="")]),
           {"einvoice": {"ItemList": [{"SlNo": "1", "IsServc": "N"}, {"SlNo": "2", "IsServc": "Y", "AssAmt": 500}],
                         "ValDtls": {"AssVal": 1500, "CgstVal": 135, "SgstVal": 135, "TotInvVal": 1770}}},
           f"{SPEC}, E-invoice JSON: IsServc Y when the HSN starts with 99; header totals are the sums of the items")
    s.gen(E, "validate_short_legal_name", "einvoice_validate",
          {"einvoice": dict(run_einvoice(s, inv()), SellerDtls=dict(run_einvoice(s, inv())["SellerDtls"], LglNm="AB"))})
    s.gen(E, "lowercase_number_in_payload", "einvoice", inv(number="inv/22-23/1"))
    G = "gstin"
    s.hand(G, "legacy_code_accepted_for_old_date", "gstin", {"gstin": gstin("25AAGCB7383J1Z"), "as_of": "2019-01-01"},
           {"state_code": "25", "state_name": "Daman & Diu"},
           f"{SPEC}, Identifiers: legacy 25 (Daman & Diu) appears on old GSTINs; accept it for old dates")
    s.hand(G, "tds_registration_kind", "gstin", {"gstin": gstin("07AAAGM0289C1D")},
           {"state_code": "07", "state_name": "Delhi", "registration_kind": "D", "pan": "AAAGM0289C"},
           f"{SPEC}, Identifiers: the 14th character D for TDS registrations")
    N = "numbering"
    s.hand_error(N, "bad_character_refused", "number", {"template": "INV_{fy}_{seq:03}", "date": "2026-11-26", "seq": 1},
                 "INVALID_DOCUMENT_NUMBER", None, f"{SPEC}, Numbering: only A–Z a–z 0–9 / - allowed")
    s.hand(N, "sixteen_characters_allowed", "number", {"template": "INV/{fy}/{seq:06}", "date": "2026-11-26", "seq": 123},
           {"number": "INV/26-27/000123"}, f"{SPEC}, Numbering: at most 16 characters (INV/26-27/000123 has 16)")
    W = "words"
    s.hand(W, "inr_with_paise_only_tens", "words", {"amount": "1001.05"},
           {"words": "Rupees One Thousand One and Five Paise Only", "formatted": "1,001.05"},
           f"{SPEC}, Documents: amount in words, Indian system")
    s.hand(W, "inr_lakh_boundary", "words", {"amount": "99999.99"},
           {"words": "Rupees Ninety Nine Thousand Nine Hundred Ninety Nine and Ninety Nine Paise Only",
            "formatted": "99,999.99"}, f"{SPEC}, Documents: amount in words; Indian digit grouping")


QSPEC_REF = "spec gst-invoicing.md, Documents (payment terms) and quotes-approvals-credit.md, Credit and payment terms"


def paths(s):
    """Field paths of errors, rooted at the operation's input document."""
    s.hand_error("gst", "error_field_rooted_at_input_document", "invoice", inv(lines=[ln(uqc="PIECES")]),
                 "INVALID_UQC", "invoice.lines[0].uqc",
                 "spec bindings.md, Common rules: errors carry the field; the host API's field paths name the input "
                 "document's fields (parse errors of the same call say invoice.lines[0].quantity)")


def more_notes(s):
    A = "notes"
    cess_orig = [{"hsn": "22021010", "gst_rate": "28", "taxable_value": "5000.00", "cess": {"ad_valorem": "12"}}]
    s.hand(A, "credit_note_2026_keeps_original_cess", "credit_note",
           note_doc("credit_note", [ln("Aerated water returned", "22021010", "20", "50.00", uqc="BTL", original_line=0)],
                    cess_orig, date="2026-02-10", number="CN/25-26/0009", orig_date="2025-06-02"),
           {"totals": {"taxable_value": "1000.00", "cgst": "140.00", "sgst": "140.00", "cess": "120.00",
                       "grand_total": "1400.00"}},
           f"{SPEC}, Rates, by date: a credit note in 2026 against a 2025 invoice uses the original invoice's rates and cess (28% + 12%)")
    s.hand(A, "credit_note_inter_state_igst", "credit_note",
           note_doc("credit_note", [ln("Returned goods", qty="2", price="100.00", original_line=0)],
                    [{"hsn": "61149090", "gst_rate": "18", "taxable_value": "1000.00"}], number="CN/22-23/0003",
                    buyer=BUYER_INTER),
           {"kind": "credit_note", "totals": {"taxable_value": "200.00", "igst": "36.00", "grand_total": "236.00"}},
           f"{SPEC}, Documents: credit note for returns; inter-state → IGST 18% of 200.00")
    s.hand(A, "credit_note_exactly_remaining_allowed", "credit_note",
           note_doc("credit_note", [ln(qty="1", price="50.00", original_line=0)], [dict(ORIG[0], already_credited="50.00")],
                    number="CN/22-23/0004"),
           {"totals": {"taxable_value": "50.00", "cgst": "3.00", "sgst": "3.00", "grand_total": "56.00"}},
           f"{SPEC}, Invariants: a credit note may take what remains creditable (100.00 − 50.00 = 50.00)")
    s.hand(A, "debit_note_union_territory", "debit_note",
           note_doc("debit_note", [ln("Rate correction", qty="1", price="100.00", original_line=0)],
                    [{"hsn": "61149090", "gst_rate": "18", "taxable_value": "1000.00"}], number="DN/22-23/0003",
                    seller=party("Chandigarh Seller", UT_SELLER, "04", "160001"),
                    buyer=party("Chandigarh Buyer", UT_BUYER, "04", "160002")),
           {"kind": "debit_note", "regime": {"heads": "cgst_utgst"},
            "totals": {"cgst": "9.00", "sgst": "9.00", "grand_total": "118.00"}},
           f"{SPEC}, Documents: debit note; 04 Chandigarh → CGST + UTGST")
    s.gen(A, "debit_note_value_only", "debit_note",
          note_doc("debit_note", [ln("Freight short-billed", qty="0", price="0", amount="250.00", original_line=0)],
                   [{"hsn": "61149090", "gst_rate": "18", "taxable_value": "1000.00"}], number="DN/22-23/0004"))
    s.gen_error(A, "debit_note_without_original_is_refused", "debit_note",
                inv(document_type="debit_note", number="DN/22-23/0005", lines=[ln(qty="1", price="15.20")]))


def more_charges(s):
    A = "gst"
    s.hand(A, "charge_remainder_to_last_line", "invoice",
           inv(lines=[ln(qty="1", price="100.00") for _ in range(3)], charges=[{"description": "Packing", "amount": "100.00"}],
               settings={"round_off": False}),
           {"lines": [{"charges": "33.33"}, {"charges": "33.33"}, {"charges": "33.34"}],
            "totals": {"charges_in_value": "100.00", "taxable_value": "400.00"}},
           f"{SPEC}, Computing an invoice's tax: charges spread over goods lines in proportion to taxable values, remainder to the last line")
