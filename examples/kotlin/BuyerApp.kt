// The buyer app's offline journey on the demo dataset, with the b2b-oms mobile binding:
// load the price-book snapshot of the distributor Shree Ganesh Distributors (CUST-SGD), price the
// cart, fix the below-MOQ line from the suggestion, show the waterfall, and build the quote
// request. The numbers are the Rust demo's (`cargo run -p b2b-oms-cli -- demo`, section 2).
//
// Run (after bindings-mobile/scripts/test.sh has built everything):
//   java -Djna.library.path=target/debug -cp bindings-mobile/build/apps.jar:bindings-mobile/build/tests.jar:… \
//     app.b2boms.example.BuyerAppKt examples/data/dataset.json
package app.b2boms.example

import app.b2boms.*
import app.b2boms.support.Dataset
import app.b2boms.support.Json
import java.math.BigDecimal
import java.math.RoundingMode

/** Indian digit grouping with two decimals: 276059.14 → ₹2,76,059.14. */
fun inr(amount: BigDecimal): String {
    val text = amount.setScale(2, RoundingMode.HALF_UP).abs().toPlainString()
    val (int, frac) = text.split('.')
    val last3 = int.takeLast(3)
    var rest = int.dropLast(3)
    val groups = ArrayList<String>()
    while (rest.length > 2) { groups.add(0, rest.takeLast(2)); rest = rest.dropLast(2) }
    if (rest.isNotEmpty()) groups.add(0, rest)
    groups.add(last3)
    return (if (amount.signum() < 0) "-" else "") + "₹" + groups.joinToString(",") + "." + frac
}

fun printCart(c: PricedCart) {
    for (l in c.lines) {
        val free = if (l.kind is LineKind.Free) "  free" else ""
        println("  %-4s %-14s %6s %-4s at %12s/%s = %14s%s".format(
            if (l.kind is LineKind.Free) "+" else (l.lineId ?: ""), l.sku, l.quantity.toPlainString(), l.unit, inr(l.netUnitPrice), l.unit, inr(l.amount), free))
    }
    for (p in c.errors) {
        println("  ! line ${p.lineId} ${p.sku}: ${p.code} at ${p.field}: ${p.message}")
    }
    println("  Subtotal                 %14s".format(inr(c.subtotal)))
    for (d in c.orderDiscounts) println("  %-24s %14s".format("${d.ruleId} (${d.description})", "-" + inr(d.amount)))
    c.shipping?.let { println("  Shipping ${it.ruleId} to state ${it.destinationState}: ${inr(it.amount)}") }
    println("  Total before tax         %14s".format(inr(c.totalBeforeTax)))
}

fun main(args: Array<String>) {
    val data = Dataset(args.firstOrNull() ?: "examples/data/dataset.json")
    val customerId = "CUST-SGD"

    // 1. The snapshot arrives (catalog + price book + the customer record): compile it once.
    val t0 = System.nanoTime()
    Snapshot(data.catalogJson, data.priceBookJson, data.customerJson(customerId)).use { snapshot ->
        val ms = (System.nanoTime() - t0) / 1e6
        println("Snapshot for ${snapshot.customerId()}: ${snapshot.skuCount()} skus, compiled in %.1f ms".format(ms))

        // 2. The cart the buyer filled (the dataset's order of the distributor).
        val request = data.request(customerId)
        val cart = Json.arr(request["lines"]).map { Json.obj(it) }.map {
            CartLine(
                lineId = it["line_id"] as String?, sku = it["sku"] as String,
                quantity = BigDecimal(it["quantity"] as String), unit = it["unit"] as String?, targetPrice = null,
            )
        }
        val options = PriceOptions(
            orderId = request["order_id"] as String, currency = request["currency"] as String,
            channel = Channel.valueOf((request["channel"] as String).uppercase()),
            pricedAt = request["priced_at"] as String, shipToState = null, explain = ExplainLevel.FULL,
        )
        println("\nCart ${options.orderId} priced offline:")
        val priced = snapshot.priceCart(cart, options)
        printCart(priced)

        // 3. As the buyer types: the below-MOQ line, fixed from the suggestion (in base units);
        //    a sku the customer cannot buy is dropped.
        println("\nFixing the cart:")
        val fixed = cart.mapNotNull { line ->
            val problem = priced.errors.firstOrNull { it.lineId == line.lineId }
            when {
                problem == null -> line
                problem.suggested != null -> {
                    val check = snapshot.checkQuantity(line.sku, problem.suggested!!, null, options)
                    println("  line ${line.lineId} ${line.sku}: ${problem.code}, ${line.quantity.toPlainString()} → " +
                        "${problem.suggested!!.toPlainString()} ${check.baseUnit} (check: ${if (check.ok) "ok" else check.code})")
                    line.copy(quantity = problem.suggested!!, unit = null)
                }
                else -> { println("  line ${line.lineId} ${line.sku}: ${problem.code}, removed"); null }
            }
        }
        val repriced = snapshot.priceCart(fixed, options)
        printCart(repriced)

        // 4. The waterfall of the first line, as the app shows it.
        val first = repriced.lines.first()
        println("\nWaterfall of line ${first.lineId} ${first.sku} (per ${first.baseUnit}):")
        first.basePrice?.let { println("  base %s from list %s".format(it.pricePerBaseUnit.toPlainString(), it.listId)) }
        for (s in first.adjustments) {
            println("  %-16s %-22s %s → %s".format(s.ruleId, s.description, s.priceBefore.toPlainString(), s.priceAfter.toPlainString()))
        }
        println("  net %s per %s, %s per %s".format(first.netPricePerBaseUnit.toPlainString(), first.baseUnit, inr(first.netUnitPrice), first.unit))

        // 5. The quote request, built on the device with the GST estimate by ship-to state.
        val terms = """{"payment_terms": {"id": "30-70", "name": "30% advance, balance 30 days after invoice", "instalments": [{"share": {"type": "percent", "percent": "30"}, "basis": "order_date", "days": 0}, {"share": {"type": "balance"}, "basis": "invoice_date", "days": 30}]}, "delivery_terms": "door delivery, freight included", "lead_time_days": 7, "conditions": ["prices in INR, GST extra"]}"""
        val draft = snapshot.buildQuote(fixed, options, QuoteOptions(
            quoteId = "Q-APP-0187", requestId = "RFQ-APP-0187", termsJson = terms,
            settingsJson = null, validUntil = null, buyerNotes = "Quarterly stock for our Karnataka dealers",
        ))
        println("\nQuote request ${draft.quoteId} rev ${draft.revision}: ${draft.lines.size} line(s), valid until ${draft.validUntil}")
        println("  Total before tax %14s".format(inr(draft.totals.totalBeforeTax)))
        val g = draft.gst
        println("  GST estimate     %14s (%s, %s → %s)".format(inr(g.total), if (g.intraState) "CGST + SGST" else "IGST", g.supplierState, g.shipToState))
        println("  Grand total      %14s".format(inr(draft.totals.grandTotal)))
        println("  digest ${draft.digest.take(16)}…; the server seals it when the quote is issued")
    }
}
