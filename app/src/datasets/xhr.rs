//! Sending a file with upload progress. `fetch` cannot report how much of a request body has
//! gone out, so uploads use `XMLHttpRequest`, whose `upload.onprogress` can.

use std::cell::RefCell;
use std::rc::Rc;

use futures_channel::oneshot;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{File, ProgressEvent, XmlHttpRequest};

use super::api::{self, ApiError, ApiResult, Uploaded};

/// The media type the API expects for a file, from its extension first: browsers give `.jsonl`
/// and often `.csv` no type at all, or a platform-specific one.
pub fn media_type(file: &File) -> String {
    let name = file.name().to_ascii_lowercase();
    let ext = name.rsplit_once('.').map(|(_, ext)| ext).unwrap_or("");
    match ext {
        "csv" | "tsv" | "txt" => "text/csv".into(),
        "json" => "application/json".into(),
        "jsonl" | "ndjson" => "application/x-ndjson".into(),
        _ if !file.type_().is_empty() => file.type_(),
        // The server answers 415 with its list of accepted types, which says it best.
        _ => "application/octet-stream".into(),
    }
}

/// Uploads `file` as the raw request body, calling `on_progress(sent, total)` as bytes go out.
pub async fn upload(file: File, on_progress: impl Fn(f64, f64) + 'static) -> ApiResult<Uploaded> {
    let xhr = XmlHttpRequest::new().map_err(|_| failed("the browser cannot send files"))?;
    xhr.open_with_async("POST", &api::upload_url(&file.name()), true)
        .map_err(|_| failed("the upload could not start"))?;
    xhr.set_request_header("Content-Type", &media_type(&file))
        .and_then(|_| xhr.set_request_header("Accept", "application/json"))
        .map_err(|_| failed("the upload could not start"))?;

    let (sender, finished) = oneshot::channel::<bool>();
    let sender = Rc::new(RefCell::new(Some(sender)));
    let finish = move |answered: bool| {
        if let Some(sender) = sender.borrow_mut().take() {
            let _ = sender.send(answered);
        }
    };
    let (on_load, on_fail) = (finish.clone(), finish);
    // The closures must outlive the request: they are owned here until the answer arrives.
    let loaded = Closure::<dyn FnMut()>::new(move || on_load(true));
    let errored = Closure::<dyn FnMut()>::new(move || on_fail(false));
    let progressed = Closure::<dyn FnMut(ProgressEvent)>::new(move |event: ProgressEvent| {
        if event.length_computable() {
            on_progress(event.loaded(), event.total());
        }
    });
    xhr.set_onload(Some(loaded.as_ref().unchecked_ref()));
    xhr.set_onerror(Some(errored.as_ref().unchecked_ref()));
    xhr.set_onabort(Some(errored.as_ref().unchecked_ref()));
    if let Ok(upload) = xhr.upload() {
        upload.set_onprogress(Some(progressed.as_ref().unchecked_ref()));
    }
    xhr.send_with_opt_blob(Some(&file))
        .map_err(|_| failed("the upload could not start"))?;

    let answered = finished.await.unwrap_or(false);
    drop((loaded, errored, progressed));
    if !answered {
        return Err(failed(
            "the upload was interrupted; check the connection and try again",
        ));
    }
    let status = xhr.status().unwrap_or(0);
    let body = xhr.response_text().ok().flatten().unwrap_or_default();
    let (data, _) = api::read_envelope(status, &body)?;
    api::decode(status, data)
}

fn failed(message: &str) -> ApiError {
    ApiError {
        status: 0,
        code: "upload_failed".into(),
        message: message.into(),
    }
}
