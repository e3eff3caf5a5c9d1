//! Starting outside programs for a URL: the user's `player` for attachments. The program is run
//! directly with its arguments (no shell, so nothing in a URL is ever interpreted), with no terminal
//! input or output, so it cannot draw over the reader.

use std::process::{Command, Stdio};

/// Why the player could not play.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// The program could not be started (not installed, not executable).
    #[error("could not start the player `{program}`: {reason}")]
    Start {
        /// The program, sanitised for display.
        program: String,
        /// Why it could not be started, from the OS.
        reason: String,
    },
    /// It ran and failed.
    #[error("the player `{program}` failed ({status})")]
    Failed {
        /// The program, sanitised for display.
        program: String,
        /// Its exit status, or why waiting for it failed.
        status: String,
    },
}

/// Run `program` with `args` and wait for it to end (call off the UI thread). Its stdin, stdout and
/// stderr are closed: a TUI owns the terminal.
pub fn run_player(program: &str, args: &[String]) -> Result<(), OpenError> {
    let shown = crate::text::sanitize_line(program);
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| OpenError::Start {
            program: shown.clone(),
            reason: e.to_string(),
        })?;
    match child.wait() {
        Ok(status) if status.success() => Ok(()),
        Ok(status) => Err(OpenError::Failed {
            program: shown,
            status: status.to_string(),
        }),
        Err(e) => Err(OpenError::Failed {
            program: shown,
            status: e.to_string(),
        }),
    }
}
