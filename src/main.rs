//! The tidings binary: parse the command line, run, map errors to exit codes (never a panic exit).

use clap::Parser;
use std::process::ExitCode;
use tidings::cli::ExitError;

fn main() -> ExitCode {
    let cli = tidings::Cli::parse();
    match tidings::run(cli) {
        Ok(code) => ExitCode::from(u8::try_from(code).unwrap_or(1)),
        Err(err) => {
            let code = err.downcast_ref::<ExitError>().map_or(1, |e| e.code);
            eprintln!(
                "tidings: {}",
                tidings::text::sanitize_line(&format!("{err:#}"))
            );
            ExitCode::from(u8::try_from(code).unwrap_or(1))
        }
    }
}
