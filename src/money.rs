//! Money as invoices count it: every amount that is compared or summed is
//! first rounded to its currency's minor unit (the cent, or none for the yen),
//! half away from zero, from the decimal it was written as. Amounts travel as
//! JSON numbers (f64); here they become whole minor units (`i64`), so that
//! 5,555.55 USD at 0.9 is 5,000.00 EUR (not 4,999.994999… EUR), and a budget's
//! sum does not depend on the order it is added in.
//!
//! Integer minor units rather than a decimal crate: the few operations the
//! rules need (a product of decimals, rounded once; sums) are these, and the
//! module's download is over its budget already.

/// Digits after the decimal point of a currency's minor unit (ISO 4217).
pub fn digits(currency: &str) -> u32 {
    match currency {
        "BIF" | "CLP" | "DJF" | "GNF" | "ISK" | "JPY" | "KMF" | "KRW" | "PYG" | "RWF" | "UGX" | "UYI"
        | "VND" | "VUV" | "XAF" | "XOF" | "XPF" => 0,
        "BHD" | "IQD" | "JOD" | "KWD" | "LYD" | "OMR" | "TND" => 3,
        _ => 2,
    }
}

/// A number as the shortest decimal that reads back as it: mantissa and
/// digits after the point (5555.55 → (555555, 2)). None for what is not
/// finite or needs more than 36 digits.
fn decimal(x: f64) -> Option<(i128, u32)> {
    if !x.is_finite() {
        return None;
    }
    // Amounts and rates have a few decimals: found without formatting (the
    // sandbox converts every registration on every run). The first scale at
    // which the number is whole and reads back as itself is the shortest.
    let mut scale = 1.0;
    for places in 0..=9u32 {
        let m = x * scale;
        if m.abs() < 9.0e15 && m == m.trunc() && m / scale == x {
            return Some((m as i128, places));
        }
        scale *= 10.0;
    }
    // Rust prints the shortest round-trip form, never with an exponent.
    let text = x.to_string();
    let (whole, frac) = text.split_once('.').unwrap_or((&text, ""));
    if whole.len() + frac.len() > 37 {
        return None;
    }
    let mantissa: i128 = format!("{whole}{frac}").parse().ok()?;
    Some((mantissa, u32::try_from(frac.len()).ok()?))
}

/// `mantissa × 10^-scale` rounded to `digits` places, half away from zero.
fn round_scaled(mantissa: i128, scale: u32, digits: u32) -> Option<i64> {
    let units = if scale <= digits {
        mantissa.checked_mul(10i128.checked_pow(digits - scale)?)?
    } else {
        let div = 10i128.checked_pow(scale - digits)?;
        let (q, r) = (mantissa / div, mantissa % div);
        // Half away from zero: |r| ≥ div / 2 moves away from zero.
        if r.abs() * 2 >= div {
            q + mantissa.signum()
        } else {
            q
        }
    };
    i64::try_from(units).ok()
}

/// The exact product of `factors` over 10^`shift`, as mantissa and scale.
fn exact_product(factors: &[f64], shift: u32) -> Option<(i128, u32)> {
    factors.iter().try_fold((1i128, shift), |(m, s), &f| {
        let (fm, fs) = decimal(f)?;
        Some((m.checked_mul(fm)?, s.checked_add(fs)?))
    })
}

/// The sum of products, each of `factors` (taken as the decimals they were
/// written as) over 10^`shift`, in minor units of `currency`, rounded once at
/// the end. Falls back to floating point past 36 digits.
pub fn sum_of_products(terms: &[(&[f64], u32)], currency: &str) -> i64 {
    let digits = digits(currency);
    // Floating point is off by a few parts in 10^16: away from a half unit it
    // rounds the same as the exact decimals, and much faster (the sandbox
    // prices every registration on every run). Near one, the exact path.
    let x = terms.iter().map(|(f, shift)| f.iter().product::<f64>() / 10f64.powi(*shift as i32)).sum::<f64>()
        * 10f64.powi(digits as i32);
    if x.is_finite() && x.abs() < 9.0e15 && ((x - x.floor()) - 0.5).abs() > x.abs() * 1e-13 + 1e-9 {
        return x.round() as i64;
    }
    // Past 36 digits, floating point is all there is.
    exact(terms, digits).unwrap_or(x.round() as i64)
}

/// The sum of products from the decimals, rounded once; None past 36 digits.
fn exact(terms: &[(&[f64], u32)], digits: u32) -> Option<i64> {
    let (m, s) = terms.iter().try_fold((0i128, 0u32), |(m, s), (factors, shift)| {
        let (tm, ts) = exact_product(factors, *shift)?;
        // At the finer of the two scales.
        let scale = s.max(ts);
        let a = m.checked_mul(10i128.checked_pow(scale - s)?)?;
        let b = tm.checked_mul(10i128.checked_pow(scale - ts)?)?;
        Some((a.checked_add(b)?, scale))
    })?;
    round_scaled(m, s, digits)
}

/// The product of `factors` over 10^`shift` in minor units of `currency`,
/// rounded once (see [`sum_of_products`]).
pub fn product(factors: &[f64], shift: u32, currency: &str) -> i64 {
    sum_of_products(&[(factors, shift)], currency)
}

/// An amount in minor units of its currency.
pub fn minor(amount: f64, currency: &str) -> i64 {
    product(&[amount], 0, currency)
}

/// Minor units back as an amount.
pub fn amount(minor: i64, currency: &str) -> f64 {
    // Exact for any amount under 2^53 minor units, as every amount here is.
    minor as f64 / 10f64.powi(digits(currency) as i32)
}

/// An amount rounded to its currency's minor unit.
pub fn round(value: f64, currency: &str) -> f64 {
    amount(minor(value, currency), currency)
}

/// The sum of amounts, each rounded to the minor unit first: the same in any order.
pub fn sum(amounts: impl IntoIterator<Item = f64>, currency: &str) -> i64 {
    amounts.into_iter().map(|a| minor(a, currency)).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_conversion_rounds_the_exact_product_half_away_from_zero() {
        // 5555.55 × 0.9 = 4999.995 exactly: 5,000.00 to the cent, though the
        // product compared unrounded is under 5,000.
        assert!(std::hint::black_box(5555.55) * 0.9 < 5000.0);
        assert_eq!(product(&[5555.55, 0.9], 0, "EUR"), 500_000);
        assert_eq!(product(&[5555.54, 0.9], 0, "EUR"), 499_999);
        assert_eq!(product(&[-5555.55, 0.9], 0, "EUR"), -500_000);
        assert_eq!(product(&[16666.67, 1.2], 0, "EUR"), 2_000_000);
        // A rebate: 2% of 19,999.75 is 399.995, so 400.00.
        assert_eq!(product(&[19999.75, 2.0], 2, "EUR"), 40_000);
        assert_eq!(product(&[1000.0, 0.5], 0, "JPY"), 500);
        assert_eq!(product(&[1.0005], 0, "KWD"), 1001);
        assert_eq!(minor(0.1 + 0.2, "EUR"), 30);
        // (400.01 + 100.01) × 0.5 = 250.01 exactly; rounding each half first would give 250.02.
        assert_eq!(sum_of_products(&[(&[20000.5, 2.0, 0.5], 2), (&[100.01, 0.5], 0)], "EUR"), 25_001);
    }

    /// The quick floating-point answer is the exact one, ties included.
    #[test]
    fn the_quick_path_agrees_with_the_exact_one() {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = |n: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % n
        };
        for _ in 0..200_000 {
            let value = next(10_000_000_000) as f64 / 100.0; // up to 100 million, in cents
            let rate = next(300_000) as f64 / 10_000.0; // up to 30, four places
            let percent = next(2_000) as f64 / 100.0;
            let share = [1.0, 0.5, 0.25, 0.333][next(4) as usize];
            for terms in [
                vec![(&[value, rate][..], 0)],
                vec![(&[value, percent, share][..], 2), (&[rate, share][..], 0)],
            ] {
                assert_eq!(sum_of_products(&terms, "EUR"), exact(&terms, 2).unwrap(), "{terms:?}");
            }
        }
    }

    #[test]
    fn sums_are_the_same_in_any_order() {
        let incentives = [916.86, 2399.78, 2494.89, 1690.94, 1597.53];
        // Added as floats they pass 9,100 by a hair.
        assert!(incentives.iter().sum::<f64>() > 9100.0);
        assert_eq!(sum(incentives, "EUR"), 910_000);
        assert_eq!(sum(incentives.iter().rev().copied(), "EUR"), 910_000);
        assert_eq!(amount(910_000, "EUR"), 9100.0);
        assert_eq!(round(4999.995, "EUR"), 5000.0);
    }

    #[test]
    fn what_cannot_be_exact_still_rounds() {
        assert_eq!(product(&[1e300, 1e10], 0, "EUR"), i64::MAX);
        assert_eq!(minor(f64::NAN, "EUR"), 0);
    }
}
