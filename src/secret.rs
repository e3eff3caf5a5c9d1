//! A string that must never be shown: per-feed header values such as `Authorization` tokens.

/// A secret value (an HTTP header value from feeds.toml). It has no `Display`, and its `Debug`
/// prints `<redacted>`, so neither an error message nor a `{:?}` of a config can leak it; the only
/// way to read it is [`Secret::expose`], called where the request is built.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wrap a value that must not be printed.
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The value itself, for the one place that sends it (the HTTP request).
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_value() {
        let secret = Secret::new("Bearer hunter2");
        assert_eq!(format!("{secret:?}"), "<redacted>");
        assert_eq!(
            format!("{:?}", vec![("Authorization", secret.clone())]),
            "[(\"Authorization\", <redacted>)]"
        );
        assert_eq!(secret.expose(), "Bearer hunter2");
    }
}
