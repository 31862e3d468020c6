//! The guarded fetcher: GET a user's URL without letting it reach anything private, and
//! without letting a slow, endless or compressed-to-explode answer hold a worker or its
//! memory.
//!
//! Redirects are followed by hand, each hop checked like the first; IP-literal hosts are
//! checked here (the client skips the resolver for them), names in the resolver. No proxy is
//! ever used (a proxy would resolve names itself). Bodies are read decompressed, chunk by
//! chunk, up to a cap; connection, headers and the whole fetch have their own deadlines.

use std::{collections::HashSet, sync::Arc, time::Duration};

use reqwest::{header, StatusCode};
use tokio::time::{timeout_at, Instant};
use url::{Host, Url};

use crate::{
    guard::{Policy, Refused},
    resolve::{GuardedResolver, Lookup, Unresolved},
};

/// How far a fetch may go.
#[derive(Debug, Clone)]
pub struct Limits {
    pub connect: Duration,
    /// From sending the request to the end of the response's headers.
    pub headers: Duration,
    /// The whole fetch, redirects and body included.
    pub total: Duration,
    /// Bytes of (decompressed) body read; the rest is not read.
    pub body: usize,
    pub redirects: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            connect: Duration::from_secs(5),
            headers: Duration::from_secs(10),
            total: Duration::from_secs(20),
            body: 5 << 20,
            redirects: 5,
        }
    }
}

/// Why a fetch failed.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("only http and https links are fetched, not {0}:")]
    Scheme(String),
    #[error("the link has no host")]
    NoHost,
    #[error(transparent)]
    Refused(#[from] Refused),
    #[error(transparent)]
    Unresolved(#[from] Unresolved),
    #[error("could not connect: {0}")]
    Connect(String),
    #[error("no answer within {0} s")]
    Timeout(u64),
    #[error("more than {0} redirects")]
    TooManyRedirects(usize),
    #[error("the redirects go round in a loop (back to {0})")]
    RedirectLoop(String),
    #[error("a redirect without a usable Location")]
    BadRedirect,
    #[error("the server answered {0}")]
    Status(u16),
    #[error("the answer broke off: {0}")]
    Body(String),
    #[error("larger than {0} bytes")]
    TooLarge(usize),
}

/// What a fetch is for: which bodies it reads, and how much of them.
#[derive(Debug, Clone, Copy)]
enum Want {
    /// A page: an HTML body up to the fetcher's cap (cut there), no other body.
    Page,
    /// An image: any body, up to `cap`.
    Image { cap: usize },
    /// A link check: any status is an answer; HEAD reads nothing, GET the start of an HTML
    /// body (for its title).
    Probe { head: bool },
}

/// What a link check reads of a page: enough for its `<title>`.
const PROBE_BODY: usize = 64 << 10;

impl Want {
    fn accept(self) -> &'static str {
        match self {
            Want::Page | Want::Probe { .. } => "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5",
            Want::Image { .. } => {
                "image/png,image/webp,image/jpeg,image/gif,image/*;q=0.8,*/*;q=0.5"
            }
        }
    }

    fn method(self) -> reqwest::Method {
        match self {
            Want::Probe { head: true } => reqwest::Method::HEAD,
            _ => reqwest::Method::GET,
        }
    }
}

impl FetchError {
    /// Whether trying again later may succeed (the network, the server's load, a rate
    /// limit), as opposed to an answer that will not change (a refused address, a 404).
    pub fn is_transient(&self) -> bool {
        match self {
            FetchError::Connect(_)
            | FetchError::Timeout(_)
            | FetchError::Body(_)
            | FetchError::Unresolved(_) => true,
            FetchError::Status(s) => *s == 408 || *s == 429 || *s >= 500,
            _ => false,
        }
    }

    /// The error a client error carries: our own resolver's refusal, or what went wrong.
    fn from_client(e: reqwest::Error, limits: &Limits) -> FetchError {
        let mut source: Option<&(dyn std::error::Error + 'static)> = Some(&e);
        while let Some(err) = source {
            // What `GuardedResolver` refused or could not resolve, boxed by the client.
            match err.downcast_ref::<FetchError>() {
                Some(FetchError::Refused(refused)) => return FetchError::Refused(refused.clone()),
                Some(FetchError::Unresolved(u)) => return FetchError::Unresolved(u.clone()),
                _ => source = err.source(),
            }
        }
        if e.is_timeout() {
            FetchError::Timeout(limits.connect.as_secs())
        } else if e.is_connect() {
            FetchError::Connect(root_cause(&e))
        } else {
            FetchError::Body(root_cause(&e))
        }
    }
}

fn root_cause(e: &dyn std::error::Error) -> String {
    let mut e = e;
    while let Some(next) = e.source() {
        e = next;
    }
    e.to_string()
}

/// A fetched page.
#[derive(Debug)]
pub struct Page {
    /// Where the redirects ended.
    pub url: Url,
    pub status: u16,
    pub content_type: Option<String>,
    /// The body (decompressed), empty when it is not a page to parse.
    pub body: Vec<u8>,
    /// The body went past the cap and was cut there.
    pub truncated: bool,
    /// The status of each redirect followed to get here, in order.
    pub redirects: Vec<u16>,
}

impl Page {
    /// Whether the answer is an HTML document (or says nothing of its type).
    pub fn is_html(&self) -> bool {
        is_html(self.content_type.as_deref())
    }
}

fn is_html(content_type: Option<&str>) -> bool {
    content_type.is_none_or(|ct| {
        let mime = ct
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        mime == "text/html" || mime == "application/xhtml+xml" || mime.is_empty()
    })
}

/// The capture client: one per process, shared by every capture job.
#[derive(Clone)]
pub struct Fetcher {
    client: reqwest::Client,
    resolver: GuardedResolver,
    limits: Limits,
}

/// What the fetcher says it is: who we are and where to read about it.
pub fn user_agent() -> String {
    format!(
        "TidilySpace/{} (bookmark capture; +https://github.com/tidilyspace/tidilyspace)",
        env!("CARGO_PKG_VERSION")
    )
}

impl Fetcher {
    pub fn new(policy: Policy, lookup: Lookup, limits: Limits) -> Fetcher {
        let resolver = GuardedResolver {
            policy: Arc::new(policy),
            lookup: Arc::new(lookup),
        };
        let client = reqwest::Client::builder()
            .no_proxy()
            .redirect(reqwest::redirect::Policy::none())
            .dns_resolver(Arc::new(resolver.clone()))
            .connect_timeout(limits.connect)
            .timeout(limits.total)
            .user_agent(user_agent())
            .gzip(true)
            .brotli(true)
            .build()
            .expect("the capture client's settings are valid");
        Fetcher {
            client,
            resolver,
            limits,
        }
    }

    /// Checks a URL before any connection: scheme, host, and an IP-literal host's address.
    fn check_url(&self, url: &mut Url) -> Result<(), FetchError> {
        if !matches!(url.scheme(), "http" | "https") {
            return Err(FetchError::Scheme(url.scheme().to_owned()));
        }
        // Credentials in a link are not sent on (they would go out as Basic auth).
        let _ = url.set_username("");
        let _ = url.set_password(None);
        url.set_fragment(None);
        let policy = &self.resolver.policy;
        match url.host() {
            None => Err(FetchError::NoHost),
            Some(Host::Ipv4(ip)) => Ok(policy.check(&ip.to_string(), ip.into())?),
            Some(Host::Ipv6(ip)) => Ok(policy.check(&ip.to_string(), ip.into())?),
            // Checked (and pinned) by the resolver when the client connects.
            Some(Host::Domain(_)) => Ok(()),
        }
    }

    /// GETs `url`, following up to the limit of redirects, and reads an HTML body up to
    /// the cap; any other type of body is not read.
    pub async fn get(&self, url: &Url) -> Result<Page, FetchError> {
        self.fetch(url, Want::Page).await
    }

    /// GETs an image (an icon, a preview) whatever type its server says it has (icons are
    /// often served as `text/plain` or `application/octet-stream`), reading at most `cap`
    /// bytes: a longer one is refused, not cut.
    pub async fn get_image(&self, url: &Url, cap: usize) -> Result<Vec<u8>, FetchError> {
        let page = self.fetch(url, Want::Image { cap }).await?;
        if page.truncated {
            return Err(FetchError::TooLarge(cap));
        }
        Ok(page.body)
    }

    /// Checks a link: HEAD (or GET, when `head` is false), following redirects as a page
    /// fetch does; any status is an answer. The page's `redirects` say how it got there.
    pub async fn probe(&self, url: &Url, head: bool) -> Result<Page, FetchError> {
        self.fetch(url, Want::Probe { head }).await
    }

    async fn fetch(&self, url: &Url, want: Want) -> Result<Page, FetchError> {
        let deadline = Instant::now() + self.limits.total;
        let total = self.limits.total.as_secs();
        let mut url = url.clone();
        let mut seen = HashSet::new();
        let mut redirects = Vec::new();
        for _hop in 0..=self.limits.redirects {
            self.check_url(&mut url)?;
            if !seen.insert(url.to_string()) {
                return Err(FetchError::RedirectLoop(url.to_string()));
            }
            let request = self
                .client
                .request(want.method(), url.clone())
                .header(header::ACCEPT, want.accept())
                .header(header::ACCEPT_LANGUAGE, "ja,en;q=0.8")
                .send();
            let headers_due = deadline.min(Instant::now() + self.limits.headers);
            let response = timeout_at(headers_due, request)
                .await
                .map_err(|_| FetchError::Timeout(self.limits.headers.as_secs()))?
                .map_err(|e| FetchError::from_client(e, &self.limits))?;
            let status = response.status();
            if status.is_redirection() && status != StatusCode::NOT_MODIFIED {
                let next = response
                    .headers()
                    .get(header::LOCATION)
                    .and_then(|l| l.to_str().ok())
                    .and_then(|l| url.join(l).ok())
                    .ok_or(FetchError::BadRedirect)?;
                redirects.push(status.as_u16());
                url = next;
                continue;
            }
            if !status.is_success() && !matches!(want, Want::Probe { .. }) {
                return Err(FetchError::Status(status.as_u16()));
            }
            let content_type = response
                .headers()
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            let mut page = Page {
                url: response.url().clone(),
                status: status.as_u16(),
                content_type,
                body: Vec::new(),
                truncated: false,
                redirects,
            };
            let cap = match want {
                Want::Page if page.is_html() => self.limits.body,
                Want::Probe { head: false } if page.is_html() => PROBE_BODY,
                Want::Page | Want::Probe { .. } => return Ok(page),
                Want::Image { cap } => cap,
            };
            let mut response = response;
            loop {
                let chunk = timeout_at(deadline, response.chunk())
                    .await
                    .map_err(|_| FetchError::Timeout(total))?
                    .map_err(|e| FetchError::from_client(e, &self.limits))?;
                let Some(chunk) = chunk else { break };
                let room = cap - page.body.len();
                if chunk.len() > room {
                    page.body.extend_from_slice(&chunk[..room]);
                    // Stop reading: the rest (of a bomb, say) is never decompressed.
                    page.truncated = true;
                    break;
                }
                page.body.extend_from_slice(&chunk);
            }
            return Ok(page);
        }
        Err(FetchError::TooManyRedirects(self.limits.redirects))
    }
}
