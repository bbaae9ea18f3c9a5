//! A chain's tree as imported from a spreadsheet: one row per node, naming its parent by name
//! (empty for a node directly under the chain). Names identify nodes, so they must be unique
//! within the chain.

use super::{NodeKind, Segment};
use serde::Serialize;
use std::collections::HashMap;

pub const COLUMN_NAME: &str = "节点名称";
pub const COLUMN_PARENT: &str = "上级节点";
pub const COLUMN_KIND: &str = "节点类型";
pub const COLUMN_SEGMENT: &str = "环节位置";

/// One node as read from the sheet; `row` is the spreadsheet row number shown in messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeRow {
    pub row: usize,
    pub name: String,
    /// Empty: the node sits directly under the chain.
    pub parent: String,
    pub kind: NodeKind,
    pub segment: Option<Segment>,
}

/// One problem in one cell of the sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("第{row}行“{column}”：{message}")]
pub struct TreeError {
    pub row: usize,
    pub column: &'static str,
    pub message: String,
}

impl TreeError {
    fn new(row: usize, column: &'static str, message: impl Into<String>) -> TreeError {
        TreeError { row, column, message: message.into() }
    }
}

/// Reads one row's cells (names trimmed); the type must be 子链/环节 (or its key), the position
/// 上游/中游/下游 or empty. Every problem of the row is reported.
pub fn parse_row(row: usize, name: &str, parent: &str, kind: &str, segment: &str) -> Result<NodeRow, Vec<TreeError>> {
    let mut errors = Vec::new();
    let kind_text = kind.trim();
    let kind = NodeKind::parse(kind_text);
    if kind.is_none() {
        let message = if kind_text.is_empty() {
            "须填写节点类型（子链或环节）".to_string()
        } else {
            format!("节点类型“{kind_text}”无效，应为子链或环节")
        };
        errors.push(TreeError::new(row, COLUMN_KIND, message));
    }
    let segment_text = segment.trim();
    let segment = Segment::parse(segment_text);
    if segment.is_none() && !segment_text.is_empty() {
        errors.push(TreeError::new(row, COLUMN_SEGMENT, format!("环节位置“{segment_text}”无效，应为上游、中游或下游")));
    }
    match kind {
        Some(kind) if errors.is_empty() => {
            Ok(NodeRow { row, name: name.trim().to_string(), parent: parent.trim().to_string(), kind, segment })
        }
        _ => Err(errors),
    }
}

/// Checks a whole chain tree and returns every problem (empty when the tree is fine), in row
/// order: names are non-empty and unique; a non-empty parent names another row, which must be
/// a sub-chain (links are leaves); parents form no cycle; every link has a segment (a sub-chain
/// may have one or not).
pub fn validate_tree(rows: &[NodeRow]) -> Vec<TreeError> {
    let first_by_name = first_index_by_name(rows);
    let parents = parent_indices(rows, &first_by_name);
    let in_cycle = cycle_members(&parents);
    let mut errors = Vec::new();
    for (index, row) in rows.iter().enumerate() {
        let name = row.name.trim();
        if name.is_empty() {
            errors.push(TreeError::new(row.row, COLUMN_NAME, "节点名称不能为空"));
        } else if let Some(&first) = first_by_name.get(name).filter(|&&first| first != index) {
            errors.push(TreeError::new(
                row.row,
                COLUMN_NAME,
                format!("节点名称“{name}”与第{}行重复，同一产业链内节点名称须唯一", rows[first].row),
            ));
        }
        let parent_name = row.parent.trim();
        match parents[index] {
            None if !parent_name.is_empty() => {
                errors.push(TreeError::new(row.row, COLUMN_PARENT, format!("上级节点“{parent_name}”不存在")));
            }
            None => {}
            Some(parent) if parent == index => {
                errors.push(TreeError::new(row.row, COLUMN_PARENT, "上级节点不能是节点自身"));
            }
            Some(parent) => {
                if rows[parent].kind == NodeKind::Link {
                    errors.push(TreeError::new(
                        row.row,
                        COLUMN_PARENT,
                        format!("上级节点“{parent_name}”是环节，环节下不能再有节点，上级须为子链"),
                    ));
                }
                if in_cycle[index] {
                    errors.push(TreeError::new(
                        row.row,
                        COLUMN_PARENT,
                        format!("上级节点形成循环：{}", cycle_text(rows, &parents, index)),
                    ));
                }
            }
        }
        if row.kind == NodeKind::Link && row.segment.is_none() {
            errors.push(TreeError::new(row.row, COLUMN_SEGMENT, "环节须填写环节位置（上游、中游或下游）"));
        }
    }
    errors
}

/// Indices of `rows` with every parent before its children, so that rows can be inserted in
/// this order. Rows already in such an order keep it; a parent found after its child moves to
/// just before that child. Defined for valid trees; for invalid ones every row still appears
/// exactly once.
pub fn ordered(rows: &[NodeRow]) -> Vec<usize> {
    let parents = parent_indices(rows, &first_index_by_name(rows));
    let mut emitted = vec![false; rows.len()];
    let mut order = Vec::with_capacity(rows.len());
    for start in 0..rows.len() {
        // The row and its ancestors not yet emitted, nearest first; `contains` stops at a cycle.
        let mut pending = Vec::new();
        let mut current = Some(start);
        while let Some(index) = current {
            if emitted[index] || pending.contains(&index) {
                break;
            }
            pending.push(index);
            current = parents[index];
        }
        for &index in pending.iter().rev() {
            emitted[index] = true;
            order.push(index);
        }
    }
    order
}

/// The first row carrying each non-empty name: a duplicate is reported, and references resolve
/// to the first.
fn first_index_by_name(rows: &[NodeRow]) -> HashMap<&str, usize> {
    let mut first = HashMap::new();
    for (index, row) in rows.iter().enumerate() {
        let name = row.name.trim();
        if !name.is_empty() {
            first.entry(name).or_insert(index);
        }
    }
    first
}

fn parent_indices(rows: &[NodeRow], first_by_name: &HashMap<&str, usize>) -> Vec<Option<usize>> {
    rows.iter().map(|row| first_by_name.get(row.parent.trim()).copied()).collect()
}

/// Which rows lie on a cycle of parents. Each row has one parent, so walking up from every
/// unvisited row either ends, joins an earlier walk, or meets itself.
fn cycle_members(parents: &[Option<usize>]) -> Vec<bool> {
    const NEW: u8 = 0;
    const ON_PATH: u8 = 1;
    const DONE: u8 = 2;
    let mut state = vec![NEW; parents.len()];
    let mut in_cycle = vec![false; parents.len()];
    for start in 0..parents.len() {
        let mut path = Vec::new();
        let mut current = Some(start);
        while let Some(index) = current {
            if state[index] == ON_PATH {
                if let Some(position) = path.iter().position(|&on_path| on_path == index) {
                    for &member in &path[position..] {
                        in_cycle[member] = true;
                    }
                }
            }
            if state[index] != NEW {
                break;
            }
            state[index] = ON_PATH;
            path.push(index);
            current = parents[index];
        }
        for index in path {
            state[index] = DONE;
        }
    }
    in_cycle
}

/// "甲 → 乙 → 甲", starting at `start`, which must lie on a cycle.
fn cycle_text(rows: &[NodeRow], parents: &[Option<usize>], start: usize) -> String {
    let mut names = vec![rows[start].name.trim()];
    let mut current = parents[start];
    while let Some(index) = current {
        names.push(rows[index].name.trim());
        if index == start {
            break;
        }
        current = parents[index];
    }
    names.join(" → ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(row: usize, name: &str, parent: &str, kind: NodeKind, segment: Option<Segment>) -> NodeRow {
        NodeRow { row, name: name.to_string(), parent: parent.to_string(), kind, segment }
    }

    fn sub(row_number: usize, name: &str, parent: &str) -> NodeRow {
        row(row_number, name, parent, NodeKind::SubChain, None)
    }

    fn link(row_number: usize, name: &str, parent: &str, segment: Segment) -> NodeRow {
        row(row_number, name, parent, NodeKind::Link, Some(segment))
    }

    fn problems(errors: &[TreeError]) -> Vec<(usize, &'static str)> {
        errors.iter().map(|e| (e.row, e.column)).collect()
    }

    fn valid_chain() -> Vec<NodeRow> {
        vec![
            sub(2, "新能源", ""),
            row(3, "光伏", "新能源", NodeKind::SubChain, Some(Segment::Midstream)),
            link(4, "多晶硅", "光伏", Segment::Upstream),
            link(5, "电池片", "光伏", Segment::Midstream),
            link(6, "电站运营", "新能源", Segment::Downstream),
            link(7, "储能", "", Segment::Downstream),
        ]
    }

    #[test]
    fn a_valid_tree_has_no_errors() {
        assert!(validate_tree(&valid_chain()).is_empty());
        assert!(validate_tree(&[]).is_empty());
    }

    #[test]
    fn rows_parse_kind_and_segment_and_report_both_problems() {
        let parsed = parse_row(3, " 光伏 ", " 新能源 ", "子链", "").unwrap();
        assert_eq!(parsed, sub(3, "光伏", "新能源"));
        let parsed = parse_row(4, "多晶硅", "光伏", "link", " 上游").unwrap();
        assert_eq!(parsed, link(4, "多晶硅", "光伏", Segment::Upstream));
        let errors = parse_row(5, "甲", "", "链条", "旁路").unwrap_err();
        assert_eq!(problems(&errors), [(5, COLUMN_KIND), (5, COLUMN_SEGMENT)]);
        assert!(errors[0].message.contains("链条"));
        assert!(errors[1].message.contains("旁路"));
        let errors = parse_row(6, "乙", "", " ", "").unwrap_err();
        assert_eq!(errors[0].message, "须填写节点类型（子链或环节）");
        assert_eq!(errors[0].to_string(), "第6行“节点类型”：须填写节点类型（子链或环节）");
    }

    #[test]
    fn empty_and_duplicate_names_are_reported() {
        let rows = vec![sub(2, "新能源", ""), sub(3, " ", ""), sub(4, "新能源", "")];
        let errors = validate_tree(&rows);
        assert_eq!(problems(&errors), [(3, COLUMN_NAME), (4, COLUMN_NAME)]);
        assert_eq!(errors[0].message, "节点名称不能为空");
        assert!(errors[1].message.contains("第2行重复"));
    }

    #[test]
    fn parents_must_exist_and_be_sub_chains() {
        let rows = vec![
            link(2, "多晶硅", "", Segment::Upstream),
            link(3, "硅片", "多晶硅", Segment::Upstream),
            link(4, "电池片", "光伏", Segment::Midstream),
        ];
        let errors = validate_tree(&rows);
        assert_eq!(problems(&errors), [(3, COLUMN_PARENT), (4, COLUMN_PARENT)]);
        assert!(errors[0].message.contains("是环节"));
        assert_eq!(errors[1].message, "上级节点“光伏”不存在");
    }

    #[test]
    fn cycles_are_reported_on_every_row_of_the_cycle() {
        let rows =
            vec![sub(2, "甲", "丙"), sub(3, "乙", "甲"), sub(4, "丙", "乙"), sub(5, "丁", "甲"), sub(6, "戊", "戊")];
        let errors = validate_tree(&rows);
        assert_eq!(problems(&errors), [(2, COLUMN_PARENT), (3, COLUMN_PARENT), (4, COLUMN_PARENT), (6, COLUMN_PARENT)]);
        assert_eq!(errors[0].message, "上级节点形成循环：甲 → 丙 → 乙 → 甲");
        assert_eq!(errors[1].message, "上级节点形成循环：乙 → 甲 → 丙 → 乙");
        assert_eq!(errors[3].message, "上级节点不能是节点自身");
    }

    #[test]
    fn links_need_a_segment_and_sub_chains_do_not() {
        let rows = vec![sub(2, "新能源", ""), row(3, "储能", "新能源", NodeKind::Link, None)];
        let errors = validate_tree(&rows);
        assert_eq!(problems(&errors), [(3, COLUMN_SEGMENT)]);
    }

    #[test]
    fn every_problem_is_reported_not_only_the_first() {
        let rows = vec![
            row(2, "", "无此节点", NodeKind::Link, None),
            link(3, "储能", "", Segment::Downstream),
            row(4, "储能", "储能", NodeKind::Link, None),
        ];
        let errors = validate_tree(&rows);
        assert_eq!(
            problems(&errors),
            [
                (2, COLUMN_NAME),
                (2, COLUMN_PARENT),
                (2, COLUMN_SEGMENT),
                (4, COLUMN_NAME),
                (4, COLUMN_PARENT),
                (4, COLUMN_SEGMENT)
            ]
        );
    }

    #[test]
    fn ordering_keeps_file_order_when_parents_come_first() {
        assert_eq!(ordered(&valid_chain()), [0, 1, 2, 3, 4, 5]);
    }

    #[test]
    fn ordering_moves_late_parents_before_their_first_child() {
        let rows = vec![
            link(2, "多晶硅", "光伏", Segment::Upstream),
            link(3, "储能", "", Segment::Downstream),
            link(4, "电池片", "光伏", Segment::Midstream),
            sub(5, "光伏", "新能源"),
            sub(6, "新能源", ""),
        ];
        assert!(validate_tree(&rows).is_empty());
        let order = ordered(&rows);
        assert_eq!(order, [4, 3, 0, 1, 2]);
        for (position, &index) in order.iter().enumerate() {
            if let Some(parent) = rows.iter().position(|r| r.name == rows[index].parent) {
                assert!(order[..position].contains(&parent));
            }
        }
    }

    #[test]
    fn ordering_terminates_on_invalid_trees() {
        let rows = vec![sub(2, "甲", "乙"), sub(3, "乙", "甲"), sub(4, "丙", "丙")];
        let mut order = ordered(&rows);
        order.sort();
        assert_eq!(order, [0, 1, 2]);
    }
}
