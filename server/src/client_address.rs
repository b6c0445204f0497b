//! Who is calling, for throttling: the peer address, or — behind proxies — the entry of
//! `X-Forwarded-For` that the outermost trusted proxy wrote. Each proxy appends the address it saw,
//! so only the right-most `hops` entries are trustworthy; everything left of them is whatever the
//! client chose to send. The limit key of an IPv6 client is its /64, the block one subscriber
//! usually holds, so rotating through it does not escape a ceiling.

use std::net::{IpAddr, Ipv6Addr, SocketAddr};

use axum::extract::{ConnectInfo, Request, State};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::Response;

use app::api::request::ClientAddress;

/// How many proxies in front of the server append to `X-Forwarded-For` (0: none, use the peer).
#[derive(Debug, Clone, Copy, Default)]
pub struct TrustedHops(pub usize);

pub async fn client_address(
    State(hops): State<TrustedHops>,
    mut req: Request,
    next: Next,
) -> Response {
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0.ip());
    let address = resolve(req.headers(), peer, hops);
    req.extensions_mut().insert(ClientAddress(address));
    next.run(req).await
}

/// The limit key of this request (see the module's comment).
pub fn resolve(headers: &HeaderMap, peer: Option<IpAddr>, hops: TrustedHops) -> String {
    let forwarded = (hops.0 > 0)
        .then(|| forwarded_client(headers, hops.0))
        .flatten();
    match forwarded {
        Some(entry) => match entry.parse::<IpAddr>() {
            Ok(ip) => limit_key(ip),
            // A trusted proxy wrote something that is not an address: keep it, but short.
            Err(_) => entry.chars().take(64).collect(),
        },
        None => peer.map(limit_key).unwrap_or_else(|| "unknown".to_owned()),
    }
}

/// The entry `hops` places from the right of all `X-Forwarded-For` headers (in order). With fewer
/// entries than hops, the left-most, which a trusted proxy still wrote.
fn forwarded_client(headers: &HeaderMap, hops: usize) -> Option<String> {
    let entries: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .collect();
    let index = entries.len().checked_sub(1)?.saturating_sub(hops - 1);
    entries.get(index).map(|v| (*v).to_owned())
}

/// IPv4 (and IPv4-mapped IPv6) as it is; other IPv6 addresses as their /64 prefix.
pub fn limit_key(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let prefix = u128::from(v6) & !((1u128 << 64) - 1);
                format!("{}/64", Ipv6Addr::from(prefix))
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn xff(values: &[&'static str]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for v in values {
            map.append("x-forwarded-for", HeaderValue::from_static(v));
        }
        map
    }

    const PEER: Option<IpAddr> = Some(IpAddr::V4(std::net::Ipv4Addr::new(10, 0, 0, 1)));

    #[test]
    fn without_trusted_hops_the_header_is_ignored() {
        assert_eq!(
            resolve(&xff(&["1.2.3.4"]), PEER, TrustedHops(0)),
            "10.0.0.1"
        );
    }

    #[test]
    fn the_client_is_taken_from_the_right_never_the_client_written_left() {
        let headers = xff(&["6.6.6.6, 7.7.7.7, 203.0.113.5"]);
        assert_eq!(resolve(&headers, PEER, TrustedHops(1)), "203.0.113.5");
        assert_eq!(resolve(&headers, PEER, TrustedHops(2)), "7.7.7.7");
        // Several header lines count as one list, in order.
        let split = xff(&["6.6.6.6", "203.0.113.5, 10.1.1.1"]);
        assert_eq!(resolve(&split, PEER, TrustedHops(2)), "203.0.113.5");
        // Fewer entries than hops: the left-most, still written by a trusted proxy.
        assert_eq!(
            resolve(&xff(&["203.0.113.5"]), PEER, TrustedHops(3)),
            "203.0.113.5"
        );
        assert_eq!(resolve(&HeaderMap::new(), PEER, TrustedHops(1)), "10.0.0.1");
    }

    #[test]
    fn ipv6_addresses_in_one_64_share_a_key() {
        let a: IpAddr = "2001:db8:1:2::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:ffff:ffff:ffff:ffff".parse().unwrap();
        let other: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(limit_key(a), limit_key(b));
        assert_eq!(limit_key(a), "2001:db8:1:2::/64");
        assert_ne!(limit_key(a), limit_key(other));
        let mapped: IpAddr = "::ffff:192.0.2.7".parse().unwrap();
        assert_eq!(limit_key(mapped), "192.0.2.7");
        assert_eq!(
            resolve(&xff(&["x, 2001:db8:1:2::99"]), PEER, TrustedHops(1)),
            "2001:db8:1:2::/64"
        );
    }
}
