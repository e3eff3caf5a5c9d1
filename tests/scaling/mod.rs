//! Cost-grows-linearly checks that a busy machine cannot break: time the same work on an input of size
//! n and of size 4n in one run (best of a few tries each) and compare the two. Linear work gives a ratio
//! near 4, quadratic work near 16; the limit sits between, so a slow or loaded machine slows both sides
//! alike and the ratio holds. Absolute times belong in the criterion benches, not in tests.

use std::time::{Duration, Instant};

/// How much larger the second input is.
pub const FACTOR: usize = 4;

/// The largest ratio accepted for linear work (4 expected; 16 for quadratic).
pub const LINEAR_LIMIT: f64 = 8.0;

const TRIES: usize = 4;

fn timed<T>(input: &T, work: &impl Fn(&T)) -> Duration {
    let started = Instant::now();
    work(input);
    started.elapsed()
}

/// Assert that `work` on `make(FACTOR * n)` costs at most `LINEAR_LIMIT` times `work` on `make(n)`.
pub fn assert_linear<T>(what: &str, n: usize, make: impl Fn(usize) -> T, work: impl Fn(&T)) {
    let small = make(n);
    let large = make(n * FACTOR);
    // Warm up allocators and lazy statics so the first timing is not the odd one out.
    work(&small);
    // Interleaved, best of each: a burst of load from elsewhere hits both sizes alike.
    let (mut t_small, mut t_large) = (Duration::MAX, Duration::MAX);
    for _ in 0..TRIES {
        t_small = t_small.min(timed(&small, &work));
        t_large = t_large.min(timed(&large, &work));
    }
    // A floor keeps a tiny denominator from turning scheduler noise into a huge ratio.
    let floor = Duration::from_micros(200);
    let ratio = t_large.as_secs_f64() / t_small.max(floor).as_secs_f64();
    eprintln!("{what}: n={n}: {t_small:?}, {FACTOR}n: {t_large:?}, ratio {ratio:.2}");
    assert!(
        ratio <= LINEAR_LIMIT,
        "{what}: {FACTOR}× the input took {ratio:.1}× the time ({t_small:?} → {t_large:?}); \
         cost grows faster than linearly"
    );
}
