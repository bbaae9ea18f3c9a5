//! The S&T achievement pool's demo (issue 21, point 6): about 2,000 achievements a year
//! registered by Gansu's universities and institutes, a few dozen third-party reviewers
//! (the demo reviewer account among them), and the 2023 round's reviews — five
//! reviewers per achievement, never one of the achievement's own institution. Loaded in
//! bulk: the demo starts in a moment however many achievements it holds. The 2023
//! round is closed and published; the 2024 round is open for scoring, its reviewers
//! assigned by the optimisation (the demo reviewer among them).

use super::random::Rng;
use crate::AppResult;
use zhaoshang_core::achievements::{same_institution, Ratio, Weights};
use zhaoshang_core::rounds::RoundStatus;
use zhaoshang_store::achievements::{AchievementData, ReviewData};
use zhaoshang_store::bulk::BulkExpert;
use zhaoshang_store::{Actor, Store};

/// Achievements registered in each demo year.
pub const PER_YEAR: usize = 2_000;
/// The closed round's year, and the year registered after it.
pub const REVIEWED_YEAR: i64 = 2023;
pub const OPEN_YEAR: i64 = 2024;
/// Reviewers per achievement in the closed round.
pub const REVIEWERS_PER_ACHIEVEMENT: usize = 5;
/// The demo reviewer account's name in the expert pool (reviews name reviewers by user name).
pub const DEMO_REVIEWER: &str = "reviewer";

/// Gansu's universities, institutes and research-heavy enterprises.
const INSTITUTIONS: [&str; 18] = [
    "兰州大学",
    "兰州理工大学",
    "西北师范大学",
    "中国科学院近代物理研究所",
    "中国科学院兰州化学物理研究所",
    "中国科学院西北生态环境资源研究院",
    "兰州交通大学",
    "甘肃农业大学",
    "西北民族大学",
    "甘肃中医药大学",
    "甘肃省科学院",
    "甘肃省农业科学院",
    "天水师范学院",
    "河西学院",
    "陇东学院",
    "兰州石化职业技术大学",
    "金川集团股份有限公司",
    "兰州兰石集团有限公司",
];

/// A real-looking 统一社会信用代码 for a demo institution: 12 (a public institution) for
/// universities and institutes, 91 (a company) for the enterprises, then the Gansu
/// division and a number from the name, with its check character.
pub fn institution_credit_code(name: &str) -> String {
    let kind = if name.ends_with("公司") { "91620000" } else { "12620000" };
    let number = name.chars().fold(7u64, |n, c| (n * 31 + c as u64) % 1_000_000_000);
    zhaoshang_core::credit_code::with_check_char(&format!("{kind}{number:09}")).unwrap_or_default()
}

/// Reviewers' institutions outside the province (and a few inside it).
const REVIEWER_INSTITUTIONS: [&str; 12] = [
    "西安交通大学",
    "四川大学",
    "西北工业大学",
    "中国农业大学",
    "重庆大学",
    "中南大学",
    "北京科技大学",
    "华中科技大学",
    "兰州大学",
    "兰州理工大学",
    "甘肃农业大学",
    "中国科学院兰州化学物理研究所",
];

/// Industries (GB/T 4754 divisions) with topics an achievement of each is about.
const TOPICS: [(&str, &[&str]); 10] = [
    ("01", &["旱作农业节水灌溉", "马铃薯脱毒种薯繁育", "高原夏菜绿色种植", "河西制种玉米"]),
    ("13", &["牦牛肉精深加工", "百合保鲜贮藏", "苹果浓缩汁提质", "中药材初加工"]),
    ("26", &["煤基精细化学品", "光伏级多晶硅提纯", "工业固废资源化", "高效复合肥料"]),
    ("27", &["当归有效成分提取", "黄芪配方颗粒", "重离子治疗肿瘤", "新型疫苗佐剂"]),
    ("32", &["镍钴湿法冶金", "高性能铝合金", "稀土功能材料", "铜箔精密轧制"]),
    ("34", &["石油钻采装备", "高压容器智能检测", "风电齿轮箱", "精密数控机床"]),
    ("38", &["高压开关设备", "储能电池管理", "光热发电集热", "电工电器智能制造"]),
    ("39", &["北斗高精度定位", "工业物联网网关", "智能传感芯片", "数据中心液冷"]),
    ("65", &["政务大数据平台", "文旅数字孪生", "工业互联网标识解析", "智慧矿山软件"]),
    ("44", &["风光储一体化调度", "特高压输电运维", "分布式光伏并网", "氢能制储运"]),
];

const SUFFIXES: [&str; 6] = ["关键技术研究与应用", "技术及产业化", "新工艺开发", "集成示范", "装备研制", "技术推广"];
const IP: [&str; 5] = ["发明专利", "发明专利 2 项", "实用新型专利", "软件著作权", "技术秘密"];
const MATURITIES: [(&str, u32); 4] = [("laboratory", 2), ("small_pilot", 3), ("pilot", 3), ("industrial", 2)];

/// The demo pool: the expert pool, both years' achievements and the closed round's reviews.
pub struct DemoPool {
    pub experts: Vec<BulkExpert>,
    pub achievements: Vec<AchievementData>,
    pub reviews: Vec<ReviewData>,
}

/// The experts: 36 invented reviewers and the demo reviewer account's own.
fn experts(rng: &mut Rng) -> Vec<BulkExpert> {
    let fields = |rng: &mut Rng| {
        let first = rng.pick(&TOPICS).0;
        let second = rng.pick(&TOPICS).0;
        if first == second {
            first.to_string()
        } else {
            format!("{first}、{second}")
        }
    };
    let mut experts = vec![BulkExpert {
        name: DEMO_REVIEWER.into(),
        institution: "西安交通大学".into(),
        fields: "38、39".into(),
        user_id: None,
    }];
    while experts.len() < 37 {
        let name = rng.person();
        if experts.iter().any(|e| e.name == name) {
            continue;
        }
        let institution = rng.pick(&REVIEWER_INSTITUTIONS).to_string();
        experts.push(BulkExpert { name, institution, fields: fields(rng), user_id: None });
    }
    experts
}

/// One reviewer's score around the achievement's quality, in hundredths (half points).
fn score(rng: &mut Rng, quality: i64, spread: i64) -> i64 {
    let half = if rng.chance(0.3) { 50 } else { 0 };
    (quality + rng.between(-spread, spread)).clamp(5, 99) * 100 + half
}

pub(crate) fn generate(rng: &mut Rng) -> DemoPool {
    let experts = experts(rng);
    let mut achievements = Vec::with_capacity(2 * PER_YEAR);
    let mut reviews = Vec::with_capacity(PER_YEAR * REVIEWERS_PER_ACHIEVEMENT);
    for year in [REVIEWED_YEAR, OPEN_YEAR] {
        for n in 1..=PER_YEAR {
            let (industry, topics) = rng.pick(&TOPICS);
            let institution = rng.pick(&INSTITUTIONS).to_string();
            let title = format!("{}{}", rng.pick(topics), rng.pick(&SUFFIXES));
            let maturity = rng.weighted(&MATURITIES).to_string();
            let code = format!("CG{year}-{n:04}");
            let description = format!("{institution}完成的{title}成果，面向省内{}产业转化。", industry);
            // Derived from the number, not drawn: the demo's random sequence stays as it was.
            let contact = format!("{institution}成果转化办公室 0931-86{n:05}");
            let institution_credit_code = institution_credit_code(&institution);
            let achievement = AchievementData {
                code,
                title,
                institution,
                industry: industry.to_string(),
                year,
                maturity,
                ip: rng.pick(&IP).to_string(),
                description,
                contact,
                institution_credit_code,
            };
            if year == REVIEWED_YEAR {
                review(rng, &achievement, &experts, &mut reviews);
            }
            achievements.push(achievement);
        }
    }
    DemoPool { experts, achievements, reviews }
}

/// Five reviews by experts of other institutions; one achievement in twenty has a
/// reviewer far from the others (the pool page flags it).
fn review(rng: &mut Rng, achievement: &AchievementData, experts: &[BulkExpert], reviews: &mut Vec<ReviewData>) {
    let quality = rng.between(50, 92);
    let outlier = rng.chance(0.05);
    let mut chosen: Vec<usize> = Vec::new();
    while chosen.len() < REVIEWERS_PER_ACHIEVEMENT {
        let index = rng.between(0, experts.len() as i64 - 1) as usize;
        if chosen.contains(&index) || same_institution(&experts[index].institution, &achievement.institution) {
            continue;
        }
        chosen.push(index);
    }
    for (nth, index) in chosen.into_iter().enumerate() {
        let expert = &experts[index];
        let quality = if outlier && nth == 0 { (quality - 45).max(5) } else { quality };
        reviews.push(ReviewData {
            code: achievement.code.clone(),
            reviewer: expert.name.clone(),
            reviewer_institution: expert.institution.clone(),
            reviewer_credit_code: institution_credit_code(&expert.institution),
            market: score(rng, quality, 8),
            economic: score(rng, quality, 8),
            technical: score(rng, quality, 6),
        });
    }
}

/// Achievements the 2023 round left just below the cut, registered again for 2024
/// after more work, as the seed says those left out may do.
pub const REGISTERED_AGAIN: usize = 30;

async fn register_again(store: &Store, actor: &Actor) -> AppResult<()> {
    let year = crate::achievements::selection(store, REVIEWED_YEAR, Ratio::DEFAULT, Weights::EQUAL).await?;
    let mut again = Vec::with_capacity(REGISTERED_AGAIN);
    for ranked in year.ranked.iter().skip(year.selected).take(REGISTERED_AGAIN) {
        if let Some(mut data) = store.achievement(&ranked.code).await? {
            data.year = OPEN_YEAR;
            data.description.push_str("（2023 年度未入池，经中试改进后再次登记）");
            again.push(data);
        }
    }
    store.upsert_achievements(&again, actor).await?;
    Ok(())
}

pub(super) async fn load(store: &Store, pool: &DemoPool, actor: &Actor) -> AppResult<()> {
    let reviewer = store.user_by_name(DEMO_REVIEWER).await?.map(|user| user.id);
    let experts: Vec<BulkExpert> = pool
        .experts
        .iter()
        .map(|e| BulkExpert { user_id: if e.name == DEMO_REVIEWER { reviewer } else { None }, ..e.clone() })
        .collect();
    store.bulk_insert_pool(&experts, &pool.achievements, &pool.reviews).await?;
    // The 2023 round went its whole way; the 2024 round is being scored.
    let per = REVIEWERS_PER_ACHIEVEMENT as i64;
    store.open_round(REVIEWED_YEAR, per, actor).await?;
    for (from, to) in [
        (RoundStatus::Open, RoundStatus::Scoring),
        (RoundStatus::Scoring, RoundStatus::Closed),
        (RoundStatus::Closed, RoundStatus::Published),
    ] {
        store.set_round_status(REVIEWED_YEAR, from.key(), to.key(), actor).await?;
    }
    register_again(store, actor).await?;
    store.open_round(OPEN_YEAR, per, actor).await?;
    crate::rounds::assign_year(store, OPEN_YEAR, RoundStatus::Open, REVIEWERS_PER_ACHIEVEMENT, actor).await?;
    Ok(())
}
