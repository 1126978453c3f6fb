// Paths and data shared by the tests.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const here = dirname(fileURLToPath(import.meta.url))
export const pkgDir = join(here, '..')
export const repoDir = join(pkgDir, '..')
export const require = createRequire(import.meta.url)
/** The package, loaded as a user would (`require('b2b-oms')`). */
export const api = require(pkgDir)
/** The demo dataset of examples/data. */
export const dataset = JSON.parse(readFileSync(join(repoDir, 'examples', 'data', 'dataset.json'), 'utf8'))
export const customer = (id) => dataset.customers.find((c) => c.id === id)
