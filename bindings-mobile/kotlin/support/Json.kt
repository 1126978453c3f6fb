// A small JSON reader and the canonical JSON writer of the conformance suites, for the tests,
// the example and the bench (no JSON library is available to a Maven-less build).
//
// Values: null, Boolean, String, JsonNumber (the token's text, exact), List<Any?>, Map<String, Any?>
// (insertion-ordered). Canonical form: no whitespace; object keys sorted by code point; strings
// minimally escaped; a number with an integral value as integer digits, any other number as a
// JSON string of its shortest decimal digits; decimal strings exactly as written.
package app.b2boms.support

import java.math.BigDecimal

/** A JSON number, kept as its exact text. */
data class JsonNumber(val text: String) {
    val value: BigDecimal get() = BigDecimal(text)
}

class JsonParseException(message: String) : Exception(message)

object Json {
    fun parse(text: String): Any? {
        val p = Parser(text)
        p.ws()
        val v = p.value()
        p.ws()
        if (p.i != text.length) throw JsonParseException("trailing text at ${p.i}")
        return v
    }

    private class Parser(val s: String) {
        var i = 0
        fun ws() { while (i < s.length && (s[i] == ' ' || s[i] == '\n' || s[i] == '\r' || s[i] == '\t')) i++ }
        fun fail(what: String): Nothing = throw JsonParseException("$what at $i")
        fun value(): Any? {
            if (i >= s.length) fail("unexpected end")
            return when (val c = s[i]) {
                '{' -> obj()
                '[' -> arr()
                '"' -> str()
                't' -> lit("true", true)
                'f' -> lit("false", false)
                'n' -> lit("null", null)
                else -> if (c == '-' || c in '0'..'9') num() else fail("unexpected '$c'")
            }
        }
        fun lit(word: String, v: Any?): Any? {
            if (!s.startsWith(word, i)) fail("bad literal")
            i += word.length
            return v
        }
        fun obj(): Map<String, Any?> {
            val m = LinkedHashMap<String, Any?>()
            i++; ws()
            if (i < s.length && s[i] == '}') { i++; return m }
            while (true) {
                ws()
                if (i >= s.length || s[i] != '"') fail("expected a key")
                val k = str()
                ws()
                if (i >= s.length || s[i] != ':') fail("expected ':'")
                i++; ws()
                m[k] = value()
                ws()
                if (i >= s.length) fail("unexpected end")
                when (s[i]) {
                    ',' -> i++
                    '}' -> { i++; return m }
                    else -> fail("expected ',' or '}'")
                }
            }
        }
        fun arr(): List<Any?> {
            val l = ArrayList<Any?>()
            i++; ws()
            if (i < s.length && s[i] == ']') { i++; return l }
            while (true) {
                ws()
                l.add(value())
                ws()
                if (i >= s.length) fail("unexpected end")
                when (s[i]) {
                    ',' -> i++
                    ']' -> { i++; return l }
                    else -> fail("expected ',' or ']'")
                }
            }
        }
        fun str(): String {
            val b = StringBuilder()
            i++
            while (true) {
                if (i >= s.length) fail("unterminated string")
                val c = s[i++]
                when {
                    c == '"' -> return b.toString()
                    c == '\\' -> {
                        if (i >= s.length) fail("bad escape")
                        when (val e = s[i++]) {
                            '"' -> b.append('"'); '\\' -> b.append('\\'); '/' -> b.append('/')
                            'b' -> b.append('\b'); 'f' -> b.append('\u000c'); 'n' -> b.append('\n')
                            'r' -> b.append('\r'); 't' -> b.append('\t')
                            'u' -> {
                                if (i + 4 > s.length) fail("bad \\u escape")
                                b.append(s.substring(i, i + 4).toInt(16).toChar()); i += 4
                            }
                            else -> fail("bad escape '$e'")
                        }
                    }
                    c < ' ' -> fail("control character in string")
                    else -> b.append(c)
                }
            }
        }
        fun num(): JsonNumber {
            val start = i
            if (s[i] == '-') i++
            while (i < s.length && (s[i].isDigit() || s[i] in ".eE+-")) i++
            val t = s.substring(start, i)
            try { BigDecimal(t) } catch (e: NumberFormatException) { fail("bad number '$t'") }
            return JsonNumber(t)
        }
    }

    /** Compares strings by Unicode code point (not UTF-16 unit). */
    val byCodePoint = Comparator<String> { a, b ->
        var i = 0; var j = 0
        while (i < a.length && j < b.length) {
            val ca = a.codePointAt(i); val cb = b.codePointAt(j)
            if (ca != cb) return@Comparator ca.compareTo(cb)
            i += Character.charCount(ca); j += Character.charCount(cb)
        }
        (a.length - i).compareTo(b.length - j)
    }

    /** The canonical JSON text of a value. */
    fun canonical(v: Any?): String = StringBuilder().also { write(it, v, true) }.toString()

    /** Plain compact JSON (keys in their order, numbers as written): to hand documents to the library. */
    fun compact(v: Any?): String = StringBuilder().also { write(it, v, false) }.toString()

    private fun write(out: StringBuilder, v: Any?, canon: Boolean) {
        when (v) {
            null -> out.append("null")
            is Boolean -> out.append(if (v) "true" else "false")
            is String -> quote(out, v)
            is JsonNumber -> if (canon) number(out, v.value) else out.append(v.text)
            is BigDecimal -> quote(out, v.toPlainString())
            is Int, is Long, is Short, is Byte -> out.append(v.toString())
            is Map<*, *> -> {
                out.append('{')
                val keys = v.keys.map { it as String }.let { if (canon) it.sortedWith(byCodePoint) else it }
                keys.forEachIndexed { n, k ->
                    if (n > 0) out.append(',')
                    quote(out, k); out.append(':'); write(out, v[k], canon)
                }
                out.append('}')
            }
            is List<*> -> {
                out.append('[')
                v.forEachIndexed { n, x -> if (n > 0) out.append(','); write(out, x, canon) }
                out.append(']')
            }
            else -> throw IllegalArgumentException("not a JSON value: ${v::class.java}")
        }
    }

    private fun number(out: StringBuilder, d: BigDecimal) {
        val z = if (d.signum() == 0) BigDecimal.ZERO else d.stripTrailingZeros()
        if (z.scale() <= 0) out.append(z.toBigIntegerExact().toString())
        else quote(out, z.toPlainString())
    }

    private fun quote(out: StringBuilder, s: String) {
        out.append('"')
        for (c in s) {
            when (c) {
                '"' -> out.append("\\\""); '\\' -> out.append("\\\\")
                '\b' -> out.append("\\b"); '\u000c' -> out.append("\\f"); '\n' -> out.append("\\n")
                '\r' -> out.append("\\r"); '\t' -> out.append("\\t")
                else -> if (c < ' ') out.append("\\u%04x".format(c.code)) else out.append(c)
            }
        }
        out.append('"')
    }

    /** Member access on parsed JSON: `Json.at(doc, "catalog")`. */
    @Suppress("UNCHECKED_CAST")
    fun obj(v: Any?): Map<String, Any?> = v as? Map<String, Any?> ?: throw JsonParseException("not an object")

    @Suppress("UNCHECKED_CAST")
    fun arr(v: Any?): List<Any?> = v as? List<Any?> ?: throw JsonParseException("not an array")
}
