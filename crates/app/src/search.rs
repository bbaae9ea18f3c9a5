//! Global search in Chinese (SPEC area 12) over enterprises and projects.
//!
//! A tantivy index: names and descriptions are segmented with jieba (its dictionary is
//! compiled into the binary, so this works offline). The index is kept in step by the
//! services that write: after an import or a form is saved, `follow_import` re-reads the
//! written records and replaces their documents. The server keeps it in a folder beside
//! an SQLite file (`open_at`), because at millions of enterprises a rebuild takes
//! minutes; it is reused at start only when it was sealed at a clean stop with the
//! database's stamp (last audit entry and record counts) that the database still has,
//! and rebuilt otherwise (missing, crashed, or changed by the command line meanwhile).
//!
//! Beside the jieba tokens, names and texts are indexed as Chinese characters and pairs
//! of neighbouring characters (`core::search`), so that a single character or a word
//! jieba does not know is found too.
//!
//! A query is split on spaces into words that must all match (“白银 有色” finds what
//! matches both). A word written in Chinese characters matches a record when each of its
//! characters is in the record's name or text (`core::search`; every jieba token or a
//! name prefix of such a word implies that); another word when every jieba token of the
//! word is in its name or text, or when the name starts with the word. Any word matches
//! the record whose code (credit code, project code) it is. Results are limited to the
//! caller's record scope inside the index, counted per kind, and ranked by BM25 with name
//! matches weighing more: the code first, then the whole word (most in the name), and
//! characters found only apart last.

use crate::exchange::{ImportKind, ImportReport};
use crate::{AppError, AppResult};
use serde::Serialize;
use std::collections::HashMap;
use std::ops::Bound;
use std::path::Path;
use std::sync::{Arc, Mutex, RwLock};
use tantivy::collector::{Count, TopDocs};
use tantivy::directory::MmapDirectory;
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, Occur, PhraseQuery, Query, QueryClone, RangeQuery, TermQuery,
};
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value, INDEXED, STORED, STRING,
};
use tantivy::tokenizer::{LowerCaser, RawTokenizer, TextAnalyzer, Token, TokenStream, Tokenizer};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};
use tantivy_jieba::JiebaTokenizer;
use zhaoshang_core::access::RecordScope;
use zhaoshang_core::search::{han_grams, han_word_characters, whole_word_grams};
use zhaoshang_store::enterprises::Enterprise;
use zhaoshang_store::projects::Project;
use zhaoshang_store::Store;

/// What a search may return.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SearchKind {
    Enterprise,
    Project,
}

impl SearchKind {
    pub const ALL: [SearchKind; 2] = [SearchKind::Enterprise, SearchKind::Project];

    pub fn key(self) -> &'static str {
        match self {
            SearchKind::Enterprise => "enterprise",
            SearchKind::Project => "project",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SearchKind::Enterprise => "企业",
            SearchKind::Project => "项目",
        }
    }

    pub fn parse(text: &str) -> AppResult<SearchKind> {
        match text.trim() {
            "enterprise" | "企业" => Ok(SearchKind::Enterprise),
            "project" | "项目" => Ok(SearchKind::Project),
            other => {
                Err(AppError::Invalid(format!("搜索类型“{other}”无效，应为 enterprise（企业）或 project（项目）")))
            }
        }
    }
}

#[derive(Debug, Clone)]
pub struct SearchQuery {
    pub text: String,
    pub kind: Option<SearchKind>,
    /// Results per page.
    pub limit: usize,
    /// 1-based.
    pub page: u32,
}

/// Results per page unless asked otherwise, and at most.
pub const DEFAULT_LIMIT: usize = 20;
pub const MAX_LIMIT: usize = 100;

/// How many records of each kind match a query.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct KindTotals {
    pub enterprise: usize,
    pub project: usize,
}

impl KindTotals {
    pub fn of(&self, kind: SearchKind) -> usize {
        match kind {
            SearchKind::Enterprise => self.enterprise,
            SearchKind::Project => self.project,
        }
    }

    pub fn all(&self) -> usize {
        self.enterprise + self.project
    }
}

/// One page of a search, and how many records match on all pages.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchResults {
    /// Best first; empty past the last page.
    pub items: Vec<SearchHit>,
    pub page: u32,
    /// Records of the kind asked for (of both kinds when none was) on all pages.
    pub total: usize,
    /// Records of each kind, whichever kind was asked for.
    pub totals: KindTotals,
}

/// One record found, best first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchHit {
    pub kind: SearchKind,
    pub id: i64,
    pub name: String,
    /// Credit code of an enterprise, code of a project.
    pub code: String,
    pub region: String,
    pub region_name: String,
    pub score: f32,
}

/// Name matches count this much more than matches in the text.
const NAME_BOOST: f32 = 3.0;
/// A name starting with the word typed.
const PREFIX_BOOST: f32 = 4.0;
/// The exact code: what the user meant, whatever else matches.
const CODE_BOOST: f32 = 20.0;
/// A Chinese word's characters found in the record, apart or not: a fixed score below
/// anything BM25 adds for the word whole, its jieba tokens or a prefix.
const CHARACTERS_SCORE: f32 = 0.1;
/// Records read from the database per page while building.
const BUILD_PAGE: i64 = 5000;
/// The index writer's memory budget (tantivy needs at least 15 MB per thread).
const WRITER_BYTES: usize = 32_000_000;

const JIEBA_INDEX: &str = "jieba_index";
const RAW_LOWER: &str = "raw_lower";
const HAN_GRAMS: &str = "han_grams";
/// How documents are analysed: a kept index sealed under another version is rebuilt,
/// since tokenizers may change while the schema's field names stay (a schema that differs
/// is refused by tantivy and rebuilt too). 2: Chinese character grams beside jieba.
const INDEX_VERSION: u32 = 2;

struct Fields {
    /// "enterprise:12": the document's identity, for replacing it.
    key: Field,
    kind: Field,
    id: Field,
    name: Field,
    /// The whole name, lower-cased, for prefix look-ups.
    name_prefix: Field,
    /// Description, tags, investor… everything else worth finding a record by.
    text: Field,
    /// The name and the text as Chinese characters and pairs (`core::search::han_grams`).
    name_grams: Field,
    text_grams: Field,
    code: Field,
    region: Field,
    region_name: Field,
    /// Every region prefix the record lies in ("62", "6204", "620402"): the scope filter.
    scope: Field,
    /// A project's chain: a chain department finds its chains' projects only.
    chain: Field,
}

struct Inner {
    index: Index,
    reader: IndexReader,
    writer: Mutex<IndexWriter>,
    fields: Fields,
    /// Segments a query word the way the user means it (jieba's default mode), while
    /// documents are indexed in search mode, which adds the shorter words inside longer
    /// ones ("稀土" inside "稀土新材料").
    query_analyzer: TextAnalyzer,
    region_names: RwLock<HashMap<String, String>>,
}

/// The search index, cheap to clone (the web state carries one).
#[derive(Clone)]
pub struct SearchIndex {
    inner: Arc<Inner>,
}

fn search_error(error: impl std::fmt::Display) -> AppError {
    AppError::Internal(format!("搜索索引出错：{error}"))
}

fn join_error(error: tokio::task::JoinError) -> AppError {
    AppError::Internal(format!("搜索任务中断：{error}"))
}

fn schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let jieba = TextFieldIndexing::default().set_tokenizer(JIEBA_INDEX).set_index_option(IndexRecordOption::WithFreqs);
    let raw_lower = TextFieldIndexing::default().set_tokenizer(RAW_LOWER).set_index_option(IndexRecordOption::Basic);
    let grams = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(HAN_GRAMS)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let fields = Fields {
        key: builder.add_text_field("key", STRING),
        kind: builder.add_text_field("kind", STRING | STORED),
        id: builder.add_i64_field("id", INDEXED | STORED),
        name: builder.add_text_field("name", TextOptions::default().set_indexing_options(jieba.clone()).set_stored()),
        name_prefix: builder
            .add_text_field("name_prefix", TextOptions::default().set_indexing_options(raw_lower.clone())),
        text: builder.add_text_field("text", TextOptions::default().set_indexing_options(jieba)),
        name_grams: builder.add_text_field("name_grams", grams.clone()),
        text_grams: builder.add_text_field("text_grams", grams),
        code: builder.add_text_field("code", TextOptions::default().set_indexing_options(raw_lower).set_stored()),
        region: builder.add_text_field("region", STRING | STORED),
        region_name: builder.add_text_field("region_name", STORED),
        scope: builder.add_text_field("scope", STRING),
        chain: builder.add_text_field("chain", STRING),
    };
    (builder.build(), fields)
}

/// The region prefixes a record of `region` is found under: province, city, county.
fn scope_terms(region: &str) -> Vec<&str> {
    [2, 4, 6].iter().filter_map(|&len| region.get(..len)).collect()
}

fn doc_key(kind: SearchKind, id: i64) -> String {
    format!("{}:{id}", kind.key())
}

/// What a kept index is sealed with: the index version and the database's stamp.
fn seal_of(stamp: &str) -> String {
    format!("v{INDEX_VERSION} {stamp}")
}

/// Chinese characters and pairs of neighbouring ones as tokens, at their character
/// positions, so that a phrase of pairs finds a word whole.
#[derive(Clone, Default)]
struct HanGramTokenizer;

struct HanGramStream {
    tokens: Vec<Token>,
    /// 1 + the index of the current token (0 before the first `advance`).
    next: usize,
}

impl Tokenizer for HanGramTokenizer {
    type TokenStream<'a> = HanGramStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> HanGramStream {
        let tokens = han_grams(text)
            .into_iter()
            .map(|gram| Token {
                offset_from: gram.from,
                offset_to: gram.to,
                position: gram.position,
                text: gram.text,
                position_length: 1,
            })
            .collect();
        HanGramStream { tokens, next: 0 }
    }
}

impl TokenStream for HanGramStream {
    fn advance(&mut self) -> bool {
        if self.next < self.tokens.len() {
            self.next += 1;
            true
        } else {
            false
        }
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

/// A clause every result must meet that leaves the score as it is.
fn filter(field: Field, value: &str) -> (Occur, Box<dyn Query>) {
    let term = TermQuery::new(Term::from_field_text(field, value), IndexRecordOption::Basic);
    (Occur::Must, Box::new(ConstScoreQuery::new(Box::new(term), 0.0)))
}

/// A record as the index sees it.
struct Record {
    kind: SearchKind,
    id: i64,
    name: String,
    code: String,
    region: String,
    text: String,
    /// A project's chain ("" for enterprises and projects on no chain).
    chain: String,
}

impl Record {
    fn of_enterprise(enterprise: &Enterprise) -> Record {
        let d = &enterprise.data;
        Record {
            kind: SearchKind::Enterprise,
            id: enterprise.id,
            name: d.name.clone(),
            code: d.credit_code.clone(),
            region: d.region_code.clone(),
            text: [d.description.as_str(), d.tags.as_str(), d.stock_code.as_str()].join(" "),
            chain: String::new(),
        }
    }

    fn of_project(project: &Project) -> Record {
        let d = &project.data;
        Record {
            kind: SearchKind::Project,
            id: project.id,
            name: d.name.clone(),
            code: d.code.clone(),
            region: d.region_code.clone(),
            text: [&d.investor, &d.description, &d.chain, &d.chain_node, &d.park].map(String::as_str).join(" "),
            chain: d.chain.clone(),
        }
    }
}

impl SearchIndex {
    /// An empty index in memory; `open` fills one from the database.
    pub fn new() -> AppResult<SearchIndex> {
        let (schema, fields) = schema();
        SearchIndex::over(Index::create_in_ram(schema), fields)
    }

    /// The index kept in `folder`; a folder holding something else (an index of an
    /// older schema, a broken one) is emptied first.
    fn in_folder(folder: &Path) -> AppResult<SearchIndex> {
        std::fs::create_dir_all(folder).map_err(search_error)?;
        let open = || -> tantivy::Result<Index> {
            let (schema, _) = schema();
            Index::open_or_create(MmapDirectory::open(folder)?, schema)
        };
        let index = match open() {
            Ok(index) => index,
            Err(_) => {
                std::fs::remove_dir_all(folder).map_err(search_error)?;
                std::fs::create_dir_all(folder).map_err(search_error)?;
                open().map_err(search_error)?
            }
        };
        let (_, fields) = schema();
        SearchIndex::over(index, fields)
    }

    fn over(index: Index, fields: Fields) -> AppResult<SearchIndex> {
        let indexing = TextAnalyzer::builder(JiebaTokenizer::new()).filter(LowerCaser).build();
        index.tokenizers().register(JIEBA_INDEX, indexing);
        index
            .tokenizers()
            .register(RAW_LOWER, TextAnalyzer::builder(RawTokenizer::default()).filter(LowerCaser).build());
        index.tokenizers().register(HAN_GRAMS, HanGramTokenizer);
        let writer = index.writer_with_num_threads(1, WRITER_BYTES).map_err(search_error)?;
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into().map_err(search_error)?;
        let query_analyzer = TextAnalyzer::builder(JiebaTokenizer::with_search_mode(false)).filter(LowerCaser).build();
        Ok(SearchIndex {
            inner: Arc::new(Inner {
                index,
                reader,
                writer: Mutex::new(writer),
                fields,
                query_analyzer,
                region_names: RwLock::default(),
            }),
        })
    }

    /// An index of every enterprise and project in the database, in memory.
    pub async fn open(store: &Store) -> AppResult<SearchIndex> {
        let index = SearchIndex::new()?;
        index.rebuild(store).await?;
        Ok(index)
    }

    /// The index kept in `folder` (in memory when `None`), rebuilt unless it was sealed
    /// with the database's current stamp; says whether it was rebuilt. The seal is
    /// removed on opening, so a crash before the next `seal` means a rebuild.
    pub async fn open_at(store: &Store, folder: Option<&Path>) -> AppResult<(SearchIndex, bool)> {
        let Some(folder) = folder else {
            return Ok((SearchIndex::open(store).await?, true));
        };
        let index = SearchIndex::in_folder(folder)?;
        let sealed = index.inner.index.load_metas().map_err(search_error)?.payload;
        let current = store.change_stamp().await?;
        let fresh = sealed == Some(seal_of(&current));
        if fresh {
            index.load_region_names(store).await?;
            index.commit_with_payload(String::new()).await?;
        } else {
            index.rebuild(store).await?;
        }
        Ok((index, !fresh))
    }

    /// Marks the index as matching the database as it is now (at a clean stop).
    pub async fn seal(&self, store: &Store) -> AppResult<()> {
        let stamp = store.change_stamp().await?;
        self.commit_with_payload(seal_of(&stamp)).await
    }

    /// Commits pending changes with `payload` as the seal ("" for none).
    async fn commit_with_payload(&self, payload: String) -> AppResult<()> {
        self.on_writer(move |writer| {
            let mut prepared = writer.prepare_commit()?;
            prepared.set_payload(&payload);
            prepared.commit().map(|_| ())
        })
        .await?;
        self.inner.reader.reload().map_err(search_error)
    }

    /// Replaces the whole index with the database's records, page by page so that
    /// memory stays bounded; returns how many. Searches see the old index until the end.
    pub async fn rebuild(&self, store: &Store) -> AppResult<usize> {
        self.load_region_names(store).await?;
        self.on_writer(|writer| writer.delete_all_documents().map(|_| ())).await?;
        let mut count = 0;
        let mut after = 0;
        loop {
            let page = store.enterprises_after(after, BUILD_PAGE).await?;
            after = page.last().map_or(after, |e| e.id);
            count += page.len();
            self.add(page.iter().map(|e| self.document(&Record::of_enterprise(e))).collect(), false).await?;
            if (page.len() as i64) < BUILD_PAGE {
                break;
            }
        }
        after = 0;
        loop {
            let page = store.projects_after(after, BUILD_PAGE).await?;
            after = page.last().map_or(after, |p| p.id);
            count += page.len();
            self.add(page.iter().map(|p| self.document(&Record::of_project(p))).collect(), false).await?;
            if (page.len() as i64) < BUILD_PAGE {
                break;
            }
        }
        self.commit().await?;
        Ok(count)
    }

    /// Re-reads the records an import (or a form saved as one) wrote.
    pub async fn follow_import(&self, store: &Store, report: &ImportReport) -> AppResult<()> {
        if !report.applied || report.written_keys.is_empty() {
            return Ok(());
        }
        match report.kind {
            ImportKind::Enterprises => self.index_enterprises(store, &report.written_keys).await,
            ImportKind::Projects => self.index_projects(store, &report.written_keys).await,
            ImportKind::Funding
            | ImportKind::Targets
            | ImportKind::Chambers
            | ImportKind::Activities
            | ImportKind::Chains
            | ImportKind::ChainEnterprises
            | ImportKind::Appeals
            | ImportKind::Achievements
            | ImportKind::Experts
            | ImportKind::Reviews
            | ImportKind::Parcels => Ok(()),
        }
    }

    /// Indexes (again) the enterprises with these credit codes.
    pub async fn index_enterprises(&self, store: &Store, credit_codes: &[String]) -> AppResult<()> {
        let enterprises = store.enterprises_by_codes(credit_codes).await?;
        self.ensure_region_names(store, enterprises.iter().map(|e| e.data.region_code.as_str())).await?;
        self.add(enterprises.iter().map(|e| self.document(&Record::of_enterprise(e))).collect(), true).await?;
        self.commit().await
    }

    /// Indexes (again) the projects with these codes.
    pub async fn index_projects(&self, store: &Store, codes: &[String]) -> AppResult<()> {
        let projects = store.projects_by_codes(codes).await?;
        self.ensure_region_names(store, projects.iter().map(|p| p.data.region_code.as_str())).await?;
        self.add(projects.iter().map(|p| self.document(&Record::of_project(p))).collect(), true).await?;
        self.commit().await
    }

    async fn load_region_names(&self, store: &Store) -> AppResult<()> {
        let names = store.all_regions().await?.into_iter().map(|region| (region.code, region.name)).collect();
        *self.inner.region_names.write().map_err(search_error)? = names;
        Ok(())
    }

    /// Reloads the region names when a record lies in a region not seen yet.
    async fn ensure_region_names(&self, store: &Store, mut codes: impl Iterator<Item = &str>) -> AppResult<()> {
        let missing = {
            let names = self.inner.region_names.read().map_err(search_error)?;
            codes.any(|code| !names.contains_key(code))
        };
        if missing {
            self.load_region_names(store).await?;
        }
        Ok(())
    }

    fn document(&self, record: &Record) -> TantivyDocument {
        let f = &self.inner.fields;
        let region_name = self
            .inner
            .region_names
            .read()
            .map(|names| names.get(&record.region).cloned().unwrap_or_default())
            .unwrap_or_default();
        let mut document = TantivyDocument::default();
        document.add_text(f.key, doc_key(record.kind, record.id));
        document.add_text(f.kind, record.kind.key());
        document.add_i64(f.id, record.id);
        document.add_text(f.name, &record.name);
        document.add_text(f.name_prefix, &record.name);
        document.add_text(f.text, &record.text);
        document.add_text(f.name_grams, &record.name);
        document.add_text(f.text_grams, &record.text);
        document.add_text(f.code, &record.code);
        document.add_text(f.region, &record.region);
        document.add_text(f.region_name, region_name);
        for prefix in scope_terms(&record.region) {
            document.add_text(f.scope, prefix);
        }
        if record.kind == SearchKind::Project {
            document.add_text(f.chain, &record.chain);
        }
        document
    }

    /// Runs `work` with the index writer, off the runtime: segmenting text and writing
    /// segments is CPU work.
    async fn on_writer<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut IndexWriter) -> tantivy::Result<T> + Send + 'static,
    ) -> AppResult<T> {
        let inner = self.inner.clone();
        tokio::task::spawn_blocking(move || {
            let mut writer = inner.writer.lock().map_err(search_error)?;
            work(&mut writer).map_err(search_error)
        })
        .await
        .map_err(join_error)?
    }

    /// Adds documents, first removing those of the same records when `replace` is set.
    async fn add(&self, documents: Vec<TantivyDocument>, replace: bool) -> AppResult<()> {
        let key = self.inner.fields.key;
        self.on_writer(move |writer| {
            for document in documents {
                if replace {
                    if let Some(id) = document.get_first(key).and_then(|v| v.as_str()) {
                        writer.delete_term(Term::from_field_text(key, id));
                    }
                }
                writer.add_document(document)?;
            }
            Ok(())
        })
        .await
    }

    /// Makes what was added visible to searches.
    async fn commit(&self) -> AppResult<()> {
        self.on_writer(|writer| writer.commit().map(|_| ())).await?;
        self.inner.reader.reload().map_err(search_error)
    }

    /// The page of records matching every word of `query.text` within `scope`, best
    /// first, and how many match.
    pub async fn search(&self, query: &SearchQuery, scope: &RecordScope) -> AppResult<SearchResults> {
        self.search_in(query, scope, None).await
    }

    /// `search`, with projects limited to those of `project_chains` when given (a chain
    /// department's: `core::access::ProjectScope::chains`); enterprises follow `scope`.
    pub async fn search_in(
        &self,
        query: &SearchQuery,
        scope: &RecordScope,
        project_chains: Option<&[String]>,
    ) -> AppResult<SearchResults> {
        let words: Vec<&str> = query.text.split_whitespace().collect();
        if words.is_empty() {
            return Err(AppError::Invalid("请输入要搜索的内容".into()));
        }
        let page = query.page.max(1);
        let Some(prefix) = scope.prefix() else {
            return Ok(SearchResults { items: Vec::new(), page, total: 0, totals: KindTotals::default() });
        };
        let f = &self.inner.fields;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> =
            words.iter().map(|word| (Occur::Must, self.word_query(word))).collect();
        // Filters add the same score to every match, so they do not change the order.
        if !prefix.is_empty() {
            clauses.push(filter(f.scope, prefix));
        }
        if let Some(chains) = project_chains {
            // An enterprise, or a project of one of the chains.
            let term = |field: Field, value: &str| -> (Occur, Box<dyn Query>) {
                (Occur::Should, Box::new(TermQuery::new(Term::from_field_text(field, value), IndexRecordOption::Basic)))
            };
            let mut allowed = vec![term(f.kind, SearchKind::Enterprise.key())];
            allowed.extend(chains.iter().filter(|chain| !chain.is_empty()).map(|chain| term(f.chain, chain)));
            clauses.push((Occur::Must, Box::new(ConstScoreQuery::new(Box::new(BooleanQuery::new(allowed)), 0.0))));
        }
        let matching = BooleanQuery::new(clauses);
        let (kind, limit) = (query.kind, query.limit.clamp(1, MAX_LIMIT));
        let inner = self.inner.clone();
        tokio::task::spawn_blocking(move || inner.run(&matching, kind, limit, page)).await.map_err(join_error)?
    }

    /// A word of the query: its Chinese characters in name or text, or its jieba tokens
    /// all found in name or text, or a name that starts with it, or a code equal to it.
    fn word_query(&self, word: &str) -> Box<dyn Query> {
        let f = &self.inner.fields;
        let mut alternatives: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        if let Some(characters) = han_word_characters(word) {
            alternatives.push((Occur::Should, self.characters_query(word, &characters)));
        }
        let tokens = self.query_tokens(word);
        if !tokens.is_empty() {
            let all_tokens: Vec<(Occur, Box<dyn Query>)> = tokens
                .iter()
                .map(|token| (Occur::Must, self.in_name_or_text(f.name, f.text, token, IndexRecordOption::WithFreqs)))
                .collect();
            alternatives.push((Occur::Should, Box::new(BooleanQuery::new(all_tokens))));
        }
        let lower = word.to_lowercase();
        let prefix = RangeQuery::new(
            Bound::Included(Term::from_field_text(f.name_prefix, &lower)),
            Bound::Excluded(Term::from_field_text(f.name_prefix, &format!("{lower}{}", char::MAX))),
        );
        alternatives.push((Occur::Should, Box::new(BoostQuery::new(Box::new(prefix), PREFIX_BOOST))));
        let code = TermQuery::new(Term::from_field_text(f.code, &lower), IndexRecordOption::Basic);
        alternatives.push((Occur::Should, Box::new(BoostQuery::new(Box::new(code), CODE_BOOST))));
        Box::new(BooleanQuery::new(alternatives))
    }

    /// `term` in the name (weighing `NAME_BOOST` times more) or in the text.
    fn in_name_or_text(&self, name: Field, text: Field, term: &str, option: IndexRecordOption) -> Box<dyn Query> {
        let in_name = TermQuery::new(Term::from_field_text(name, term), option);
        let in_text = TermQuery::new(Term::from_field_text(text, term), option);
        Box::new(BooleanQuery::new(vec![
            (Occur::Should, Box::new(BoostQuery::new(Box::new(in_name), NAME_BOOST))),
            (Occur::Should, Box::new(in_text)),
        ]))
    }

    /// A word in Chinese characters: each of its `characters` in the name or the text, for
    /// a small fixed score, and BM25 for the word whole (its pairs in a row, or its lone
    /// character), in the name weighing more.
    fn characters_query(&self, word: &str, characters: &[char]) -> Box<dyn Query> {
        let f = &self.inner.fields;
        let each: Vec<(Occur, Box<dyn Query>)> = characters
            .iter()
            .map(|c| {
                let c = c.to_string();
                (Occur::Must, self.in_name_or_text(f.name_grams, f.text_grams, &c, IndexRecordOption::Basic))
            })
            .collect();
        let grams = whole_word_grams(word);
        let whole = |field: Field| -> Box<dyn Query> {
            let terms: Vec<(usize, Term)> =
                grams.iter().map(|gram| (gram.position, Term::from_field_text(field, &gram.text))).collect();
            match terms.as_slice() {
                [(_, term)] => Box::new(TermQuery::new(term.clone(), IndexRecordOption::WithFreqs)),
                _ => Box::new(PhraseQuery::new_with_offset(terms)),
            }
        };
        Box::new(BooleanQuery::new(vec![
            (Occur::Must, Box::new(ConstScoreQuery::new(Box::new(BooleanQuery::new(each)), CHARACTERS_SCORE))),
            (Occur::Should, Box::new(BoostQuery::new(whole(f.name_grams), NAME_BOOST))),
            (Occur::Should, whole(f.text_grams)),
        ]))
    }

    /// The word's tokens as indexed, without punctuation.
    fn query_tokens(&self, word: &str) -> Vec<String> {
        let mut analyzer = self.inner.query_analyzer.clone();
        let mut stream = analyzer.token_stream(word);
        let mut tokens = Vec::new();
        while let Some(token) = stream.next() {
            if token.text.chars().any(char::is_alphanumeric) && !tokens.contains(&token.text) {
                tokens.push(token.text.clone());
            }
        }
        tokens
    }

    /// How many documents the index holds (for start-up messages and tests).
    pub fn document_count(&self) -> u64 {
        self.inner.reader.searcher().num_docs()
    }
}

impl Inner {
    /// Counts what `matching` finds of each kind and reads the page asked for.
    fn run(
        &self,
        matching: &BooleanQuery,
        kind: Option<SearchKind>,
        limit: usize,
        page: u32,
    ) -> AppResult<SearchResults> {
        let searcher = self.reader.searcher();
        let f = &self.fields;
        let of_kind =
            |kind: SearchKind| BooleanQuery::new(vec![(Occur::Must, matching.box_clone()), filter(f.kind, kind.key())]);
        let count = |kind: SearchKind| searcher.search(&of_kind(kind), &Count).map_err(search_error);
        let totals = KindTotals { enterprise: count(SearchKind::Enterprise)?, project: count(SearchKind::Project)? };
        let total = kind.map_or(totals.all(), |kind| totals.of(kind));
        let offset = (page as usize - 1).saturating_mul(limit);
        let mut items = Vec::new();
        if offset < total {
            let query: Box<dyn Query> = match kind {
                Some(kind) => Box::new(of_kind(kind)),
                None => matching.box_clone(),
            };
            let collector = TopDocs::with_limit(limit).and_offset(offset).order_by_score();
            for (score, address) in searcher.search(&*query, &collector).map_err(search_error)? {
                let document: TantivyDocument = searcher.doc(address).map_err(search_error)?;
                let text = |field: Field| document.get_first(field).and_then(|v| v.as_str()).unwrap_or("").to_string();
                let kind = match text(f.kind).as_str() {
                    "enterprise" => SearchKind::Enterprise,
                    _ => SearchKind::Project,
                };
                items.push(SearchHit {
                    kind,
                    id: document.get_first(f.id).and_then(|v| v.as_i64()).unwrap_or_default(),
                    name: text(f.name),
                    code: text(f.code),
                    region: text(f.region),
                    region_name: text(f.region_name),
                    score,
                });
            }
        }
        Ok(SearchResults { items, page, total, totals })
    }
}

impl crate::App {
    /// 403 for users who may search nothing (no records: `Principal::may_search`).
    pub fn require_search(&self, principal: &zhaoshang_core::access::Principal) -> AppResult<()> {
        if principal.may_search() {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// The user's records and, for a chain department, its chains (projects of those
    /// chains only, `core::access::ProjectScope`); 403 for users without records.
    async fn search_scope(
        &self,
        principal: &zhaoshang_core::access::Principal,
    ) -> AppResult<(RecordScope, Option<Vec<String>>)> {
        self.require_search(principal)?;
        let chains = crate::scope::project_scope(self.store(), principal).await?.chains;
        Ok((principal.record_scope(), chains))
    }

    /// The page of enterprises and projects in the user's scope matching `query`, best
    /// first, with how many match of each kind.
    pub async fn search(
        &self,
        principal: &zhaoshang_core::access::Principal,
        query: &SearchQuery,
    ) -> AppResult<SearchResults> {
        let (scope, chains) = self.search_scope(principal).await?;
        self.search_index().search_in(query, &scope, chains.as_deref()).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_are_found_under_every_enclosing_region() {
        assert_eq!(scope_terms("620402"), ["62", "6204", "620402"]);
        assert_eq!(scope_terms("620400"), ["62", "6204", "620400"]);
        assert_eq!(doc_key(SearchKind::Project, 7), "project:7");
    }

    #[test]
    fn query_words_are_segmented_as_meant() {
        let index = SearchIndex::new().unwrap();
        assert_eq!(index.query_tokens("稀土"), ["稀土"]);
        assert_eq!(index.query_tokens("、"), Vec::<String>::new());
        assert_eq!(index.query_tokens("ABB"), ["abb"]);
        assert!(SearchKind::parse("企业").is_ok() && SearchKind::parse("chain").is_err());
    }
}
