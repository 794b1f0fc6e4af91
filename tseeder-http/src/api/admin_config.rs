//! `/api/v1/admin/config`: runtime settings (feature flags and plan limits) and their history.
//! Support and above read; only a superadmin changes a setting, with a reason.

use std::sync::Arc;

use poem::web::Data;
use poem_openapi::OpenApi;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use tseeder_core::domain::PageRequest;
use tseeder_core::services::SettingUpdate;

use super::{ApiTag, default_limit, default_page};
use crate::auth::Auth;
use crate::dto::admin_config::{ConfigChangeView, SetSettingRequest, SettingList, SettingView};
use crate::dto::page::Page;
use crate::error::ApiResult;
use crate::request::Meta;
use crate::state::Shared;

/// Runtime settings.
#[derive(Debug)]
pub(crate) struct ConfigAdminApi;

#[OpenApi(prefix_path = "/api/v1/admin", tag = "ApiTag::Admin")]
impl ConfigAdminApi {
    /// Runtime settings
    ///
    /// Every feature flag (`registration_open`, `email_verification`, `torrent_upload`,
    /// `magnet_links`, `free_plan_active`, `maintenance_mode`) with its value, default and
    /// effect, then every plan's limits as `plans.<plan>.<limit>`. Support role and above.
    #[oai(path = "/config", method = "get", operation_id = "adminGetConfig")]
    async fn config(&self, auth: Auth, app: Data<&Arc<Shared>>) -> ApiResult<Json<SettingList>> {
        let settings = app.core.settings.settings(&auth.principal).await?;
        Ok(Json(SettingList { settings: settings.into_iter().map(SettingView::from).collect() }))
    }

    /// Runtime settings history
    ///
    /// Every change, newest first: who, when, why, the ticket, and the old and new value as
    /// JSON. Support role and above.
    #[oai(path = "/config/history", method = "get", operation_id = "adminConfigHistory")]
    async fn history(
        &self,
        auth: Auth,
        app: Data<&Arc<Shared>>,
        /// Only changes of this key.
        key: Query<Option<String>>,
        /// Page number, from 1.
        #[oai(default = "default_page", validator(minimum(value = "1"), maximum(value = "1000000")))]
        page: Query<u64>,
        /// Page size, 1 to 100.
        #[oai(default = "default_limit", validator(minimum(value = "1"), maximum(value = "100")))]
        limit: Query<u64>,
    ) -> ApiResult<Json<Page<ConfigChangeView>>> {
        let key = key.0.as_deref().map(str::trim).filter(|k| !k.is_empty());
        let changes = app.core.settings.history(&auth.principal, key, PageRequest::new(page.0, limit.0)).await?;
        Ok(Json(changes.into()))
    }

    /// Change a runtime setting
    ///
    /// Takes effect at once, for the next request that reads it. A flag takes `true` or
    /// `false`; a plan limit a whole number, or `null` for unlimited (400
    /// `invalid_setting_value` otherwise); an unknown key is 404 `setting_not_found`. Audited
    /// as `config.changed` and kept in the history. Superadmin only.
    #[oai(path = "/config/:key", method = "put", operation_id = "adminSetConfig")]
    async fn set(
        &self,
        auth: Auth,
        app: Data<&Arc<Shared>>,
        meta: Meta,
        /// The setting's key, e.g. `magnet_links` or `plans.free.max_jobs`.
        key: Path<String>,
        body: Json<SetSettingRequest>,
    ) -> ApiResult<Json<SettingView>> {
        let update = SettingUpdate { value: &body.value.0, reason: &body.reason, ticket: body.ticket_id.as_deref() };
        let setting = app.core.settings.set(&auth.principal, &key.0, update, &meta.0).await?;
        Ok(Json(setting.into()))
    }
}
