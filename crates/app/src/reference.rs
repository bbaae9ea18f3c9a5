//! Reference data as the pages use it: divisions as a tree and region names, parks and
//! departments (edited by the administrator only), industries, the administrator's
//! settings and the home page's counts. Everyone signed in reads them.

use crate::accounts::require_admin;
use crate::{App, AppError, AppResult};
use std::collections::HashMap;
use std::future::Future;
use zhaoshang_core::access::Principal;
use zhaoshang_core::regions::RegionCode;
use zhaoshang_core::text::non_empty;
use zhaoshang_store::reference::{Department, Industry, Park, ParkSite, Region};
use zhaoshang_store::{Actor, StoreError};

/// A division of the tree page with how many divisions lie directly below it.
pub struct RegionRow {
    pub region: Region,
    pub children: usize,
}

/// A park as its form submits it.
#[derive(Debug, Clone, Default)]
pub struct ParkInput {
    pub id: Option<i64>,
    pub name: String,
    pub region_code: String,
    pub level: Option<String>,
    pub leading_industries: Option<String>,
    pub area_mu: Option<String>,
    pub description: Option<String>,
}

/// A department as its form submits it.
#[derive(Debug, Clone, Default)]
pub struct DepartmentInput {
    pub id: Option<i64>,
    pub name: String,
    pub region_code: Option<String>,
    pub kind: Option<String>,
}

/// Saves with `save` when the form had no `problems`; a name taken (a conflict) is one
/// more problem. The problems joined for the page when any.
async fn saved_unless<T, F>(mut problems: Vec<String>, save: impl FnOnce() -> F) -> AppResult<Result<T, String>>
where
    F: Future<Output = Result<T, StoreError>>,
{
    if problems.is_empty() {
        match save().await {
            Ok(saved) => return Ok(Ok(saved)),
            Err(StoreError::Conflict(message)) => problems.push(message),
            Err(other) => return Err(other.into()),
        }
    }
    Ok(Err(problems.join("；")))
}

impl App {
    /// The name of each code (empty for an unknown code), from the store's region
    /// directory in memory.
    /// (The codes are collected before the lookups: a future holding the caller's
    /// iterator would not be `Send` for every lifetime, as axum handlers must be.)
    pub fn region_names(
        &self,
        codes: impl IntoIterator<Item = String>,
    ) -> impl Future<Output = AppResult<HashMap<String, String>>> + Send + '_ {
        self.region_names_of(codes.into_iter().collect())
    }

    async fn region_names_of(&self, codes: Vec<String>) -> AppResult<HashMap<String, String>> {
        let mut names = HashMap::new();
        for code in codes {
            if let std::collections::hash_map::Entry::Vacant(slot) = names.entry(code) {
                let name = self.store().region(slot.key()).await?.map(|r| r.name).unwrap_or_default();
                slot.insert(name);
            }
        }
        Ok(names)
    }

    /// The name of one region, empty when unknown.
    pub async fn region_name(&self, code: &str) -> AppResult<String> {
        Ok(self.store().region(code).await?.map(|r| r.name).unwrap_or_default())
    }

    /// "上海市浦东新区" for 310115: headquarters lie anywhere in China, where a county's
    /// name alone says little.
    pub fn full_region_names(
        &self,
        codes: impl IntoIterator<Item = String>,
    ) -> impl Future<Output = AppResult<HashMap<String, String>>> + Send + '_ {
        self.full_region_names_of(codes.into_iter().collect())
    }

    async fn full_region_names_of(&self, codes: Vec<String>) -> AppResult<HashMap<String, String>> {
        let store = self.store();
        let mut names = HashMap::new();
        for code in codes {
            if names.contains_key(&code) {
                continue;
            }
            let mut parts = Vec::new();
            let mut current = store.region(&code).await?;
            while let Some(region) = current {
                parts.push(region.name);
                current = match region.parent_code {
                    Some(parent) if parts.len() < 3 => store.region(&parent).await?,
                    _ => None,
                };
            }
            parts.reverse();
            names.insert(code, parts.concat());
        }
        Ok(names)
    }

    /// The region a filter or form names by code or name (see `stats::known_region`).
    pub async fn known_region(&self, typed: &str) -> AppResult<RegionCode> {
        crate::stats::known_region(self.store(), typed).await
    }

    /// The divisions from the top down to `parent` (the page's trail) and those directly
    /// below it, each with its own count of divisions below (counties have none shown).
    pub async fn region_tree(&self, parent: Option<&str>) -> AppResult<(Vec<Region>, Vec<RegionRow>)> {
        let store = self.store();
        let mut trail = Vec::new();
        let mut cursor = parent.map(str::to_string);
        while let Some(code) = cursor {
            let region = store.region(&code).await?.ok_or_else(|| AppError::not_found("该地区"))?;
            cursor = region.parent_code.clone();
            trail.insert(0, region);
        }
        let children = store.region_children(parent).await?;
        let mut rows = Vec::with_capacity(children.len());
        for child in children {
            let below = if child.level < 3 { store.region_children(Some(&child.code)).await?.len() } else { 0 };
            rows.push(RegionRow { region: child, children: below });
        }
        Ok((trail, rows))
    }

    /// The divisions directly below `parent` (the top level without one).
    pub async fn region_children(&self, parent: Option<&str>) -> AppResult<Vec<Region>> {
        Ok(self.store().region_children(parent).await?)
    }

    pub async fn region(&self, code: &str) -> AppResult<Option<Region>> {
        Ok(self.store().region(code).await?)
    }

    /// The province of `region` and its cities, for region selectors (cities indented).
    pub async fn province_and_cities(&self, region: &RegionCode) -> AppResult<Vec<(String, String)>> {
        let province = region.province();
        let mut options = Vec::new();
        if let Some(own) = self.store().region(province.as_str()).await? {
            options.push((own.code, own.name));
        }
        for city in self.store().region_children(Some(province.as_str())).await? {
            options.push((city.code, format!("　{}", city.name)));
        }
        Ok(options)
    }

    pub async fn in_province_relocation_allowed(&self) -> AppResult<bool> {
        crate::reference_data::in_province_relocation_allowed(self.store()).await
    }

    /// The administrator's setting whether a city's chain target lists may hold
    /// enterprises of other regions of the province.
    pub async fn set_in_province_relocation(
        &self,
        principal: &Principal,
        allowed: bool,
        actor: &Actor,
    ) -> AppResult<()> {
        require_admin(principal)?;
        crate::reference_data::set_in_province_relocation(self.store(), allowed, actor).await
    }

    /// Every park with the name of its region, and the park `edit` when one is asked for.
    pub async fn parks(&self, edit: Option<i64>) -> AppResult<(Vec<(Park, Option<String>)>, Option<Park>)> {
        let store = self.store();
        let mut rows = Vec::new();
        for park in store.parks("").await? {
            let region_name = store.region(&park.region_code).await?.map(|r| r.name);
            rows.push((park, region_name));
        }
        let editing = match edit {
            Some(id) => Some(store.park(id).await?.ok_or_else(|| AppError::not_found("该园区"))?),
            None => None,
        };
        Ok((rows, editing))
    }

    /// Every department with the name of its region, and the department `edit`.
    pub async fn departments(
        &self,
        edit: Option<i64>,
    ) -> AppResult<(Vec<(Department, Option<String>)>, Option<Department>)> {
        let store = self.store();
        let mut rows = Vec::new();
        for department in store.departments().await? {
            let region_name = match &department.region_code {
                Some(code) => store.region(code).await?.map(|r| r.name),
                None => None,
            };
            rows.push((department, region_name));
        }
        let editing = match edit {
            Some(id) => Some(store.department(id).await?.ok_or_else(|| AppError::not_found("该单位"))?),
            None => None,
        };
        Ok((rows, editing))
    }

    pub async fn industries(&self) -> AppResult<Vec<Industry>> {
        Ok(self.store().industries().await?)
    }

    /// A region code as a form gives it, checked to exist; the problem in Chinese.
    async fn checked_region(&self, code: &str) -> Result<String, String> {
        let code = RegionCode::parse(code).map_err(|e| e.to_string())?;
        match self.store().region(code.as_str()).await {
            Ok(Some(_)) => Ok(code.to_string()),
            _ => Err(format!("地区代码“{code}”不存在")),
        }
    }

    /// Saves a park (administrators only); `Ok(Err(problems))` when the form is bad or the
    /// name is taken.
    pub async fn save_park(
        &self,
        principal: &Principal,
        input: &ParkInput,
        actor: &Actor,
    ) -> AppResult<Result<Park, String>> {
        require_admin(principal)?;
        let mut problems: Vec<String> = Vec::new();
        if input.name.trim().is_empty() {
            problems.push("园区名称不能为空".to_string());
        }
        let region = self.checked_region(&input.region_code).await.map_err(|e| problems.push(e)).ok();
        let area = match non_empty(input.area_mu.as_deref()) {
            None => None,
            Some(text) => text.parse::<i64>().map_err(|_| problems.push(format!("面积“{text}”应为整数亩"))).ok(),
        };
        // The form edits the registry's fields; what investors read (`ParkSite`) is kept.
        let site = match input.id {
            Some(id) => self.store().park(id).await?.map(|stored| stored.site).unwrap_or_default(),
            None => ParkSite::default(),
        };
        let park = Park {
            id: input.id.unwrap_or(0),
            name: input.name.trim().to_string(),
            region_code: region.unwrap_or_default(),
            level: input.level.clone().unwrap_or_default(),
            leading_industries: input.leading_industries.clone().unwrap_or_default(),
            area_mu: area,
            description: input.description.clone().unwrap_or_default(),
            site,
        };
        saved_unless(problems, || self.store().save_park(&park, None, actor)).await
    }

    /// Saves a department (administrators only), as `save_park`.
    pub async fn save_department(
        &self,
        principal: &Principal,
        input: &DepartmentInput,
        actor: &Actor,
    ) -> AppResult<Result<Department, String>> {
        require_admin(principal)?;
        let mut problems: Vec<String> = Vec::new();
        if input.name.trim().is_empty() {
            problems.push("单位名称不能为空".to_string());
        }
        let region = match non_empty(input.region_code.as_deref()) {
            None => None,
            Some(code) => self.checked_region(code).await.map_err(|e| problems.push(e)).ok(),
        };
        let department = Department {
            id: input.id.unwrap_or(0),
            name: input.name.trim().to_string(),
            region_code: region,
            kind: input.kind.clone().unwrap_or_default(),
        };
        saved_unless(problems, || self.store().save_department(&department, actor)).await
    }
}
