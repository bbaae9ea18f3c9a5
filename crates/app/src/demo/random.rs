//! The demo's one generator and the invented names drawn from it (brands, people,
//! credit codes), shared by every area's demo data.

use chrono::{Duration, NaiveDate};
use zhaoshang_core::credit_code::{with_check_char, CHARSET};

/// splitmix64: tiny, fast and good enough to make demo data look irregular.
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// A generator of its own, seeded from this one: what it draws does not shift what
    /// this one draws next.
    pub(crate) fn fork(&mut self) -> Rng {
        Rng(self.next())
    }

    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub(crate) fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform integer in [lo, hi]; `lo` when the range is empty.
    pub(crate) fn between(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        lo + (self.next() % (hi - lo + 1) as u64) as i64
    }

    pub(crate) fn chance(&mut self, probability: f64) -> bool {
        self.unit() < probability
    }

    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.between(0, items.len() as i64 - 1) as usize]
    }

    pub(crate) fn weighted<T: Copy>(&mut self, items: &[(T, u32)]) -> T {
        let total: u32 = items.iter().map(|(_, weight)| weight).sum();
        let mut ticket = self.between(0, i64::from(total) - 1) as u32;
        for &(item, weight) in items {
            if ticket < weight {
                return item;
            }
            ticket -= weight;
        }
        items[items.len() - 1].0
    }

    /// An entry of a table whose second column is its weight.
    pub(crate) fn weighted_entry<'a, A, B>(&mut self, items: &'a [(A, u32, B)]) -> &'a (A, u32, B) {
        let total: u32 = items.iter().map(|(_, weight, _)| weight).sum();
        let mut ticket = self.between(0, i64::from(total) - 1) as u32;
        for item in items {
            if ticket < item.1 {
                return item;
            }
            ticket -= item.1;
        }
        &items[items.len() - 1]
    }

    /// exp(σ·z) with z roughly standard normal: the heavy tail of project sizes.
    pub(crate) fn lognormal(&mut self, sigma: f64) -> f64 {
        let z = ((0..4).map(|_| self.unit()).sum::<f64>() - 2.0) * 3f64.sqrt();
        (sigma * z).exp()
    }

    pub(crate) fn day_between(&mut self, from: NaiveDate, to: NaiveDate) -> NaiveDate {
        from + Duration::days(self.between(0, (to - from).num_days()))
    }

    /// Two different characters of `BRAND_CHARACTERS`: the brand of an invented company.
    pub(crate) fn brand(&mut self) -> String {
        let first = *self.pick(BRAND_CHARACTERS);
        let mut second = *self.pick(BRAND_CHARACTERS);
        while second == first {
            second = *self.pick(BRAND_CHARACTERS);
        }
        format!("{first}{second}")
    }

    /// A common Chinese name: a project's leader or owner, a service's handler.
    pub(crate) fn person(&mut self) -> String {
        format!("{}{}", self.pick(SURNAMES), self.pick(GIVEN_NAMES))
    }

    /// A valid 统一社会信用代码 of a company registered in `area`.
    pub(crate) fn credit_code(&mut self, area: &str) -> String {
        let charset: Vec<char> = CHARSET.chars().collect();
        let organisation: String = (0..7).map(|_| *self.pick(&charset)).collect();
        company_credit_code(area, &organisation)
    }
}

/// 9 (工商) 1 (企业), the registration area, `MA` and seven characters of 组织机构代码,
/// then the check character.
pub(crate) fn company_credit_code(area: &str, organisation: &str) -> String {
    with_check_char(&format!("91{area}MA{organisation}")).expect("17 characters of the charset")
}

const BRAND_CHARACTERS: &[&str] = &[
    "华", "瑞", "泰", "鑫", "源", "宏", "博", "达", "恒", "盛", "远", "智", "晟", "嘉", "润", "昊", "骏", "裕", "兴",
    "拓", "航", "融", "丰", "卓", "弘", "锦", "辰", "越", "正", "信", "邦", "睿", "通", "禾", "隆", "启", "创", "德",
    "汇", "峰",
];

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林",
    "罗", "郑", "梁", "谢", "宋", "唐", "韩", "冯", "邓", "曹", "彭", "魏", "苏",
];

const GIVEN_NAMES: &[&str] = &[
    "建国", "志强", "海燕", "立新", "晓东", "文华", "红梅", "国栋", "永明", "静", "磊", "军", "丽娟", "小平", "振华",
    "玉兰", "卫东", "明亮", "春生", "雪峰", "秀英", "德福", "亚军", "敏", "伟", "鹏飞", "婷", "天佑", "宏伟", "学军",
];
