//! Assist groups (助力小组): a region's groups with their leader, members, experts and
//! entrepreneurs, the platform accounts among them (whose inbox shows the group's plan
//! tasks) and the enterprises each 包抓 from the enterprise library. A group's page
//! gathers its enterprises, the visits to them, the research reports it wrote (those
//! naming it as their research group) and the plan tasks it owns. Read as work plans are.

use crate::instructions::departments;
use crate::work_plans::TaskView;
use crate::{App, AppError, AppResult};
use std::collections::HashMap;
use zhaoshang_core::access::Principal;
use zhaoshang_core::regions::RegionCode;
use zhaoshang_core::work_plans::{due_day, task_status, FieldErrors, MAX_TEXT, MAX_TITLE};
use zhaoshang_store::audit::Actor;
use zhaoshang_store::groups::{Group, GroupData, GroupEnterprise, GroupUser};
use zhaoshang_store::reports::Report;
use zhaoshang_store::visits::Visit;

/// The most visits a group's page lists.
const MAX_VISITS: i64 = 100;

/// A group's page.
pub struct GroupView {
    pub group: Group,
    pub users: Vec<GroupUser>,
    pub enterprises: Vec<GroupEnterprise>,
    /// Whether the enterprises are withheld: a member outside the group reads its work,
    /// not its enterprises (SPEC: a member sees its own group's enterprises).
    pub enterprises_hidden: bool,
    pub visits: Vec<Visit>,
    pub reports: Vec<Report>,
    pub tasks: Vec<TaskView>,
    pub may_edit: bool,
}

fn value<'a>(values: &'a HashMap<String, String>, key: &str) -> &'a str {
    values.get(key).map_or("", |v| v.trim())
}

impl App {
    pub async fn group_list(&self, principal: &Principal) -> AppResult<Vec<Group>> {
        let prefix = Self::work_plan_prefix(principal)?;
        Ok(self.store().groups(&prefix).await?)
    }

    /// A group the user reads; 404 for any other.
    async fn readable_group(&self, principal: &Principal, id: &str) -> AppResult<Group> {
        let prefix = Self::work_plan_prefix(principal)?;
        let not_found = || AppError::not_found("该助力小组");
        let id: i64 = id.trim().parse().map_err(|_| not_found())?;
        self.store().group(id).await?.filter(|g| g.data.region_code.starts_with(&prefix)).ok_or_else(not_found)
    }

    fn may_edit_group(principal: &Principal, group: &Group) -> bool {
        RegionCode::parse(&group.data.region_code).is_ok_and(|region| principal.may_edit_work_plans_of(&region))
    }

    pub async fn group_view(&self, principal: &Principal, id: &str) -> AppResult<GroupView> {
        let group = self.readable_group(principal, id).await?;
        let region = RegionCode::parse(&group.data.region_code).map_err(AppError::internal)?;
        let (today, calendar) = (crate::calendar::today(), self.calendar().await?);
        let tasks = self
            .store()
            .group_plan_tasks(group.id)
            .await?
            .into_iter()
            .map(|task| {
                let status = task_status(task.data.deadline, task.done_on, task.progress_count, today, &calendar);
                TaskView { due_on: due_day(task.data.deadline, &calendar), task, status }
            })
            .collect();
        let users = self.store().group_users(group.id).await?;
        let enterprises_hidden =
            !principal.record_scope().allows(&region) && !users.iter().any(|u| u.id == principal.user_id);
        let enterprises =
            if enterprises_hidden { Vec::new() } else { self.store().group_enterprises(group.id).await? };
        Ok(GroupView {
            users,
            enterprises,
            enterprises_hidden,
            visits: self.store().group_visits(group.id, MAX_VISITS).await?,
            reports: self.store().group_reports(&group.data.name, region.scope_prefix()).await?,
            tasks,
            may_edit: Self::may_edit_group(principal, &group),
            group,
        })
    }

    /// A group to edit, with its accounts' user names and its enterprises' codes as the
    /// form lists them; 404 outside the user's scope, 403 without the right.
    pub async fn group_for_edit(&self, principal: &Principal, id: &str) -> AppResult<(Group, String, String)> {
        let group = self.readable_group(principal, id).await?;
        if !Self::may_edit_group(principal, &group) {
            return Err(AppError::Forbidden);
        }
        let users = self.store().group_users(group.id).await?;
        let enterprises = self.store().group_enterprises(group.id).await?;
        let accounts = users.iter().map(|u| u.username.as_str()).collect::<Vec<_>>().join("\n");
        let codes = enterprises.iter().map(|e| e.credit_code.as_str()).collect::<Vec<_>>().join("\n");
        Ok((group, accounts, codes))
    }

    /// Creates a group (`id` None) or replaces one. Accounts are user names; enterprises
    /// are credit codes or names of the library's enterprises of the group's region.
    /// Returns its id, or the form's errors (nothing written).
    pub async fn save_group(
        &self,
        principal: &Principal,
        actor: &Actor,
        id: Option<&str>,
        values: &HashMap<String, String>,
    ) -> AppResult<Result<i64, FieldErrors>> {
        let before = match id {
            Some(id) => Some(self.group_for_edit(principal, id).await?.0),
            None => None,
        };
        let mut errors = FieldErrors::new();
        let stored = before.as_ref().map(|group| group.data.region_code.as_str());
        let region = self.region_to_save(principal, stored, values, &mut errors, "请选择小组所属的市州或县区").await?;
        let mut text = |field: &'static str, label: &str, max: usize| {
            let text = value(values, field).to_string();
            if text.chars().count() > max {
                errors.insert(field, format!("{label}不能超过 {max} 个字"));
            }
            text
        };
        let name = text("name", "小组名称", MAX_TITLE);
        let leader = text("leader", "组长", MAX_TITLE);
        let members = text("members", "成员", MAX_TEXT);
        let experts = text("experts", "专家", MAX_TEXT);
        let entrepreneurs = text("entrepreneurs", "企业家", MAX_TEXT);
        if name.is_empty() {
            errors.insert("name", "请填写小组名称".to_string());
        }
        let mut user_ids = Vec::new();
        let mut unknown = Vec::new();
        for username in departments(value(values, "accounts")) {
            match self.store().user_by_name(&username).await? {
                Some(user) if !user_ids.contains(&user.id) => user_ids.push(user.id),
                Some(_) => {}
                None => unknown.push(username),
            }
        }
        if !unknown.is_empty() {
            errors.insert("accounts", format!("未找到这些平台账号：{}", unknown.join("、")));
        }
        let mut enterprise_ids = Vec::new();
        let mut outside = Vec::new();
        for typed in departments(value(values, "enterprises")) {
            let found = self.enterprise_named(&typed).await?;
            let within = |code: &str| region.as_ref().is_some_and(|r| code.starts_with(r.scope_prefix()));
            match found.filter(|e| within(&e.data.region_code)) {
                Some(enterprise) if !enterprise_ids.contains(&enterprise.id) => enterprise_ids.push(enterprise.id),
                Some(_) => {}
                None => outside.push(typed),
            }
        }
        if !outside.is_empty() {
            errors.insert("enterprises", format!("企业名录中本地区没有这些企业：{}", outside.join("、")));
        }
        let Some(region) = region.filter(|_| errors.is_empty()) else { return Ok(Err(errors)) };
        let data = GroupData { region_code: region.to_string(), name, leader, members, experts, entrepreneurs };
        let id = self.store().save_group(before.map(|g| g.id), &data, &user_ids, &enterprise_ids, actor).await?;
        Ok(Ok(id))
    }
}
