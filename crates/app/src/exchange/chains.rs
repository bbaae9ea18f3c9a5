//! Importing industrial chains (产业链): one row per node (子链 or 环节) naming its parent,
//! chains by name and nodes by (chain, node name). The chain's own columns (region,
//! lead department, chief, chain-leader enterprises) may be given on any row of the
//! chain; the first filled cell counts and a different filled cell elsewhere is a bad cell.
//!
//! As for enterprises, a column absent from the file keeps the stored value; a present
//! but empty cell clears it.

use super::columns::header_of;
use super::table::SheetRow;
use super::values::{IndustryIndex, RegionIndex};
use super::{Context, ImportKind, ImportReport, ImportScope, RowProblems};
use crate::AppResult;
use std::collections::{HashMap, HashSet};
use zhaoshang_core::chains::tree::{ordered, parse_row, validate_tree, NodeRow, COLUMN_KIND};
use zhaoshang_core::chains::{products_text, NodeKind, Segment};
use zhaoshang_core::credit_code;
use zhaoshang_store::chains::{Chain, ChainData, ChainImport, ChainNode, ChainNodeData};
use zhaoshang_store::enterprises::{EnterpriseFilter, EnterpriseSort};
use zhaoshang_store::Store;

const KIND: ImportKind = ImportKind::Chains;

/// A stored chain with its nodes, as both chain imports compare against it.
pub(super) struct StoredChain {
    pub(super) chain: Chain,
    pub(super) nodes: Vec<ChainNode>,
}

impl StoredChain {
    pub(super) async fn load(store: &Store, name: &str) -> AppResult<Option<StoredChain>> {
        let Some(chain) = store.chain_by_name(name).await? else {
            return Ok(None);
        };
        let nodes = store.chain_nodes(chain.id).await?;
        Ok(Some(StoredChain { chain, nodes }))
    }

    pub(super) fn node(&self, name: &str) -> Option<&ChainNode> {
        self.nodes.iter().find(|node| node.name == name)
    }

    /// A node as the import describes it: the parent by name.
    fn node_data(&self, node: &ChainNode) -> ChainNodeData {
        let parent = node.parent_id.and_then(|id| self.nodes.iter().find(|n| n.id == id));
        ChainNodeData {
            name: node.name.clone(),
            parent: parent.map(|p| p.name.clone()).unwrap_or_default(),
            kind: node.kind.clone(),
            segment: node.segment.clone(),
            industry: node.industry.clone(),
            products: node.products.clone(),
        }
    }
}

/// The problem of a chain that belongs to a region outside the user's scope, if any.
pub(super) fn out_of_scope(scope: &ImportScope, chain: &Chain) -> Option<String> {
    (!scope.allows_chain(chain)).then(|| match scope {
        ImportScope::Chains(_) => format!("产业链“{}”不由您的部门牵头，无权修改", chain.data.name),
        _ => format!("产业链“{}”属于其他地区（{}），无权修改", chain.data.name, chain.data.region_code),
    })
}

pub(super) async fn import(ctx: &Context<'_>, report: &mut ImportReport) -> AppResult<()> {
    let cols = ctx.cols;
    let mut groups: Vec<(&str, Vec<&SheetRow>)> = Vec::new();
    for row in &ctx.sheet.rows {
        match cols.text(row, "chain") {
            "" => RowProblems::new(KIND, row.number, report).add("chain", "产业链不能为空"),
            name => match groups.iter_mut().find(|(group, _)| *group == name) {
                Some((_, rows)) => rows.push(row),
                None => groups.push((name, vec![row])),
            },
        }
    }
    let lookups = Lookups {
        regions: RegionIndex::new(ctx.store.all_regions().await?),
        industries: if cols.has("industry") { Some(IndustryIndex::new(ctx.store.industries().await?)) } else { None },
        leaders: LeaderIndex::new(ctx).await?,
        scope: ctx.scope,
    };
    let mut imports = Vec::new();
    for (name, rows) in groups {
        let stored = StoredChain::load(ctx.store, name).await?;
        let leaders = match &stored {
            Some(stored) => {
                ctx.store.chain_leaders(stored.chain.id).await?.into_iter().map(|e| e.credit_code).collect()
            }
            None => Vec::new(),
        };
        let check = ChainCheck { name, rows: &rows, stored: stored.as_ref(), stored_leaders: leaders };
        imports.push(check.run(ctx, &lookups, report));
    }
    if ctx.may_write(report) {
        ctx.store.import_chains(&imports, ctx.actor).await?;
        report.applied = true;
    }
    Ok(())
}

struct Lookups<'a> {
    regions: RegionIndex,
    industries: Option<IndustryIndex>,
    leaders: LeaderIndex,
    scope: &'a ImportScope,
}

/// Splits a list cell at 、 or ; (either width).
fn items(cell: &str) -> impl Iterator<Item = &str> {
    cell.split(['、', ';', '；']).map(str::trim).filter(|item| !item.is_empty())
}

/// The enterprises the 链主企业 cells name: by credit code, or by exact name.
struct LeaderIndex {
    known_codes: HashSet<String>,
    /// Exact names to the credit codes of the enterprises bearing them.
    by_name: HashMap<String, Vec<String>>,
}

/// Enterprises read per name looked up (a name shared by more is reported as ambiguous anyway).
const SAME_NAME_LIMIT: i64 = 20;

impl LeaderIndex {
    async fn new(ctx: &Context<'_>) -> AppResult<LeaderIndex> {
        let mut codes = Vec::new();
        let mut names = HashSet::new();
        for row in &ctx.sheet.rows {
            for item in items(ctx.cols.text(row, "leaders")) {
                match credit_code::parse(item) {
                    Ok(code) => codes.push(code.to_string()),
                    Err(_) => {
                        names.insert(item.to_string());
                    }
                }
            }
        }
        let known_codes =
            ctx.store.enterprises_by_codes(&codes).await?.into_iter().map(|e| e.data.credit_code).collect();
        let mut by_name = HashMap::new();
        for name in names {
            let filter = EnterpriseFilter { keyword: Some(name.clone()), ..Default::default() };
            let found = ctx.store.list_enterprises(&filter, EnterpriseSort::Name, SAME_NAME_LIMIT, 0).await?;
            let codes = found.into_iter().filter(|e| e.data.name == name).map(|e| e.data.credit_code).collect();
            by_name.insert(name, codes);
        }
        Ok(LeaderIndex { known_codes, by_name })
    }

    /// The credit codes of a cell's enterprises, in the cell's order, each once.
    fn resolve(&self, cell: &str) -> Result<Vec<String>, String> {
        let mut codes: Vec<String> = Vec::new();
        let mut errors = Vec::new();
        for item in items(cell) {
            let code = match credit_code::parse(item) {
                Ok(code) if self.known_codes.contains(code.as_str()) => Ok(code.to_string()),
                Ok(_) => Err(format!("统一社会信用代码“{item}”不在企业库中")),
                Err(_) => match self.by_name.get(item).map(Vec::as_slice) {
                    Some([code]) => Ok(code.clone()),
                    Some([]) | None => Err(format!("企业“{item}”不在企业库中，请先导入企业或填写统一社会信用代码")),
                    Some(_) => Err(format!("企业名称“{item}”对应多家企业，请改填统一社会信用代码")),
                },
            };
            match code {
                Ok(code) if !codes.contains(&code) => codes.push(code),
                Ok(_) => {}
                Err(message) => errors.push(message),
            }
        }
        if errors.is_empty() {
            Ok(codes)
        } else {
            Err(errors.join("；"))
        }
    }
}

/// A node row's cells as they count.
struct FileNode {
    row: usize,
    name: String,
    parent: String,
    kind: Option<String>,
    segment: String,
    products: String,
}

/// The rows of one chain in the file, and what is stored of it.
struct ChainCheck<'a> {
    name: &'a str,
    rows: &'a [&'a SheetRow],
    stored: Option<&'a StoredChain>,
    stored_leaders: Vec<String>,
}

impl ChainCheck<'_> {
    /// The chain's value of a chain-level column: `None` when the column is absent, the
    /// empty text when every cell is empty, else the first filled cell (with its row).
    /// A different filled cell further down is reported.
    fn chain_cell(&self, ctx: &Context<'_>, key: &'static str, report: &mut ImportReport) -> Option<(usize, String)> {
        if !ctx.cols.has(key) {
            return None;
        }
        let mut first: Option<(usize, &str)> = None;
        for row in self.rows {
            let text = ctx.cols.text(row, key);
            match first {
                _ if text.is_empty() => {}
                None => first = Some((row.number, text)),
                Some((first_row, value)) if value != text => RowProblems::new(KIND, row.number, report).add(
                    key,
                    format!("与第{first_row}行的“{value}”不一致：同一产业链的{}只能填一个值", header_of(KIND, key)),
                ),
                Some(_) => {}
            }
        }
        Some(first.map_or((self.rows[0].number, String::new()), |(row, text)| (row, text.to_string())))
    }

    /// Checks the chain's rows and returns what to store (meaningful only when no row of the
    /// file has a problem); counts its rows as created, updated or unchanged.
    fn run(&self, ctx: &Context<'_>, lookups: &Lookups, report: &mut ImportReport) -> ChainImport {
        let first_row = self.rows[0].number;
        let stored_data = self.stored.map(|stored| &stored.chain.data);
        let mut chain = stored_data.cloned().unwrap_or_default();
        chain.name = self.name.to_string();

        match self.chain_cell(ctx, "region", report) {
            Some((row, text)) if !text.is_empty() => match lookups.regions.resolve(&text) {
                Ok(code) => chain.region_code = code,
                Err(message) => RowProblems::new(KIND, row, report).add("region", message),
            },
            _ if self.stored.is_none() => {
                RowProblems::new(KIND, first_row, report).add("region", "新建产业链须填写所属地区")
            }
            _ => {}
        }
        let scope = lookups.scope;
        if let Some(message) = self.stored.and_then(|stored| out_of_scope(scope, &stored.chain)) {
            RowProblems::new(KIND, first_row, report).add("chain", message);
        } else if self.stored.is_none() && matches!(scope, ImportScope::Chains(_)) {
            let message = "链长牵头部门只能修改本部门牵头的产业链；新建产业链请由所属地区或管理员办理";
            RowProblems::new(KIND, first_row, report).add("chain", message);
        } else if !chain.region_code.is_empty() && !scope.allows(&chain.region_code) {
            let message = format!("所属地区“{}”不在您的管辖范围（{}）内", chain.region_code, scope.describe());
            RowProblems::new(KIND, first_row, report).add("region", message);
        }
        if let Some((_, text)) = self.chain_cell(ctx, "lead_department", report) {
            chain.lead_department = text;
        }
        if let Some((_, text)) = self.chain_cell(ctx, "chief", report) {
            chain.chief = text;
        }
        let leaders = match self.chain_cell(ctx, "leaders", report) {
            Some((row, text)) => lookups.leaders.resolve(&text).unwrap_or_else(|message| {
                RowProblems::new(KIND, row, report).add("leaders", message);
                Vec::new()
            }),
            None => self.stored_leaders.clone(),
        };

        let nodes = self.nodes(ctx, lookups, report);
        self.count(&chain, &leaders, &nodes, report);
        ChainImport { chain, nodes, leaders }
    }

    /// The file's nodes, checked as one tree with the stored nodes the file leaves out,
    /// parents first.
    fn nodes(&self, ctx: &Context<'_>, lookups: &Lookups, report: &mut ImportReport) -> Vec<ChainNodeData> {
        let cols = ctx.cols;
        let stored_node = |name: &str| self.stored.and_then(|stored| stored.node(name).map(|n| stored.node_data(n)));
        // The cells as they count: an absent column keeps the stored node's value; `kind` is
        // `None` when it is to be inferred.
        let cells: Vec<FileNode> = self
            .rows
            .iter()
            .map(|row| {
                let name = cols.text(row, "node");
                let before = stored_node(name);
                let kept = |key: &str, stored: Option<String>| match cols.cell(row, key) {
                    Some(text) => text.to_string(),
                    None => stored.unwrap_or_default(),
                };
                let kind = match cols.cell(row, "kind") {
                    Some("") => None,
                    Some(text) => Some(text.to_string()),
                    None => before.as_ref().map(|before| before.kind.clone()),
                };
                FileNode {
                    row: row.number,
                    parent: kept("parent", before.as_ref().map(|b| b.parent.clone())),
                    segment: kept("segment", before.as_ref().and_then(|b| b.segment.clone())),
                    products: products_text(&kept("products", before.as_ref().map(|b| b.products.clone()))),
                    name: name.to_string(),
                    kind,
                }
            })
            .collect();
        let in_file: HashSet<&str> = cells.iter().map(|node| node.name.as_str()).collect();
        let left_out: Vec<NodeRow> = self
            .stored
            .map(|stored| {
                stored
                    .nodes
                    .iter()
                    .filter(|node| !in_file.contains(node.name.as_str()))
                    .map(|node| {
                        let data = stored.node_data(node);
                        NodeRow {
                            // Row 0: not in the file.
                            row: 0,
                            name: data.name,
                            parent: data.parent,
                            kind: NodeKind::parse(&data.kind).unwrap_or(NodeKind::Link),
                            segment: data.segment.as_deref().and_then(Segment::parse),
                        }
                    })
                    .collect()
            })
            .unwrap_or_default();
        let parents: HashSet<&str> =
            cells.iter().map(|node| node.parent.trim()).chain(left_out.iter().map(|row| row.parent.as_str())).collect();

        let mut tree: Vec<NodeRow> = Vec::with_capacity(cells.len() + left_out.len());
        let mut industries = Vec::with_capacity(cells.len());
        for (node, row) in cells.iter().zip(self.rows) {
            // No type given: a node with nodes below it is a sub-chain, else a link.
            let inferred = if parents.contains(node.name.trim()) { NodeKind::SubChain } else { NodeKind::Link };
            let kind = node.kind.as_deref().unwrap_or(inferred.label());
            let parsed = parse_row(node.row, &node.name, &node.parent, kind, &node.segment).unwrap_or_else(|errors| {
                for error in errors {
                    report.problem(error.row, error.column, error.message);
                }
                // Checked on as a sub-chain, so that its children raise no further problems.
                NodeRow {
                    row: node.row,
                    name: node.name.trim().to_string(),
                    parent: node.parent.trim().to_string(),
                    kind: NodeKind::SubChain,
                    segment: None,
                }
            });
            tree.push(parsed);
            industries.push(self.industry(ctx, row, lookups, report));
        }
        let file_rows = tree.len();
        tree.extend(left_out);
        for error in validate_tree(&tree) {
            // Stored nodes are a valid tree: their problems come from file rows, reported there.
            if error.row > 0 {
                report.problem(error.row, error.column, error.message);
            }
        }
        for node in tree[..file_rows].iter().filter(|node| node.kind == NodeKind::Link) {
            if let Some(child) = tree[file_rows..].iter().find(|child| child.parent == node.name) {
                let message = format!("“{}”下已有节点“{}”，不能改为环节", node.name, child.name);
                report.problem(node.row, COLUMN_KIND, message);
            }
        }
        ordered(&tree)
            .into_iter()
            .filter(|&index| index < file_rows)
            .map(|index| {
                let node = &tree[index];
                ChainNodeData {
                    name: node.name.clone(),
                    parent: node.parent.clone(),
                    kind: node.kind.key().to_string(),
                    segment: node.segment.map(|segment| segment.key().to_string()),
                    industry: industries[index].clone(),
                    products: cells[index].products.clone(),
                }
            })
            .collect()
    }

    /// The node's GB/T 4754 divisions: the cell's, or the stored ones when the column is absent.
    fn industry(&self, ctx: &Context<'_>, row: &SheetRow, lookups: &Lookups, report: &mut ImportReport) -> String {
        match (ctx.cols.cell(row, "industry"), &lookups.industries) {
            (Some(""), _) => String::new(),
            (Some(text), Some(industries)) => industries.resolve_list(text).unwrap_or_else(|message| {
                RowProblems::new(KIND, row.number, report).add("industry", message);
                String::new()
            }),
            _ => self
                .stored
                .and_then(|stored| stored.node(ctx.cols.text(row, "node")))
                .map(|node| node.industry.clone())
                .unwrap_or_default(),
        }
    }

    /// Rows of new nodes are created, of changed nodes updated; a change of the chain's own
    /// columns counts on its first row.
    fn count(&self, chain: &ChainData, leaders: &[String], nodes: &[ChainNodeData], report: &mut ImportReport) {
        let Some(stored) = self.stored else {
            report.created += nodes.len();
            return;
        };
        let sorted = |codes: &[String]| {
            let mut codes = codes.to_vec();
            codes.sort();
            codes
        };
        let mut chain_changed = stored.chain.data != *chain || sorted(leaders) != sorted(&self.stored_leaders);
        for node in nodes {
            match stored.node(&node.name).map(|before| stored.node_data(before)) {
                None => report.created += 1,
                Some(before) if before == *node && !chain_changed => report.unchanged += 1,
                Some(_) => report.updated += 1,
            }
            chain_changed = false;
        }
    }
}
