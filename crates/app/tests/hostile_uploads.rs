//! Uploads crafted to exhaust memory are refused in Chinese, or read, within a small
//! and bounded allocation — measured by a counting allocator around each read.

use zhaoshang_app::exchange::read_sheet;
use zhaoshang_testkit::alloc::{peak_since, start_measuring, CountingAllocator};
use zhaoshang_testkit::hostile;

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

/// The most a read of one of these files may allocate beyond what was live before it.
const BOUND: usize = 64 * 1024 * 1024;

/// Reads `bytes` as `name` and returns the outcome with the peak allocation above the start.
fn read_measured(name: &str, bytes: &[u8]) -> (Result<usize, String>, usize) {
    let base = start_measuring();
    let outcome = read_sheet(name, bytes).map(|sheet| sheet.rows.len()).map_err(|e| e.to_string());
    (outcome, peak_since(base))
}

// One test, so that no other test's allocations run beside the measured reads.
#[test]
fn crafted_uploads_are_refused_or_read_within_a_bounded_allocation() {
    let cases: [(&str, &str, Vec<u8>, Option<&str>); 8] = [
        ("shared strings declaring 10^11", "bomb.xlsx", hostile::shared_strings_bomb(), Some("共享字符串")),
        ("cells at A1 and XFD1048576", "corner.xlsx", hostile::far_corner_workbook(), Some("超过 256 列")),
        ("a part unpacking to 40 MiB of zeros", "zeros.xlsx", hostile::zip_bomb_workbook(40), Some("解压后超过")),
        ("a CSV of 1,000,000 columns", "wide.csv", hostile::wide_csv(1_000_000), Some("超过 256 列")),
        ("cells at A1 and CV1000000", "far.xlsx", hostile::far_row_workbook(), None),
        ("an .xls declaring 65,536 × 256 cells", "dims.xls", hostile::declared_dimensions_xls(), Some("单元格超过")),
        ("an .ods row of 200 cells repeated 10^6 times", "rows.ods", hostile::repeated_rows_ods(), Some("单元格超过")),
        ("an .ods content unpacking to 40 MiB", "zeros.ods", hostile::zip_bomb_ods(40), Some("解压后超过")),
    ];
    for (what, name, bytes, refusal) in cases {
        let (outcome, peak) = read_measured(name, &bytes);
        match (refusal, &outcome) {
            (Some(expected), Err(message)) => assert!(message.contains(expected), "{what}: {message}"),
            (None, Ok(rows)) => assert_eq!(*rows, 1, "{what}: the header and the far row's one data row"),
            _ => panic!("{what}: unexpected outcome {outcome:?}"),
        }
        assert!(peak < BOUND, "{what}: {} MiB allocated reading {} bytes", peak >> 20, bytes.len());
    }
}
