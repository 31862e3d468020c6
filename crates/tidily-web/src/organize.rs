//! The settings pages that organise an account: its profiles, categories and tags. Each lists
//! what there is with how many items it holds, creates, renames (and recolours a label),
//! re-orders the profiles, and deletes after a page that says what the delete will do to the
//! items (a profile's go with it; a category is cleared from them; a tag taken off them).
//!
//! Every form is a plain POST that answers with a redirect (303) or the page again with its
//! errors (422 for a field, 409 for a name that is taken), so the pages need no JavaScript.

use std::collections::HashMap;

use askama::Template;
use axum::{
    extract::State,
    http::StatusCode,
    response::Response,
    routing::{get, post},
    Router,
};
use serde::Deserialize;

use crate::{
    app::{
        labels::{self, Label},
        profiles::{self, Contents, ProfilePlace},
        AppState,
    },
    csrf::{Form, NoFields},
    domain::ids::ProfileId,
    entity::{category, tag},
    error::CoreError,
    i18n::{self, Catalog},
    render, render_with, see_other,
    session::PageUser,
    Chrome, Errors, Nav, PageError, PageId, PageQuery,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/settings/profiles",
            get(profiles_page).post(create_profile),
        )
        .route("/settings/profiles/{id}", post(rename_profile))
        .route("/settings/profiles/{id}/move", post(move_profile))
        .route(
            "/settings/profiles/{id}/delete",
            get(confirm_profile_delete).post(delete_profile),
        )
        .merge(label_routes::<category::Entity>(Section::Categories))
        .merge(label_routes::<tag::Entity>(Section::Tags))
}

/// The routes of one kind of label under its section's path.
fn label_routes<L: Label>(section: Section) -> Router<AppState>
where
    L::Model: sea_orm::IntoActiveModel<L::ActiveModel>,
    L::ActiveModel: sea_orm::ActiveModelTrait<Entity = L> + Send,
{
    let base = section.path();
    Router::new()
        .route(
            base,
            get(move |State(state): State<AppState>, user: PageUser, PageQuery(q): PageQuery<SavedQuery>| async move {
                let o = Outcome {
                    notice: notice(user.lang.catalog(), q.saved.as_deref()),
                    ..Outcome::default()
                };
                render(&label_page::<L>(&state, &user, section, o).await?)
            })
            .post(move |State(state): State<AppState>, form: Form<LabelForm>| async move {
                let Form { user, data } = form;
                let result = labels::create::<L>(&state, user.owner, &data.name, &data.color).await;
                label_answer::<L>(&state, &user, section, None, data, result.map(drop)).await
            }),
        )
        .route(
            &format!("{base}/{{id}}"),
            post(
                move |State(state): State<AppState>, PageId(id): PageId<L::Id>, form: Form<LabelForm>| async move {
                    let Form { user, data } = form;
                    let (name, color) = (Some(data.name.as_str()), Some(data.color.as_str()));
                    let result = labels::update::<L>(&state, user.owner, id, name, color).await;
                    label_answer::<L>(&state, &user, section, Some(id.into()), data, result.map(drop))
                        .await
                },
            ),
        )
        .route(
            &format!("{base}/{{id}}/delete"),
            get(move |State(state): State<AppState>, PageId(id): PageId<i64>, user: PageUser| async move {
                let all = labels::list::<L>(&state, user.owner).await?;
                let label = all.iter().find(|l| l.id == id).ok_or(CoreError::NotFound)?;
                let used = labels::usage::<L>(&state, user.owner).await?;
                let n = used.get(&id).copied().unwrap_or(0);
                let t = user.lang.catalog();
                let consequence = match section {
                    Section::Categories => i18n::fill(t.delete_category_effect, &[&n.to_string()]),
                    _ => i18n::fill(t.delete_tag_effect, &[&n.to_string()]),
                };
                confirm_page(&state, &user, section, id, &label.name, consequence).await
            })
            .post(move |State(state): State<AppState>, PageId(id): PageId<L::Id>, form: Form<NoFields>| async move {
                labels::delete::<L>(&state, form.user.owner, id).await?;
                Ok::<_, PageError>(see_other(&format!("{}?saved=deleted", section.path())))
            }),
        )
}

/// Which of the organising pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Profiles,
    Categories,
    Tags,
}

impl Section {
    fn path(self) -> &'static str {
        match self {
            Section::Profiles => "/settings/profiles",
            Section::Categories => "/settings/categories",
            Section::Tags => "/settings/tags",
        }
    }

    fn title(self, t: &Catalog) -> &'static str {
        match self {
            Section::Profiles => t.manage_profiles,
            Section::Categories => t.manage_categories,
            Section::Tags => t.manage_tags,
        }
    }

    /// Its key in the settings' sub-navigation.
    fn key(self) -> &'static str {
        match self {
            Section::Profiles => "profiles",
            Section::Categories => "categories",
            Section::Tags => "tags",
        }
    }

    fn add(self, t: &Catalog) -> &'static str {
        match self {
            Section::Profiles => t.add_profile,
            Section::Categories => t.add_category,
            Section::Tags => t.add_tag,
        }
    }

    fn has_colour(self) -> bool {
        self != Section::Profiles
    }
}

/// One profile or label in the list.
pub struct Row {
    pub id: i64,
    pub name: String,
    /// `#rrggbb` for a label.
    pub color: String,
    /// What it holds, in words ("3 folders, 12 items").
    pub holds: String,
    pub first: bool,
    pub last: bool,
}

/// What the last form did, shown on the page it answers with.
#[derive(Default)]
struct Outcome {
    errors: Errors,
    /// A conflict (a name taken, the last profile), in words.
    conflict: String,
    /// The row whose form was refused (`None`: the create form), and what was typed.
    refused: Option<i64>,
    typed_name: String,
    typed_color: String,
    notice: &'static str,
}

#[derive(Template)]
#[template(path = "organize.html")]
struct OrganizePage {
    c: Chrome,
    section_key: &'static str,
    base: &'static str,
    heading: &'static str,
    add_heading: &'static str,
    colour: bool,
    rows: Vec<Row>,
    o: Outcome,
}

impl OrganizePage {
    /// The name a row's form shows: what was typed if that row's form was refused.
    fn name_of(&self, row: &Row) -> String {
        if self.o.refused == Some(row.id) {
            self.o.typed_name.clone()
        } else {
            row.name.clone()
        }
    }

    fn colour_of(&self, row: &Row) -> String {
        if self.o.refused == Some(row.id) && !self.o.typed_color.is_empty() {
            self.o.typed_color.clone()
        } else {
            row.color.clone()
        }
    }

    /// The errors of the form of `row`.
    fn row_errors(&self, row: &Row, field: &str) -> String {
        if self.o.refused == Some(row.id) {
            self.o.errors.of(field)
        } else {
            String::new()
        }
    }

    /// The errors of the create form.
    fn new_errors(&self, field: &str) -> String {
        if self.o.refused.is_none() {
            self.o.errors.of(field)
        } else {
            String::new()
        }
    }

    fn new_name(&self) -> &str {
        if self.o.refused.is_none() {
            &self.o.typed_name
        } else {
            ""
        }
    }

    fn new_colour(&self) -> &str {
        if self.o.refused.is_none() && !self.o.typed_color.is_empty() {
            &self.o.typed_color
        } else {
            "#3b82f6"
        }
    }
}

async fn chrome(state: &AppState, user: &PageUser, section: Section) -> Result<Chrome, PageError> {
    Chrome::signed_in(state, user, Nav::Settings, None, section.path(), |t| {
        section.title(t).to_owned()
    })
    .await
}

#[derive(Default, Deserialize)]
struct SavedQuery {
    saved: Option<String>,
}

fn notice(t: &'static Catalog, saved: Option<&str>) -> &'static str {
    match saved {
        Some("deleted") => t.deleted,
        Some(_) => t.saved,
        None => "",
    }
}

// ---- profiles ---------------------------------------------------------------------------

async fn profiles_page(
    State(state): State<AppState>,
    user: PageUser,
    PageQuery(q): PageQuery<SavedQuery>,
) -> Result<Response, PageError> {
    let o = Outcome {
        notice: notice(user.lang.catalog(), q.saved.as_deref()),
        ..Outcome::default()
    };
    render(&profile_page(&state, &user, o).await?)
}

/// "3 folders, 12 items" in the user's language.
fn holds(t: &Catalog, contents: Contents) -> String {
    i18n::fill(
        t.profile_holds,
        &[&contents.folders.to_string(), &contents.items.to_string()],
    )
}

async fn profile_page(
    state: &AppState,
    user: &PageUser,
    o: Outcome,
) -> Result<OrganizePage, PageError> {
    let c = chrome(state, user, Section::Profiles).await?;
    let list = profiles::list(state, user.owner).await?;
    let contents = profiles::contents(state, user.owner).await?;
    let last = list.len().saturating_sub(1);
    let rows = list
        .into_iter()
        .enumerate()
        .map(|(i, p)| Row {
            holds: holds(c.t, contents.get(&p.id).copied().unwrap_or_default()),
            id: p.id,
            name: p.name,
            color: String::new(),
            first: i == 0,
            last: i == last,
        })
        .collect();
    Ok(page(c, Section::Profiles, rows, o))
}

fn page(c: Chrome, section: Section, rows: Vec<Row>, o: Outcome) -> OrganizePage {
    OrganizePage {
        heading: section.title(c.t),
        add_heading: section.add(c.t),
        c,
        section_key: section.key(),
        base: section.path(),
        colour: section.has_colour(),
        rows,
        o,
    }
}

#[derive(Deserialize)]
struct NameForm {
    #[serde(default)]
    name: String,
}

async fn create_profile(
    State(state): State<AppState>,
    form: Form<NameForm>,
) -> Result<Response, PageError> {
    let Form { user, data } = form;
    let result = profiles::create(&state, user.owner, &data.name).await;
    profile_answer(&state, &user, None, data.name, result.map(drop)).await
}

async fn rename_profile(
    State(state): State<AppState>,
    PageId(id): PageId<ProfileId>,
    form: Form<NameForm>,
) -> Result<Response, PageError> {
    let Form { user, data } = form;
    let place = ProfilePlace::Stay;
    let result = profiles::update(&state, user.owner, id, Some(&data.name), place).await;
    profile_answer(&state, &user, Some(id.get()), data.name, result.map(drop)).await
}

/// Back to the list, or the list again with the form's problem.
async fn profile_answer(
    state: &AppState,
    user: &PageUser,
    row: Option<i64>,
    typed_name: String,
    result: Result<(), CoreError>,
) -> Result<Response, PageError> {
    let Err(e) = result else {
        return Ok(see_other("/settings/profiles?saved=1"));
    };
    let (status, o) = refused(user, row, e)?;
    let o = Outcome { typed_name, ..o };
    render_with(status, &profile_page(state, user, o).await?)
}

/// The status and outcome of a form refused with `e` (the row's, or the create form's when
/// `row` is `None`); any other failure is the error page's.
fn refused(
    user: &PageUser,
    row: Option<i64>,
    e: CoreError,
) -> Result<(StatusCode, Outcome), PageError> {
    let outcome = |errors, conflict| Outcome {
        errors,
        conflict,
        refused: row,
        ..Outcome::default()
    };
    match e {
        CoreError::Invalid(fields) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            outcome(Errors::localized(fields, user.lang), String::new()),
        )),
        CoreError::Conflict(c) => Ok((
            StatusCode::CONFLICT,
            outcome(Errors::default(), i18n::conflict(user.lang, &c)),
        )),
        e => Err(e.into()),
    }
}

#[derive(Deserialize)]
struct StepForm {
    step: String,
}

/// One place up or down in the profile order (the drop-down and the "All" view follow it).
async fn move_profile(
    State(state): State<AppState>,
    PageId(id): PageId<ProfileId>,
    form: Form<StepForm>,
) -> Result<Response, PageError> {
    let Form { user, data } = form;
    let list = profiles::list(&state, user.owner).await?;
    let at = list
        .iter()
        .position(|p| p.id == id.get())
        .ok_or(CoreError::NotFound)?;
    let place = match data.step.as_str() {
        // Up: after the one two above, or first.
        "up" if at >= 2 => ProfilePlace::After(list[at - 2].id.into()),
        "up" if at == 1 => ProfilePlace::First,
        // Down: after the next one.
        "down" if at + 1 < list.len() => ProfilePlace::After(list[at + 1].id.into()),
        "up" | "down" => ProfilePlace::Stay,
        _ => return Err(CoreError::NotFound.into()),
    };
    if place != ProfilePlace::Stay {
        profiles::update(&state, user.owner, id, None, place).await?;
    }
    Ok(see_other("/settings/profiles"))
}

async fn confirm_profile_delete(
    State(state): State<AppState>,
    PageId(id): PageId<ProfileId>,
    user: PageUser,
) -> Result<Response, PageError> {
    let profile = profiles::get(&state, user.owner, id).await?;
    let contents: HashMap<i64, Contents> = profiles::contents(&state, user.owner).await?;
    let held = contents.get(&id.get()).copied().unwrap_or_default();
    let t = user.lang.catalog();
    let consequence = i18n::fill(
        t.delete_profile_effect,
        &[&held.folders.to_string(), &held.items.to_string()],
    );
    confirm_page(
        &state,
        &user,
        Section::Profiles,
        id.get(),
        &profile.name,
        consequence,
    )
    .await
}

async fn delete_profile(
    State(state): State<AppState>,
    PageId(id): PageId<ProfileId>,
    form: Form<NoFields>,
) -> Result<Response, PageError> {
    let user = form.user;
    match profiles::delete(&state, user.owner, id).await {
        Ok(()) => Ok(see_other("/settings/profiles?saved=deleted")),
        Err(e) => {
            let (status, o) = refused(&user, Some(id.get()), e)?;
            render_with(status, &profile_page(&state, &user, o).await?)
        }
    }
}

// ---- labels -----------------------------------------------------------------------------

#[derive(Deserialize)]
struct LabelForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    color: String,
}

async fn label_page<L: Label>(
    state: &AppState,
    user: &PageUser,
    section: Section,
    o: Outcome,
) -> Result<OrganizePage, PageError> {
    let c = chrome(state, user, section).await?;
    let list = labels::list::<L>(state, user.owner).await?;
    let used = labels::usage::<L>(state, user.owner).await?;
    let rows = list
        .into_iter()
        .map(|l| Row {
            holds: i18n::fill(
                c.t.label_holds,
                &[&used.get(&l.id).copied().unwrap_or(0).to_string()],
            ),
            id: l.id,
            name: l.name,
            color: l.color,
            first: false,
            last: false,
        })
        .collect();
    Ok(page(c, section, rows, o))
}

async fn label_answer<L: Label>(
    state: &AppState,
    user: &PageUser,
    section: Section,
    row: Option<i64>,
    typed: LabelForm,
    result: Result<(), CoreError>,
) -> Result<Response, PageError> {
    let Err(e) = result else {
        return Ok(see_other(&format!("{}?saved=1", section.path())));
    };
    let (status, o) = refused(user, row, e)?;
    let o = Outcome {
        typed_name: typed.name,
        typed_color: typed.color,
        ..o
    };
    render_with(status, &label_page::<L>(state, user, section, o).await?)
}

// ---- deleting -----------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "organize_delete.html")]
struct ConfirmPage {
    c: Chrome,
    name: String,
    consequence: String,
    action: String,
    back: &'static str,
}

/// The page before a delete: what it will do to the items, a confirm button and a way back.
async fn confirm_page(
    state: &AppState,
    user: &PageUser,
    section: Section,
    id: i64,
    name: &str,
    consequence: String,
) -> Result<Response, PageError> {
    let c = Chrome::signed_in(state, user, Nav::Settings, None, section.path(), |t| {
        format!("{}: {name}", t.delete_confirm_title)
    })
    .await?;
    render(&ConfirmPage {
        c,
        name: name.to_owned(),
        consequence,
        action: format!("{}/{id}/delete", section.path()),
        back: section.path(),
    })
}
