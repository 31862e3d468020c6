//! `/categories` and `/tags`: the same four endpoints for two kinds of label. The logic is
//! the generic code in `store::labels`; this module only gives each kind its paths.

use axum::{extract::State, http::StatusCode, Json as JsonOut};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;

use crate::{
    app::{
        labels::{self, Label, LabelView},
        AppState,
    },
    error::CoreResult,
    http::error::ApiResult,
    http::extract::{Id, Json},
    http::principal::CurrentUser,
    schema,
};

/// A label to create.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewLabel {
    /// 1-64 characters, unique per user.
    #[schema(schema_with = schema::label_name)]
    pub name: String,
    /// `#rrggbb`.
    #[schema(schema_with = schema::color)]
    pub color: String,
}

/// Changes to a label.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LabelChanges {
    #[schema(schema_with = schema::label_name_or_null)]
    pub name: Option<String>,
    #[schema(schema_with = schema::color_or_null)]
    pub color: Option<String>,
}

async fn list<L: Label>(state: AppState, user: CurrentUser) -> CoreResult<JsonOut<Vec<LabelView>>> {
    Ok(JsonOut(labels::list::<L>(&state, user.owner).await?))
}

async fn create<L: Label>(
    state: AppState,
    user: CurrentUser,
    req: NewLabel,
) -> CoreResult<(StatusCode, JsonOut<LabelView>)>
where
    L::Model: sea_orm::IntoActiveModel<L::ActiveModel>,
    L::ActiveModel: sea_orm::ActiveModelTrait<Entity = L> + Send,
{
    let created = labels::create::<L>(&state, user.owner, &req.name, &req.color).await?;
    Ok((StatusCode::CREATED, JsonOut(created)))
}

async fn update<L: Label>(
    state: AppState,
    user: CurrentUser,
    id: L::Id,
    req: LabelChanges,
) -> CoreResult<JsonOut<LabelView>> {
    let (name, color) = (req.name.as_deref(), req.color.as_deref());
    Ok(JsonOut(
        labels::update::<L>(&state, user.owner, id, name, color).await?,
    ))
}

async fn delete<L: Label>(state: AppState, user: CurrentUser, id: L::Id) -> CoreResult<StatusCode> {
    labels::delete::<L>(&state, user.owner, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Declares the annotated handlers of one label kind.
macro_rules! label_endpoints {
    ($module:ident, $entity:ty, $tag:tt, $collection:tt, $member:tt) => {
        mod $module {
            use super::*;
            use crate::http::error::ErrorEnvelope;
            use utoipa_axum::routes;

            pub fn routes() -> OpenApiRouter<AppState> {
                OpenApiRouter::new()
                    .routes(routes!(list_labels, create_label))
                    .routes(routes!(update_label, delete_label))
            }

            /// All of the user's labels of this kind, by name.
            #[utoipa::path(get, path = $collection, tag = $tag, responses((status = 200, body = [LabelView])))]
            async fn list_labels(State(state): State<AppState>, user: CurrentUser) -> ApiResult<JsonOut<Vec<LabelView>>> {
                Ok(list::<$entity>(state, user).await?)
            }

            /// Creates a label.
            #[utoipa::path(post, path = $collection, tag = $tag, request_body = NewLabel,
                responses((status = 201, body = LabelView), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
            async fn create_label(State(state): State<AppState>, user: CurrentUser, Json(req): Json<NewLabel>) -> ApiResult<(StatusCode, JsonOut<LabelView>)> {
                Ok(create::<$entity>(state, user, req).await?)
            }

            /// Renames or recolours a label.
            #[utoipa::path(patch, path = $member, tag = $tag, params(("id" = i64, Path)), request_body = LabelChanges,
                responses((status = 200, body = LabelView), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
            async fn update_label(State(state): State<AppState>, user: CurrentUser, Id(id): Id<<$entity as Label>::Id>, Json(req): Json<LabelChanges>) -> ApiResult<JsonOut<LabelView>> {
                Ok(update::<$entity>(state, user, id, req).await?)
            }

            /// Deletes a label; items keep existing without it.
            #[utoipa::path(delete, path = $member, tag = $tag, params(("id" = i64, Path)),
                responses((status = 204), (status = 404, body = ErrorEnvelope)))]
            async fn delete_label(State(state): State<AppState>, user: CurrentUser, Id(id): Id<<$entity as Label>::Id>) -> ApiResult<StatusCode> {
                Ok(delete::<$entity>(state, user, id).await?)
            }
        }
    };
}

label_endpoints!(
    categories,
    crate::entity::category::Entity,
    "categories",
    "/categories",
    "/categories/{id}"
);
label_endpoints!(
    tags,
    crate::entity::tag::Entity,
    "tags",
    "/tags",
    "/tags/{id}"
);

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(categories::routes())
        .merge(tags::routes())
}
