//! Parks kept by staff (园区, 在线选地): the form that creates and changes a park with
//! every field investors read — level, region, leading industries and chains, areas,
//! 水电路网气暖讯, 能耗指标, land prices, policies, contacts. The administrator keeps every
//! park, a region user those of its region (`may_write_site`); the checks are
//! `core::parcels::park`'s, the region and chains are checked against the store.

use super::{keeps_sites, may_write_site};
use crate::{App, AppError, AppResult};
use zhaoshang_core::access::Principal;
use zhaoshang_core::money::Yuan;
use zhaoshang_core::parcels::park::{check_park, ParkForm, UtilityInput};
use zhaoshang_core::parcels::{infrastructure_lines, Readiness};
use zhaoshang_store::reference::{Park, ParkSite};
use zhaoshang_store::Actor;

/// A stored chain a park may serve, as the form lists it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ChainChoice {
    pub id: i64,
    pub name: String,
    pub region_name: String,
}

/// What the park form offers: the regions the user may place a park in (code, name
/// indented below its city) and the stored chains.
pub struct ParkFormChoices {
    pub regions: Vec<(String, String)>,
    pub chains: Vec<ChainChoice>,
}

/// A stored park as its form shows it again.
pub fn park_form_of(park: &Park, chain_ids: &[i64]) -> ParkForm {
    let text = |value: Option<i64>| value.map(|v| v.to_string()).unwrap_or_default();
    let wan = |yuan: Option<i64>| yuan.map(|y| Yuan(y).wan_string()).unwrap_or_default();
    let lines = infrastructure_lines(&park.site.infrastructure);
    let infrastructure = std::array::from_fn(|index| UtilityInput {
        readiness: lines[index].readiness.unwrap_or_default().to_string(),
        capacity: lines[index].capacity.clone(),
    });
    ParkForm {
        name: park.name.clone(),
        region_code: park.region_code.clone(),
        level: park.level.clone(),
        leading_industries: park.leading_industries.clone(),
        chains: chain_ids.iter().map(i64::to_string).collect(),
        area_mu: text(park.area_mu),
        built_area_mu: text(park.site.built_area_mu),
        lon: park.site.lon.map(|v| v.to_string()).unwrap_or_default(),
        lat: park.site.lat.map(|v| v.to_string()).unwrap_or_default(),
        infrastructure,
        energy_quota_tce: text(park.site.energy_quota_tce),
        energy_quota_note: park.site.energy_quota_note.clone(),
        price_min_wan: wan(park.site.land_price_min),
        price_max_wan: wan(park.site.land_price_max),
        policies: park.site.policies.clone(),
        contacts: park.site.contacts.clone(),
        description: park.description.clone(),
    }
}

/// The readiness choices of an infrastructure line (key, label).
pub fn readiness_choices() -> Vec<(&'static str, &'static str)> {
    Readiness::ALL.iter().map(|r| (r.key(), r.label())).collect()
}

impl App {
    /// Refused (403) unless the user keeps parks of some region.
    fn require_park_writer(principal: &Principal) -> AppResult<()> {
        if keeps_sites(principal) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// The park `id` with the ids of its chains, for its form: 404 when unknown, 403
    /// when its region is outside the user's.
    pub async fn park_to_edit(&self, principal: &Principal, id: i64) -> AppResult<(Park, Vec<i64>)> {
        Self::require_park_writer(principal)?;
        let park = self.store().park(id).await?.ok_or_else(|| AppError::not_found("该园区"))?;
        if !may_write_site(principal, &park.region_code) {
            return Err(AppError::Forbidden);
        }
        let chains = self.store().park_chains(Some(id)).await?.into_iter().map(|c| c.chain_id).collect();
        Ok((park, chains))
    }

    /// The regions and chains the park form offers the user.
    pub async fn park_form_choices(&self, principal: &Principal) -> AppResult<ParkFormChoices> {
        Self::require_park_writer(principal)?;
        let mut regions = Vec::new();
        for choice in self.portal_regions().await? {
            if may_write_site(principal, &choice.city.code) {
                regions.push((choice.city.code.clone(), choice.city.name.clone()));
            }
            for county in choice.counties {
                if may_write_site(principal, &county.code) {
                    regions.push((county.code, format!("　{}", county.name)));
                }
            }
        }
        let chains = self
            .store()
            .chain_summaries()
            .await?
            .into_iter()
            .map(|c| ChainChoice { id: c.id, name: c.name, region_name: c.region_name })
            .collect();
        Ok(ParkFormChoices { regions, chains })
    }

    /// Creates (`id` none) or changes a park from its form, audited; `Ok(Err(problems))`
    /// in Chinese, nothing changed, when the form is bad. 403 for a park, or a region
    /// it is placed in, outside the user's; 404 for an unknown park.
    pub async fn save_park_form(
        &self,
        principal: &Principal,
        actor: &Actor,
        id: Option<i64>,
        form: &ParkForm,
    ) -> AppResult<Result<Park, Vec<String>>> {
        Self::require_park_writer(principal)?;
        if let Some(id) = id {
            self.park_to_edit(principal, id).await?;
        }
        let mut checked = match check_park(form) {
            Ok(checked) => checked,
            Err(problems) => return Ok(Err(problems)),
        };
        let mut problems = Vec::new();
        if self.store().region(&checked.region_code).await?.is_none() {
            problems.push(format!("地区代码“{}”不存在", checked.region_code));
        } else if !may_write_site(principal, &checked.region_code) {
            // The form offers only the user's regions: another one is refused outright.
            return Err(AppError::Forbidden);
        }
        let stored: Vec<i64> = self.store().chain_summaries().await?.iter().map(|c| c.id).collect();
        checked.chain_ids.retain(|chain| {
            let known = stored.contains(chain);
            if !known {
                problems.push(format!("产业链（编号 {chain}）不存在"));
            }
            known
        });
        if !problems.is_empty() {
            return Ok(Err(problems));
        }
        let park = Park {
            id: id.unwrap_or(0),
            name: checked.name,
            region_code: checked.region_code,
            level: checked.level,
            leading_industries: checked.leading_industries,
            area_mu: checked.area_mu,
            description: checked.description,
            site: ParkSite {
                built_area_mu: checked.built_area_mu,
                lon: checked.position.map(|p| p.lon),
                lat: checked.position.map(|p| p.lat),
                infrastructure: checked.infrastructure,
                land_price_min: checked.land_price_min,
                land_price_max: checked.land_price_max,
                policies: checked.policies,
                contacts: checked.contacts,
                energy_quota_tce: checked.energy_quota_tce,
                energy_quota_note: checked.energy_quota_note,
            },
        };
        match self.store().save_park(&park, Some(&checked.chain_ids), actor).await {
            Ok(saved) => Ok(Ok(saved)),
            Err(zhaoshang_store::StoreError::Conflict(message)) => Ok(Err(vec![message])),
            Err(other) => Err(other.into()),
        }
    }
}
