//! The demo's work plans and assist groups (the seeds' 试点 cities): 白银's 7 助力小组
//! with their members and the enterprises each 包抓, 嘉峪关's and 天水's groups; each city's
//! three-year 工作方案 and the yearly 工作计划 under it, with tasks in every state and a
//! few progress reports. The years follow today (the scheme ends this year), so that the
//! statuses stay as shown: tasks of past years done or late, this year's in progress or
//! not started.

use crate::AppResult;
use chrono::{Datelike, NaiveDate};
use zhaoshang_store::enterprises::{EnterpriseFilter, EnterpriseSort};
use zhaoshang_store::groups::GroupData;
use zhaoshang_store::visits::VisitData;
use zhaoshang_store::work_plans::{PlanTaskData, WorkPlanData};
use zhaoshang_store::{Actor, Store};

/// (name, leader, members, experts, entrepreneurs, the library's enterprises it 包抓 by name).
type DemoGroup = (&'static str, &'static str, &'static str, &'static str, &'static str, &'static [&'static str]);

const BAIYIN_GROUPS: [DemoGroup; 7] = [
    (
        "有色金属新材料产业助力小组",
        "张志国",
        "王建国\n刘海燕\n马俊",
        "兰州大学 李教授\n白银矿冶研究院 周高工",
        "陈永明",
        &["白银有色集团股份有限公司"],
    ),
    (
        "稀土功能材料产业助力小组",
        "赵文华",
        "孙丽\n杨帆",
        "中科院兰州化物所 何研究员",
        "王立新",
        &["甘肃稀土新材料股份有限公司"],
    ),
    ("精细化工产业助力小组", "李春明", "郭亮\n何静", "兰州大学 张教授", "刘建军", &["甘肃银光化学工业集团有限公司"]),
    (
        "煤炭及清洁能源产业助力小组",
        "王德胜",
        "冯涛\n朱红",
        "甘肃煤田地质研究所 钱高工",
        "高峰",
        &["甘肃能化股份有限公司"],
    ),
    ("文化旅游产业助力小组", "陈静", "韩梅\n邓超", "西北师范大学 罗教授", "谢宏", &[]),
    ("现代农业产业助力小组", "杨立军", "曹阳\n彭丽", "甘肃农业大学 唐教授", "许军", &[]),
    ("数字经济产业助力小组", "周建华", "田野\n董洁", "兰州理工大学 蒋教授", "沈浩", &[]),
];

const JIAYUGUAN_GROUPS: [DemoGroup; 1] = [(
    "钢铁及铝产业助力小组",
    "王毅",
    "赵明\n钱芳",
    "东北大学 冶金学院 刘教授",
    "庞超超（港澳委员）",
    &["酒泉钢铁（集团）有限责任公司", "甘肃酒钢集团宏兴钢铁股份有限公司"],
)];

const TIANSHUI_GROUPS: [DemoGroup; 2] = [
    ("省政协经济委员会第三调研组", "李文", "王建国\n陈晓梅", "兰州理工大学 赵教授", "", &[]),
    ("电工电器产业助力小组", "孙伟", "吴敏", "天水电气传动研究所 高工", "马强", &["天水二一三电器有限公司"]),
];

/// How a demo task stands: done in its year, late (with or without progress), in
/// progress or not started (due at the end of this year).
#[derive(Clone, Copy)]
enum Shape {
    Done,
    LateWithProgress,
    Late,
    InProgress,
    NotStarted,
}

/// (text, owning group by index, department, people, month of the deadline, shape).
type DemoTask = (&'static str, Option<usize>, &'static str, &'static str, u32, Shape);

/// A city's plans: (region, city name, scheme's tasks (year offset from the scheme's
/// first year), last year's plan's tasks, this year's plan's tasks).
struct CityPlans {
    region: &'static str,
    city: &'static str,
    goals: &'static str,
    scheme: &'static [(i32, DemoTask)],
    last_year: &'static [DemoTask],
    this_year: &'static [DemoTask],
}

const CITIES: [CityPlans; 3] = [
    CityPlans {
        region: "620400",
        city: "白银市",
        goals: "围绕“3+5”助力运行机制，资政建言、招商引资牵线搭桥、营商环境民主监督三个目标层面同步推进；7个重点产业助力小组各联系包抓一批企业，每年形成调研报告和助力清单。",
        scheme: &[
            (0, ("各助力小组开展蹲点调研，形成调研报告和助力清单", Some(0), "白银市政协经济委员会", "张志国", 9, Shape::Done)),
            (1, ("推动“化学+”产业投资基金和兰大多肽产业园落地", Some(2), "白银市发展和改革委员会", "李春明", 6, Shape::LateWithProgress)),
            (2, ("赴北京、上海、香港等地开展招商考察，引进产业链项目", None, "白银市投资促进局", "王德胜", 12, Shape::InProgress)),
            (2, ("从五个方面开展营商环境民主监督，督促解决企业堵点问题", None, "白银市政协社会法制委员会", "", 12, Shape::NotStarted)),
        ],
        last_year: &[
            ("完成7个助力小组年度蹲点调研报告", Some(0), "", "张志国", 6, Shape::Done),
            ("形成有色金属新材料产业助力清单并报市政协", Some(0), "", "王建国", 11, Shape::Late),
            ("组织省政协港澳委员白银招商推介会", None, "白银市投资促进局", "", 10, Shape::Late),
        ],
        this_year: &[
            ("跟进落实已签约的5个招商引资项目", None, "白银市工业和信息化局", "", 12, Shape::InProgress),
            ("对接稀土功能材料链主企业扩产项目", Some(1), "", "赵文华", 12, Shape::NotStarted),
            ("举办数字经济发展专题讲座", Some(6), "", "周建华", 12, Shape::InProgress),
        ],
    },
    CityPlans {
        region: "620200",
        city: "嘉峪关市",
        goals: "以“2+6+N”产业体系为重点，服务酒钢、做大酒钢、做强酒钢，加快创建国家高新区，用好港澳委员“招商顾问”牵线搭桥。",
        scheme: &[
            (0, ("向省政协港澳委员、企业家推介重点招商引资项目和需求清单", None, "嘉峪关市投资促进局", "", 10, Shape::Done)),
            (1, ("支持酒钢构建千亿级钢铁和铝产业集群", Some(0), "嘉峪关市工业和信息化局", "王毅", 11, Shape::LateWithProgress)),
            (2, ("推动创建嘉峪关国家高新区", None, "嘉峪关市科学技术局", "", 12, Shape::InProgress)),
        ],
        last_year: &[("聘请省政协港澳委员为“招商顾问”", None, "嘉峪关市政协", "", 6, Shape::Done)],
        this_year: &[("举办港澳委员嘉峪关招商引资推介会", Some(0), "嘉峪关市投资促进局", "", 12, Shape::NotStarted)],
    },
    CityPlans {
        region: "620500",
        city: "天水市",
        goals: "蹲点调研问诊把脉，围绕电工电器、装备制造等产业链提出具体建议，推动建议落地见效。",
        scheme: &[
            (0, ("组织专家学者深入星火机床、二一三电器等企业蹲点调研", Some(0), "", "李文", 9, Shape::Done)),
            (2, ("推动电工电器产业链延链补链项目落地", Some(1), "天水市工业和信息化局", "孙伟", 12, Shape::InProgress)),
        ],
        last_year: &[("形成蹲点调研报告，提出具体建议", Some(0), "", "", 8, Shape::Late)],
        this_year: &[],
    },
];

fn last_day(year: i32, month: u32) -> NaiveDate {
    let next =
        if month == 12 { NaiveDate::from_ymd_opt(year + 1, 1, 1) } else { NaiveDate::from_ymd_opt(year, month + 1, 1) };
    next.and_then(|d| d.pred_opt()).expect("a month's last day")
}

async fn load_groups(store: &Store, region: &str, groups: &[DemoGroup], actor: &Actor) -> AppResult<Vec<i64>> {
    let filter = EnterpriseFilter { region_prefix: region[..4].to_string(), ..Default::default() };
    let others = store.list_enterprises(&filter, EnterpriseSort::default(), 100, 0).await?;
    let named: Vec<&str> = groups.iter().flat_map(|g| g.5.iter().copied()).collect();
    let mut spare = others.iter().filter(|e| !named.contains(&e.data.name.as_str()));
    let member = store.user_by_name("member").await?.map(|u| u.id);
    let mut ids = Vec::new();
    for (index, (name, leader, members, experts, entrepreneurs, enterprises)) in groups.iter().enumerate() {
        let mut enterprise_ids = Vec::new();
        for name in *enterprises {
            if let Some(enterprise) = store.enterprise_by_name(name).await? {
                enterprise_ids.push(enterprise.id);
            }
        }
        // Each of 白银's groups 包抓 a few more of the city's library enterprises.
        if region == "620400" {
            enterprise_ids.extend(spare.by_ref().take(2).map(|e| e.id));
        }
        // The demo member works in 白银's first group (its inbox shows the group's tasks).
        let users: Vec<i64> = if region == "620400" && index == 0 { member.into_iter().collect() } else { Vec::new() };
        let data = GroupData {
            region_code: region.to_string(),
            name: name.to_string(),
            leader: leader.to_string(),
            members: members.to_string(),
            experts: experts.to_string(),
            entrepreneurs: entrepreneurs.to_string(),
        };
        ids.push(store.save_group(None, &data, &users, &enterprise_ids, actor).await?);
    }
    Ok(ids)
}

async fn load_tasks(
    store: &Store,
    plan: i64,
    year: i32,
    tasks: &[(i32, DemoTask)],
    groups: &[i64],
    today: NaiveDate,
    actor: &Actor,
) -> AppResult<()> {
    for (offset, (text, group, department, people, month, shape)) in tasks {
        let task_year = year + offset;
        let data = PlanTaskData {
            text: text.to_string(),
            group_id: group.map(|g| groups[g]),
            department: department.to_string(),
            people: people.to_string(),
            deadline: last_day(task_year, *month),
        };
        let assigned_on = NaiveDate::from_ymd_opt(year, 2, 1).expect("1 February").min(today);
        let id = store.save_plan_task(plan, None, &data, assigned_on, actor).await?;
        let reported =
            |month: u32| NaiveDate::from_ymd_opt(task_year, month, 15).map_or(today, |d| d.min(today).max(assigned_on));
        match shape {
            Shape::Done => {
                store
                    .add_plan_progress(
                        id,
                        reported(month.saturating_sub(3).max(2)),
                        "已完成前期对接和方案起草",
                        false,
                        actor,
                    )
                    .await?;
                store.add_plan_progress(id, reported(*month), "已按期完成，材料已报市政协", true, actor).await?;
            }
            Shape::LateWithProgress => {
                store
                    .add_plan_progress(
                        id,
                        reported(month.saturating_sub(2).max(2)),
                        "已召开专题协调会，部分事项仍在推进",
                        false,
                        actor,
                    )
                    .await?;
            }
            Shape::InProgress => {
                store
                    .add_plan_progress(id, today.min(reported(today.month())), "已启动，正在逐项对接落实", false, actor)
                    .await?;
            }
            Shape::Late | Shape::NotStarted => {}
        }
    }
    Ok(())
}

pub(super) async fn load(store: &Store, today: NaiveDate, actor: &Actor) -> AppResult<()> {
    let year = today.year();
    let (first, last_year) = (year - 2, year - 1);
    for city in &CITIES {
        let groups = match city.region {
            "620400" => &BAIYIN_GROUPS[..],
            "620200" => &JIAYUGUAN_GROUPS[..],
            _ => &TIANSHUI_GROUPS[..],
        };
        let groups = load_groups(store, city.region, groups, actor).await?;
        let scheme = WorkPlanData {
            region_code: city.region.to_string(),
            kind: "scheme".into(),
            scheme_id: None,
            title: format!("助力{}经济社会高质量发展（{first}—{year}）工作方案", city.city),
            start_year: i64::from(first),
            end_year: i64::from(year),
            goals: city.goals.to_string(),
        };
        let scheme_id = store.save_work_plan(None, &scheme, actor).await?;
        load_tasks(store, scheme_id, first, city.scheme, &groups, today, actor).await?;
        for (plan_year, tasks) in [(last_year, city.last_year), (year, city.this_year)] {
            let plan = WorkPlanData {
                kind: "yearly".into(),
                scheme_id: Some(scheme_id),
                title: format!("助力经济社会高质量发展{}工作组{plan_year}年工作计划", city.city),
                start_year: i64::from(plan_year),
                end_year: i64::from(plan_year),
                goals: String::new(),
                ..scheme.clone()
            };
            let id = store.save_work_plan(None, &plan, actor).await?;
            let tasks: Vec<(i32, DemoTask)> = tasks.iter().map(|task| (0, *task)).collect();
            load_tasks(store, id, plan_year, &tasks, &groups, today, actor).await?;
        }
    }
    // A visit to an enterprise 白银's first group 包抓, on its page.
    if let Some(enterprise) = store.enterprise_by_name("白银有色集团股份有限公司").await? {
        let visit = VisitData {
            region_code: enterprise.data.region_code.clone(),
            enterprise: enterprise.data.name.clone(),
            credit_code: enterprise.data.credit_code.clone(),
            visited_on: today.pred_opt().unwrap_or(today),
            visitor: "有色金属新材料产业助力小组 王建国".into(),
            summary: "了解铜箔和稀土功能材料项目进展，企业未反映新问题。".into(),
        };
        store.create_visit(&visit, &[], actor).await?;
    }
    Ok(())
}
