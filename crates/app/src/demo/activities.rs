//! The demo's activities as records of work. 白银市's year 2024 as the seeds count it —
//! 7 outbound trips (外出招商) and 9 delegations received (来访接待) — and a few of 天水市
//! and 嘉峪关市, each with the people who went, the chambers that took part (those of the
//! place), the target enterprises of the place met from the library, and an outcome
//! report; the 兰洽会 of 2022 and 2023 (the pipeline's, with their signings) are given
//! their delegation, enterprises met and outcome; a meeting of 白银's a month ago holds
//! the lead registered there.

use crate::AppResult;
use chrono::NaiveDate;
use zhaoshang_core::activities::parse_participants;
use zhaoshang_store::activities::{Activity, MetEnterprise};
use zhaoshang_store::audit::Actor;
use zhaoshang_store::enterprises::EnterpriseData;
use zhaoshang_store::leads::LeadFilter;
use zhaoshang_store::Store;

const BAIYIN: &str = "620400";
const TIANSHUI: &str = "620500";
const JIAYUGUAN: &str = "620200";

/// One demo activity: (region, kind, name, start, days, place, place's chamber keyword and
/// province code for the enterprises met, participants, outcome).
struct Spec {
    region: &'static str,
    kind: &'static str,
    name: &'static str,
    start: (i32, u32, u32),
    days: u64,
    place: &'static str,
    /// Chambers whose name holds it take part; enterprises of the province (code
    /// prefix) are met.
    keyword: &'static str,
    province: &'static str,
    participants: &'static str,
    outcome: &'static str,
}

const BAIYIN_LEADERS: &str = "刘建国（领导）、周海涛（干部）、马晓燕（干部）";
const BAIYIN_HOSTS: &str = "陈立新（领导）、马晓燕（干部）、赵玉梅（委员）";

const SPECS: &[Spec] = &[
    Spec {
        region: BAIYIN,
        kind: "外出招商",
        name: "白银市赴上海、苏州招商推介活动（2024年）",
        start: (2024, 3, 18),
        days: 4,
        place: "上海市、苏州市",
        keyword: "上海",
        province: "31",
        participants: BAIYIN_LEADERS,
        outcome: "拜访企业 6 家，推介白银新材料和新能源产业链，达成合作意向 2 项。",
    },
    Spec {
        region: BAIYIN,
        kind: "外出招商",
        name: "白银市赴深圳、广州招商考察（2024年）",
        start: (2024, 4, 15),
        days: 4,
        place: "深圳市、广州市",
        keyword: "广东",
        province: "44",
        participants: BAIYIN_LEADERS,
        outcome: "对接电子信息企业 5 家，1 家企业确定来白考察。",
    },
    Spec {
        region: BAIYIN,
        kind: "外出招商",
        name: "白银市赴北京招商对接（2024年）",
        start: (2024, 5, 20),
        days: 3,
        place: "北京市",
        keyword: "北京",
        province: "11",
        participants: BAIYIN_LEADERS,
        outcome: "拜访央企总部 3 家，商谈有色金属精深加工合作。",
    },
    Spec {
        region: BAIYIN,
        kind: "外出招商",
        name: "白银市赴杭州、宁波招商考察（2024年）",
        start: (2024, 6, 11),
        days: 4,
        place: "杭州市、宁波市",
        keyword: "浙江",
        province: "33",
        participants: BAIYIN_LEADERS,
        outcome: "召开浙商座谈会，登记项目线索 3 条。",
    },
    Spec {
        region: BAIYIN,
        kind: "外出招商",
        name: "白银市赴成都招商推介（2024年）",
        start: (2024, 8, 6),
        days: 3,
        place: "成都市",
        keyword: "四川",
        province: "51",
        participants: BAIYIN_LEADERS,
        outcome: "推介白银精细化工园区，2 家企业有意向。",
    },
    Spec {
        region: BAIYIN,
        kind: "外出招商",
        name: "白银市赴天津、河北招商考察（2024年）",
        start: (2024, 9, 10),
        days: 4,
        place: "天津市、石家庄市",
        keyword: "天津",
        province: "12",
        participants: BAIYIN_LEADERS,
        outcome: "考察装备制造企业 4 家，跟进储能装备项目。",
    },
    Spec {
        region: BAIYIN,
        kind: "外出招商",
        name: "白银市赴香港招商推介（2024年）",
        start: (2024, 11, 5),
        days: 4,
        place: "香港特别行政区",
        keyword: "香港",
        province: "81",
        participants: BAIYIN_LEADERS,
        outcome: "举办白银专场推介会，港澳委员推荐客商 6 位。",
    },
    Spec {
        region: BAIYIN,
        kind: "来访接待",
        name: "上海客商考察团来白考察（2024年）",
        start: (2024, 2, 27),
        days: 2,
        place: "白银市",
        keyword: "上海",
        province: "31",
        participants: BAIYIN_HOSTS,
        outcome: "考察白银高新区，2 家企业达成投资意向。",
    },
    Spec {
        region: BAIYIN,
        kind: "来访接待",
        name: "有色金属企业调研组来白调研（2024年）",
        start: (2024, 3, 28),
        days: 1,
        place: "白银市",
        keyword: "北京",
        province: "11",
        participants: BAIYIN_HOSTS,
        outcome: "调研铜铝精深加工，形成合作清单。",
    },
    Spec {
        region: BAIYIN,
        kind: "来访接待",
        name: "江苏新能源企业考察团来白考察（2024年）",
        start: (2024, 4, 24),
        days: 2,
        place: "白银市",
        keyword: "江苏",
        province: "32",
        participants: BAIYIN_HOSTS,
        outcome: "洽谈光伏组件配套项目。",
    },
    Spec {
        region: BAIYIN,
        kind: "来访接待",
        name: "深圳电子信息企业考察团来白考察（2024年）",
        start: (2024, 5, 29),
        days: 2,
        place: "白银市",
        keyword: "广东",
        province: "44",
        participants: BAIYIN_HOSTS,
        outcome: "参观白银新材料产业园，交换合作需求。",
    },
    Spec {
        region: BAIYIN,
        kind: "来访接待",
        name: "浙商企业家考察团来白考察（2024年）",
        start: (2024, 6, 26),
        days: 2,
        place: "白银市",
        keyword: "浙江",
        province: "33",
        participants: BAIYIN_HOSTS,
        outcome: "签订合作框架协议 1 项。",
    },
    Spec {
        region: BAIYIN,
        kind: "来访接待",
        name: "北京化工企业考察团来白考察（2024年）",
        start: (2024, 7, 24),
        days: 2,
        place: "白银市",
        keyword: "北京",
        province: "11",
        participants: BAIYIN_HOSTS,
        outcome: "考察精细化工园区承载条件。",
    },
    Spec {
        region: BAIYIN,
        kind: "来访接待",
        name: "福建客商考察团来白考察（2024年）",
        start: (2024, 8, 28),
        days: 2,
        place: "白银市",
        keyword: "福建",
        province: "35",
        participants: BAIYIN_HOSTS,
        outcome: "对接农产品加工项目 2 个。",
    },
    Spec {
        region: BAIYIN,
        kind: "来访接待",
        name: "央企合作对接考察团来白考察（2024年）",
        start: (2024, 10, 16),
        days: 2,
        place: "白银市",
        keyword: "北京",
        province: "11",
        participants: BAIYIN_HOSTS,
        outcome: "商定储能示范项目前期工作。",
    },
    Spec {
        region: BAIYIN,
        kind: "来访接待",
        name: "香港工商界考察团来白考察（2024年）",
        start: (2024, 12, 4),
        days: 2,
        place: "白银市",
        keyword: "香港",
        province: "81",
        participants: BAIYIN_HOSTS,
        outcome: "港商有意投资文旅项目。",
    },
    Spec {
        region: TIANSHUI,
        kind: "外出招商",
        name: "天水市赴苏州、无锡招商考察（2024年）",
        start: (2024, 4, 9),
        days: 4,
        place: "苏州市、无锡市",
        keyword: "江苏",
        province: "32",
        participants: "李卫东（领导）、杨帆（干部）",
        outcome: "对接电子信息企业 4 家。",
    },
    Spec {
        region: TIANSHUI,
        kind: "推介会",
        name: "天水市装备制造产业链招商推介会（2024年）",
        start: (2024, 9, 19),
        days: 1,
        place: "天水市",
        keyword: "陕西",
        province: "61",
        participants: "李卫东（领导）、杨帆（干部）、孙静（委员）",
        outcome: "发布装备制造招商项目 20 个。",
    },
    Spec {
        region: JIAYUGUAN,
        kind: "座谈会",
        name: "嘉峪关市港澳委员招商座谈会（2024年）",
        start: (2024, 5, 14),
        days: 1,
        place: "嘉峪关市",
        keyword: "香港",
        province: "81",
        participants: "高明（领导）、何丽（委员）",
        outcome: "港澳委员推荐项目线索 3 条。",
    },
];

/// The 兰洽会 of 2022 and 2023 (the pipeline names them) and what came of each.
const FAIRS: [(&str, &str, &str); 2] = [
    (
        "第二十八届兰洽会",
        "王志强（领导）、韩冰（干部）、赵玉梅（委员）",
        "集中签约项目，重点推介新能源、新材料、文化旅游产业链；省市联动对接企业。",
    ),
    (
        "第二十九届兰洽会",
        "王志强（领导）、韩冰（干部）、孙静（委员）、何丽（委员）",
        "举办投资环境推介会和产业链专场对接会，集中签约项目，港澳委员推荐客商参会。",
    ),
];

/// The library's target enterprises of a province (code prefix), the first `take` by
/// credit code, as the activities meet them.
async fn met(store: &Store, library: &[EnterpriseData], province: &str, take: usize) -> AppResult<Vec<MetEnterprise>> {
    let mut of_place: Vec<&EnterpriseData> =
        library.iter().filter(|e| e.is_target && e.region_code.starts_with(province)).collect();
    of_place.sort_by(|a, b| a.credit_code.cmp(&b.credit_code));
    let mut met = Vec::new();
    for data in of_place.into_iter().take(take) {
        if let Some(e) = store.enterprise_by_code(&data.credit_code).await? {
            met.push(MetEnterprise { id: e.id, name: e.data.name, credit_code: e.data.credit_code });
        }
    }
    Ok(met)
}

pub(super) async fn load(store: &Store, library: &[EnterpriseData], actor: &Actor) -> AppResult<()> {
    let chambers: Vec<String> = store.all_chambers().await?.into_iter().map(|c| c.data.name).collect();
    for (n, spec) in SPECS.iter().enumerate() {
        let start = NaiveDate::from_ymd_opt(spec.start.0, spec.start.1, spec.start.2).expect("a valid date");
        let activity = Activity {
            name: spec.name.to_string(),
            kind: spec.kind.to_string(),
            start_on: Some(start),
            end_on: start.checked_add_days(chrono::Days::new(spec.days - 1)),
            place: spec.place.to_string(),
            organiser: match spec.region {
                BAIYIN => "白银市投资促进局",
                TIANSHUI => "天水市投资促进局",
                _ => "嘉峪关市投资促进局",
            }
            .to_string(),
            region_code: Some(spec.region.to_string()),
            outcome: spec.outcome.to_string(),
            chambers: chambers.iter().filter(|c| c.contains(spec.keyword)).take(2).cloned().collect(),
            participants: parse_participants(spec.participants).map_err(crate::AppError::internal)?,
            enterprises: met(store, library, spec.province, 2 + n % 3).await?,
            ..Default::default()
        };
        store.save_activity(&activity, actor).await?;
    }
    for (name, participants, outcome) in FAIRS {
        let Some(mut fair) = store.activity_by_name(name).await? else { continue };
        fair.participants = parse_participants(participants).map_err(crate::AppError::internal)?;
        fair.outcome = outcome.to_string();
        let mut enterprises = Vec::new();
        for province in ["31", "32", "33", "44"] {
            enterprises.extend(met(store, library, province, 2).await?);
        }
        fair.enterprises = enterprises;
        store.save_activity(&fair, actor).await?;
    }
    Ok(())
}

/// 白银市's meeting with the chambers' liaisons a month ago, where the lead registered
/// that day came from (after the demo's leads are registered).
pub(super) async fn link_leads(store: &Store, today: NaiveDate, actor: &Actor) -> AppResult<()> {
    let day = today.checked_sub_days(chrono::Days::new(30)).unwrap_or(today);
    let meeting = Activity {
        name: "白银市商会招商项目对接座谈会".to_string(),
        kind: "座谈会".to_string(),
        start_on: Some(day),
        end_on: Some(day),
        place: "白银市".to_string(),
        organiser: "白银市投资促进局".to_string(),
        region_code: Some(BAIYIN.to_string()),
        participants: parse_participants(BAIYIN_HOSTS).map_err(crate::AppError::internal)?,
        outcome: "各商会联络员介绍在谈项目，现场登记项目线索。".to_string(),
        ..Default::default()
    };
    let id = store.save_activity(&meeting, actor).await?;
    let filter = LeadFilter { region_prefix: Some("6204".to_string()), ..Default::default() };
    for lead in store.leads_page(&filter, 100, 0).await?.into_iter().filter(|lead| lead.lead_on == day) {
        store.set_lead_activity(lead.id, Some(id), actor).await?;
    }
    Ok(())
}
