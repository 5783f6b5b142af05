//! A spinner on stderr naming what is being fetched, for slow or very large clusters.
//! Only shown when stderr is a terminal, so scripts see nothing; the last step is always kept, for `--timeout`'s
//! message.

use std::sync::Mutex;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

pub struct Progress(Option<ProgressBar>, Mutex<String>);

impl Progress {
    pub fn new(enabled: bool) -> Self {
        if !enabled {
            return Progress(None, Mutex::default());
        }
        let bar = ProgressBar::new_spinner();
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar.enable_steady_tick(Duration::from_millis(100));
        Progress(Some(bar), Mutex::default())
    }

    pub fn step(&self, message: impl Into<String>) {
        let message = message.into();
        if let Some(bar) = &self.0 {
            bar.set_message(message.clone());
        }
        *self.1.lock().unwrap_or_else(|e| e.into_inner()) = message;
    }

    /// The last step named, shown or not: what a run that ran out of time was waiting for.
    pub fn pending(&self) -> String {
        self.1.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Removes the line, so the answer starts on a clean screen.
    pub fn finish(&self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}
