//! Sorting with one copy of the algorithm for the whole crate. The standard
//! library's sorts are compiled once per element type and comparison, several
//! kilobytes each: the seven kinds the crate sorted cost 9.9 KB of the gzipped
//! wasm module. Here the algorithm sees only positions, through
//! [`Positions`], so each call site adds a comparison and a swap, no more.
//! Prefer these to `sort`/`sort_by` on slices; the one exception is the index's
//! hot integer sorts (`index::sorted_unique`, one copy of the standard sort
//! for all of them), where positions and indirect calls cost too much time.
//!
//! The sort is stable, so it gives exactly the order `sort_by` gives; where
//! the crate used `sort_unstable`, equal elements are equal values (numbers,
//! strings), so the result is the same as well. Up to [`SMALL`] elements it is
//! an insertion sort in place (names, domains and evidence are that short);
//! longer slices get a merge sort of their positions, then each element is
//! swapped into place once.

/// Up to this many elements, insertion sort.
const SMALL: usize = 20;

/// What the algorithm sees of a slice: comparison and swap by position.
trait Positions {
    fn len(&self) -> usize;
    fn less(&mut self, a: usize, b: usize) -> bool;
    fn swap(&mut self, a: usize, b: usize);
}

struct Slice<'a, T, F> {
    items: &'a mut [T],
    less: F,
}

impl<T, F: FnMut(&T, &T) -> bool> Positions for Slice<'_, T, F> {
    fn len(&self) -> usize {
        self.items.len()
    }

    fn less(&mut self, a: usize, b: usize) -> bool {
        (self.less)(&self.items[a], &self.items[b])
    }

    fn swap(&mut self, a: usize, b: usize) {
        self.items.swap(a, b);
    }
}

/// Sorts `items` so that no element comes after one it is `less` than, and
/// equal ones keep their order: what `items.sort_by(...)` does.
pub fn sort_by<T>(items: &mut [T], less: impl FnMut(&T, &T) -> bool) {
    sort_positions(&mut Slice { items, less });
}

/// Sorts `items` ascending: what `items.sort()` does.
pub fn sort<T: Ord>(items: &mut [T]) {
    sort_by(items, |a, b| a < b);
}

fn sort_positions(v: &mut dyn Positions) {
    let n = v.len();
    if n <= SMALL {
        for i in 1..n {
            let mut j = i;
            while j > 0 && v.less(j, j - 1) {
                v.swap(j, j - 1);
                j -= 1;
            }
        }
        return;
    }
    // Bottom-up merge sort of the positions: `order[k]` is the position of the
    // element that belongs at k. Equal elements are taken from the left run first.
    let mut order: Vec<usize> = (0..n).collect();
    let mut merged: Vec<usize> = Vec::with_capacity(n);
    let mut width = 1;
    while width < n {
        merged.clear();
        for start in (0..n).step_by(2 * width) {
            let middle = (start + width).min(n);
            let end = (start + 2 * width).min(n);
            let (mut left, mut right) = (start, middle);
            while left < middle && right < end {
                if v.less(order[right], order[left]) {
                    merged.push(order[right]);
                    right += 1;
                } else {
                    merged.push(order[left]);
                    left += 1;
                }
            }
            merged.extend_from_slice(&order[left..middle]);
            merged.extend_from_slice(&order[right..end]);
        }
        std::mem::swap(&mut order, &mut merged);
        width *= 2;
    }
    // Swap each element into place: `at[k]` is the original position of the
    // element now at k, `slot[p]` where the element from position p is now.
    let mut at: Vec<usize> = (0..n).collect();
    let mut slot = at.clone();
    for (k, &p) in order.iter().enumerate() {
        let s = slot[p];
        if s != k {
            v.swap(k, s);
            let q = at[k];
            at.swap(k, s);
            slot[p] = k;
            slot[q] = s;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator, so failures can be reproduced.
    fn numbers(seed: u64, n: usize, range: u64) -> Vec<u64> {
        let mut x = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
        (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x % range
            })
            .collect()
    }

    #[test]
    fn sorts_as_the_standard_library_does_and_keeps_equal_elements_in_order() {
        for n in [0, 1, 2, 3, 19, 20, 21, 40, 41, 63, 64, 65, 100, 257, 1000, 4099] {
            for (seed, range) in [(1, 3), (2, 10), (3, 1000), (4, u64::MAX)] {
                // Pairs of (key, original position): only the key is compared, so
                // the positions show whether equal keys stayed in order.
                let keyed: Vec<(u64, usize)> =
                    numbers(seed + n as u64, n, range).into_iter().zip(0..).collect();
                let mut ours = keyed.clone();
                sort_by(&mut ours, |a, b| a.0 < b.0);
                let mut std = keyed.clone();
                std.sort_by_key(|p| p.0);
                assert_eq!(ours, std, "n {n}, range {range}");

                let mut ours: Vec<u64> = keyed.iter().map(|p| p.0).collect();
                let mut std = ours.clone();
                sort(&mut ours);
                std.sort_unstable();
                assert_eq!(ours, std, "n {n}, range {range}");
            }
        }
    }

    #[test]
    fn sorts_presorted_and_reversed_input() {
        for n in [5, 20, 21, 500] {
            let mut up: Vec<usize> = (0..n).collect();
            sort(&mut up);
            assert!(up.windows(2).all(|w| w[0] < w[1]));
            let mut down: Vec<usize> = (0..n).rev().collect();
            sort(&mut down);
            assert_eq!(down, up);
        }
        let mut words = vec!["volvo", "ab", "car", "ab", "corporation"];
        sort(&mut words);
        assert_eq!(words, ["ab", "ab", "car", "corporation", "volvo"]);
    }
}
