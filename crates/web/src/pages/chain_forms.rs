//! Defining chains in the browser: the chain's own fields, its sub-chains and links,
//! and the enterprises on its links. Each form is saved as a one-row `chains` or
//! `chain_enterprises` import, so the browser obeys exactly the rules files do.

use crate::auth::{CsrfForm, PageSession, Session};
use crate::error::{WebError, WebResult};
use crate::query::Query;
use crate::routes::Routes;
use crate::templates::page;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use minijinja::context;
use serde::Deserialize;
use std::collections::HashMap;
use zhaoshang_app::chains::{chain_values, node_values, ChainParts};
use zhaoshang_app::exchange::{columns, ImportKind};
use zhaoshang_core::chains::{LinkRole, NodeKind, Segment};
use zhaoshang_store::chains::Chain;

pub fn routes() -> Routes {
    Routes::new()
        .route("/chains/new", get(new_form))
        .route("/chains/save", post(save_chain))
        .route("/chains/{id}/edit", get(edit_form))
        .route("/chains/{id}/nodes", post(save_node))
        .route("/chains/{id}/enterprises", post(attach_enterprise))
        .route("/chains/{id}/enterprises/detach", post(detach_enterprise))
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
const NODE_KEYS: [&str; 6] = ["node", "parent", "kind", "segment", "industry", "products"];

async fn edit_page(
    state: &AppState,
    session: &Session,
    chain: Option<&Chain>,
    form: FormState,
) -> WebResult<Html<String>> {
    let ChainParts { nodes, enterprises: attached, .. } = state.app.chain_parts(chain.map(|c| c.id)).await?;
    let name_of = |id: Option<i64>| id.and_then(|id| nodes.iter().find(|n| n.id == id)).map(|n| n.name.clone());
    let node_rows: Vec<_> = nodes
        .iter()
        .map(|n| {
            context! { id => n.id, name => n.name, parent => name_of(n.parent_id), industry => n.industry, products => n.products,
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
        "chains/chain_form.html",
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

/// The form state of a chain as stored (its chain form filled in).
async fn stored_form(state: &AppState, chain: &Chain) -> WebResult<(FormState, ChainParts)> {
    let parts = state.app.chain_parts(Some(chain.id)).await?;
    let form =
        FormState { chain_values: chain_values(chain, parts.nodes.first(), &parts.leaders), ..Default::default() };
    Ok((form, parts))
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
    let chain = state.app.editable_chain(&session.principal, id).await?;
    let (mut form, parts) = stored_form(&state, &chain).await?;
    if let Some(node) = query.node.and_then(|wanted| parts.nodes.iter().find(|n| n.id == wanted)) {
        form.node_values = node_values(node, &parts.nodes);
    }
    edit_page(&state, &session, Some(&chain), form).await
}

/// The edit page again after a bad node or enterprise form, the chain form as stored.
async fn edit_page_with_errors(
    state: &AppState,
    session: &Session,
    chain: &Chain,
    form: impl FnOnce(FormState) -> FormState,
) -> WebResult<Response> {
    let (stored, _) = stored_form(state, chain).await?;
    let html = edit_page(state, session, Some(chain), form(stored)).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
}

fn form_fields(values: &HashMap<String, String>, keys: &[&str]) -> HashMap<String, String> {
    keys.iter().map(|k| (k.to_string(), values.get(*k).map(|v| v.trim().to_string()).unwrap_or_default())).collect()
}

/// Saves the chain's own fields (a new chain with its first sub-chain).
pub async fn save_chain(
    State(state): State<AppState>,
    CsrfForm(session, values): CsrfForm<HashMap<String, String>>,
) -> WebResult<Response> {
    let fields = form_fields(&values, &CHAIN_KEYS);
    let editing = values.get("id").and_then(|id| id.parse::<i64>().ok());
    let first_node = values.get("node").map(String::as_str).unwrap_or("");
    let saved = state.app.save_chain_form(&session.principal, &session.actor(), editing, fields, first_node).await?;
    match saved {
        Ok(id) => Ok(Redirect::to(&format!("/chains/{id}/edit")).into_response()),
        Err((chain, errors)) => {
            let form = FormState { chain_values: values, chain_errors: errors, ..Default::default() };
            let html = edit_page(&state, &session, chain.as_ref(), form).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
        }
    }
}

/// Adds a sub-chain or link, or changes one of the same name.
pub async fn save_node(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(session, values): CsrfForm<HashMap<String, String>>,
) -> WebResult<Response> {
    let chain = state.app.editable_chain(&session.principal, id).await?;
    let fields = form_fields(&values, &NODE_KEYS);
    let actor = session.actor();
    if let Some(errors) =
        state.app.save_chain_row(&session.principal, &actor, &chain, ImportKind::Chains, fields).await?
    {
        let form = |stored| FormState { node_values: values, node_errors: errors, ..stored };
        return edit_page_with_errors(&state, &session, &chain, form).await;
    }
    Ok(Redirect::to(&format!("/chains/{id}/edit#nodes")).into_response())
}

/// Puts an enterprise of the library on a link (or changes its role there).
pub async fn attach_enterprise(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(session, values): CsrfForm<HashMap<String, String>>,
) -> WebResult<Response> {
    let chain = state.app.editable_chain(&session.principal, id).await?;
    let fields = form_fields(&values, &["node", "credit_code", "role"]);
    let actor = session.actor();
    if let Some(errors) =
        state.app.save_chain_row(&session.principal, &actor, &chain, ImportKind::ChainEnterprises, fields).await?
    {
        let form = |stored| FormState { enterprise_values: values, enterprise_errors: errors, ..stored };
        return edit_page_with_errors(&state, &session, &chain, form).await;
    }
    Ok(Redirect::to(&format!("/chains/{id}/edit#enterprises")).into_response())
}

#[derive(Deserialize)]
pub struct DetachForm {
    node_id: i64,
    enterprise_id: i64,
}

pub async fn detach_enterprise(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(session, form): CsrfForm<DetachForm>,
) -> WebResult<Response> {
    state.app.detach_enterprise(&session.principal, &session.actor(), id, form.node_id, form.enterprise_id).await?;
    Ok(Redirect::to(&format!("/chains/{id}/edit#enterprises")).into_response())
}
