//! The demo's 六必访 visits: members' and cadres' visits to enterprises in four cities
//! over the last weeks, each with the problems it raised registered as appeals of the
//! enterprise's county (one answered, the others running their clocks).

use crate::AppResult;
use chrono::{Days, NaiveDate};
use zhaoshang_core::appeals::{Dimension, DEFAULT_LIMIT_DAYS};
use zhaoshang_core::calendar::Calendar;
use zhaoshang_store::appeals::AppealData;
use zhaoshang_store::visits::VisitData;
use zhaoshang_store::{Actor, Store};

/// (county, enterprise, visitor, days before today, summary, problems as (dimension, category, content)).
type DemoVisit =
    (&'static str, &'static str, &'static str, u64, &'static str, &'static [(Dimension, &'static str, &'static str)]);

const VISITS: &[DemoVisit] = &[
    (
        "620402",
        "白银有色新材料科技有限公司",
        "省政协委员 王建国",
        20,
        "了解企业二期扩产进展和生产经营情况，企业总体运行平稳。",
        &[
            (Dimension::Factors, "要素保障", "二期项目用电增容报装已三个月未接火"),
            (Dimension::Government, "审批服务", "危险化学品经营许可证延续办理材料要求不一致"),
        ],
    ),
    ("620402", "白银中天化工有限责任公司", "白银市投资促进局 李娜", 12, "走访了解企业技改项目，未反映问题。", &[]),
    (
        "620502",
        "天水华天电子科技股份有限公司",
        "省政协委员 王建国",
        9,
        "企业订单饱满，招工和融资压力较大。",
        &[(Dimension::Factors, "融资", "设备更新贷款贴息政策申报渠道不清楚")],
    ),
    (
        "620102",
        "兰州兰石能源装备有限公司",
        "省政协委员 陈晓梅",
        5,
        "走访企业研发中心，了解首台套装备推广情况。",
        &[(Dimension::Innovation, "政策支持", "首台（套）重大技术装备保险补偿资金尚未兑现")],
    ),
    (
        "620602",
        "武威荣华工贸有限公司",
        "武威市投资促进局 赵强",
        2,
        "了解企业原料收购和物流情况。",
        &[(Dimension::Market, "市场监管", "食品生产许可变更现场核查排期过长")],
    ),
];

/// Records the visits and their appeals (received the working day after the visit).
pub(super) async fn load(store: &Store, today: NaiveDate, calendar: &Calendar, actor: &Actor) -> AppResult<()> {
    let mut numbers: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (index, (county, enterprise, visitor, days_ago, summary, problems)) in VISITS.iter().enumerate() {
        let visited_on = today - Days::new(*days_ago);
        let received_on = calendar.add_working_days(visited_on, 1).map(|d| d.value).unwrap_or(visited_on).min(today);
        let appeals: Vec<AppealData> = problems
            .iter()
            .map(|(dimension, category, content)| {
                let number = numbers.entry(county).or_default();
                *number += 1;
                let mut appeal = AppealData {
                    code: format!("SQ{county}-{}-{:04}", chrono::Datelike::year(&received_on), number),
                    enterprise: enterprise.to_string(),
                    region_code: county.to_string(),
                    dimension: dimension.key().to_string(),
                    category: category.to_string(),
                    content: content.to_string(),
                    received_on,
                    limit_days: i64::from(DEFAULT_LIMIT_DAYS),
                    ..Default::default()
                };
                appeal.reckon_due(calendar);
                // The oldest visit's first problem is answered already.
                if index == 0 && *number == 1 {
                    appeal.answered_on = Some(appeal.due_on.min(today));
                }
                appeal
            })
            .collect();
        let visit = VisitData {
            region_code: county.to_string(),
            enterprise: enterprise.to_string(),
            credit_code: String::new(),
            visited_on,
            visitor: visitor.to_string(),
            summary: summary.to_string(),
        };
        store.create_visit(&visit, &appeals, actor).await?;
    }
    Ok(())
}
