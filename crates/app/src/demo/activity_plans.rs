//! The demo's activity plans (招商活动计划): 白银市's plan for 2024 (its trips to 上海,
//! 广东 and 北京 and its delegations received done; a trip to 江苏 and a roadshow late),
//! its third quarter's and its 投资促进局's plan for May 2024; 天水市's plan for 2024; the
//! province's plan for 2025 (the 兰洽会 done, a roadshow in 上海 late); and this year's
//! plans of the province, 白银市 and 天水市, with a line late a few days ago, so that
//! the page and the owners' inboxes are alive at once.

use crate::AppResult;
use chrono::{Datelike, Days, NaiveDate};
use zhaoshang_core::activity_plans::{PeriodKind, PlanPeriod};
use zhaoshang_store::activity_plans::{ActivityPlanData, PlanLineData};
use zhaoshang_store::audit::Actor;
use zhaoshang_store::Store;

const PROVINCE: &str = "620000";
const BAIYIN: &str = "620400";
const TIANSHUI: &str = "620500";

/// A line: (kind, what, place's code, targets, responsible, due day).
type Line = (&'static str, &'static str, Option<&'static str>, &'static str, &'static str, NaiveDate);

fn day(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).expect("a valid date")
}

async fn plan(
    store: &Store,
    (region, department, period): (&str, &str, &str),
    note: &str,
    lines: &[Line],
    actor: &Actor,
) -> AppResult<()> {
    let period = PlanPeriod::parse(period).expect("a demo period");
    let (from, to) = period.span();
    let data = ActivityPlanData {
        region_code: region.to_string(),
        department: department.to_string(),
        period_kind: period.kind.key().to_string(),
        period: period.key(),
        period_from: from,
        period_to: to,
        note: note.to_string(),
    };
    let id = store.save_activity_plan(None, &data, actor).await?;
    for (kind, title, place, targets, responsible, due_on) in lines {
        let line = PlanLineData {
            kind: kind.to_string(),
            title: title.to_string(),
            place_code: place.map(str::to_string),
            targets: targets.to_string(),
            responsible: responsible.to_string(),
            planned_on: None,
            due_on: (*due_on).clamp(from, to),
            activity_id: None,
        };
        store.save_activity_plan_line(id, None, &line, actor).await?;
    }
    Ok(())
}

pub(super) async fn load(store: &Store, today: NaiveDate, actor: &Actor) -> AppResult<()> {
    let baiyin_2024: &[Line] = &[
        (
            "外出招商",
            "赴上海开展新材料产业链招商",
            Some("310000"),
            "上海华谊集团\n上海电气集团",
            "周海涛",
            day(2024, 3, 31),
        ),
        ("外出招商", "赴粤港澳大湾区对接电子信息企业", Some("440000"), "", "周海涛", day(2024, 6, 30)),
        ("外出招商", "赴北京拜访央企总部", Some("110000"), "", "马晓燕", day(2024, 6, 30)),
        ("外出招商", "赴江苏对接精细化工企业", Some("320000"), "", "马晓燕", day(2024, 9, 30)),
        ("来访接待", "接待东部地区客商考察团", None, "", "陈立新", day(2024, 6, 30)),
        ("推介会", "举办白银新能源产业推介会", Some("620400"), "", "刘建国", day(2024, 11, 30)),
    ];
    plan(store, (BAIYIN, "", "2024"), "市委、市政府确定的年度重点招商活动。", baiyin_2024, actor).await?;
    let baiyin_q3: &[Line] = &[
        ("外出招商", "赴成渝地区招商推介", Some("510000"), "", "周海涛", day(2024, 8, 31)),
        ("来访接待", "接待央企和京津冀客商", None, "", "陈立新", day(2024, 9, 30)),
    ];
    plan(store, (BAIYIN, "", "2024Q3"), "", baiyin_q3, actor).await?;
    let baiyin_may: &[Line] = &[
        ("外出招商", "赴北京对接有色金属精深加工项目", Some("110000"), "", "马晓燕", day(2024, 5, 31)),
        ("来访接待", "接待浙商考察团", None, "", "赵玉梅", day(2024, 5, 31)),
    ];
    plan(store, (BAIYIN, "白银市投资促进局", "2024-05"), "", baiyin_may, actor).await?;
    let tianshui_2024: &[Line] = &[
        ("外出招商", "赴苏南对接装备制造企业", Some("320000"), "", "天水市投资促进局", day(2024, 6, 30)),
        ("推介会", "举办装备制造产业链招商推介会", None, "", "天水市投资促进局", day(2024, 10, 31)),
        ("来访接待", "接待长三角客商考察团", None, "", "天水市投资促进局", day(2024, 10, 31)),
    ];
    plan(store, (TIANSHUI, "", "2024"), "", tianshui_2024, actor).await?;
    let province_2025: &[Line] = &[
        ("展会节会", "办好第三十一届兰洽会", Some("620100"), "", "省投资促进局", day(2025, 7, 31)),
        ("推介会", "在上海举办甘肃投资环境推介会", Some("310000"), "", "省投资促进局", day(2025, 10, 31)),
    ];
    plan(store, (PROVINCE, "", "2025"), "", province_2025, actor).await?;

    // This year's plans: lines late a few days ago, and lines still open.
    let year = today.year();
    let late = today.checked_sub_days(Days::new(5)).unwrap_or(today);
    let soon = today.checked_add_days(Days::new(20)).unwrap_or(today);
    let this_year = PlanPeriod { kind: PeriodKind::Year, year, part: 0 }.key();
    let province: &[Line] = &[
        ("展会节会", "办好本届兰洽会", Some("620100"), "", "省投资促进局", day(year, 7, 31)),
        ("推介会", "赴粤港澳大湾区举办甘肃投资环境推介会", Some("440000"), "", "省投资促进局", late),
    ];
    plan(store, (PROVINCE, "", &this_year), "", province, actor).await?;
    let baiyin: &[Line] = &[
        ("座谈会", "召开商会招商项目对接座谈会", Some("620400"), "", "陈立新", day(year, 12, 31)),
        ("外出招商", "赴上海对接新材料企业", Some("310000"), "上海华谊集团", "周海涛", late),
        ("来访接待", "接待长三角客商考察团", None, "", "陈立新", soon),
    ];
    plan(store, (BAIYIN, "", &this_year), "", baiyin, actor).await?;
    let tianshui: &[Line] = &[("外出招商", "赴苏州对接装备制造企业", Some("320500"), "", "天水市投资促进局", late)];
    plan(store, (TIANSHUI, "", &this_year), "", tianshui, actor).await?;
    Ok(())
}
