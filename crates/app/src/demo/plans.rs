//! The chain department's demo 一企一案: three plans on gap links of the demo chains, each
//! with one visit, their next steps due relative to today (one overdue).

use super::accounts::CHAIN_DEPARTMENT;
use super::chains::{library_code, node_ids, BAIYIN, BAIYIN_METALS, MISSING_LINK, TIANSHUI};
use crate::AppResult;
use chrono::{Days, NaiveDate};
use zhaoshang_store::plans::{PlanData, VisitData};
use zhaoshang_store::{Actor, Store};

/// One of the chain department's 一企一案, with one visit.
struct DemoPlan {
    enterprise: &'static str,
    chain: &'static str,
    link: &'static str,
    region: &'static str,
    approach: &'static str,
    next_step: &'static str,
    /// Days from today to the next step's due date (negative: overdue).
    due_in: i64,
    visited_days_ago: u64,
    visit: &'static str,
}

const PLANS: &[DemoPlan] = &[
    DemoPlan {
        enterprise: "中国铝业股份有限公司",
        chain: BAIYIN_METALS,
        link: MISSING_LINK,
        region: BAIYIN,
        approach: "依托白银有色铜铝冶炼基础和园区电价优势，以商招商引进高精铝板带箔项目",
        next_step: "赴北京总部对接高精铝板带箔项目合作意向并商定考察日程",
        due_in: -7,
        visited_days_ago: 30,
        visit: "与中铝集团战略发展部座谈，介绍白银高新区铝加工配套条件，对方表示可安排实地考察。",
    },
    DemoPlan {
        enterprise: "宁波韵升股份有限公司",
        chain: "白银市稀土产业链",
        link: "烧结钕铁硼磁体",
        region: BAIYIN,
        approach: "借助宁波市甘肃商会牵线，围绕稀土分离产能配套引进烧结钕铁硼磁体项目",
        next_step: "邀请企业高管参加白银稀土产业推介会",
        due_in: 14,
        visited_days_ago: 12,
        visit: "商会会长陪同拜访宁波总部，企业关注稀土原料保供和用地指标。",
    },
    DemoPlan {
        enterprise: "正泰电器股份有限公司",
        chain: "天水市电工电器产业链",
        link: "智能配电系统",
        region: TIANSHUI,
        approach: "以二一三电器为链主开展产业链协同招商，引进智能配电系统生产基地",
        next_step: "提交智能配电产业园选址方案",
        due_in: 30,
        visited_days_ago: 5,
        visit: "在兰洽会期间洽谈，企业有意在西北布局智能配电系统生产基地。",
    },
];

/// Writes the plans, owned by the chain department (none without its account).
pub(super) async fn load(store: &Store, today: NaiveDate, actor: &Actor) -> AppResult<()> {
    let Some(owner) = store.user_by_name(CHAIN_DEPARTMENT).await? else { return Ok(()) };
    for demo in PLANS {
        let Some(enterprise) = store.enterprise_by_code(&library_code(demo.enterprise)).await? else { continue };
        let days = Days::new(demo.due_in.unsigned_abs());
        let due_on = if demo.due_in < 0 { today.checked_sub_days(days) } else { today.checked_add_days(days) };
        let plan = PlanData {
            enterprise_id: enterprise.id,
            node_id: node_ids(store, demo.chain).await?.get(demo.link).copied(),
            region_code: demo.region.to_string(),
            owner_id: owner.id,
            approach: demo.approach.to_string(),
            next_step: demo.next_step.to_string(),
            due_on,
            status: "active".to_string(),
        };
        let plan_id = store.create_plan(&plan, actor).await?;
        let visit = VisitData {
            visited_on: today.checked_sub_days(Days::new(demo.visited_days_ago)).unwrap_or(today),
            visitor: "省工信厅产业链招商专班".to_string(),
            summary: demo.visit.to_string(),
        };
        store.add_visit(plan_id, &visit, actor).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_plan_is_on_an_enterprise_of_the_library() {
        for plan in PLANS {
            library_code(plan.enterprise);
        }
    }
}
