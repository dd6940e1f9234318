//! With the `napi` feature, lets napi-rs's CLI rebuild this crate when it collects the
//! TypeScript definitions of its views (each crate writes its own while it compiles).
fn main() {
    #[cfg(feature = "napi")]
    napi_build::setup();
}
