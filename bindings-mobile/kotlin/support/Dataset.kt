// The demo dataset (examples/data/dataset.json) as the app would receive its snapshot: the
// catalog, the price book and one customer record, each as the JSON text of the library's format.
package app.b2boms.support

import java.io.File

class Dataset(path: String) {
    val doc: Map<String, Any?> = Json.obj(Json.parse(File(path).readText()))

    val catalogJson: String get() = Json.compact(doc["catalog"])
    val priceBookJson: String get() = Json.compact(doc["price_book"])

    fun customer(id: String): Map<String, Any?> =
        Json.arr(doc["customers"]).map { Json.obj(it) }.first { it["id"] == id }

    fun customerJson(id: String): String = Json.compact(customer(id))

    /** The dataset's order request of a customer. */
    fun request(customerId: String): Map<String, Any?> =
        Json.obj(Json.arr(doc["orders"]).map { Json.obj(it) }.first { it["customer_id"] == customerId }["request"])

    companion object {
        fun default(): Dataset = Dataset(System.getProperty("b2b.dataset") ?: "examples/data/dataset.json")
    }
}
