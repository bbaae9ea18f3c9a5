//! Defining a chain in the browser: chain fields, sub-chains and links, enterprises on
//! links, each form checked like an import row, with CSRF and edit rights enforced.

mod common;

use axum::http::StatusCode;
use common::*;
use zhaoshang_core::credit_code::with_check_char;
use zhaoshang_store::enterprises::EnterpriseData;
use zhaoshang_store::Actor;
use zhaoshang_testkit::Backend;

on_both_backends!(a_chain_is_defined_through_forms_within_the_users_rights);

fn form(pairs: &[(&str, &str)]) -> String {
    serde_urlencoded::to_string(pairs).unwrap()
}

async fn a_chain_is_defined_through_forms_within_the_users_rights(backend: Backend) {
    let app = TestApp::with_users(
        backend,
        &[("baiyin", "region", Some("620400")), ("tianshui", "region", Some("620500")), ("dept", "chain", None)],
    )
    .await;
    let credit_code = with_check_char("91620402MA0000001").unwrap();
    let enterprise = EnterpriseData {
        credit_code: credit_code.clone(),
        name: "白银有色集团股份有限公司".into(),
        region_code: "620402".into(),
        industry: "32".into(),
        ..Default::default()
    };
    app.store().upsert_enterprises(&[enterprise], &Actor::system("测试")).await.unwrap();
    let cookie = app.sign_in("baiyin").await;
    let csrf = app.csrf(&cookie).await;
    assert_eq!(app.get("/chains/new", Some(&cookie)).await.status(), StatusCode::OK);

    let new_chain = [
        ("csrf", csrf.as_str()),
        ("chain", "有色金属产业链"),
        ("region", "620400"),
        ("lead_department", "白银市工业和信息化局"),
        ("chief", "市委副书记"),
        ("leaders", credit_code.as_str()),
        ("node", "铜产业"),
    ];
    let forged = form(&[&[("csrf", "forged")], &new_chain[1..]].concat());
    assert_eq!(app.post_form("/chains/save", &cookie, &forged).await.status(), StatusCode::FORBIDDEN);
    assert!(app.store().chain_by_name("有色金属产业链").await.unwrap().is_none(), "a forged form changes nothing");
    let response = app.post_form("/chains/save", &cookie, &form(&new_chain)).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let chain = app.store().chain_by_name("有色金属产业链").await.unwrap().unwrap();
    assert_eq!(chain.data.lead_department, "白银市工业和信息化局");
    assert_eq!(app.store().chain_leaders(chain.id).await.unwrap()[0].credit_code, credit_code);

    let nodes = format!("/chains/{}/nodes", chain.id);
    let link = |name: &str, segment: &str| {
        form(&[
            ("csrf", &csrf),
            ("node", name),
            ("parent", "铜产业"),
            ("kind", "环节"),
            ("segment", segment),
            ("industry", "32"),
        ])
    };
    assert_eq!(app.post_form(&nodes, &cookie, &link("铜冶炼", "上游")).await.status(), StatusCode::SEE_OTHER);
    // A link needs its segment: the form comes back with the field's message, nothing saved.
    let bad = app.post_form(&nodes, &cookie, &link("铜箔", "")).await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body_text(bad).await.contains("data-error-for=\"segment\""));
    let names: Vec<String> = app.store().chain_nodes(chain.id).await.unwrap().into_iter().map(|n| n.name).collect();
    assert_eq!(names, ["铜产业", "铜冶炼"]);

    let attach = format!("/chains/{}/enterprises", chain.id);
    let enterprise_form =
        |code: &str| form(&[("csrf", &csrf), ("node", "铜冶炼"), ("credit_code", code), ("role", "生产")]);
    assert_eq!(app.post_form(&attach, &cookie, &enterprise_form(&credit_code)).await.status(), StatusCode::SEE_OTHER);
    let unknown =
        app.post_form(&attach, &cookie, &enterprise_form(&with_check_char("91620402MA0000009").unwrap())).await;
    assert_eq!(unknown.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let on_links = app.store().chain_enterprises(chain.id, "").await.unwrap();
    assert_eq!(on_links.iter().map(|e| e.name.as_str()).collect::<Vec<_>>(), ["白银有色集团股份有限公司"]);
    let page = body_text(app.get(&format!("/chains/{}/edit", chain.id), Some(&cookie)).await).await;
    assert!(page.contains("铜冶炼") && page.contains("白银有色集团股份有限公司"));

    // Another city's user and a chain department without this chain may not edit it.
    let edit_link = format!("/chains/{}/edit", chain.id);
    assert!(body_text(app.get(&format!("/chains/{}", chain.id), Some(&cookie)).await).await.contains(&edit_link));
    let tianshui = app.sign_in("tianshui").await;
    let their_map = body_text(app.get(&format!("/chains/{}", chain.id), Some(&tianshui)).await).await;
    assert!(their_map.contains("有色金属产业链") && !their_map.contains(&edit_link), "viewable, not editable");
    assert_eq!(app.get(&format!("/chains/{}/edit", chain.id), Some(&tianshui)).await.status(), StatusCode::FORBIDDEN);
    let tianshui_csrf = app.csrf(&tianshui).await;
    let foreign = form(&[("csrf", &tianshui_csrf), ("node", "铅锌"), ("kind", "子链")]);
    assert_eq!(app.post_form(&nodes, &tianshui, &foreign).await.status(), StatusCode::FORBIDDEN);
    let dept = app.sign_in("dept").await;
    assert_eq!(app.get(&format!("/chains/{}/edit", chain.id), Some(&dept)).await.status(), StatusCode::FORBIDDEN);
    let dept_user = app.store().user_by_name("dept").await.unwrap().unwrap();
    app.store().set_user_chains(dept_user.id, &[chain.id], &Actor::system("测试")).await.unwrap();
    assert_eq!(app.get(&format!("/chains/{}/edit", chain.id), Some(&dept)).await.status(), StatusCode::OK);
    let dept_csrf = app.csrf(&dept).await;
    let dept_link = form(&[
        ("csrf", &dept_csrf),
        ("node", "铜箔"),
        ("parent", "铜产业"),
        ("kind", "环节"),
        ("segment", "下游"),
        ("industry", "32"),
    ]);
    assert_eq!(app.post_form(&nodes, &dept, &dept_link).await.status(), StatusCode::SEE_OTHER, "its own chain");

    let detach = form(&[
        ("csrf", &csrf),
        ("node_id", &on_links[0].node_id.to_string()),
        ("enterprise_id", &on_links[0].enterprise_id.to_string()),
    ]);
    let response = app.post_form(&format!("/chains/{}/enterprises/detach", chain.id), &cookie, &detach).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(app.store().chain_enterprises(chain.id, "").await.unwrap().is_empty());
}
