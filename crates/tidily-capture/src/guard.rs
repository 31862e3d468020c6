//! Which addresses a capture may connect to.
//!
//! Only public unicast addresses, checked after every name resolution and for every
//! IP-literal host: a saved link must not turn the server into a way into its own network
//! (the database, the cloud metadata service, a neighbour's admin page). Addresses that carry
//! an IPv4 address inside an IPv6 one are judged by the IPv4 address. Operators who bookmark
//! their own LAN services may allow hosts or networks; link-local (where the metadata services
//! of AWS and others answer) can never be allowed.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use ipnet::{IpNet, Ipv4Net, Ipv6Net};
use tidily_core::config::AllowEntry;

/// Why an address was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{host} resolves to {addr}, a {class} address: capture fetches only public addresses")]
pub struct Refused {
    pub host: String,
    pub addr: IpAddr,
    pub class: &'static str,
}

/// The IPv4 ranges that are not public unicast, by name.
const V4_BLOCKED: &[(&str, &str)] = &[
    ("0.0.0.0/8", "this-network"),
    ("10.0.0.0/8", "private"),
    ("100.64.0.0/10", "shared (CGNAT)"),
    ("127.0.0.0/8", "loopback"),
    ("169.254.0.0/16", "link-local"),
    ("172.16.0.0/12", "private"),
    ("192.0.0.0/24", "IETF protocol"),
    ("192.0.2.0/24", "documentation"),
    ("192.88.99.0/24", "6to4 relay"),
    ("192.168.0.0/16", "private"),
    ("198.18.0.0/15", "benchmarking"),
    ("198.51.100.0/24", "documentation"),
    ("203.0.113.0/24", "documentation"),
    ("224.0.0.0/4", "multicast"),
    ("240.0.0.0/4", "reserved"),
];

/// The parts of global unicast (2000::/3) that are not public, by name. Anything outside
/// 2000::/3 is refused outright (loopback, unspecified, unique-local, link-local,
/// multicast, and the ranges not yet assigned).
const V6_BLOCKED: &[(&str, &str)] = &[
    ("2001::/23", "IETF protocol (Teredo, benchmarking, ORCHID)"),
    ("2001:db8::/32", "documentation"),
    ("3fff::/20", "documentation"),
];

/// The addresses that no allow-list entry can open.
fn never_allowed(addr: IpAddr) -> bool {
    match addr {
        IpAddr::V4(v4) => v4.is_link_local(),
        // fe80::/10, and AWS's IPv6 metadata endpoint.
        IpAddr::V6(v6) => {
            embedded_v4(v6).is_some_and(|v4| v4.is_link_local())
                || (v6.segments()[0] & 0xffc0) == 0xfe80
                || v6 == Ipv6Addr::new(0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x254)
        }
    }
}

/// The IPv4 address an IPv6 address carries and is routed by: v4-mapped (::ffff:a.b.c.d),
/// NAT64 (64:ff9b::/96) and 6to4 (2002:aabb:ccdd::/48).
fn embedded_v4(v6: Ipv6Addr) -> Option<Ipv4Addr> {
    let s = v6.segments();
    let tail = Ipv4Addr::new((s[6] >> 8) as u8, s[6] as u8, (s[7] >> 8) as u8, s[7] as u8);
    match s {
        [0, 0, 0, 0, 0, 0xffff, _, _] => Some(tail),
        [0x64, 0xff9b, 0, 0, 0, 0, _, _] => Some(tail),
        [0x2002, hi, lo, ..] => Some(Ipv4Addr::new(
            (hi >> 8) as u8,
            hi as u8,
            (lo >> 8) as u8,
            lo as u8,
        )),
        _ => None,
    }
}

/// Why `addr` is not public unicast, or `None` if it is.
pub fn classify(addr: IpAddr) -> Option<&'static str> {
    match addr {
        IpAddr::V4(v4) => V4_BLOCKED.iter().find_map(|(net, class)| {
            let net: Ipv4Net = net.parse().expect("valid CIDR");
            net.contains(&v4).then_some(*class)
        }),
        IpAddr::V6(v6) => {
            if let Some(v4) = embedded_v4(v6) {
                return classify(IpAddr::V4(v4));
            }
            // ::/96 (v4-compatible, deprecated) falls here too: refused whatever it carries.
            let global: Ipv6Net = "2000::/3".parse().expect("valid CIDR");
            if !global.contains(&v6) {
                return Some(match v6.segments()[0] {
                    0 if v6.is_loopback() => "loopback",
                    0 => "unspecified or reserved",
                    s if s & 0xfe00 == 0xfc00 => "unique-local",
                    s if s & 0xffc0 == 0xfe80 => "link-local",
                    s if s & 0xff00 == 0xff00 => "multicast",
                    _ => "reserved",
                });
            }
            V6_BLOCKED.iter().find_map(|(net, class)| {
                let net: Ipv6Net = net.parse().expect("valid CIDR");
                net.contains(&v6).then_some(*class)
            })
        }
    }
}

/// The rule every capture connection follows.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    allow: Vec<AllowEntry>,
}

impl Policy {
    /// Public addresses only, plus what `allow` opens (never link-local).
    pub fn new(allow: Vec<AllowEntry>) -> Policy {
        Policy { allow }
    }

    /// Whether a connection to `addr`, found for `host`, may be made.
    pub fn check(&self, host: &str, addr: IpAddr) -> Result<(), Refused> {
        let refuse = |class| {
            Err(Refused {
                host: host.to_owned(),
                addr,
                class,
            })
        };
        if never_allowed(addr) {
            return refuse("link-local");
        }
        let Some(class) = classify(addr) else {
            return Ok(());
        };
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        let allowed = self.allow.iter().any(|entry| match entry {
            AllowEntry::Host(h) => *h == host,
            AllowEntry::Net(net) => net_contains(net, addr),
        });
        if allowed {
            Ok(())
        } else {
            refuse(class)
        }
    }
}

/// Whether `net` contains `addr`, a v4-mapped IPv6 address counting as its IPv4 one.
fn net_contains(net: &IpNet, addr: IpAddr) -> bool {
    let addr = match addr {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(addr, IpAddr::V4),
        v4 => v4,
    };
    net.contains(&addr)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(s: &str) -> bool {
        Policy::default().check("h", s.parse().unwrap()).is_err()
    }

    #[test]
    fn private_reserved_and_embedded_forms_are_refused() {
        for a in [
            "0.0.0.0",
            "10.1.2.3",
            "100.64.0.1",
            "127.0.0.1",
            "127.255.255.254",
            "169.254.169.254",
            "169.254.170.2",
            "172.16.0.1",
            "172.31.255.255",
            "192.0.0.8",
            "192.0.2.1",
            "192.88.99.1",
            "192.168.1.1",
            "198.18.0.1",
            "198.51.100.7",
            "203.0.113.9",
            "224.0.0.1",
            "239.255.255.250",
            "240.0.0.1",
            "255.255.255.255",
            "::",
            "::1",
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
            "::127.0.0.1",
            "::ffff:10.0.0.1",
            "64:ff9b::a9fe:a9fe",
            "64:ff9b::7f00:1",
            "2002:7f00:1::1",
            "2002:c0a8:101::",
            "fc00::1",
            "fd12:3456::1",
            "fe80::1",
            "fec0::1",
            "ff02::1",
            "2001:db8::1",
            "2001::1",
            "3fff::1",
            "100::1",
            "fd00:ec2::254",
        ] {
            assert!(refused(a), "{a} must be refused");
        }
    }

    #[test]
    fn public_addresses_pass() {
        for a in [
            "1.1.1.1",
            "8.8.8.8",
            "93.184.216.34",
            "172.32.0.1",
            "100.128.0.1",
            "2606:4700:4700::1111",
            "2a00:1450:4001:80b::200e",
            "::ffff:93.184.216.34",
            "2002:5db8:d822::1",
        ] {
            assert!(!refused(a), "{a} must pass");
        }
    }

    #[test]
    fn the_allow_list_opens_hosts_and_networks_but_never_link_local() {
        let p = Policy::new(vec![
            AllowEntry::Host("nas.lan".into()),
            AllowEntry::Net("192.168.1.0/24".parse().unwrap()),
            AllowEntry::Net("0.0.0.0/0".parse().unwrap()),
        ]);
        assert!(p.check("NAS.lan.", "10.0.0.2".parse().unwrap()).is_ok());
        assert!(p.check("x", "192.168.1.20".parse().unwrap()).is_ok());
        assert!(p.check("x", "::ffff:192.168.1.20".parse().unwrap()).is_ok());
        assert!(p
            .check("nas.lan", "169.254.169.254".parse().unwrap())
            .is_err());
        assert!(p.check("x", "169.254.170.2".parse().unwrap()).is_err());
        assert!(p
            .check("x", "::ffff:169.254.169.254".parse().unwrap())
            .is_err());
        assert!(p.check("x", "64:ff9b::a9fe:a9fe".parse().unwrap()).is_err());
        assert!(p.check("nas.lan", "fe80::1".parse().unwrap()).is_err());
        let lan_only = Policy::new(vec![AllowEntry::Net("192.168.1.0/24".parse().unwrap())]);
        assert!(lan_only.check("x", "192.168.2.1".parse().unwrap()).is_err());
    }
}
