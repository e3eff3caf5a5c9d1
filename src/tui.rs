//! Terminal enter/restore.
