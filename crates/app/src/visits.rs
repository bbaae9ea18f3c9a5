//! 六必访 visits (area 9's intake from visits): a member or cadre records a visit to an
//! enterprise and the problems it raised; each problem is registered at once as an
//! appeal of the enterprise's region, received today with the default time limit, and
//! names the visit it came from. The form's rules are `chains::plans::check_visit` (the
//! visit) and `core::visits::check_problems` (the problems).

use crate::chains::plans::{check_visit, FieldErrors};
use crate::portal::RegionChoice;
use crate::{App, AppError, AppResult};
use std::collections::HashMap;
use zhaoshang_core::access::{Principal, RecordScope};
use zhaoshang_core::appeals::DEFAULT_LIMIT_DAYS;
use zhaoshang_core::regions::RegionCode;
use zhaoshang_core::visits::{check_problems, ProblemRow, PROBLEM_FIELDS};
use zhaoshang_store::appeals::{Appeal, AppealData};
use zhaoshang_store::audit::Actor;
use zhaoshang_store::visits::{Visit, VisitData};

/// One page of visits with the names of their regions.
pub struct VisitPage {
    pub visits: Vec<Visit>,
    pub count: i64,
    pub region_names: HashMap<String, String>,
}

/// A visit with the appeals it raised.
pub struct VisitView {
    pub visit: Visit,
    pub appeals: Vec<Appeal>,
    pub region_name: String,
}

fn value<'a>(values: &'a HashMap<String, String>, key: &str) -> &'a str {
    values.get(key).map_or("", |v| v.trim())
}

impl App {
    /// The region prefix of the visits a user reads (those of the appeals it reads).
    fn visit_prefix(principal: &Principal) -> AppResult<String> {
        match principal.appeal_scope() {
            RecordScope::All => Ok(String::new()),
            RecordScope::Within(region) => Ok(region.scope_prefix().to_string()),
            RecordScope::Nothing => Err(AppError::Forbidden),
        }
    }

    pub async fn visit_page(&self, principal: &Principal, page: Option<u32>, per_page: i64) -> AppResult<VisitPage> {
        let prefix = Self::visit_prefix(principal)?;
        let (_, offset) = crate::projects::page_offset(page, per_page);
        let (count, visits) = self.store().visits_page(&prefix, per_page, offset).await?;
        let region_names = self.region_names(visits.iter().map(|v| v.data.region_code.clone())).await?;
        Ok(VisitPage { visits, count, region_names })
    }

    /// A visit the user may read, with its appeals; 404 for any other.
    pub async fn visit_view(&self, principal: &Principal, id: &str) -> AppResult<VisitView> {
        let prefix = Self::visit_prefix(principal)?;
        let not_found = || AppError::not_found("该走访记录");
        let id: i64 = id.trim().parse().map_err(|_| not_found())?;
        let visit =
            self.store().visit(id).await?.filter(|v| v.data.region_code.starts_with(&prefix)).ok_or_else(not_found)?;
        let appeals = self.store().appeals_of_visit(id).await?;
        let region_name = self
            .region_names([visit.data.region_code.clone()])
            .await?
            .remove(&visit.data.region_code)
            .unwrap_or_default();
        Ok(VisitView { visit, appeals, region_name })
    }

    /// Records a visit and registers the problems it raised as appeals of the
    /// enterprise's region, all at once. Returns the visit's id, or the form's errors
    /// (nothing written).
    pub async fn record_visit(
        &self,
        principal: &Principal,
        actor: &Actor,
        values: &HashMap<String, String>,
    ) -> AppResult<Result<i64, FieldErrors>> {
        if !principal.may_record_visits() {
            return Err(AppError::Forbidden);
        }
        let today = crate::calendar::today();
        let mut errors = FieldErrors::new();
        let region = match self.known_region(value(values, "region")).await {
            Ok(region) if principal.may_record_visit_in(&region) => Some(region),
            Ok(_) => return Err(AppError::Forbidden),
            Err(_) => {
                errors.insert("region", "请选择企业所在的县区".to_string());
                None
            }
        };
        let (credit_code, enterprise) =
            self.library_enterprise(value(values, "credit_code"), value(values, "enterprise")).await?;
        if enterprise.is_empty() {
            errors.insert("enterprise", "请填写走访的企业".to_string());
        }
        let visit = check_visit(value(values, "visited_on"), value(values, "visitor"), value(values, "summary"), today)
            .map_err(|visit_errors| errors.extend(visit_errors))
            .ok();
        let rows: Vec<ProblemRow> = PROBLEM_FIELDS
            .iter()
            .map(|(dimension, category, content)| ProblemRow {
                dimension: value(values, dimension).to_string(),
                category: value(values, category).to_string(),
                content: value(values, content).to_string(),
            })
            .collect();
        let problems = check_problems(&rows).map_err(|problem_errors| errors.extend(problem_errors)).ok();
        let (Some(region), Some(visit), Some(problems)) = (region, visit, problems) else { return Ok(Err(errors)) };
        if !errors.is_empty() {
            return Ok(Err(errors));
        }
        let calendar = self.calendar().await?;
        let codes = self.next_appeal_codes(&region, today, problems.len()).await?;
        let appeals: Vec<AppealData> = problems
            .into_iter()
            .zip(codes)
            .map(|(problem, code)| {
                let mut appeal = AppealData {
                    code,
                    enterprise: enterprise.clone(),
                    credit_code: credit_code.clone(),
                    region_code: region.to_string(),
                    dimension: problem.dimension.key().to_string(),
                    category: problem.category,
                    content: problem.content,
                    received_on: today,
                    limit_days: i64::from(DEFAULT_LIMIT_DAYS),
                    ..Default::default()
                };
                appeal.reckon_due(&calendar);
                appeal
            })
            .collect();
        let data = VisitData {
            region_code: region.to_string(),
            enterprise,
            credit_code,
            visited_on: visit.visited_on,
            visitor: visit.visitor,
            summary: visit.summary,
        };
        let id = self.store().create_visit(&data, &appeals, actor).await?;
        Ok(Ok(id))
    }

    /// The counties a user may record visits in, by city, for the form (all of the
    /// province for the admin and members, its own for region staff).
    pub async fn visit_regions(&self, principal: &Principal) -> AppResult<Vec<RegionChoice>> {
        if !principal.may_record_visits() {
            return Err(AppError::Forbidden);
        }
        let mut choices = self.portal_regions().await?;
        for choice in &mut choices {
            choice
                .counties
                .retain(|county| RegionCode::parse(&county.code).is_ok_and(|c| principal.may_record_visit_in(&c)));
        }
        choices.retain(|choice| !choice.counties.is_empty());
        Ok(choices)
    }
}
