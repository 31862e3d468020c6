//! Name resolution that checks before it connects, and pins what it checked.
//!
//! The HTTP client asks this resolver for a host's addresses and connects only to what it
//! returns, so the addresses checked are the addresses used: a name that answers with a
//! public address to the check and a private one to the connection (DNS rebinding) has no
//! second lookup to exploit. A name with any forbidden address is refused whole, rather than
//! filtered down to its public addresses: such a name is a probe, not a web site.

use std::{collections::HashMap, net::IpAddr, net::SocketAddr, sync::Arc};

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

use crate::guard::Policy;

/// Where addresses come from.
#[derive(Debug, Clone, Default)]
pub enum Lookup {
    /// The system's resolver (`getaddrinfo`, on a blocking thread).
    #[default]
    System,
    /// A fixed table, like curl's `--resolve`: names not in it do not resolve. For tests and
    /// for pinning a name to its known addresses.
    Static(HashMap<String, Vec<IpAddr>>),
}

impl Lookup {
    async fn addresses(&self, host: &str) -> std::io::Result<Vec<IpAddr>> {
        match self {
            Lookup::System => Ok(tokio::net::lookup_host((host, 0))
                .await?
                .map(|a| a.ip())
                .collect()),
            Lookup::Static(table) => table
                .get(host)
                .cloned()
                .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::NotFound, "no such host")),
        }
    }
}

/// A host that does not resolve at all.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{host} does not resolve: {reason}")]
pub struct Unresolved {
    pub host: String,
    pub reason: String,
}

/// The resolver the capture client connects through.
#[derive(Debug, Clone)]
pub struct GuardedResolver {
    pub(crate) policy: Arc<Policy>,
    pub(crate) lookup: Arc<Lookup>,
}

impl GuardedResolver {
    /// Resolves `host` and checks every address; all of them or none.
    pub async fn resolve_checked(&self, host: &str) -> Result<Vec<IpAddr>, crate::FetchError> {
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        let addrs = self.lookup.addresses(&host).await.map_err(|e| Unresolved {
            host: host.clone(),
            reason: e.to_string(),
        })?;
        if addrs.is_empty() {
            return Err(Unresolved {
                host,
                reason: "no addresses".into(),
            }
            .into());
        }
        for addr in &addrs {
            self.policy.check(&host, *addr)?;
        }
        Ok(addrs)
    }
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let this = self.clone();
        Box::pin(async move {
            let addrs = this.resolve_checked(name.as_str()).await?;
            // The port is the URL's: the client sets it on each address.
            let addrs: Addrs = Box::new(addrs.into_iter().map(|ip| SocketAddr::new(ip, 0)));
            Ok(addrs)
        })
    }
}
