// Runs every case of the conformance vectors (conformance/*.json at the repo root, or the folder
// in the system property `b2b.conformance`). Cases of `price_order` and `catalog_view` go through
// the typed API (Snapshot.priceCart / Snapshot.catalogView) and their canonical JSON is written
// from the Kotlin result records; every other case, and every error case, goes through `call`,
// and its canonical JSON is written from the parsed Kotlin values. Bytes are compared.
package app.b2boms.test

import app.b2boms.*
import app.b2boms.support.Json
import app.b2boms.support.JsonNumber
import app.b2boms.support.Records
import org.junit.jupiter.api.DynamicTest
import org.junit.jupiter.api.TestFactory
import java.io.File
import java.math.BigDecimal
import kotlin.test.assertEquals
import kotlin.test.assertTrue
import kotlin.test.fail

class ConformanceTest {
    data class Case(val file: String, val name: String, val operation: String, val case: Map<String, Any?>)

    companion object {
        private val typedRuns = java.util.concurrent.atomic.AtomicInteger()
        private val callRuns = java.util.concurrent.atomic.AtomicInteger()

        @JvmStatic
        @org.junit.jupiter.api.AfterAll
        fun summary() {
            println("conformance: ${typedRuns.get()} cases ran through the typed API, ${callRuns.get()} through call")
        }

        fun folder(): File = File(System.getProperty("b2b.conformance") ?: "conformance")

        fun cases(): List<Case> {
            val files = folder().listFiles { f -> f.name.endsWith(".json") }?.sortedBy { it.name } ?: emptyList()
            return files.flatMap { f ->
                val doc = Json.obj(Json.parse(f.readText()))
                Json.arr(doc["cases"]).map {
                    val c = Json.obj(it)
                    Case(f.name, c["name"] as String, c["operation"] as String, c)
                }
            }
        }

        private val requestKeys = setOf("order_id", "currency", "channel", "priced_at", "ship_to_state", "lines", "explain")
        private val lineKeys = setOf("line_id", "sku", "quantity", "unit", "target_price")
        private val viewKeys = setOf("catalog", "price_book", "customer", "currency", "channel", "at", "category")

        fun dec(v: Any?): BigDecimal = when (v) {
            is String -> BigDecimal(v)
            is JsonNumber -> BigDecimal(v.text)
            else -> throw IllegalArgumentException("not a decimal: $v")
        }

        fun channel(v: Any?): Channel = Channel.valueOf((v as String).uppercase())

        fun snapshot(input: Map<String, Any?>): Snapshot =
            Snapshot(Json.compact(input["catalog"]), Json.compact(input["price_book"]), Json.compact(input["customer"]))

        /** The cart and options of a price request, when the typed API can carry all of it. */
        fun typedRequest(request: Map<String, Any?>): Pair<List<CartLine>, PriceOptions>? {
            if (!requestKeys.containsAll(request.keys)) return null
            val lines = Json.arr(request["lines"]).map { Json.obj(it) }
            if (lines.any { !lineKeys.containsAll(it.keys) }) return null
            val cart = lines.map {
                CartLine(
                    lineId = it["line_id"] as String?, sku = it["sku"] as String, quantity = dec(it["quantity"]),
                    unit = it["unit"] as String?, targetPrice = it["target_price"]?.let { t -> dec(t) },
                )
            }
            val options = PriceOptions(
                orderId = request["order_id"] as String?, currency = request["currency"] as String,
                channel = channel(request["channel"]), pricedAt = request["priced_at"] as String,
                shipToState = request["ship_to_state"] as String?,
                explain = (request["explain"] as String?)?.let { ExplainLevel.valueOf(it.uppercase()) } ?: ExplainLevel.FULL,
            )
            return cart to options
        }

        /** The output through the typed API, as a JSON value; null when the case is not typed-shaped. */
        fun typed(operation: String, input: Map<String, Any?>): Any? {
            when (operation) {
                "price_order" -> {
                    val keys = setOf("catalog", "price_book", "customer", "request")
                    if (!keys.containsAll(input.keys)) return null
                    val (cart, options) = typedRequest(Json.obj(input["request"])) ?: return null
                    return snapshot(input).use { Records.toJson(it.priceCart(cart, options)) }
                }
                "catalog_view" -> {
                    if (!viewKeys.containsAll(input.keys)) return null
                    val options = CatalogOptions(
                        currency = input["currency"] as String, channel = channel(input["channel"]),
                        at = input["at"] as String, category = input["category"] as String?,
                    )
                    return snapshot(input).use { Records.toJson(it.catalogView(options)) }
                }
                else -> return null
            }
        }

        /** Every key of `expected` present in `actual` and equal; arrays element-wise; leaves by canonical bytes. */
        fun subset(expected: Any?, actual: Any?, path: String, problems: MutableList<String>) {
            when (expected) {
                is Map<*, *> -> {
                    if (actual !is Map<*, *>) { problems.add("$path: expected an object, got ${Json.canonical(actual)}"); return }
                    for ((k, v) in expected) {
                        if (!actual.containsKey(k)) problems.add("$path.$k: missing")
                        else subset(v, actual[k], "$path.$k", problems)
                    }
                }
                is List<*> -> {
                    if (actual !is List<*> || actual.size != expected.size) {
                        problems.add("$path: expected ${expected.size} elements, got ${(actual as? List<*>)?.size ?: Json.canonical(actual)}")
                        return
                    }
                    expected.forEachIndexed { i, v -> subset(v, actual[i], "$path[$i]", problems) }
                }
                else -> if (Json.canonical(expected) != Json.canonical(actual)) {
                    problems.add("$path: expected ${Json.canonical(expected)}, got ${Json.canonical(actual)}")
                }
            }
        }

        fun check(c: Case) {
            val input = Json.obj(c.case["input"])
            val error = c.case["error"]?.let { Json.obj(it) }
            if (error != null) {
                callRuns.incrementAndGet()
                try {
                    val out = call(c.operation, Json.compact(input))
                    fail("expected error ${error["code"]}, got ${out.take(200)}")
                } catch (e: B2bOmsException) {
                    assertEquals(error["code"], e.errorCode(), "code (${e.message})")
                    // A `field` given must equal the error's field path; `null` means the error has none.
                    if (error.containsKey("field")) {
                        assertEquals(error["field"], e.fieldPath(), "field (${e.message})")
                    }
                }
                return
            }
            val viaTyped = typed(c.operation, input)
            (if (viaTyped != null) typedRuns else callRuns).incrementAndGet()
            val actual = viaTyped ?: Json.parse(call(c.operation, Json.compact(input)))
            if (c.case.containsKey("expected")) {
                val want = Json.canonical(c.case["expected"])
                val got = Json.canonical(actual)
                if (want != got) {
                    val at = want.zip(got).indexOfFirst { (a, b) -> a != b }.let { if (it < 0) minOf(want.length, got.length) else it }
                    fail("canonical JSON differs at byte $at:\n want …${want.substring(maxOf(0, at - 80), minOf(want.length, at + 80))}\n got  …${got.substring(maxOf(0, at - 80), minOf(got.length, at + 80))}")
                }
            } else {
                val problems = mutableListOf<String>()
                subset(c.case["expected_subset"], actual, "$", problems)
                assertTrue(problems.isEmpty(), problems.joinToString("\n"))
            }
        }
    }

    /** A `known_defect` case must still fail: when it passes, the defect is fixed and the mark must go. */
    fun run(c: Case) {
        val defect = c.case["known_defect"] as String? ?: return check(c)
        val failed = try { check(c); false } catch (e: AssertionError) { true } catch (e: B2bOmsException) { true }
        if (!failed) fail("known defect no longer fails (remove the mark): $defect")
        println("known defect, failing as expected: ${c.file}: ${c.name} — $defect")
    }

    @TestFactory
    fun conformance(): List<DynamicTest> {
        val all = cases()
        assertTrue(all.isNotEmpty(), "no conformance case found in ${folder().absolutePath}")
        val typedOps = setOf("price_order", "catalog_view")
        val viaTyped = all.count { it.operation in typedOps && !it.case.containsKey("error") }
        println("conformance: ${all.size} cases in ${folder()}; $viaTyped price_order / catalog_view cases go through the typed API when their input fits it")
        return all.map { c -> DynamicTest.dynamicTest("${c.file}: ${c.name}") { run(c) } }
    }
}
