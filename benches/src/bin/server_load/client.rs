//! A lean HTTP/1.1 client for the load: one keep-alive connection per load client (as a browser
//! tab or an app holds one), driven by hyper's connection API with no pool between them, JSON in
//! and out.

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::{self, SendRequest};
use hyper::{Method, Request};
use hyper_util::rt::TokioIo;
use serde_json::Value;
use std::sync::Arc;
use tokio::net::TcpStream;
use tokio::sync::Mutex;

/// A request ready to send.
pub type Req = Request<Full<Bytes>>;

/// The connections, shared by every load task (cheap to clone); client `c` uses connection `c`.
#[derive(Clone)]
pub struct Http {
    conns: Arc<Vec<Mutex<SendRequest<Full<Bytes>>>>>,
    addr: Arc<str>,
}

async fn open(addr: &str) -> SendRequest<Full<Bytes>> {
    let stream = TcpStream::connect(addr).await.unwrap_or_else(|e| panic!("connect {addr}: {e}"));
    let _ = stream.set_nodelay(true);
    let (sender, conn) =
        http1::handshake(TokioIo::new(stream)).await.unwrap_or_else(|e| panic!("handshake {addr}: {e}"));
    tokio::spawn(async move {
        let _ = conn.await;
    });
    sender
}

impl Http {
    /// `connections` connections to `base` (`http://host:port`).
    pub async fn new(base: &str, connections: usize) -> Http {
        let addr = base.strip_prefix("http://").unwrap_or(base).trim_end_matches('/');
        let mut conns = Vec::with_capacity(connections);
        for _ in 0..connections.max(1) {
            conns.push(Mutex::new(open(addr).await));
        }
        Http { conns: Arc::new(conns), addr: addr.into() }
    }

    fn request(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        key: Option<&str>,
        body: Vec<u8>,
    ) -> Req {
        let mut b = Request::builder().method(method).uri(path).header("host", &*self.addr);
        if let Some(t) = token {
            b = b.header("authorization", format!("Bearer {t}"));
        }
        if let Some(k) = key {
            b = b.header("idempotency-key", k);
        }
        if !body.is_empty() {
            b = b.header("content-type", "application/json");
        }
        b.body(Full::new(Bytes::from(body))).unwrap_or_else(|e| panic!("request {path}: {e}"))
    }

    /// `GET path`.
    pub fn get(&self, path: &str, token: Option<&str>) -> Req {
        self.request(Method::GET, path, token, None, Vec::new())
    }

    /// `DELETE path`.
    pub fn delete(&self, path: &str, token: Option<&str>) -> Req {
        self.request(Method::DELETE, path, token, None, Vec::new())
    }

    /// `POST path` with `body` as JSON.
    pub fn post(&self, path: &str, token: Option<&str>, key: Option<&str>, body: &Value) -> Req {
        self.post_raw(path, token, key, serde_json::to_vec(body).unwrap_or_default())
    }

    /// `POST path` with a JSON body already encoded.
    pub fn post_raw(&self, path: &str, token: Option<&str>, key: Option<&str>, body: Vec<u8>) -> Req {
        self.request(Method::POST, path, token, key, body)
    }

    /// Sends `req` on connection `c` (modulo their number); the status and the raw body.
    async fn raw(&self, c: usize, req: Req) -> (u16, Bytes) {
        let what = format!("{} {}", req.method(), req.uri());
        let mut conn = self.conns[c % self.conns.len()].lock().await;
        let res = conn.send_request(req).await.unwrap_or_else(|e| panic!("{what}: {e}"));
        let status = res.status().as_u16();
        let body = res.into_body().collect().await.unwrap_or_else(|e| panic!("{what}: {e}")).to_bytes();
        (status, body)
    }

    /// Sends `req` on connection `c`; the status and the body read as JSON (`Null` when it is
    /// not).
    pub async fn send(&self, c: usize, req: Req) -> (u16, Value) {
        let (status, body) = self.raw(c, req).await;
        (status, serde_json::from_slice(&body).unwrap_or(Value::Null))
    }

    /// Sends `req` on connection `c`; the status and the fields of the body that `T` names
    /// (the others are skipped, not built), or the body's text when it does not read as `T`.
    pub async fn send_as<T: serde::de::DeserializeOwned>(
        &self,
        c: usize,
        req: Req,
    ) -> (u16, Result<T, String>) {
        let (status, body) = self.raw(c, req).await;
        (status, serde_json::from_slice(&body).map_err(|_| String::from_utf8_lossy(&body).into_owned()))
    }

    /// Sends `req` on connection `c` and panics unless it answers `status`; the body as JSON.
    pub async fn expect(&self, c: usize, status: u16, req: Req) -> Value {
        let what = format!("{} {}", req.method(), req.uri());
        let (got, body) = self.send(c, req).await;
        assert_eq!(got, status, "{what}: {body}");
        body
    }

    /// Sends `req` on connection `c` and panics unless it answers `status`; the body's length.
    /// The body is read and dropped frame by frame, not gathered or decoded: the load measures
    /// the server, not the client's copying and parsing.
    pub async fn expect_len(&self, c: usize, status: u16, req: Req) -> usize {
        let what = format!("{} {}", req.method(), req.uri());
        let mut conn = self.conns[c % self.conns.len()].lock().await;
        let res = conn.send_request(req).await.unwrap_or_else(|e| panic!("{what}: {e}"));
        let got = res.status().as_u16();
        let mut body = res.into_body();
        if got != status {
            let text = body.collect().await.map(|b| b.to_bytes()).unwrap_or_default();
            panic!("{what}: answered {got}, not {status}: {}", String::from_utf8_lossy(&text));
        }
        let mut len = 0;
        while let Some(frame) = body.frame().await {
            let frame = frame.unwrap_or_else(|e| panic!("{what}: {e}"));
            len += frame.data_ref().map_or(0, Bytes::len);
        }
        len
    }
}
