//! The demo's business-environment appeals (营商环境诉求): from July 2024 up to today in
//! every city, on the five dimensions, received on any day (holidays too) so that the
//! clocks of the 2024–2026 festivals and their make-up days show; most answered within
//! their limit, some late, a few still overdue, most closed and rated.

use super::projects::CITIES;
use super::random::Rng;
use crate::AppResult;
use chrono::{Datelike, NaiveDate};
use std::collections::HashMap;
use zhaoshang_core::appeals::flow::Action;
use zhaoshang_core::appeals::{due_on, Dimension, Rating};
use zhaoshang_core::calendar::Calendar;
use zhaoshang_store::appeals::AppealData;
use zhaoshang_store::{Actor, Store};

/// The first day of the demo's appeals: a year and more before the 2025 festivals.
fn first_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 7, 1).expect("a valid date")
}

/// Appeals a city receives in a month, on average.
const PER_CITY_MONTH: i64 = 3;

/// What enterprises raise, per dimension: (category, the department's kind, the content).
const TOPICS: &[(Dimension, &str, &str, &str)] = &[
    (Dimension::Government, "审批服务", "政务服务中心", "项目备案和施工许可材料反复退回补正，申请网上并联审批"),
    (Dimension::Government, "审批服务", "行政审批局", "环评与能评审批互为前置，请求协调同步办理"),
    (Dimension::Government, "政策支持", "工业和信息化局", "技改补助资金已公示半年仍未拨付"),
    (Dimension::Market, "市场监管", "市场监督管理局", "同一事项一月内被多个部门重复检查，请求联合检查"),
    (Dimension::Market, "市场监管", "市场监督管理局", "特种设备检验预约排期过长，影响新产线投产"),
    (Dimension::Market, "纳税服务", "税务局", "增值税留抵退税申请逾期未到账"),
    (Dimension::RuleOfLaw, "涉企执法", "司法局", "轻微违法首次被处罚，申请适用免罚清单"),
    (Dimension::RuleOfLaw, "合同履约", "发展和改革委员会", "政府投资项目工程款拖欠，请求督促支付"),
    (Dimension::Innovation, "政策支持", "科学技术局", "高新技术企业认定奖励未兑现"),
    (Dimension::Innovation, "人才服务", "人力资源和社会保障局", "引进技术人才落户和子女入学手续办理困难"),
    (Dimension::Factors, "要素保障", "自然资源局", "项目用地指标迟迟未落实，影响二期开工"),
    (Dimension::Factors, "要素保障", "供电公司", "园区用电增容报装超过承诺时限"),
    (Dimension::Factors, "融资", "地方金融管理局", "流动资金贷款续贷困难，申请政银企对接"),
];

const LIMITS: &[(i64, u32)] = &[(5, 70), (3, 10), (10, 15), (15, 5)];

const SUFFIXES: &[&str] =
    &["新材料有限公司", "科技有限公司", "食品有限公司", "机械制造有限公司", "能源有限公司", "化工有限公司"];

/// The appeals up to `today`, due dates by `calendar`, the same on every call.
pub(super) fn generate(rng: &mut Rng, today: NaiveDate, calendar: &Calendar) -> Vec<AppealData> {
    let mut appeals = Vec::new();
    let mut numbers: HashMap<(&str, i32), usize> = HashMap::new();
    let months = (today.year() - first_day().year()) * 12 + today.month() as i32 - first_day().month() as i32 + 1;
    for city in CITIES {
        let first_of_city = appeals.len();
        let count = rng.between(PER_CITY_MONTH * i64::from(months) * 3 / 4, PER_CITY_MONTH * i64::from(months) * 5 / 4);
        for _ in 0..count {
            let received_on = rng.day_between(first_day(), today);
            let (dimension, category, office, content) = *rng.pick(TOPICS);
            let limit_days = rng.weighted(LIMITS);
            let due = due_on(calendar, received_on, limit_days as u32);
            let worked = |rng: &mut Rng, from: NaiveDate, most: i64| {
                let days = rng.between(1, most.max(1)) as u32;
                calendar.add_working_days(from, days).map(|d| d.value).unwrap_or(from)
            };
            // Most are answered within the limit, some late, a few left unanswered.
            let answered_on = match rng.unit() {
                p if p < 0.78 => Some(worked(rng, received_on, limit_days)),
                p if p < 0.94 => Some(worked(rng, due.value, 8)),
                _ => None,
            }
            .filter(|day| *day <= today);
            let closed_on = answered_on
                .filter(|_| rng.chance(0.85))
                .map(|answered| worked(rng, answered, 6))
                .filter(|day| *day <= today);
            let rating = match closed_on {
                Some(_) if rng.chance(0.9) => rng
                    .weighted(&[(Rating::Satisfied, 62), (Rating::FairlySatisfied, 25), (Rating::Dissatisfied, 13)])
                    .key()
                    .to_string(),
                _ => String::new(),
            };
            let number = numbers.entry((city.code, received_on.year())).or_default();
            *number += 1;
            let enterprise =
                format!("{}{}{}", city.short.trim_end_matches(['市', '州']), rng.brand(), rng.pick(SUFFIXES));
            appeals.push(AppealData {
                code: format!("SQ{}-{}-{:04}", city.code, received_on.year(), number),
                enterprise,
                credit_code: rng.credit_code(city.code),
                region_code: city.code.to_string(),
                dimension: dimension.key().to_string(),
                category: category.to_string(),
                content: content.to_string(),
                received_on,
                department: format!("{}{office}", city.short),
                limit_days,
                due_on: due.value,
                due_by_weekends_only: due.by_weekends_only,
                answered_on,
                closed_on,
                rating,
            });
        }
        keep_open(&mut appeals[first_of_city..], COURSE_STEPS);
    }
    appeals
}

/// Reopens a city's most recent answered appeals until `count` are open, so that every
/// step of `course_of` has an appeal to show it on whatever day the demo is made.
fn keep_open(city: &mut [AppealData], count: usize) {
    let open = city.iter().filter(|a| a.answered_on.is_none()).count();
    let mut answered: Vec<&mut AppealData> = city.iter_mut().filter(|a| a.answered_on.is_some()).collect();
    answered.sort_by_key(|a| std::cmp::Reverse(a.received_on));
    for appeal in answered.into_iter().take(count.saturating_sub(open)) {
        (appeal.answered_on, appeal.closed_on) = (None, None);
        appeal.rating.clear();
    }
}

/// The steps of `course_of`.
const COURSE_STEPS: usize = 4;

/// The steps the demo takes on the open appeals of each city (the most recent first):
/// one paused awaiting the enterprise, one with an extension awaiting its supervisor,
/// one its department objected to, one transferred; each dated its received day.
fn course_of(index: usize, department: &str) -> Option<Action> {
    let reason = |text: &str| text.to_string();
    Some(match index {
        0 => Action::Pause { reason: reason("等待企业补充用地红线图和项目备案证明") },
        1 => Action::RequestExtension { days: 5, reason: reason("涉及多部门会商，需现场核查") },
        2 => Action::Contest { reason: reason("该事项属供电企业职责，建议转相关部门办理") },
        3 => Action::Transfer {
            department: format!("{department}（牵头）"), reason: reason("需牵头部门统筹协调")
        },
        _ => return None,
    })
}

/// Stores the appeals and takes the demo's steps on some of the open ones, so that the
/// course and 督办 show at once.
pub(super) async fn load(store: &Store, appeals: &[AppealData], calendar: &Calendar, actor: &Actor) -> AppResult<()> {
    store.upsert_appeals(appeals, actor).await?;
    let mut open: Vec<&AppealData> = appeals.iter().filter(|a| a.answered_on.is_none()).collect();
    open.sort_by_key(|a| std::cmp::Reverse(a.received_on));
    let mut taken: HashMap<&str, usize> = HashMap::new();
    for data in open {
        let index = taken.entry(data.region_code.as_str()).or_default();
        let Some(action) = course_of(*index, &data.department) else { continue };
        *index += 1;
        let Some(appeal) = store.appeal_by_code(&data.code).await? else { continue };
        // A step the course refuses (an extension asked after the due date) is left out.
        if let Ok(after) = appeal.flow_state().apply(calendar, &action, data.received_on) {
            store
                .record_appeal_step(&appeal, &after, (action.kind(), data.received_on, &action.detail()), actor)
                .await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use zhaoshang_core::appeals::check_dates;
    use zhaoshang_core::calendar::parse_notice_days;

    #[test]
    fn the_demo_appeals_are_valid_and_show_every_state() {
        let calendar = Calendar::new(parse_notice_days(include_str!("../../../../data/calendar.tsv")).unwrap());
        let today = super::super::test_today();
        let appeals = generate(&mut Rng::new(7), today, &calendar);
        assert!(appeals.len() > 14 * 12, "{}", appeals.len());
        let mut codes: Vec<&str> = appeals.iter().map(|a| a.code.as_str()).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), appeals.len(), "codes are unique");
        for appeal in &appeals {
            check_dates(appeal.received_on, appeal.answered_on, appeal.closed_on).unwrap();
            assert!(appeal.received_on <= today && appeal.due_on > appeal.received_on);
        }
        let overdue = appeals.iter().filter(|a| a.answered_on.is_none() && a.due_on < today).count();
        let late = appeals.iter().filter(|a| a.answered_on.is_some_and(|d| d > a.due_on)).count();
        let rated = appeals.iter().filter(|a| !a.rating.is_empty()).count();
        assert!(overdue > 0 && late > 0 && rated > 0, "{overdue} overdue, {late} late, {rated} rated");
        for dimension in Dimension::ALL {
            assert!(appeals.iter().any(|a| a.dimension == dimension.key()), "{dimension:?}");
        }
        for city in ["620400", "620500"] {
            assert!(appeals.iter().any(|a| a.region_code == city), "{city}");
        }
        // Every city has an open appeal for each step of the course, whichever day it is.
        for days in 0..8 {
            let day = today + chrono::Days::new(days);
            let appeals = generate(&mut Rng::new(7), day, &calendar);
            for city in CITIES {
                let open = appeals.iter().filter(|a| a.region_code == city.code && a.answered_on.is_none()).count();
                assert!(open >= COURSE_STEPS, "{} on {day}: {open} open", city.code);
            }
        }
        // Received in the 2025 Spring Festival holiday: due after it.
        let festival = NaiveDate::from_ymd_opt(2025, 1, 28).unwrap()..=NaiveDate::from_ymd_opt(2025, 2, 4).unwrap();
        assert!(appeals
            .iter()
            .filter(|a| festival.contains(&a.received_on))
            .all(|a| a.due_on >= NaiveDate::from_ymd_opt(2025, 2, 5).unwrap()));
    }
}
