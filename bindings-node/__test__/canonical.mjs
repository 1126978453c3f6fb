// The canonical JSON of the conformance suites, written from JS values:
// no whitespace; object keys sorted by code point; strings minimally escaped
// (\" \\ \b \f \n \r \t, other control characters \u00xx lowercase, all else
// raw); integral numbers as integer digits; any other number as a JSON
// string of its shortest decimal digits (String(n)); decimal strings as
// they are ("1234.50" keeps its scale).

function compareCodePoints(a, b) {
  // UTF-16 order equals code-point order unless a surrogate meets a
  // character in U+E000..U+FFFF: compare code points then.
  const ia = a[Symbol.iterator]()
  const ib = b[Symbol.iterator]()
  for (;;) {
    const x = ia.next()
    const y = ib.next()
    if (x.done || y.done) return x.done === y.done ? 0 : x.done ? -1 : 1
    const cx = x.value.codePointAt(0)
    const cy = y.value.codePointAt(0)
    if (cx !== cy) return cx < cy ? -1 : 1
  }
}

function string(s) {
  let out = '"'
  for (const ch of s) {
    const c = ch.codePointAt(0)
    if (ch === '"') out += '\\"'
    else if (ch === '\\') out += '\\\\'
    else if (ch === '\n') out += '\\n'
    else if (ch === '\r') out += '\\r'
    else if (ch === '\t') out += '\\t'
    else if (c === 0x08) out += '\\b'
    else if (c === 0x0c) out += '\\f'
    else if (c < 0x20) out += '\\u' + c.toString(16).padStart(4, '0')
    else out += ch
  }
  return out + '"'
}

function number(n) {
  if (!Number.isFinite(n)) throw new Error(`not a JSON number: ${n}`)
  if (Number.isInteger(n)) return BigInt(n).toString()
  return string(String(n))
}

/** The canonical JSON text of a JS value (as JSON.parse gives, or a binding result). */
export function canonical(value) {
  if (value === null) return 'null'
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false'
    case 'number':
      return number(value)
    case 'string':
      return string(value)
    case 'object': {
      if (Array.isArray(value)) return '[' + value.map(canonical).join(',') + ']'
      const keys = Object.keys(value).filter((k) => value[k] !== undefined).sort(compareCodePoints)
      return '{' + keys.map((k) => string(k) + ':' + canonical(value[k])).join(',') + '}'
    }
    default:
      throw new Error(`not a JSON value: ${typeof value}`)
  }
}

/**
 * The mismatches of `actual` against `expected` under `expected_subset`
 * rules: every key given must be present and match recursively; arrays have
 * the same length and match element-wise; leaves compare by canonical bytes.
 */
export function subsetMismatches(expected, actual, path = '$') {
  if (expected !== null && typeof expected === 'object' && !Array.isArray(expected)) {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) {
      return [`${path}: expected an object, got ${canonical(actual ?? null)}`]
    }
    return Object.keys(expected).flatMap((k) =>
      k in actual ? subsetMismatches(expected[k], actual[k], `${path}.${k}`) : [`${path}.${k}: missing`],
    )
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [`${path}: expected an array, got ${canonical(actual ?? null)}`]
    if (actual.length !== expected.length) return [`${path}: ${actual.length} items, expected ${expected.length}`]
    return expected.flatMap((e, i) => subsetMismatches(e, actual[i], `${path}[${i}]`))
  }
  const a = canonical(actual === undefined ? null : actual)
  const e = canonical(expected)
  return a === e ? [] : [`${path}: ${a} != ${e}`]
}
