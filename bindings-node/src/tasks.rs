//! Async variants: a host call run on the libuv thread pool as a napi
//! `AsyncTask`, so the event loop keeps answering. The result is the same
//! JSON text as the sync call; a host error rejects the promise with the
//! same error object as the sync call throws (built back on the JS thread
//! in `resolve`). A panic in `compute` would abort Node even with
//! `catch_unwind` on the export, so the job runs inside `guarded`
//! (`std::panic::catch_unwind`), and `compute` itself under a second
//! `catch_unwind`.

use std::panic::{catch_unwind, AssertUnwindSafe};

use b2b_oms::host::{guarded, HostError};
use napi::bindgen_prelude::AsyncTask;
use napi::{Env, Task};

use crate::errors::to_js;

type Work = Box<dyn FnOnce() -> Result<String, HostError> + Send>;

/// One host call to run off the JS thread.
pub struct Job(Option<Work>);

impl Job {
    /// A job running `f`.
    pub fn new(f: impl FnOnce() -> Result<String, HostError> + Send + 'static) -> Self {
        Job(Some(Box::new(f)))
    }
}

/// The napi task of a [`Job`].
pub struct HostTask {
    job: Job,
}

impl HostTask {
    /// The `AsyncTask` (a promise in JS) that runs `job`.
    pub fn spawn(job: Job) -> AsyncTask<HostTask> {
        AsyncTask::new(HostTask { job })
    }
}

impl Task for HostTask {
    type Output = Result<String, HostError>;
    type JsValue = String;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        let work = self.job.0.take();
        let outcome = catch_unwind(AssertUnwindSafe(move || match work {
            Some(f) => guarded(f),
            None => Err(HostError::internal("the task ran twice")),
        }));
        Ok(outcome.unwrap_or_else(|_| {
            Err(HostError::internal(
                "internal error: a panic in an async task",
            ))
        }))
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> napi::Result<Self::JsValue> {
        output.map_err(|e| to_js(&env, e))
    }
}
