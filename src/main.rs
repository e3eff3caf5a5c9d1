//! The tidings binary: parse the command line, run, map errors to exit codes (never a panic exit).

use clap::Parser;
use std::process::ExitCode;
use tidings::cli::ExitError;

fn main() -> ExitCode {
    tidings::memory::tune_allocator();
    let cli = tidings::Cli::parse();
    // A bug must still end as "exit 1 with a message" (the panic hook has restored the terminal and
    // printed the report), never as Rust's exit code 101.
    let outcome = std::panic::catch_unwind(|| tidings::run(cli));
    match outcome {
        Ok(Ok(code)) => ExitCode::from(u8::try_from(code).unwrap_or(1)),
        Ok(Err(err)) => {
            let code = err.downcast_ref::<ExitError>().map_or(1, |e| e.code);
            eprintln!(
                "tidings: {}",
                tidings::text::sanitize_line(&format!("{err:#}"))
            );
            ExitCode::from(u8::try_from(code).unwrap_or(1))
        }
        Err(_) => {
            eprintln!("tidings: internal error (a bug); please report it with the message above");
            ExitCode::from(1)
        }
    }
}
