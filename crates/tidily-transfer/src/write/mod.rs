//! Writing the library out: our JSON (lossless), Netscape bookmark HTML (what browsers and
//! peers import: folders, tags, reading state) and CSV. The library is read a page at a
//! time in its own order (each profile's top level, then its folders in tree order, items in
//! manual order) and written as it is read, into a bounded channel: memory stays flat
//! however large the library, and a slow client slows the reads instead of filling memory.

mod csv;
mod html;
mod json;

use std::collections::HashMap;

use serde::Deserialize;
use tidily_core::{
    app::{owner::Owner, transfer, AppState},
    domain::ids::ProfileId,
    entity::{folder, item, profile},
    error::{CoreError, CoreResult},
    store::transfer::Names,
};
use tokio::sync::mpsc::Sender;
use utoipa::ToSchema;

/// Items read per query.
const PAGE: u64 = 500;

/// A format we write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    /// Our own JSON: every field, importable into TidilySpace without loss.
    Json,
    /// Netscape bookmark HTML, for browsers and other bookmark managers.
    Html,
    /// A spreadsheet.
    Csv,
}

impl ExportFormat {
    pub fn content_type(self) -> &'static str {
        match self {
            ExportFormat::Json => "application/json",
            ExportFormat::Html => "text/html; charset=utf-8",
            ExportFormat::Csv => "text/csv; charset=utf-8",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Json => "json",
            ExportFormat::Html => "html",
            ExportFormat::Csv => "csv",
        }
    }
}

/// An item as a writer sees it: its row with its names resolved.
pub struct Row<'a> {
    pub item: &'a item::Model,
    pub profile: &'a str,
    pub folder: &'a [String],
    pub category: Option<&'a str>,
    pub tags: Vec<&'a str>,
}

/// One format's writer: called in the library's order.
trait Writer {
    fn head(&mut self, names: &Names, profiles: &[&profile::Model]) -> String;
    /// Entering a profile (a writer that nests writes its heading).
    fn profile(&mut self, _profile: &profile::Model, _of_many: bool) -> String {
        String::new()
    }
    /// Entering a folder at `path` (after leaving whatever is not its ancestor).
    fn folder(&mut self, _folder: &folder::Model, _path: &[String]) -> String {
        String::new()
    }
    fn item(&mut self, row: &Row<'_>) -> String;
    /// Leaving a profile.
    fn end_profile(&mut self) -> String {
        String::new()
    }
    fn tail(&mut self) -> String;
}

/// The chunks an export sends; an `Err` ends the download as failed, never as a short file
/// that looks whole.
pub type Chunk = Result<String, std::io::Error>;

/// Writes the owner's library (or one profile of it) in `format` into `out`, until done or
/// until the receiver goes away.
pub async fn export(
    state: &AppState,
    owner: Owner,
    format: ExportFormat,
    only: Option<ProfileId>,
    out: Sender<Chunk>,
) -> CoreResult<()> {
    let result = run(state, owner, format, only, &out).await;
    if let Err(e) = &result {
        let _ = out.send(Err(std::io::Error::other(e.to_string()))).await;
    }
    result
}

async fn run(
    state: &AppState,
    owner: Owner,
    format: ExportFormat,
    only: Option<ProfileId>,
    out: &Sender<Chunk>,
) -> CoreResult<()> {
    let names = transfer::names(state, owner).await?;
    let profiles: Vec<&profile::Model> = names
        .profiles
        .iter()
        .filter(|p| only.is_none_or(|o| o.get() == p.id))
        .collect();
    if profiles.is_empty() {
        return Err(CoreError::NotFound);
    }
    let mut writer: Box<dyn Writer + Send> = match format {
        ExportFormat::Json => Box::new(json::Json::default()),
        ExportFormat::Html => Box::new(html::Html::default()),
        ExportFormat::Csv => Box::new(csv::Csv),
    };
    let send = |chunk: String| async move {
        if chunk.is_empty() {
            return Ok(());
        }
        out.send(Ok(chunk))
            .await
            .map_err(|_| CoreError::Unavailable)
    };
    let tags: HashMap<i64, &str> = names.tags.iter().map(|t| (t.id, t.name.as_str())).collect();
    let categories: HashMap<i64, &str> = names
        .categories
        .iter()
        .map(|c| (c.id, c.name.as_str()))
        .collect();
    send(writer.head(&names, &profiles)).await?;
    let many = profiles.len() > 1;
    for profile in &profiles {
        send(writer.profile(profile, many)).await?;
        let mut containers: Vec<(Option<&folder::Model>, Vec<String>)> = vec![(None, Vec::new())];
        containers.extend(
            names
                .folder_tree(profile.id)
                .into_iter()
                .map(|(f, p)| (Some(f), p)),
        );
        for (folder, path) in &containers {
            if let Some(f) = folder {
                send(writer.folder(f, path)).await?;
            }
            let mut last: Option<item::Model> = None;
            loop {
                let page = transfer::items_in(
                    state,
                    owner,
                    profile.id,
                    folder.map(|f| f.id),
                    last.as_ref(),
                    PAGE,
                )
                .await?;
                let mut chunk = String::new();
                for (item, tag_ids) in &page {
                    let row = Row {
                        item,
                        profile: &profile.name,
                        folder: path,
                        category: item.category_id.and_then(|c| categories.get(&c).copied()),
                        tags: tag_ids
                            .iter()
                            .filter_map(|t| tags.get(t).copied())
                            .collect(),
                    };
                    chunk.push_str(&writer.item(&row));
                }
                send(chunk).await?;
                if (page.len() as u64) < PAGE {
                    break;
                }
                last = page.into_iter().last().map(|(m, _)| m);
            }
        }
        send(writer.end_profile()).await?;
    }
    send(writer.tail()).await?;
    Ok(())
}
