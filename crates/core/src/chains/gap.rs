//! Gap analysis of a chain's links (补链/强链/延链): which links the region already holds
//! strongly, which it holds weakly, which it lacks, and which are natural extensions of its
//! strengths.

use super::{GapStatus, Segment};
use crate::money::Yuan;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// What makes a present link strong rather than weak.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct GapThresholds {
    /// Local enterprises plus producing projects on the link.
    pub min_enterprises: u32,
    /// Operating revenue of those local enterprises.
    pub min_revenue: Yuan,
}

impl Default for GapThresholds {
    /// 3 enterprises and 10 亿元.
    fn default() -> GapThresholds {
        GapThresholds { min_enterprises: 3, min_revenue: Yuan::from_wan(100_000) }
    }
}

/// What a region has on one link, as counted from the enterprise library and the projects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkPresence {
    pub node_id: i64,
    /// The sub-chain the link belongs to; `None` for a link directly under the chain.
    pub parent_id: Option<i64>,
    pub segment: Segment,
    /// Local enterprises attached to the link as producer or supplier.
    pub local_enterprises: u32,
    /// Projects on the link in stage 投产.
    pub producing_projects: u32,
    /// Projects signed or started but not yet producing: shown, not counted, since they do not
    /// make anything yet.
    pub active_projects: u32,
    pub local_revenue: Yuan,
}

impl LinkPresence {
    fn players(&self) -> u32 {
        self.local_enterprises.saturating_add(self.producing_projects)
    }

    fn is_present(&self) -> bool {
        self.players() > 0
    }

    fn is_strong(&self, thresholds: &GapThresholds) -> bool {
        self.players() >= thresholds.min_enterprises && self.local_revenue >= thresholds.min_revenue
    }
}

/// The status of one link and why, in Chinese.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LinkGap {
    pub node_id: i64,
    pub status: GapStatus,
    pub reason: String,
}

/// Classifies every link, in input order.
///
/// - A link is present when it has local enterprises or producing projects
///   (`local_enterprises + producing_projects > 0`).
/// - A present link is 优势 (`Strong`) when those together reach `min_enterprises` and the local
///   revenue reaches `min_revenue`; otherwise it is 强链 (`Weak`).
/// - An absent link is 延链 (`Extension`) when a strong link under the same parent
///   (`parent_id`) sits at an earlier segment (上游 < 中游 < 下游): the region can build on its
///   strength downstream. Otherwise it is 补链 (`Missing`).
///
/// Projects signed or started but not producing never change the status; the reason mentions them.
pub fn analyse(links: &[LinkPresence], thresholds: &GapThresholds) -> Vec<LinkGap> {
    let mut strong_segments: HashMap<Option<i64>, Vec<Segment>> = HashMap::new();
    for link in links.iter().filter(|link| link.is_present() && link.is_strong(thresholds)) {
        strong_segments.entry(link.parent_id).or_default().push(link.segment);
    }
    links
        .iter()
        .map(|link| {
            let (status, mut reason) = if link.is_present() {
                let status = if link.is_strong(thresholds) { GapStatus::Strong } else { GapStatus::Weak };
                (status, figures(link, thresholds))
            } else {
                // The nearest earlier strength names where the extension starts from.
                let nearest_strength = strong_segments
                    .get(&link.parent_id)
                    .and_then(|segments| segments.iter().filter(|&&segment| segment < link.segment).max());
                match nearest_strength {
                    Some(from) => (
                        GapStatus::Extension,
                        format!("{}已有优势环节，可向{}延伸", from.label(), link.segment.label()),
                    ),
                    None => (GapStatus::Missing, "无本地企业或投产项目".to_string()),
                }
            };
            if link.active_projects > 0 {
                reason.push_str(&format!("；另有已签约或开工、尚未投产的项目 {} 个", link.active_projects));
            }
            LinkGap { node_id: link.node_id, status, reason }
        })
        .collect()
}

/// "本地企业 2 家、投产项目 0 个（门槛 3 家），营业收入 1.20 亿元（门槛 10.00 亿元）"
fn figures(link: &LinkPresence, thresholds: &GapThresholds) -> String {
    format!(
        "本地企业 {} 家、投产项目 {} 个（门槛 {} 家），营业收入 {} 亿元（门槛 {} 亿元）",
        link.local_enterprises,
        link.producing_projects,
        thresholds.min_enterprises,
        link.local_revenue.yi_display(),
        thresholds.min_revenue.yi_display()
    )
}

/// How many links have each status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct GapCounts {
    pub strong: u32,
    pub weak: u32,
    pub missing: u32,
    pub extension: u32,
}

impl GapCounts {
    /// All links analysed.
    pub fn total(&self) -> u32 {
        self.strong + self.gaps()
    }

    /// Links that call for action: 强链, 补链 and 延链.
    pub fn gaps(&self) -> u32 {
        self.weak + self.missing + self.extension
    }
}

pub fn count(gaps: &[LinkGap]) -> GapCounts {
    let mut counts = GapCounts::default();
    for gap in gaps {
        let slot = match gap.status {
            GapStatus::Strong => &mut counts.strong,
            GapStatus::Weak => &mut counts.weak,
            GapStatus::Missing => &mut counts.missing,
            GapStatus::Extension => &mut counts.extension,
        };
        *slot += 1;
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(
        node_id: i64,
        parent_id: Option<i64>,
        segment: Segment,
        enterprises: u32,
        revenue_wan: i64,
    ) -> LinkPresence {
        LinkPresence {
            node_id,
            parent_id,
            segment,
            local_enterprises: enterprises,
            producing_projects: 0,
            active_projects: 0,
            local_revenue: Yuan::from_wan(revenue_wan),
        }
    }

    fn statuses(gaps: &[LinkGap]) -> Vec<GapStatus> {
        gaps.iter().map(|gap| gap.status).collect()
    }

    #[test]
    fn default_thresholds_are_three_enterprises_and_ten_yi() {
        let thresholds = GapThresholds::default();
        assert_eq!(thresholds.min_enterprises, 3);
        assert_eq!(thresholds.min_revenue, Yuan(1_000_000_000));
    }

    #[test]
    fn present_links_are_strong_only_when_both_thresholds_are_reached() {
        let thresholds = GapThresholds::default();
        let links = [
            link(1, None, Segment::Midstream, 3, 100_000),
            link(2, None, Segment::Midstream, 2, 500_000),
            link(3, None, Segment::Midstream, 10, 99_999),
            link(4, None, Segment::Midstream, 1, 0),
        ];
        let gaps = analyse(&links, &thresholds);
        assert_eq!(statuses(&gaps), [GapStatus::Strong, GapStatus::Weak, GapStatus::Weak, GapStatus::Weak]);
        assert_eq!(gaps.iter().map(|g| g.node_id).collect::<Vec<_>>(), [1, 2, 3, 4]);
    }

    #[test]
    fn producing_projects_count_towards_presence_and_strength_but_active_ones_do_not() {
        let thresholds = GapThresholds::default();
        let mut producing = link(1, None, Segment::Upstream, 1, 200_000);
        producing.producing_projects = 2;
        let mut only_active = link(2, None, Segment::Upstream, 0, 0);
        only_active.active_projects = 4;
        let gaps = analyse(&[producing, only_active], &thresholds);
        assert_eq!(statuses(&gaps), [GapStatus::Strong, GapStatus::Missing]);
        assert_eq!(gaps[1].reason, "无本地企业或投产项目；另有已签约或开工、尚未投产的项目 4 个");
    }

    #[test]
    fn weak_reason_shows_figures_against_thresholds() {
        let gaps = analyse(&[link(7, None, Segment::Midstream, 2, 12_000)], &GapThresholds::default());
        assert_eq!(gaps[0].reason, "本地企业 2 家、投产项目 0 个（门槛 3 家），营业收入 1.20 亿元（门槛 10.00 亿元）");
    }

    #[test]
    fn absent_links_after_a_strong_sibling_are_extensions() {
        let thresholds = GapThresholds::default();
        let links = [
            link(1, Some(10), Segment::Upstream, 5, 200_000),
            link(2, Some(10), Segment::Midstream, 0, 0),
            link(3, Some(10), Segment::Downstream, 0, 0),
            // Same segment as the strength: nothing to extend from.
            link(4, Some(10), Segment::Upstream, 0, 0),
            // Another sub-chain: the strength does not carry over.
            link(5, Some(20), Segment::Downstream, 0, 0),
            // A weak earlier link is no base for extension.
            link(6, Some(20), Segment::Upstream, 1, 0),
            link(7, Some(20), Segment::Midstream, 0, 0),
        ];
        let gaps = analyse(&links, &thresholds);
        assert_eq!(
            statuses(&gaps),
            [
                GapStatus::Strong,
                GapStatus::Extension,
                GapStatus::Extension,
                GapStatus::Missing,
                GapStatus::Missing,
                GapStatus::Weak,
                GapStatus::Missing
            ]
        );
        assert_eq!(gaps[1].reason, "上游已有优势环节，可向中游延伸");
        assert_eq!(gaps[4].reason, "无本地企业或投产项目");
    }

    #[test]
    fn extension_names_the_nearest_earlier_strength_and_top_level_links_are_siblings() {
        let links = [
            link(1, None, Segment::Upstream, 5, 200_000),
            link(2, None, Segment::Midstream, 5, 200_000),
            link(3, None, Segment::Downstream, 0, 0),
        ];
        let gaps = analyse(&links, &GapThresholds::default());
        assert_eq!(gaps[2].status, GapStatus::Extension);
        assert_eq!(gaps[2].reason, "中游已有优势环节，可向下游延伸");
    }

    #[test]
    fn counts_add_up() {
        let links = [
            link(1, None, Segment::Upstream, 5, 200_000),
            link(2, None, Segment::Midstream, 0, 0),
            link(3, Some(1), Segment::Upstream, 0, 0),
            link(4, Some(1), Segment::Midstream, 1, 0),
            link(5, Some(1), Segment::Downstream, 1, 0),
        ];
        let counts = count(&analyse(&links, &GapThresholds::default()));
        assert_eq!(counts, GapCounts { strong: 1, weak: 2, missing: 1, extension: 1 });
        assert_eq!(counts.total(), 5);
        assert_eq!(counts.gaps(), 4);
        assert_eq!(count(&[]).total(), 0);
    }
}
