//! Chinese search over enterprises and projects: the issue's examples, name prefixes,
//! credit codes, scope, single characters and whole words first, and an index that
//! follows imports and is rebuilt when kept by another version.

use zhaoshang_testkit::on_both_backends;

use zhaoshang_app::exchange::{import_bytes, ImportKind};
use zhaoshang_app::search::{SearchHit, SearchIndex, SearchKind, SearchQuery, DEFAULT_LIMIT};
use zhaoshang_core::access::RecordScope;
use zhaoshang_core::credit_code::with_check_char;
use zhaoshang_core::regions::RegionCode;
use zhaoshang_store::{Actor, Store};

on_both_backends!(
    app: the_issues_examples_are_found,
    names_by_prefix_and_records_by_code,
    results_stay_within_the_scope,
    the_index_follows_imports,
    a_kept_index_is_reused_only_when_sealed_with_the_current_stamp,
    single_characters_are_found_and_whole_words_rank_first,
    an_index_kept_by_another_version_is_rebuilt,
);

fn code(first17: &str) -> String {
    with_check_char(first17).unwrap()
}

const RARE_EARTH: &str = "91620402MA7RARE01";
const BAIYIN_NONFERROUS: &str = "91620402MA0BYY001";

async fn import(store: &Store, kind: ImportKind, csv: &str) {
    let report = import_bytes(store, kind, "t.csv", csv.as_bytes(), false, &Actor::system("测试")).await.unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
}

async fn load(store: &Store) -> SearchIndex {
    let enterprises = format!(
        "企业名称,统一社会信用代码,所属地区,行业代码,标签,简介\n\
         甘肃稀土新材料股份有限公司,{},620402,32,高新技术企业,稀土冶炼分离和稀土功能材料\n\
         白银有色集团股份有限公司,{},620402,32,上市公司(601212),铜铅锌采选冶炼\n\
         白银某某化工有限公司,{},620400,26,,精细化工\n\
         有色金属贸易有限公司,{},620503,51,,有色金属贸易\n\
         宁波某某磁材有限公司,{},330200,32,专精特新,钕铁硼稀土永磁材料\n",
        code(RARE_EARTH),
        code(BAIYIN_NONFERROUS),
        code("91620400MA0000001"),
        code("91620503MA0000002"),
        code("91330200MA0000003"),
    );
    import(store, ImportKind::Enterprises, &enterprises).await;
    let projects = "项目编号,项目名称,所属地区,投资方,项目简介\n\
                    BY-001,年产5千吨稀土永磁材料项目,620402,宁波某某磁材有限公司,白银高新区稀土产业链延链项目\n\
                    TS-001,高档数控机床产业化项目,620503,天水星火机床有限责任公司,\n";
    import(store, ImportKind::Projects, projects).await;
    let index = SearchIndex::open(store).await.unwrap();
    assert_eq!(index.document_count(), 7);
    index
}

async fn search(index: &SearchIndex, text: &str, kind: Option<SearchKind>, scope: &RecordScope) -> Vec<SearchHit> {
    let query = SearchQuery { text: text.into(), kind, limit: DEFAULT_LIMIT, page: 1 };
    let results = index.search(&query, scope).await.unwrap();
    assert_eq!(results.total, results.items.len(), "{text}: one page holds them all here");
    results.items
}

fn names(hits: &[SearchHit]) -> Vec<&str> {
    hits.iter().map(|hit| hit.name.as_str()).collect()
}

async fn the_issues_examples_are_found(store: &Store) {
    let index = load(store).await;
    let all = RecordScope::All;
    let rare_earth = search(&index, "稀土", None, &all).await;
    assert_eq!(rare_earth.len(), 3, "{:?}", names(&rare_earth));
    let position = |name: &str| rare_earth.iter().position(|hit| hit.name == name).unwrap();
    assert!(
        position("甘肃稀土新材料股份有限公司") < position("宁波某某磁材有限公司"),
        "a match in the name ranks above one in the description only: {:?}",
        names(&rare_earth)
    );
    let found = &rare_earth[position("甘肃稀土新材料股份有限公司")];
    assert_eq!(
        (found.kind, found.region.as_str(), found.region_name.as_str()),
        (SearchKind::Enterprise, "620402", "白银区")
    );
    assert!(rare_earth.windows(2).all(|pair| pair[0].score >= pair[1].score), "best first");
    assert!(rare_earth.iter().any(|hit| hit.kind == SearchKind::Project && hit.code == "BY-001"));

    // Both words must match: 白银 alone or 有色 alone is not enough.
    let both = search(&index, "白银 有色", None, &all).await;
    assert_eq!(names(&both), ["白银有色集团股份有限公司"]);
    assert_eq!(search(&index, "白银　化工", None, &all).await.len(), 1, "a full-width space separates words too");
    assert_eq!(search(&index, "有色", None, &all).await.len(), 2);

    let only_projects = search(&index, "稀土", Some(SearchKind::Project), &all).await;
    assert_eq!(names(&only_projects), ["年产5千吨稀土永磁材料项目"]);
    // Tags and investors are found too.
    assert_eq!(names(&search(&index, "专精特新", None, &all).await), ["宁波某某磁材有限公司"]);
    assert!(names(&search(&index, "星火机床", None, &all).await).contains(&"高档数控机床产业化项目"));
    assert!(search(&index, "不存在的词语", None, &all).await.is_empty());
    let empty = index.search(&SearchQuery { text: "  ".into(), kind: None, limit: 10, page: 1 }, &all).await;
    assert!(empty.is_err());
}

async fn names_by_prefix_and_records_by_code(store: &Store) {
    let index = load(store).await;
    let all = RecordScope::All;
    // "甘肃稀" is no word, but the name starts with it.
    assert_eq!(names(&search(&index, "甘肃稀", None, &all).await), ["甘肃稀土新材料股份有限公司"]);
    let by_code = search(&index, &code(BAIYIN_NONFERROUS).to_lowercase(), None, &all).await;
    assert_eq!(names(&by_code), ["白银有色集团股份有限公司"]);
    assert_eq!(by_code[0].code, code(BAIYIN_NONFERROUS));
    assert_eq!(names(&search(&index, "ts-001", None, &all).await), ["高档数控机床产业化项目"]);
    assert_eq!(names(&search(&index, "601212", None, &all).await), ["白银有色集团股份有限公司"], "stock codes");
}

async fn results_stay_within_the_scope(store: &Store) {
    let index = load(store).await;
    let within = |code: &str| RecordScope::Within(RegionCode::parse(code).unwrap());
    let baiyin = search(&index, "稀土", None, &within("620400")).await;
    assert!(baiyin.iter().all(|hit| hit.region.starts_with("6204")), "{:?}", names(&baiyin));
    assert_eq!(baiyin.len(), 2, "not the Ningbo enterprise: {:?}", names(&baiyin));
    assert!(search(&index, "有色", None, &within("620500")).await.iter().all(|hit| hit.region == "620503"));
    assert_eq!(
        search(&index, "化工", None, &within("620402")).await.len(),
        0,
        "the city's own records are not the county's"
    );
    assert_eq!(search(&index, "化工", None, &within("620000")).await.len(), 1);
    assert!(search(&index, "稀土", None, &RecordScope::Nothing).await.is_empty());
}

async fn the_index_follows_imports(store: &Store) {
    let index = load(store).await;
    let all = RecordScope::All;
    let renamed =
        format!("统一社会信用代码,企业名称,所属地区\n{},甘肃稀土功能材料集团有限公司,620402\n", code(RARE_EARTH));
    let actor = Actor::system("测试");
    let report =
        import_bytes(store, ImportKind::Enterprises, "r.csv", renamed.as_bytes(), false, &actor).await.unwrap();
    index.follow_import(store, &report).await.unwrap();
    assert_eq!(index.document_count(), 7, "the record is replaced, not added");
    assert!(search(&index, "新材料股份", None, &all).await.is_empty());
    assert_eq!(names(&search(&index, "功能材料集团", None, &all).await), ["甘肃稀土功能材料集团有限公司"]);

    let project = "项目编号,项目名称,所属地区\nJY-001,钢铁深加工项目,620200\n";
    let report = import_bytes(store, ImportKind::Projects, "p.csv", project.as_bytes(), false, &actor).await.unwrap();
    index.follow_import(store, &report).await.unwrap();
    assert_eq!(names(&search(&index, "钢铁", None, &all).await), ["钢铁深加工项目"]);

    // A dry run writes nothing, so nothing changes in the index either.
    let dry = "项目编号,项目名称,所属地区\nJY-002,钢铁试运行项目,620200\n";
    let report = import_bytes(store, ImportKind::Projects, "d.csv", dry.as_bytes(), true, &actor).await.unwrap();
    index.follow_import(store, &report).await.unwrap();
    assert_eq!(search(&index, "钢铁", None, &all).await.len(), 1);

    // A rebuild from the database gives the same index.
    assert_eq!(index.rebuild(store).await.unwrap(), 8);
    assert_eq!(index.document_count(), 8);
}

async fn a_kept_index_is_reused_only_when_sealed_with_the_current_stamp(store: &Store) {
    load(store).await;
    let folder = tempfile::tempdir().unwrap();
    let at = Some(folder.path());
    let all = RecordScope::All;
    let (index, rebuilt) = SearchIndex::open_at(store, at).await.unwrap();
    assert!(rebuilt, "nothing kept yet");
    assert_eq!(index.document_count(), 7);
    index.seal(store).await.unwrap();
    drop(index);

    let (index, rebuilt) = SearchIndex::open_at(store, at).await.unwrap();
    assert!(!rebuilt, "sealed with the database as it is: reused");
    assert_eq!(names(&search(&index, "白银 有色", None, &all).await), ["白银有色集团股份有限公司"]);
    assert_eq!(search(&index, "稀土", None, &all).await[0].region_name, "白银区", "region names come back too");
    drop(index);

    let (index, rebuilt) = SearchIndex::open_at(store, at).await.unwrap();
    assert!(rebuilt, "opened but not sealed (a crash): rebuilt");
    index.seal(store).await.unwrap();
    drop(index);

    // The command line imports while the server is stopped: the stamp moves on.
    let more =
        format!("企业名称,统一社会信用代码,所属地区\n金川镍钴新材料有限公司,{},620300\n", code("91620300MA0000009"));
    import(store, ImportKind::Enterprises, &more).await;
    let (index, rebuilt) = SearchIndex::open_at(store, at).await.unwrap();
    assert!(rebuilt);
    assert_eq!(names(&search(&index, "镍钴", None, &all).await), ["金川镍钴新材料有限公司"]);
}

async fn single_characters_are_found_and_whole_words_rank_first(store: &Store) {
    load(store).await;
    // 稀 and 土 apart: 稀 in the name, 土 in the description; both in the name.
    let enterprises = format!(
        "企业名称,统一社会信用代码,所属地区,简介\n稀有金属回收有限公司,{},620402,土壤修复与资源再生\n",
        code("91620402MA0000004")
    );
    import(store, ImportKind::Enterprises, &enterprises).await;
    let projects = "项目编号,项目名称,所属地区,项目简介\n\
                    BY-002,稀贵金属与土地整理综合项目,620402,\n\
                    BY-003,白银铜加工项目,620402,与BY-002配套\n";
    import(store, ImportKind::Projects, projects).await;
    let index = SearchIndex::open(store).await.unwrap();
    let all = RecordScope::All;

    let single = search(&index, "稀", None, &all).await;
    let mut single = names(&single);
    single.sort();
    let mut holding = vec![
        "甘肃稀土新材料股份有限公司",
        "宁波某某磁材有限公司",
        "年产5千吨稀土永磁材料项目",
        "稀有金属回收有限公司",
        "稀贵金属与土地整理综合项目",
    ];
    holding.sort();
    assert_eq!(single, holding, "every record holding 稀, in the name or the text");

    let rare_earth = search(&index, "稀土", None, &all).await;
    assert_eq!(rare_earth.len(), 5, "{:?}", names(&rare_earth));
    let position = |name: &str| rare_earth.iter().position(|hit| hit.name == name).unwrap();
    let apart = position("稀有金属回收有限公司").min(position("稀贵金属与土地整理综合项目"));
    for whole in ["甘肃稀土新材料股份有限公司", "年产5千吨稀土永磁材料项目", "宁波某某磁材有限公司"]
    {
        assert!(position(whole) < apart, "{whole} holds 稀土 whole: {:?}", names(&rare_earth));
    }
    assert!(rare_earth.windows(2).all(|pair| pair[0].score >= pair[1].score));
    assert_eq!(search(&index, "稀 土", None, &all).await.len(), 5, "two words: each character anywhere");
    assert!(search(&index, "稀土 再生", None, &all).await.iter().all(|hit| hit.name == "稀有金属回收有限公司"));

    // A code first, before a record that mentions it.
    let by_code = search(&index, "BY-002", None, &all).await;
    assert_eq!(by_code[0].code, "BY-002", "{:?}", names(&by_code));
}

async fn an_index_kept_by_another_version_is_rebuilt(store: &Store) {
    use tantivy::schema::{Schema, STORED, STRING, TEXT};
    use tantivy::Index;
    load(store).await;
    let stamp = store.change_stamp().await.unwrap();
    let seal = |folder: &std::path::Path, payload: &str| {
        let index = Index::open_in_dir(folder).unwrap();
        let mut writer: tantivy::IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        let mut prepared = writer.prepare_commit().unwrap();
        prepared.set_payload(payload);
        prepared.commit().unwrap();
    };

    // An index of another schema sealed as the version before kept its seal (the bare stamp).
    let folder = tempfile::tempdir().unwrap();
    let mut older = Schema::builder();
    older.add_text_field("key", STRING);
    older.add_text_field("name", TEXT | STORED);
    drop(Index::create_in_dir(folder.path(), older.build()).unwrap());
    seal(folder.path(), &stamp);
    let (index, rebuilt) = SearchIndex::open_at(store, Some(folder.path())).await.unwrap();
    assert!(rebuilt, "another schema");
    assert_eq!(index.document_count(), 7);
    assert_eq!(search(&index, "稀", None, &RecordScope::All).await.len(), 3);
    index.seal(store).await.unwrap();
    drop(index);
    let (index, rebuilt) = SearchIndex::open_at(store, Some(folder.path())).await.unwrap();
    assert!(!rebuilt, "sealed by this version");
    drop(index);

    // The same schema sealed with the bare stamp, as the version before would have.
    seal(folder.path(), &stamp);
    let (index, rebuilt) = SearchIndex::open_at(store, Some(folder.path())).await.unwrap();
    assert!(rebuilt, "sealed by another version");
    assert_eq!(index.document_count(), 7);
}
