//! Where Quire may send the browser after a sign-in: only a path on Quire itself. Anything else
//! in `next` (another site, a scheme-relative `//host`, a backslash browsers read as a slash,
//! control characters browsers strip) is replaced by the home page.

/// Longer `next` values are not worth keeping.
const MAX_LEN: usize = 2048;

/// `next` when it is a path on this site, else `None`.
pub fn local_path(next: &str) -> Option<&str> {
    let mut chars = next.chars();
    let is_local = chars.next() == Some('/')
        && !matches!(chars.next(), Some('/') | Some('\\'))
        && next.len() <= MAX_LEN
        // Printable ASCII only: browsers drop tabs and newlines (`/\t/evil.example` becomes
        // `//evil.example`), treat `\` as `/`, and a Location header must be ASCII.
        && next.chars().all(|c| c.is_ascii_graphic() && c != '\\');
    is_local.then_some(next)
}

#[cfg(test)]
mod tests {
    use super::{local_path, MAX_LEN};

    #[test]
    fn paths_on_this_site_are_kept() {
        for ok in [
            "/",
            "/datasets",
            "/tokens?x=1#top",
            "/a/b//c",
            "/%2F%2Fevil.example",
        ] {
            assert_eq!(local_path(ok), Some(ok), "{ok:?}");
        }
    }

    #[test]
    fn anything_that_can_leave_the_site_is_refused() {
        for bad in [
            "",
            "datasets",
            "https://evil.example",
            "//evil.example",
            "/\\evil.example",
            "\\\\evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/ /x",
            "javascript:alert(1)",
            "/datasets\\..\\",
            "/é",
        ] {
            assert_eq!(local_path(bad), None, "{bad:?}");
        }
        assert_eq!(local_path(&format!("/{}", "a".repeat(MAX_LEN))), None);
    }
}
