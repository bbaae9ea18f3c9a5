//! The public investor portal (投资门户): enquiries a visitor sends about a parcel, a
//! park or an achievement of the published pool, each a lead with the leads' response
//! clocks followed by the region it concerns (the province for the pool); appeals an
//! enterprise files (营商环境诉求), accepted into the region's course as staff's are;
//! and the tracking code with which either reads the answers without an account (and
//! the enterprise rates the answer to its appeal). Throttled per address; the pages
//! themselves read what the parcels' and the pool's public functions give anybody.

use crate::attachments::{checked_uploads, Upload};
use crate::chains::plans::FieldErrors;
use crate::leads::lead_settings;
use crate::{App, AppError, AppResult};
use chrono::NaiveDate;
use rand::Rng;
use serde::Deserialize;
use std::collections::HashMap;
use std::net::IpAddr;
use zhaoshang_core::access::Principal;
use zhaoshang_core::appeals::flow::{Action, ActionKind};
use zhaoshang_core::appeals::Rating;
use zhaoshang_core::attachments::OwnerKind;
use zhaoshang_core::calendar::Calendar;
use zhaoshang_core::leads::{clock, next_step, LeadStep, POOL_CHANNEL, SITE_SELECTION_CHANNEL};
use zhaoshang_core::money::Yuan;
use zhaoshang_core::parcels::ParcelStatus;
use zhaoshang_core::projects::Stage;
use zhaoshang_store::appeals::{Appeal, AppealStepRecord};
use zhaoshang_store::attachments::{Attachment, AttachmentInfo};
use zhaoshang_store::leads::{Lead, LeadStepRecord, NewLead};
use zhaoshang_store::portal::Promotion;
use zhaoshang_store::projects::ProjectData;
use zhaoshang_store::reference::Region;
use zhaoshang_store::{Actor, Store};

/// Enquiries allowed from one address within `ENQUIRY_WINDOW_SECONDS`.
pub const MAX_ENQUIRIES: i64 = 5;
pub const ENQUIRY_WINDOW_SECONDS: i64 = 600;

const MAX_NAME: usize = 100;
/// Who the audit log and the attachments name for an appeal filed on the portal.
const PORTAL_APPEALS: &str = "门户企业诉求";
/// The files an enterprise may send with an appeal filed on the portal.
pub const MAX_PORTAL_FILES: usize = 3;
/// The longest pitch of a project put forward to investors.
pub const MAX_PITCH: usize = 500;
const MAX_MESSAGE: usize = 2000;
/// Tracking codes: 12 characters of an alphabet without look-alikes (0/O, 1/I/L).
const TRACKING_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
const TRACKING_LENGTH: usize = 12;

/// The enquiry form as submitted. `subject` names the item: `parcel:CODE`, `park:ID`
/// or `achievement:YEAR:CODE`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct EnquiryForm {
    pub subject: String,
    /// The investor (company or person) the enquiry is for.
    pub organisation: String,
    pub person: String,
    /// A phone number or an e-mail address.
    pub contact: String,
    pub amount_wan: String,
    pub message: String,
}

/// What an enquiry is about, found and public.
pub(crate) struct Subject {
    channel: &'static str,
    /// As the lead and its project name it: 地块 GS-…, 园区 …, 成果 ….
    label: String,
    region_code: String,
    industry: String,
    /// The owner institution of an achievement (the project's 来源单位).
    source_org: String,
}

/// What a tracking code follows: an enquiry (a lead) with each answer given, or an
/// appeal with each step of its course and whether the enterprise may rate it now.
pub enum Tracked {
    Enquiry {
        lead: Lead,
        steps: Vec<LeadStepRecord>,
    },
    /// With the files the enterprise sent (their names and sizes; no download here).
    Appeal {
        appeal: Appeal,
        steps: Vec<AppealStepRecord>,
        may_rate: bool,
        files: Vec<AttachmentInfo>,
    },
}

/// An appeal as an enterprise files it on the portal.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct PortalAppealForm {
    pub enterprise: String,
    pub credit_code: String,
    /// A county's (or city's) division code.
    pub region: String,
    /// A `Dimension` key.
    pub dimension: String,
    pub category: String,
    pub content: String,
    pub contact: String,
}

/// A city with its counties, as the appeal form offers them.
pub struct RegionChoice {
    pub city: Region,
    pub counties: Vec<Region>,
}

/// A random tracking code.
fn tracking_code() -> String {
    let mut rng = rand::thread_rng();
    (0..TRACKING_LENGTH).map(|_| TRACKING_ALPHABET[rng.gen_range(0..TRACKING_ALPHABET.len())] as char).collect()
}

fn given(text: &str) -> Option<&str> {
    Some(text.trim()).filter(|t| !t.is_empty())
}

/// The visitor's own fields, checked: organisation, person, contact, message, amount.
fn check_visitor(form: &EnquiryForm, errors: &mut FieldErrors) -> Yuan {
    for (key, text, max, missing) in [
        ("organisation", &form.organisation, MAX_NAME, "请填写投资方（单位或个人）名称"),
        ("contact", &form.contact, MAX_NAME, "请填写联系电话或电子邮箱"),
        ("message", &form.message, MAX_MESSAGE, "请填写咨询内容"),
        ("person", &form.person, MAX_NAME, ""),
    ] {
        match given(text) {
            None if !missing.is_empty() => {
                errors.insert(key, missing.into());
            }
            Some(text) if text.chars().count() > max => {
                errors.insert(key, format!("不超过{max}个字"));
            }
            _ => {}
        }
    }
    match given(&form.amount_wan) {
        None => Yuan(0),
        Some(text) => match Yuan::parse_wan(text) {
            Ok(amount) if amount.0 >= 0 => amount,
            _ => {
                errors.insert("amount_wan", "意向投资额应为不小于0的金额（万元）".into());
                Yuan(0)
            }
        },
    }
}

impl App {
    /// The item an enquiry names, when the public may see it; 404 otherwise.
    async fn enquiry_subject(&self, subject: &str) -> AppResult<Subject> {
        let unknown = || AppError::not_found("咨询的地块、园区或成果");
        let (kind, rest) = subject.trim().split_once(':').ok_or_else(unknown)?;
        if kind != "achievement" {
            return place_subject(self.store(), kind, rest).await?.ok_or_else(unknown);
        }
        let (year, code) = rest.split_once(':').ok_or_else(unknown)?;
        let item = self.published_achievement(year, code).await?;
        Ok(Subject {
            channel: POOL_CHANNEL,
            label: achievement_label(&item),
            region_code: self.province_with_data().await?.to_string(),
            industry: item.data.industry.clone(),
            source_org: item.data.institution.clone(),
        })
    }

    /// An achievement of a published year's pool; 404 for any other.
    pub async fn published_achievement(&self, year: &str, code: &str) -> AppResult<crate::achievements::PoolItem> {
        let pool = self.published_pool(Some(year)).await?;
        pool.industries
            .into_iter()
            .flat_map(|g| g.items)
            .find(|item| item.data.code == code.trim())
            .ok_or_else(|| AppError::not_found(&format!("入池成果“{}”", code.trim())))
    }

    /// Counts an enquiry from `address` and refuses it past `MAX_ENQUIRIES` in the
    /// window (counted in the database, as sign-in attempts are, so parallel requests
    /// and other servers count too).
    pub async fn throttle_enquiry(&self, address: Option<IpAddr>) -> AppResult<()> {
        let key = format!("portal|{}", address.map(|a| a.to_string()).unwrap_or_default());
        let count = self.store().count_attempt(&key, chrono::Utc::now(), ENQUIRY_WINDOW_SECONDS).await?;
        if count > MAX_ENQUIRIES {
            return Err(AppError::Throttled("提交过于频繁，请十分钟后再试".into()));
        }
        Ok(())
    }

    /// Stores an enquiry about a public item as a lead on `today` (`store_enquiry`).
    /// Returns the tracking code, or the field errors.
    pub async fn submit_enquiry(&self, form: &EnquiryForm, today: NaiveDate) -> AppResult<Result<String, FieldErrors>> {
        let subject = self.enquiry_subject(&form.subject).await?;
        let calendar = self.calendar().await?;
        store_enquiry(self.store(), &calendar, subject, form, today).await
    }

    /// Puts a project the user may change forward to investors on the portal with
    /// `pitch`, or takes it off when the pitch is empty; the reason when refused.
    pub async fn set_project_promotion(
        &self,
        principal: &Principal,
        actor: &Actor,
        id: i64,
        pitch: &str,
    ) -> AppResult<Result<(), String>> {
        self.editable_project(principal, id).await?;
        let pitch = pitch.trim();
        if pitch.chars().count() > MAX_PITCH {
            return Ok(Err(format!("推介说明不超过{MAX_PITCH}个字")));
        }
        self.store().set_promotion(id, given(pitch), actor).await?;
        Ok(Ok(()))
    }

    /// The projects put forward on the portal, the latest first.
    pub async fn promotions(&self, limit: i64) -> AppResult<Vec<Promotion>> {
        Ok(self.store().promotions(limit).await?)
    }

    /// A project put forward on the portal; 404 for any other (without echoing the
    /// code, which may name a project the asker may not know of).
    pub async fn promotion(&self, code: &str) -> AppResult<Promotion> {
        self.store().promotion_by_code(code.trim()).await?.ok_or_else(|| AppError::not_found("该推介项目"))
    }

    /// A signed-in investor's shortlist, the latest first (403 for other roles).
    pub async fn shortlist(&self, principal: &Principal) -> AppResult<Vec<ShortlistItem>> {
        if !principal.may_keep_shortlist() {
            return Err(AppError::Forbidden);
        }
        // Each year's published pool is computed once, however many of its
        // achievements the investor keeps.
        let mut pool_labels: HashMap<String, HashMap<String, String>> = HashMap::new();
        let mut items = Vec::new();
        for subject in self.store().shortlist(principal.user_id).await? {
            let label = match subject.strip_prefix("achievement:").and_then(|rest| rest.split_once(':')) {
                Some((year, code)) => {
                    if !pool_labels.contains_key(year) {
                        let labels = match self.published_pool(Some(year)).await {
                            Ok(pool) => pool
                                .industries
                                .iter()
                                .flat_map(|g| &g.items)
                                .map(|item| (item.data.code.clone(), achievement_label(item)))
                                .collect(),
                            Err(_) => HashMap::new(),
                        };
                        pool_labels.insert(year.to_string(), labels);
                    }
                    pool_labels[year].get(code).cloned()
                }
                None => self.enquiry_subject(&subject).await.ok().map(|s| s.label),
            };
            items.push(ShortlistItem { label, subject });
        }
        Ok(items)
    }

    /// Whether a signed-in investor keeps `subject` on its shortlist (false for other
    /// roles, who keep none).
    pub async fn is_shortlisted(&self, principal: &Principal, subject: &str) -> AppResult<bool> {
        if !principal.may_keep_shortlist() {
            return Ok(false);
        }
        Ok(self.store().is_shortlisted(principal.user_id, subject.trim()).await?)
    }

    /// Keeps a public item on a signed-in investor's shortlist, or takes one off (403
    /// for other roles, 404 for adding an item that is not public).
    pub async fn set_shortlisted(
        &self,
        principal: &Principal,
        actor: &Actor,
        subject: &str,
        kept: bool,
    ) -> AppResult<()> {
        if !principal.may_keep_shortlist() {
            return Err(AppError::Forbidden);
        }
        let subject = subject.trim();
        if kept {
            self.enquiry_subject(subject).await?;
        }
        Ok(self.store().set_shortlisted(principal.user_id, subject, kept, actor).await?)
    }

    /// The cities of the province holding data, each with its counties.
    pub async fn portal_regions(&self) -> AppResult<Vec<RegionChoice>> {
        let province = self.province_with_data().await?;
        let mut choices = Vec::new();
        for city in self.store().region_children(Some(province.as_str())).await? {
            let counties = self.store().region_children(Some(&city.code)).await?;
            choices.push(RegionChoice { city, counties });
        }
        Ok(choices)
    }

    /// Files an enterprise's appeal from the portal on `today`: accepted as a one-row
    /// import within the region it names (so the portal obeys the staff's rules), with
    /// the region's next code, then given its tracking code and the contact, and the
    /// files sent with it (at most `MAX_PORTAL_FILES`, checked before anything is
    /// stored). Returns the tracking code, or the field errors.
    pub async fn submit_portal_appeal(
        &self,
        form: &PortalAppealForm,
        uploads: Vec<Upload>,
        today: NaiveDate,
    ) -> AppResult<Result<String, HashMap<String, String>>> {
        let mut errors = HashMap::new();
        let files = match uploads.len() {
            0 => Vec::new(),
            n if n > MAX_PORTAL_FILES => {
                errors.insert("file".to_string(), format!("最多上传 {MAX_PORTAL_FILES} 个附件"));
                Vec::new()
            }
            _ => match checked_uploads(uploads) {
                Ok(files) => files,
                Err(error) => {
                    errors.insert("file".to_string(), error.to_string());
                    Vec::new()
                }
            },
        };
        let contact = form.contact.trim();
        if contact.is_empty() {
            errors.insert("contact".to_string(), "请填写联系电话或电子邮箱，以便承办部门联系".to_string());
        } else if contact.chars().count() > MAX_NAME {
            errors.insert("contact".to_string(), format!("不超过{MAX_NAME}个字"));
        }
        let region = match self.known_region(&form.region).await {
            Ok(region) => Some(region),
            Err(_) => {
                errors.insert("region".to_string(), "请选择企业所在的县区".to_string());
                None
            }
        };
        let Some(region) = region.filter(|_| errors.is_empty()) else { return Ok(Err(errors)) };
        let code = self.next_appeal_code(&region, today).await?;
        let fields: HashMap<String, String> = [
            ("code", code.as_str()),
            ("enterprise", form.enterprise.trim()),
            ("credit_code", form.credit_code.trim()),
            ("region", region.as_str()),
            ("dimension", form.dimension.trim()),
            ("category", form.category.trim()),
            ("content", form.content.trim()),
            ("received_on", &today.to_string()),
        ]
        .into_iter()
        .map(|(key, value)| (key.to_string(), value.to_string()))
        .collect();
        let actor = Actor { id: None, name: PORTAL_APPEALS.into() };
        let scope = crate::exchange::ImportScope::Within(region);
        let kind = crate::exchange::ImportKind::Appeals;
        let report = self.import_form_row_in(&scope, &actor, kind, &fields).await?;
        if !report.is_ok() {
            return Ok(Err(crate::exchange::field_errors(kind, &report)));
        }
        let tracking = tracking_code();
        self.store().set_appeal_portal_keys(&code, &tracking, contact, &actor).await?;
        if !files.is_empty() {
            self.store().add_attachments(OwnerKind::Appeal, &code, &files, &actor).await?;
        }
        Ok(Ok(tracking))
    }

    /// What a tracking code follows, with the answers recorded so far; 404 for a code
    /// nobody was given.
    pub async fn tracked(&self, code: &str) -> AppResult<Tracked> {
        let code = code.trim().to_uppercase();
        let not_found = || AppError::not_found("该查询码对应的咨询或诉求");
        if code.len() != TRACKING_LENGTH || !code.bytes().all(|b| TRACKING_ALPHABET.contains(&b)) {
            return Err(not_found());
        }
        if let Some(lead) = self.store().lead_by_tracking_code(&code).await? {
            let steps = self.store().lead_steps(lead.id).await?;
            return Ok(Tracked::Enquiry { lead, steps });
        }
        let appeal = self.store().appeal_by_tracking_code(&code).await?.ok_or_else(not_found)?;
        let steps = self.store().appeal_steps(appeal.id).await?;
        let calendar = self.calendar().await?;
        let may_rate = appeal.flow_state().possible(&calendar, crate::calendar::today()).contains(&ActionKind::Rate);
        // The enterprise's own files, not those the staff added.
        let mut files = self.store().attachments_of(OwnerKind::Appeal, &appeal.data.code).await?;
        files.retain(|file| file.uploaded_by == PORTAL_APPEALS);
        Ok(Tracked::Appeal { appeal, steps, may_rate, files })
    }

    /// A file the enterprise sent with its appeal, by the appeal's tracking code; the
    /// staff's files and other appeals' are not found.
    pub async fn tracked_file(&self, code: &str, id: i64) -> AppResult<Attachment> {
        match self.tracked(code).await? {
            Tracked::Appeal { files, .. } if files.iter().any(|file| file.id == id) => {
                self.attachment_content(id).await
            }
            _ => Err(AppError::not_found("该附件")),
        }
    }

    /// The enterprise rates the answer to its appeal on `today` (a 不满意 reopens it
    /// once, as the course's rules say), by the tracking code it was given.
    pub async fn rate_tracked_appeal(&self, code: &str, rating: &str, today: NaiveDate) -> AppResult<()> {
        let Tracked::Appeal { appeal, .. } = self.tracked(code).await? else {
            return Err(AppError::not_found("该查询码对应的诉求"));
        };
        let rating = Rating::parse(rating).map_err(|e| AppError::Invalid(e.to_string()))?;
        let action = Action::Rate { rating };
        let calendar = self.calendar().await?;
        let after =
            appeal.flow_state().apply(&calendar, &action, today).map_err(|e| AppError::Invalid(e.to_string()))?;
        let actor = Actor { id: None, name: format!("{}（企业）", appeal.data.enterprise) };
        let written =
            self.store().record_appeal_step(&appeal, &after, (action.kind(), today, &action.detail()), &actor).await?;
        match written {
            Some(_) => Ok(()),
            None => Err(AppError::Invalid("该诉求刚被办理，请刷新后重试".into())),
        }
    }
}

/// A parcel on offer (`parcel:CODE`), a park (`park:ID`) or a project put forward
/// (`project:CODE`) as an enquiry's subject; none when there is no such public item.
pub(crate) async fn place_subject(store: &Store, kind: &str, key: &str) -> AppResult<Option<Subject>> {
    Ok(match kind {
        "parcel" => {
            store.parcel_by_code(key).await?.filter(|p| p.data.status == ParcelStatus::Available.key()).map(|parcel| {
                Subject {
                    channel: SITE_SELECTION_CHANNEL,
                    label: format!("地块 {}", parcel.data.code),
                    region_code: parcel.data.region_code,
                    industry: String::new(),
                    source_org: String::new(),
                }
            })
        }
        "park" => match key.parse::<i64>() {
            Ok(id) => store.park(id).await?.map(|park| Subject {
                channel: SITE_SELECTION_CHANNEL,
                label: format!("园区 {}", park.name),
                region_code: park.region_code,
                industry: String::new(),
                source_org: String::new(),
            }),
            Err(_) => None,
        },
        "project" => store.promotion_by_code(key).await?.map(|project| Subject {
            channel: SITE_SELECTION_CHANNEL,
            label: format!("推介项目 {}", project.name),
            region_code: project.region_code,
            industry: project.industry,
            source_org: String::new(),
        }),
        _ => None,
    })
}

/// Stores an enquiry as a lead on `today`: into the pipeline as 线索 of the subject's
/// region, source 网上选地 (转化池 for an achievement, with its institution), its clock
/// started. Returns the tracking code, or the field errors.
pub(crate) async fn store_enquiry(
    store: &Store,
    calendar: &Calendar,
    subject: Subject,
    form: &EnquiryForm,
    today: NaiveDate,
) -> AppResult<Result<String, FieldErrors>> {
    let mut errors = FieldErrors::new();
    let amount = check_visitor(form, &mut errors);
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    let settings = lead_settings(store).await?;
    let clocks = clock(today, &[], true, settings.clock.days_for(amount), calendar)
        .map_err(|e| AppError::Invalid(e.to_string()))?;
    let next = next_step(&clocks).map(|c| (c.step.key().to_string(), c.due_on));
    let organisation = form.organisation.trim().to_string();
    let person = form.person.trim();
    let project = ProjectData {
        code: store.next_lead_code(today).await?,
        name: format!("{organisation}·咨询{}", subject.label),
        region_code: subject.region_code.clone(),
        investor: organisation.clone(),
        industry: subject.industry.clone(),
        total_investment: amount.0,
        stage: Stage::Lead.key().to_string(),
        lead_on: Some(today),
        source: subject.channel.to_string(),
        source_org: subject.source_org.clone(),
        description: form.message.trim().to_string(),
        ..Default::default()
    };
    let code = tracking_code();
    let lead = NewLead {
        chamber_id: None,
        channel: subject.channel.to_string(),
        subject: subject.label,
        tracking_code: Some(code.clone()),
        referrer_id: None,
        referrer_name: if person.is_empty() { organisation.clone() } else { person.to_string() },
        investor: organisation,
        investor_credit_code: String::new(),
        enterprise_id: None,
        industry: subject.industry,
        region_code: subject.region_code,
        amount: amount.0,
        contact: form.contact.trim().to_string(),
        notes: form.message.trim().to_string(),
        lead_on: today,
        project: Some(project),
        duplicate_of: None,
        next_step: next.as_ref().map(|(step, _)| step.clone()),
        next_due_on: next.map(|(_, due)| due),
        activity_id: None,
    };
    let actor = Actor { id: None, name: format!("门户访客（{}）", subject.channel) };
    store.register_lead(&lead, &actor).await?;
    Ok(Ok(code))
}

/// An item of an investor's shortlist: what it is, none when the item is no longer public.
pub struct ShortlistItem {
    pub subject: String,
    pub label: Option<String>,
}

/// How an achievement of the pool is named in a lead and on a shortlist.
fn achievement_label(item: &crate::achievements::PoolItem) -> String {
    format!("成果 {} {}", item.data.code, item.data.title)
}

/// A step's name for the enquirer.
pub fn step_label(key: &str) -> &'static str {
    LeadStep::from_key(key).map(LeadStep::label).unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tracking_codes_are_long_random_and_unambiguous() {
        let a = tracking_code();
        assert_eq!(a.len(), TRACKING_LENGTH);
        assert!(a.bytes().all(|b| TRACKING_ALPHABET.contains(&b)));
        assert!(!a.contains(['0', 'O', '1', 'I', 'L']));
        assert_ne!(a, tracking_code(), "two codes differ (31^12 possibilities)");
    }

    #[test]
    fn a_visitor_must_say_who_asks_how_to_answer_and_what() {
        let mut errors = FieldErrors::new();
        check_visitor(&EnquiryForm::default(), &mut errors);
        assert_eq!(errors.keys().copied().collect::<Vec<_>>(), ["contact", "message", "organisation"]);
        let mut errors = FieldErrors::new();
        let form = EnquiryForm {
            organisation: "某新能源公司".into(),
            contact: "13800000000".into(),
            message: "想了解地块的供电条件".into(),
            amount_wan: "5000".into(),
            person: "x".repeat(101),
            ..Default::default()
        };
        assert_eq!(check_visitor(&form, &mut errors), Yuan::parse_wan("5000").unwrap());
        assert_eq!(errors.keys().copied().collect::<Vec<_>>(), ["person"], "too long a name");
        let mut errors = FieldErrors::new();
        check_visitor(&EnquiryForm { amount_wan: "-1".into(), ..form }, &mut errors);
        assert!(errors.contains_key("amount_wan"));
    }
}
