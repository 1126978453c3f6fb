//! Set cover over the candidate warehouses: the exact search (iterative
//! deepening) and the greedy cover with its bounded exact refinement.
//!
//! Inputs are a row-major matrix of usable micro-units (one row per active
//! demand group, one column per candidate) and each row's need.

use super::{FRACTION_ONE, REFINE_EXTRA};

/// Every set of the minimum size covering `need` (indices into the
/// candidate columns of `matrix`, row-major per active group), and the
/// number of search nodes visited.
///
/// Iterative deepening on the set size from a lower bound, depth-first over
/// columns in order, pruning a branch as soon as some row cannot be covered
/// by the best remaining picks. Rows where every column holds either nothing
/// or the whole need ("binary" rows, the common case) become column bitmasks:
/// duplicates and supersets of another mask are dropped (covering the smaller
/// one covers them), and checking them is one AND.
pub(crate) fn exact_sets(matrix: &[i128], need: &[i128], n: usize) -> (Vec<Vec<usize>>, u64) {
    let rows = need.len();
    if rows == 0 || n == 0 {
        return (Vec::new(), 0);
    }
    let at = |r: usize, c: usize| matrix.get(r * n + c).copied().unwrap_or(0);
    let use_masks = n <= 32;
    let mut masks: Vec<u32> = Vec::new();
    let mut qrows: Vec<usize> = Vec::new();
    for (r, &nr) in need.iter().enumerate() {
        if nr <= 0 {
            continue;
        }
        let binary = use_masks
            && (0..n).all(|c| {
                let a = at(r, c);
                a <= 0 || a >= nr
            });
        if binary {
            let m = (0..n)
                .filter(|&c| at(r, c) > 0)
                .fold(0u32, |m, c| m | (1u32 << c));
            masks.push(m);
        } else {
            qrows.push(r);
        }
    }
    if masks.contains(&0) || (masks.is_empty() && qrows.is_empty()) {
        return (Vec::new(), 0);
    }
    masks.sort_unstable_by_key(|m| (m.count_ones(), *m));
    masks.dedup();
    let mut minimal: Vec<u32> = Vec::with_capacity(masks.len());
    for m in masks {
        if !minimal.iter().any(|&k| k & !m == 0) {
            minimal.push(m);
        }
    }
    // Quantity rows run in 64 bits when no sum of up to n + 1 of their
    // values can overflow (the common case; same results, sums never
    // saturate there), else in 128 bits with saturation.
    let lim = i128::from(i64::MAX) / (n as i128 + 2);
    let in_range = |v: i128| (0..=lim).contains(&v);
    let narrow = qrows
        .iter()
        .all(|&r| need.get(r).is_some_and(|&v| in_range(v)) && (0..n).all(|c| in_range(at(r, c))));
    if narrow {
        search::<i64>(&minimal, &qrows, need, &at, n)
    } else {
        search::<i128>(&minimal, &qrows, need, &at, n)
    }
}

/// A quantity type for the exact search.
trait Qty: Copy + Ord + Default {
    fn from_wide(v: i128) -> Self;
    fn plus(self, o: Self) -> Self;
    fn minus(self, o: Self) -> Self;
}

impl Qty for i64 {
    fn from_wide(v: i128) -> Self {
        i64::try_from(v).unwrap_or(if v < 0 { i64::MIN } else { i64::MAX })
    }
    // Only used when sums cannot overflow (see `exact_sets`).
    #[inline]
    fn plus(self, o: Self) -> Self {
        self.wrapping_add(o)
    }
    #[inline]
    fn minus(self, o: Self) -> Self {
        self.wrapping_sub(o)
    }
}

impl Qty for i128 {
    fn from_wide(v: i128) -> Self {
        v
    }
    #[inline]
    fn plus(self, o: Self) -> Self {
        self.saturating_add(o)
    }
    #[inline]
    fn minus(self, o: Self) -> Self {
        self.saturating_sub(o)
    }
}

/// The search proper over the minimal masks and the quantity rows `qrows`
/// of `at`. Column-major layouts keep the per-node loops contiguous.
fn search<T: Qty>(
    minimal: &[u32],
    qrows: &[usize],
    need: &[i128],
    at: &dyn Fn(usize, usize) -> i128,
    n: usize,
) -> (Vec<Vec<usize>>, u64) {
    let qr = qrows.len();
    let qneed: Vec<T> = qrows
        .iter()
        .map(|&r| T::from_wide(need.get(r).copied().unwrap_or(0)))
        .collect();
    // cols[c * qr + r]: column c of quantity row r.
    let mut cols: Vec<T> = Vec::with_capacity(n * qr);
    for c in 0..n {
        cols.extend(qrows.iter().map(|&r| T::from_wide(at(r, c))));
    }
    let col = |r: usize, c: usize| cols.get(c * qr + r).copied().unwrap_or_default();
    // best[(i * w + j) * qr + r] = sum of the j largest values of quantity
    // row r among columns i.. : the most j more picks from column i on can
    // add to it.
    let w = n + 1;
    let mut best = vec![T::default(); w * w * qr];
    let mut sorted: Vec<T> = Vec::with_capacity(n);
    for r in 0..qr {
        sorted.clear();
        for i in (0..n).rev() {
            let v = col(r, i);
            let pos = sorted.partition_point(|&x| x >= v);
            sorted.insert(pos, v);
            let mut acc = T::default();
            for (j, x) in sorted.iter().enumerate() {
                acc = acc.plus(*x);
                if let Some(b) = best.get_mut((i * w + j + 1) * qr + r) {
                    *b = acc;
                }
            }
        }
    }
    // Lower bound: the most columns any single quantity row needs (1 if any).
    let mut lower = 1;
    for (r, &nr) in qneed.iter().enumerate() {
        let k = (1..=n)
            .find(|&j| best.get(j * qr + r).copied().unwrap_or_default() >= nr)
            .unwrap_or(n + 1);
        lower = lower.max(k);
    }
    // Pairwise-disjoint masks each need their own column: a lower bound.
    let mut union = 0u32;
    let mut disjoint = 0usize;
    for &m in minimal {
        if m & union == 0 {
            union |= m;
            disjoint += 1;
        }
    }
    lower = lower.max(disjoint);
    let d = Dfs {
        masks: minimal,
        cols: &cols,
        need: &qneed,
        best: &best,
        n,
        qr,
        k: 0,
    };
    let mut nodes = 0u64;
    let mut sums = vec![T::default(); qr];
    for k in lower..=n {
        let mut found = Vec::new();
        let mut chosen = Vec::with_capacity(k);
        sums.iter_mut().for_each(|s| *s = T::default());
        dfs(
            &Dfs { k, ..d },
            0,
            0,
            &mut chosen,
            &mut sums,
            &mut found,
            &mut nodes,
        );
        if !found.is_empty() {
            return (found, nodes);
        }
    }
    (Vec::new(), nodes)
}

struct Dfs<'a, T> {
    masks: &'a [u32],
    cols: &'a [T],
    need: &'a [T],
    best: &'a [T],
    n: usize,
    qr: usize,
    k: usize,
}

impl<T> Clone for Dfs<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for Dfs<'_, T> {}

fn dfs<T: Qty>(
    d: &Dfs<'_, T>,
    start: usize,
    mask: u32,
    chosen: &mut Vec<usize>,
    sums: &mut [T],
    found: &mut Vec<Vec<usize>>,
    nodes: &mut u64,
) {
    *nodes += 1;
    if chosen.len() == d.k {
        if d.masks.iter().all(|&m| m & mask != 0) && sums.iter().zip(d.need).all(|(s, n)| s >= n) {
            found.push(chosen.clone());
        }
        return;
    }
    let left = d.k - chosen.len();
    if d.n < left {
        return;
    }
    let (w, qr) = (d.n + 1, d.qr);
    for i in start..=(d.n - left) {
        // Prune: a binary row with no chosen column and none from i on, or a
        // quantity row the `left` best columns from i on cannot fill (later
        // starts can only do worse, so stop).
        let tail = if i >= 32 { 0 } else { u32::MAX << i };
        let reach = mask | tail;
        let at = (i * w + left) * qr;
        let best = d.best.get(at..at + qr).unwrap_or(&[]);
        let hopeless = d.masks.iter().any(|&m| m & reach == 0)
            || sums
                .iter()
                .zip(d.need)
                .zip(best)
                .any(|((s, n), b)| s < n && s.plus(*b) < *n);
        if hopeless {
            break;
        }
        let col = d.cols.get(i * qr..(i + 1) * qr).unwrap_or(&[]);
        for (s, &a) in sums.iter_mut().zip(col) {
            *s = s.plus(a);
        }
        chosen.push(i);
        let bit = if i < 32 { 1u32 << i } else { 0 };
        dfs(d, i + 1, mask | bit, chosen, sums, found, nodes);
        chosen.pop();
        for (s, &a) in sums.iter_mut().zip(col) {
            *s = s.minus(a);
        }
    }
}

/// ⌊a × [`FRACTION_ONE`] / b⌋ for 0 < a < b, in 64 bits when it fits (the
/// common case; 128-bit division is several times slower), same result.
fn fraction(a: i128, b: i128) -> i128 {
    const LIM: i128 = (i64::MAX as i128) / FRACTION_ONE;
    match (i64::try_from(a), i64::try_from(b)) {
        (Ok(x), Ok(y)) if a <= LIM && y > 0 => {
            // x < LIM, so x × 10^6 fits in i64.
            i128::from(x.saturating_mul(1_000_000) / y)
        }
        _ => a.saturating_mul(FRACTION_ONE) / b.max(1),
    }
}

/// Greedy set cover: repeatedly add the column covering the largest summed
/// fraction of the remaining need (ties: the lower column, i.e. the better
/// in-set rank), then drop columns the others make redundant.
/// Also returns the first round's column scores (coverage of the full need).
pub(crate) fn greedy_set(matrix: &[i128], need: &[i128], n: usize) -> (Vec<usize>, Vec<i128>) {
    let rows = need.len();
    let at = |r: usize, c: usize| matrix.get(r * n + c).copied().unwrap_or(0);
    let mut rem: Vec<i128> = need.to_vec();
    let mut open: Vec<usize> = (0..rows)
        .filter(|&r| rem.get(r).is_some_and(|&x| x > 0))
        .collect();
    let mut set: Vec<usize> = Vec::new();
    let mut scores = vec![0i128; n];
    let mut first: Vec<i128> = vec![0; n];
    while !open.is_empty() {
        // Scores of every column at once, walking the open rows row-major.
        scores.iter_mut().for_each(|x| *x = 0);
        for &r in &open {
            let need_r = rem.get(r).copied().unwrap_or(0);
            let Some(row) = matrix.get(r * n..(r + 1) * n) else {
                continue;
            };
            for (sc, &a) in scores.iter_mut().zip(row) {
                if a <= 0 {
                    continue;
                }
                *sc = sc.saturating_add(if a >= need_r {
                    FRACTION_ONE
                } else {
                    fraction(a, need_r)
                });
            }
        }
        if set.is_empty() {
            first.clone_from(&scores);
        }
        let mut best: Option<(i128, usize)> = None;
        for (c, &score) in scores.iter().enumerate() {
            if score > 0 && !set.contains(&c) && best.is_none_or(|(s, _)| score > s) {
                best = Some((score, c));
            }
        }
        let Some((_, c)) = best else { break };
        set.push(c);
        for &r in &open {
            if let Some(x) = rem.get_mut(r) {
                *x = (*x - at(r, c)).max(0);
            }
        }
        open.retain(|&r| rem.get(r).is_some_and(|&x| x > 0));
    }
    // Remove redundant columns, last added first.
    let covers = |s: &[usize]| {
        (0..rows).all(|r| {
            s.iter().fold(0i128, |a, &c| a.saturating_add(at(r, c)))
                >= need.get(r).copied().unwrap_or(0)
        })
    };
    let mut i = set.len();
    while i > 0 {
        i -= 1;
        let mut trial = set.clone();
        trial.remove(i);
        if covers(&trial) {
            set = trial;
        }
    }
    set.sort_unstable();
    (set, first)
}

/// Improves a greedy cover: an exact search over the greedy set plus the
/// other columns covering the largest summed fraction of the need, `bound`
/// columns in all. Returns every minimum-size cover found (the greedy set
/// among them when it is as small), as column indices, and the nodes visited.
/// Skipped (greedy set alone) when the greedy set already fills the bound.
pub(crate) fn refine_greedy(
    matrix: &[i128],
    need: &[i128],
    n: usize,
    greedy: &[usize],
    first_scores: &[i128],
    bound: usize,
) -> (Vec<Vec<usize>>, u64) {
    if greedy.is_empty() || greedy.len() >= bound {
        return (vec![greedy.to_vec()], 0);
    }
    let at = |r: usize, c: usize| matrix.get(r * n + c).copied().unwrap_or(0);
    let mut others: Vec<(i128, usize)> = (0..n)
        .filter(|c| !greedy.contains(c))
        .map(|c| (first_scores.get(c).copied().unwrap_or(0), c))
        .collect();
    others.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut pool: Vec<usize> = greedy.to_vec();
    pool.extend(
        others
            .iter()
            .map(|o| o.1)
            .take((bound - greedy.len()).min(REFINE_EXTRA)),
    );
    pool.sort_unstable();
    let m = pool.len();
    let mut sub: Vec<i128> = Vec::with_capacity(need.len() * m);
    for r in 0..need.len() {
        sub.extend(pool.iter().map(|&c| at(r, c)));
    }
    let (found, nodes) = exact_sets(&sub, need, m);
    let mapped: Vec<Vec<usize>> = found
        .into_iter()
        .map(|s| s.iter().filter_map(|&i| pool.get(i).copied()).collect())
        .collect();
    match mapped.first() {
        Some(f) if f.len() <= greedy.len() => (mapped, nodes),
        _ => (vec![greedy.to_vec()], nodes),
    }
}
