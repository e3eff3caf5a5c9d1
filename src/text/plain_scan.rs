//! The sanitiser's fast path: whole chunks of bytes that need no handling are recognised with a
//! branch-free loop the compiler vectorises, so clean text (in any script) costs a fraction of a cycle
//! per byte before the exact byte loop takes over.

use super::sanitize::Mode;

/// Bytes checked at a time by [`chunk_is_plain`].
pub(crate) const CHUNK: usize = 32;

/// True when no byte of `chunk` is one [`maybe_special`] accepts (a newline is fine in text mode).
/// Written without early exits so that the compiler checks many bytes per instruction: clean bodies,
/// in any script, cost a fraction of a cycle per byte.
pub(crate) fn chunk_is_plain(chunk: &[u8; CHUNK], mode: Mode) -> bool {
    // A control below 0x20 other than this one is special (0xFF: every control is).
    let allowed = if mode == Mode::Text { b'\n' } else { 0xFF };
    // First the cheap question: is it all printable ASCII (and allowed newlines)?
    let mut outside_ascii = false;
    for &b in chunk {
        outside_ascii |= (b.wrapping_sub(0x20) >= 0x5F) & (b != allowed);
    }
    if !outside_ascii {
        return true;
    }
    let mut special = false;
    for &b in chunk {
        special |= (b < 0x20) & (b != allowed)
            | (b == 0x7F)
            | (b == 0xC2)
            | (b == 0xD8)
            | (b == 0xE2)
            | (b == 0xEF);
    }
    !special
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn special_bytes_are_seen_in_any_lane() {
        let chunk = |s: &str| {
            let mut c = [b' '; CHUNK];
            c[..s.len()].copy_from_slice(s.as_bytes());
            c
        };
        assert!(chunk_is_plain(&chunk("αβγ 北京\n"), Mode::Text));
        assert!(!chunk_is_plain(&chunk("a\n"), Mode::Url));
        for bad in ["\t", "\u{7f}", "\u{85}", "\u{61c}", "\u{202e}", "\u{feff}"] {
            assert!(
                !chunk_is_plain(&chunk(&format!("ab{bad}")), Mode::Text),
                "{bad:?}"
            );
        }
    }
}
