//! A flood of sign-ins cannot exhaust memory: password hashes (argon2, 19 MiB each) run
//! at most one per core, a bounded number wait, and the rest are told to retry.

use zhaoshang_app::accounts::{hash_password, verify_password, MAX_WAITING_HASHES};
use zhaoshang_app::AppError;
use zhaoshang_testkit::alloc::{peak_since, start_measuring, CountingAllocator};

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

const ARGON2_MEMORY: usize = 19 * 1024 * 1024;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn four_hundred_simultaneous_verifications_hold_memory_to_one_hash_per_core() {
    let hash = hash_password("correct horse battery").await.unwrap();
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let base = start_measuring();
    let mut attempts = tokio::task::JoinSet::new();
    for _ in 0..400 {
        let hash = hash.clone();
        attempts.spawn(async move { verify_password("wrong guess", &hash).await });
    }
    let (mut checked, mut refused) = (0, 0);
    while let Some(outcome) = attempts.join_next().await {
        match outcome.unwrap() {
            Ok(valid) => {
                assert!(!valid);
                checked += 1;
            }
            Err(AppError::Busy(message)) => {
                assert!(message.contains("稍后重试"), "{message}");
                refused += 1;
            }
            Err(other) => panic!("{other}"),
        }
    }
    let peak = peak_since(base);
    assert!(checked >= MAX_WAITING_HASHES, "the queue's worth are checked: {checked}");
    assert!(refused > 0 && checked + refused == 400, "{checked} checked, {refused} refused");
    assert!(
        peak <= (cores + 1) * ARGON2_MEMORY + 16 * 1024 * 1024,
        "peak {} MiB with {cores} cores (unbounded: 400 × 19 MiB)",
        peak >> 20
    );
    // Once the flood is over, sign-ins are served again.
    assert!(verify_password("correct horse battery", &hash).await.unwrap());
}
