//! Cost-grows-linearly checks that a busy machine cannot break: time the same work on an input of size
//! n and of size 4n in one run (best of a few tries each) and compare the two. Linear work gives a ratio
//! near 4, quadratic work near 16; the limit sits between, so a slow or loaded machine slows both sides
//! alike and the ratio holds. Absolute times belong in the criterion benches, not in tests.

use std::time::{Duration, Instant};

/// How much larger the second input is.
pub const FACTOR: usize = 4;

/// The largest ratio accepted for linear work (4 expected; 16 for quadratic).
pub const LINEAR_LIMIT: f64 = 8.0;

const TRIES: usize = 3;

fn best_of<T>(input: &T, work: &impl Fn(&T)) -> Duration {
    (0..TRIES)
        .map(|_| {
            let started = Instant::now();
            work(input);
            started.elapsed()
        })
        .min()
        .unwrap_or_default()
}

/// Assert that `work` on `make(FACTOR * n)` costs at most `LINEAR_LIMIT` times `work` on `make(n)`.
pub fn assert_linear<T>(what: &str, n: usize, make: impl Fn(usize) -> T, work: impl Fn(&T)) {
    let small = make(n);
    let large = make(n * FACTOR);
    // Warm up allocators and lazy statics so the first timing is not the odd one out.
    work(&small);
    let t_small = best_of(&small, &work);
    let t_large = best_of(&large, &work);
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
