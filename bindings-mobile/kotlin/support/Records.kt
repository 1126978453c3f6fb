// The JSON value of a binding result object (a generated record, enum or sealed class), in the
// library's JSON format, so a suite can write its canonical JSON from the Kotlin objects
// themselves. Field names go back to snake_case; an absent optional is left out, as is an empty
// list (the format skips both) except `lines` and `errors`, which it always writes; tagged
// variants get their tag (`type` or `status`); `explain` is left out at its default `full`. Fields the binding adds for convenience and the
// format does not have (a waterfall step's `description`) are left out.
package app.b2boms.support

import java.lang.reflect.Modifier
import java.math.BigDecimal

object Records {
    private val tagOf = mapOf(
        "Effect" to "type", "SkipReason" to "type", "LineKind" to "type",
        "FloorStatus" to "status", "QuantityStatus" to "status",
    )
    private val alwaysWritten = setOf("lines", "errors")
    private val bindingOnly = mapOf("WaterfallStep" to setOf("description"))
    // Fields whose snake_case name has a digit run the camelCase one cannot show.
    private val renamed = mapOf("cappedAt100" to "capped_at_100")
    // Values the format leaves out (serde `skip_serializing_if`): the default explanation level.
    private val defaultOmitted = mapOf("explain" to "full")

    fun snake(name: String): String {
        val b = StringBuilder()
        name.forEachIndexed { i, c ->
            if (c.isUpperCase()) { if (i > 0) b.append('_'); b.append(c.lowercaseChar()) } else b.append(c)
        }
        return b.toString()
    }

    fun toJson(v: Any?): Any? = when (v) {
        null -> null
        is BigDecimal -> v
        is String, is Boolean -> v
        is Int -> JsonNumber(Integer.toUnsignedString(v))
        is Long -> JsonNumber(java.lang.Long.toUnsignedString(v))
        is UInt -> JsonNumber(v.toString())
        is ULong -> JsonNumber(v.toString())
        is List<*> -> v.map { toJson(it) }
        is Enum<*> -> v.name.lowercase()
        else -> record(v)
    }

    private fun record(v: Any): Map<String, Any?> {
        val cls = v.javaClass
        val out = LinkedHashMap<String, Any?>()
        val parent = cls.superclass?.simpleName
        val tag = parent?.let { tagOf[it] }
        if (tag != null) out[tag] = snake(cls.simpleName)
        val skip = bindingOnly[cls.simpleName] ?: emptySet()
        for (f in cls.declaredFields) {
            if (Modifier.isStatic(f.modifiers) || f.isSynthetic) continue
            val key = renamed[f.name] ?: snake(f.name)
            if (key in skip) continue
            f.isAccessible = true
            val x = f.get(v) ?: continue
            if (x is List<*> && x.isEmpty() && key !in alwaysWritten) continue
            val value = toJson(x)
            if (defaultOmitted[key] == value) continue
            out[key] = value
        }
        return out
    }
}
