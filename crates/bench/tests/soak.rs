//! The soak's bounded run in the test command: a few signed-in users for seconds against
//! a demo server, every kind of request answered without an error. The ten-minute run
//! with 64 users is `zhaoshang-soak` (README); its figures are in the security issue.

use std::time::Duration;
use zhaoshang_bench::http::server_program;
use zhaoshang_bench::soak;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_short_soak_answers_every_request_without_an_error() {
    let program = server_program().expect("the zhaoshang program beside the tests (cargo test --workspace builds it)");
    let work_dir = tempfile::tempdir().unwrap();
    let outcome = soak::run(&program, work_dir.path(), 8, Duration::from_secs(20)).await.unwrap();
    assert_eq!(outcome.errors(), 0, "{}\n{:#?}", outcome.table(), outcome.failures);
    assert!(outcome.requests() > 100, "{}", outcome.table());
    let idle: Vec<_> = outcome.routes.iter().filter(|(_, figures)| figures.latencies_ms.is_empty()).collect();
    assert!(outcome.routes.len() >= 10 && idle.is_empty(), "every kind of request ran: {}", outcome.table());
    assert!(outcome.memory.iter().all(|sample| sample.anonymous_mib > 0.0), "the server's memory was read");
}
