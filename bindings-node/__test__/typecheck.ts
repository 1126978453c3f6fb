// Compile-time checks of the package's types (tsc --strict, never run):
// decimals are strings, codes are a union TypeScript can switch on, every
// operation is typed with its documents.
import * as oms from '../index.js'
import type { ErrorCode, PricedOrder, Quote, GstinInfo } from '../index.js'

declare const err: unknown
if (err instanceof oms.B2bOmsError) {
  const code: ErrorCode = err.code
  switch (code) {
    case 'BELOW_MOQ':
    case 'INVALID_GSTIN':
      break
    // @ts-expect-error: not a code of the list
    case 'NOT_A_CODE':
      break
  }
  const field: string | null = err.field
  void field
}

declare const priced: PricedOrder
// @ts-expect-error: a decimal is a string, not a number
const n: number = priced.total_before_tax
void n
const s: string = priced.total_before_tax
void s

export function typed(quoteInput: Parameters<typeof oms.quoteBuild>[0]): Quote {
  return oms.quoteBuild(quoteInput)
}
export const info: GstinInfo = oms.gstin({ gstin: '27AAPFU0939F1ZV' })
export const later: Promise<PricedOrder> = oms.priceOrderAsync({} as Parameters<typeof oms.priceOrder>[0])
// @ts-expect-error: a JS number where the schema has a decimal string
oms.words({ amount: 12.5 })
