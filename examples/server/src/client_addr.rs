//! A request's client address: the socket's peer, or, when that peer is one of the operator's
//! trusted proxies (`--trusted-proxies`), the address the proxies forwarded. Rate limits and
//! logs key on it, so behind a proxy every client keeps a bucket of its own, and a client that
//! talks to the server directly cannot pick its address by sending the header itself.

use axum::extract::{ConnectInfo, Request};
use axum::http::HeaderName;
use ipnet::IpNet;
use std::net::{IpAddr, SocketAddr};

/// The header proxies append the address they received a request from to.
pub const X_FORWARDED_FOR: HeaderName = HeaderName::from_static("x-forwarded-for");

/// The client address the edge middleware found for a request (a request extension).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddr(pub IpAddr);

/// Parses one `--trusted-proxies` entry: a CIDR (`10.0.0.0/8`, `fd00::/8`) or one address.
pub fn parse_proxy(text: &str) -> Result<IpNet, String> {
    let text = text.trim();
    text.parse::<IpNet>()
        .or_else(|_| text.parse::<IpAddr>().map(IpNet::from))
        .map_err(|_| format!("`{text}` is neither a CIDR (10.0.0.0/8) nor an IP address"))
}

/// The client behind `peer`: `peer` itself unless it is trusted; then the right-most address of
/// `forwarded` (X-Forwarded-For, every line of it in order) that is not a trusted proxy, since
/// only the entries the trusted proxies appended can be believed. A header that cannot be read
/// leaves `peer`; a chain of trusted proxies only gives its left-most entry.
pub fn client_behind(peer: IpAddr, trusted: &[IpNet], forwarded: &[&str]) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(&peer) {
        return peer;
    }
    let mut hops = Vec::new();
    for line in forwarded {
        for entry in line.split(',') {
            match parse_hop(entry) {
                Some(ip) => hops.push(ip),
                None => return peer,
            }
        }
    }
    let mut client = peer;
    for ip in hops.into_iter().rev() {
        client = ip;
        if !is_trusted(&ip) {
            break;
        }
    }
    client
}

/// One X-Forwarded-For entry: an address, perhaps with a port (`1.2.3.4:80`, `[::1]:80`).
fn parse_hop(entry: &str) -> Option<IpAddr> {
    let entry = entry.trim();
    entry.parse::<IpAddr>().ok().or_else(|| entry.parse::<SocketAddr>().ok().map(|s| s.ip()))
}

/// The client address of `req` as the operator's `trusted` proxies make it, if the request came
/// over a socket.
pub fn client_of(trusted: &[IpNet], req: &Request) -> Option<IpAddr> {
    let peer = req.extensions().get::<ConnectInfo<SocketAddr>>()?.0.ip();
    if trusted.is_empty() {
        return Some(peer);
    }
    let lines: Vec<&str> =
        req.headers().get_all(X_FORWARDED_FOR).iter().map(|v| v.to_str().unwrap_or("\u{0}")).collect();
    Some(client_behind(peer, trusted, &lines))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap_or(IpAddr::from([0, 0, 0, 0]))
    }

    #[test]
    fn only_trusted_proxies_are_believed() {
        let trusted = [parse_proxy("10.0.0.0/8"), parse_proxy("192.0.2.7")].map(|n| n.unwrap_or_default());
        // Straight from a client: its header is ignored.
        assert_eq!(client_behind(ip("203.0.113.9"), &trusted, &["198.51.100.1"]), ip("203.0.113.9"));
        // Through a trusted proxy: the address it appended.
        assert_eq!(client_behind(ip("10.1.2.3"), &trusted, &["203.0.113.9"]), ip("203.0.113.9"));
        // A client's forged entry stays left of what the proxy appended.
        assert_eq!(client_behind(ip("10.1.2.3"), &trusted, &["1.1.1.1, 203.0.113.9"]), ip("203.0.113.9"));
        // Two proxies in a row, the header split over two lines, a port on an entry.
        assert_eq!(
            client_behind(ip("10.1.2.3"), &trusted, &["1.1.1.1, 203.0.113.9:5000", "192.0.2.7"]),
            ip("203.0.113.9")
        );
        assert_eq!(client_behind(ip("10.1.2.3"), &trusted, &["[2001:db8::1]:443"]), ip("2001:db8::1"));
        // Nothing forwarded, or nonsense: the proxy itself.
        assert_eq!(client_behind(ip("10.1.2.3"), &trusted, &[]), ip("10.1.2.3"));
        assert_eq!(client_behind(ip("10.1.2.3"), &trusted, &["unknown"]), ip("10.1.2.3"));
        // Every hop trusted: the left-most one.
        assert_eq!(client_behind(ip("10.1.2.3"), &trusted, &["10.9.9.9, 192.0.2.7"]), ip("10.9.9.9"));
    }

    #[test]
    fn proxies_parse_as_cidrs_or_addresses() {
        assert_eq!(parse_proxy(" 10.0.0.0/8 ").map(|n| n.prefix_len()), Ok(8));
        assert_eq!(parse_proxy("::1").map(|n| n.prefix_len()), Ok(128));
        assert!(parse_proxy("10.0.0.0/33").is_err());
        assert!(parse_proxy("proxy.local").is_err_and(|e| e.contains("proxy.local")));
    }
}
