//! Following a job through its Server-Sent Events: `progress` on every change, then one `done`
//! or `failed`, then the stream ends.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{Event, EventSource, MessageEvent};

use super::api;
use crate::model::JobView;

/// What the stream told, or that it broke off before the job finished.
pub enum JobEvent {
    Changed(Box<JobView>),
    /// The connection failed or closed early; the caller decides whether to ask again.
    Lost,
}

/// An open event stream. Dropping it closes the connection, so a page that goes away stops
/// listening.
pub struct JobWatch {
    source: EventSource,
    _listeners: Vec<Closure<dyn FnMut(MessageEvent)>>,
    _on_error: Closure<dyn FnMut(Event)>,
}

impl JobWatch {
    pub fn open(job_id: &str, on_event: impl Fn(JobEvent) + Clone + 'static) -> Option<JobWatch> {
        let source = EventSource::new(&api::job_events_url(job_id)).ok()?;
        let mut listeners = Vec::new();
        for name in ["progress", "done", "failed"] {
            let (on_event, closing) = (on_event.clone(), source.clone());
            let listener = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
                let job = event
                    .data()
                    .as_string()
                    .and_then(|text| serde_json::from_str::<JobView>(&text).ok());
                if let Some(job) = job {
                    // Closing on the last event keeps the browser from reconnecting to a
                    // stream that has ended.
                    if job.is_finished() {
                        closing.close();
                    }
                    on_event(JobEvent::Changed(Box::new(job)));
                }
            });
            source
                .add_event_listener_with_callback(name, listener.as_ref().unchecked_ref())
                .ok()?;
            listeners.push(listener);
        }
        let closing = source.clone();
        let on_error = Closure::<dyn FnMut(Event)>::new(move |_: Event| {
            // EventSource would retry on its own, forever; each retry costs a rate-limited
            // request, so the caller chooses when to look again instead.
            closing.close();
            on_event(JobEvent::Lost);
        });
        source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Some(JobWatch {
            source,
            _listeners: listeners,
            _on_error: on_error,
        })
    }
}

impl Drop for JobWatch {
    fn drop(&mut self) {
        self.source.close();
    }
}
