//! The demo's 营商环境监督评价: the member's ratings of every city on the five dimensions
//! for the last quarter finished, so that the page shows both parts of each index.

use super::projects::CITIES;
use super::random::Rng;
use crate::{AppError, AppResult};
use chrono::NaiveDate;
use zhaoshang_core::appeals::Dimension;
use zhaoshang_core::evaluation::Quarter;
use zhaoshang_store::appeals::supervision::RatingInput;
use zhaoshang_store::{Actor, Store};

const COMMENTS: &[&str] = &["", "走访企业反映总体较好", "个别事项办理偏慢", "政策兑现仍需提速", "企业获得感明显提升"];

/// The ratings of the quarter before `today`'s, the same on every call.
pub(super) async fn load(store: &Store, today: NaiveDate) -> AppResult<()> {
    let member = store.user_by_name("member").await?.ok_or_else(|| AppError::internal("the demo member exists"))?;
    let actor = Actor::user(member.id, &member.username);
    let quarter = Quarter::last_finished(today);
    let mut rng = Rng::new(0x5355_5045_5256); // "SUPERV"
    for city in CITIES {
        for dimension in Dimension::ALL {
            let comment = *rng.pick::<&str>(COMMENTS);
            let rating = RatingInput {
                year: quarter.year(),
                quarter: quarter.quarter() as i32,
                region_code: city.code,
                dimension,
                score: rng.between(62, 96),
                comment,
            };
            store.save_supervision_rating(&rating, &actor).await?;
        }
    }
    Ok(())
}
