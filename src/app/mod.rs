//! TUI state machine.
