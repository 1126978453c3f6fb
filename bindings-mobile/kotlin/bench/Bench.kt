// Figures from Kotlin on the JVM (not a test: tests never assert timings). Reads the snapshots
// written by `cargo run --release -p b2b-oms-mobile --example bench_snapshot -- DIR` and prints:
// snapshot compile time (median of 30 after 10 warm-up runs) and a 50-line cart's pricing time at each explain level
// (median of 3,000 after 1,000 warm-up runs), all through the generated Kotlin API.
package app.b2boms.bench

import app.b2boms.*
import app.b2boms.support.Json
import java.io.File
import java.math.BigDecimal

fun median(v: List<Double>): Double = v.sorted()[v.size / 2]

fun bench(name: String, dir: File) {
    val catalog = File(dir, "catalog.json").readText()
    val book = File(dir, "price_book.json").readText()
    val customer = File(dir, "customer.json").readText()
    val cart = Json.obj(Json.parse(File(dir, "cart.json").readText()))
    val lines = Json.arr(cart["lines"]).map { Json.obj(it) }.map {
        CartLine(lineId = it["line_id"] as String?, sku = it["sku"] as String,
            quantity = BigDecimal(it["quantity"] as String), unit = it["unit"] as String?, targetPrice = null)
    }
    val compiles = (0 until 40).map {
        val t = System.nanoTime()
        Snapshot(catalog, book, customer).close()
        (System.nanoTime() - t) / 1e6
    }.drop(10)
    Snapshot(catalog, book, customer).use { s ->
        val parts = ArrayList<String>()
        for (level in listOf(ExplainLevel.NONE, ExplainLevel.FULL)) {
            val options = PriceOptions(orderId = "BENCH", currency = cart["currency"] as String,
                channel = Channel.valueOf((cart["channel"] as String).uppercase()),
                pricedAt = cart["priced_at"] as String, shipToState = null, explain = level)
            val runs = ArrayList<Double>()
            var priced = 0
            for (i in 0 until 4000) {
                val t = System.nanoTime()
                val r = s.priceCart(lines, options)
                val us = (System.nanoTime() - t) / 1e3
                if (i >= 1000) runs.add(us)
                priced = r.lines.size
            }
            parts.add("explain %s %.1f µs".format(level.name.lowercase(), median(runs)))
            if (level == ExplainLevel.FULL) parts.add("$priced lines priced")
        }
        println("kotlin $name (${s.skuCount()} skus): snapshot compile median %.2f ms; 50-line cart median: %s".format(
            median(compiles), parts.joinToString(", ")))
    }
}

fun main(args: Array<String>) {
    val dir = File(args.firstOrNull() ?: "/tmp/b2b-oms-mobile-bench")
    bench("demo", File(dir, "demo"))
    bench("gen 5000 skus / 2000 rules", File(dir, "gen"))
}
