//! Importing the S&T achievement pool (科技成果转化池): achievements by 成果编号, and
//! third-party reviews by 成果编号 + 评审专家. A review by a reviewer of the achievement's
//! own institution (matched by normalised name, `core::achievements::same_institution`) is
//! a bad row; a reviewer not yet in the expert pool joins it with the row's institution.

use super::columns::Columns;
use super::table::SheetRow;
use super::values::{parse_credit_code, parse_year, IndustryIndex};
use super::{Context, ImportReport, RowProblems};
use crate::AppResult;
use std::collections::{HashMap, HashSet};
use zhaoshang_core::access::Role;
use zhaoshang_core::achievements::{
    check_code, check_text, institution_key, one_institution, Maturity, Score, INSTITUTION_MAX_CHARS, TITLE_MAX_CHARS,
};
use zhaoshang_store::achievements::{AchievementData, ExpertData, RegistrationFacts, ReviewData};
use zhaoshang_store::Store;

/// The longest 知识产权 and 简介 accepted.
const IP_MAX_CHARS: usize = 200;
const DESCRIPTION_MAX_CHARS: usize = 2000;
const CONTACT_MAX_CHARS: usize = 100;
/// The longest 专业领域 accepted.
const FIELDS_MAX_CHARS: usize = 200;

/// The stored institutions: names by normalised name, so that a row's `中国科学院…` finds
/// the stored `中科院…` and is written under that one name, and by credit code, which
/// wins over the name; each one's credit code by name.
struct Institutions {
    by_key: HashMap<String, String>,
    by_code: HashMap<String, String>,
    codes: HashMap<String, String>,
}

impl Institutions {
    async fn load(store: &Store) -> AppResult<Institutions> {
        let stored = store.institutions().await?;
        Ok(Institutions {
            by_key: stored.iter().map(|(name, _)| (institution_key(name), name.clone())).collect(),
            by_code: stored.iter().filter(|(_, c)| !c.is_empty()).map(|(n, c)| (c.clone(), n.clone())).collect(),
            codes: stored.into_iter().collect(),
        })
    }

    /// The stored name of the institution `text` names, or `text` for a new one.
    fn canonical(&self, text: &str) -> String {
        self.by_key.get(&institution_key(text)).cloned().unwrap_or_else(|| text.to_string())
    }

    /// A stored institution's credit code (empty when not known or new).
    fn code_of(&self, name: &str) -> String {
        self.codes.get(name).cloned().unwrap_or_default()
    }

    /// The institution a row names with an optional credit-code column `code_key`: the
    /// stored one of that code, else of that name (or a new one), and its credit code. A
    /// code that is not valid, or that differs from the one the named institution holds,
    /// is the column's problem.
    fn resolve(
        &self,
        cols: &Columns,
        row: &SheetRow,
        name: &str,
        code_key: &'static str,
        p: &mut RowProblems,
    ) -> (String, String) {
        let given = match cols.cell(row, code_key).filter(|text| !text.is_empty()) {
            None => None,
            Some(text) => match parse_credit_code(text) {
                Ok(code) => Some(code),
                Err(message) => {
                    p.add(code_key, message);
                    None
                }
            },
        };
        let Some(code) = given else {
            let name = self.canonical(name);
            let code = self.code_of(&name);
            return (name, code);
        };
        if let Some(stored) = self.by_code.get(&code) {
            return (stored.clone(), code);
        }
        let name = self.canonical(name);
        let held = self.code_of(&name);
        if !held.is_empty() && held != code {
            p.add(code_key, format!("“{name}”已登记统一社会信用代码 {held}，与本行的 {code} 不一致"));
        }
        (name, code)
    }
}

pub(super) async fn import_achievements(ctx: &Context<'_>, report: &mut ImportReport) -> AppResult<()> {
    let existing: HashMap<String, AchievementData> =
        ctx.store.all_achievements().await?.into_iter().map(|a| (a.code.clone(), a)).collect();
    let industries = IndustryIndex::new(ctx.store.industries().await?);
    let institutions = Institutions::load(ctx.store).await?;
    let facts = ctx.store.registration_facts().await?;
    let key_of = |text: &str| check_code(text).is_ok().then(|| text.to_string());
    let check = |row: &SheetRow, problems: &mut RowProblems| {
        Some(check_achievement(ctx, row, &existing, &industries, &institutions, &facts, problems))
    };
    ctx.upsert_by_key(report, "code", key_of, &existing, check, Store::upsert_achievements).await?;
    Ok(())
}

/// Merges a row into the stored achievement of its code (or a new one) and checks it.
fn check_achievement(
    ctx: &Context<'_>,
    row: &SheetRow,
    existing: &HashMap<String, AchievementData>,
    industries: &IndustryIndex,
    institutions: &Institutions,
    facts: &RegistrationFacts,
    p: &mut RowProblems,
) -> AchievementData {
    let cols = ctx.cols;
    let code = cols.text(row, "code");
    if let Err(message) = check_code(code) {
        p.add("code", message);
    }
    let mut data = existing.get(code).cloned().unwrap_or_default();
    data.code = code.to_string();
    let title = cols.text(row, "title");
    match check_text("成果名称", title, TITLE_MAX_CHARS) {
        Ok(()) => data.title = title.to_string(),
        Err(message) => p.add("title", message),
    }
    let institution = cols.text(row, "institution");
    match check_text("完成单位", institution, INSTITUTION_MAX_CHARS) {
        Ok(()) => {
            (data.institution, data.institution_credit_code) =
                institutions.resolve(cols, row, institution, "institution_credit_code", p)
        }
        Err(message) => p.add("institution", message),
    }
    match cols.cell(row, "industry") {
        None => {}
        Some("") => data.industry.clear(),
        Some(text) => match industries.resolve(text) {
            Ok(code) => data.industry = code,
            Err(message) => p.add("industry", message),
        },
    }
    match parse_year(cols.text(row, "year")) {
        Ok(year) => match facts.registering(code, existing.get(code).map(|a| a.year), year) {
            Ok(_) => data.year = year,
            Err(message) => p.add("year", message),
        },
        Err(message) => p.add("year", message),
    }
    match cols.cell(row, "maturity") {
        None => {}
        Some("") => data.maturity.clear(),
        Some(text) => match Maturity::parse(text) {
            Ok(maturity) => data.maturity = maturity.key().to_string(),
            Err(message) => p.add("maturity", message),
        },
    }
    for (key, field, what, max) in [
        ("ip", &mut data.ip, "知识产权", IP_MAX_CHARS),
        ("description", &mut data.description, "简介", DESCRIPTION_MAX_CHARS),
        ("contact", &mut data.contact, "联系方式", CONTACT_MAX_CHARS),
    ] {
        if let Some(text) = cols.cell(row, key) {
            if text.chars().count() > max {
                p.add(key, format!("{what}不能超过{max}个字"));
            } else {
                *field = text.to_string();
            }
        }
    }
    data
}

pub(super) async fn import_experts(ctx: &Context<'_>, report: &mut ImportReport) -> AppResult<()> {
    let existing: HashMap<String, ExpertData> =
        ctx.store.all_expert_data().await?.into_iter().map(|e| (e.name.clone(), e)).collect();
    let reviewers: HashSet<String> =
        ctx.store.users().await?.into_iter().filter(|u| u.role == Role::Reviewer.key()).map(|u| u.username).collect();
    let institutions = Institutions::load(ctx.store).await?;
    let key_of = |text: &str| check_text("专家姓名", text, INSTITUTION_MAX_CHARS).is_ok().then(|| text.to_string());
    let lookups = ExpertLookups { existing: &existing, reviewers: &reviewers, institutions: &institutions };
    let check = |row: &SheetRow, problems: &mut RowProblems| Some(check_expert(ctx, row, &lookups, problems));
    ctx.upsert_by_key(report, "name", key_of, &existing, check, Store::upsert_experts).await?;
    Ok(())
}

struct ExpertLookups<'a> {
    /// The stored experts by name.
    existing: &'a HashMap<String, ExpertData>,
    /// The user names of the accounts of role reviewer.
    reviewers: &'a HashSet<String>,
    institutions: &'a Institutions,
}

/// Merges a row into the stored expert of its name (or a new one) and checks it: its
/// institution resolved as an achievement's is (credit code, then normalised name), and
/// an account that is a reviewer's and no other expert's.
fn check_expert(ctx: &Context<'_>, row: &SheetRow, lookups: &ExpertLookups<'_>, p: &mut RowProblems) -> ExpertData {
    let cols = ctx.cols;
    let name = cols.text(row, "name");
    if let Err(message) = check_text("专家姓名", name, INSTITUTION_MAX_CHARS) {
        p.add("name", message);
    }
    let mut data = lookups.existing.get(name).cloned().unwrap_or_default();
    data.name = name.to_string();
    match cols.cell(row, "institution") {
        None => {}
        Some("") => (data.institution, data.institution_credit_code) = (String::new(), String::new()),
        Some(text) => match check_text("所在单位", text, INSTITUTION_MAX_CHARS) {
            Ok(()) => {
                (data.institution, data.institution_credit_code) =
                    lookups.institutions.resolve(cols, row, text, "institution_credit_code", p)
            }
            Err(message) => p.add("institution", message),
        },
    }
    if let Some(text) = cols.cell(row, "fields") {
        if text.chars().count() > FIELDS_MAX_CHARS {
            p.add("fields", format!("专业领域不能超过{FIELDS_MAX_CHARS}个字"));
        } else {
            data.fields = text.to_string();
        }
    }
    match cols.cell(row, "account") {
        None => {}
        Some(text) if text.is_empty() || lookups.reviewers.contains(text) => {
            let other = lookups.existing.values().find(|e| e.account == text && e.name != name && !text.is_empty());
            match other {
                Some(other) => p.add("account", format!("账号“{text}”已关联专家“{}”", other.name)),
                None => data.account = text.to_string(),
            }
        }
        Some(text) => p.add("account", format!("账号“{text}”不存在或不是评审专家账号")),
    }
    data
}

pub(super) async fn import_reviews(ctx: &Context<'_>, report: &mut ImportReport) -> AppResult<()> {
    let achievements: HashMap<String, (String, String)> = ctx
        .store
        .all_achievements()
        .await?
        .into_iter()
        .map(|a| (a.code, (a.institution, a.institution_credit_code)))
        .collect();
    let mut experts: HashMap<String, String> =
        ctx.store.experts().await?.into_iter().map(|e| (e.name, e.institution)).collect();
    // A new reviewer's institution given on one of its rows holds for its other rows.
    for row in &ctx.sheet.rows {
        let (reviewer, institution) = (ctx.cols.text(row, "reviewer"), ctx.cols.text(row, "reviewer_institution"));
        if !reviewer.is_empty() && !institution.is_empty() && !experts.contains_key(reviewer) {
            experts.insert(reviewer.to_string(), institution.to_string());
        }
    }
    let existing: HashMap<String, ReviewData> =
        ctx.store.all_reviews().await?.into_iter().map(|r| (review_key(&r.code, &r.reviewer), r)).collect();
    let institutions = Institutions::load(ctx.store).await?;
    let cols = ctx.cols;
    let key_of = |row: &SheetRow| {
        let (code, reviewer) = (cols.text(row, "code"), cols.text(row, "reviewer"));
        (!code.is_empty() && !reviewer.is_empty()).then(|| review_key(code, reviewer))
    };
    let lookups = ReviewLookups { achievements: &achievements, experts: &experts, institutions: &institutions };
    let check = |row: &SheetRow, problems: &mut RowProblems| check_review(ctx, row, &lookups, problems);
    ctx.upsert_by_row_key(report, "reviewer", key_of, &existing, check, Store::upsert_reviews).await?;
    Ok(())
}

/// A review's key: its achievement's code and its reviewer.
fn review_key(code: &str, reviewer: &str) -> String {
    format!("{code}\u{1f}{reviewer}")
}

struct ReviewLookups<'a> {
    /// Each achievement's institution and its credit code, by code.
    achievements: &'a HashMap<String, (String, String)>,
    /// Each expert's institution (empty when unknown), by name: stored, or for a new one
    /// the institution another row of the file gives it.
    experts: &'a HashMap<String, String>,
    institutions: &'a Institutions,
}

fn check_review(
    ctx: &Context<'_>,
    row: &SheetRow,
    lookups: &ReviewLookups<'_>,
    p: &mut RowProblems,
) -> Option<ReviewData> {
    let cols = ctx.cols;
    let code = cols.text(row, "code");
    let reviewer = cols.text(row, "reviewer");
    let owner = match lookups.achievements.get(code) {
        Some((name, credit_code)) => Some((name.as_str(), credit_code.as_str())),
        None if code.is_empty() => {
            p.add("code", "成果编号不能为空");
            None
        }
        None => {
            p.add("code", format!("成果编号“{code}”不在成果库中，请先导入该成果"));
            None
        }
    };
    if let Err(message) = check_text("评审专家", reviewer, INSTITUTION_MAX_CHARS) {
        p.add("reviewer", message);
    }
    let given = cols.text(row, "reviewer_institution");
    let known = lookups.experts.get(reviewer);
    let institutions = lookups.institutions;
    let (institution, credit_code) = if given.chars().count() > INSTITUTION_MAX_CHARS {
        p.add("reviewer_institution", format!("专家单位不能超过{INSTITUTION_MAX_CHARS}个字"));
        (String::new(), String::new())
    } else if given.is_empty() && known.is_none() {
        if !reviewer.is_empty() {
            p.add("reviewer_institution", format!("评审专家“{reviewer}”尚未在专家库中，须填写专家单位"));
        }
        (String::new(), String::new())
    } else {
        match (given, known.map(String::as_str).unwrap_or("")) {
            ("", "") => (String::new(), String::new()),
            ("", stored) => institutions.resolve(cols, row, stored, "reviewer_credit_code", p),
            (given, _) => institutions.resolve(cols, row, given, "reviewer_credit_code", p),
        }
    };
    if let Some(owner) = owner {
        let stored = known.map(|name| (name.as_str(), institutions.code_of(name)));
        let conflict = [Some((institution.as_str(), credit_code.clone())), stored]
            .into_iter()
            .flatten()
            .any(|(name, code)| one_institution(owner, (name, &code)));
        if conflict {
            p.add(
                "reviewer_institution",
                format!("利益冲突：评审专家“{reviewer}”与成果完成单位“{}”为同一单位，不能评审该成果", owner.0),
            );
        }
    }
    let mut score = |key: &'static str| match Score::parse(cols.text(row, key)) {
        Ok(score) => score.0,
        Err(message) => {
            p.add(key, message);
            0
        }
    };
    let (market, economic, technical) = (score("market"), score("economic"), score("technical"));
    Some(ReviewData {
        code: code.to_string(),
        reviewer: reviewer.to_string(),
        reviewer_institution: institution,
        reviewer_credit_code: credit_code,
        market,
        economic,
        technical,
    })
}
