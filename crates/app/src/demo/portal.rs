//! The demo's portal: a few projects under negotiation in different cities put forward
//! to investors (推介项目), and visitors' enquiries (网上选地) about parcels on offer and a
//! park over the last fortnight, answered by the region in part, one waiting on its
//! acknowledgement, so the leads list, the inbox and a tracking page show them.

use crate::demo::leads::answering_user;
use crate::demo::random::Rng;
use crate::leads::record_next_step;
use crate::portal::{place_subject, store_enquiry, EnquiryForm};
use crate::AppResult;
use chrono::{Days, NaiveDate};
use zhaoshang_core::calendar::Calendar;
use zhaoshang_core::money::Yuan;
use zhaoshang_core::projects::Stage;
use zhaoshang_store::parcels::{ParcelFilter, ParcelSort};
use zhaoshang_store::projects::ProjectData;
use zhaoshang_store::{Actor, Store};

struct DemoEnquiry {
    /// The region whose first parcel on offer (or, for `park`, whose first park) is asked about.
    region: &'static str,
    park: bool,
    organisation: &'static str,
    contact: &'static str,
    amount_wan: &'static str,
    message: &'static str,
    days_ago: u64,
    /// The region's answers, each with its day after the enquiry.
    answers: &'static [(u64, &'static str)],
}

const ENQUIRIES: &[DemoEnquiry] = &[
    DemoEnquiry {
        region: "6204",
        park: false,
        organisation: "宁德某新能源科技有限公司",
        contact: "0593-2800000",
        amount_wan: "120000",
        message: "拟建储能电池模组项目，需 220 亩工业用地和 110kV 供电，请介绍地块条件和供地周期。",
        days_ago: 12,
        answers: &[(1, "已受理，白银高新区招商局负责对接。"), (3, "经研判地块满足用地和供电需求，已安排实地踏勘。")],
    },
    DemoEnquiry {
        region: "6205",
        park: false,
        organisation: "苏州某精密机械有限公司",
        contact: "zhang@example.com",
        amount_wan: "30000",
        message: "关注天水的工业地块，想了解地价和配套的天然气供应。",
        days_ago: 6,
        answers: &[(1, "已受理，天水经开区将于三个工作日内回复。")],
    },
    DemoEnquiry {
        region: "6204",
        park: true,
        organisation: "某产业投资基金",
        contact: "010-66000000",
        amount_wan: "",
        message: "请提供园区主导产业、现有企业和招商政策介绍。",
        days_ago: 2,
        answers: &[],
    },
];

/// How many projects the demo puts forward, each of another city.
const PROMOTED: usize = 4;

/// Puts forward the largest project under negotiation of each of the first cities that
/// have one, with a pitch from its facts.
async fn promote(store: &Store, projects: &[ProjectData], actor: &Actor) -> AppResult<()> {
    let mut negotiating: Vec<&ProjectData> =
        projects.iter().filter(|p| p.stage == Stage::Negotiating.key() && p.total_investment > 0).collect();
    negotiating.sort_by(|a, b| b.total_investment.cmp(&a.total_investment).then(a.code.cmp(&b.code)));
    let mut cities: Vec<&str> = Vec::new();
    for project in negotiating {
        let city = project.region_code.get(..4).unwrap_or("");
        if cities.contains(&city) || cities.len() == PROMOTED {
            continue;
        }
        let Some(stored) = store.project_by_code(&project.code).await? else { continue };
        cities.push(city);
        let pitch = format!(
            "{}，总投资 {} 万元，正在洽谈。项目所在地提供用地、能耗指标和审批代办保障，欢迎有意向的投资者在线咨询。",
            project.name,
            Yuan(project.total_investment).wan_display()
        );
        store.set_promotion(stored.id, Some(&pitch), actor).await?;
    }
    Ok(())
}

pub(super) async fn load(store: &Store, today: NaiveDate, projects: &[ProjectData], actor: &Actor) -> AppResult<()> {
    promote(store, projects, actor).await?;
    let calendar = Calendar::new(crate::calendar::shipped_days()?);
    let mut rng = Rng::new(20);
    for demo in ENQUIRIES {
        let (kind, key) = if demo.park {
            let parks = store.parks("").await?;
            let Some(park) = parks.iter().find(|p| p.region_code.starts_with(demo.region)) else { continue };
            ("park", park.id.to_string())
        } else {
            let filter = ParcelFilter {
                status: Some("available".into()),
                region_prefix: Some(demo.region.into()),
                ..Default::default()
            };
            let parcels = store.parcels_page(&filter, ParcelSort::Code, 20, 0).await?;
            if parcels.is_empty() {
                continue;
            }
            ("parcel", rng.pick(&parcels).data.code.clone())
        };
        let Some(subject) = place_subject(store, kind, &key).await? else { continue };
        let asked_on = today.checked_sub_days(Days::new(demo.days_ago)).unwrap_or(today);
        let form = EnquiryForm {
            subject: format!("{kind}:{key}"),
            organisation: demo.organisation.into(),
            person: String::new(),
            contact: demo.contact.into(),
            amount_wan: demo.amount_wan.into(),
            message: demo.message.into(),
        };
        let Ok(tracking) = store_enquiry(store, &calendar, subject, &form, asked_on).await? else { continue };
        let Some(answerer) = store.user_by_name(answering_user(demo.region)).await? else { continue };
        let answerer = Actor::user(answerer.id, &answerer.display_name);
        for (after, answer) in demo.answers {
            let Some(lead) = store.lead_by_tracking_code(&tracking).await? else { break };
            let done_on = asked_on.checked_add_days(Days::new(*after)).unwrap_or(asked_on);
            record_next_step(store, &calendar, &lead, done_on, answer, &answerer).await?;
        }
    }
    Ok(())
}
