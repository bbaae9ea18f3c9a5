//! Distance from a candidate's headquarters to the viewing region, at province precision:
//! each province is placed at its capital, which is enough to tell near from far.

/// Mean Earth radius (IUGG), km.
const EARTH_RADIUS_KM: f64 = 6371.0088;

/// GB/T 2260 province prefix → (longitude, latitude) of its capital.
const PROVINCE_CAPITALS: [(&str, f64, f64); 34] = [
    ("11", 116.41, 39.90), // 北京
    ("12", 117.20, 39.08), // 天津
    ("13", 114.51, 38.04), // 河北 石家庄
    ("14", 112.55, 37.87), // 山西 太原
    ("15", 111.75, 40.84), // 内蒙古 呼和浩特
    ("21", 123.43, 41.80), // 辽宁 沈阳
    ("22", 125.32, 43.82), // 吉林 长春
    ("23", 126.53, 45.80), // 黑龙江 哈尔滨
    ("31", 121.47, 31.23), // 上海
    ("32", 118.80, 32.06), // 江苏 南京
    ("33", 120.16, 30.27), // 浙江 杭州
    ("34", 117.23, 31.82), // 安徽 合肥
    ("35", 119.30, 26.08), // 福建 福州
    ("36", 115.86, 28.68), // 江西 南昌
    ("37", 117.12, 36.65), // 山东 济南
    ("41", 113.63, 34.75), // 河南 郑州
    ("42", 114.31, 30.59), // 湖北 武汉
    ("43", 112.94, 28.23), // 湖南 长沙
    ("44", 113.26, 23.13), // 广东 广州
    ("45", 108.37, 22.82), // 广西 南宁
    ("46", 110.20, 20.04), // 海南 海口
    ("50", 106.55, 29.56), // 重庆
    ("51", 104.07, 30.57), // 四川 成都
    ("52", 106.63, 26.65), // 贵州 贵阳
    ("53", 102.83, 24.88), // 云南 昆明
    ("54", 91.14, 29.65),  // 西藏 拉萨
    ("61", 108.94, 34.34), // 陕西 西安
    ("62", 103.83, 36.06), // 甘肃 兰州
    ("63", 101.78, 36.62), // 青海 西宁
    ("64", 106.23, 38.49), // 宁夏 银川
    ("65", 87.62, 43.83),  // 新疆 乌鲁木齐
    ("71", 121.56, 25.04), // 台湾 台北
    ("81", 114.17, 22.32), // 香港
    ("82", 113.54, 22.20), // 澳门
];

fn province_prefix(region_code: &str) -> Option<&str> {
    region_code.trim().get(..2)
}

/// (longitude, latitude) of the capital of the province whose code starts with the first two
/// digits of `region_code` ("620102" → 兰州); `None` for an unknown prefix.
pub fn province_centre(region_code: &str) -> Option<(f64, f64)> {
    let prefix = province_prefix(region_code)?;
    PROVINCE_CAPITALS.iter().find(|(code, _, _)| *code == prefix).map(|&(_, lon, lat)| (lon, lat))
}

/// Great-circle distance in km between two (longitude, latitude) points (haversine).
pub fn great_circle_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (lon1, lat1) = (a.0.to_radians(), a.1.to_radians());
    let (lon2, lat2) = (b.0.to_radians(), b.1.to_radians());
    let h = ((lat2 - lat1) / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * ((lon2 - lon1) / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * h.sqrt().min(1.0).asin()
}

/// Distance in whole km between the provinces of an HQ and of the viewing scope; 0 within one
/// province (a capital-to-capital figure would be meaningless there), `None` when either code
/// is unknown.
pub fn hq_distance_km(hq_region: &str, scope_region: &str) -> Option<u32> {
    let hq = province_centre(hq_region)?;
    let scope = province_centre(scope_region)?;
    if province_prefix(hq_region) == province_prefix(scope_region) {
        return Some(0);
    }
    Some(great_circle_km(hq, scope).round() as u32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn assert_near(actual: u32, expected: u32, tolerance: u32) {
        assert!(actual.abs_diff(expected) <= tolerance, "{actual} km, expected {expected} ± {tolerance}");
    }

    #[test]
    fn all_34_provincial_divisions_are_placed_in_china() {
        let codes: HashSet<_> = PROVINCE_CAPITALS.iter().map(|(code, _, _)| *code).collect();
        assert_eq!(codes.len(), 34);
        for (code, lon, lat) in PROVINCE_CAPITALS {
            assert!((73.0..136.0).contains(&lon) && (18.0..54.0).contains(&lat), "{code}");
        }
        assert_eq!(province_centre("620102"), Some((103.83, 36.06)));
        assert_eq!(province_centre(" 62 "), Some((103.83, 36.06)));
        assert_eq!(province_centre("990000"), None);
        assert_eq!(province_centre("6"), None);
        assert_eq!(province_centre(""), None);
    }

    #[test]
    fn known_distances() {
        assert_near(hq_distance_km("110000", "620100").unwrap(), 1180, 30);
        assert_near(hq_distance_km("310115", "620000").unwrap(), 1720, 40);
        assert_eq!(hq_distance_km("110000", "310000"), hq_distance_km("310000", "110000"));
    }

    #[test]
    fn same_province_is_zero_and_unknown_is_none() {
        assert_eq!(hq_distance_km("620102", "620503"), Some(0));
        assert_eq!(hq_distance_km("990000", "620000"), None);
        assert_eq!(hq_distance_km("620000", "990000"), None);
        assert_eq!(hq_distance_km("990000", "990000"), None);
    }

    #[test]
    fn great_circle_basics() {
        assert_eq!(great_circle_km((103.83, 36.06), (103.83, 36.06)), 0.0);
        // A quarter of a meridian.
        let quarter = great_circle_km((0.0, 0.0), (0.0, 90.0));
        assert!((quarter - EARTH_RADIUS_KM * std::f64::consts::FRAC_PI_2).abs() < 1e-6);
        let ab = great_circle_km((116.41, 39.90), (121.47, 31.23));
        let ba = great_circle_km((121.47, 31.23), (116.41, 39.90));
        assert!((ab - ba).abs() < 1e-9);
    }
}
