//! Excel/CSV import in the browser: upload with a progress bar, the report on
//! screen, the bad cells marked in a downloadable workbook, blank templates.

use crate::auth::{random_token, wants_json, CsrfMultipart, PageSession, Session};
use crate::error::{WebError, WebResult};
use crate::pages::{download_bytes, XLSX};
use crate::routes::Routes;
use crate::templates::{page, render};
use crate::AppState;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::HeaderMap;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Json;
use minijinja::context;
use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use zhaoshang_app::exchange::{self, ImportKind, ImportOutcome, ImportProgress, ImportStage, MappingQuestion};

const ERROR_FILES_KEPT: Duration = Duration::from_secs(3600);
/// Bounds on the error workbooks held in memory for download, whoever imports.
const ERROR_FILES_MAX: usize = 64;
const ERROR_FILES_MAX_BYTES: usize = 64 * 1024 * 1024;
/// How long a finished or abandoned import's progress can still be asked for, and how
/// many imports' progress are kept at most, whoever imports.
const PROGRESS_KEPT: Duration = Duration::from_secs(600);
const PROGRESS_MAX: usize = 256;
/// Imports of a province's yearly projects run to tens of megabytes.
const MAX_UPLOAD_BYTES: usize = 256 * 1024 * 1024;

pub fn routes() -> Routes {
    Routes::new()
        .route("/import", get(form).post(upload).layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES)))
        .route("/import/errors/{id}", get(error_file))
        .route("/import/progress/{token}", get(progress))
        .route("/import/template/{kind}", get(template))
}

fn require_importer(session: &Session) -> WebResult<()> {
    if session.principal.edits_records() {
        Ok(())
    } else {
        Err(WebError::forbidden())
    }
}

fn kinds() -> Vec<minijinja::Value> {
    ImportKind::ALL.iter().map(|k| context! { key => k.key(), label => k.label() }).collect()
}

pub async fn form(PageSession(session): PageSession) -> WebResult<Html<String>> {
    require_importer(&session)?;
    page(&session, "/import", "import/import.html", context! { kinds => kinds() })
}

/// An error workbook waiting for download by the user who imported.
struct ErrorFile {
    id: String,
    made: Instant,
    user_id: i64,
    bytes: Bytes,
}

/// Error workbooks wait here for an hour, at most `ERROR_FILES_MAX` of them and
/// `ERROR_FILES_MAX_BYTES` in all: past either bound the oldest go first. The newest
/// stays even alone past the byte bound, as its user is about to download it.
pub struct ErrorFiles {
    /// Oldest first.
    files: Mutex<VecDeque<ErrorFile>>,
    max_files: usize,
    max_bytes: usize,
}

impl Default for ErrorFiles {
    fn default() -> Self {
        ErrorFiles::with_bounds(ERROR_FILES_MAX, ERROR_FILES_MAX_BYTES)
    }
}

impl ErrorFiles {
    fn with_bounds(max_files: usize, max_bytes: usize) -> ErrorFiles {
        ErrorFiles { files: Mutex::default(), max_files, max_bytes }
    }

    fn put(&self, user_id: i64, bytes: Vec<u8>) -> String {
        let mut files = self.files.lock().unwrap_or_else(|e| e.into_inner());
        let id = random_token();
        files.push_back(ErrorFile { id: id.clone(), made: Instant::now(), user_id, bytes: bytes.into() });
        let mut total: usize = files.iter().map(|file| file.bytes.len()).sum();
        while files.len() > 1
            && (files.len() > self.max_files
                || total > self.max_bytes
                || files.front().is_some_and(|file| file.made.elapsed() >= ERROR_FILES_KEPT))
        {
            total -= files.pop_front().map_or(0, |file| file.bytes.len());
        }
        id
    }

    fn get(&self, user_id: i64, id: &str) -> Option<Bytes> {
        let files = self.files.lock().unwrap_or_else(|e| e.into_inner());
        files
            .iter()
            .find(|file| file.id == id && file.user_id == user_id && file.made.elapsed() < ERROR_FILES_KEPT)
            .map(|file| file.bytes.clone())
    }
}

/// One import's progress as the server checks and writes its rows: the stage (0 before
/// the first row, then `ImportStage` as 1 and 2), the rows done and the rows in all.
#[derive(Default)]
struct Progress {
    stage: AtomicU8,
    done: AtomicUsize,
    total: AtomicUsize,
}

impl Progress {
    fn report(&self, stage: ImportStage, done: usize, total: usize) {
        self.stage.store(if stage == ImportStage::Checking { 1 } else { 2 }, Ordering::Relaxed);
        self.total.store(total, Ordering::Relaxed);
        self.done.store(done, Ordering::Relaxed);
    }

    fn as_json(&self) -> serde_json::Value {
        let stage = match self.stage.load(Ordering::Relaxed) {
            1 => Some(ImportStage::Checking.label()),
            2 => Some(ImportStage::Writing.label()),
            _ => None,
        };
        let (done, total) = (self.done.load(Ordering::Relaxed), self.total.load(Ordering::Relaxed));
        serde_json::json!({ "stage": stage, "done": done, "total": total })
    }
}

/// The running imports' progress, by user and the token the page made for the upload
/// (so that the bar follows the server's checking and writing, not the upload alone).
/// Past `PROGRESS_MAX` entries or `PROGRESS_KEPT` of age the oldest go first.
#[derive(Default)]
pub struct ImportProgressBoard {
    /// Oldest first.
    entries: Mutex<VecDeque<ProgressEntry>>,
}

struct ProgressEntry {
    user_id: i64,
    token: String,
    made: Instant,
    progress: Arc<Progress>,
}

impl ProgressEntry {
    fn is(&self, user_id: i64, token: &str) -> bool {
        self.user_id == user_id && self.token == token
    }
}

impl ImportProgressBoard {
    fn start(&self, user_id: i64, token: String) -> ImportProgress {
        let progress = Arc::new(Progress::default());
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.retain(|entry| !entry.is(user_id, &token) && entry.made.elapsed() < PROGRESS_KEPT);
        while entries.len() >= PROGRESS_MAX {
            entries.pop_front();
        }
        entries.push_back(ProgressEntry { user_id, token, made: Instant::now(), progress: Arc::clone(&progress) });
        ImportProgress::new(move |stage, done, total| progress.report(stage, done, total))
    }

    fn get(&self, user_id: i64, token: &str) -> Option<serde_json::Value> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries
            .iter()
            .find(|entry| entry.is(user_id, token) && entry.made.elapsed() < PROGRESS_KEPT)
            .map(|entry| entry.progress.as_json())
    }
}

/// A progress token as the page makes it: 16 to 64 lower-case hexadecimal digits.
fn progress_token(text: &str) -> WebResult<String> {
    let valid =
        (16..=64).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    valid.then(|| text.to_string()).ok_or_else(|| WebError::bad_request("进度标识无效"))
}

/// How far the user's import with this token has got, as JSON for the page's bar.
pub async fn progress(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Path(token): Path<String>,
) -> WebResult<Response> {
    require_importer(&session).map_err(WebError::as_json)?;
    let token = progress_token(&token).map_err(WebError::as_json)?;
    let progress = state
        .import_progress
        .get(session.principal.user_id, &token)
        .ok_or_else(|| WebError::not_found("该导入的进度").as_json())?;
    Ok(Json(progress).into_response())
}

pub async fn upload(
    State(state): State<AppState>,
    headers: HeaderMap,
    CsrfMultipart(session, multipart): CsrfMultipart,
) -> WebResult<Response> {
    // The import page uploads with a progress bar and shows a refusal's reason from JSON.
    let wants_json = wants_json(&headers);
    import_upload(&state, &session, multipart, wants_json).await.map_err(|e| if wants_json { e.as_json() } else { e })
}

/// The form field of the choice for the file's column at a position (`map_4`): a field
/// key, or empty to ignore the column.
const MAPPING_FIELD_PREFIX: &str = "map_";

async fn import_upload(
    state: &AppState,
    session: &Session,
    mut multipart: Multipart,
    wants_json: bool,
) -> WebResult<Response> {
    require_importer(session)?;
    let mut kind = String::new();
    let mut options = exchange::ImportOptions::default();
    let mut file: Option<(String, Vec<u8>)> = None;
    let mut chosen: Option<HashMap<usize, String>> = None;
    while let Some(field) =
        multipart.next_field().await.map_err(|e| WebError::bad_request(format!("上传内容无效：{e}")))?
    {
        let name = field.name().unwrap_or("").to_string();
        match name.as_str() {
            "kind" => kind = field.text().await.unwrap_or_default(),
            "dry_run" => options.dry_run = !field.text().await.unwrap_or_default().is_empty(),
            "progress" => {
                let token = progress_token(&field.text().await.unwrap_or_default())?;
                options.progress = state.import_progress.start(session.principal.user_id, token);
            }
            "assign_codes" => {
                options.assign_codes = Some(field.text().await.unwrap_or_default()).filter(|p| !p.trim().is_empty())
            }
            "file" => {
                let name = field.file_name().unwrap_or("").to_string();
                let bytes = field.bytes().await.map_err(|e| WebError::bad_request(format!("文件上传失败：{e}")))?;
                file = Some((name, bytes.to_vec()));
            }
            _ => {
                if let Some(position) = name.strip_prefix(MAPPING_FIELD_PREFIX) {
                    let position =
                        position.parse().map_err(|_| WebError::bad_request(format!("列对应“{name}”无效")))?;
                    let key = field.text().await.unwrap_or_default();
                    chosen.get_or_insert_with(HashMap::new).insert(position, key);
                }
            }
        }
    }
    let kind = ImportKind::parse(&kind)?;
    let (file_name, bytes) =
        file.filter(|(name, _)| !name.is_empty()).ok_or_else(|| WebError::bad_request("请选择要导入的文件"))?;
    let outcome = state
        .app
        .import_upload(&session.principal, &session.actor(), kind, &file_name, &bytes, &options, chosen.as_ref())
        .await?;
    let report = match outcome {
        ImportOutcome::Imported(report) => report,
        ImportOutcome::NeedsMapping(question) => return mapping_response(session, &question, wants_json),
    };
    let errors_url = if report.is_ok() {
        None
    } else {
        let workbook = exchange::problems_workbook(kind, &file_name, &bytes, &report)?;
        Some(format!("/import/errors/{}", state.error_files.put(session.principal.user_id, workbook)))
    };
    if wants_json {
        return Ok(Json(
            serde_json::json!({ "report": report, "summary": report.summary_zh(), "errors_url": errors_url }),
        )
        .into_response());
    }
    let html = page(
        session,
        "/import",
        "import/import.html",
        context! { kinds => kinds(), report => report, summary => report.summary_zh(), errors_url => errors_url },
    )?;
    Ok(html.into_response())
}

/// The question about a file's unrecognised columns: the mapping form (inside the upload
/// form, so that the next submission sends the choices with the file), as the page or,
/// for the script, as JSON carrying the form's HTML.
fn mapping_response(session: &Session, question: &MappingQuestion, wants_json: bool) -> WebResult<Response> {
    let message = format!("文件中有未识别的列，请选择每列对应的{}字段（或忽略）后再导入", question.kind_label);
    if wants_json {
        let form = render("import/mapping.html", context! { mapping => question })?;
        return Ok(Json(serde_json::json!({ "mapping_html": form.0, "message": message })).into_response());
    }
    let html = page(
        session,
        "/import",
        "import/import.html",
        context! { kinds => kinds(), kind => question.kind, mapping => question, mapping_message => message },
    )?;
    Ok(html.into_response())
}

pub async fn error_file(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Path(id): Path<String>,
) -> WebResult<Response> {
    require_importer(&session)?;
    let bytes = state
        .error_files
        .get(session.principal.user_id, &id)
        .ok_or_else(|| WebError::not_found("该错误清单（已过期）"))?;
    Ok(download_bytes(bytes, XLSX, "import-errors.xlsx"))
}

pub async fn template(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Path(kind): Path<String>,
) -> WebResult<Response> {
    require_importer(&session)?;
    let kind = ImportKind::parse(kind.trim_end_matches(".xlsx"))?;
    let workbook = state.app.import_template(&session.principal, kind).await?;
    Ok(download_bytes(workbook, XLSX, &format!("template-{}.xlsx", kind.key())))
}

#[cfg(test)]
mod tests {
    use super::ErrorFiles;

    #[test]
    fn error_files_past_their_bounds_drop_the_oldest_first() {
        let files = ErrorFiles::with_bounds(3, 100);
        let first = files.put(1, vec![0; 40]);
        let second = files.put(1, vec![0; 40]);
        let others = files.put(2, vec![0; 10]);
        assert!(files.get(1, &first).is_some() && files.get(1, &second).is_some());
        assert!(files.get(1, &others).is_none(), "a user downloads only their own");
        assert_eq!(files.get(2, &others).unwrap().len(), 10);

        let fourth = files.put(1, vec![0; 30]);
        assert!(files.get(1, &first).is_none(), "130 bytes past the 100: the oldest goes");
        assert!(files.get(1, &second).is_some() && files.get(1, &fourth).is_some());

        let fifth = files.put(2, vec![0; 1]);
        assert!(files.get(1, &second).is_none(), "a fourth file past the 3: the oldest goes");
        assert!(files.get(2, &others).is_some() && files.get(1, &fourth).is_some() && files.get(2, &fifth).is_some());

        let large = files.put(1, vec![0; 500]);
        assert_eq!(files.get(1, &large).unwrap().len(), 500, "the newest stays, alone");
        assert!([&others, &fifth].iter().all(|id| files.get(2, id).is_none()) && files.get(1, &fourth).is_none());
    }
}
