//! Load/save the store and read state to SQLite (issue 3).
