//! Defining chains in the browser: the chain's own fields, its sub-chains and links,
//! and the enterprises on its links. Each form is saved as a one-row `chains` or
//! `chain_enterprises` import, so the browser obeys exactly the rules files do.

use crate::auth::{PageSession, Session};
use crate::error::{WebError, WebResult};
use crate::pages::projects::{field_errors, import_form_row};
use crate::templates::page;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Form;
use minijinja::context;
use serde::Deserialize;
use std::collections::HashMap;
use zhaoshang_app::exchange::{columns, ImportKind};
use zhaoshang_app::stats::known_region;
use zhaoshang_core::chains::{LinkRole, NodeKind, Segment};
use zhaoshang_core::regions::RegionCode;
use zhaoshang_store::chains::{Chain, ChainNode};

/// Whether the signed-in user may edit the chain (its region, and for a chain
/// department whether the chain is its own).
async fn may_edit(state: &AppState, session: &Session, chain: &Chain) -> WebResult<bool> {
    let region = RegionCode::parse(&chain.data.region_code).map_err(|e| WebError::internal(e.to_string()))?;
    let own = state.store.user_chain_ids(session.principal.user_id).await?.contains(&chain.id);
    Ok(session.principal.may_edit_chain(&region, own))
}

async fn editable_chain(state: &AppState, session: &Session, id: i64) -> WebResult<Chain> {
    let chain = state.store.chain(id).await?.ok_or_else(|| WebError::not_found("产业链"))?;
    if !may_edit(state, session, &chain).await? {
        return Err(WebError::forbidden());
    }
    Ok(chain)
}

/// The chain's fields as the import names them, with the first node (a chain-level
/// change is written as that node's row, unchanged).
fn chain_values(chain: &Chain, first: Option<&ChainNode>, leaders: &[String]) -> HashMap<String, String> {
    let mut values: HashMap<String, String> = [
        ("chain", chain.data.name.clone()),
        ("region", chain.data.region_code.clone()),
        ("lead_department", chain.data.lead_department.clone()),
        ("chief", chain.data.chief.clone()),
        ("leaders", leaders.join("、")),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    if let Some(node) = first {
        values.extend(node_values(node, &[]));
    }
    values
}

/// A node's row: parent by name, kind and segment by label.
fn node_values(node: &ChainNode, nodes: &[ChainNode]) -> HashMap<String, String> {
    let parent = node.parent_id.and_then(|id| nodes.iter().find(|n| n.id == id)).map(|n| n.name.clone());
    [
        ("node", node.name.clone()),
        ("parent", parent.unwrap_or_default()),
        ("kind", NodeKind::parse(&node.kind).map(|k| k.label().to_string()).unwrap_or_default()),
        (
            "segment",
            node.segment.as_deref().and_then(Segment::parse).map(|s| s.label().to_string()).unwrap_or_default(),
        ),
        ("industry", node.industry.clone()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

#[derive(Default)]
struct FormState {
    chain_values: HashMap<String, String>,
    chain_errors: HashMap<String, String>,
    node_values: HashMap<String, String>,
    node_errors: HashMap<String, String>,
    enterprise_values: HashMap<String, String>,
    enterprise_errors: HashMap<String, String>,
}

fn fields(
    kind: ImportKind,
    keys: &[&str],
    values: &HashMap<String, String>,
    errors: &HashMap<String, String>,
) -> Vec<minijinja::Value> {
    columns(kind)
        .iter()
        .filter(|c| keys.contains(&c.key))
        .map(|c| {
            context! { key => c.key, label => c.header, note => c.note, required => c.required,
            value => values.get(c.key).cloned().unwrap_or_default(), error => errors.get(c.key) }
        })
        .collect()
}

const CHAIN_KEYS: [&str; 5] = ["chain", "region", "lead_department", "chief", "leaders"];
const NODE_KEYS: [&str; 5] = ["node", "parent", "kind", "segment", "industry"];

async fn edit_page(
    state: &AppState,
    session: &Session,
    chain: Option<&Chain>,
    form: FormState,
) -> WebResult<Html<String>> {
    let (nodes, attached) = match chain {
        Some(chain) => (state.store.chain_nodes(chain.id).await?, state.store.chain_enterprises(chain.id, "").await?),
        None => (Vec::new(), Vec::new()),
    };
    let name_of = |id: Option<i64>| id.and_then(|id| nodes.iter().find(|n| n.id == id)).map(|n| n.name.clone());
    let node_rows: Vec<_> = nodes
        .iter()
        .map(|n| {
            context! { id => n.id, name => n.name, parent => name_of(n.parent_id), industry => n.industry,
            kind => NodeKind::parse(&n.kind).map(NodeKind::label),
            segment => n.segment.as_deref().and_then(Segment::parse).map(Segment::label) }
        })
        .collect();
    let enterprise_rows: Vec<_> = attached
        .iter()
        .map(|e| {
            context! { node_id => e.node_id, node => name_of(Some(e.node_id)), enterprise_id => e.enterprise_id,
            name => e.name, credit_code => e.credit_code, role => LinkRole::parse(&e.role).map(LinkRole::label) }
        })
        .collect();
    let new_chain_keys = ["chain", "region", "lead_department", "chief", "leaders", "node"];
    let chain_keys: &[&str] = if chain.is_some() { &CHAIN_KEYS } else { &new_chain_keys };
    page(
        session,
        "/chains",
        "chain_form.html",
        context! {
            chain => chain, csrf => session.csrf_token,
            chain_fields => fields(ImportKind::Chains, chain_keys, &form.chain_values, &form.chain_errors),
            chain_error => form.chain_errors.get("form"),
            node_fields => fields(ImportKind::Chains, &NODE_KEYS, &form.node_values, &form.node_errors),
            node_error => form.node_errors.get("form"),
            enterprise_fields => fields(ImportKind::ChainEnterprises, &["node", "credit_code", "role"], &form.enterprise_values, &form.enterprise_errors),
            enterprise_error => form.enterprise_errors.get("form"),
            nodes => node_rows, enterprises => enterprise_rows,
            sub_chains => nodes.iter().filter(|n| n.kind == NodeKind::SubChain.key()).map(|n| n.name.clone()).collect::<Vec<_>>(),
            links => nodes.iter().filter(|n| n.kind == NodeKind::Link.key()).map(|n| n.name.clone()).collect::<Vec<_>>(),
            kinds => NodeKind::ALL.iter().map(|k| k.label()).collect::<Vec<_>>(),
            segments => Segment::ALL.iter().map(|s| s.label()).collect::<Vec<_>>(),
            roles => LinkRole::ALL.iter().map(|r| r.label()).collect::<Vec<_>>(),
        },
    )
}

pub async fn new_form(State(state): State<AppState>, PageSession(session): PageSession) -> WebResult<Html<String>> {
    if !session.principal.edits_records() {
        return Err(WebError::forbidden());
    }
    let mut form = FormState::default();
    if let Some(region) = &session.principal.region {
        form.chain_values.insert("region".into(), region.to_string());
    }
    edit_page(&state, &session, None, form).await
}

#[derive(Deserialize)]
pub struct EditQuery {
    /// A node to change: its row is put into the node form.
    node: Option<i64>,
}

pub async fn edit_form(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Path(id): Path<i64>,
    Query(query): Query<EditQuery>,
) -> WebResult<Html<String>> {
    let chain = editable_chain(&state, &session, id).await?;
    let nodes = state.store.chain_nodes(id).await?;
    let leaders: Vec<String> = state.store.chain_leaders(id).await?.into_iter().map(|e| e.credit_code).collect();
    let mut form = FormState { chain_values: chain_values(&chain, nodes.first(), &leaders), ..Default::default() };
    if let Some(node) = query.node.and_then(|wanted| nodes.iter().find(|n| n.id == wanted)) {
        form.node_values = node_values(node, &nodes);
    }
    edit_page(&state, &session, Some(&chain), form).await
}

/// Saves a form row; the field errors when it is bad.
async fn save_row(
    state: &AppState,
    session: &Session,
    kind: ImportKind,
    fields: &HashMap<String, String>,
) -> WebResult<Option<HashMap<String, String>>> {
    let report = import_form_row(state, session, kind, fields).await?;
    Ok((!report.is_ok()).then(|| field_errors(kind, &report)))
}

/// The edit page again after a bad node or enterprise form, the chain form as stored.
async fn edit_page_with_errors(
    state: &AppState,
    session: &Session,
    chain: &Chain,
    form: impl FnOnce(FormState) -> FormState,
) -> WebResult<Response> {
    let leaders: Vec<String> = state.store.chain_leaders(chain.id).await?.into_iter().map(|e| e.credit_code).collect();
    let nodes = state.store.chain_nodes(chain.id).await?;
    let stored = FormState { chain_values: chain_values(chain, nodes.first(), &leaders), ..Default::default() };
    let html = edit_page(state, session, Some(chain), form(stored)).await?;
    Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
}

fn form_fields(values: &HashMap<String, String>, keys: &[&str]) -> HashMap<String, String> {
    keys.iter().map(|k| (k.to_string(), values.get(*k).map(|v| v.trim().to_string()).unwrap_or_default())).collect()
}

/// Saves the chain's own fields (a new chain with its first sub-chain).
pub async fn save_chain(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Form(values): Form<HashMap<String, String>>,
) -> WebResult<Response> {
    session.check_csrf(values.get("csrf").map(String::as_str).unwrap_or(""))?;
    let name = values.get("chain").map(|n| n.trim().to_string()).unwrap_or_default();
    let existing = state.store.chain_by_name(&name).await?;
    let mut fields = form_fields(&values, &CHAIN_KEYS);
    match &existing {
        Some(chain) => {
            if values.get("id").and_then(|id| id.parse::<i64>().ok()) != Some(chain.id) {
                let errors = HashMap::from([("chain".to_string(), format!("产业链“{name}”已存在"))]);
                let form = FormState { chain_values: values, chain_errors: errors, ..Default::default() };
                return Ok((
                    axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                    edit_page(&state, &session, None, form).await?,
                )
                    .into_response());
            }
            editable_chain(&state, &session, chain.id).await?;
            let nodes = state.store.chain_nodes(chain.id).await?;
            if let Some(first) = nodes.first() {
                fields.extend(node_values(first, &nodes));
            }
        }
        None => {
            let region = known_region(&state.store, fields.get("region").map(String::as_str).unwrap_or("")).await;
            if region.is_ok_and(|region| !session.principal.may_edit_chain(&region, false)) {
                return Err(WebError::forbidden());
            }
            fields.insert("node".into(), values.get("node").map(|n| n.trim().to_string()).unwrap_or_default());
            fields.insert("kind".into(), NodeKind::SubChain.label().into());
        }
    }
    if let Some(errors) = save_row(&state, &session, ImportKind::Chains, &fields).await? {
        let form = FormState { chain_values: values, chain_errors: errors, ..Default::default() };
        let html = edit_page(&state, &session, existing.as_ref(), form).await?;
        return Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, html).into_response());
    }
    let saved = state.store.chain_by_name(&name).await?.ok_or_else(|| WebError::internal("saved chain not found"))?;
    Ok(Redirect::to(&format!("/chains/{}/edit", saved.id)).into_response())
}

/// Adds a sub-chain or link, or changes one of the same name.
pub async fn save_node(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Path(id): Path<i64>,
    Form(values): Form<HashMap<String, String>>,
) -> WebResult<Response> {
    session.check_csrf(values.get("csrf").map(String::as_str).unwrap_or(""))?;
    let chain = editable_chain(&state, &session, id).await?;
    let mut fields = form_fields(&values, &NODE_KEYS);
    fields.insert("chain".into(), chain.data.name.clone());
    if let Some(errors) = save_row(&state, &session, ImportKind::Chains, &fields).await? {
        let form = |stored| FormState { node_values: values, node_errors: errors, ..stored };
        return edit_page_with_errors(&state, &session, &chain, form).await;
    }
    Ok(Redirect::to(&format!("/chains/{id}/edit#nodes")).into_response())
}

/// Puts an enterprise of the library on a link (or changes its role there).
pub async fn attach_enterprise(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Path(id): Path<i64>,
    Form(values): Form<HashMap<String, String>>,
) -> WebResult<Response> {
    session.check_csrf(values.get("csrf").map(String::as_str).unwrap_or(""))?;
    let chain = editable_chain(&state, &session, id).await?;
    let mut fields = form_fields(&values, &["node", "credit_code", "role"]);
    fields.insert("chain".into(), chain.data.name.clone());
    if let Some(errors) = save_row(&state, &session, ImportKind::ChainEnterprises, &fields).await? {
        let form = |stored| FormState { enterprise_values: values, enterprise_errors: errors, ..stored };
        return edit_page_with_errors(&state, &session, &chain, form).await;
    }
    Ok(Redirect::to(&format!("/chains/{id}/edit#enterprises")).into_response())
}

#[derive(Deserialize)]
pub struct DetachForm {
    csrf: String,
    node_id: i64,
    enterprise_id: i64,
}

pub async fn detach_enterprise(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Path(id): Path<i64>,
    Form(form): Form<DetachForm>,
) -> WebResult<Response> {
    session.check_csrf(&form.csrf)?;
    editable_chain(&state, &session, id).await?;
    let node = state.store.chain_node(form.node_id).await?.filter(|node| node.chain_id == id);
    if node.is_none() {
        return Err(WebError::not_found("该环节"));
    }
    state.store.detach_enterprise(form.node_id, form.enterprise_id, &session.actor()).await?;
    Ok(Redirect::to(&format!("/chains/{id}/edit#enterprises")).into_response())
}
