//! `uniffi-bindgen` for booking-ffi: generates the Kotlin and Swift bindings from the built cdylib
//! (library mode). Built from the workspace so that it is the very same uniffi as the library.

fn main() {
    uniffi::uniffi_bindgen_main()
}
