//! Excel/CSV import and export of projects, funding, targets, activities and enterprises, on SQLite
//! and on PostgreSQL, with all divisions of China loaded as on a real start.

use zhaoshang_testkit::on_both_backends;

use chrono::NaiveDate;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use zhaoshang_app::exchange::{
    self, export_table, import_bytes, import_bytes_in_scope, problems_workbook, read_sheet, template_workbook,
    write_table, ImportKind, ImportReport, ImportScope, TableFormat,
};
use zhaoshang_app::search::SearchIndex;
use zhaoshang_app::App;
use zhaoshang_core::access::{Principal, Role};
use zhaoshang_core::credit_code::with_check_char;
use zhaoshang_core::metrics::Period;
use zhaoshang_core::money::Yuan;
use zhaoshang_core::regions::RegionCode;
use zhaoshang_store::enterprises::{EnterpriseData, EnterpriseFilter};
use zhaoshang_store::listing::ProjectFilter;
use zhaoshang_store::{Actor, Store};

on_both_backends!(
    app: projects_read_alike_from_utf8_bom_gbk_and_xlsx,
    upsert_by_code_keeps_absent_columns_and_clears_empty_cells,
    a_file_with_bad_rows_changes_nothing_and_lists_every_problem,
    missing_columns_and_unknown_columns,
    funding_is_appended_and_duplicates_are_reported_not_doubled,
    targets_upsert_by_region_and_year,
    activities_upsert_and_check_dates,
    dry_run_checks_but_writes_nothing,
    export_then_import_changes_nothing,
    stage_changes_back_or_to_dropped_need_a_reason,
    region_users_import_only_within_their_region,
    enterprises_upsert_by_credit_code_with_tags_and_regions_of_all_china,
    enterprise_files_with_bad_rows_change_nothing,
    region_users_import_only_their_regions_enterprises,
    an_enterprise_export_of_many_pages_lists_each_enterprise_once_in_code_order,
    csv_exports_neutralise_formulas_and_import_back_unchanged,
    import_messages_do_not_tell_whether_another_regions_record_exists,
);

fn actor() -> Actor {
    Actor::system("测试")
}

fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

fn credit_code() -> String {
    with_check_char("91620503MA7123456").unwrap()
}

/// The same code with a wrong check character.
fn bad_credit_code() -> String {
    let good = credit_code();
    let last = good.chars().last().unwrap();
    format!("{}{}", &good[..17], if last == '0' { '1' } else { '0' })
}

async fn import(store: &Store, kind: ImportKind, name: &str, bytes: &[u8]) -> ImportReport {
    import_bytes(store, kind, name, bytes, false, &actor()).await.unwrap()
}

fn counts(report: &ImportReport) -> (usize, usize, usize) {
    (report.created, report.updated, report.unchanged)
}

fn problem_cells(report: &ImportReport) -> Vec<(usize, String)> {
    report.problems.iter().map(|p| (p.row, p.column.clone())).collect()
}

async fn project_count(store: &Store) -> i64 {
    store.project_totals(&ProjectFilter::default()).await.unwrap().count
}

const PROJECT_HEADER: &str = "项目编号,项目名称,所属地区,所属园区,产业链,产业链环节,投资方,投资方信用代码,投资方来源地,总投资（万元）,项目阶段,签约日期,开工日期,投产日期,项目来源,来源单位,责任单位,包抓领导,签约活动";

fn projects_csv() -> String {
    format!(
        "{PROJECT_HEADER}\n\
         TS-001,新型建材项目,620503,天水经济技术开发区,新材料,新型建材,某建材集团有限公司,{},上海市,52000,签约,2024-05-18,,,商会,甘肃省上海商会,麦积区商务局,张三,第三十届兰洽会\n\
         TS-002,电子元器件项目,天水市,,电子信息,,某电子有限公司,,江苏省,12000.5,,2024/3/1,2024年6月1日,,招商顾问,,,,\n\
         TS-003,文旅综合体项目,麦积区,,,,,,,,,,,,,,,,\n",
        credit_code()
    )
}

/// The same rows as `projects_csv`, as Excel stores them: numbers as numbers, dates as date cells.
fn projects_xlsx() -> Vec<u8> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for (col, header) in PROJECT_HEADER.split(',').enumerate() {
        sheet.write_string(0, col as u16, header).unwrap();
    }
    let text_row = |sheet: &mut rust_xlsxwriter::Worksheet, row: u32, cells: &[(u16, &str)]| {
        for (col, text) in cells {
            sheet.write_string(row, *col, *text).unwrap();
        }
    };
    let code = credit_code();
    text_row(
        sheet,
        1,
        &[
            (0, "TS-001"),
            (1, "新型建材项目"),
            (3, "天水经济技术开发区"),
            (4, "新材料"),
            (5, "新型建材"),
            (6, "某建材集团有限公司"),
            (7, &code),
            (8, "上海市"),
            (10, "签约"),
            (14, "商会"),
            (15, "甘肃省上海商会"),
            (16, "麦积区商务局"),
            (17, "张三"),
            (18, "第三十届兰洽会"),
        ],
    );
    sheet.write_number(1, 2, 620503.0).unwrap();
    sheet.write_number(1, 9, 52000.0).unwrap();
    sheet.write_datetime_with_format(1, 11, ExcelDateTime::from_ymd(2024, 5, 18).unwrap(), &date).unwrap();
    text_row(
        sheet,
        2,
        &[
            (0, "TS-002"),
            (1, "电子元器件项目"),
            (2, "天水市"),
            (4, "电子信息"),
            (6, "某电子有限公司"),
            (8, "江苏省"),
            (14, "招商顾问"),
        ],
    );
    sheet.write_number(2, 9, 12000.5).unwrap();
    sheet.write_datetime_with_format(2, 11, ExcelDateTime::from_ymd(2024, 3, 1).unwrap(), &date).unwrap();
    sheet.write_datetime_with_format(2, 12, ExcelDateTime::from_ymd(2024, 6, 1).unwrap(), &date).unwrap();
    text_row(sheet, 3, &[(0, "TS-003"), (1, "文旅综合体项目"), (2, "麦积区")]);
    workbook.save_to_buffer().unwrap()
}

async fn projects_read_alike_from_utf8_bom_gbk_and_xlsx(store: &Store) {
    let utf8 = projects_csv().into_bytes();
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend_from_slice(&utf8);
    let text = projects_csv();
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(&text);
    assert!(!unmappable);
    assert!(std::str::from_utf8(&gbk).is_err(), "the GBK file must not also be valid UTF-8");
    let xlsx = projects_xlsx();

    // Every encoding reads into the same cells.
    let reference = read_sheet("p.csv", &utf8).unwrap();
    assert_eq!(reference.rows.len(), 3);
    assert_eq!(reference.rows[0].number, 2);
    for (name, bytes) in [("p.csv", &bom), ("p.csv", &gbk.to_vec()), ("p.xlsx", &xlsx)] {
        let sheet = read_sheet(name, bytes).unwrap();
        assert_eq!(sheet.headers, reference.headers, "{name}");
        // Dates compare as dates: Excel date cells read as YYYY-MM-DD, the CSV has other forms.
        let normalized = |headers: &[String], cells: &[String]| -> Vec<String> {
            headers
                .iter()
                .enumerate()
                .map(|(i, header)| {
                    let cell = cells.get(i).cloned().unwrap_or_default();
                    match exchange::parse_date(&cell) {
                        Ok(date) if header.contains("日期") => date.to_string(),
                        _ => cell,
                    }
                })
                .collect()
        };
        assert_eq!(sheet.rows.len(), reference.rows.len());
        for (row, expected) in sheet.rows.iter().zip(&reference.rows) {
            assert_eq!(row.number, expected.number);
            assert_eq!(
                normalized(&sheet.headers, &row.cells),
                normalized(&reference.headers, &expected.cells),
                "{name}"
            );
        }
    }

    let first = import(store, ImportKind::Projects, "projects.csv", &utf8).await;
    assert!(first.is_ok(), "{:?}", first.problems);
    assert!(first.applied && !first.dry_run);
    assert_eq!((first.rows, first.created, first.updated, first.unchanged), (3, 3, 0, 0));
    assert!(first.summary_zh().contains("导入项目：共 3 行，新增 3，更新 0，未变 0"), "{}", first.summary_zh());

    // The same rows in the other encodings and in XLSX change nothing.
    for (name, bytes) in
        [("projects.csv", bom.clone()), ("projects.csv", gbk.to_vec()), ("projects.xlsx", xlsx.clone())]
    {
        let again = import(store, ImportKind::Projects, name, &bytes).await;
        assert!(again.is_ok(), "{name}: {:?}", again.problems);
        assert_eq!(counts(&again), (0, 0, 3), "{name}");
    }

    let one = store.project_by_code("TS-001").await.unwrap().unwrap().data;
    assert_eq!(one.name, "新型建材项目");
    assert_eq!(one.region_code, "620503");
    assert_eq!(one.total_investment, 520_000_000);
    assert_eq!(one.stage, "signed");
    assert_eq!(one.signed_on, Some(day("2024-05-18")));
    assert_eq!(one.investor_credit_code, credit_code());
    assert_eq!(one.signing_activity, "第三十届兰洽会", "an activity that is not registered is kept as text");
    let two = store.project_by_code("TS-002").await.unwrap().unwrap().data;
    assert_eq!(two.region_code, "620500", "region by name 天水市");
    assert_eq!(two.total_investment, 120_005_000);
    assert_eq!(two.stage, "started", "stage inferred from the latest date");
    assert_eq!((two.signed_on, two.started_on), (Some(day("2024-03-01")), Some(day("2024-06-01"))));
    let three = store.project_by_code("TS-003").await.unwrap().unwrap().data;
    assert_eq!((three.region_code.as_str(), three.stage.as_str()), ("620503", "lead"), "麦积区 and no dates: 线索");
    // Imports are audited and put on the project's timeline.
    let events = store.project_events(store.project_by_code("TS-001").await.unwrap().unwrap().id).await.unwrap();
    assert_eq!(events.len(), 1);
    assert!(events[0].note.contains("projects.csv"));
}

async fn upsert_by_code_keeps_absent_columns_and_clears_empty_cells(store: &Store) {
    import(store, ImportKind::Projects, "p.csv", projects_csv().as_bytes()).await;
    let update = "code,name,region,park,total_investment_wan\nTS-001,新型建材项目（一期）,620503,,60000\nTS-003,文旅综合体项目,麦积区,,\nTS-004,新项目,620502,,\n";
    let report = import(store, ImportKind::Projects, "update.csv", update.as_bytes()).await;
    assert!(report.is_ok(), "{:?}", report.problems);
    assert_eq!(counts(&report), (1, 1, 1));
    let one = store.project_by_code("TS-001").await.unwrap().unwrap().data;
    assert_eq!(one.name, "新型建材项目（一期）");
    assert_eq!(one.total_investment, 600_000_000);
    assert_eq!(one.park, "", "a present but empty cell clears the value");
    assert_eq!(one.investor, "某建材集团有限公司", "an absent column keeps the stored value");
    assert_eq!(one.signed_on, Some(day("2024-05-18")));
    assert_eq!(one.stage, "signed", "no stage column: the stored stage stays");
    assert_eq!(store.project_by_code("TS-004").await.unwrap().unwrap().data.region_code, "620502");
}

async fn a_file_with_bad_rows_changes_nothing_and_lists_every_problem(store: &Store) {
    let header = "项目编号,项目名称,所属地区,总投资(万元),项目阶段,签约日期,开工日期,投资方信用代码";
    let rows = [
        "TS-101,好项目,620503,100,签约,2024-01-01,,".to_string(),
        "TS-102,地区不存在,火星市,,,,,".to_string(),
        "TS-103,日期不对,620503,100,签约,2024-13-01,,".to_string(),
        "TS-104,签约无总投资,620503,,签约,2024-01-01,,".to_string(),
        format!("TS-105,信用代码错,620503,,,,,{}", bad_credit_code()),
        "TS-101,编号重复,620503,,,,,".to_string(),
        "TS-106,重名地区,城关区,,,,,".to_string(),
        "TS-107,阶段不对,620503,,已签约,,,".to_string(),
        "TS-108,开工早于签约,620503,100,开工,2024-05-01,2024-04-01,".to_string(),
        "TS-109,金额太细,620503,1.23456,,,,".to_string(),
    ];
    let csv = format!("{header}\n{}\n", rows.join("\n"));
    let report = import(store, ImportKind::Projects, "bad.csv", csv.as_bytes()).await;
    assert!(!report.is_ok() && !report.applied);
    let cells = problem_cells(&report);
    let expected: Vec<(usize, String)> = [
        (3, "所属地区"),
        (4, "签约日期"),
        (5, "总投资(万元)"),
        (6, "投资方信用代码"),
        (7, "项目编号"),
        (8, "所属地区"),
        (9, "项目阶段"),
        (10, "开工日期"),
        (11, "总投资(万元)"),
    ]
    .into_iter()
    .map(|(row, column)| (row, column.to_string()))
    .collect();
    assert_eq!(cells, expected, "{:#?}", report.problems);
    let message = |row: usize| report.problems.iter().find(|p| p.row == row).unwrap().message.clone();
    assert!(message(3).contains("火星市"));
    assert!(message(5).contains("签约后须填写总投资"));
    assert!(message(6).contains("校验位"));
    assert_eq!(message(7), "项目编号与第2行重复");
    assert!(message(8).contains("620102") && message(8).contains("请改填6位代码"), "{}", message(8));
    assert!(message(10).contains("开工日期不能早于签约日期"));
    assert!(message(11).contains("四位小数"));
    assert_eq!(report.bad_rows(), [3, 4, 5, 6, 7, 8, 9, 10, 11]);
    assert!(report.summary_zh().contains("未导入任何数据"), "{}", report.summary_zh());
    assert_eq!(project_count(store).await, 0, "the good row 2 was not written either");

    // The marked-up workbook: bad cells red, reasons in a last column 错误说明.
    let workbook = problems_workbook(ImportKind::Projects, "bad.csv", csv.as_bytes(), &report).unwrap();
    let marked = read_sheet("errors.xlsx", &workbook).unwrap();
    assert_eq!(marked.headers.last().map(String::as_str), Some("错误说明"));
    let errors_col = marked.headers.len() - 1;
    let row_3 = marked.rows.iter().find(|row| row.number == 3).unwrap();
    assert!(row_3.cell(errors_col).starts_with("所属地区："), "{:?}", row_3.cells);
    let row_2 = marked.rows.iter().find(|row| row.number == 2).unwrap();
    assert_eq!(row_2.cell(errors_col), "");
    assert_eq!(row_2.cell(0), "TS-101");
}

async fn missing_columns_and_unknown_columns(store: &Store) {
    let report = import(store, ImportKind::Projects, "m.csv", "项目编号,备注\nTS-1,x\n".as_bytes()).await;
    assert_eq!(problem_cells(&report), [(1, "项目名称".to_string()), (1, "所属地区".to_string())]);
    assert!(report.problems[0].message.contains("缺少必填列"));
    assert!(report.warnings.iter().any(|w| w.contains("备注")), "{:?}", report.warnings);

    let report = import(
        store,
        ImportKind::Projects,
        "u.csv",
        "项目编号,项目名称,所属地区,备注\nTS-1,名称,620503,随便\n".as_bytes(),
    )
    .await;
    assert!(report.is_ok());
    assert_eq!(report.created, 1);
    assert_eq!(report.warnings, ["未识别的列“备注”，已忽略"]);

    // A title above the header is skipped; row numbers stay those of the sheet.
    let titled = "2024年签约项目表,,\n项目编号,项目名称,所属地区\nT-1,标题下的项目,火星市\n";
    let report = import(store, ImportKind::Projects, "t.csv", titled.as_bytes()).await;
    assert_eq!(problem_cells(&report), [(3, "所属地区".to_string())]);
    assert!(report.warnings.iter().any(|w| w.contains("第2行")), "{:?}", report.warnings);
    let marked = problems_workbook(ImportKind::Projects, "t.csv", titled.as_bytes(), &report).unwrap();
    let marked = read_sheet("m.xlsx", &marked).unwrap();
    assert_eq!(marked.header_row, 2);
    assert!(marked.rows[0].cell(3).contains("火星市"), "{:?}", marked.rows);

    let empty = import(store, ImportKind::Projects, "e.csv", b"").await;
    assert_eq!(empty.problems.len(), 1);
    assert_eq!(empty.problems[0].row, 1);

    let unsupported = import_bytes(store, ImportKind::Projects, "p.numbers", b"x", false, &actor()).await.unwrap_err();
    assert_eq!(unsupported.to_string(), "不支持的文件类型，请使用 .csv、.xlsx、.xls 或 .ods 文件");
    assert!(ImportKind::parse("enterprise-list").unwrap_err().to_string().contains("projects"));
    assert_eq!(ImportKind::parse("Funding").unwrap(), ImportKind::Funding);
}

async fn funding_is_appended_and_duplicates_are_reported_not_doubled(store: &Store) {
    import(store, ImportKind::Projects, "p.csv", projects_csv().as_bytes()).await;
    let funding = "项目编号,到位日期,到位金额（万元）,资金来源\n\
                   TS-001,2024-06-30,3000,省外境内\n\
                   TS-001,2024-07-31,1000.5,境外\n\
                   TS-001,2024-06-30,3000,省外境内\n\
                   TS-002,2024-08-01,200,省内\n\
                   TS-002,2024-09-01,50,\n";
    let first = import(store, ImportKind::Funding, "f.csv", funding.as_bytes()).await;
    assert!(first.is_ok(), "{:?}", first.problems);
    assert_eq!((first.rows, first.created, first.duplicates, first.duplicate_rows.clone()), (5, 4, 1, vec![4]));
    assert!(first.summary_zh().contains("重复 1（第4行"), "{}", first.summary_zh());

    let second = import(store, ImportKind::Funding, "f.csv", funding.as_bytes()).await;
    assert!(second.is_ok());
    assert_eq!((second.created, second.duplicates), (0, 5));

    let year = Period::new(day("2024-01-01"), day("2024-12-31")).unwrap();
    let figures = store.investment_figures("62", None, year).await.unwrap();
    assert_eq!(figures.funds_in_place, Yuan::parse_wan("4250.5").unwrap(), "nothing was doubled");
    assert_eq!(figures.funds_outside_province, Yuan::parse_wan("4050.5").unwrap(), "an empty source is 省外境内");

    let bad = "code,date,amount_wan,funding_source\nNOPE,2024-01-01,1,\nTS-001,,1,\nTS-001,2024-01-01,0,\nTS-001,2024-01-01,5,天上\nTS-001,2024-02-01,7,境外\n";
    let report = import(store, ImportKind::Funding, "bad.csv", bad.as_bytes()).await;
    assert_eq!(
        problem_cells(&report),
        [
            (2, "项目编号".to_string()),
            (3, "到位日期".to_string()),
            (4, "到位金额(万元)".to_string()),
            (5, "资金来源".to_string())
        ]
    );
    assert!(report.problems[0].message.contains("不存在"));
    let after = store.investment_figures("62", None, year).await.unwrap();
    assert_eq!(after.funds_in_place, figures.funds_in_place, "the good row 6 was not written");
}

async fn targets_upsert_by_region_and_year(store: &Store) {
    let targets =
        "所属地区,年度,到位资金目标(万元),签约投资目标(万元)\n天水市,2025,2800000,7000000\n620100,2025年,3500000,\n";
    let first = import(store, ImportKind::Targets, "t.csv", targets.as_bytes()).await;
    assert!(first.is_ok(), "{:?}", first.problems);
    assert_eq!(counts(&first), (2, 0, 0));
    assert_eq!(store.funds_target("620500", 2025).await.unwrap(), Some(Yuan::from_wan(2_800_000)));

    let change = "region,year,funds_target_wan\n620500,2025,3000000\n兰州市,2025,3500000\n";
    let second = import(store, ImportKind::Targets, "t2.csv", change.as_bytes()).await;
    assert_eq!(counts(&second), (0, 1, 1));
    let stored = store.targets(Some(2025)).await.unwrap();
    let tianshui = stored.iter().find(|t| t.region_code == "620500").unwrap();
    assert_eq!(tianshui.funds_target, Some(Yuan::from_wan(3_000_000).0));
    assert_eq!(tianshui.signed_investment_target, Some(Yuan::from_wan(7_000_000).0), "absent column kept");

    let bad = "所属地区,年度,到位资金目标(万元)\n620500,1980,1\n620500,2026,-5\n620500,2027,1\n天水市,2027,2\n";
    let report = import(store, ImportKind::Targets, "bad.csv", bad.as_bytes()).await;
    assert_eq!(
        problem_cells(&report),
        [(2, "年度".to_string()), (3, "到位资金目标(万元)".to_string()), (5, "年度".to_string())]
    );
    assert!(report.problems[2].message.contains("与第4行重复"));
    assert_eq!(store.targets(None).await.unwrap().len(), 2);
}

async fn activities_upsert_and_check_dates(store: &Store) {
    let activities = "活动名称,活动类型,开始日期,结束日期,地点,主办单位\n第三十届兰洽会,展会节会,2024-07-06,2024-07-10,兰州,甘肃省人民政府\n长三角推介会,推介会,2024/9/1,,上海,省商务厅\n";
    let first = import(store, ImportKind::Activities, "a.csv", activities.as_bytes()).await;
    assert!(first.is_ok(), "{:?}", first.problems);
    assert_eq!(counts(&first), (2, 0, 0));
    let fair = store.activity_by_name("第三十届兰洽会").await.unwrap().unwrap();
    assert_eq!((fair.start_on, fair.end_on), (Some(day("2024-07-06")), Some(day("2024-07-10"))));
    assert_eq!(fair.kind, "展会节会");

    let change = "name,place\n长三角推介会,杭州\n第三十届兰洽会,兰州\n";
    let second = import(store, ImportKind::Activities, "a2.csv", change.as_bytes()).await;
    assert_eq!(counts(&second), (0, 1, 1));
    let roadshow = store.activity_by_name("长三角推介会").await.unwrap().unwrap();
    assert_eq!((roadshow.place.as_str(), roadshow.organiser.as_str()), ("杭州", "省商务厅"));

    let bad = "活动名称,开始日期,结束日期\n倒着的活动,2024-05-02,2024-05-01\n,2024-01-01,\n同名,2024-01-01,\n同名,2024-01-02,\n";
    let report = import(store, ImportKind::Activities, "bad.csv", bad.as_bytes()).await;
    assert_eq!(
        problem_cells(&report),
        [(2, "结束日期".to_string()), (3, "活动名称".to_string()), (5, "活动名称".to_string())]
    );
    assert_eq!(store.activities().await.unwrap().len(), 2);
}

async fn dry_run_checks_but_writes_nothing(store: &Store) {
    let report =
        import_bytes(store, ImportKind::Projects, "p.csv", projects_csv().as_bytes(), true, &actor()).await.unwrap();
    assert!(report.is_ok() && report.dry_run && !report.applied);
    assert_eq!(counts(&report), (3, 0, 0));
    assert!(report.summary_zh().contains("仅检查"), "{}", report.summary_zh());
    assert_eq!(project_count(store).await, 0);

    import(store, ImportKind::Projects, "p.csv", projects_csv().as_bytes()).await;
    let funding = "项目编号,到位日期,到位金额(万元)\nTS-001,2024-06-30,3000\n";
    let dry = import_bytes(store, ImportKind::Funding, "f.csv", funding.as_bytes(), true, &actor()).await.unwrap();
    assert_eq!((dry.created, dry.duplicates, dry.applied), (1, 0, false));
    let year = Period::new(day("2024-01-01"), day("2024-12-31")).unwrap();
    assert_eq!(store.investment_figures("62", None, year).await.unwrap().funds_in_place, Yuan::ZERO);
}

async fn export_then_import_changes_nothing(store: &Store) {
    import(store, ImportKind::Projects, "p.csv", projects_csv().as_bytes()).await;
    let dropped = "项目编号,项目名称,所属地区,项目阶段,终止原因,投资方类型,行业代码,项目简介,总投资(万元)\nTS-009,已终止项目,620503,终止,企业撤资,民营企业,3,\"多行\n简介\",1.2345\n";
    let report = import(store, ImportKind::Projects, "d.csv", dropped.as_bytes()).await;
    assert!(report.is_ok(), "{:?}", report.problems);
    let nine = store.project_by_code("TS-009").await.unwrap().unwrap().data;
    assert_eq!((nine.investor_type.as_str(), nine.industry.as_str()), ("民营", "03"));
    import(
        store,
        ImportKind::Funding,
        "f.csv",
        "code,date,amount_wan,funding_source\nTS-001,2024-06-30,3000.1234,境外\n".as_bytes(),
    )
    .await;
    import(store, ImportKind::Targets, "t.csv", "region,year,funds_target_wan\n620500,2025,2800000\n".as_bytes()).await;
    let chambers = "商会名称,商会类型,所在地,级别,招商联络处,会员企业数\n甘肃省上海商会,在甘异地商会,620100,省级,是,120\n新加坡甘肃商会,境外商协会,境外：新加坡,,,\n";
    import(store, ImportKind::Chambers, "ch.csv", chambers.as_bytes()).await;
    let activity = "name,start_on,chambers\n第三十届兰洽会,2024-07-06,甘肃省上海商会、新加坡甘肃商会\n";
    import(store, ImportKind::Activities, "a.csv", activity.as_bytes()).await;
    import(store, ImportKind::Enterprises, "e.csv", enterprises_csv().as_bytes()).await;
    let chain = "产业链,所属地区,节点名称,节点类型,环节位置\n白银市稀土产业链,620400,稀土永磁材料,环节,中游\n";
    import(store, ImportKind::Chains, "c.csv", chain.as_bytes()).await;
    let on_link = format!(
        "产业链,节点名称,统一社会信用代码\n白银市稀土产业链,稀土永磁材料,{}\n",
        enterprise_code("91620402MA7RARE01")
    );
    import(store, ImportKind::ChainEnterprises, "ce.csv", on_link.as_bytes()).await;
    let appeal = "诉求编号,所属地区,诉求维度,诉求内容,受理日期,答复日期,企业评价\nSQ-1,620503,要素环境,用地指标,2024-09-30,2024-10-08,满意\n";
    import(store, ImportKind::Appeals, "ap.csv", appeal.as_bytes()).await;
    let achievement = "成果编号,成果名称,完成单位,行业代码,登记年度\nKJ-1,稀土永磁材料制备技术,兰州大学,32,2024\n";
    import(store, ImportKind::Achievements, "a.csv", achievement.as_bytes()).await;
    let review = "成果编号,评审专家,专家单位,市场潜力,经济价值,技术含量\nKJ-1,王立新,西安交通大学,85,80,90.5\n";
    import(store, ImportKind::Reviews, "r.csv", review.as_bytes()).await;
    let parcel = "地块编号,所属地区,用地性质,面积(亩),价格(万元/亩),状态,经度,纬度\nDK-1,620402,工业,120.5,12.5,可供,104.17,36.55\n";
    import(store, ImportKind::Parcels, "p.csv", parcel.as_bytes()).await;

    let projects = export_table(store, ImportKind::Projects, &ProjectFilter::default()).await.unwrap();
    assert_eq!(projects.headers[..3], ["项目编号", "项目名称", "所属地区"]);
    assert_eq!(projects.headers[9], "总投资(万元)");
    assert!(!projects.headers.iter().any(|h| h == "阶段变更原因"));
    let one = &projects.rows[0];
    assert_eq!(
        (one[0].as_str(), one[2].as_str(), one[9].as_str(), one[10].as_str()),
        ("TS-001", "620503", "52000.00", "签约")
    );
    assert_eq!(one[11], "2024-05-18");

    for kind in ImportKind::ALL {
        let table = export_table(store, kind, &ProjectFilter::default()).await.unwrap();
        assert!(!table.rows.is_empty(), "{kind:?}");
        for format in [TableFormat::Csv, TableFormat::Xlsx] {
            let bytes = write_table(&table, format).unwrap();
            if format == TableFormat::Csv {
                assert!(bytes.starts_with(&[0xEF, 0xBB, 0xBF]), "CSV starts with a BOM");
                let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
                assert!(text.starts_with(&table.headers.join(",")), "{text}");
            }
            let name = format!("export.{}", format.extension());
            let report = import(store, kind, &name, &bytes).await;
            assert!(report.is_ok(), "{kind:?} {format:?}: {:?}", report.problems);
            assert_eq!(report.rows, table.rows.len());
            if kind == ImportKind::Funding {
                assert_eq!((report.created, report.duplicates), (0, table.rows.len()), "{format:?}");
            } else {
                assert_eq!(counts(&report), (0, 0, table.rows.len()), "{kind:?} {format:?}");
            }
        }
    }

    // A region scope limits the projects exported.
    let scoped = ProjectFilter { region_prefix: "620503".into(), ..Default::default() };
    let table = export_table(store, ImportKind::Projects, &scoped).await.unwrap();
    assert!(table.rows.iter().all(|row| row[2] == "620503"));
    assert_eq!(table.rows.len(), 3);
}

async fn stage_changes_back_or_to_dropped_need_a_reason(store: &Store) {
    import(store, ImportKind::Projects, "p.csv", projects_csv().as_bytes()).await;
    // TS-002 is 开工; going back to 签约 (and clearing the date) needs a reason.
    let back = "项目编号,项目名称,所属地区,项目阶段,开工日期\nTS-002,电子元器件项目,620500,签约,\n";
    let refused = import(store, ImportKind::Projects, "b.csv", back.as_bytes()).await;
    assert_eq!(problem_cells(&refused), [(2, "项目阶段".to_string())]);
    assert!(refused.problems[0].message.contains("阶段变更原因"), "{}", refused.problems[0].message);
    assert_eq!(store.project_by_code("TS-002").await.unwrap().unwrap().data.stage, "started");

    let with_reason =
        "项目编号,项目名称,所属地区,项目阶段,开工日期,阶段变更原因\nTS-002,电子元器件项目,620500,签约,,开工日期录入有误\n";
    let accepted = import(store, ImportKind::Projects, "b.csv", with_reason.as_bytes()).await;
    assert!(accepted.is_ok(), "{:?}", accepted.problems);
    assert_eq!(accepted.updated, 1);
    let two = store.project_by_code("TS-002").await.unwrap().unwrap();
    assert_eq!((two.data.stage.as_str(), two.data.started_on), ("signed", None));
    let events = store.project_events(two.id).await.unwrap();
    let last = events.last().unwrap();
    assert_eq!((last.from_stage.as_deref(), last.to_stage.as_deref()), (Some("started"), Some("signed")));
    assert!(last.note.ends_with("开工日期录入有误"), "the reason is on the timeline: {}", last.note);

    let drop_without = "项目编号,项目名称,所属地区,项目阶段\nTS-001,新型建材项目,620503,终止\n";
    let refused = import(store, ImportKind::Projects, "d.csv", drop_without.as_bytes()).await;
    assert_eq!(problem_cells(&refused), [(2, "项目阶段".to_string())]);
    assert!(refused.problems[0].message.contains("终止原因"));
    let drop_with = "项目编号,项目名称,所属地区,项目阶段,终止原因\nTS-001,新型建材项目,620503,终止,企业撤资\n";
    let accepted = import(store, ImportKind::Projects, "d.csv", drop_with.as_bytes()).await;
    assert!(accepted.is_ok(), "{:?}", accepted.problems);
    let one = store.project_by_code("TS-001").await.unwrap().unwrap().data;
    assert_eq!((one.stage.as_str(), one.dropped_reason.as_str()), ("dropped", "企业撤资"));

    // Back from 终止 needs a reason too; adding a later date moves forward without one.
    let revive = "项目编号,项目名称,所属地区,项目阶段\nTS-001,新型建材项目,620503,签约\n";
    assert!(!import(store, ImportKind::Projects, "r.csv", revive.as_bytes()).await.is_ok());
    let forward = "项目编号,项目名称,所属地区,开工日期\nTS-003,文旅综合体项目,620503,2024-08-01\n";
    let report = import(store, ImportKind::Projects, "f.csv", forward.as_bytes()).await;
    assert_eq!(report.problems.len(), 2, "{:?}", report.problems);
    let forward = "项目编号,项目名称,所属地区,签约日期,开工日期,总投资(万元)\nTS-003,文旅综合体项目,620503,2024-07-01,2024-08-01,800\n";
    let report = import(store, ImportKind::Projects, "f.csv", forward.as_bytes()).await;
    assert!(report.is_ok(), "{:?}", report.problems);
    assert_eq!(store.project_by_code("TS-003").await.unwrap().unwrap().data.stage, "started");
}

async fn region_users_import_only_within_their_region(store: &Store) {
    let tianshui = ImportScope::Within(RegionCode::parse("620500").unwrap());
    let csv = "项目编号,项目名称,所属地区\nR-1,麦积项目,麦积区\nR-2,兰州项目,620100\n";
    let report =
        import_bytes_in_scope(store, ImportKind::Projects, "r.csv", csv.as_bytes(), false, &actor(), &tianshui)
            .await
            .unwrap();
    // Not allowed, marked on the record's code like another region's record (the
    // message must not tell the two apart).
    assert_eq!(problem_cells(&report), [(3, "项目编号".to_string())]);
    assert!(report.problems[0].message.contains("无权修改该记录") && report.problems[0].message.contains("620500"));

    import(store, ImportKind::Projects, "l.csv", "项目编号,项目名称,所属地区\nL-1,兰州项目,620100\n".as_bytes()).await;
    let takeover = "项目编号,项目名称,所属地区\nL-1,改到天水,620500\n";
    let report =
        import_bytes_in_scope(store, ImportKind::Projects, "r.csv", takeover.as_bytes(), false, &actor(), &tianshui)
            .await
            .unwrap();
    assert_eq!(problem_cells(&report), [(2, "项目编号".to_string())]);

    let targets = "所属地区,年度,到位资金目标(万元)\n620500,2025,1\n620503,2025,1\n";
    let report =
        import_bytes_in_scope(store, ImportKind::Targets, "t.csv", targets.as_bytes(), true, &actor(), &tianshui)
            .await
            .unwrap();
    assert_eq!(problem_cells(&report), [(2, "所属地区".to_string())], "a region's own target is set from above");

    let nothing = ImportScope::Nothing;
    assert!(import_bytes_in_scope(store, ImportKind::Projects, "r.csv", csv.as_bytes(), true, &actor(), &nothing)
        .await
        .is_err());
}

#[test]
fn templates_have_bold_headers_and_an_example_row_that_imports() {
    for kind in ImportKind::ALL {
        let bytes = template_workbook(kind, &[]);
        let sheet = read_sheet("template.xlsx", &bytes).unwrap();
        let expected: Vec<&str> = exchange::columns(kind).iter().filter(|c| c.imported).map(|c| c.header).collect();
        assert_eq!(sheet.headers, expected, "{kind:?}");
        assert_eq!(sheet.rows.len(), 1, "{kind:?}: one example row");
    }
}

#[tokio::test]
async fn template_examples_import_cleanly() {
    let f = zhaoshang_testkit::fixtures::app_fixture(zhaoshang_testkit::Backend::Sqlite).await;
    let app = App::new(f.store.clone(), SearchIndex::open(&f.store).await.unwrap());
    let admin = Principal { user_id: 1, username: "admin".into(), role: Role::Admin, region: None };
    for kind in ImportKind::ALL {
        let template = app.import_template(&admin, kind).await.unwrap();
        let report = import(&f.store, kind, "template.xlsx", &template).await;
        assert!(report.is_ok(), "{kind:?}: {:?}", report.problems);
    }
}

/// A workbook part's XML as text.
fn workbook_part(bytes: &[u8], name: &str) -> String {
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut text = String::new();
    archive.by_name(name).unwrap().read_to_string(&mut text).unwrap();
    text
}

/// Issue 17, point 8: a template teaches. Its second sheet explains every column (required,
/// format, allowed values), and 项目阶段, 项目来源 and 所属地区 offer drop-down lists, the
/// regions' being the user's region and those within it, each named as the import reads it.
#[tokio::test]
async fn templates_explain_every_column_and_offer_lists_of_stages_sources_and_regions() {
    use calamine::{Data, Reader, Xlsx};
    let f = zhaoshang_testkit::fixtures::app_fixture(zhaoshang_testkit::Backend::Sqlite).await;
    let app = App::new(f.store.clone(), SearchIndex::open(&f.store).await.unwrap());
    let tianshui = Principal {
        user_id: 2,
        username: "tianshui".into(),
        role: Role::Region,
        region: Some(RegionCode::parse("620500").unwrap()),
    };
    let bytes = app.import_template(&tianshui, ImportKind::Projects).await.unwrap();
    let mut workbook: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes.clone())).unwrap();
    assert_eq!(workbook.sheet_names(), ["项目", "填写说明", "地区名称"]);

    let help = workbook.worksheet_range("填写说明").unwrap();
    let text = |row: &[Data]| row.iter().map(|cell| cell.to_string()).collect::<Vec<_>>();
    let rows: Vec<Vec<String>> = help.rows().map(text).collect();
    assert_eq!(rows[0], ["列名", "英文键", "是否必填", "填写说明", "可选值"]);
    let row_of = |header: &str| rows.iter().find(|row| row[0] == header).unwrap_or_else(|| panic!("{header}"));
    assert_eq!(row_of("项目编号")[2], "必填");
    assert_eq!(row_of("投资方")[2], "选填");
    assert!(row_of("签约日期")[3].contains("2024-03-01"), "the format of a date");
    assert_eq!(row_of("项目阶段")[4], "只能填写：线索、洽谈、签约、开工、投产、终止");
    assert!(row_of("项目来源")[4].starts_with("下拉列表：商会、招商顾问、驻点招商"), "{:?}", row_of("项目来源"));
    assert!(row_of("所属地区")[4].contains("工作表“地区名称”"));

    let regions: Vec<Vec<String>> = workbook.worksheet_range("地区名称").unwrap().rows().map(text).collect();
    assert_eq!(regions[1], ["620500", "天水市"], "the user's own region first");
    assert!(regions.iter().any(|row| row == &["620503", "麦积区"]));
    assert!(regions.iter().skip(1).all(|row| row[0].starts_with("6205")), "only Tianshui's regions");
    assert_eq!(regions.len() - 2, 7, "the header, Tianshui and its seven counties and districts");

    let sheet = workbook_part(&bytes, "xl/worksheets/sheet1.xml");
    let column = |header: &str| {
        let position = exchange::columns(ImportKind::Projects)
            .iter()
            .filter(|c| c.imported)
            .position(|c| c.header == header)
            .unwrap();
        (b'A' + position as u8) as char
    };
    let validation = |header: &str| {
        let sqref = format!("sqref=\"{0}2:{0}10001\"", column(header));
        let start = sheet.find(&sqref).unwrap_or_else(|| panic!("{header}: no list in {sheet}"));
        let open = sheet[..start].rfind("<dataValidation ").unwrap();
        let close = start + sheet[start..].find("</dataValidation>").unwrap();
        sheet[open..close].to_string()
    };
    let stage = validation("项目阶段");
    assert!(
        stage.contains("type=\"list\"") && stage.contains("<formula1>\"线索,洽谈,签约,开工,投产,终止\"</formula1>")
    );
    assert!(!stage.contains("errorStyle"), "a stage outside the list is refused: {stage}");
    let source = validation("项目来源");
    assert!(source.contains("errorStyle=\"warning\"") && source.contains("商会,招商顾问"), "{source}");
    let region = validation("所属地区");
    let formula = format!("<formula1>'地区名称'!$B$2:$B${}</formula1>", regions.len());
    assert!(region.contains(&formula) && region.contains("errorStyle=\"warning\""), "{region}");

    // What the lists offer imports: a row filled from them.
    let name = &regions.iter().find(|row| row[0] == "620503").unwrap()[1];
    let csv =
        format!("项目编号,项目名称,所属地区,项目阶段,项目来源,线索日期\nTS-9,测试,{name},洽谈,驻点招商,2024-01-05\n");
    let report = import(&f.store, ImportKind::Projects, "p.csv", csv.as_bytes()).await;
    assert!(report.is_ok(), "{:?}", report.problems);
}

const ENTERPRISE_HEADER: &str =
    "企业名称,统一社会信用代码,所属地区,行业代码,标签,营业收入(万元),从业人数,注册资本(万元),简介";

fn enterprise_code(first17: &str) -> String {
    with_check_char(first17).unwrap()
}

/// Three enterprises: one in Gansu by code, one in Shanghai by full name, one by city name.
fn enterprises_csv() -> String {
    format!(
        "{ENTERPRISE_HEADER}\n\
         甘肃稀土新材料股份有限公司,{},620402,32,高新技术企业；行业百强,125000.5,\"1,800\",72000,稀土功能材料\n\
         上海某某新能源科技股份有限公司,{},上海市浦东新区,C38,上市公司(688111)、专精特新,,300人,,\n\
         白银某某化工有限公司,{},白银市,,,,,,\n",
        enterprise_code("91620402MA7RARE01"),
        enterprise_code("91310115MA1H7K2P3").to_lowercase(),
        enterprise_code("91620400MA0000001"),
    )
}

async fn enterprises_upsert_by_credit_code_with_tags_and_regions_of_all_china(store: &Store) {
    let report = import(store, ImportKind::Enterprises, "e.csv", enterprises_csv().as_bytes()).await;
    assert!(report.is_ok(), "{:?}", report.problems);
    assert_eq!(counts(&report), (3, 0, 0));
    assert!(report.summary_zh().starts_with("导入企业：共 3 行，新增 3"), "{}", report.summary_zh());
    assert_eq!(report.written_keys.len(), 3);

    let rare_earth = store.enterprise_by_code(&enterprise_code("91620402MA7RARE01")).await.unwrap().unwrap().data;
    assert_eq!(rare_earth.name, "甘肃稀土新材料股份有限公司");
    assert_eq!(rare_earth.tags, "行业百强、高新技术企业", "tags are stored in vocabulary order");
    assert_eq!(rare_earth.revenue, Some(Yuan::parse_wan("125000.5").unwrap().0));
    assert_eq!((rare_earth.employees, rare_earth.registered_capital), (Some(1800), Some(720_000_000)));
    assert!(!rare_earth.is_target);
    // The key is stored uppercased; the region by full name; the stock code apart from the tags.
    let shanghai = store.enterprise_by_code(&enterprise_code("91310115MA1H7K2P3")).await.unwrap().unwrap().data;
    assert_eq!((shanghai.region_code.as_str(), shanghai.industry.as_str()), ("310115", "38"));
    assert_eq!((shanghai.tags.as_str(), shanghai.stock_code.as_str()), ("上市公司、专精特新", "688111"));
    assert_eq!(shanghai.employees, Some(300));
    let baiyin = store.enterprise_by_code(&enterprise_code("91620400MA0000001")).await.unwrap().unwrap().data;
    assert_eq!((baiyin.region_code.as_str(), baiyin.revenue), ("620400", None));

    // Absent columns keep their values, empty cells clear them, 目标企业 marks a target.
    let update = format!(
        "统一社会信用代码,企业名称,所属地区,标签,目标企业\n{},甘肃稀土新材料股份有限公司,620402,,是\n",
        enterprise_code("91620402MA7RARE01")
    );
    let report = import(store, ImportKind::Enterprises, "u.csv", update.as_bytes()).await;
    assert_eq!(counts(&report), (0, 1, 0), "{:?}", report.problems);
    let updated = store.enterprise_by_code(&enterprise_code("91620402MA7RARE01")).await.unwrap().unwrap().data;
    assert_eq!((updated.tags.as_str(), updated.is_target), ("", true));
    assert_eq!(updated.revenue, rare_earth.revenue, "an absent column keeps its value");

    // Export writes the stock code back into the tags cell, and imports back unchanged.
    let table = exchange::enterprise_table(store, &EnterpriseFilter::default()).await.unwrap();
    assert_eq!(table.headers[..9].join(","), ENTERPRISE_HEADER);
    let row = table.rows.iter().find(|row| row[0].starts_with("上海")).unwrap();
    assert_eq!(row[4], "上市公司(688111)、专精特新");
    let gansu = EnterpriseFilter { region_prefix: "62".into(), ..Default::default() };
    assert_eq!(exchange::enterprise_table(store, &gansu).await.unwrap().rows.len(), 2);
    let csv = write_table(&table, TableFormat::Csv).unwrap();
    assert_eq!(counts(&import(store, ImportKind::Enterprises, "back.csv", &csv).await), (0, 0, 3));
}

async fn enterprise_files_with_bad_rows_change_nothing(store: &Store) {
    let good = enterprise_code("91620402MA7RARE01");
    let wrong_check = format!("{}{}", &good[..17], if good.ends_with('0') { '1' } else { '0' });
    let csv = format!(
        "{ENTERPRISE_HEADER}\n\
         好企业,{},620402,32,专精特新,,,,\n\
         校验位错误的企业,{wrong_check},620402,,,,,,\n\
         标签错误的企业,{},620402,,独角兽、上市公司(60),,,,\n\
         地区有歧义的企业,{},城关区,,,-5,很多,,\n\
         ,{good},火星市,99,,,,,\n\
         重复的企业,{},620402,,,,,,\n",
        enterprise_code("91620402MA0000009"),
        enterprise_code("91620402MA0000008"),
        enterprise_code("91620402MA0000007"),
        enterprise_code("91620402MA0000009"),
    );
    let report = import(store, ImportKind::Enterprises, "bad.csv", csv.as_bytes()).await;
    assert!(!report.applied);
    assert_eq!(
        problem_cells(&report),
        [
            (3, "统一社会信用代码".to_string()),
            (4, "标签".to_string()),
            (5, "所属地区".to_string()),
            (5, "营业收入(万元)".to_string()),
            (5, "从业人数".to_string()),
            (6, "企业名称".to_string()),
            (6, "所属地区".to_string()),
            (6, "行业代码".to_string()),
            (7, "统一社会信用代码".to_string()),
        ]
    );
    let message = |row: usize, column: &str| {
        report.problems.iter().find(|p| p.row == row && p.column == column).unwrap().message.clone()
    };
    assert!(message(3, "统一社会信用代码").contains("校验位错误"), "{}", message(3, "统一社会信用代码"));
    let tags = message(4, "标签");
    assert!(tags.contains("标签“独角兽”不在标签库中") && tags.contains("股票代码“60”无效"), "{tags}");
    assert!(tags.contains("可用标签：世界500强"), "{tags}");
    assert!(message(5, "所属地区").contains("多个行政区划"));
    assert!(message(5, "营业收入(万元)").contains("负数"));
    assert!(message(7, "统一社会信用代码").contains("与第2行重复"));
    assert_eq!(store.enterprise_totals(&EnterpriseFilter::default()).await.unwrap().count, 0, "nothing written");

    // A missing key column is a problem of the header.
    let report = import(store, ImportKind::Enterprises, "m.csv", "企业名称,所属地区\n某企业,620402\n".as_bytes()).await;
    assert_eq!(problem_cells(&report), [(1, "统一社会信用代码".to_string())]);
}

/// The export reads the library a page (1,000) at a time, each after the last code of
/// the page before: three pages and a part, filtered by scope and by keyword.
async fn an_enterprise_export_of_many_pages_lists_each_enterprise_once_in_code_order(store: &Store) {
    let enterprises: Vec<EnterpriseData> = (0..3_217)
        .map(|i| {
            // Codes out of insertion order, Gansu and Shanghai interleaved.
            let (region, city) = if i % 3 == 0 { ("310115", "上海") } else { ("620402", "白银") };
            EnterpriseData {
                credit_code: enterprise_code(&format!("91{region}MA{:07}", (i * 7_919) % 10_000_000)),
                name: format!("{city}第{i}号企业有限公司"),
                region_code: region.into(),
                ..Default::default()
            }
        })
        .collect();
    store.bulk_insert_enterprises(&enterprises, chrono::Utc::now()).await.unwrap();
    let sorted_codes = |filter: fn(&&EnterpriseData) -> bool| {
        let mut codes: Vec<String> = enterprises.iter().filter(filter).map(|e| e.credit_code.clone()).collect();
        codes.sort();
        codes
    };
    let exported_codes = async |filter: EnterpriseFilter| -> Vec<String> {
        let table = exchange::enterprise_table(store, &filter).await.unwrap();
        let column = table.keys.iter().position(|key| key == "credit_code").unwrap();
        table.rows.into_iter().map(|row| row[column].clone()).collect()
    };

    let all = exported_codes(EnterpriseFilter::default()).await;
    assert_eq!(all.len(), 3_217);
    assert_eq!(all, sorted_codes(|_| true));
    let gansu = exported_codes(EnterpriseFilter { region_prefix: "62".into(), ..Default::default() }).await;
    assert_eq!(gansu.len(), 2_144);
    assert_eq!(gansu, sorted_codes(|e| e.region_code.starts_with("62")));
    let keyword = EnterpriseFilter { keyword: Some("第1".into()), ..Default::default() };
    assert_eq!(exported_codes(keyword).await, sorted_codes(|e| e.name.contains("第1")));
}

async fn region_users_import_only_their_regions_enterprises(store: &Store) {
    let baiyin = ImportScope::Within(RegionCode::parse("620400").unwrap());
    let csv = format!(
        "企业名称,统一社会信用代码,所属地区\n白银企业,{},白银区\n上海企业,{},310115\n",
        enterprise_code("91620402MA0000011"),
        enterprise_code("91310115MA0000012")
    );
    let report =
        import_bytes_in_scope(store, ImportKind::Enterprises, "r.csv", csv.as_bytes(), false, &actor(), &baiyin)
            .await
            .unwrap();
    assert_eq!(problem_cells(&report), [(3, "统一社会信用代码".to_string())]);
    assert!(report.problems[0].message.contains("无权修改该记录"));

    let tianshui_code = enterprise_code("91620503MA0000013");
    let tianshui = format!("企业名称,统一社会信用代码,所属地区\n天水企业,{tianshui_code},620503\n");
    import(store, ImportKind::Enterprises, "t.csv", tianshui.as_bytes()).await;
    let takeover = format!("企业名称,统一社会信用代码,所属地区\n改到白银,{tianshui_code},620402\n");
    let report =
        import_bytes_in_scope(store, ImportKind::Enterprises, "r.csv", takeover.as_bytes(), false, &actor(), &baiyin)
            .await
            .unwrap();
    assert_eq!(problem_cells(&report), [(2, "统一社会信用代码".to_string())]);
    assert!(report.problems[0].message.contains("无权修改该记录"));
    assert!(!report.problems[0].message.contains("其他地区"), "the message does not confirm the enterprise");
}

/// A region user importing the code of another region's record is told "not allowed"
/// exactly as for a new record it may not create there, so the message does not confirm
/// that the record exists (security issue, part 1 item 7).
async fn import_messages_do_not_tell_whether_another_regions_record_exists(store: &Store) {
    let baiyin = ImportScope::Within(RegionCode::parse("620400").unwrap());
    let tianshui_code = enterprise_code("91620503MA0000021");
    let setup = "项目编号,项目名称,所属地区\nTS-SECRET-1,天水项目,620503\n";
    import(store, ImportKind::Projects, "t.csv", setup.as_bytes()).await;
    let enterprises = format!("企业名称,统一社会信用代码,所属地区\n天水企业,{tianshui_code},620503\n");
    import(store, ImportKind::Enterprises, "e.csv", enterprises.as_bytes()).await;

    let problems = |report: &ImportReport| -> Vec<(String, String)> {
        report.problems.iter().map(|p| (p.column.clone(), p.message.clone())).collect()
    };
    let project_row = |code: &str, region: &str| format!("项目编号,项目名称,所属地区\n{code},白银项目,{region}\n");
    let mut project_messages = Vec::new();
    for csv in [
        project_row("TS-SECRET-1", "620402"), // another region's project, moved into Baiyin
        project_row("TS-SECRET-1", "620503"), // another region's project, left where it is
        project_row("TS-NEW-1", "620503"),    // a new project outside Baiyin
    ] {
        let report =
            import_bytes_in_scope(store, ImportKind::Projects, "b.csv", csv.as_bytes(), true, &actor(), &baiyin)
                .await
                .unwrap();
        let found = problems(&report);
        assert_eq!(found.len(), 1, "{csv}: {found:?}");
        assert!(found[0].1.contains("无权修改该记录"), "{found:?}");
        for leak in ["其他地区", "已被", "已登记", "TS-SECRET-1", "620503"] {
            assert!(!found[0].1.contains(leak), "{found:?} says {leak}");
        }
        project_messages.push(found);
    }
    assert!(project_messages.windows(2).all(|w| w[0] == w[1]), "one message for all: {project_messages:?}");

    let enterprise_row =
        |code: &str, region: &str| format!("企业名称,统一社会信用代码,所属地区\n白银企业,{code},{region}\n");
    let new_code = enterprise_code("91620503MA0000022");
    let mut enterprise_messages = Vec::new();
    for csv in [
        enterprise_row(&tianshui_code, "620402"),
        enterprise_row(&tianshui_code, "620503"),
        enterprise_row(&new_code, "620503"),
    ] {
        let report =
            import_bytes_in_scope(store, ImportKind::Enterprises, "b.csv", csv.as_bytes(), true, &actor(), &baiyin)
                .await
                .unwrap();
        let found = problems(&report);
        assert_eq!(found.len(), 1, "{csv}: {found:?}");
        assert!(found[0].1.contains("无权修改该记录"), "{found:?}");
        for leak in ["其他地区", "已登记", tianshui_code.as_str(), "620503"] {
            assert!(!found[0].1.contains(leak), "{found:?} says {leak}");
        }
        enterprise_messages.push(found);
    }
    assert!(enterprise_messages.windows(2).all(|w| w[0] == w[1]), "one message for all: {enterprise_messages:?}");

    // Funding of another region's project reads as for a project that does not exist.
    let funding = |code: &str| format!("项目编号,到位日期,到位金额(万元)\n{code},2024-06-30,10\n");
    let mut funding_messages = Vec::new();
    for code in ["TS-SECRET-1", "TS-NONE-1"] {
        let csv = funding(code).replace(code, "CODE");
        let report = import_bytes_in_scope(
            store,
            ImportKind::Funding,
            "f.csv",
            funding(code).as_bytes(),
            true,
            &actor(),
            &baiyin,
        )
        .await
        .unwrap();
        let found: Vec<(String, String)> =
            problems(&report).into_iter().map(|(column, message)| (column, message.replace(code, "CODE"))).collect();
        assert_eq!(found.len(), 1, "{csv}: {found:?}");
        funding_messages.push(found);
    }
    assert_eq!(funding_messages[0], funding_messages[1]);
}

/// Text a spreadsheet would run (`=HYPERLINK`, `+cmd|`, `-2+3`, `@SUM`) leaves a CSV
/// export as text, and the export imports back to the very same values.
async fn csv_exports_neutralise_formulas_and_import_back_unchanged(store: &Store) {
    let hostile = [r#"=HYPERLINK("http://evil.example","点此查看")"#, "+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)"];
    let projects = format!(
        "项目编号,项目名称,所属地区,投资方,来源单位\nFX-001,\"{}\",620503,{},{}\nFX-002,{},620503,'普通文字,\n",
        hostile[0].replace('"', "\"\""),
        hostile[1],
        hostile[2],
        hostile[3]
    );
    let report = import(store, ImportKind::Projects, "p.csv", projects.as_bytes()).await;
    assert!(report.is_ok(), "{:?}", report.problems);
    let enterprises =
        format!("企业名称,统一社会信用代码,所属地区,简介\n{},{},620503,-1+1\n", hostile[3], credit_code());
    assert!(import(store, ImportKind::Enterprises, "e.csv", enterprises.as_bytes()).await.is_ok());

    for kind in [ImportKind::Projects, ImportKind::Enterprises] {
        let table = export_table(store, kind, &ProjectFilter::default()).await.unwrap();
        let bytes = write_table(&table, TableFormat::Csv).unwrap();
        let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(&bytes[3..]);
        for record in reader.records() {
            for cell in record.unwrap().iter() {
                assert!(!cell.starts_with(['=', '+', '-', '@']), "{kind:?}: a cell a spreadsheet would run: {cell}");
            }
        }
        let again = import(store, kind, "export.csv", &bytes).await;
        assert_eq!(counts(&again), (0, 0, table.rows.len()), "{kind:?}: {:?}", again.problems);
    }
    let one = store.project_by_code("FX-001").await.unwrap().unwrap().data;
    assert_eq!((one.name.as_str(), one.source_org.as_str()), (hostile[0], hostile[2]));
    let two = store.project_by_code("FX-002").await.unwrap().unwrap().data;
    assert_eq!((two.name.as_str(), two.investor.as_str()), (hostile[3], "'普通文字"));
}
