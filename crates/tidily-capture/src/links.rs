//! Link checks: does a saved link still lead to its page?
//!
//! HEAD first (cheap for both sides); GET when HEAD answers anything but a working page,
//! since many servers refuse or mishandle HEAD. Both go through the guarded fetcher (every
//! hop checked, same deadlines, the per-host politeness of the job queue). What they saw is
//! classified into `domain::link` states; the rule that makes failures "broken" is applied
//! when the result is recorded.

use serde::Deserialize;
use tidily_core::{
    app::{jobs::JobError, links, AppState},
    domain::{
        link::{LinkState, Observation},
        url_key,
    },
    entity::job,
};
use url::Url;

use crate::{
    charset,
    fetch::{FetchError, Fetcher, Page},
};

#[derive(Deserialize)]
struct Payload {
    item_id: i64,
}

/// Runs one link-check job.
pub async fn run(state: &AppState, fetcher: &Fetcher, job: &job::Model) -> Result<(), JobError> {
    let payload: Payload = serde_json::from_str(&job.payload)
        .map_err(|e| JobError::Permanent(format!("malformed link-check payload: {e}")))?;
    let Some(target) = links::target(state, payload.item_id).await? else {
        return Ok(());
    };
    let seen = match Url::parse(&target.url) {
        Ok(url) => check(fetcher, &url).await,
        Err(e) => Observation::new(LinkState::Gone, None).because(format!("not a URL: {e}")),
    };
    links::record(state, &target, seen).await?;
    Ok(())
}

/// Checks `url`: HEAD, then GET unless HEAD found a working (or moved) page or no server.
pub async fn check(fetcher: &Fetcher, url: &Url) -> Observation {
    let head = classify(url, &fetcher.probe(url, true).await);
    let settled = matches!(
        head.state,
        LinkState::Ok | LinkState::Moved | LinkState::Unreachable
    ) || head.status.is_none();
    if settled {
        return head;
    }
    classify(url, &fetcher.probe(url, false).await)
}

/// What an answer (or its absence) says about the link `original`.
pub fn classify(original: &Url, answer: &Result<Page, FetchError>) -> Observation {
    let page = match answer {
        Ok(page) => page,
        Err(e @ FetchError::Refused(_)) => {
            return Observation::new(LinkState::Blocked, None).because(e.to_string())
        }
        Err(
            e @ (FetchError::TooManyRedirects(_)
            | FetchError::RedirectLoop(_)
            | FetchError::BadRedirect),
        ) => return Observation::new(LinkState::ServerError, None).because(e.to_string()),
        Err(e @ (FetchError::Scheme(_) | FetchError::NoHost)) => {
            return Observation::new(LinkState::Gone, None).because(e.to_string())
        }
        Err(e) => return Observation::new(LinkState::Unreachable, None).because(e.to_string()),
    };
    let status = Some(page.status);
    match page.status {
        200..=299 => {
            if let Some(why) = soft_404(original, page) {
                return Observation::new(LinkState::Soft404, status).because(why);
            }
            let permanent =
                !page.redirects.is_empty() && page.redirects.iter().all(|s| matches!(s, 301 | 308));
            if permanent && url_key::of(page.url.as_str()) != url_key::of(original.as_str()) {
                let mut moved = Observation::new(LinkState::Moved, status);
                moved.moved_to = Some(page.url.to_string());
                return moved;
            }
            Observation::new(LinkState::Ok, status)
        }
        404 | 410 => Observation::new(LinkState::Gone, status).because("no such page"),
        // The site turns robots away (999: LinkedIn's): nothing is known of the page.
        401 | 403 | 407 | 429 | 451 | 999 => Observation::new(LinkState::Blocked, status)
            .because("the site refuses automated checks"),
        400..=499 => {
            Observation::new(LinkState::Gone, status).because("the site refuses the address")
        }
        _ => Observation::new(LinkState::ServerError, status).because("the site's server failed"),
    }
}

/// Why a page that answered 200 is a "not found" page after all, if it is: a deep link
/// redirected to the site's home page, or a title that says so.
fn soft_404(original: &Url, page: &Page) -> Option<String> {
    let deep = !original.path().trim_end_matches('/').is_empty();
    if deep && !page.redirects.is_empty() && page.url.path() == "/" {
        return Some("the link now leads to the site's home page".into());
    }
    if page.body.is_empty() {
        return None;
    }
    let text = charset::decode(&page.body, page.content_type.as_deref(), None).text;
    let lower = text.to_lowercase();
    let title = lower
        .split_once("<title")
        .and_then(|(_, rest)| rest.split_once('>'))
        .and_then(|(_, rest)| rest.split_once("</title"))
        .map(|(t, _)| t.trim().to_owned())?;
    const NOT_FOUND: [&str; 7] = [
        "404",
        "not found",
        "page not found",
        "no longer available",
        "ページが見つかりません",
        "お探しのページ",
        "存在しません",
    ];
    NOT_FOUND
        .iter()
        .any(|phrase| title.contains(phrase))
        .then(|| format!("the page says it is not there (\"{title}\")"))
}
