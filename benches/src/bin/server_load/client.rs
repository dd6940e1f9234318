//! A lean HTTP/1.1 client for the load: hyper's pooled client with keep-alive, JSON in and out.

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::{Method, Request};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use serde_json::Value;
use std::sync::Arc;

/// A request ready to send.
pub type Req = Request<Full<Bytes>>;

/// The client, shared by every load task (cheap to clone).
#[derive(Clone)]
pub struct Http {
    client: Client<HttpConnector, Full<Bytes>>,
    base: Arc<str>,
}

impl Http {
    /// A client of `base` (`http://host:port`) keeping up to `connections` connections open.
    pub fn new(base: &str, connections: usize) -> Http {
        let mut connector = HttpConnector::new();
        connector.set_nodelay(true);
        let client =
            Client::builder(TokioExecutor::new()).pool_max_idle_per_host(connections).build(connector);
        Http { client, base: base.into() }
    }

    fn request(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        key: Option<&str>,
        body: Vec<u8>,
    ) -> Req {
        let mut b = Request::builder().method(method).uri(format!("{}{path}", self.base));
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

    async fn raw(&self, req: Req) -> (u16, Bytes) {
        let what = format!("{} {}", req.method(), req.uri());
        let res = self.client.request(req).await.unwrap_or_else(|e| panic!("{what}: {e}"));
        let status = res.status().as_u16();
        let body = res.into_body().collect().await.unwrap_or_else(|e| panic!("{what}: {e}")).to_bytes();
        (status, body)
    }

    /// Sends `req`; the status and the body read as JSON (`Null` when it is not).
    pub async fn send(&self, req: Req) -> (u16, Value) {
        let (status, body) = self.raw(req).await;
        (status, serde_json::from_slice(&body).unwrap_or(Value::Null))
    }

    /// Sends `req` and panics unless it answers `status`; the body as JSON.
    pub async fn expect(&self, status: u16, req: Req) -> Value {
        let what = format!("{} {}", req.method(), req.uri());
        let (got, body) = self.send(req).await;
        assert_eq!(got, status, "{what}: {body}");
        body
    }

    /// Sends `req` and panics unless it answers `status`; the body's length, not decoded (the
    /// load measures the server, not the client's JSON parser).
    pub async fn expect_len(&self, status: u16, req: Req) -> usize {
        let what = format!("{} {}", req.method(), req.uri());
        let (got, body) = self.raw(req).await;
        assert_eq!(got, status, "{what}: {}", String::from_utf8_lossy(&body));
        body.len()
    }
}
