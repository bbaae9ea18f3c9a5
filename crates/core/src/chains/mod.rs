//! Industrial chains (产业链, 链长制, SPEC area 4): the vocabulary of a chain tree, its import
//! rules, gap analysis per link (补链/强链/延链), target-enterprise scoring and HQ distance.

pub mod gap;
pub mod geo;
pub mod targets;
pub mod tree;

pub use gap::{analyse, count, GapCounts, GapThresholds, LinkGap, LinkPresence};
pub use geo::{great_circle_km, hq_distance_km, province_centre};
pub use targets::{
    base_score, matched_products, max_distance_points, max_product_points, rank, score, ScorePart, ScoreWeights,
    TargetFacts, TargetScore,
};
pub use tree::{ordered, parse_row, validate_tree, NodeRow, TreeError};

use serde::{Deserialize, Serialize};
use std::fmt;

/// The products and keywords a link needs (产品关键词), as typed: separated by 、, ; or
/// commas (full or half width; a space belongs to a name such as "copper foil"); each
/// once, in the order given.
pub fn parse_products(text: &str) -> Vec<String> {
    let mut products: Vec<String> = Vec::new();
    for product in text.split(['、', ';', '；', ',', '，']).map(str::trim) {
        if !product.is_empty() && !products.iter().any(|known| known == product) {
            products.push(product.to_string());
        }
    }
    products
}

/// The GB/T 4754 divisions a link needs, as stored: codes joined by 、 (a link may need
/// several, such as 38 and 34 for motors).
pub fn industry_codes(stored: &str) -> Vec<&str> {
    stored.split('、').map(str::trim).filter(|code| !code.is_empty()).collect()
}

/// Products as stored and shown: joined by 、.
pub fn products_text(text: &str) -> String {
    parse_products(text).join("、")
}

/// Where a node sits along the chain; the derived order (上游 < 中游 < 下游) is the direction
/// in which a chain is extended (延链).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Segment {
    Upstream,
    Midstream,
    Downstream,
}

impl Segment {
    pub const ALL: [Segment; 3] = [Segment::Upstream, Segment::Midstream, Segment::Downstream];

    pub fn key(self) -> &'static str {
        match self {
            Segment::Upstream => "upstream",
            Segment::Midstream => "midstream",
            Segment::Downstream => "downstream",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Segment::Upstream => "上游",
            Segment::Midstream => "中游",
            Segment::Downstream => "下游",
        }
    }

    /// Accepts the key or the Chinese label, surrounding spaces ignored.
    pub fn parse(text: &str) -> Option<Segment> {
        let text = text.trim();
        Segment::ALL.into_iter().find(|segment| segment.key() == text || segment.label() == text)
    }
}

impl fmt::Display for Segment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// A node of the chain tree: a sub-chain groups nodes, a link (环节) is a leaf on which
/// enterprises and projects hang.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NodeKind {
    SubChain,
    Link,
}

impl NodeKind {
    pub const ALL: [NodeKind; 2] = [NodeKind::SubChain, NodeKind::Link];

    pub fn key(self) -> &'static str {
        match self {
            NodeKind::SubChain => "sub_chain",
            NodeKind::Link => "link",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            NodeKind::SubChain => "子链",
            NodeKind::Link => "环节",
        }
    }

    /// Accepts the key or the Chinese label, surrounding spaces ignored.
    pub fn parse(text: &str) -> Option<NodeKind> {
        let text = text.trim();
        NodeKind::ALL.into_iter().find(|kind| kind.key() == text || kind.label() == text)
    }
}

impl fmt::Display for NodeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// How an enterprise is attached to a link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkRole {
    Producer,
    Supplier,
    Buyer,
}

impl LinkRole {
    pub const ALL: [LinkRole; 3] = [LinkRole::Producer, LinkRole::Supplier, LinkRole::Buyer];

    pub fn key(self) -> &'static str {
        match self {
            LinkRole::Producer => "producer",
            LinkRole::Supplier => "supplier",
            LinkRole::Buyer => "buyer",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            LinkRole::Producer => "生产",
            LinkRole::Supplier => "配套",
            LinkRole::Buyer => "采购",
        }
    }

    /// Accepts the key, the label, or the label with 企业 (“配套企业”), surrounding spaces ignored.
    pub fn parse(text: &str) -> Option<LinkRole> {
        let text = text.trim();
        let bare = text.strip_suffix("企业").unwrap_or(text);
        LinkRole::ALL.into_iter().find(|role| role.key() == text || role.label() == bare)
    }

    /// Whether the enterprise makes the link's product locally; a buyer only creates demand,
    /// so it does not fill the link.
    pub fn covers_link(self) -> bool {
        matches!(self, LinkRole::Producer | LinkRole::Supplier)
    }
}

impl fmt::Display for LinkRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// The outcome of gap analysis for one link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GapStatus {
    Strong,
    Weak,
    Missing,
    Extension,
}

impl GapStatus {
    pub const ALL: [GapStatus; 4] = [GapStatus::Strong, GapStatus::Weak, GapStatus::Missing, GapStatus::Extension];

    pub fn key(self) -> &'static str {
        match self {
            GapStatus::Strong => "strong",
            GapStatus::Weak => "weak",
            GapStatus::Missing => "missing",
            GapStatus::Extension => "extension",
        }
    }

    /// The short label, named after the action a gap calls for.
    pub fn label(self) -> &'static str {
        match self {
            GapStatus::Strong => "优势",
            GapStatus::Weak => "强链",
            GapStatus::Missing => "补链",
            GapStatus::Extension => "延链",
        }
    }

    pub fn long_label(self) -> &'static str {
        match self {
            GapStatus::Strong => "优势环节",
            GapStatus::Weak => "薄弱环节（强链）",
            GapStatus::Missing => "缺失环节（补链）",
            GapStatus::Extension => "延伸环节（延链）",
        }
    }

    /// The colour of the status on the chain map and its legend.
    pub fn colour(self) -> &'static str {
        match self {
            GapStatus::Strong => "#2e7d32",
            GapStatus::Weak => "#f9a825",
            GapStatus::Missing => "#c62828",
            GapStatus::Extension => "#1565c0",
        }
    }

    /// Accepts the key, the label or the long label, surrounding spaces ignored.
    pub fn parse(text: &str) -> Option<GapStatus> {
        let text = text.trim();
        GapStatus::ALL
            .into_iter()
            .find(|status| status.key() == text || status.label() == text || status.long_label() == text)
    }
}

impl fmt::Display for GapStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_names_one_or_several_divisions() {
        assert_eq!(industry_codes("38"), ["38"]);
        assert_eq!(industry_codes("38、34"), ["38", "34"]);
        assert!(industry_codes("").is_empty());
    }

    #[test]
    fn products_split_on_any_separator_once_each() {
        assert_eq!(
            parse_products(" 稀土、永磁；电机, 稀土，copper foil ;伺服\u{3000}"),
            ["稀土", "永磁", "电机", "copper foil", "伺服"]
        );
        assert!(parse_products(" 、 ").is_empty());
        assert_eq!(products_text("稀土;永磁"), "稀土、永磁");
    }
    use std::collections::HashSet;

    #[test]
    fn segments_parse_from_key_or_label_and_order_along_the_chain() {
        for segment in Segment::ALL {
            assert_eq!(Segment::parse(segment.key()), Some(segment));
            assert_eq!(Segment::parse(&format!(" {} ", segment.label())), Some(segment));
        }
        assert_eq!(Segment::parse("上游"), Some(Segment::Upstream));
        assert_eq!(Segment::parse("旁路"), None);
        assert!(Segment::Upstream < Segment::Midstream && Segment::Midstream < Segment::Downstream);
        assert_eq!(serde_json::to_string(&Segment::Midstream).unwrap(), "\"midstream\"");
        assert_eq!(serde_json::from_str::<Segment>("\"downstream\"").unwrap(), Segment::Downstream);
    }

    #[test]
    fn node_kinds_parse() {
        for kind in NodeKind::ALL {
            assert_eq!(NodeKind::parse(kind.key()), Some(kind));
            assert_eq!(NodeKind::parse(kind.label()), Some(kind));
        }
        assert_eq!(NodeKind::parse("子链"), Some(NodeKind::SubChain));
        assert_eq!(NodeKind::parse("sub_chain"), Some(NodeKind::SubChain));
        assert_eq!(NodeKind::parse("节点"), None);
        assert_eq!(serde_json::to_string(&NodeKind::SubChain).unwrap(), "\"sub_chain\"");
    }

    #[test]
    fn link_roles_parse_with_or_without_enterprise_suffix() {
        for role in LinkRole::ALL {
            assert_eq!(LinkRole::parse(role.key()), Some(role));
            assert_eq!(LinkRole::parse(role.label()), Some(role));
            assert_eq!(LinkRole::parse(&format!(" {}企业", role.label())), Some(role));
        }
        assert_eq!(LinkRole::parse("企业"), None);
        assert_eq!(LinkRole::parse("buyer企业"), None);
        assert!(LinkRole::Producer.covers_link());
        assert!(LinkRole::Supplier.covers_link());
        assert!(!LinkRole::Buyer.covers_link());
    }

    #[test]
    fn gap_statuses_have_distinct_labels_and_colours() {
        for status in GapStatus::ALL {
            assert_eq!(GapStatus::parse(status.key()), Some(status));
            assert_eq!(GapStatus::parse(status.label()), Some(status));
            assert_eq!(GapStatus::parse(status.long_label()), Some(status));
            let colour = status.colour();
            assert!(colour.len() == 7 && colour.starts_with('#'));
            assert!(colour[1..].bytes().all(|b| b.is_ascii_hexdigit()));
        }
        let colours: HashSet<_> = GapStatus::ALL.iter().map(|s| s.colour()).collect();
        assert_eq!(colours.len(), GapStatus::ALL.len());
        assert_eq!(GapStatus::Weak.long_label(), "薄弱环节（强链）");
        assert_eq!(GapStatus::Missing.to_string(), "补链");
        assert_eq!(GapStatus::parse("未知"), None);
    }
}
