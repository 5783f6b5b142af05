//! Kubernetes `resource.Quantity`: exact parsing into nano-units, the scheduler's unit conversion
//! (`MilliValue`/`Value`), and the human display of scheduler-unit values.
//! Pure and total: no I/O, no panics on any input; knows nothing about pods or nodes.
//!
//! Mirrors k8s.io/apimachinery/pkg/api/resource/quantity.go (ParseQuantity, parseQuantityString,
//! ScaledValue) and suffix.go (interpret). Where upstream's own behaviour is undefined (values that
//! overflow every integer the scheduler uses) we return a clear error instead of a wrong number.

use std::fmt;

/// Nano-units per unit (the finest scale a parsed Quantity keeps).
const NANO: i128 = 1_000_000_000;
/// Nano-units per milli-unit.
const NANO_PER_MILLI: i128 = 1_000_000;
/// `maxAllowed` in quantity.go: BinarySI values are capped at 2^63-1 units when parsed.
const BINARY_SI_CAP_NANOS: u128 = (i64::MAX as u128) * (NANO as u128);

/// A parsed quantity, held exactly in nano-units (1e-9).
///
/// Upstream keeps anything finer than 1n by rounding the magnitude up to 1n ("if you want some
/// resources, you should get some"), so this representation loses nothing a Quantity keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Amount(pub i128);

impl Amount {
    pub const ZERO: Amount = Amount(0);

    /// The exact value in nano-units.
    pub const fn nanos(self) -> i128 {
        self.0
    }

    /// `Quantity.MilliValue()`: the value in milli-units, rounded away from zero.
    // Mirrors quantity.go ScaledValue (TestNegativeValueRoundsAwayFromZero pins the direction).
    pub fn milli_value(self) -> i128 {
        div_away_from_zero(self.0, NANO_PER_MILLI)
    }

    /// `Quantity.Value()`: the value in whole units, rounded away from zero.
    pub fn value(self) -> i128 {
        div_away_from_zero(self.0, NANO)
    }

    /// The amount a scheduler-unit value stands for (cpu in millicores, everything else whole units).
    pub fn from_scheduler_units(resource: &str, units: i128) -> Amount {
        let per_unit = if resource == CPU {
            NANO_PER_MILLI
        } else {
            NANO
        };
        Amount(units.saturating_mul(per_unit))
    }

    /// Sum that cannot panic; values this large are far outside anything a cluster reports.
    pub fn saturating_add(self, other: Amount) -> Amount {
        Amount(self.0.saturating_add(other.0))
    }

    pub fn saturating_sub(self, other: Amount) -> Amount {
        Amount(self.0.saturating_sub(other.0))
    }
}

const CPU: &str = "cpu";

/// The scheduler's integer view of a quantity: cpu in millicores (`MilliValue`), every other
/// resource in whole units (`Value`).
// Mirrors pkg/scheduler/framework/types.go (Resource.Add: MilliValue for cpu, Value otherwise).
pub fn scheduler_units(resource: &str, amount: Amount) -> i128 {
    if resource == CPU {
        amount.milli_value()
    } else {
        amount.value()
    }
}

fn div_away_from_zero(n: i128, d: i128) -> i128 {
    let q = n / d;
    if n % d == 0 {
        q
    } else if n > 0 {
        q + 1
    } else {
        q - 1
    }
}

/// A string that is not a valid Kubernetes quantity.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("invalid quantity {}: {reason}", Quoted(input))]
pub struct QuantityError {
    pub input: String,
    pub reason: String,
}

/// The input quoted, cut short past 64 characters so a hostile 10,000-digit value stays a one-line message.
struct Quoted<'a>(&'a str);

impl fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const SHOWN: usize = 64;
        match self.0.char_indices().nth(SHOWN) {
            None => write!(f, "{:?}", self.0),
            Some((cut, _)) => write!(
                f,
                "{:?}... ({} characters)",
                &self.0[..cut],
                self.0.chars().count()
            ),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    DecimalSi,
    BinarySi,
    DecimalExponent,
}

/// What the suffix multiplies the number by: `base^exponent`.
#[derive(Debug, Clone, Copy)]
struct Suffix {
    base: u32,
    exponent: i32,
    format: Format,
}

/// The pieces `parseQuantityString` splits a quantity into.
struct Scanned<'a> {
    positive: bool,
    /// Whether the numeric part (sign and number) holds any digit at all.
    value_has_digits: bool,
    /// Numerator without leading zeros; `"0"` when nothing is left.
    num: &'a [u8],
    denom: &'a [u8],
    suffix: &'a [u8],
}

const SUFFIX_CHARS: &[u8] = b"eEinumkKMGTP";

/// Why the scanner rejects its input, in words (upstream says only "must match the regular expression").
fn format_reason(s: &[u8]) -> String {
    if s.iter().any(u8::is_ascii_whitespace) {
        "contains whitespace".to_string()
    } else if !s.is_ascii() {
        "contains a character that is not part of a quantity".to_string()
    } else {
        "expected a number with an optional suffix, e.g. 500m, 1.5, 2Gi, 1e3".to_string()
    }
}

// Mirrors quantity.go (parseQuantityString): the hand-written scanner, not the documented regexp.
// It accepts a digit-less mantissa ("+", "-", ".", "e3", "Ki") as zero, as upstream does.
fn scan(s: &[u8]) -> Result<Scanned<'_>, ()> {
    let end = s.len();
    let mut pos = 0;
    let mut positive = true;
    match s.first() {
        Some(b'-') => {
            positive = false;
            pos += 1;
        }
        Some(b'+') => pos += 1,
        _ => {}
    }

    // Strip leading zeros; a string of only sign and zeros is zero.
    loop {
        if pos >= end {
            return Ok(Scanned {
                positive,
                value_has_digits: true,
                num: b"0",
                denom: b"",
                suffix: b"",
            });
        }
        if s[pos] == b'0' {
            pos += 1;
        } else {
            break;
        }
    }

    let num_start = pos;
    while pos < end && s[pos].is_ascii_digit() {
        pos += 1;
    }
    let mut num = &s[num_start..pos];
    if num.is_empty() {
        num = b"0";
    }
    let mut denom: &[u8] = b"";
    if pos < end && s[pos] == b'.' {
        pos += 1;
        let denom_start = pos;
        while pos < end && s[pos].is_ascii_digit() {
            pos += 1;
        }
        denom = &s[denom_start..pos];
    }
    let value_has_digits = s[..pos].iter().any(u8::is_ascii_digit);

    let suffix_start = pos;
    while pos < end && SUFFIX_CHARS.contains(&s[pos]) {
        pos += 1;
    }
    if pos < end && (s[pos] == b'-' || s[pos] == b'+') {
        pos += 1;
    }
    while pos < end && s[pos].is_ascii_digit() {
        pos += 1;
    }
    if pos < end {
        return Err(());
    }
    Ok(Scanned {
        positive,
        value_has_digits,
        num,
        denom,
        suffix: &s[suffix_start..],
    })
}

// Mirrors suffix.go (fastLookup.interpret / suffixHandler.interpret). The newest upstream rejects a
// decimal exponent outside [-MaxInt32, MaxInt32] instead of truncating it (TestInterpretExponentInt32Bounds).
fn interpret(suffix: &[u8]) -> Result<Suffix, String> {
    let dec = |exponent| {
        Ok(Suffix {
            base: 10,
            exponent,
            format: Format::DecimalSi,
        })
    };
    let bin = |exponent| {
        Ok(Suffix {
            base: 2,
            exponent,
            format: Format::BinarySi,
        })
    };
    match suffix {
        b"" => dec(0),
        b"n" => dec(-9),
        b"u" => dec(-6),
        b"m" => dec(-3),
        b"k" => dec(3),
        b"M" => dec(6),
        b"G" => dec(9),
        b"T" => dec(12),
        b"P" => dec(15),
        b"E" => dec(18),
        b"Ki" => bin(10),
        b"Mi" => bin(20),
        b"Gi" => bin(30),
        b"Ti" => bin(40),
        b"Pi" => bin(50),
        b"Ei" => bin(60),
        [b'e' | b'E', rest @ ..] if !rest.is_empty() => {
            let text = std::str::from_utf8(rest).unwrap_or("");
            let unknown = || format!("unknown suffix {:?}", String::from_utf8_lossy(suffix));
            let exponent: i64 = text.parse().map_err(|_| unknown())?;
            if exponent.unsigned_abs() > i32::MAX as u64 {
                return Err(format!("exponent {exponent} is out of range"));
            }
            Ok(Suffix {
                base: 10,
                exponent: exponent as i32,
                format: Format::DecimalExponent,
            })
        }
        _ => Err(format!(
            "unknown suffix {:?} (expected one of n u m k M G T P E Ki Mi Gi Ti Pi Ei, or an exponent like e3)",
            String::from_utf8_lossy(suffix)
        )),
    }
}

/// Whether ParseQuantity leaves its int64 fast path for the inf.Dec one. Only observable for a
/// digit-less mantissa: inf.Dec cannot read it, so upstream fails with ErrNumeric there.
// Mirrors quantity.go (ParseQuantity: precision / scale checks before the fast path).
fn takes_slow_path(scanned: &Scanned<'_>, suffix: Suffix) -> bool {
    let num_len = scanned.num.len() as i64;
    let denom_len = scanned.denom.len() as i64;
    let (precision, scale) = match suffix.format {
        Format::DecimalSi | Format::DecimalExponent => (
            18 - (num_len + denom_len),
            i64::from(suffix.exponent) - denom_len,
        ),
        Format::BinarySi => {
            if suffix.exponent >= 0 && denom_len == 0 {
                // 1Mi (2^20) has ~6 decimal digits: upstream's exponent*3/10 estimate.
                (
                    15 - num_len - i64::from(suffix.exponent) * 3 / 10 - 1,
                    -denom_len,
                )
            } else {
                (-1, -denom_len)
            }
        }
    };
    if precision < 0 || scale < -9 {
        return true;
    }
    // The fast path also bails out when num*2^exponent overflows int64.
    let digits: Vec<u8> = scanned.num.iter().chain(scanned.denom).copied().collect();
    let value = std::str::from_utf8(&digits)
        .ok()
        .and_then(|d| d.parse::<i64>().ok());
    match (value, suffix.base) {
        (Some(v), 2) => v
            .checked_mul(1i64 << suffix.exponent.clamp(0, 62))
            .is_none(),
        (Some(_), _) => false,
        (None, _) => true,
    }
}

/// Parses a Kubernetes quantity (`500m`, `1.5`, `2Gi`, `1e3`, `-.5Ki`...) exactly.
///
/// Accepts and rejects what upstream `ParseQuantity` does, with one deliberate difference: a
/// value whose magnitude exceeds about 1.7e29 is an error here (upstream keeps it in a big decimal
/// but every integer the scheduler derives from it wraps around).
pub fn parse(s: &str) -> Result<Amount, QuantityError> {
    let err = |reason: String| QuantityError {
        input: s.to_string(),
        reason,
    };
    let bytes = s.as_bytes();
    if bytes.is_empty() {
        return Err(err("empty string".to_string()));
    }
    if s == "0" {
        return Ok(Amount::ZERO);
    }
    let scanned = scan(bytes).map_err(|()| err(format_reason(bytes)))?;
    let suffix = interpret(scanned.suffix).map_err(err)?;
    if !scanned.value_has_digits && takes_slow_path(&scanned, suffix) {
        return Err(err("no digits in the number".to_string()));
    }

    // The exact value is P * 10^E with P a decimal digit string.
    let mut digits: Vec<u8> = scanned
        .num
        .iter()
        .chain(scanned.denom)
        .map(|d| d - b'0')
        .skip_while(|&d| d == 0)
        .collect();
    if digits.is_empty() {
        return Ok(Amount::ZERO);
    }
    let denom_len = scanned.denom.len() as i64;
    let exponent10 = if suffix.base == 2 {
        multiply_digits(&mut digits, 1u64 << suffix.exponent.clamp(0, 63));
        -denom_len
    } else {
        i64::from(suffix.exponent) - denom_len
    };

    let magnitude = match (nanos_rounded_up(&digits, exponent10 + 9), suffix.format) {
        // Mirrors quantity.go (ParseQuantity: "The max is just a simple cap", BinarySI only).
        (None, Format::BinarySi) => BINARY_SI_CAP_NANOS,
        (Some(v), Format::BinarySi) => v.min(BINARY_SI_CAP_NANOS),
        (Some(v), _) => v,
        (None, _) => {
            return Err(err(
                "too large: the magnitude exceeds 1.7e29, far beyond any resource amount"
                    .to_string(),
            ));
        }
    };
    // nanos_rounded_up never returns more than i128::MAX.
    let magnitude = i128::try_from(magnitude).unwrap_or(i128::MAX);
    Ok(Amount(if scanned.positive {
        magnitude
    } else {
        -magnitude
    }))
}

/// Multiplies a big-endian decimal digit vector in place.
fn multiply_digits(digits: &mut Vec<u8>, factor: u64) {
    let mut carry: u128 = 0;
    for d in digits.iter_mut().rev() {
        let v = u128::from(*d) * u128::from(factor) + carry;
        *d = (v % 10) as u8;
        carry = v / 10;
    }
    let mut head = Vec::new();
    while carry > 0 {
        head.push((carry % 10) as u8);
        carry /= 10;
    }
    head.reverse();
    head.append(digits);
    *digits = head;
}

/// `ceil(P * 10^shift)` for a non-empty digit string `P` without leading zeros, or None when the
/// result exceeds i128::MAX.
// Mirrors quantity.go (ParseQuantity: amount.Round(amount, Nano, inf.RoundUp) on the magnitude).
fn nanos_rounded_up(digits: &[u8], shift: i64) -> Option<u128> {
    let len = digits.len() as i64;
    let accumulate = |ds: &[u8]| -> Option<u128> {
        ds.iter().try_fold(0u128, |acc, &d| {
            acc.checked_mul(10)?.checked_add(u128::from(d))
        })
    };
    let value = if shift >= 0 {
        // At least 10^(len-1+shift), which overflows once len+shift exceeds 39 digits.
        if len + shift > 39 {
            return None;
        }
        let base = accumulate(digits)?;
        base.checked_mul(10u128.checked_pow(u32::try_from(shift).ok()?)?)?
    } else {
        let cut = shift.unsigned_abs();
        if cut >= len as u64 {
            // Smaller than one nano-unit but not zero: rounds up to exactly 1n.
            1
        } else {
            let keep = (len as u64 - cut) as usize;
            let quotient = accumulate(&digits[..keep])?;
            let remainder = digits[keep..].iter().any(|&d| d != 0);
            quotient.checked_add(u128::from(remainder))?
        }
    };
    (value <= i128::MAX as u128).then_some(value)
}

impl fmt::Display for Amount {
    /// A plain decimal rendering (`1.5`, `-0.000000001`), for messages and debugging.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let magnitude = self.0.unsigned_abs();
        let whole = magnitude / NANO as u128;
        let frac = magnitude % NANO as u128;
        if frac == 0 {
            write!(f, "{sign}{whole}")
        } else {
            let frac = format!("{frac:09}");
            write!(f, "{sign}{whole}.{}", frac.trim_end_matches('0'))
        }
    }
}

/// Whether a resource is measured in bytes and reads best with binary suffixes.
fn is_byte_resource(resource: &str) -> bool {
    resource == "memory" || resource == "ephemeral-storage" || resource.starts_with("hugepages-")
}

/// Human display of a value in scheduler units: cpu in millicores (`500m`, `1`, `1500m`),
/// byte resources with the largest exact binary suffix (`1Gi`, `512Mi`, `16374624Ki`), else the
/// largest exact decimal one (`100M`), else plain bytes; the rest as plain integers (pods, devices).
pub fn format_resource(resource: &str, units: i128) -> String {
    if resource == CPU {
        return if units % 1000 == 0 {
            (units / 1000).to_string()
        } else {
            format!("{units}m")
        };
    }
    if is_byte_resource(resource) && units != 0 {
        const SUFFIXES: [(&str, u32); 6] = [
            ("Ei", 60),
            ("Pi", 50),
            ("Ti", 40),
            ("Gi", 30),
            ("Mi", 20),
            ("Ki", 10),
        ];
        for (suffix, shift) in SUFFIXES {
            let unit = 1i128 << shift;
            if units % unit == 0 {
                return format!("{}{suffix}", units / unit);
            }
        }
        // Sizes written with decimal suffixes (`100M`, `75M`) read back the way they were written.
        const DECIMAL: [(&str, u32); 6] = [
            ("E", 18),
            ("P", 15),
            ("T", 12),
            ("G", 9),
            ("M", 6),
            ("k", 3),
        ];
        for (suffix, exp) in DECIMAL {
            let unit = 10i128.pow(exp);
            if units % unit == 0 {
                return format!("{}{suffix}", units / unit);
            }
        }
    }
    units.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(nanos: i128) -> Amount {
        Amount(nanos)
    }
    const G: i128 = NANO; // one unit in nanos

    #[test]
    fn parses_like_upstream_quantity_parse_table() {
        // Drawn from quantity_test.go TestQuantityParse (value, not format).
        let cases: &[(&str, &str, Amount)] = &[
            ("zero", "0", n(0)),
            ("zero nano", "0n", n(0)),
            ("zero micro", "0u", n(0)),
            ("zero milli", "0m", n(0)),
            ("zero Ki", "0Ki", n(0)),
            ("zero k", "0k", n(0)),
            ("zero Mi", "0Mi", n(0)),
            ("zero M", "0M", n(0)),
            ("zero Gi", "0Gi", n(0)),
            ("zero G", "0G", n(0)),
            ("zero Ti", "0Ti", n(0)),
            ("zero T", "0T", n(0)),
            ("plain integer", "1", n(G)),
            ("Ki", "1Ki", n(1024 * G)),
            ("8Ki", "8Ki", n(8 * 1024 * G)),
            ("Mi", "7Mi", n(7 * (1 << 20) * G)),
            ("Gi", "6Gi", n(6 * (1 << 30) * G)),
            ("Ti", "5Ti", n(5 * (1 << 40) * G)),
            ("Pi", "4Pi", n(4 * (1 << 50) * G)),
            ("Ei", "3Ei", n(3 * (1 << 60) * G)),
            ("10Ti", "10Ti", n(10 * (1 << 40) * G)),
            ("100Ti", "100Ti", n(100 * (1 << 40) * G)),
            ("nano", "5n", n(5)),
            ("micro", "4u", n(4_000)),
            ("milli", "3m", n(3_000_000)),
            ("unit", "9", n(9 * G)),
            ("kilo", "8k", n(8_000 * G)),
            ("50k", "50k", n(50_000 * G)),
            ("mega", "7M", n(7_000_000 * G)),
            ("giga", "6G", n(6_000_000_000 * G)),
            ("tera", "5T", n(5 * 10i128.pow(12) * G)),
            ("40T", "40T", n(4 * 10i128.pow(13) * G)),
            ("300T", "300T", n(3 * 10i128.pow(14) * G)),
            ("peta", "2P", n(2 * 10i128.pow(15) * G)),
            ("exa suffix, not an exponent", "1E", n(10i128.pow(18) * G)),
            ("exponent E-3", "1E-3", n(1_000_000)),
            ("exponent e3", "1e3", n(1000 * G)),
            ("exponent E6", "1E6", n(10i128.pow(6) * G)),
            ("exponent e9", "1e9", n(10i128.pow(9) * G)),
            ("exponent E12", "1E12", n(10i128.pow(12) * G)),
            ("exponent e15", "1e15", n(10i128.pow(15) * G)),
            ("exponent E18", "1E18", n(10i128.pow(18) * G)),
            ("exponent e14", "1e14", n(10i128.pow(14) * G)),
            ("exponent e13", "1e13", n(10i128.pow(13) * G)),
            ("fraction with k", "100.035k", n(100_035 * G)),
            ("0.001", "0.001", n(1_000_000)),
            ("0.0005k", "0.0005k", n(500_000_000)),
            ("0.005", "0.005", n(5_000_000)),
            ("0.05", "0.05", n(50_000_000)),
            ("0.5", "0.5", n(500_000_000)),
            ("0.00050k", "0.00050k", n(500_000_000)),
            ("0.00500", "0.00500", n(5_000_000)),
            ("0.05000", "0.05000", n(50_000_000)),
            ("0.50000", "0.50000", n(500_000_000)),
            ("0.5e0", "0.5e0", n(500_000_000)),
            ("0.5e-1", "0.5e-1", n(50_000_000)),
            ("0.5e-2", "0.5e-2", n(5_000_000)),
            ("10.035M", "10.035M", n(10_035_000 * G)),
            ("1.2e3", "1.2e3", n(1200 * G)),
            ("exponent with plus sign", "1.3E+6", n(1_300_000 * G)),
            ("1.40e9", "1.40e9", n(1_400_000_000 * G)),
            ("1.53E12", "1.53E12", n(153 * 10i128.pow(10) * G)),
            ("1.6e15", "1.6e15", n(16 * 10i128.pow(14) * G)),
            ("1.7E18", "1.7E18", n(17 * 10i128.pow(17) * G)),
            ("9.01", "9.01", n(9_010_000_000)),
            ("8.1k", "8.1k", n(8_100 * G)),
            ("7.123456M", "7.123456M", n(7_123_456 * G)),
            ("6.987654321G", "6.987654321G", n(6_987_654_321 * G)),
            ("5.444T", "5.444T", n(5444 * 10i128.pow(9) * G)),
            ("40.1T", "40.1T", n(401 * 10i128.pow(11) * G)),
            ("300.2T", "300.2T", n(3002 * 10i128.pow(11) * G)),
            ("2.5P", "2.5P", n(25 * 10i128.pow(14) * G)),
            ("1.01E", "1.01E", n(101 * 10i128.pow(16) * G)),
            ("rounds up sub-nano fraction", "3.001n", n(4)),
            ("rounds up exponent below nano", "1.1E-9", n(2)),
            ("1e-10 rounds to 1n", "0.0000000001", n(1)),
            ("5e-10 rounds to 1n", "0.0000000005", n(1)),
            ("trailing zero sub-nano", "0.00000000050", n(1)),
            ("0.5e-9 rounds to 1n", "0.5e-9", n(1)),
            ("0.9n rounds to 1n", "0.9n", n(1)),
            ("rounds 123.45n up", "0.00000012345", n(124)),
            ("rounds 123.54n up", "0.00000012354", n(124)),
            ("binary cap at 2^63-1", "9Ei", n(i64::MAX as i128 * G)),
            (
                "binary cap for huge Ki",
                "9223372036854775807Ki",
                n(i64::MAX as i128 * G),
            ),
            (
                "8Ei is capped too (#140674)",
                "8Ei",
                n(i64::MAX as i128 * G),
            ),
            ("decimal is not capped", "12E", n(12 * 10i128.pow(18) * G)),
            ("fractional Ki", "100.035Ki", n(102_435_840_000_000)),
            ("fractional Mi", "0.5Mi", n(524_288 * G)),
            ("fractional Gi", "0.05Gi", n(53_687_091_200_000_000)),
            ("fractional Ti", "0.025Ti", n(27_487_790_694_400_000_000)),
            ("tiny Ki rounds up", "0.000000000001Ki", n(2)),
            ("leading dot", ".001", n(1_000_000)),
            ("leading dot with k", ".0001k", n(100_000_000)),
            ("trailing dot", "1.", n(G)),
            ("trailing dot with suffix", "1.G", n(10i128.pow(9) * G)),
            // quantity_subnano_test.go
            ("1e-100 rounds to 1n", "1e-100", n(1)),
            ("huge negative exponent rounds to 1n", "1e-2147483647", n(1)),
            ("15e-10 rounds to 2n", "15e-10", n(2)),
            (
                "long mantissa exactly 1n",
                "1000000000000000000000e-30",
                n(1),
            ),
            (
                "long mantissa just over 1n",
                "1000000000000000000001e-30",
                n(2),
            ),
            (
                "long mantissa just under 1n",
                "999999999999999999999e-30",
                n(1),
            ),
            ("zero with huge exponent", "0e-2147483647", n(0)),
            ("zero fraction with exponent", "0.0e-100", n(0)),
            ("sub-nano Ki", "0.00000000000000000000001Ki", n(1)),
            // Frozen leniency of parseQuantityString: a digit-less mantissa is zero.
            ("bare minus is zero", "-", n(0)),
            ("bare plus is zero", "+", n(0)),
            ("bare dot is zero", ".", n(0)),
            ("bare exponent is zero", "e3", n(0)),
            ("signed bare exponent is zero", "-e3", n(0)),
            ("bare suffix is zero", "Ki", n(0)),
            ("leading zeros", "007", n(7 * G)),
            ("negative zero", "-0", n(0)),
            // Typical cluster values.
            ("node memory in Ki", "16374624Ki", n(16_374_624 * 1024 * G)),
            ("node ephemeral bytes", "93478772582", n(93_478_772_582 * G)),
            ("500m cpu", "500m", n(500_000_000)),
            ("512Mi", "512Mi", n(512 * (1 << 20) * G)),
        ];
        for (name, input, want) in cases {
            assert_eq!(parse(input), Ok(*want), "case {name}: parse({input:?})");
        }
    }

    #[test]
    fn negative_values_round_away_from_zero() {
        // quantity_test.go "Try the negative version of everything" and TestParseQuantitySubNano.
        let cases: &[(&str, &str, i128)] = &[
            ("negative sub-nano", "-3.001n", -4),
            ("negative 1e-100", "-1e-100", -1),
            ("negative 9e-10", "-9e-10", -1),
            ("negative binary cap", "-9Ei", -(i64::MAX as i128) * G),
            ("negative milli", "-1500m", -1_500_000_000),
            ("negative Ki fraction", "-.5Ki", -512 * G),
        ];
        for (name, input, want) in cases {
            assert_eq!(
                parse(input),
                Ok(Amount(*want)),
                "case {name}: parse({input:?})"
            );
        }
    }

    #[test]
    fn explicit_plus_sign_changes_nothing() {
        for input in ["1", "500m", "1.5Gi", "1e3", ".5", "3.001n"] {
            assert_eq!(
                parse(&format!("+{input}")),
                parse(input),
                "case plus prefix of {input}"
            );
        }
    }

    #[test]
    fn rejects_what_upstream_rejects() {
        // quantity_test.go invalid list, plus the format errors its scanner produces.
        let cases: &[(&str, &str, &str)] = &[
            ("empty", "", "empty string"),
            ("two dots", "1.1.M", "expected a number"),
            ("plus inside", "1+1.0M", "expected a number"),
            ("lowercase mi", "0.1mi", "unknown suffix"),
            ("letters after number", "0.1am", "expected a number"),
            ("words", "aoeu", "expected a number"),
            ("bare i with fraction", ".5i", "unknown suffix"),
            ("bare i", "1i", "unknown suffix"),
            ("negative bare i", "-3.01i", "unknown suffix"),
            ("dangling exponent sign", "-3.01e-", "unknown suffix"),
            ("exponent past int32", "1e4294967297", "out of range"),
            ("exponent MinInt32", "1e-2147483648", "out of range"),
            ("exponent MaxInt32+1", "1e2147483648", "out of range"),
            (
                "exponent past int64",
                "1e9223372036854775808",
                "unknown suffix",
            ),
            ("leading space", " 1", "whitespace"),
            ("trailing space", "1 ", "whitespace"),
            ("inner space", "1 Gi", "whitespace"),
            ("tab", "1\t", "whitespace"),
            ("lowercase e alone", "1e", "unknown suffix"),
            ("Kb", "1Kb", "expected a number"),
            ("lowercase ki", "1ki", "unknown suffix"),
            ("uppercase K", "1K", "unknown suffix"),
            ("double suffix", "1mm", "unknown suffix"),
            ("double exponent marker", "1ee3", "unknown suffix"),
            ("exponent then letter", "1e3e", "expected a number"),
            ("double sign", "--1", "unknown suffix"),
            ("unicode micro", "1µ", "not part of a quantity"),
            ("digit-less on the inf.Dec path", ".e-10", "no digits"),
            ("digit-less Pi", "Pi", "no digits"),
            ("digit-less Ei", "-Ei", "no digits"),
            ("decimal overflow", "1e30", "too large"),
            (
                "long decimal overflow",
                "999999999999999999999999999999999999999999",
                "too large",
            ),
            ("huge exponent", "1e2147483647", "too large"),
        ];
        for (name, input, reason) in cases {
            match parse(input) {
                Ok(v) => panic!("case {name}: parse({input:?}) = {v:?}, want error"),
                Err(e) => {
                    assert_eq!(e.input, *input, "case {name}: input echoed");
                    assert!(
                        e.reason.contains(reason),
                        "case {name}: reason {:?} should contain {reason:?}",
                        e.reason
                    );
                }
            }
        }
    }

    #[test]
    fn error_message_names_input_and_reason() {
        let e = parse("1 Gi").unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid quantity \"1 Gi\": contains whitespace"
        );
    }

    #[test]
    fn error_message_cuts_a_huge_input_short() {
        let digits = "9".repeat(10_000);
        let e = parse(&digits).unwrap_err();
        assert_eq!(
            e.to_string(),
            format!(
                "invalid quantity \"{}\"... (10000 characters): too large: the magnitude exceeds 1.7e29, far beyond any resource amount",
                "9".repeat(64)
            )
        );
    }

    #[test]
    fn milli_value_and_value_round_away_from_zero() {
        // quantity_test.go TestNegativeValueRoundsAwayFromZero.
        let cases: &[(&str, &str, i128, i128)] = &[
            ("tiny negative on the big path", "-.484785E-7466", -1, -1),
            ("tiny positive on the big path", ".484785E-7466", 1, 1),
            ("negative fast path", "-.484785E-1", -1, -49),
            ("positive fast path", ".484785E-1", 1, 49),
            ("negative half milli", "-0.0005", -1, -1),
            ("positive half milli", "0.0005", 1, 1),
            ("negative 1500m", "-1500m", -2, -1500),
            ("positive 1500m", "1500m", 2, 1500),
            (
                "negative binary fraction",
                "-9.5000000001Gi",
                -10200547329,
                -10200547328108,
            ),
            (
                "positive binary fraction",
                "9.5000000001Gi",
                10200547329,
                10200547328108,
            ),
            ("exact negative", "-1", -1, -1000),
            ("exact positive", "1", 1, 1000),
            ("zero", "0", 0, 0),
            ("100m", "100m", 1, 100),
            ("1 nano", "1n", 1, 1),
        ];
        for (name, input, value, milli) in cases {
            let amount = parse(input).unwrap_or_else(|e| panic!("case {name}: {e}"));
            assert_eq!(amount.value(), *value, "case {name}: value()");
            assert_eq!(amount.milli_value(), *milli, "case {name}: milli_value()");
        }
    }

    #[test]
    fn scheduler_units_use_milli_for_cpu_only() {
        let cases: &[(&str, &str, &str, i128)] = &[
            ("cpu in millicores", "cpu", "1.5", 1500),
            ("cpu rounds up", "cpu", "100u", 1),
            ("memory in bytes", "memory", "1Ki", 1024),
            ("memory rounds up", "memory", "1500m", 2),
            ("pods whole", "pods", "110", 110),
            ("gpu whole", "nvidia.com/gpu", "4", 4),
        ];
        for (name, resource, input, want) in cases {
            let amount = parse(input).unwrap_or_else(|e| panic!("case {name}: {e}"));
            assert_eq!(scheduler_units(resource, amount), *want, "case {name}");
        }
    }

    #[test]
    fn from_scheduler_units_round_trips() {
        let cases: &[(&str, &str, i128)] = &[
            ("cpu", "cpu", 500),
            ("memory", "memory", 1 << 30),
            ("pods", "pods", 110),
        ];
        for (name, resource, units) in cases {
            let amount = Amount::from_scheduler_units(resource, *units);
            assert_eq!(scheduler_units(resource, amount), *units, "case {name}");
        }
        assert_eq!(
            Amount::from_scheduler_units("cpu", 500),
            parse("500m").unwrap()
        );
    }

    #[test]
    fn formats_scheduler_units_for_people() {
        let cases: &[(&str, &str, i128, &str)] = &[
            ("half a core", "cpu", 500, "500m"),
            ("one core", "cpu", 1000, "1"),
            ("one and a half cores", "cpu", 1500, "1500m"),
            ("zero cpu", "cpu", 0, "0"),
            ("four cores", "cpu", 4000, "4"),
            ("one Gi", "memory", 1 << 30, "1Gi"),
            ("512Mi", "memory", 512 << 20, "512Mi"),
            (
                "node memory in Ki",
                "memory",
                16_374_624 * 1024,
                "16374624Ki",
            ),
            ("odd bytes", "memory", 1001, "1001"),
            ("decimal kilobyte", "memory", 1000, "1k"),
            ("decimal megabytes", "memory", 100_000_000, "100M"),
            (
                "binary wins when both are exact",
                "memory",
                1_024_000,
                "1000Ki",
            ),
            ("zero memory", "memory", 0, "0"),
            ("1536Mi is not 1.5Gi", "memory", 1536 << 20, "1536Mi"),
            (
                "ephemeral bytes",
                "ephemeral-storage",
                93_478_772_582,
                "93478772582",
            ),
            ("ephemeral Gi", "ephemeral-storage", 20 << 30, "20Gi"),
            ("hugepages", "hugepages-2Mi", 4 << 20, "4Mi"),
            ("gpu plain", "nvidia.com/gpu", 4, "4"),
            ("pods plain", "pods", 110, "110"),
            ("pods 1024 stays plain", "pods", 1024, "1024"),
            ("negative memory", "memory", -(1 << 20), "-1Mi"),
        ];
        for (name, resource, units, want) in cases {
            assert_eq!(format_resource(resource, *units), *want, "case {name}");
        }
    }

    #[test]
    fn displays_exact_decimal() {
        let cases: &[(&str, &str, &str)] = &[
            ("integer", "2", "2"),
            ("fraction", "1.5", "1.5"),
            ("nano", "1n", "0.000000001"),
            ("negative", "-250m", "-0.25"),
        ];
        for (name, input, want) in cases {
            assert_eq!(parse(input).unwrap().to_string(), *want, "case {name}");
        }
    }
}
