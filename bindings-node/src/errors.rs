//! Host errors as JavaScript error objects: `message`, `code` (the stable
//! code of `host::CODES`), `family`, `field` and `details` set on the thrown
//! object, which the package's `errors.js` turns into the `B2bOmsError`
//! subclass of its family.

use b2b_oms::host::HostError;
use napi::bindgen_prelude::{JsObjectValue, ToNapiValue};
use napi::{Env, Error, Status};

/// The code napi gives an error that is not a host error (a failed
/// argument conversion): mapped to `INVALID_FIELD` by `errors.js`.
pub const NATIVE_MARKER: &str = "__b2bOms";

/// Builds the thrown object of a host error. If building it fails (no
/// memory in the JS heap), falls back to a plain error with the code as
/// its status, so that the error is still thrown.
pub fn to_js(env: &Env, e: HostError) -> Error {
    match build(env, &e) {
        Ok(err) => err,
        Err(_) => Error::new(Status::GenericFailure, format!("{}: {}", e.code, e.message)),
    }
}

fn build(env: &Env, e: &HostError) -> napi::Result<Error> {
    let mut obj = env.create_error(Error::new(Status::GenericFailure, e.message.clone()))?;
    obj.set_named_property("code", e.code.as_str())?;
    obj.set_named_property("family", e.family.as_str())?;
    match &e.field {
        Some(f) => obj.set_named_property("field", f.as_str())?,
        None => obj.set_named_property("field", ())?,
    }
    obj.set_named_property("details", serde_json::Value::Object(e.details.clone()))?;
    obj.set_named_property(NATIVE_MARKER, true)?;
    Ok(Error::from(obj.into_unknown(env)?))
}

/// Turns a host result into a napi result, throwing the host error.
pub fn throw<T>(env: &Env, r: Result<T, HostError>) -> napi::Result<T> {
    r.map_err(|e| to_js(env, e))
}
