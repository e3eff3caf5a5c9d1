//! The allocator's settings. tidings holds a few MB of headlines but streams hundreds of MB of feeds
//! through its threads; with glibc's defaults (an arena per thread, up to eight per core, and freed
//! large blocks kept inside the heap) peak RSS ends near twice the live heap: `tidings fetch` of 500
//! feeds peaked at 92 MB RSS for 52 MB of heap (heaptrack). Two arenas, and blocks of 64 KB and more
//! served by mmap (handed back to the system when freed), bring RSS close to what is live.

/// Blocks this large or larger are mapped on their own and unmapped when freed: feed bodies, HTTP
/// buffers, parse trees.
const MMAP_THRESHOLD: i32 = 64 * 1024;

/// Two arenas: one arena made `fetch` 20% slower (its threads queue for the lock), the default eight
/// per core cost 30 MB more RSS (measured side by side at 500 feeds).
const ARENAS: i32 = 2;

/// Tune malloc for this process; call first thing in `main`, so the settings cover every thread's
/// allocations. Does nothing where the C library is not glibc.
pub fn tune_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt takes no pointers and only sets malloc's parameters; glibc applies them under
    // its arena lock, so it is sound from any thread. Called first thing, it covers every allocation.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, ARENAS);
        libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD);
    }
}
