//! Attachments over HTTP: region staff attach a PDF to an appeal of their region, which
//! its page lists and whose download gives back the same bytes, as a download of the
//! sniffed type; wrong kinds, oversize files, too many files, empty or forged uploads are
//! refused in Chinese and store nothing; another region's staff are told "not found"
//! without the appeal's code; a reader may download but not remove; the removal is
//! audited. Achievements take files from the pool's managers only, research reports from
//! the members who may file them. The portal's appeal
//! form takes up to three files, shown on the tracking page, where the enterprise (and
//! nobody without the code) downloads them.

mod common;

use axum::http::{header, StatusCode};
use common::*;
use zhaoshang_core::attachments::{sample_pdf, OwnerKind, MAX_BYTES, MAX_PER_OWNER};
use zhaoshang_store::appeals::{AppealFilter, AppealSort};
use zhaoshang_store::AuditFilter;
use zhaoshang_testkit::Backend;

on_both_backends!(
    staff_attach_download_and_remove_files_of_their_appeals,
    the_pool_managers_attach_files_to_achievements,
    the_portal_form_takes_a_few_files,
    members_attach_files_to_the_reports_they_file,
);

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR";

/// An appeal of 白银 (620400).
async fn baiyin_appeal(app: &TestApp) -> String {
    let filter = AppealFilter { region_prefix: "6204".into(), ..Default::default() };
    app.store().list_appeals(&filter, AppealSort::default(), 1, 0).await.unwrap().remove(0).data.code
}

async fn staff_attach_download_and_remove_files_of_their_appeals(backend: Backend) {
    let app = TestApp::demo(backend).await;
    let store = app.store();
    let code = baiyin_appeal(&app).await;
    let uri = format!("/appeals/{code}/attachments");
    let baiyin = app.sign_in_demo("baiyin").await;
    let csrf = app.csrf(&baiyin).await;
    let pdf = sample_pdf("appeal evidence");
    // One file there already, so that a full request overflows the record's bound.
    let setup = zhaoshang_store::attachments::NewAttachment {
        file_name: "已有.pdf".into(),
        content_type: "application/pdf".into(),
        sha256: String::new(),
        content: pdf.clone(),
    };
    store.add_attachments(OwnerKind::Appeal, &code, &[setup], &zhaoshang_store::Actor::system("测试")).await.unwrap();
    let existing = store.attachments_of(OwnerKind::Appeal, &code).await.unwrap().len();
    let upload =
        |files: &[(&str, &[u8])], token: &str| multipart_request(&uri, Some(&baiyin), &[("csrf", token)], files);

    // Refusals: each in Chinese, 4xx, nothing stored.
    let before = store.change_stamp().await.unwrap();
    let mut big = b"%PDF-1.4\n".to_vec();
    big.resize(MAX_BYTES + 1, b' ');
    let mut huge = big.clone();
    huge.resize(MAX_BYTES + 2 * 1024 * 1024, b' ');
    let eleven: Vec<(String, &[u8])> = (0..=MAX_PER_OWNER).map(|n| (format!("{n}.pdf"), pdf.as_slice())).collect();
    let eleven: Vec<(&str, &[u8])> = eleven.iter().map(|(name, bytes)| (name.as_str(), *bytes)).collect();
    let too_many_now: Vec<(&str, &[u8])> = eleven[..MAX_PER_OWNER + 1 - existing].to_vec();
    for (files, status, message) in [
        (vec![("setup.exe", b"MZ\x90\x00\x03".as_slice())], StatusCode::UNPROCESSABLE_ENTITY, "类型不受支持"),
        (vec![("伪装.pdf", b"PK\x03\x04 not office".as_slice())], StatusCode::UNPROCESSABLE_ENTITY, "类型不受支持"),
        (vec![("大.pdf", big.as_slice())], StatusCode::UNPROCESSABLE_ENTITY, "过大"),
        (vec![("很大.pdf", huge.as_slice())], StatusCode::PAYLOAD_TOO_LARGE, "上传内容过大"),
        (vec![("", b"".as_slice())], StatusCode::UNPROCESSABLE_ENTITY, "请选择要上传的文件"),
        (vec![("空.txt", b"".as_slice()), ("a.pdf", pdf.as_slice())], StatusCode::UNPROCESSABLE_ENTITY, "是空的"),
        (vec![], StatusCode::UNPROCESSABLE_ENTITY, "请选择要上传的文件"),
        (eleven.clone(), StatusCode::UNPROCESSABLE_ENTITY, "一次最多上传"),
        (too_many_now, StatusCode::UNPROCESSABLE_ENTITY, "附件过多"),
    ] {
        let names: Vec<&str> = files.iter().map(|(name, _)| *name).collect();
        let response = app.send(upload(&files, &csrf)).await;
        assert_eq!(response.status(), status, "{names:?}");
        let text = body_text(response).await;
        assert!(text.contains(message), "{names:?}: {text}");
    }
    let forged = app.send(upload(&[("a.pdf", &pdf)], "forged")).await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    assert_eq!(store.change_stamp().await.unwrap(), before, "no refusal stores anything");
    assert_eq!(store.attachments_of(OwnerKind::Appeal, &code).await.unwrap().len(), existing);

    // Attached: listed on the appeal's page with its size and uploader.
    let response = app.send(upload(&[("C:\\材料\\情况说明.pdf", &pdf)], &csrf)).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()[header::LOCATION], format!("/appeals/{code}#attachments"));
    let listed = store.attachments_of(OwnerKind::Appeal, &code).await.unwrap();
    let added = listed.last().unwrap();
    assert_eq!((added.file_name.as_str(), added.size_bytes), ("情况说明.pdf", pdf.len() as i64));
    let page = body_text(app.get(&format!("/appeals/{code}"), Some(&baiyin)).await).await;
    let row = &page[page.find(&format!("/attachments/{}\"", added.id)).expect("the download link")..];
    let row = &row[..row.find("</tr>").unwrap()];
    let size = format!("<td>{} B</td>", pdf.len());
    assert!(row.contains("情况说明.pdf") && row.contains(&size) && row.contains("baiyin"), "{row}");
    assert!(page.contains("id=\"attachment-form\""), "the writer may add more");
    // Among the region's recent changes on the home page, not among another region's.
    let entry = format!("附件「{}」", added.id);
    let recent = |home: String| home.find("id=\"recent-changes\"").map(|at| home[at..].to_string()).unwrap_or_default();
    let home = body_text(app.get("/", Some(&baiyin)).await).await;
    assert!(recent(home).contains(&entry), "白银's recent changes list the file");
    let other = app.sign_in_demo("tianshui").await;
    assert!(!recent(body_text(app.get("/", Some(&other)).await).await).contains(&entry));

    // The download: the same bytes, the sniffed type, never shown inline.
    let response = app.get(&format!("/attachments/{}", added.id), Some(&baiyin)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let headers = response.headers().clone();
    assert_eq!(headers[header::CONTENT_TYPE], "application/pdf");
    assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    let disposition = headers[header::CONTENT_DISPOSITION].to_str().unwrap();
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    assert!(disposition.contains("filename*=UTF-8''%E6%83%85%E5%86%B5%E8%AF%B4%E6%98%8E.pdf"), "{disposition}");
    assert_eq!(body_bytes(response).await, pdf);
    // Text is served as text, whatever it holds.
    let html = b"<script>alert(1)</script>".as_slice();
    assert_eq!(app.send(upload(&[("page.html", html)], &csrf)).await.status(), StatusCode::SEE_OTHER);
    let text = store.attachments_of(OwnerKind::Appeal, &code).await.unwrap().pop().unwrap();
    assert_eq!(text.file_name, "page.html.txt");
    let response = app.get(&format!("/attachments/{}", text.id), Some(&baiyin)).await;
    assert_eq!(response.headers()[header::CONTENT_TYPE], "text/plain; charset=utf-8");

    // Another region's staff: not found, and not told which appeal.
    let tianshui = app.sign_in_demo("tianshui").await;
    let tianshui_csrf = app.csrf(&tianshui).await;
    let member = app.sign_in_demo("member").await;
    let member_csrf = app.csrf(&member).await;
    let before = store.change_stamp().await.unwrap();
    for response in [
        app.get(&format!("/attachments/{}", added.id), Some(&tianshui)).await,
        app.post_form(&format!("/attachments/{}/delete", added.id), &tianshui, &format!("csrf={tianshui_csrf}")).await,
    ] {
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        let text = body_text(response).await;
        assert!(text.contains("未找到该附件") && !text.contains(&code), "{text}");
    }
    let outside = multipart_request(&uri, Some(&tianshui), &[("csrf", &tianshui_csrf)], &[("a.pdf", &pdf)]);
    assert_eq!(app.send(outside).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.get("/attachments/999999", Some(&baiyin)).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.get("/attachments/x", Some(&baiyin)).await.status(), StatusCode::NOT_FOUND);

    // A member reads every appeal: downloads, but neither adds nor removes.
    assert_eq!(app.get(&format!("/attachments/{}", added.id), Some(&member)).await.status(), StatusCode::OK);
    let page = body_text(app.get(&format!("/appeals/{code}"), Some(&member)).await).await;
    assert!(page.contains("情况说明.pdf") && !page.contains("attachment-form") && !page.contains("attachment-delete"));
    let delete = format!("/attachments/{}/delete", added.id);
    let removal = app.post_form(&delete, &member, &format!("csrf={member_csrf}")).await;
    assert_eq!(removal.status(), StatusCode::FORBIDDEN);
    assert_eq!(store.change_stamp().await.unwrap(), before, "refused requests change nothing");

    // Removed by its region's staff, audited.
    let forged = app.post_form(&format!("/attachments/{}/delete", added.id), &baiyin, "csrf=forged").await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let response = app.post_form(&format!("/attachments/{}/delete", added.id), &baiyin, &format!("csrf={csrf}")).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(store.attachment(added.id).await.unwrap().is_none());
    let filter = AuditFilter { entity: Some("attachment".into()), per_page: 50, ..Default::default() };
    let (entries, _) = store.audit_entries(&filter).await.unwrap();
    let id = added.id.to_string();
    let of_it: Vec<_> =
        entries.iter().filter(|e| e.entity_id == id).map(|e| (e.action.as_str(), e.actor_name.as_str())).collect();
    assert_eq!(of_it, [("delete", "baiyin"), ("create", "baiyin")]);
    let audit =
        body_text(app.get("/admin/audit?entity=attachment", Some(&app.sign_in_demo("admin").await)).await).await;
    assert!(
        audit.contains("情况说明.pdf") && audit.contains("营商环境诉求"),
        "the audit page names the file and its record"
    );
}

async fn the_pool_managers_attach_files_to_achievements(backend: Backend) {
    let app = TestApp::demo(backend).await;
    let store = app.store();
    let filter = zhaoshang_store::achievements::AchievementFilter::default();
    let code = store.achievements_page(&filter, Default::default(), 1, 0).await.unwrap().remove(0).code;
    let uri = format!("/achievements/{code}/attachments");
    let admin = app.sign_in_demo("admin").await;
    let csrf = app.csrf(&admin).await;
    let response = app.send(multipart_request(&uri, Some(&admin), &[("csrf", &csrf)], &[("样机照片.png", PNG)])).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let added = store.attachments_of(OwnerKind::Achievement, &code).await.unwrap().pop().unwrap();
    assert_eq!((added.file_name.as_str(), added.content_type.as_str()), ("样机照片.png", "image/png"));
    assert!(body_text(app.get(&format!("/achievements/{code}"), Some(&admin)).await).await.contains("样机照片.png"));

    // A leader reads the registry: downloads, adds nothing.
    let leader = app.sign_in_demo("leader").await;
    let leader_csrf = app.csrf(&leader).await;
    let response = app.get(&format!("/attachments/{}", added.id), Some(&leader)).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(body_bytes(response).await, PNG);
    let refused = multipart_request(&uri, Some(&leader), &[("csrf", &leader_csrf)], &[("a.png", PNG)]);
    assert_eq!(app.send(refused).await.status(), StatusCode::FORBIDDEN);
    // Region staff of a city see no achievement: not found.
    let baiyin = app.sign_in_demo("baiyin").await;
    assert_eq!(app.get(&format!("/attachments/{}", added.id), Some(&baiyin)).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(store.attachments_of(OwnerKind::Achievement, &code).await.unwrap().len(), 2, "the demo's and this one");
}

async fn members_attach_files_to_the_reports_they_file(backend: Backend) {
    let app = TestApp::demo(backend).await;
    let store = app.store();
    let report = store.reports_page("6205", 1, 0).await.unwrap().remove(0);
    let key = report.id.to_string();
    let uri = format!("/reports/{key}/attachments");
    let member = app.sign_in_demo("member").await;
    let csrf = app.csrf(&member).await;
    let pdf = sample_pdf("report text");
    let response =
        app.send(multipart_request(&uri, Some(&member), &[("csrf", &csrf)], &[("调研报告.pdf", &pdf)])).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()[header::LOCATION], format!("/reports/{key}#attachments"));
    let added = store.attachments_of(OwnerKind::Report, &key).await.unwrap().pop().unwrap();
    assert_eq!(added.file_name, "调研报告.pdf");
    let page = body_text(app.get(&format!("/reports/{key}"), Some(&member)).await).await;
    assert!(page.contains("调研报告.pdf") && page.contains("id=\"attachment-form\""), "listed, more may be added");

    // The leader reads and downloads, adds nothing; another city's staff: not found.
    let leader = app.sign_in_demo("leader").await;
    let leader_csrf = app.csrf(&leader).await;
    let response = app.get(&format!("/attachments/{}", added.id), Some(&leader)).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(body_bytes(response).await, pdf);
    let baiyin = app.sign_in_demo("baiyin").await;
    let baiyin_csrf = app.csrf(&baiyin).await;
    let before = store.change_stamp().await.unwrap();
    let refused = multipart_request(&uri, Some(&leader), &[("csrf", &leader_csrf)], &[("a.pdf", &pdf)]);
    assert_eq!(app.send(refused).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.get(&format!("/attachments/{}", added.id), Some(&baiyin)).await.status(), StatusCode::NOT_FOUND);
    let removal =
        app.post_form(&format!("/attachments/{}/delete", added.id), &baiyin, &format!("csrf={baiyin_csrf}")).await;
    assert_eq!(removal.status(), StatusCode::NOT_FOUND);
    assert_eq!(store.change_stamp().await.unwrap(), before, "refused requests change nothing");
    // The member removes it again.
    let removal = app.post_form(&format!("/attachments/{}/delete", added.id), &member, &format!("csrf={csrf}")).await;
    assert_eq!(removal.status(), StatusCode::SEE_OTHER);
    assert_eq!(removal.headers()[header::LOCATION], format!("/reports/{key}#attachments"));
    assert!(store.attachment(added.id).await.unwrap().is_none());
}

/// The portal's appeal form: its cookie and token.
async fn portal_form(app: &TestApp) -> (String, String) {
    let response = app.get("/portal/appeals/new", None).await;
    let cookie = response.headers()[header::SET_COOKIE].to_str().unwrap().split(';').next().unwrap().to_string();
    let html = body_text(response).await;
    assert!(html.contains("enctype=\"multipart/form-data\"") && html.contains("name=\"file\""));
    let token = cookie.split_once('=').unwrap().1.to_string();
    (cookie, token)
}

async fn the_portal_form_takes_a_few_files(backend: Backend) {
    let app = TestApp::demo(backend).await;
    let store = app.store();
    let pdf = sample_pdf("portal");
    let send = |cookie: String, token: String, enterprise: &'static str, files: Vec<(&'static str, Vec<u8>)>| {
        let app = &app;
        async move {
            let fields = [
                ("csrf", token.as_str()),
                ("lang", "zh"),
                ("enterprise", enterprise),
                ("region", "620402"),
                ("dimension", "market"),
                ("content", "门户附件测试"),
                ("contact", "13800000000"),
                ("website", ""),
            ];
            let files: Vec<(&str, &[u8])> = files.iter().map(|(n, b)| (*n, b.as_slice())).collect();
            let mut request = multipart_request("/portal/appeals", None, &fields, &files);
            request.headers_mut().insert(header::COOKIE, cookie.parse().unwrap());
            app.send(request).await
        }
    };
    let count = || async {
        let filter =
            AppealFilter { region_prefix: "620402".into(), q: Some("门户附件测试".into()), ..Default::default() };
        store.count_appeals(&filter).await.unwrap()
    };

    // A wrong kind or a fourth file: the form again with the reason, no appeal.
    let (cookie, token) = portal_form(&app).await;
    let response = send(cookie.clone(), token.clone(), "门户甲公司", vec![("a.exe", b"MZ\x90\x00".to_vec())]).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let text = body_text(response).await;
    assert!(text.contains("data-error-for=\"file\"") && text.contains("类型不受支持"), "{text}");
    let four = vec![("1.pdf", pdf.clone()), ("2.pdf", pdf.clone()), ("3.pdf", pdf.clone()), ("4.pdf", pdf.clone())];
    let response = send(cookie.clone(), token.clone(), "门户甲公司", four).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body_text(response).await.contains("最多上传 3 个附件"));
    assert_eq!(count().await, 0);

    // Three files: filed with them, listed on the tracking page.
    let files =
        vec![("营业执照.pdf", pdf.clone()), ("现场.png", PNG.to_vec()), ("说明.txt", "情况说明".as_bytes().to_vec())];
    let response = send(cookie, token, "门户乙公司", files).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let track = response.headers()[header::LOCATION].to_str().unwrap().to_string();
    assert_eq!(count().await, 1);
    let page = body_text(app.get(&track, None).await).await;
    let listed = &page[page.find("id=\"tracked-files\"").expect("the files")..];
    for name in ["营业执照.pdf", "现场.png", "说明.txt"] {
        assert!(listed.contains(name), "{name}");
    }
    assert!(!page.contains("/attachments/"), "the portal offers no staff download link");

    // The enterprise downloads each of its files by the tracking code, without an account.
    let tracking = track.trim_start_matches("/portal/track/");
    let links: Vec<&str> = listed
        .split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .take_while(|l| l.contains("/files/"))
        .collect();
    assert_eq!(links.len(), 3, "{listed}");
    let sent = [pdf.as_slice(), PNG, "情况说明".as_bytes()];
    for (link, bytes) in links.iter().zip(sent) {
        assert!(link.starts_with(&format!("/portal/track/{tracking}/files/")), "{link}");
        let response = app.get(link, None).await;
        assert_eq!(response.status(), StatusCode::OK, "{link}");
        assert!(response.headers()[header::CONTENT_DISPOSITION].to_str().unwrap().starts_with("attachment"));
        assert_eq!(body_bytes(response).await, bytes);
    }
    // Not through another code, and not the files the staff add to the appeal.
    let file_id = links[0].rsplit('/').next().unwrap();
    let response = app.get(&format!("/portal/track/ABCDEFGHJKMN/files/{file_id}"), None).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let appeal = store.appeal_by_tracking_code(tracking).await.unwrap().expect("the portal's appeal");
    let staff_file = zhaoshang_store::attachments::NewAttachment {
        file_name: "内部.pdf".into(),
        content_type: "application/pdf".into(),
        sha256: String::new(),
        content: pdf.clone(),
    };
    let actor = zhaoshang_store::Actor::system("测试");
    let staff = store.add_attachments(OwnerKind::Appeal, &appeal.data.code, &[staff_file], &actor).await.unwrap();
    let response = app.get(&format!("/portal/track/{tracking}/files/{}", staff[0].id), None).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert!(!body_text(app.get(&track, None).await).await.contains("内部.pdf"));
}
