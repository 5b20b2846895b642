//! What values are counted by: their hash, and the hashers of tables keyed by hashes.

use xxhash_rust::xxh3::xxh3_64;

/// The identity of a number: integral values (exactly representable) compare as integers, so a
/// float column's `2.0` equals an integer `2`, and large integer ids keep every digit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum NumberKey {
    Integer(i64),
    Float(f64),
}

impl NumberKey {
    pub fn of_integer(i: i64) -> Self {
        NumberKey::Integer(i)
    }

    /// The number's place in the order of numbers (see [`super::OrderSpan`]).
    pub fn order(self) -> f64 {
        match self {
            NumberKey::Integer(i) => i as f64,
            NumberKey::Float(f) => f,
        }
    }

    pub fn of_float(f: f64) -> Self {
        const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53
                                                    // Within ±2^53 the cast truncates exactly: equal back means integral (without the
                                                    // library call `fract` makes).
        if f.abs() <= EXACT && (f as i64) as f64 == f {
            NumberKey::Integer(f as i64)
        } else if f.is_nan() {
            NumberKey::Float(f64::NAN)
        } else {
            // -0.0 and 0.0 are one value.
            NumberKey::Float(f + 0.0)
        }
    }
}

/// The hash of a number's 64 bits, `tag` telling integers from floats: SplitMix64's finalizer, a
/// bijection with full avalanche, much cheaper per cell than hashing the bits as bytes.
pub(super) fn number_hash(tag: u64, bits: u64) -> u64 {
    let mut z = bits ^ tag.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A hasher for keys that are already hashes.
#[derive(Debug, Clone, Copy, Default)]
pub struct PassThrough(u64);

impl std::hash::Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }

    /// Small integers (entry numbers) are not hashes: spread them over every bit (Fibonacci
    /// hashing), or the table would find them all in one group of slots.
    fn write_u32(&mut self, n: u32) {
        self.0 = u64::from(n).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

pub type PassThroughBuild = std::hash::BuildHasherDefault<PassThrough>;

/// A hasher for string keys: the string's bytes come in one `write`, hashed with one-shot xxh3
/// (the streaming xxh3 hasher costs several times more on short keys).
#[derive(Debug, Clone, Copy, Default)]
pub struct OneShot(u64);

impl std::hash::Hasher for OneShot {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        self.0 = self.0.rotate_left(29) ^ xxh3_64(bytes);
    }

    /// The end marker `str` hashes after its bytes.
    fn write_u8(&mut self, b: u8) {
        self.0 = self.0.rotate_left(8) ^ u64::from(b);
    }
}

pub type OneShotBuild = std::hash::BuildHasherDefault<OneShot>;
