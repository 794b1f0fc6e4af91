//! The suite of the [`Broadcast`]: what one process publishes reaches every subscription of
//! every process, in order and intact, and nothing published before a subscription reaches it.
//!
//! It takes two handles on one channel, as two processes of an installation would hold (for a
//! database-backed adapter: two adapters on the same database).

use std::time::Duration;

use futures::StreamExt as _;

use crate::ports::{Broadcast, BroadcastError, BroadcastStream, Broadcasted, MAX_BROADCAST_BYTES};

/// The next message of `stream`, skipping gaps (a loaded database may drop a connection).
async fn next_message(stream: &mut BroadcastStream) -> String {
    loop {
        // A liveness bound, not a speed requirement.
        let item = tokio::time::timeout(Duration::from_secs(10), stream.next())
            .await
            .expect("a published message arrives")
            .expect("the subscription stays open");
        if let Broadcasted::Message(message) = item {
            return message;
        }
    }
}

/// Runs the suite on two handles `a` and `b` of one channel.
pub async fn broadcast(a: &dyn Broadcast, b: &dyn Broadcast) {
    let tag = uuid::Uuid::new_v4().simple().to_string();
    let mut on_a = a.subscribe().await.unwrap();
    let mut on_b = b.subscribe().await.unwrap();

    // One message reaches the other process and the publisher's own subscription.
    a.publish(&format!("{tag} one")).await.unwrap();
    assert_eq!(next_message(&mut on_b).await, format!("{tag} one"), "the other process receives it");
    assert_eq!(next_message(&mut on_a).await, format!("{tag} one"), "the publisher's own subscription too");

    // A subscription made afterwards does not see older messages.
    let mut late = b.subscribe().await.unwrap();
    b.publish(&format!("{tag} two")).await.unwrap();
    assert_eq!(next_message(&mut late).await, format!("{tag} two"), "only messages after subscribing");
    assert_eq!(next_message(&mut on_a).await, format!("{tag} two"));
    assert_eq!(next_message(&mut on_b).await, format!("{tag} two"));
    drop(late);

    // One publisher's messages keep their order; dropping a subscription changed nothing.
    for i in 0..200 {
        a.publish(&format!("{tag} {i}")).await.unwrap();
    }
    for i in 0..200 {
        assert_eq!(next_message(&mut on_b).await, format!("{tag} {i}"), "in publishing order");
    }
    for i in 0..200 {
        assert_eq!(next_message(&mut on_a).await, format!("{tag} {i}"));
    }

    // Any text up to the limit arrives intact: quotes, backslashes, newlines, any script.
    let mut long = format!("{tag} \"quoted\" \\ back\nslash 'single' é 雪 ");
    while long.len() + 3 <= MAX_BROADCAST_BYTES {
        long.push('雪');
    }
    while long.len() < MAX_BROADCAST_BYTES {
        long.push('x');
    }
    assert_eq!(long.len(), MAX_BROADCAST_BYTES);
    b.publish(&long).await.unwrap();
    assert_eq!(next_message(&mut on_a).await, long, "a message of the largest size arrives whole");
    assert_eq!(next_message(&mut on_b).await, long);

    // Longer is refused, and nothing of it is sent.
    long.push('x');
    match b.publish(&long).await {
        Err(BroadcastError::TooLarge { len, max }) => {
            assert_eq!((len, max), (MAX_BROADCAST_BYTES + 1, MAX_BROADCAST_BYTES))
        }
        other => panic!("a message over the limit is refused, got {other:?}"),
    }
    b.publish(&format!("{tag} after")).await.unwrap();
    assert_eq!(next_message(&mut on_a).await, format!("{tag} after"), "the refused message was not sent");
    assert_eq!(next_message(&mut on_b).await, format!("{tag} after"));

    // Publishing with no subscription anywhere is fine.
    drop((on_a, on_b));
    a.publish(&format!("{tag} unheard")).await.unwrap();
}
