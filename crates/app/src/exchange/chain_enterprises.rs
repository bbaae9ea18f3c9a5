//! Importing the enterprises on chain links (产业链企业): chain and link by name, the
//! enterprise by 统一社会信用代码, its role there (生产, 配套 or 采购; 生产 when empty).
//! A row of an enterprise already on the link sets its role.

use super::chains::{out_of_scope, StoredChain};
use super::{Context, ImportKind, ImportReport, RowProblems};
use crate::AppResult;
use std::collections::HashMap;
use zhaoshang_core::chains::{LinkRole, NodeKind};
use zhaoshang_core::credit_code;

const KIND: ImportKind = ImportKind::ChainEnterprises;

pub(super) async fn import(ctx: &Context<'_>, report: &mut ImportReport) -> AppResult<()> {
    let cols = ctx.cols;
    let mut chains: HashMap<&str, Option<StoredChain>> = HashMap::new();
    // (node id, enterprise id) to the stored role.
    let mut attached: HashMap<(i64, i64), String> = HashMap::new();
    for row in &ctx.sheet.rows {
        let name = cols.text(row, "chain");
        if !name.is_empty() && !chains.contains_key(name) {
            let stored = StoredChain::load(ctx.store, name).await?;
            if let Some(stored) = &stored {
                for on_link in ctx.store.chain_enterprises(stored.chain.id, "").await? {
                    attached.insert((on_link.node_id, on_link.enterprise_id), on_link.role);
                }
            }
            chains.insert(name, stored);
        }
    }
    let enterprises: HashMap<String, i64> = ctx
        .store
        .enterprises_by_codes(&ctx.credit_codes())
        .await?
        .into_iter()
        .map(|e| (e.data.credit_code, e.id))
        .collect();

    let mut first_row_of: HashMap<(i64, i64), usize> = HashMap::new();
    let mut links = Vec::new();
    for row in &ctx.sheet.rows {
        let mut p = RowProblems::new(KIND, row.number, report);
        let chain_name = cols.text(row, "chain");
        let node_name = cols.text(row, "node");
        let node = match chains.get(chain_name) {
            _ if chain_name.is_empty() => {
                p.add("chain", "产业链不能为空");
                None
            }
            Some(Some(stored)) => {
                if let Some(message) = out_of_scope(ctx.scope, &stored.chain) {
                    p.add("chain", message);
                }
                match stored.node(node_name) {
                    Some(node) if node.kind == NodeKind::Link.key() => Some(node.id),
                    Some(_) => {
                        p.add("node", format!("“{node_name}”是子链，企业须挂在其下的环节上"));
                        None
                    }
                    None if node_name.is_empty() => {
                        p.add("node", "节点名称不能为空");
                        None
                    }
                    None => {
                        p.add("node", format!("产业链“{chain_name}”中没有环节“{node_name}”"));
                        None
                    }
                }
            }
            _ => {
                p.add("chain", format!("产业链“{chain_name}”不存在，请先导入产业链"));
                None
            }
        };
        let code_text = cols.text(row, "credit_code");
        let enterprise = match credit_code::parse(code_text) {
            Ok(code) => match enterprises.get(code.as_str()) {
                Some(&id) => Some(id),
                None => {
                    p.add("credit_code", format!("统一社会信用代码“{code_text}”不在企业库中，请先导入企业"));
                    None
                }
            },
            Err(_) if code_text.is_empty() => {
                p.add("credit_code", "统一社会信用代码不能为空");
                None
            }
            Err(error) => {
                p.add("credit_code", format!("统一社会信用代码“{code_text}”{error}"));
                None
            }
        };
        let role = match cols.text(row, "role") {
            "" => Some(LinkRole::Producer),
            text => LinkRole::parse(text).or_else(|| {
                p.add("role", format!("角色“{text}”无效，应为生产、配套或采购"));
                None
            }),
        };
        let (Some(node), Some(enterprise), Some(role)) = (node, enterprise, role) else {
            continue;
        };
        let first = *first_row_of.entry((node, enterprise)).or_insert(row.number);
        if first != row.number {
            p.add("credit_code", format!("该企业在此环节上已见于第{first}行"));
        }
        if p.any() {
            continue;
        }
        match attached.get(&(node, enterprise)) {
            None => report.created += 1,
            Some(before) if before == role.key() => report.unchanged += 1,
            Some(_) => report.updated += 1,
        }
        links.push((node, enterprise, role.key().to_string()));
    }
    if ctx.may_write(report) {
        ctx.store.attach_enterprises(&links, ctx.actor).await?;
        report.applied = true;
    }
    Ok(())
}
