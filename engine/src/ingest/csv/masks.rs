//! Where the quotes, delimiters and line ends of 64 bytes are, as bit masks (bit `i` for byte
//! `i`): what lets a block be split with a few instructions per field instead of per byte.

/// Bytes looked at together.
pub(crate) const WINDOW: usize = 64;

/// The bytes of one window that matter to splitting records.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Window {
    pub quotes: u64,
    pub delimiters: u64,
    /// `\n` and `\r`.
    pub line_ends: u64,
}

impl Window {
    pub(crate) fn of(bytes: &[u8; WINDOW], delimiter: u8) -> Window {
        #[cfg(target_arch = "x86_64")]
        {
            // SAFETY: SSE2 is part of every x86_64 target, so the CPU has it.
            unsafe { sse2::window(bytes, delimiter) }
        }
        #[cfg(not(target_arch = "x86_64"))]
        {
            Window::scalar(bytes, delimiter)
        }
    }

    /// The window of up to [`WINDOW`] bytes, one byte at a time (bytes past the end are none).
    pub(crate) fn scalar(bytes: &[u8], delimiter: u8) -> Window {
        let mut w = Window::default();
        for (i, &b) in bytes.iter().take(WINDOW).enumerate() {
            w.quotes |= u64::from(b == b'"') << i;
            w.delimiters |= u64::from(b == delimiter) << i;
            w.line_ends |= u64::from(b == b'\n' || b == b'\r') << i;
        }
        w
    }
}

/// Bit `i` is the parity of the set bits up to and including `i`: for quote bits, whether byte
/// `i` lies between an opening quote and its closing one (the opening quote included).
pub(crate) fn prefix_xor(mut x: u64) -> u64 {
    for shift in [1, 2, 4, 8, 16, 32] {
        x ^= x << shift;
    }
    x
}

#[cfg(target_arch = "x86_64")]
mod sse2 {
    use super::{Window, WINDOW};
    use std::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8,
    };

    /// [`Window::scalar`], 16 bytes per comparison. Inlined into the splitter's loop: a call per
    /// 64 bytes costs more than its dozen comparisons.
    #[inline]
    #[target_feature(enable = "sse2")]
    pub(super) fn window(bytes: &[u8; WINDOW], delimiter: u8) -> Window {
        let quote = _mm_set1_epi8(b'"' as i8);
        let delimiter = _mm_set1_epi8(delimiter as i8);
        let (lf, cr) = (_mm_set1_epi8(b'\n' as i8), _mm_set1_epi8(b'\r' as i8));
        let mut w = Window::default();
        for (i, lane) in bytes.chunks_exact(16).enumerate() {
            // SAFETY: `lane` holds 16 bytes, and the load needs no alignment.
            let v = unsafe { _mm_loadu_si128(lane.as_ptr().cast::<__m128i>()) };
            let mask = |m: __m128i| u64::from(_mm_movemask_epi8(m) as u16) << (16 * i);
            w.quotes |= mask(_mm_cmpeq_epi8(v, quote));
            w.delimiters |= mask(_mm_cmpeq_epi8(v, delimiter));
            w.line_ends |= mask(_mm_or_si128(_mm_cmpeq_epi8(v, lf), _mm_cmpeq_epi8(v, cr)));
        }
        w
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn window_masks_match_byte_by_byte(
            bytes in prop::collection::vec(prop_oneof![Just(b'"'), Just(b','), Just(b';'),
                Just(b'\n'), Just(b'\r'), any::<u8>()], WINDOW),
            delimiter in prop_oneof![Just(b','), Just(b';'), Just(b'\t'), Just(b'|')],
        ) {
            let mut window = [0u8; WINDOW];
            window.copy_from_slice(&bytes);
            prop_assert_eq!(Window::of(&window, delimiter), Window::scalar(&bytes, delimiter));
        }

        #[test]
        fn prefix_xor_is_the_running_parity(x: u64) {
            let mut parity = 0u64;
            let mut expected = 0u64;
            for i in 0..64 {
                parity ^= (x >> i) & 1;
                expected |= parity << i;
            }
            prop_assert_eq!(prefix_xor(x), expected);
        }
    }
}
