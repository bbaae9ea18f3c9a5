//! Excel/CSV import and export of industrial chains (one row per node) and of the enterprises
//! on their links, on SQLite and on PostgreSQL.

use zhaoshang_testkit::on_both_backends;

use zhaoshang_app::exchange::{
    export_table, import_bytes, import_bytes_in_scope, write_table, ImportKind, ImportReport, ImportScope, TableFormat,
};
use zhaoshang_core::credit_code::with_check_char;
use zhaoshang_core::regions::RegionCode;
use zhaoshang_store::listing::ProjectFilter;
use zhaoshang_store::{Actor, Store};

on_both_backends!(
    app: a_chain_file_round_trips_through_export,
    a_bad_chain_file_changes_nothing_and_lists_every_problem,
    later_files_add_to_stored_chains,
    enterprises_attach_to_links_and_round_trip,
    region_users_import_only_their_regions_chains,
    a_link_may_need_several_divisions,
);

fn actor() -> Actor {
    Actor::system("测试")
}

async fn import(store: &Store, kind: ImportKind, name: &str, bytes: &[u8]) -> ImportReport {
    import_bytes(store, kind, name, bytes, false, &actor()).await.unwrap()
}

fn counts(report: &ImportReport) -> (usize, usize, usize) {
    (report.created, report.updated, report.unchanged)
}

fn problem_cells(report: &ImportReport) -> Vec<(usize, &str)> {
    report.problems.iter().map(|p| (p.row, p.column.as_str())).collect()
}

fn rare_earth_code() -> String {
    with_check_char("91620402MA7RARE01").unwrap()
}

fn silver_code() -> String {
    with_check_char("91620402MA7CU0001").unwrap()
}

fn tianshui_code() -> String {
    with_check_char("91620503MA7MACH01").unwrap()
}

/// Two Baiyin enterprises and one of Tianshui, to lead chains and sit on links.
async fn enterprises(store: &Store) {
    let csv = format!(
        "企业名称,统一社会信用代码,所属地区,行业代码\n\
         甘肃稀土新材料股份有限公司,{},620402,32\n\
         白银有色集团股份有限公司,{},620402,32\n\
         天水星火机床有限责任公司,{},620503,34\n",
        rare_earth_code(),
        silver_code(),
        tianshui_code()
    );
    let report = import(store, ImportKind::Enterprises, "e.csv", csv.as_bytes()).await;
    assert!(report.is_ok(), "{:?}", report.problems);
}

const CHAIN_HEADER: &str = "产业链,所属地区,牵头部门,链长,链主企业,节点名称,上级节点,节点类型,环节位置,行业代码";

/// Two chains: the chain columns on one row only (or repeated), a leader by name, a link
/// before its sub-chain, a sub-chain whose type is left to be inferred.
fn good_chains() -> String {
    format!(
        "{CHAIN_HEADER},产品关键词\n\
         白银市稀土产业链,白银市,市工业和信息化局,市委副书记 王某某,{}、白银有色集团股份有限公司,稀土分离,稀土冶炼,环节,上游,32,\n\
         白银市稀土产业链,,,,,稀土冶炼,,子链,,,\n\
         白银市稀土产业链,,,,,稀土永磁材料,稀土功能材料,环节,中游,C32,\n\
         白银市稀土产业链,,,,,稀土功能材料,,,,,\n\
         白银市稀土产业链,,,,,永磁电机,稀土功能材料,环节,下游,38,永磁电机;稀土永磁电机，永磁电机\n\
         天水市数控机床产业链,620500,市工业和信息化局,副市长 李某某,{},整机制造,,sub_chain,midstream,,\n\
         天水市数控机床产业链,620500,市工业和信息化局,副市长 李某某,{},数控系统,整机制造,link,upstream,34,\n",
        rare_earth_code(),
        tianshui_code(),
        tianshui_code()
    )
}

async fn chain_count(store: &Store) -> usize {
    store.chain_summaries().await.unwrap().len()
}

async fn a_chain_file_round_trips_through_export(store: &Store) {
    enterprises(store).await;
    let report = import(store, ImportKind::Chains, "chains.csv", good_chains().as_bytes()).await;
    assert!(report.is_ok(), "{:?}", report.problems);
    assert_eq!(counts(&report), (7, 0, 0));
    assert!(report.summary_zh().starts_with("导入产业链：共 7 行，新增 7"), "{}", report.summary_zh());

    let chain = store.chain_by_name("白银市稀土产业链").await.unwrap().unwrap();
    assert_eq!(chain.data.region_code, "620400");
    assert_eq!(chain.data.chief, "市委副书记 王某某");
    let leaders: Vec<String> =
        store.chain_leaders(chain.id).await.unwrap().into_iter().map(|e| e.credit_code).collect();
    assert_eq!(leaders.len(), 2, "one by credit code, one by name");
    let nodes = store.chain_nodes(chain.id).await.unwrap();
    let node = |name: &str| nodes.iter().find(|n| n.name == name).unwrap();
    assert_eq!(node("稀土冶炼").kind, "sub_chain");
    assert_eq!(node("稀土功能材料").kind, "sub_chain", "a node with nodes below it is a sub-chain");
    assert_eq!(node("稀土分离").parent_id, Some(node("稀土冶炼").id));
    assert_eq!(
        (node("稀土永磁材料").segment.as_deref(), node("稀土永磁材料").industry.as_str()),
        (Some("midstream"), "32")
    );
    // Parents are stored before their children.
    let position = |name: &str| nodes.iter().position(|n| n.name == name).unwrap();
    assert!(position("稀土冶炼") < position("稀土分离"));
    assert!(position("稀土功能材料") < position("稀土永磁材料"));

    let table = export_table(store, ImportKind::Chains, &ProjectFilter::default()).await.unwrap();
    assert_eq!(table.headers.join(","), format!("{CHAIN_HEADER},产品关键词"));
    assert_eq!(table.rows.len(), 7);
    let row = table.rows.iter().find(|row| row[5] == "稀土永磁材料").unwrap();
    assert_eq!(row[1..5].join("|"), format!("620400|市工业和信息化局|市委副书记 王某某|{}", row[4]));
    assert_eq!(row[6..].join("|"), "稀土功能材料|环节|中游|32|");
    let motors = table.rows.iter().find(|row| row[5] == "永磁电机").unwrap();
    assert_eq!(motors[10], "永磁电机、稀土永磁电机", "products are kept once each, joined by 、");
    for format in [TableFormat::Csv, TableFormat::Xlsx] {
        let bytes = write_table(&table, format).unwrap();
        let back = import(store, ImportKind::Chains, &format!("back.{}", format.extension()), &bytes).await;
        assert!(back.is_ok(), "{:?}", back.problems);
        assert_eq!(counts(&back), (0, 0, 7), "{format:?}");
    }
    assert_eq!(export_table(store, ImportKind::Chains, &ProjectFilter::default()).await.unwrap(), table);
    let tianshui = ProjectFilter { region_prefix: "6205".into(), ..Default::default() };
    assert_eq!(export_table(store, ImportKind::Chains, &tianshui).await.unwrap().rows.len(), 2);
}

async fn a_bad_chain_file_changes_nothing_and_lists_every_problem(store: &Store) {
    enterprises(store).await;
    let csv = format!(
        "{CHAIN_HEADER}\n\
         好链,620400,,,,好环节,,环节,上游,32\n\
         循环链,620400,,,,甲,丙,子链,,\n\
         循环链,,,,,乙,甲,子链,,\n\
         循环链,,,,,丙,乙,子链,,\n\
         循环链,,,,,无位置,,环节,,\n\
         循环链,,,,,孤儿,不存在的子链,环节,下游,\n\
         循环链,,,,无此企业有限公司,挂在环节下,无位置,环节,中游,\n\
         新链无地区,,,链长甲,,节点,,链条,旁路,99\n\
         新链无地区,,,链长乙,,节点二,,,上游,\n\
         ,620400,,,,没有链名,,环节,上游,\n"
    );
    let report = import(store, ImportKind::Chains, "bad.csv", csv.as_bytes()).await;
    assert!(!report.applied);
    assert_eq!(
        problem_cells(&report),
        [
            (3, "上级节点"),
            (4, "上级节点"),
            (5, "上级节点"),
            (6, "环节位置"),
            (7, "上级节点"),
            (8, "链主企业"),
            (8, "上级节点"),
            (9, "所属地区"),
            (9, "节点类型"),
            (9, "环节位置"),
            (9, "行业代码"),
            (10, "链长"),
            (11, "产业链"),
        ]
    );
    let message = |row: usize, column: &str| {
        report.problems.iter().find(|p| p.row == row && p.column == column).unwrap().message.clone()
    };
    assert_eq!(message(3, "上级节点"), "上级节点形成循环：甲 → 丙 → 乙 → 甲");
    assert!(message(6, "环节位置").contains("环节须填写环节位置"));
    assert_eq!(message(7, "上级节点"), "上级节点“不存在的子链”不存在");
    assert!(message(8, "链主企业").contains("企业“无此企业有限公司”不在企业库中"), "{}", message(8, "链主企业"));
    assert!(message(8, "上级节点").contains("是环节"));
    assert_eq!(message(9, "所属地区"), "新建产业链须填写所属地区");
    assert!(message(10, "链长").contains("与第9行的“链长甲”不一致"), "{}", message(10, "链长"));
    assert!(report.summary_zh().contains("未导入任何数据"));
    assert_eq!(chain_count(store).await, 0, "nothing written, not even the good chain");

    // A missing key column is a problem of the header.
    let report = import(store, ImportKind::Chains, "m.csv", "产业链,所属地区\n某链,620400\n".as_bytes()).await;
    assert_eq!(problem_cells(&report), [(1, "节点名称")]);
}

async fn later_files_add_to_stored_chains(store: &Store) {
    enterprises(store).await;
    import(store, ImportKind::Chains, "chains.csv", good_chains().as_bytes()).await;
    // Only the node columns: the chain keeps its region, department, chief and leaders, and
    // a new link may hang on a stored sub-chain.
    let more = "产业链,节点名称,上级节点,环节位置\n白银市稀土产业链,抛光粉,稀土功能材料,中游\n白银市稀土产业链,稀土分离,稀土冶炼,中游\n";
    let report = import(store, ImportKind::Chains, "more.csv", more.as_bytes()).await;
    assert!(report.is_ok(), "{:?}", report.problems);
    assert_eq!(counts(&report), (1, 1, 0));
    let chain = store.chain_by_name("白银市稀土产业链").await.unwrap().unwrap();
    assert_eq!((chain.data.region_code.as_str(), chain.data.chief.as_str()), ("620400", "市委副书记 王某某"));
    assert_eq!(store.chain_leaders(chain.id).await.unwrap().len(), 2);
    let nodes = store.chain_nodes(chain.id).await.unwrap();
    assert_eq!(nodes.len(), 6);
    let polish = nodes.iter().find(|n| n.name == "抛光粉").unwrap();
    assert_eq!((polish.kind.as_str(), polish.segment.as_deref()), ("link", Some("midstream")));

    // A stored sub-chain with nodes below it cannot become a link; a stored chain of
    // another region is not another chain of the same name.
    let bad = "产业链,所属地区,节点名称,节点类型,环节位置\n白银市稀土产业链,620400,稀土功能材料,环节,中游\n";
    let report = import(store, ImportKind::Chains, "bad.csv", bad.as_bytes()).await;
    assert_eq!(problem_cells(&report), [(2, "节点类型")]);
    assert!(report.problems[0].message.contains("下已有节点"), "{}", report.problems[0].message);
}

const ON_LINKS_HEADER: &str = "产业链,节点名称,统一社会信用代码,角色";

async fn enterprises_attach_to_links_and_round_trip(store: &Store) {
    enterprises(store).await;
    import(store, ImportKind::Chains, "chains.csv", good_chains().as_bytes()).await;
    let csv = format!(
        "{ON_LINKS_HEADER}\n\
         白银市稀土产业链,稀土分离,{},生产\n\
         白银市稀土产业链,稀土永磁材料,{},\n\
         白银市稀土产业链,永磁电机,{},配套企业\n\
         天水市数控机床产业链,数控系统,{},采购\n",
        silver_code(),
        rare_earth_code(),
        rare_earth_code(),
        tianshui_code()
    );
    let report = import(store, ImportKind::ChainEnterprises, "links.csv", csv.as_bytes()).await;
    assert!(report.is_ok(), "{:?}", report.problems);
    assert_eq!(counts(&report), (4, 0, 0));
    let chain = store.chain_by_name("白银市稀土产业链").await.unwrap().unwrap();
    let on_links = store.chain_enterprises(chain.id, "").await.unwrap();
    assert_eq!(on_links.len(), 3);
    assert!(on_links.iter().any(|e| e.credit_code == rare_earth_code() && e.role == "producer"), "生产 by default");

    let table = export_table(store, ImportKind::ChainEnterprises, &ProjectFilter::default()).await.unwrap();
    assert_eq!(table.headers.join(","), ON_LINKS_HEADER);
    assert_eq!(table.rows.len(), 4);
    assert!(table.rows.contains(&vec![
        "天水市数控机床产业链".to_string(),
        "数控系统".to_string(),
        tianshui_code(),
        "采购".to_string()
    ]));
    let back =
        import(store, ImportKind::ChainEnterprises, "back.csv", &write_table(&table, TableFormat::Csv).unwrap()).await;
    assert_eq!(counts(&back), (0, 0, 4), "{:?}", back.problems);

    let role_change = format!("{ON_LINKS_HEADER}\n白银市稀土产业链,稀土分离,{},配套\n", silver_code());
    assert_eq!(counts(&import(store, ImportKind::ChainEnterprises, "r.csv", role_change.as_bytes()).await), (0, 1, 0));

    let unknown_code = with_check_char("91620402MA0000009").unwrap();
    let bad = format!(
        "{ON_LINKS_HEADER}\n\
         无此链,稀土分离,{},生产\n\
         白银市稀土产业链,无此环节,{},生产\n\
         白银市稀土产业链,稀土冶炼,{},生产\n\
         白银市稀土产业链,稀土分离,{unknown_code},旁观\n\
         白银市稀土产业链,永磁电机,{},生产\n\
         白银市稀土产业链,永磁电机,{},采购\n",
        silver_code(),
        silver_code(),
        silver_code(),
        silver_code(),
        silver_code()
    );
    let report = import(store, ImportKind::ChainEnterprises, "bad.csv", bad.as_bytes()).await;
    assert!(!report.applied);
    assert_eq!(
        problem_cells(&report),
        [
            (2, "产业链"),
            (3, "节点名称"),
            (4, "节点名称"),
            (5, "统一社会信用代码"),
            (5, "角色"),
            (7, "统一社会信用代码")
        ]
    );
    assert!(report.problems[2].message.contains("是子链"));
    assert!(report.problems[3].message.contains("不在企业库中"));
    assert!(report.problems[5].message.contains("第6行"));
    assert_eq!(store.chain_enterprises(chain.id, "").await.unwrap().len(), 3, "nothing written");
}

async fn region_users_import_only_their_regions_chains(store: &Store) {
    enterprises(store).await;
    import(store, ImportKind::Chains, "chains.csv", good_chains().as_bytes()).await;
    let baiyin = ImportScope::Within(RegionCode::parse("620400").unwrap());
    let scoped = |kind, csv: String| {
        let scope = baiyin.clone();
        async move { import_bytes_in_scope(store, kind, "s.csv", csv.as_bytes(), false, &actor(), &scope).await }
    };
    let csv = "产业链,所属地区,节点名称,节点类型,环节位置\n\
               白银市新链,620402,节点甲,环节,上游\n\
               天水市新链,620500,节点乙,环节,上游\n\
               天水市数控机床产业链,620400,数控系统,环节,上游\n";
    let report = scoped(ImportKind::Chains, csv.to_string()).await.unwrap();
    assert_eq!(problem_cells(&report), [(3, "所属地区"), (4, "产业链")]);
    assert!(report.problems[0].message.contains("管辖范围"));
    assert!(report.problems[1].message.contains("属于其他地区"));

    let links = format!("{ON_LINKS_HEADER}\n天水市数控机床产业链,数控系统,{},生产\n", silver_code());
    let report = scoped(ImportKind::ChainEnterprises, links.clone()).await.unwrap();
    assert_eq!(problem_cells(&report), [(2, "产业链")]);

    // A chain department imports the chains it looks after, in any region, and nothing else.
    let machine_tools = store.chain_by_name("天水市数控机床产业链").await.unwrap().unwrap();
    let chains = ImportScope::Chains(vec![machine_tools.id]);
    let report =
        import_bytes_in_scope(store, ImportKind::ChainEnterprises, "c.csv", links.as_bytes(), true, &actor(), &chains)
            .await
            .unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
    let others = ImportScope::Chains(vec![machine_tools.id + 1_000]);
    let report =
        import_bytes_in_scope(store, ImportKind::ChainEnterprises, "c.csv", links.as_bytes(), true, &actor(), &others)
            .await
            .unwrap();
    assert!(report.problems[0].message.contains("不由您的部门牵头"), "{:?}", report.problems);
    let new_chain = "产业链,所属地区,节点名称,节点类型,环节位置\n部门新链,620500,节点甲,环节,上游\n";
    let report =
        import_bytes_in_scope(store, ImportKind::Chains, "c.csv", new_chain.as_bytes(), true, &actor(), &chains)
            .await
            .unwrap();
    assert_eq!(problem_cells(&report), [(2, "产业链")], "a chain department does not create chains");
    let projects = "项目编号,项目名称,所属地区\nX-1,项目,620400\n";
    assert!(import_bytes_in_scope(store, ImportKind::Projects, "p.csv", projects.as_bytes(), true, &actor(), &chains)
        .await
        .is_err());
}

async fn a_link_may_need_several_divisions(store: &Store) {
    // A name holding 、 is read whole; names and codes mix; each division once.
    let csv = format!(
        "{CHAIN_HEADER}\n电机链,620400,,,,电机,,环节,中游,电气机械和器材制造业、34、C38\n\
         电机链,,,,,纺织,,环节,上游,纺织服装、服饰业\n"
    );
    let report = import(store, ImportKind::Chains, "motors.csv", csv.as_bytes()).await;
    assert!(report.applied, "{:?}", report.problems);
    let chain = store.chain_by_name("电机链").await.unwrap().unwrap();
    let nodes = store.chain_nodes(chain.id).await.unwrap();
    let industry = |name: &str| nodes.iter().find(|n| n.name == name).unwrap().industry.clone();
    assert_eq!(industry("电机"), "38、34");
    assert_eq!(industry("纺织"), "18");

    let bad = format!("{CHAIN_HEADER}\n电机链,620400,,,,电机,,环节,中游,38、99\n");
    let report = import(store, ImportKind::Chains, "bad.csv", bad.as_bytes()).await;
    assert!(!report.applied);
    assert_eq!(problem_cells(&report), [(2, "行业代码")]);
    assert!(report.problems[0].message.contains("“99”"), "{}", report.problems[0].message);
    let nodes = store.chain_nodes(chain.id).await.unwrap();
    assert_eq!(nodes.iter().find(|n| n.name == "电机").unwrap().industry, "38、34", "nothing changed");
}
