//! Terminal enter/restore: raw mode + alternate screen, restored on every exit path including panics.

use crossterm::{
    cursor,
    event::{DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture},
    execute,
    terminal::{self, EnterAlternateScreen, LeaveAlternateScreen},
};
use ratatui::{backend::CrosstermBackend, Terminal};
use std::io::{self, Stdout};
use std::sync::atomic::{AtomicBool, Ordering};

/// Whether the terminal is in raw mode + alternate screen, so `restore` only writes when there is
/// something to undo (CLI output stays free of escape codes).
static ACTIVE: AtomicBool = AtomicBool::new(false);

/// The terminal type the runtime draws on.
pub type Tui = Terminal<CrosstermBackend<Stdout>>;

/// Owns the terminal; restores it when dropped (normal return, `?` error, or unwinding panic).
pub struct TerminalGuard {
    /// The terminal to draw on while the guard lives.
    pub terminal: Tui,
}

impl TerminalGuard {
    /// Enter raw mode and the alternate screen (with mouse reports when `mouse`), and install a panic
    /// hook that restores first.
    pub fn enter(mouse: bool) -> io::Result<Self> {
        terminal::enable_raw_mode()?;
        ACTIVE.store(true, Ordering::SeqCst);
        let mut stdout = io::stdout();
        let entered = execute!(
            stdout,
            EnterAlternateScreen,
            EnableBracketedPaste,
            cursor::Hide
        )
        .and_then(|()| {
            if mouse {
                execute!(stdout, EnableMouseCapture)
            } else {
                Ok(())
            }
        });
        if let Err(e) = entered {
            restore();
            return Err(e);
        }
        match Terminal::new(CrosstermBackend::new(stdout)) {
            Ok(terminal) => Ok(TerminalGuard { terminal }),
            Err(e) => {
                restore();
                Err(e)
            }
        }
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
    }
}

/// Put the terminal back as we found it. Safe to call more than once.
pub fn restore() {
    if !ACTIVE.swap(false, Ordering::SeqCst) {
        return;
    }
    let _ = execute!(
        io::stdout(),
        DisableMouseCapture,
        DisableBracketedPaste,
        LeaveAlternateScreen,
        cursor::Show
    );
    let _ = terminal::disable_raw_mode();
}

/// Install the process-wide panic hook. A panic on the main (UI) thread restores the terminal before the
/// report is printed. Panics on worker threads are contained where they happen (a parser panic under
/// `catch_unwind` becomes that feed's error), so they print nothing over the screen.
pub fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if std::thread::current().name() == Some("main") {
            restore();
            previous(info);
        }
    }));
}
