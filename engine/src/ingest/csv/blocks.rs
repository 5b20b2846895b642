//! A CSV stream cut into blocks of about a given size, each ending where a record most likely
//! ends, so that blocks can be parsed apart.
//!
//! A line break ends a record unless it lies inside a quoted field. Counting quotes from the
//! block's start tells which line breaks do (an even count before one means it is outside
//! quotes), which is right for well-formed CSV; a stray quote inside an unquoted field can fool
//! it, and then the parser finds the block ending inside a record (see
//! [`super::records::BlockParse::consumed`]) and the rest is parsed again with the next block.

use std::io::Read;

pub(crate) struct Blocks<R> {
    reader: R,
    /// Bytes read past the end of the last block: the start of the next one.
    pending: Vec<u8>,
    /// Bytes given back unparsed (see [`Blocks::unread`]): the next block reads a whole block
    /// size past them.
    given_back: usize,
    done: bool,
    /// Bytes read from `reader`, for the table's `bytes` figure. Counted here rather than by a
    /// reader wrapped around it: a wrapper's reads fill zeroes into the block before each read
    /// (`read_buf` cannot be written outside the standard library), 120 MB of them for a 120 MB
    /// file.
    read: u64,
}

impl<R: Read> Blocks<R> {
    /// Blocks of `reader`'s bytes, after `start` (bytes already read from it).
    pub(crate) fn new(start: Vec<u8>, reader: R) -> Self {
        Blocks {
            reader,
            pending: start,
            given_back: 0,
            done: false,
            read: 0,
        }
    }

    /// Fills `block` (emptied first) with the next block of at least `size` bytes, unless the
    /// stream ends first; `Some(true)` for the last block, `None` when there is nothing left.
    pub(crate) fn next_into(
        &mut self,
        block: &mut Vec<u8>,
        size: usize,
    ) -> std::io::Result<Option<bool>> {
        block.clear();
        block.append(&mut self.pending);
        let size = size.max(1);
        let mut target = std::mem::take(&mut self.given_back) + size;
        loop {
            while !self.done && block.len() < target {
                let want = (target - block.len()) as u64;
                let read = (&mut self.reader).take(want).read_to_end(block)?;
                self.read += read as u64;
                self.done = read == 0;
            }
            // Bytes given back or sniffed may make more than a block already.
            let window = target.min(block.len());
            if self.done && window == block.len() {
                return Ok((!block.is_empty()).then_some(true));
            }
            let head = &block[..window];
            // Past a few block sizes, quotes that never balance were stray ones.
            let end = balanced_end(head)
                .or_else(|| (window >= 4 * size).then(|| any_end(head)).flatten());
            if let Some(end) = end {
                self.pending.extend_from_slice(&block[end..]);
                block.truncate(end);
                return Ok(Some(false));
            }
            // A record longer than the block: read on.
            target = window + size;
        }
    }
}

impl<R> Blocks<R> {
    /// Bytes read from the reader so far.
    pub(crate) fn bytes_read(&self) -> u64 {
        self.read
    }

    /// Puts back `rest`, the end of the last block from inside a record on, to start the next
    /// block, which then reads a whole block size past it (not a byte at a time, were a stray
    /// quote to make the same cut look right again).
    pub(crate) fn unread(&mut self, rest: &[u8]) {
        if !rest.is_empty() {
            self.pending.splice(0..0, rest.iter().copied());
            self.given_back = self.pending.len();
        }
    }
}

/// Just past the block's last line break outside quotes, if there is one.
fn balanced_end(block: &[u8]) -> Option<usize> {
    let quotes = |bytes: &[u8]| memchr::memchr_iter(b'"', bytes).count();
    let total = quotes(block);
    let mut after = 0;
    let mut end = block.len();
    while let Some(at) = memchr::memrchr(b'\n', &block[..end]) {
        after += quotes(&block[at + 1..end]);
        if (total - after) % 2 == 0 {
            return Some(at + 1);
        }
        end = at;
    }
    None
}

/// Just past the block's last line break, else its last carriage return (old Mac line ends).
fn any_end(block: &[u8]) -> Option<usize> {
    memchr::memrchr(b'\n', block)
        .or_else(|| memchr::memrchr(b'\r', block))
        .map(|at| at + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks(input: &[u8], size: usize) -> Vec<(Vec<u8>, bool)> {
        let mut blocks = Blocks::new(Vec::new(), input);
        let mut out = Vec::new();
        let mut block = Vec::new();
        while let Some(last) = blocks.next_into(&mut block, size).expect("in memory") {
            out.push((block.clone(), last));
        }
        out
    }

    #[test]
    fn blocks_end_after_line_breaks_outside_quotes() {
        let input = b"a,\"x\ny\"\nb,c\nd,e\n";
        let got = blocks(input, 6);
        assert_eq!(got[0].0, b"a,\"x\ny\"\nb,c\n");
        let joined: Vec<u8> = got.iter().flat_map(|(b, _)| b.clone()).collect();
        assert_eq!(joined, input);
        assert!(got.last().is_some_and(|(_, last)| *last));
        assert!(got[..got.len() - 1].iter().all(|(_, last)| !last));
    }

    #[test]
    fn a_record_longer_than_a_block_is_kept_whole() {
        let input = b"\"0123456789\n0123456789\",x\nz,y\nw,v\nu,t\nq,r\n";
        let got = blocks(input, 8);
        assert_eq!(got[0].0, b"\"0123456789\n0123456789\",x\nz,y\n");
    }

    #[test]
    fn empty_input_has_no_blocks() {
        assert!(blocks(b"", 8).is_empty());
    }
}
