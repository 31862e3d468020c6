//! The client's address, for throttling and logs. Behind the ALB the TCP peer is the load
//! balancer, so `X-Forwarded-For` is read — but only when the peer is a trusted proxy, and
//! then from the right, skipping trusted hops, so a client cannot forge its own address.

use std::net::{IpAddr, SocketAddr};

use axum::{
    extract::{ConnectInfo, FromRequestParts},
    http::request::Parts,
};
use ipnet::IpNet;

use crate::app::AppState;

/// The best-known address of the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientIp(pub IpAddr);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, std::convert::Infallible> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip())
            .unwrap_or(IpAddr::from([127, 0, 0, 1]));
        let forwarded = parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect::<Vec<_>>()
            .join(",");
        Ok(ClientIp(resolve(
            peer,
            &forwarded,
            &state.config.trusted_proxies,
        )))
    }
}

/// Walks `X-Forwarded-For` from the right while the hop is trusted.
pub fn resolve(peer: IpAddr, forwarded_for: &str, trusted: &[IpNet]) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(&peer) {
        return peer;
    }
    let mut client = peer;
    for hop in forwarded_for.rsplit(',').map(str::trim) {
        match hop.parse::<IpAddr>() {
            Ok(ip) => {
                client = ip;
                if !is_trusted(&ip) {
                    break;
                }
            }
            Err(_) => break,
        }
    }
    client
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_trusted_peers_may_forward() {
        let alb: Vec<IpNet> = vec!["10.1.0.0/16".parse().unwrap()];
        let peer_alb: IpAddr = "10.1.0.7".parse().unwrap();
        let outsider: IpAddr = "198.51.100.9".parse().unwrap();
        assert_eq!(resolve(outsider, "1.2.3.4", &alb), outsider);
        assert_eq!(
            resolve(peer_alb, "6.6.6.6, 203.0.113.5", &alb),
            "203.0.113.5".parse::<IpAddr>().unwrap()
        );
        assert_eq!(
            resolve(peer_alb, "203.0.113.5, 10.1.2.3", &alb),
            "203.0.113.5".parse::<IpAddr>().unwrap()
        );
        assert_eq!(resolve(peer_alb, "garbage", &alb), peer_alb);
    }
}
