//! The splitter for the usual clean block: every record of full width, every quote opening a
//! field and closing it (or doubled inside it). Quotes, delimiters and line ends are found 64
//! bytes at a time as bit masks ([`super::masks`]), quoted stretches by the running parity of the
//! quote bits, and each field then costs a few instructions. Any other block is left to the field
//! by field splitter of `fast.rs`, which reads what `csv_core` reads in every case.

use super::fast::Cells;
use super::masks::{prefix_xor, Window, WINDOW};
use super::records::{BlockParse, RecordFormat};

/// Splits `block` as [`super::split_block`] would, or answers `None` (leaving `cells` to be
/// cut back by the caller) when the block is not clean.
pub(crate) fn split_clean_block(
    block: &str,
    last: bool,
    format: &RecordFormat,
    cells: &mut Cells<'_>,
) -> Option<BlockParse> {
    let bytes = block.as_bytes();
    let width = format.header.len();
    cells.columns.resize_with(width, Vec::new);
    let mut split = Splitter {
        block,
        width,
        cells,
        field_start: 0,
        field: 0,
        quote_in_field: false,
        record_end: 0,
        record_extra: 0,
    };
    split.record_extra = split.cells.extra.len();
    // All ones while a quoted field goes on past the window.
    let mut inside = 0u64;
    for base in (0..bytes.len()).step_by(WINDOW) {
        let window = match bytes.get(base..base + WINDOW) {
            Some(full) => Window::of(full.try_into().ok()?, format.delimiter),
            // The last, short window.
            None => Window::scalar(bytes.get(base..).unwrap_or_default(), format.delimiter),
        };
        let quoted = prefix_xor(window.quotes) ^ inside;
        inside = ((quoted as i64) >> 63) as u64;
        split.window(base, &window, quoted)?;
    }
    let mut parse = BlockParse::default();
    if split.field == 0 && split.field_start >= bytes.len() {
        // Every record ended, and only line ends (if anything) followed.
        parse.consumed = bytes.len();
    } else if !last {
        // The block was cut inside a record: it waits for the next block.
        if !split.open_field_is_clean() {
            return None;
        }
        split.drop_open_record();
        parse.consumed = split.record_end;
    } else if inside != 0 {
        // An open quote holding the rest of the stream.
        return None;
    } else {
        let quotes = split.quote_in_field.then_some(Quotes {
            base: 0,
            bits: None,
        });
        split.field(bytes.len(), quotes)?;
        split.end_record(bytes.len())?;
        parse.consumed = bytes.len();
    }
    let consumed = bytes.get(..parse.consumed).unwrap_or_default();
    parse.newlines = memchr::memchr_iter(b'\n', consumed).count() as u64;
    Some(parse)
}

/// What the masks saw of a field's quotes: `bits`, its quotes in the window at `base` where it
/// ends, or `None` when a window before held some too.
#[derive(Debug, Clone, Copy)]
struct Quotes {
    base: usize,
    bits: Option<u64>,
}

struct Splitter<'b, 'c, 'd> {
    block: &'b str,
    width: usize,
    cells: &'c mut Cells<'d>,
    /// Where the current field starts.
    field_start: usize,
    /// The current field's index in its record.
    field: usize,
    /// Whether a quote was seen in the current field in an earlier window.
    quote_in_field: bool,
    /// Where the last complete record ended (past its line end).
    record_end: usize,
    /// `extra`'s length when the current record started.
    record_extra: usize,
}

impl Splitter<'_, '_, '_> {
    /// Ends the fields whose delimiter or line end lies in the window at `base`.
    fn window(&mut self, base: usize, window: &Window, quoted: u64) -> Option<()> {
        if window.quotes == 0 && !self.quote_in_field {
            // Most windows of most files: no field in it ends inside quotes or holds any.
            return self.fields_in::<false>(base, window, quoted);
        }
        self.fields_in::<true>(base, window, quoted)
    }

    /// [`Splitter::window`], with the quotes' bookkeeping left out unless `QUOTES`.
    #[inline(always)]
    fn fields_in<const QUOTES: bool>(
        &mut self,
        base: usize,
        window: &Window,
        quoted: u64,
    ) -> Option<()> {
        let mut ends = (window.delimiters | window.line_ends) & !quoted;
        // Quotes not yet counted in a field.
        let mut quotes = window.quotes;
        while ends != 0 {
            let bit = ends.trailing_zeros();
            ends &= ends - 1;
            let mut field_quotes = None;
            if QUOTES {
                let before = (1u64 << bit) - 1;
                let seen = Quotes {
                    base,
                    bits: (!self.quote_in_field).then_some(quotes & before),
                };
                field_quotes = (seen.bits != Some(0)).then_some(seen);
                quotes &= !before;
                self.quote_in_field = false;
            }
            let at = base + bit as usize;
            if window.line_ends >> bit & 1 == 1 {
                if self.field == 0 && at == self.field_start {
                    // An empty line, or the LF of a CRLF: no record.
                    self.field_start = at + 1;
                    continue;
                }
                self.field(at, field_quotes)?;
                self.end_record(at + 1)?;
            } else {
                self.field(at, field_quotes)?;
            }
            self.field_start = at + 1;
        }
        if QUOTES {
            self.quote_in_field |= quotes != 0;
        }
        Some(())
    }

    /// Ends the current field at `end`; `quotes` when it holds some (see [`Splitter::quoted_span`]).
    #[inline(always)]
    fn field(&mut self, end: usize, quotes: Option<Quotes>) -> Option<()> {
        let span = if let Some(quotes) = quotes {
            self.quoted_span(end, quotes)?
        } else {
            (self.field_start as u32, (end - self.field_start) as u32)
        };
        self.cells.columns.get_mut(self.field)?.push(span);
        self.field += 1;
        Some(())
    }

    /// Ends the current record, just before `end`: a row when it has every field.
    fn end_record(&mut self, end: usize) -> Option<()> {
        if self.field != self.width {
            return None;
        }
        self.cells.widths.push(self.width);
        self.field = 0;
        self.record_end = end;
        self.record_extra = self.cells.extra.len();
        Some(())
    }

    /// The span of a field holding quotes, which must be `"…"` with any quote inside doubled:
    /// its text between the quotes, written out to `extra` when quotes were doubled.
    #[inline(never)]
    fn quoted_span(&mut self, end: usize, Quotes { base, bits }: Quotes) -> Option<(u32, u32)> {
        let field = self.block.get(self.field_start..end)?;
        let inner = field.strip_prefix('"')?.strip_suffix('"')?;
        // A field within one window whose only quotes are its first and last bytes: the masks
        // tell there is none inside, where searching for one cost as much as the rest of the
        // field's splitting.
        let bit = |at: usize| at.checked_sub(base).filter(|&b| b < 64).map(|b| 1u64 << b);
        let outer = bit(self.field_start).zip(bit(end - 1)).map(|(a, b)| a | b);
        let only_outer = bits.is_some() && bits == outer;
        // The memchr crate's search: `str::contains` costs several times more on a short field.
        if only_outer || memchr::memchr(b'"', inner.as_bytes()).is_none() {
            return Some(((self.field_start + 1) as u32, inner.len() as u32));
        }
        let extra = &mut *self.cells.extra;
        let start = extra.len();
        let mut rest = inner;
        while let Some(i) = rest.find('"') {
            // Inside quotes, a quote is only ever the first of a doubled pair.
            let (text, after) = rest.split_at(i + 1);
            after.strip_prefix('"')?;
            extra.push_str(text);
            rest = after.get(1..)?;
        }
        extra.push_str(rest);
        Some((
            (self.block.len() + start) as u32,
            (extra.len() - start) as u32,
        ))
    }

    /// Whether the field the block ends inside is read alike by masks and by `csv_core`: without
    /// quotes, or quoted with every quote inside doubled (the last one may be either half of a
    /// pair or the closing quote, which only the next block tells).
    fn open_field_is_clean(&self) -> bool {
        let field = self.block.get(self.field_start..).unwrap_or_default();
        if !field.contains('"') {
            return true;
        }
        let Some(mut rest) = field.strip_prefix('"') else {
            return false;
        };
        while let Some(i) = rest.find('"') {
            match rest.get(i + 1..) {
                Some("") | None => return true,
                Some(after) if after.starts_with('"') => rest = after.get(1..).unwrap_or_default(),
                Some(_) => return false,
            }
        }
        true
    }

    /// Takes back the fields of a record the block ends inside.
    fn drop_open_record(&mut self) {
        for column in self.cells.columns.iter_mut().take(self.field) {
            column.pop();
        }
        self.cells.extra.truncate(self.record_extra);
        self.field = 0;
    }
}
