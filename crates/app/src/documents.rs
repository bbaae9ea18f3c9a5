//! Formal documents (公文) as PDF, one service for every area: a page rendered to
//! self-contained HTML (its own styles, no scripts, nothing fetched) is printed by headless
//! Chromium, which lays out Chinese text and the A4 page conventions of GB/T 9704 (margins,
//! page numbers in the page's margin boxes) as no PDF library in Rust does.
//!
//! Chromium is the program named by `ZHAOSHANG_CHROMIUM`, else `chromium` on the PATH.
//! Printing is bounded: two at a time, each given a minute.

use crate::{AppError, AppResult};
use std::path::Path;
use std::time::Duration;
use tokio::process::Command;
use tokio::sync::Semaphore;

/// Documents printed at once: each Chromium takes a few hundred MiB for a moment.
const AT_ONCE: usize = 2;
const TIME_ALLOWED: Duration = Duration::from_secs(60);
static PRINTERS: Semaphore = Semaphore::const_new(AT_ONCE);

/// The Chromium program the server prints with.
pub fn chromium_program() -> String {
    std::env::var("ZHAOSHANG_CHROMIUM").unwrap_or_else(|_| "chromium".to_string())
}

/// Prints `html` (a whole document) to PDF with the configured Chromium.
pub async fn print_pdf(html: &str) -> AppResult<Vec<u8>> {
    print_pdf_with(&chromium_program(), html).await
}

/// Prints `html` to PDF with the Chromium at `program`; a Chinese "busy" error (503) when
/// the program is missing, fails or takes too long.
pub async fn print_pdf_with(program: &str, html: &str) -> AppResult<Vec<u8>> {
    let unavailable =
        |why: &str| AppError::Busy(format!("暂时无法生成 PDF（{why}），请稍后再试，或使用浏览器的“打印”另存为 PDF"));
    let _permit = PRINTERS.acquire().await.map_err(|_| unavailable("打印服务已停止"))?;
    let folder = tempfile::tempdir().map_err(AppError::internal)?;
    let page = folder.path().join("document.html");
    let pdf = folder.path().join("document.pdf");
    tokio::fs::write(&page, html).await.map_err(AppError::internal)?;
    let mut command = Command::new(program);
    command
        .args(chromium_arguments(folder.path(), &pdf))
        .arg(format!("file://{}", page.display()))
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true);
    let mut child = command.spawn().map_err(|_| unavailable("服务器未安装 Chromium"))?;
    match tokio::time::timeout(TIME_ALLOWED, child.wait()).await {
        Ok(Ok(status)) if status.success() => {}
        Ok(_) => return Err(unavailable("Chromium 未能完成打印")),
        Err(_) => return Err(unavailable("打印超时")),
    }
    let bytes = tokio::fs::read(&pdf).await.map_err(|_| unavailable("Chromium 未写出文件"))?;
    if !bytes.starts_with(b"%PDF-") {
        return Err(unavailable("Chromium 写出的不是 PDF"));
    }
    Ok(bytes)
}

/// A fresh profile in `folder`, nothing reached over the network, no header or footer of
/// Chromium's own (the document's styles set its page numbers).
fn chromium_arguments(folder: &Path, pdf: &Path) -> Vec<String> {
    [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-pdf-header-footer",
    ]
    .into_iter()
    .map(str::to_string)
    .chain([
        format!("--user-data-dir={}", folder.join("profile").display()),
        format!("--print-to-pdf={}", pdf.display()),
    ])
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_missing_chromium_is_told_in_chinese() {
        let error = print_pdf_with("/nonexistent/chromium", "<p>文</p>").await.unwrap_err();
        assert!(matches!(&error, AppError::Busy(message) if message.contains("服务器未安装 Chromium")), "{error}");
    }

    #[tokio::test]
    async fn a_program_that_writes_nothing_is_refused() {
        let error = print_pdf_with("true", "<p>文</p>").await.unwrap_err();
        assert!(error.to_string().contains("Chromium 未写出文件"), "{error}");
        let error = print_pdf_with("false", "<p>文</p>").await.unwrap_err();
        assert!(error.to_string().contains("Chromium 未能完成打印"), "{error}");
    }
}
