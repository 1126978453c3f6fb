// The binding's own cases: error mapping per family, BigDecimal precision (no rounding in or
// out), a panic surfacing as the Internal error, quantity checks, the catalog view, quote
// building and digest verification, and the JSON call for every operation.
package app.b2boms.test

import app.b2boms.*
import app.b2boms.support.Dataset
import app.b2boms.support.Json
import org.junit.jupiter.api.Test
import java.math.BigDecimal
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue

class BindingTest {
    private val data = Dataset.default()
    private fun snapshot() = Snapshot(data.catalogJson, data.priceBookJson, data.customerJson("CUST-SGD"))
    private val options = PriceOptions(
        orderId = "CART-1", currency = "INR", channel = Channel.SALES_REP,
        pricedAt = "2026-11-26T11:30:00+05:30", shipToState = null, explain = ExplainLevel.FULL,
    )
    private fun line(sku: String, qty: String, unit: String? = null, target: BigDecimal? = null) =
        CartLine(lineId = null, sku = sku, quantity = BigDecimal(qty), unit = unit, targetPrice = target)

    private val terms = """{"payment_terms": {"id": "NET30", "name": "30 days", "instalments": [{"share": {"type": "balance"}, "basis": "invoice_date", "days": 30}]}, "delivery_terms": "door delivery", "lead_time_days": 7}"""

    @Test
    fun `every family of the code list has its exception class`() {
        val classes = B2bOmsException::class.java.declaredClasses.map { it.simpleName }.toSet()
        val families = errorCodes().map { it.family }.toSet()
        assertEquals(10, families.size, "families: $families")
        for (f in families) {
            val name = f.replaceFirstChar { it.uppercase() }
            assertTrue(name in classes, "family $f has no B2bOmsException.$name (classes: $classes)")
        }
    }

    @Test
    fun `errors come as the family's class with code, field and details`() {
        val input = assertFailsWith<B2bOmsException.Input> { call("price_order", "{not json") }
        assertEquals("INVALID_JSON", input.code)
        assertEquals("input", input.family())
        val unknown = assertFailsWith<B2bOmsException.Input> { call("no_such_op", "{}") }
        assertEquals("UNKNOWN_OPERATION", unknown.code)
        assertEquals("no_such_op", Json.obj(Json.parse(unknown.details))["operation"])
        val tax = assertFailsWith<B2bOmsException.Tax> { call("gstin", """{"gstin": "27AAPFU0939F1ZX"}""") }
        assertEquals("INVALID_GSTIN", tax.code)
        snapshot().use { s ->
            val pricing = assertFailsWith<B2bOmsException.Pricing> {
                s.checkQuantity("NO-SUCH-SKU", BigDecimal("1"), null, options)
            }
            assertEquals("UNKNOWN_SKU", pricing.code)
            assertEquals("lines[0].sku", pricing.field)
            val empty = assertFailsWith<B2bOmsException.Input> { s.priceCart(emptyList(), options) }
            assertEquals("EMPTY_ORDER", empty.code)
            val naive = assertFailsWith<B2bOmsException.Input> {
                s.priceCart(listOf(line("TEE-COT-M", "24")), options.copy(pricedAt = "2026-11-26T11:30:00"))
            }
            assertEquals("NAIVE_DATETIME", naive.code)
            assertEquals("priced_at", naive.field)
        }
        val catalog = assertFailsWith<B2bOmsException.Input> { Snapshot("[{}]", data.priceBookJson, data.customerJson("CUST-SGD")) }
        assertTrue(catalog.field!!.startsWith("catalog"), "field ${catalog.field}")
    }

    @Test
    fun `decimals keep their scale both ways and excess precision is refused`() {
        snapshot().use { s ->
            val priced = s.priceCart(listOf(line("TEE-COT-M", "60", "BOX", BigDecimal("1234.50"))), options)
            val echoed = priced.lines[0].targetPrice!!
            assertEquals(2, echoed.scale())
            assertEquals("1234.50", echoed.toPlainString())
            assertEquals(2, priced.lines[0].amount.scale(), "an amount in paise: ${priced.lines[0].amount}")
            val digits28 = BigDecimal("0.1234567890123456789012345678")
            val p28 = s.priceCart(listOf(line("TEE-COT-M", "60", "BOX", digits28)), options)
            assertEquals(digits28.toPlainString(), p28.lines[0].targetPrice!!.toPlainString())
            val digits29 = BigDecimal("0.12345678901234567890123456789")
            val e = assertFailsWith<B2bOmsException.Input> {
                s.priceCart(listOf(line("TEE-COT-M", "60", "BOX", digits29)), options)
            }
            assertEquals("EXCESS_PRECISION", e.code)
            assertEquals("lines[0].target_price", e.field)
            val q = assertFailsWith<B2bOmsException.Input> { s.priceCart(listOf(line("TEE-COT-M", "1.00000000000000000000000000001")), options) }
            assertEquals("EXCESS_PRECISION", q.code)
            assertEquals("lines[0].quantity", q.field)
            val big = assertFailsWith<B2bOmsException.Input> { s.priceCart(listOf(line("TEE-COT-M", "1E+40")), options) }
            assertEquals("OVERFLOW", big.code)
        }
    }

    @Test
    fun `a panic in the library is the Internal error and the JVM goes on`() {
        if (System.getenv("B2B_OMS_TEST_PANIC") == "1") {
            val e = assertFailsWith<B2bOmsException.Internal> { debugPanicProbe() }
            assertEquals("INTERNAL", e.code)
            assertTrue(e.reason.contains("deliberate test panic"), e.reason)
        } else {
            assertEquals("no panic", debugPanicProbe())
        }
        assertEquals("29", Json.obj(Json.parse(call("gstin", """{"gstin": "29AAGCB7383J1Z4"}""")))["state_code"])
    }

    @Test
    fun `a below-MOQ quantity is reported with a suggestion that passes`() {
        snapshot().use { s ->
            val c = s.checkQuantity("BOLT-HEX-M10", BigDecimal("250"), null, options)
            assertFalse(c.ok)
            assertEquals("BELOW_MOQ", c.code)
            assertEquals(0, BigDecimal("500").compareTo(c.suggested))
            assertEquals(0, BigDecimal("500").compareTo(c.constraints!!.moq))
            val fixed = s.checkQuantity("BOLT-HEX-M10", c.suggested!!, null, options)
            assertTrue(fixed.ok, "$fixed")
            val multiple = s.checkQuantity("TEE-COT-M", BigDecimal("30"), null, options)
            assertFalse(multiple.ok)
            assertEquals("NOT_MULTIPLE", multiple.code)
            assertTrue(s.checkQuantity("TEE-COT-M", multiple.suggested!!, null, options).ok)
        }
    }

    @Test
    fun `the cart prices as the server does, with the waterfall`() {
        snapshot().use { s ->
            val request = data.request("CUST-SGD")
            val (cart, opts) = ConformanceTest.typedRequest(request)!!
            val priced = s.priceCart(cart, opts)
            assertEquals("281693.00", priced.subtotal.toPlainString())
            assertEquals("276059.14", priced.totalBeforeTax.toPlainString())
            val first = priced.lines[0]
            assertEquals(listOf("DIST-APPAREL-5", "TEE-VOLUME-2"), first.adjustments.map { it.ruleId })
            assertEquals("5% off", first.adjustments[0].description)
            assertTrue(first.adjustments[0].effect is Effect.PercentOff)
            val moq = priced.errors.first { it.code == "BELOW_MOQ" }
            assertEquals("BOLT-HEX-M10", moq.sku)
            assertEquals(0, BigDecimal("500").compareTo(moq.suggested))
            // The typed result equals the JSON call's, byte for byte.
            val input = mapOf(
                "catalog" to data.doc["catalog"], "price_book" to data.doc["price_book"],
                "customer" to data.customer("CUST-SGD"), "request" to request,
            )
            assertEquals(
                Json.canonical(Json.parse(call("price_order", Json.compact(input)))),
                Json.canonical(app.b2boms.support.Records.toJson(priced)),
            )
        }
    }

    @Test
    fun `every explain level gives the same prices, with less explanation`() {
        snapshot().use { s ->
            val (cart, opts) = ConformanceTest.typedRequest(data.request("CUST-SGD"))!!
            val full = s.priceCart(cart, opts.copy(explain = ExplainLevel.FULL))
            val summary = s.priceCart(cart, opts.copy(explain = ExplainLevel.SUMMARY))
            val none = s.priceCart(cart, opts.copy(explain = ExplainLevel.NONE))
            for (p in listOf(summary, none)) {
                assertEquals(full.totalBeforeTax, p.totalBeforeTax)
                assertEquals(full.lines.map { it.amount }, p.lines.map { it.amount })
                assertEquals(full.errors.map { it.code }, p.errors.map { it.code })
            }
            assertEquals(ExplainLevel.NONE, none.explain)
            assertTrue(full.lines.any { it.adjustments.isNotEmpty() && it.hints.isNotEmpty() })
            assertTrue(summary.lines.any { it.adjustments.isNotEmpty() } && summary.lines.all { it.hints.isEmpty() })
            assertTrue(none.lines.all { it.adjustments.isEmpty() && it.basePrice == null })
        }
    }

    @Test
    fun `the visible catalog carries prices and constraints`() {
        snapshot().use { s ->
            val view = s.catalogView(CatalogOptions(currency = "INR", channel = Channel.PORTAL, at = "2026-11-26T11:30:00+05:30", category = null))
            assertTrue(view.isNotEmpty())
            assertTrue(view.none { it.sku == "TEE-EXPORT-ORG" }, "a restricted sku is not listed")
            val bolt = view.first { it.sku == "BOLT-HEX-M10" }
            assertEquals(0, BigDecimal("500").compareTo(bolt.constraints.moq))
            assertNotNull(bolt.netUnitPrice)
            assertEquals(29, s.skuCount().toInt())
        }
    }

    @Test
    fun `a quote request is built offline and its digest verifies on the device`() {
        snapshot().use { s ->
            val draft = s.buildQuote(
                listOf(line("TEE-COT-M", "60", "BOX"), line("BOLT-HEX-M10", "250")), options,
                QuoteOptions(quoteId = "Q-APP-1", requestId = "RFQ-APP-1", termsJson = terms, settingsJson = null, validUntil = null, buyerNotes = "for the Mysuru store"),
            )
            assertEquals(1u, draft.revision)
            assertEquals(1, draft.lines.size)
            assertEquals("BELOW_MOQ", draft.unquoted.single().code)
            assertEquals("29", draft.gst.shipToState)
            assertFalse(draft.gst.intraState)
            assertTrue(draft.gst.igst.signum() > 0)
            assertEquals(0, draft.totals.grandTotal.compareTo(draft.totals.totalBeforeTax + draft.totals.gst))
            assertEquals(64, draft.digest.length)
            // A draft is not sealed yet: nothing to verify.
            assertFailsWith<B2bOmsException> { verifyQuoteDigest(draft.quoteJson, null, null) }
            // Sealed (digest only, as the server stores it): intact; an altered price is caught.
            val sealed = withSeal(draft.quoteJson, draft.digest)
            val ok = verifyQuoteDigest(sealed, null, draft.digest)
            assertTrue(ok.intact); assertEquals(true, ok.presentedMatches); assertFalse(ok.hmacVerified)
            assertEquals(draft.digest, ok.recomputedDigest)
            assertEquals(false, verifyQuoteDigest(sealed, null, "0".repeat(64)).presentedMatches)
            val altered = sealed.replace("\"unit_price\":\"${draft.lines[0].unitPrice.toPlainString()}\"", "\"unit_price\":\"1.00\"")
            assertTrue(altered != sealed)
            val bad = verifyQuoteDigest(altered, null, null)
            assertFalse(bad.intact)
            assertNotNull(bad.problem)
            assertTrue(bad.recomputedDigest != bad.storedDigest)
            assertNull(verifyQuoteDigest(sealed, 1u, null).problem)
        }
    }

    @Suppress("UNCHECKED_CAST")
    private fun withSeal(quoteJson: String, digest: String): String {
        val q = Json.obj(Json.parse(quoteJson)).toMutableMap()
        val revs = Json.arr(q["revisions"]).map { Json.obj(it).toMutableMap() }
        revs[0]["seal"] = mapOf("digest" to digest)
        q["revisions"] = revs
        return Json.compact(q)
    }

    @Test
    fun `every operation is reachable through call`() {
        val ops = operations()
        assertTrue(ops.size >= 44, "${ops.size} operations")
        for (op in ops) {
            // An empty document: an output document, or a typed error of a family the operation lists.
            try {
                Json.parse(call(op.name, "{}"))
            } catch (e: B2bOmsException) {
                assertTrue(e.errorCode().isNotEmpty())
                assertTrue(e.family() in op.families, "${op.name}: ${e.family()} not in ${op.families}")
            }
        }
    }
}
