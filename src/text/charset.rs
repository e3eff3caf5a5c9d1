//! The one charset sniffer shared by feeds and pages: the `charset=` of an HTTP Content-Type.

use encoding_rs::Encoding;

/// The encoding a Content-Type header names (`text/xml; charset="iso-8859-1"`), if it names one
/// that exists.
pub fn http_charset(content_type: &str) -> Option<&'static Encoding> {
    let label = content_type.split(';').skip(1).find_map(|param| {
        let (key, value) = param.split_once('=')?;
        key.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| value.trim().trim_matches(['"', '\'']))
            .filter(|v| !v.is_empty())
    })?;
    Encoding::for_label(label.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_parameter_quoted_or_not() {
        assert_eq!(
            http_charset("text/html; charset=\"ISO-8859-1\""),
            Some(encoding_rs::WINDOWS_1252)
        );
        assert_eq!(
            http_charset("text/xml;CHARSET=utf-8"),
            Some(encoding_rs::UTF_8)
        );
        assert_eq!(http_charset("text/xml; charset="), None);
        assert_eq!(http_charset("text/xml; charset=bogus"), None);
        assert_eq!(http_charset("text/xml"), None);
    }
}
