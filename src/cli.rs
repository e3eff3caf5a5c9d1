//! Command line.

/// Parsed command line.
#[derive(Debug)]
pub struct Cli;

/// Run tidings.
pub fn run(_cli: Cli) -> anyhow::Result<i32> {
    Ok(0)
}
