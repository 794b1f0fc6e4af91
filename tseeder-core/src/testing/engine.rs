//! [`ScriptedEngine`]: a compute engine whose runs report exactly what the test tells them to.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use tokio::sync::mpsc;

use crate::ports::{ComputeEngine, ComputeError, EngineEvent, EngineRun, EngineTask};

/// A compute engine driven by the test: every `start` creates a run, and the test receives its
/// [`ScriptedRun`] from [`ScriptedEngine::next_run`] to send the run's events and provide its
/// files' bytes. Dropping the `ScriptedRun` ends the run's events (`next_event` returns `None`).
#[derive(Debug)]
pub struct ScriptedEngine {
    started: mpsc::UnboundedSender<ScriptedRun>,
    runs: tokio::sync::Mutex<mpsc::UnboundedReceiver<ScriptedRun>>,
    /// While set, `start` refuses with [`ComputeError::Busy`] and this reason.
    refusing: Mutex<Option<String>>,
    /// How many starts were refused.
    refused: std::sync::atomic::AtomicUsize,
}

impl Default for ScriptedEngine {
    fn default() -> Self {
        let (started, runs) = mpsc::unbounded_channel();
        Self {
            started,
            runs: tokio::sync::Mutex::new(runs),
            refusing: Mutex::new(None),
            refused: std::sync::atomic::AtomicUsize::new(0),
        }
    }
}

impl ScriptedEngine {
    /// An engine with no run yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// From now on `start` refuses with [`ComputeError::Busy`]`(reason)` (no capacity), until
    /// `None` is set.
    pub fn refuse(&self, reason: Option<&str>) {
        *self.refusing.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = reason.map(str::to_owned);
    }

    /// How many starts were refused so far.
    pub fn refused(&self) -> usize {
        self.refused.load(Ordering::SeqCst)
    }

    /// The next run started, waiting for the dispatcher to start one.
    ///
    /// # Panics
    /// When no run starts within 20 seconds.
    pub async fn next_run(&self) -> ScriptedRun {
        self.next_run_within(std::time::Duration::from_secs(20)).await
    }

    /// The next run started, waiting at most `limit` (of tokio time: under paused time, waits
    /// that include backoffs or lease expiries need more than [`ScriptedEngine::next_run`]'s).
    ///
    /// # Panics
    /// When no run starts within `limit`.
    #[allow(clippy::expect_used, reason = "test helper: a missing run is a test failure")]
    pub async fn next_run_within(&self, limit: std::time::Duration) -> ScriptedRun {
        let mut runs = self.runs.lock().await;
        tokio::time::timeout(limit, runs.recv()).await.expect("a run starts in time").expect("the engine is alive")
    }
}

#[async_trait]
impl ComputeEngine for ScriptedEngine {
    async fn start(&self, task: EngineTask) -> Result<Box<dyn EngineRun>, ComputeError> {
        if let Some(reason) = self.refusing.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone() {
            self.refused.fetch_add(1, Ordering::SeqCst);
            return Err(ComputeError::Busy(reason));
        }
        let (events_tx, events) = mpsc::unbounded_channel();
        let files = Arc::new(Mutex::new(HashMap::new()));
        let growing = Arc::new(Mutex::new(HashMap::new()));
        let stopped = Arc::new(AtomicBool::new(false));
        let handle = ScriptedRun {
            task,
            events: events_tx,
            files: Arc::clone(&files),
            growing: Arc::clone(&growing),
            stopped: Arc::clone(&stopped),
        };
        self.started.send(handle).map_err(|_| ComputeError::Backend("the test is gone".into()))?;
        Ok(Box::new(Run { events, files, growing, stopped }))
    }
}

/// The test's side of one run of a [`ScriptedEngine`].
#[derive(Debug)]
pub struct ScriptedRun {
    /// The task the run was started with.
    pub task: EngineTask,
    events: mpsc::UnboundedSender<EngineEvent>,
    files: Arc<Mutex<HashMap<usize, Vec<u8>>>>,
    growing: Arc<Mutex<HashMap<usize, tokio::io::DuplexStream>>>,
    stopped: Arc<AtomicBool>,
}

impl ScriptedRun {
    /// File `index` can be opened once as a growing file
    /// ([`EngineRun::open_growing_file`]): the reader gets what the test writes to the returned
    /// stream, and ends when the test drops it. At most `buffer` bytes wait unread, so a test
    /// whose writes complete knows the reader took them.
    pub fn grow_file(&self, index: usize, buffer: usize) -> tokio::io::DuplexStream {
        let (writer, reader) = tokio::io::duplex(buffer);
        self.growing.lock().unwrap_or_else(std::sync::PoisonError::into_inner).insert(index, reader);
        writer
    }

    /// Whether growing file `index` is still waiting to be opened.
    pub fn growing_unopened(&self, index: usize) -> bool {
        self.growing.lock().unwrap_or_else(std::sync::PoisonError::into_inner).contains_key(&index)
    }

    /// The run reports `event` next. Ignored once the run is stopped.
    pub fn send(&self, event: EngineEvent) {
        let _ = self.events.send(event);
    }

    /// File `index` now holds `bytes` and the run reports it ready.
    pub fn file_ready(&self, index: usize, bytes: Vec<u8>) {
        self.files.lock().unwrap_or_else(std::sync::PoisonError::into_inner).insert(index, bytes);
        self.send(EngineEvent::FileReady { index });
    }

    /// Whether the dispatcher stopped the run.
    pub fn stopped(&self) -> bool {
        self.stopped.load(Ordering::SeqCst)
    }
}

/// The engine's side of a scripted run.
#[derive(Debug)]
struct Run {
    events: mpsc::UnboundedReceiver<EngineEvent>,
    files: Arc<Mutex<HashMap<usize, Vec<u8>>>>,
    growing: Arc<Mutex<HashMap<usize, tokio::io::DuplexStream>>>,
    stopped: Arc<AtomicBool>,
}

#[async_trait]
impl EngineRun for Run {
    async fn next_event(&mut self) -> Option<EngineEvent> {
        self.events.recv().await
    }

    async fn open_file(&self, index: usize) -> Result<Box<dyn tokio::io::AsyncRead + Send + Unpin>, ComputeError> {
        let files = self.files.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let bytes =
            files.get(&index).cloned().ok_or_else(|| ComputeError::Invalid(format!("file {index} is not ready")))?;
        Ok(Box::new(std::io::Cursor::new(bytes)))
    }

    async fn open_growing_file(
        &self,
        index: usize,
    ) -> Result<Option<Box<dyn tokio::io::AsyncRead + Send + Unpin>>, ComputeError> {
        let reader = self.growing.lock().unwrap_or_else(std::sync::PoisonError::into_inner).remove(&index);
        Ok(reader.map(|r| Box::new(r) as Box<dyn tokio::io::AsyncRead + Send + Unpin>))
    }

    async fn stop(self: Box<Self>) -> Result<(), ComputeError> {
        self.stopped.store(true, Ordering::SeqCst);
        Ok(())
    }
}
