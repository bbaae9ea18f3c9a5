//! Demo leads (商会线索): the two demo liaisons' registrations over the last month, in
//! each state of their clocks — answered up to the progress reports, an acknowledgement
//! overdue (in 白银's inbox and on the supervision list), one registered today — and a
//! second registration of the same investor refused as already registered.

use crate::accounts::principal_of;
use crate::leads::{record_next_step, register, LeadForm};
use crate::AppResult;
use chrono::{Days, NaiveDate};
use zhaoshang_core::calendar::Calendar;
use zhaoshang_store::{Actor, Store};

struct DemoLead {
    liaison: &'static str,
    investor: &'static str,
    industry: &'static str,
    region: &'static str,
    amount_wan: &'static str,
    contact: &'static str,
    notes: &'static str,
    days_ago: u64,
    /// The answers of the region that follows the lead, each with its day after the registration.
    answers: &'static [(u64, &'static str)],
}

const LEADS: &[DemoLead] = &[
    DemoLead {
        liaison: "liaison",
        investor: "正泰电器股份有限公司",
        industry: "38",
        region: "620402",
        amount_wan: "50000",
        contact: "王经理 13805770001",
        notes: "拟在白银布局低压电器及光伏组件生产基地，已完成初步考察",
        days_ago: 30,
        answers: &[
            (0, "已受理，转白银区投资促进中心跟进"),
            (2, "研判：符合白银市有色金属产业链延链方向，建议对接白银高新区"),
            (4, "已反馈商会：安排企业于下周赴白银实地考察"),
        ],
    },
    DemoLead {
        liaison: "liaison",
        investor: "浙江海天新材料有限公司",
        industry: "26",
        region: "620403",
        amount_wan: "12000",
        contact: "陈总 13957100002",
        notes: "氟化工新材料项目，关注园区危化品准入条件",
        days_ago: 7,
        answers: &[],
    },
    DemoLead {
        liaison: "liaison",
        investor: "杭州数智云科技有限公司",
        industry: "65",
        region: "620421",
        amount_wan: "3000",
        contact: "李女士 13600570003",
        notes: "算力中心配套软件服务",
        days_ago: 0,
        answers: &[],
    },
    DemoLead {
        liaison: "liaison2",
        investor: "上海申嘉智能装备有限公司",
        industry: "34",
        region: "620502",
        amount_wan: "30000",
        contact: "周总 13916200004",
        notes: "智能装备制造基地，意向天水经济技术开发区",
        days_ago: 10,
        answers: &[(0, "已受理，转天水经开区招商局")],
    },
    DemoLead {
        liaison: "liaison2",
        investor: "正泰电器股份有限公司",
        industry: "38",
        region: "620502",
        amount_wan: "20000",
        contact: "沪上联络人 13916200005",
        notes: "同一企业在天水的投资意向",
        days_ago: 3,
        answers: &[],
    },
];

/// The region user who answers a lead (or an enquiry) of `region`.
pub(super) fn answering_user(region: &str) -> &'static str {
    if region.starts_with("6205") {
        "tianshui"
    } else {
        "baiyin"
    }
}

pub(super) async fn load(store: &Store, today: NaiveDate) -> AppResult<()> {
    let calendar = Calendar::new(crate::calendar::shipped_days()?);
    for demo in LEADS {
        let Some(liaison) = store.user_by_name(demo.liaison).await? else { continue };
        let lead_on = today.checked_sub_days(Days::new(demo.days_ago)).unwrap_or(today);
        let form = LeadForm {
            chamber: String::new(),
            investor: demo.investor.into(),
            credit_code: String::new(),
            industry: demo.industry.into(),
            region: demo.region.into(),
            amount_wan: demo.amount_wan.into(),
            contact: demo.contact.into(),
            notes: demo.notes.into(),
            activity: String::new(),
        };
        let actor = Actor::user(liaison.id, &liaison.display_name);
        let Ok(id) = register(store, &calendar, &principal_of(&liaison), &actor, &form, lead_on).await? else {
            continue;
        };
        let Some(answerer) = store.user_by_name(answering_user(demo.region)).await? else { continue };
        let answerer = Actor::user(answerer.id, &answerer.display_name);
        for (after, answer) in demo.answers {
            let Some(lead) = store.lead(id).await? else { break };
            let done_on = lead_on.checked_add_days(Days::new(*after)).unwrap_or(lead_on);
            record_next_step(store, &calendar, &lead, done_on, answer, &answerer).await?;
        }
    }
    Ok(())
}
