//! Reference data shipped in the binary (`data/` at the repository root): all
//! administrative divisions of China to county level and GB/T 4754-2017 industries.

use crate::{AppError, AppResult};
use zhaoshang_core::regions::{parse_divisions, Division, DivisionFileError};
use zhaoshang_store::reference::Industry;
use zhaoshang_store::Store;

const DIVISIONS: &str = include_str!("../../../data/divisions.tsv");
const INDUSTRIES: &str = include_str!("../../../data/industries.tsv");

/// Every division of China to county level, as shipped.
pub fn divisions() -> Result<Vec<Division>, DivisionFileError> {
    parse_divisions(DIVISIONS)
}

pub fn industries() -> Vec<Industry> {
    INDUSTRIES
        .lines()
        .skip(1)
        .filter_map(|line| {
            let mut columns = line.split('\t');
            Some(Industry {
                code: columns.next()?.trim().to_string(),
                name: columns.next()?.trim().to_string(),
                section: columns.next()?.trim().to_string(),
            })
        })
        .collect()
}

/// Loads divisions and industries when the database has none (first start).
pub async fn ensure_loaded(store: &Store) -> AppResult<()> {
    if store.count_regions().await? == 0 {
        let divisions = divisions().map_err(|e| AppError::Internal(e.to_string()))?;
        store.load_regions(&divisions).await?;
        store.load_industries(&industries()).await?;
    }
    Ok(())
}

/// Whether a city's chain target lists may hold enterprises of other regions of the
/// province (the administrator's `in_province_relocation` setting; off by default).
pub async fn in_province_relocation_allowed(store: &Store) -> AppResult<bool> {
    Ok(store.in_province_relocation_allowed().await?)
}

/// Changes the `in_province_relocation` setting (audited).
pub async fn set_in_province_relocation(store: &Store, allowed: bool, actor: &zhaoshang_store::Actor) -> AppResult<()> {
    Ok(store.set_in_province_relocation(allowed, actor).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_divisions_cover_gansu() {
        let divisions = parse_divisions(DIVISIONS).unwrap();
        let gansu_cities: Vec<_> = divisions
            .iter()
            .filter(|d| d.parent.as_ref().map(|p| p.as_str()) == Some("620000") && d.code.as_str().ends_with("00"))
            .collect();
        assert_eq!(gansu_cities.len(), 14);
        let gansu_counties = divisions
            .iter()
            .filter(|d| {
                d.code.as_str().starts_with("62") && d.code.level() == zhaoshang_core::regions::RegionLevel::County
            })
            .count();
        assert_eq!(gansu_counties, 86);
        assert!(divisions.iter().any(|d| d.code.as_str() == "620503" && d.name == "麦积区"));
    }

    #[test]
    fn shipped_industries_have_20_sections_and_97_divisions() {
        let all = industries();
        assert_eq!(all.iter().filter(|i| i.code.len() == 1).count(), 20);
        assert_eq!(all.iter().filter(|i| i.code.len() == 2).count(), 97);
        assert!(all.iter().any(|i| i.code == "32" && i.name == "有色金属冶炼和压延加工业" && i.section == "C"));
    }
}
