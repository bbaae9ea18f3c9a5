//! The public investor portal (投资门户), in Chinese and English without signing in:
//! parks, parcels on offer and the published S&T pool, an enquiry form on every item
//! (each enquiry a lead with the leads' clocks, see app::portal) and the page where the
//! enquirer follows the answers by its tracking code.
//!
//! A visitor has no session, so the enquiry form carries its own CSRF token equal to a
//! cookie set with the form (as the sign-in form does); a hidden field people never
//! fill catches simple robots, and the app throttles enquiries per address.

use crate::auth::{self, ClientAddr, CsrfForm, MaybeSession, PageSession, Session};
use crate::error::{WebError, WebResult};
use crate::pages::{attachments, download_bytes, inline_bytes};
use crate::query::Query;
use crate::routes::Routes;
use crate::templates::render;
use crate::AppState;
use axum::extract::{DefaultBodyLimit, Form, FromRequest, Multipart, Path, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use minijinja::{context, Value};
use serde::Deserialize;
use std::collections::HashMap;
use zhaoshang_app::attachments::Upload;
use zhaoshang_app::parcels::{parcel_visibility, search_parcels};
use zhaoshang_app::portal::{step_label, EnquiryForm, PortalAppealForm, RegionChoice, Tracked, MAX_PORTAL_FILES};
use zhaoshang_core::appeals::flow::ActionKind;
use zhaoshang_core::appeals::{Dimension, Rating, CATEGORIES};
use zhaoshang_core::money::Yuan;
use zhaoshang_core::parcels::{Search, SearchParams};
use zhaoshang_store::portal::Promotion;

/// The most parcels on offer the portal's front page lists.
const FRONT_PARCELS: usize = 50;
/// The most projects put forward the front page lists.
const FRONT_PROJECTS: i64 = 30;
/// The characters of a pitch the front page's list shows.
const PITCH_SHORT: usize = 60;
/// The enquiry form's token cookie, readable only by the portal's own pages.
const PORTAL_COOKIE: &str = "zs_portal";

pub fn routes() -> Routes {
    Routes::new()
        .route("/portal", get(front))
        .route("/portal/parks/{id}", get(park))
        .route("/portal/parks/{id}/photos/{photo}", get(park_photo))
        .route("/portal/parcels/{code}", get(parcel))
        .route("/portal/projects/{code}", get(project))
        .route("/portal/achievements/{year}/{code}", get(achievement))
        .route("/portal/enquiries", post(enquire))
        .route("/portal/appeals/new", get(appeal_form))
        .route("/portal/appeals", post(file_appeal).layer(DefaultBodyLimit::max(attachments::BODY_LIMIT)))
        .route("/portal/track", get(track_form))
        .route("/portal/track/{code}", get(track))
        .route("/portal/track/{code}/rating", post(rate))
        .route("/portal/track/{code}/files/{id}", get(tracked_file))
        .route("/portal/shortlist", get(shortlist).post(keep))
}

/// The portal's words in its two languages: (key, Chinese, English).
const WORDS: &[(&str, &str, &str)] = &[
    ("portal", "甘肃投资门户", "Gansu Investment Portal"),
    ("tagline", "园区、可供地块与科技成果，在线了解、在线咨询", "Parks, available land and technologies — explore and enquire online"),
    ("switch", "English", "中文"),
    ("parks", "产业园区", "Industrial parks"),
    ("park", "园区", "Park"),
    ("level", "级别", "Level"),
    ("region", "地区", "Region"),
    ("industries", "主导产业", "Leading industries"),
    ("area", "面积", "Area"),
    ("mu", "亩", "mu"),
    ("parcels", "可供地块", "Available parcels"),
    ("parcel", "地块", "Parcel"),
    ("land_use", "用地性质", "Land use"),
    ("price", "价格（万元/亩）", "Price (10k CNY per mu)"),
    ("negotiable", "面议", "Negotiable"),
    ("plot_ratio", "容积率", "Plot ratio"),
    ("location", "位置", "Location"),
    ("map", "在地图上查看和比较", "Search on the map and compare"),
    ("infrastructure", "基础设施（水电路网气暖讯）", "Infrastructure (water, power, roads, network, gas, heating, telecom)"),
    ("policies", "政策", "Policies"),
    ("built_area", "建成面积", "Built-up area"),
    ("chains", "产业链", "Industrial chains"),
    ("energy_quota", "能耗指标", "Energy-use quota"),
    ("tce", "吨标准煤/年", "t of standard coal equivalent per year"),
    ("photos", "园区照片", "Photos"),
    ("pool", "科技成果转化池", "Technology transfer pool"),
    ("achievement", "成果", "Technology"),
    ("institution", "完成单位", "Institution"),
    ("maturity", "成熟度", "Maturity"),
    ("ip", "知识产权", "Intellectual property"),
    ("description", "简介", "Description"),
    ("rank", "行业内排名", "Rank in industry"),
    ("none", "暂无", "None yet"),
    ("more", "更多", "More"),
    ("enquire", "在线咨询", "Enquire online"),
    ("enquire_hint", "提交后由所在地招商部门在规定工作日内答复；请保存查询码以查看答复。", "The local investment promotion office answers within set working days; keep your tracking code to read the answers."),
    ("organisation", "投资方（单位或个人）", "Investor (company or person)"),
    ("person", "联系人", "Contact person"),
    ("contact", "联系电话或电子邮箱", "Phone or e-mail"),
    ("amount", "意向投资额（万元，可不填）", "Intended investment (10k CNY, optional)"),
    ("message", "咨询内容", "Your question"),
    ("website", "网址（请勿填写）", "Website (leave empty)"),
    ("send", "提交咨询", "Send enquiry"),
    ("track", "查询答复", "Track an enquiry"),
    ("tracking_code", "查询码", "Tracking code"),
    ("look_up", "查询", "Look up"),
    ("received", "已收到您的咨询", "Your enquiry has been received"),
    ("keep_code", "请保存查询码，凭此查看答复：", "Keep this tracking code to read the answers:"),
    ("subject", "咨询事项", "Subject"),
    ("sent_on", "提交日期", "Sent on"),
    ("answers", "答复", "Answers"),
    ("no_answer", "尚未答复，所在地招商部门将在规定时限内答复。", "No answer yet; the local office answers within the set time."),
    ("next_due", "下一环节应办日期", "Next step due"),
    ("staff", "工作人员登录", "Staff sign-in"),
    ("errors", "请修改以下内容后重新提交", "Please correct the following and send again"),
    ("appeals", "企业诉求", "Business appeals"),
    ("projects", "推介项目", "Projects seeking investors"),
    ("shortlist", "我的关注", "My shortlist"),
    ("keep", "加入关注", "Add to my shortlist"),
    ("unkeep", "取消关注", "Remove from my shortlist"),
    ("kept", "已关注", "On your shortlist"),
    ("gone", "该项已不再公开", "No longer offered"),
    ("project", "项目", "Project"),
    ("investment", "总投资（万元）", "Total investment (10k CNY)"),
    ("industry", "行业", "Industry"),
    ("file_appeal", "反映企业诉求", "File a business appeal"),
    ("appeal_hint", "企业在市场监管、纳税服务、政策支持、要素保障、审批服务等方面遇到的堵点问题，由所在地承办部门在规定工作日内办理答复。", "Problems your business meets with regulation, taxes, policies, land, power, approvals or finance: the local department answers within set working days."),
    ("enterprise", "企业名称", "Enterprise"),
    ("credit_code", "统一社会信用代码（可不填）", "Unified social credit code (optional)"),
    ("county", "所在县区", "County or district"),
    ("choose", "请选择", "Choose"),
    ("dimension", "诉求维度", "Area"),
    ("category", "诉求类别", "Category"),
    ("content", "诉求内容", "Your appeal"),
    ("appeal_contact", "联系电话或电子邮箱", "Phone or e-mail"),
    ("submit_appeal", "提交诉求", "Submit appeal"),
    ("files", "附件", "Attachments"),
    ("files_hint", "可选；最多 {n} 个，PDF、图片、Word、Excel 或纯文本，合计不超过 10 MB。", "Optional; up to {n} files (PDF, images, Word, Excel or plain text), 10 MB in all."),
    ("appeal_code", "诉求编号", "Appeal number"),
    ("stage", "办理状态", "Status"),
    ("due_on", "应答复日期", "Answer due by"),
    ("department", "承办单位", "Handled by"),
    ("course", "办理过程", "Course"),
    ("rate", "请评价答复", "Rate the answer"),
    ("rate_send", "提交评价", "Send rating"),
    ("satisfied", "满意", "Satisfied"),
    ("fairly_satisfied", "基本满意", "Fairly satisfied"),
    ("dissatisfied", "不满意（将重新办理）", "Dissatisfied (handled again)"),
];

/// `lang=en` asks for English; anything else is Chinese.
#[derive(Deserialize, Default)]
pub struct LangQuery {
    lang: Option<String>,
    code: Option<String>,
}

fn english(lang: Option<&str>) -> bool {
    lang == Some("en")
}

/// The query that keeps a redirect in the language the visitor reads.
fn lang_suffix(en: bool) -> &'static str {
    if en {
        "?lang=en"
    } else {
        ""
    }
}

/// The words of the language asked for, as the templates' `t`.
fn words(en: bool) -> Value {
    Value::from_iter(WORDS.iter().map(|(key, zh, english)| (*key, if en { *english } else { *zh })))
}

/// The context every portal page shares: its words, its language and, for pages with
/// the enquiry form, the form's token.
fn portal_context(en: bool, token: &str, data: Value) -> Value {
    context! { t => words(en), en => en, lang => if en { "en" } else { "zh" }, portal_csrf => token, ..data }
}

/// A portal page with an enquiry form: renders it with a fresh token and sets the cookie.
fn form_page(state: &AppState, en: bool, template: &str, data: Value) -> WebResult<Response> {
    let token = auth::random_token();
    let html = render(template, portal_context(en, &token, data))?;
    Ok((
        [(header::SET_COOKIE, auth::form_token_cookie(PORTAL_COOKIE, "/portal", &token, state.config.secure_cookies))],
        html,
    )
        .into_response())
}

pub async fn front(State(state): State<AppState>, Query(query): Query<LangQuery>) -> WebResult<Response> {
    let en = english(query.lang.as_deref());
    let parks = state.app.park_views().await?;
    let (search, _) = Search::from_params(&SearchParams::default()).map_err(WebError::bad_request)?;
    let parcels = search_parcels(state.app.store(), parcel_visibility(None), &search, FRONT_PARCELS).await?;
    let pool = state.app.published_pool(None).await?;
    let achievements: Vec<_> = pool
        .industries
        .iter()
        .flat_map(|g| g.items.iter().take(3).map(move |i| (g, i)))
        .map(|(g, i)| context! { code => i.data.code, title => i.data.title, institution => i.data.institution, industry => g.name })
        .collect();
    let projects = promotion_rows(&state, state.app.promotions(FRONT_PROJECTS).await?).await?;
    let data = context! { parks, parcels, achievements, projects, pool_year => pool.year, pool_count => pool.count };
    Ok(render("portal/front.html", portal_context(en, "", data))?.into_response())
}

/// Projects put forward as the portal shows them: region and industry by name, the
/// investment in 万元.
async fn promotion_rows(state: &AppState, promotions: Vec<Promotion>) -> WebResult<Vec<Value>> {
    let regions = state.app.region_names(promotions.iter().map(|p| p.region_code.clone())).await?;
    let industries = state.app.industry_names().await?;
    Ok(promotions
        .into_iter()
        .map(|p| {
            let pitch_short = match p.pitch.char_indices().nth(PITCH_SHORT) {
                Some((end, _)) => format!("{}…", &p.pitch[..end]),
                None => p.pitch.clone(),
            };
            context! {
                code => p.code, name => p.name, pitch => p.pitch, pitch_short,
                region => regions.get(&p.region_code).cloned().unwrap_or_else(|| p.region_code.clone()),
                industry => industries.get(&p.industry).cloned().unwrap_or_default(),
                investment_wan => Yuan(p.total_investment).wan_display(),
            }
        })
        .collect())
}

pub async fn project(
    State(state): State<AppState>,
    MaybeSession(session): MaybeSession,
    Path(code): Path<String>,
    Query(query): Query<LangQuery>,
) -> WebResult<Response> {
    let en = english(query.lang.as_deref());
    let promotion = state.app.promotion(&code).await?;
    let subject = format!("project:{}", promotion.code);
    let mut rows = promotion_rows(&state, vec![promotion]).await?;
    let item = rows.pop().unwrap_or_default();
    let keep = shortlist_box(&state, session.as_ref(), &subject).await?;
    form_page(&state, en, "portal/project.html", context! { item, subject, keep, form => Value::from(()) })
}

pub async fn park(
    State(state): State<AppState>,
    MaybeSession(session): MaybeSession,
    Path(id): Path<String>,
    Query(query): Query<LangQuery>,
) -> WebResult<Response> {
    let en = english(query.lang.as_deref());
    let id: i64 = id.parse().map_err(|_| WebError::not_found("该园区"))?;
    let page = state.app.park_page(None, id).await?;
    let subject = format!("park:{}", page.park.id);
    let keep = shortlist_box(&state, session.as_ref(), &subject).await?;
    form_page(
        &state,
        en,
        "portal/park.html",
        context! { park => page.park, parcels => page.parcels, photos => page.photos, subject, keep,
        form => Value::from(()) },
    )
}

/// A park's photo, for anybody: only a PNG or JPEG attached to that park is served
/// (shown inline, as what its first bytes say it is); anything else is "not found".
pub async fn park_photo(
    State(state): State<AppState>,
    Path((park, id)): Path<(String, String)>,
) -> WebResult<Response> {
    let park: i64 = park.parse().map_err(|_| WebError::not_found("该附件"))?;
    let id: i64 = id.parse().map_err(|_| WebError::not_found("该附件"))?;
    let photo = state.app.park_photo(park, id).await?;
    Ok(inline_bytes(photo.content, &photo.info.content_type, &photo.info.file_name))
}

pub async fn parcel(
    State(state): State<AppState>,
    MaybeSession(session): MaybeSession,
    Path(code): Path<String>,
    Query(query): Query<LangQuery>,
) -> WebResult<Response> {
    let en = english(query.lang.as_deref());
    let card = state.app.parcel_card(None, &code).await?;
    let subject = format!("parcel:{}", card.parcel.code);
    let keep = shortlist_box(&state, session.as_ref(), &subject).await?;
    form_page(&state, en, "portal/parcel.html", context! { card, subject, keep, form => Value::from(()) })
}

pub async fn achievement(
    State(state): State<AppState>,
    MaybeSession(session): MaybeSession,
    Path((year, code)): Path<(String, String)>,
    Query(query): Query<LangQuery>,
) -> WebResult<Response> {
    let en = english(query.lang.as_deref());
    let item = state.app.published_achievement(&year, &code).await?;
    let maturity = zhaoshang_core::achievements::Maturity::from_key(&item.data.maturity)
        .map(zhaoshang_core::achievements::Maturity::label)
        .unwrap_or("");
    let subject = format!("achievement:{year}:{}", item.data.code);
    let keep = shortlist_box(&state, session.as_ref(), &subject).await?;
    let data = context! {
        keep,
        item => context! { code => item.data.code, title => item.data.title, institution => item.data.institution,
            ip => item.data.ip, maturity => maturity, description => item.data.description,
            rank_in_industry => item.rank_in_industry, year => year },
        subject, form => Value::from(()),
    };
    form_page(&state, en, "portal/achievement.html", data)
}

/// The shortlist button of an item's page for a signed-in investor: the session's form
/// token and whether the item is kept; nothing for anybody else.
async fn shortlist_box(state: &AppState, session: Option<&Session>, subject: &str) -> WebResult<Value> {
    let Some(session) = session.filter(|s| s.principal.may_keep_shortlist()) else { return Ok(Value::from(())) };
    let kept = state.app.is_shortlisted(&session.principal, subject).await?;
    Ok(context! { csrf => session.csrf_token, kept })
}

/// A signed-in investor's shortlist, each item linking to its page.
pub async fn shortlist(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Query(query): Query<LangQuery>,
) -> WebResult<Response> {
    let en = english(query.lang.as_deref());
    let items: Vec<_> = state
        .app
        .shortlist(&session.principal)
        .await?
        .into_iter()
        .map(|item| {
            let path = item.label.as_ref().and_then(|_| subject_page(&item.subject));
            context! { subject => item.subject, label => item.label, path }
        })
        .collect();
    let data = context! { items, csrf => session.csrf_token };
    Ok(render("portal/shortlist.html", portal_context(en, "", data))?.into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct KeepForm {
    subject: String,
    /// `add` or `remove`.
    action: String,
    lang: String,
}

/// Adds an item to the investor's shortlist or takes it off, back to where it was asked.
pub async fn keep(State(state): State<AppState>, CsrfForm(session, form): CsrfForm<KeepForm>) -> WebResult<Response> {
    let kept = match form.action.as_str() {
        "add" => true,
        "remove" => false,
        _ => return Err(WebError::bad_request("关注操作无效")),
    };
    state.app.set_shortlisted(&session.principal, &session.actor(), &form.subject, kept).await?;
    let lang = lang_suffix(english(Some(&form.lang)));
    let back = if kept { subject_page(form.subject.trim()) } else { None };
    Ok(Redirect::to(&format!("{}{lang}", back.unwrap_or_else(|| "/portal/shortlist".into()))).into_response())
}

/// The enquiry as posted: the visitor's fields, the form's token, the language and
/// the field people leave empty.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct EnquiryPost {
    #[serde(flatten)]
    form: EnquiryForm,
    csrf: String,
    lang: String,
    website: String,
}

/// Where the enquiry came from, to show the form again with its errors.
fn subject_page(subject: &str) -> Option<String> {
    let (kind, rest) = subject.split_once(':')?;
    Some(match kind {
        "parcel" => format!("/portal/parcels/{}", auth::urlencode(rest)),
        "park" => format!("/portal/parks/{}", auth::urlencode(rest)),
        "project" => format!("/portal/projects/{}", auth::urlencode(rest)),
        "achievement" => {
            let (year, code) = rest.split_once(':')?;
            format!("/portal/achievements/{}/{}", auth::urlencode(year), auth::urlencode(code))
        }
        _ => return None,
    })
}

pub async fn enquire(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    headers: HeaderMap,
    Form(post): Form<EnquiryPost>,
) -> WebResult<Response> {
    let en = english(Some(&post.lang));
    admit_anonymous_form(&state, &headers, addr, &post.csrf, &post.website).await?;
    match state.app.submit_enquiry(&post.form, zhaoshang_app::calendar::today()).await? {
        Ok(code) => {
            let lang = lang_suffix(en);
            Ok(Redirect::to(&format!("/portal/track/{code}{lang}")).into_response())
        }
        Err(errors) => {
            let back = subject_page(&post.form.subject).unwrap_or_else(|| "/portal".into());
            let data = context! { errors => errors, back => back };
            let mut response = render("portal/invalid.html", portal_context(en, "", data))?.into_response();
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(response)
        }
    }
}

pub async fn track_form(Query(query): Query<LangQuery>) -> WebResult<Response> {
    let en = english(query.lang.as_deref());
    if let Some(code) = query.code.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        let lang = lang_suffix(en);
        return Ok(Redirect::to(&format!("/portal/track/{}{lang}", auth::urlencode(code))).into_response());
    }
    Ok(render("portal/track_form.html", portal_context(en, "", context! {}))?.into_response())
}

pub async fn track(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(query): Query<LangQuery>,
) -> WebResult<Response> {
    let en = english(query.lang.as_deref());
    match state.app.tracked(&code).await? {
        Tracked::Enquiry { lead, steps } => {
            let steps: Vec<_> = steps
                .iter()
                .map(|s| context! { step => step_label(&s.step), done_on => s.done_on.to_string(), answer => s.answer })
                .collect();
            let data = context! {
                code => lead.tracking_code, subject => lead.subject, investor => lead.investor,
                sent_on => lead.lead_on.to_string(), steps, next_due_on => lead.next_due_on.map(|d| d.to_string()),
            };
            Ok(render("portal/track.html", portal_context(en, "", data))?.into_response())
        }
        Tracked::Appeal { appeal, steps, may_rate, files } => {
            let d = &appeal.data;
            let flow = appeal.flow_state();
            let steps: Vec<_> = steps
                .iter()
                .map(|s| {
                    let label = ActionKind::from_key(&s.action).map(ActionKind::label).unwrap_or("");
                    let detail = match Rating::parse(&s.detail) {
                        Ok(rating) if s.action == ActionKind::Rate.key() => rating.label().to_string(),
                        _ => s.detail.clone(),
                    };
                    context! { step => label, done_on => s.done_on.to_string(), answer => detail }
                })
                .collect();
            let data = context! {
                code => code.trim().to_uppercase(), appeal_code => d.code, enterprise => d.enterprise,
                content => d.content, sent_on => d.received_on.to_string(), department => flow.department,
                stage => flow.stage.label(), due_on => flow.is_open().then(|| flow.due_on.to_string()), steps, may_rate,
                ratings => Rating::ALL.iter().map(|r| r.key()).collect::<Vec<_>>(),
                files => files.iter().map(|f| context! { id => f.id, name => f.file_name, size => attachments::size_text(f.size_bytes) })
                    .collect::<Vec<_>>(),
            };
            if may_rate {
                form_page(&state, en, "portal/track_appeal.html", data)
            } else {
                Ok(render("portal/track_appeal.html", portal_context(en, "", data))?.into_response())
            }
        }
    }
}

/// A file the enterprise sent with its appeal, downloaded by the tracking code.
pub async fn tracked_file(
    State(state): State<AppState>,
    Path((code, id)): Path<(String, String)>,
) -> WebResult<Response> {
    let id: i64 = id.parse().map_err(|_| WebError::not_found("该附件"))?;
    let file = state.app.tracked_file(&code, id).await?;
    Ok(download_bytes(file.content, &file.info.content_type, &file.info.file_name))
}

/// The cities with their counties, as a form's grouped region choice shows them.
pub fn region_choices(regions: &[RegionChoice]) -> Vec<Value> {
    regions
        .iter()
        .map(|c| {
            let counties: Vec<_> = c.counties.iter().map(|r| context! { code => r.code, name => r.name }).collect();
            context! { code => c.city.code, name => c.city.name, counties }
        })
        .collect()
}

/// The appeal form, with its last values and errors when it comes back.
fn appeal_page(
    state: &AppState,
    en: bool,
    regions: Vec<RegionChoice>,
    form: &PortalAppealForm,
    errors: &HashMap<String, String>,
) -> WebResult<Response> {
    let regions = region_choices(&regions);
    let values = context! {
        enterprise => form.enterprise, credit_code => form.credit_code, region => form.region,
        dimension => form.dimension, category => form.category, content => form.content, contact => form.contact,
    };
    let data = context! {
        regions, values, errors, categories => CATEGORIES, max_files => MAX_PORTAL_FILES,
        dimensions => Dimension::ALL.iter().map(|d| context! { key => d.key(), label => d.label() }).collect::<Vec<_>>(),
    };
    form_page(state, en, "portal/appeal.html", data)
}

pub async fn appeal_form(State(state): State<AppState>, Query(query): Query<LangQuery>) -> WebResult<Response> {
    let en = english(query.lang.as_deref());
    let regions = state.app.portal_regions().await?;
    appeal_page(&state, en, regions, &PortalAppealForm::default(), &HashMap::new())
}

/// The appeal as posted: the enterprise's fields, the form's token, the language and
/// the field people leave empty.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AppealPost {
    #[serde(flatten)]
    form: PortalAppealForm,
    csrf: String,
    lang: String,
    website: String,
}

/// The checks every anonymous form passes before it is read: the token of its cookie,
/// the field people leave empty, and the throttle of its address.
async fn admit_anonymous_form(
    state: &AppState,
    headers: &HeaderMap,
    addr: Option<std::net::IpAddr>,
    csrf: &str,
    website: &str,
) -> WebResult<()> {
    let expected = auth::cookie_value(headers, PORTAL_COOKIE).unwrap_or_default();
    if expected.is_empty() || !auth::same_token(&expected, csrf) {
        return Err(WebError::new(StatusCode::FORBIDDEN, "csrf", "页面已过期，请刷新页面后重新提交"));
    }
    if !website.trim().is_empty() {
        return Err(WebError::bad_request("提交未被接受"));
    }
    state.app.throttle_enquiry(addr).await?;
    Ok(())
}

/// The appeal form as posted: with files as a multipart form (the page sends it so),
/// else URL-encoded.
async fn appeal_post(state: &AppState, request: Request) -> WebResult<(AppealPost, Vec<Upload>)> {
    let content_type = request.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if !content_type.starts_with("multipart/form-data") {
        let Form(post) = Form::<AppealPost>::from_request(request, state)
            .await
            .map_err(|e| WebError::bad_request(format!("提交内容无效：{}", e.body_text())))?;
        return Ok((post, Vec::new()));
    }
    let mut multipart = Multipart::from_request(request, state)
        .await
        .map_err(|e| WebError::bad_request(format!("上传内容无效：{}", e.body_text())))?;
    let (files, fields) = attachments::read_form(&mut multipart, MAX_PORTAL_FILES).await?;
    let encoded = serde_urlencoded::to_string(&fields).map_err(WebError::internal)?;
    let post = serde_urlencoded::from_str(&encoded).map_err(|e| WebError::bad_request(format!("提交内容无效：{e}")))?;
    Ok((post, files))
}

pub async fn file_appeal(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    headers: HeaderMap,
    request: Request,
) -> WebResult<Response> {
    let (post, files) = appeal_post(&state, request).await?;
    let en = english(Some(&post.lang));
    admit_anonymous_form(&state, &headers, addr, &post.csrf, &post.website).await?;
    match state.app.submit_portal_appeal(&post.form, files, zhaoshang_app::calendar::today()).await? {
        Ok(code) => Ok(Redirect::to(&format!("/portal/track/{code}{}", lang_suffix(en))).into_response()),
        Err(errors) => {
            let regions = state.app.portal_regions().await?;
            let mut response = appeal_page(&state, en, regions, &post.form, &errors)?;
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(response)
        }
    }
}

/// The enterprise's rating of the answer, with the token of the tracking page's form.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RatingPost {
    rating: String,
    csrf: String,
    lang: String,
    website: String,
}

pub async fn rate(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    headers: HeaderMap,
    Path(code): Path<String>,
    Form(post): Form<RatingPost>,
) -> WebResult<Response> {
    admit_anonymous_form(&state, &headers, addr, &post.csrf, &post.website).await?;
    state.app.rate_tracked_appeal(&code, &post.rating, zhaoshang_app::calendar::today()).await?;
    let lang = lang_suffix(english(Some(&post.lang)));
    Ok(Redirect::to(&format!("/portal/track/{}{lang}", auth::urlencode(code.trim()))).into_response())
}
